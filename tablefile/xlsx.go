package tablefile

import (
	"io"
	"os"

	"github.com/xuri/excelize/v2"
)

// XLSX streams the rows of the first sheet of a workbook. Cells are read
// raw: a date is its serial number (45659), not text in the cell's display
// format, and a number keeps the digits Excel stored (an ID number typed
// into a number cell shows up as 5.10824199001011E+17).
type XLSX struct {
	f     *excelize.File
	rows  *excelize.Rows
	row   int
	Sheet string // the sheet being read
}

// xlsxOptions bound what a workbook may unpack into memory; larger sheets
// and string tables are spooled to temporary files by excelize.
var xlsxOptions = excelize.Options{RawCellValue: true, UnzipXMLSizeLimit: 16 << 20}

// OpenXLSX opens the first sheet of the workbook at path. It returns
// ErrUnreadable for a file that is not a workbook, or has no sheet.
func OpenXLSX(path string) (r *XLSX, err error) {
	defer func() {
		if recover() != nil { // a malformed workbook the library did not expect
			r, err = nil, ErrUnreadable
		}
	}()
	if _, err := os.Stat(path); err != nil {
		return nil, err // missing, or not allowed
	}
	f, err := excelize.OpenFile(path, xlsxOptions)
	if err != nil {
		return nil, ErrUnreadable
	}
	return firstSheet(f)
}

// NewXLSX reads the first sheet of the workbook in r, held in memory; for
// large files prefer OpenXLSX. It returns ErrUnreadable as OpenXLSX does.
func NewXLSX(rd io.Reader) (r *XLSX, err error) {
	defer func() {
		if recover() != nil {
			r, err = nil, ErrUnreadable
		}
	}()
	f, err := excelize.OpenReader(rd, xlsxOptions)
	if err != nil {
		return nil, ErrUnreadable
	}
	return firstSheet(f)
}

func firstSheet(f *excelize.File) (*XLSX, error) {
	for _, name := range f.GetSheetList() {
		rows, err := f.Rows(name)
		if err != nil { // a chart sheet: try the next one
			continue
		}
		return &XLSX{f: f, rows: rows, Sheet: name}, nil
	}
	f.Close()
	return nil, ErrUnreadable
}

// Next returns the next row (see Reader); rows missing from the sheet come
// back empty. It returns ErrUnreadable for damaged sheet data.
func (x *XLSX) Next() (cells []string, err error) {
	defer func() {
		if recover() != nil {
			cells, err = nil, ErrUnreadable
		}
	}()
	if !x.rows.Next() {
		if x.rows.Error() != nil {
			return nil, ErrUnreadable
		}
		return nil, io.EOF
	}
	x.row++
	cells, err = x.rows.Columns()
	if err != nil {
		return nil, ErrUnreadable
	}
	return cells, nil
}

// Row returns the row number of the row Next returned last.
func (x *XLSX) Row() int { return x.row }

// Close releases the workbook and its temporary files.
func (x *XLSX) Close() error {
	x.rows.Close()
	return x.f.Close()
}
