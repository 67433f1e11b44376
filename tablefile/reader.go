package tablefile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Reader yields the rows of one table in order.
type Reader interface {
	// Next returns the cells of the next row, io.EOF after the last one, or
	// an error for a damaged file. The slice is reused by the next call; the
	// strings are not. A blank row is returned as an empty or all-blank
	// slice, never skipped, so that Row stays what Excel shows.
	Next() ([]string, error)
	// Row returns the row number, as Excel shows it (the first row is 1),
	// of the row Next returned last.
	Row() int
	// Close releases the file; it returns the error of closing.
	Close() error
}

// Errors of opening and reading a table.
var (
	// ErrType is returned for a file that is neither .xlsx nor .csv.
	ErrType = errors.New("tablefile: not an .xlsx or .csv file")
	// ErrUnreadable is returned for a damaged or mislabelled file.
	ErrUnreadable = errors.New("tablefile: unreadable file")
	// ErrTooLong is returned for a CSV row longer than MaxRowBytes.
	ErrTooLong = errors.New("tablefile: row too long")
)

// Kind returns "xlsx" or "csv" from the extension of name (any case), or ""
// for anything else.
func Kind(name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".xlsx":
		return "xlsx"
	case ".csv":
		return "csv"
	}
	return ""
}

// Open opens the table in the file at path, by its extension: the first
// sheet of an .xlsx workbook, or a .csv file in any encoding Decode
// recognises. It returns ErrType for another extension, ErrUnreadable for a
// damaged workbook, or the error of opening the file.
func Open(path string) (Reader, error) {
	switch Kind(path) {
	case "xlsx":
		return OpenXLSX(path)
	case "csv":
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		r, err := NewCSV(f)
		if err != nil {
			f.Close()
			return nil, err
		}
		r.closer = f
		return r, nil
	}
	return nil, ErrType
}

// ReadAll reads every row of r, stopping with ErrUnreadable after maxRows
// rows or maxCells cells (0 means no limit). It is for small files, such as
// standards; imports stream with Next.
func ReadAll(r Reader, maxRows, maxCells int) ([][]string, error) {
	var rows [][]string
	cells := 0
	for {
		row, err := r.Next()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, err
		}
		cells += max(len(row), 1)
		if (maxRows > 0 && len(rows) >= maxRows) || (maxCells > 0 && cells > maxCells) {
			return nil, ErrUnreadable
		}
		rows = append(rows, append([]string(nil), row...))
	}
}
