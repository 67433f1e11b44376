package tablefile

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Writer writes one table, row by row, to .xlsx or .csv.
type Writer interface {
	// Write adds a row; cells are strings or numbers. It returns the error
	// of writing.
	Write(cells []any) error
	// Close finishes the file; nothing is complete before it returns nil.
	Close() error
}

// NewWriter returns a writer of kind "xlsx" (one sheet named sheet, header
// row in bold and frozen) or "csv" (UTF-8 with a byte-order mark so that
// Excel reads Chinese correctly), with header as the first row. It returns
// ErrType for another kind.
func NewWriter(w io.Writer, kind, sheet string, header []string) (Writer, error) {
	var tw Writer
	switch kind {
	case "xlsx":
		f := excelize.NewFile()
		if err := f.SetSheetName("Sheet1", sheet); err != nil {
			return nil, err
		}
		sw, err := f.NewStreamWriter(sheet)
		if err != nil {
			return nil, err
		}
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return nil, err
		}
		bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
		if err != nil {
			return nil, err
		}
		xw := &xlsxWriter{f: f, sw: sw, w: w}
		hdr := make([]any, len(header))
		for i, h := range header {
			hdr[i] = excelize.Cell{StyleID: bold, Value: h}
		}
		if err := xw.Write(hdr); err != nil {
			return nil, err
		}
		return xw, nil
	case "csv":
		bw := bufio.NewWriterSize(w, 64<<10)
		bw.WriteString("\xef\xbb\xbf")
		tw = &csvWriter{w: bw}
	default:
		return nil, ErrType
	}
	hdr := make([]any, len(header))
	for i, h := range header {
		hdr[i] = h
	}
	if err := tw.Write(hdr); err != nil {
		return nil, err
	}
	return tw, nil
}

type xlsxWriter struct {
	f   *excelize.File
	sw  *excelize.StreamWriter
	w   io.Writer
	row int
}

func (x *xlsxWriter) Write(cells []any) error {
	x.row++
	cell, err := excelize.CoordinatesToCellName(1, x.row)
	if err != nil {
		return err
	}
	return x.sw.SetRow(cell, cells)
}

func (x *xlsxWriter) Close() error {
	defer x.f.Close()
	if err := x.sw.Flush(); err != nil {
		return err
	}
	_, err := x.f.WriteTo(x.w)
	return err
}

type csvWriter struct {
	w *bufio.Writer
}

func (c *csvWriter) Write(cells []any) error {
	for i, v := range cells {
		if i > 0 {
			c.w.WriteByte(',')
		}
		var s string
		switch v := v.(type) {
		case string:
			s = v
		case nil:
		default:
			s = fmt.Sprint(v)
		}
		if FormulaLike(s) {
			s = "'" + s // a spreadsheet would run it as a formula
		}
		if strings.ContainsAny(s, ",\"\r\n") || (s != "" && (s[0] == ' ' || s[len(s)-1] == ' ')) {
			s = `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
		}
		c.w.WriteString(s)
	}
	_, err := c.w.WriteString("\r\n")
	return err
}

func (c *csvWriter) Close() error { return c.w.Flush() }

// FormulaLike reports whether a cell would be taken for a formula by a
// spreadsheet program opening a CSV file (leading apostrophes aside): it
// starts with =, +, - or @.
func FormulaLike(s string) bool {
	s = strings.TrimLeft(s, "'")
	return s != "" && strings.ContainsRune("=+-@", rune(s[0]))
}
