package report

import (
	"encoding/csv"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"github.com/healthcell/healthcell"
)

// DueHeader is the column titles of a due list, in the reader's language.
type DueHeader [8]string

func dueRow(r healthcell.DueResident, yes, no string) []any {
	overdue := no
	if r.Overdue {
		overdue = yes
	}
	return []any{r.VillageCode, r.Name, r.Sex, r.BirthDate, r.Age, r.Rule, r.LastExam, overdue}
}

// DueListXLSX writes the residents whose check-up is due as a workbook
// with one sheet; it returns the writer's error.
func DueListXLSX(w io.Writer, title string, h DueHeader, rows []healthcell.DueResident, yes, no string) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := f.GetSheetName(0)
	f.SetCellValue(sheet, "A1", title)
	for i, c := range h {
		cell, _ := excelize.CoordinatesToCellName(i+1, 2)
		f.SetCellValue(sheet, cell, c)
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+3)
		if err := f.SetSheetRow(sheet, cell, &[]any{}); err != nil {
			return err
		}
		row := dueRow(r, yes, no)
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			return err
		}
	}
	f.SetColWidth(sheet, "A", "A", 15)
	f.SetColWidth(sheet, "D", "D", 12)
	f.SetColWidth(sheet, "G", "G", 12)
	return f.Write(w)
}

// DueListCSV writes the same list as UTF-8 CSV with a byte-order mark, so
// that Excel opens the Chinese text correctly.
func DueListCSV(w io.Writer, h DueHeader, rows []healthcell.DueResident, yes, no string) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Write(h[:])
	for _, r := range rows {
		var rec []string
		for _, v := range dueRow(r, yes, no) {
			rec = append(rec, fmt.Sprint(v))
		}
		cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}
