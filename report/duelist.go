package report

import (
	"encoding/csv"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"

	"github.com/healthcell/healthcell"
)

// DueLabels are the words of a due list in the reader's language: the
// column titles (9: village code, village, name, sex, birth date, age,
// rule, last check-up, overdue), the words for yes and no, sexes (F, M) and
// rules (yearly, biennial) by code, and the village names by code.
type DueLabels struct {
	Header   []string
	Yes, No  string
	Sex      map[string]string
	Rule     map[string]string
	Villages map[string]string
}

// word returns m[k], or k when m has no word for it.
func word(m map[string]string, k string) string {
	if w, ok := m[k]; ok {
		return w
	}
	return k
}

func dueRow(r healthcell.DueResident, l DueLabels) []string {
	overdue := l.No
	if r.Overdue {
		overdue = l.Yes
	}
	last := r.LastExam
	age := ""
	if r.BirthDate != "" {
		age = strconv.Itoa(r.Age)
	}
	return []string{r.VillageCode, l.Villages[r.VillageCode], r.Name, word(l.Sex, r.Sex), r.BirthDate, age, word(l.Rule, r.Rule), last, overdue}
}

// DueListXLSX writes the residents whose check-up is due as a workbook with
// one sheet named sheet, title in its first row; it returns the writer's
// error.
func DueListXLSX(w io.Writer, sheet, title string, l DueLabels, rows []healthcell.DueResident) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName(f.GetSheetName(0), sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	if err := sw.SetColWidth(1, 1, 15); err != nil {
		return err
	}
	if err := sw.SetColWidth(2, 2, 22); err != nil {
		return err
	}
	if err := sw.SetColWidth(5, 5, 12); err != nil {
		return err
	}
	if err := sw.SetColWidth(8, 8, 12); err != nil {
		return err
	}
	if err := sw.SetRow("A1", []any{title}); err != nil {
		return err
	}
	head := make([]any, len(l.Header))
	for i, h := range l.Header {
		head[i] = h
	}
	if err := sw.SetRow("A2", head); err != nil {
		return err
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+3)
		rec := dueRow(r, l)
		row := make([]any, len(rec))
		for j, v := range rec {
			row[j] = v
		}
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}

// DueListCSV writes the same list as UTF-8 CSV with a byte-order mark, so
// that Excel opens the Chinese text correctly; it returns the writer's error.
func DueListCSV(w io.Writer, l DueLabels, rows []healthcell.DueResident) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(l.Header); err != nil {
		return err
	}
	for _, r := range rows {
		if err := cw.Write(dueRow(r, l)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
