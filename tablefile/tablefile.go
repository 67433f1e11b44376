// Package tablefile writes tables — a header row, then rows of text — as
// Excel workbooks (.xlsx) or CSV, the two forms county staff exchange
// registers in. CSV is written as UTF-8 with a byte-order mark, which Excel
// on Chinese Windows opens without garbling; in .xlsx every cell is text, so
// that ID numbers and codes never turn into numbers.
package tablefile

import (
	"encoding/csv"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Formats.
const (
	XLSX = "xlsx"
	CSV  = "csv"
)

// FormatOf returns the format named by a file's extension (xlsx when it is
// not .csv).
func FormatOf(path string) string {
	if strings.EqualFold(filepath.Ext(path), ".csv") {
		return CSV
	}
	return XLSX
}

// Writer writes one table.
type Writer interface {
	// Write adds a row; the first row written is the header.
	Write(row []string) error
	// Close finishes the file (an .xlsx is written out only now).
	Close() error
}

// NewWriter returns a writer of format ("xlsx" or "csv") onto w, with sheet
// naming the worksheet of an .xlsx. It returns an error for another format.
func NewWriter(w io.Writer, format, sheet string) (Writer, error) {
	switch format {
	case CSV:
		if _, err := io.WriteString(w, "\uFEFF"); err != nil {
			return nil, err
		}
		return &csvWriter{w: csv.NewWriter(w)}, nil
	case XLSX:
		f := excelize.NewFile()
		if sheet == "" {
			sheet = "Sheet1"
		}
		if err := f.SetSheetName("Sheet1", sheet); err != nil {
			return nil, err
		}
		sw, err := f.NewStreamWriter(sheet)
		if err != nil {
			return nil, err
		}
		return &xlsxWriter{f: f, sw: sw, out: w}, nil
	}
	return nil, fmt.Errorf("tablefile: unknown format %q (xlsx or csv)", format)
}

type csvWriter struct{ w *csv.Writer }

func (c *csvWriter) Write(row []string) error { return c.w.Write(row) }

func (c *csvWriter) Close() error {
	c.w.Flush()
	return c.w.Error()
}

type xlsxWriter struct {
	f     *excelize.File
	sw    *excelize.StreamWriter
	out   io.Writer
	n     int
	width []int
}

func (x *xlsxWriter) Write(row []string) error {
	x.n++
	if x.n == 1 {
		// Column widths must come before the first row; size them by the header.
		for i, h := range row {
			w := max(10, 2*utf8.RuneCountInString(h)+2)
			if err := x.sw.SetColWidth(i+1, i+1, float64(w)); err != nil {
				return err
			}
		}
	}
	cells := make([]any, len(row))
	for i, v := range row {
		cells[i] = excelize.Cell{Value: v}
	}
	cell, err := excelize.CoordinatesToCellName(1, x.n)
	if err != nil {
		return err
	}
	return x.sw.SetRow(cell, cells)
}

func (x *xlsxWriter) Close() error {
	if err := x.sw.Flush(); err != nil {
		return err
	}
	_, err := x.f.WriteTo(x.out)
	if cerr := x.f.Close(); err == nil {
		err = cerr
	}
	return err
}
