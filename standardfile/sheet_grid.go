package standardfile

import (
	"bytes"
	"strings"
	"unicode"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/width"

	"github.com/healthcell/healthcell/tablefile"
)

// sheetGrid is one sheet: rows[i] is spreadsheet row i+1, cells trimmed.
type sheetGrid struct {
	name string
	rows [][]string
}

func (g *sheetGrid) empty() bool {
	for _, r := range g.rows {
		for _, c := range r {
			if c != "" {
				return false
			}
		}
	}
	return true
}

// sheetCell returns row[i], or "" when the column is absent.
func sheetCell(row []string, i int) string {
	if i < 0 || i >= len(row) {
		return ""
	}
	return row[i]
}

// sheetTrim trims spaces (full-width ones too), byte-order marks and
// zero-width spaces, and turns every line break into \n.
func sheetTrim(s string) string {
	if strings.ContainsRune(s, '\r') {
		s = strings.ReplaceAll(s, "\r\n", "\n")
		s = strings.ReplaceAll(s, "\r", "\n")
	}
	return strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == '\ufeff' || r == '\u200b'
	})
}

// sheetNorm normalizes a header or key text for matching: no spaces,
// half-width brackets and colons, lower case, no trailing colon.
func sheetNorm(s string) string {
	s = width.Narrow.String(s)
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '\ufeff' || r == '\u200b' {
			return -1
		}
		return unicode.ToLower(r)
	}, s)
	return strings.TrimRight(s, ":")
}

// sheetStripParen removes a trailing parenthesized note, as in 分值（分）.
func sheetStripParen(n string) string {
	if strings.HasSuffix(n, ")") {
		if i := strings.LastIndex(n, "("); i > 0 {
			return n[:i]
		}
	}
	return n
}

// sheetLookup finds a normalized text in m, also without a trailing note.
func sheetLookup[V any](m map[string]V, s string) (V, bool) {
	n := sheetNorm(s)
	if v, ok := m[n]; ok {
		return v, true
	}
	v, ok := m[sheetStripParen(n)]
	return v, ok
}

// sheetReadCSV decodes and splits a CSV file (see package tablefile).
func sheetReadCSV(data []byte) (*sheetGrid, error) {
	text, ok := tablefile.DecodeBytes(data)
	if !ok {
		// a binary file (a workbook renamed to .csv, UTF-16 text)
		return nil, sheetFileError("standard.file.unreadable", "")
	}
	r, err := tablefile.NewCSV(strings.NewReader(text))
	if err != nil {
		return nil, sheetFileError("standard.file.unreadable", "")
	}
	rows, err := tablefile.ReadAll(r, sheetMaxRows, sheetMaxCells)
	if err != nil {
		return nil, sheetFileError("standard.file.unreadable", "")
	}
	for _, row := range rows {
		for j, c := range row {
			c = sheetTrim(c)
			if strings.HasPrefix(c, "'") && tablefile.FormulaLike(c[1:]) {
				c = c[1:] // WriteCSV's guard against formula injection
			}
			row[j] = c
		}
	}
	return &sheetGrid{name: "csv", rows: rows}, nil
}

// sheetReadXLSX reads the sheets of a workbook: the 标准信息 sheet, if any,
// and the others, a sheet named 评分标准 first.
func sheetReadXLSX(data []byte) (info *sheetGrid, tables []*sheetGrid, err error) {
	defer func() {
		if recover() != nil { // a malformed workbook the library did not expect
			info, tables, err = nil, nil, sheetFileError("standard.file.unreadable", "")
		}
	}()
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit:    32 << 20,
		UnzipXMLSizeLimit: 16 << 20,
	})
	if err != nil {
		return nil, nil, sheetFileError("standard.file.unreadable", "")
	}
	defer f.Close()
	broken := false
	for _, name := range f.GetSheetList() {
		rows, err := f.GetRows(name)
		if err != nil { // a chart sheet, or a damaged one
			broken = true
			continue
		}
		if len(rows) > sheetMaxRows {
			return nil, nil, sheetFileError("standard.file.unreadable", "")
		}
		for _, row := range rows {
			for j := range row {
				row[j] = sheetTrim(row[j])
			}
		}
		g := &sheetGrid{name: name, rows: rows}
		switch strings.TrimSpace(name) {
		case sheetInfoName:
			info = g
		case sheetTableName:
			tables = append([]*sheetGrid{g}, tables...)
		default:
			tables = append(tables, g)
		}
	}
	if broken && len(tables) == 0 {
		return nil, nil, sheetFileError("standard.file.unreadable", "")
	}
	return info, tables, nil
}
