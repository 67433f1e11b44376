package importer

import (
	"errors"
	"io"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/tablefile"
)

// Source yields the data rows of a table file, after its header.
type Source struct {
	r         tablefile.Reader
	Map       *ColumnMap
	HeaderRow int
	Rows      int // data rows returned so far (blank rows are skipped)
}

// NewSource reads the header of r, its first non-blank row, and maps it to
// t. It returns the header's errors (missing or repeated columns), EINVALID
// with import.file.empty for a file without a header, EINVALID with
// import.file.unreadable for a damaged file, or the error of reading.
func NewSource(r tablefile.Reader, t *Table) (*Source, []healthcell.FieldError, error) {
	for {
		cells, err := r.Next()
		if err == io.EOF {
			return nil, nil, healthcell.Invalid([]healthcell.FieldError{{Field: "file", Message: "import.file.empty"}})
		}
		if err != nil {
			return nil, nil, readError(err)
		}
		if blank(cells) {
			continue
		}
		m, fe := t.MapHeader(cells, r.Row())
		return &Source{r: r, Map: m, HeaderRow: r.Row()}, fe, nil
	}
}

// Next returns the next non-blank row and its row number as Excel shows
// it, io.EOF after the last, or an error as NewSource does. The cells are
// valid until the next call.
func (s *Source) Next() ([]string, int, error) {
	for {
		cells, err := s.r.Next()
		if err == io.EOF {
			return nil, 0, io.EOF
		}
		if err != nil {
			return nil, 0, readError(err)
		}
		if blank(cells) {
			continue
		}
		s.Rows++
		return cells, s.r.Row(), nil
	}
}

// readError maps the table reader's errors to EINVALID for the user.
func readError(err error) error {
	switch {
	case errors.Is(err, tablefile.ErrUnreadable):
		return healthcell.Invalid([]healthcell.FieldError{{Field: "file", Message: "import.file.unreadable"}})
	case errors.Is(err, tablefile.ErrTooLong):
		return healthcell.Invalid([]healthcell.FieldError{{Field: "file", Message: "import.file.row_too_long"}})
	case errors.Is(err, tablefile.ErrType):
		return healthcell.Invalid([]healthcell.FieldError{{Field: "file", Message: "import.file.type"}})
	}
	return err
}

// blank reports whether every cell is empty or white space.
func blank(cells []string) bool {
	for _, c := range cells {
		if c != "" && CleanText(c) != "" {
			return false
		}
	}
	return true
}
