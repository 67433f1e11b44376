package tablefile

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"path"
	"strconv"
	"strings"
)

// XLSX streams the rows of the first worksheet of a workbook. It reads the
// sheet's XML with a small scanner of its own rather than encoding/xml,
// which is ten times slower on a million rows. Cells are read raw: a date
// is its serial number (45659), not text in the cell's display format, and
// a number keeps the text Excel stored (an ID number typed into a number
// cell shows up as 5.10824199001011E+17).
type XLSX struct {
	zc    *zip.ReadCloser // when opened from a path
	sheet io.ReadCloser
	sc    *xmlScanner
	sst   []string
	row   int // the row number of the row returned last
	next  int // the row number of the row read ahead, 0 when none
	ahead []string
	cells []string
	done  bool
	Sheet string // the sheet being read
}

// OpenXLSX opens the first worksheet of the workbook at path. It returns
// ErrUnreadable for a file that is not a workbook or has no worksheet, and
// the error of opening the file (missing, not allowed) as it is.
func OpenXLSX(p string) (*XLSX, error) {
	if _, err := os.Stat(p); err != nil {
		return nil, err
	}
	zc, err := zip.OpenReader(p)
	if err != nil {
		return nil, ErrUnreadable
	}
	x, err := openXLSX(&zc.Reader)
	if err != nil {
		zc.Close()
		return nil, err
	}
	x.zc = zc
	return x, nil
}

// NewXLSX reads the first worksheet of the workbook in r, held in memory;
// for large files prefer OpenXLSX. It returns ErrUnreadable as OpenXLSX does,
// or the error of reading r.
func NewXLSX(r io.Reader) (*XLSX, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, ErrUnreadable
	}
	return openXLSX(zr)
}

// maxSharedStrings bounds the shared string table a workbook may declare.
const maxSharedStrings = 20 << 20

func openXLSX(zr *zip.Reader) (*XLSX, error) {
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[strings.TrimPrefix(f.Name, "/")] = f
	}
	name, target, err := firstSheet(files)
	if err != nil {
		return nil, err
	}
	x := &XLSX{Sheet: name}
	if f := files["xl/sharedStrings.xml"]; f != nil {
		if x.sst, err = readSharedStrings(f); err != nil {
			return nil, err
		}
	}
	f := files[target]
	if f == nil {
		return nil, ErrUnreadable
	}
	rc, err := f.Open()
	if err != nil {
		return nil, ErrUnreadable
	}
	x.sheet, x.sc = rc, newXMLScanner(rc)
	return x, nil
}

// firstSheet finds the name and the part of the first worksheet listed in
// the workbook.
func firstSheet(files map[string]*zip.File) (name, target string, err error) {
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
			Type   string `xml:"Type,attr"`
		} `xml:"Relationship"`
	}
	if err := decodePart(files["xl/workbook.xml"], &wb); err != nil {
		return "", "", err
	}
	if err := decodePart(files["xl/_rels/workbook.xml.rels"], &rels); err != nil {
		return "", "", err
	}
	for _, s := range wb.Sheets {
		for _, r := range rels.Rels {
			if r.ID != s.RID || !strings.HasSuffix(r.Type, "/worksheet") {
				continue
			}
			t := r.Target
			if strings.HasPrefix(t, "/") {
				t = strings.TrimPrefix(t, "/")
			} else {
				t = path.Join("xl", t)
			}
			if files[t] != nil {
				return s.Name, t, nil
			}
		}
	}
	return "", "", ErrUnreadable
}

// decodePart decodes a small XML part; a missing or broken one is
// ErrUnreadable.
func decodePart(f *zip.File, v any) error {
	if f == nil || f.UncompressedSize64 > 16<<20 {
		return ErrUnreadable
	}
	rc, err := f.Open()
	if err != nil {
		return ErrUnreadable
	}
	defer rc.Close()
	if err := xml.NewDecoder(rc).Decode(v); err != nil {
		return ErrUnreadable
	}
	return nil
}

// readSharedStrings reads the workbook's shared strings: the text of each
// <si>, its runs joined, phonetic guides (<rPh>) left out.
func readSharedStrings(f *zip.File) ([]string, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, ErrUnreadable
	}
	defer rc.Close()
	sc := newXMLScanner(rc)
	var out []string
	var text strings.Builder
	inT, phonetic := false, 0
	for {
		tok, err := sc.next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, ErrUnreadable
		}
		switch {
		case tok.kind == tokText:
			if inT && phonetic == 0 {
				text.WriteString(tok.text)
			}
		case tok.name == "si":
			if tok.kind == tokEnd {
				out = append(out, text.String())
				if len(out) > maxSharedStrings {
					return nil, ErrUnreadable
				}
			} else if tok.kind == tokSelf {
				out = append(out, "")
			}
			text.Reset()
		case tok.name == "t":
			inT = tok.kind == tokStart
		case tok.name == "rPh":
			if tok.kind == tokStart {
				phonetic++
			} else if tok.kind == tokEnd && phonetic > 0 {
				phonetic--
			}
		}
	}
}

// Next returns the next row (see Reader); rows missing from the sheet come
// back empty. It returns ErrUnreadable for damaged sheet data.
func (x *XLSX) Next() ([]string, error) {
	if x.next == 0 && !x.done {
		if err := x.readRow(); err != nil {
			return nil, err
		}
	}
	if x.next == 0 {
		return nil, io.EOF
	}
	x.row++
	if x.row < x.next { // a row the sheet leaves out
		return x.cells[:0], nil
	}
	x.next = 0
	x.cells, x.ahead = x.ahead, x.cells
	return x.cells, nil
}

// readRow reads the next <row> into ahead and its number into next, or
// sets done at the end of the sheet data.
func (x *XLSX) readRow() error {
	var (
		col    = -1 // the cell's column, 0-based
		typ    string
		val    strings.Builder
		inV    bool
		inT    bool
		inCell bool
		rowNum int
	)
	x.ahead = x.ahead[:0]
	for {
		tok, err := x.sc.next()
		if err == io.EOF {
			x.done = true
			return nil
		}
		if err != nil {
			return ErrUnreadable
		}
		switch tok.kind {
		case tokText:
			if inCell && (inV || inT) {
				val.WriteString(tok.text)
			}
			continue
		}
		switch tok.name {
		case "row":
			switch tok.kind {
			case tokStart, tokSelf:
				rowNum = x.row + 1
				if r, ok := tok.attr("r"); ok {
					n, err := strconv.Atoi(r)
					if err != nil || n <= x.row || n > 1<<21 {
						return ErrUnreadable
					}
					rowNum = n
				}
				if tok.kind == tokSelf {
					x.next = rowNum
					return nil
				}
			case tokEnd:
				if rowNum == 0 {
					return ErrUnreadable
				}
				x.next = rowNum
				return nil
			}
		case "c":
			if tok.kind == tokEnd {
				x.setCell(col, typ, val.String())
				inCell = false
				continue
			}
			col = len(x.ahead)
			if r, ok := tok.attr("r"); ok {
				c := columnIndex(r)
				if c < 0 || c < len(x.ahead) {
					return ErrUnreadable
				}
				col = c
			}
			typ, _ = tok.attr("t")
			val.Reset()
			if tok.kind == tokSelf {
				x.setCell(col, typ, "")
				continue
			}
			inCell = true
		case "v":
			inV = tok.kind == tokStart
		case "t":
			inT = tok.kind == tokStart
		case "sheetData":
			if tok.kind == tokEnd {
				x.done = true
				return nil
			}
		}
	}
}

// maxColumns bounds a row's width (Excel's own limit is 16,384).
const maxColumns = 16384

// setCell stores a cell's value, padding the row with empty cells up to it.
func (x *XLSX) setCell(col int, typ, v string) {
	if col < 0 || col >= maxColumns {
		return
	}
	for len(x.ahead) < col {
		x.ahead = append(x.ahead, "")
	}
	if typ == "s" {
		i, err := strconv.Atoi(v)
		if err != nil || i < 0 || i >= len(x.sst) {
			v = ""
		} else {
			v = x.sst[i]
		}
	}
	x.ahead = append(x.ahead, v)
}

// columnIndex returns the 0-based column of a cell reference such as "AB12",
// or -1 when it has no letters.
func columnIndex(ref string) int {
	n := 0
	i := 0
	for ; i < len(ref) && ref[i] >= 'A' && ref[i] <= 'Z'; i++ {
		n = n*26 + int(ref[i]-'A') + 1
		if n > maxColumns {
			return -1
		}
	}
	if i == 0 {
		return -1
	}
	return n - 1
}

// Row returns the row number of the row Next returned last.
func (x *XLSX) Row() int { return x.row }

// Close releases the workbook.
func (x *XLSX) Close() error {
	x.sheet.Close()
	if x.zc != nil {
		return x.zc.Close()
	}
	return nil
}

// Token kinds of xmlScanner.
const (
	tokStart = iota
	tokEnd
	tokSelf
	tokText
)

type xmlToken struct {
	kind  int
	name  string // local name, without prefix
	attrs string // the raw attribute text of a start tag
	text  string // unescaped, for text
}

// attr returns the value of the attribute name (local name) of a start tag.
func (t *xmlToken) attr(name string) (string, bool) {
	s := t.attrs
	for {
		i := strings.Index(s, name+"=")
		if i < 0 {
			return "", false
		}
		if i > 0 && s[i-1] != ' ' && s[i-1] != ':' && s[i-1] != '\t' && s[i-1] != '\n' && s[i-1] != '\r' {
			s = s[i+len(name)+1:]
			continue
		}
		rest := s[i+len(name)+1:]
		if len(rest) == 0 || (rest[0] != '"' && rest[0] != '\'') {
			return "", false
		}
		end := strings.IndexByte(rest[1:], rest[0])
		if end < 0 {
			return "", false
		}
		return unescapeXML(rest[1 : 1+end]), true
	}
}

// xmlScanner splits XML into tags and text, without validating it: enough
// for the parts of a workbook. Comments, processing instructions and
// declarations are skipped; CDATA is text.
type xmlScanner struct {
	br  *bufio.Reader
	buf []byte
}

func newXMLScanner(r io.Reader) *xmlScanner {
	return &xmlScanner{br: bufio.NewReaderSize(r, 256<<10)}
}

// maxXMLToken bounds a tag or a text (a cell of Excel holds 32,767 characters).
const maxXMLToken = 4 << 20

func (s *xmlScanner) next() (xmlToken, error) {
	for {
		c, err := s.br.ReadByte()
		if err != nil {
			return xmlToken{}, err
		}
		if c != '<' {
			s.br.UnreadByte()
			text, err := s.until('<')
			if err != nil && err != io.EOF {
				return xmlToken{}, err
			}
			if err == nil {
				s.br.UnreadByte()
			}
			return xmlToken{kind: tokText, text: unescapeXML(text)}, nil
		}
		raw, err := s.until('>')
		if err != nil {
			return xmlToken{}, err
		}
		raw = raw[:len(raw)-1]
		if strings.HasPrefix(raw, "![CDATA[") {
			for !strings.HasSuffix(raw, "]]") {
				more, err := s.until('>')
				if err != nil {
					return xmlToken{}, err
				}
				raw += ">" + more[:len(more)-1]
				if len(raw) > maxXMLToken {
					return xmlToken{}, ErrUnreadable
				}
			}
			return xmlToken{kind: tokText, text: raw[8 : len(raw)-2]}, nil
		}
		if strings.HasPrefix(raw, "!--") {
			for !strings.HasSuffix(raw, "--") {
				more, err := s.until('>')
				if err != nil {
					return xmlToken{}, err
				}
				raw += ">" + more[:len(more)-1]
				if len(raw) > maxXMLToken {
					return xmlToken{}, ErrUnreadable
				}
			}
			continue
		}
		if raw == "" || raw[0] == '?' || raw[0] == '!' {
			continue
		}
		t := xmlToken{kind: tokStart}
		if raw[0] == '/' {
			t.kind, raw = tokEnd, raw[1:]
		} else if strings.HasSuffix(raw, "/") {
			t.kind, raw = tokSelf, raw[:len(raw)-1]
		}
		name := raw
		if i := strings.IndexAny(raw, " \t\r\n"); i >= 0 {
			name, t.attrs = raw[:i], raw[i+1:]
		}
		if i := strings.IndexByte(name, ':'); i >= 0 {
			name = name[i+1:]
		}
		t.name = name
		return t, nil
	}
}

// until reads up to and including delim (not included in the text of a
// text token: the caller unreads it); ErrUnreadable beyond maxXMLToken.
func (s *xmlScanner) until(delim byte) (string, error) {
	s.buf = s.buf[:0]
	for {
		chunk, err := s.br.ReadSlice(delim)
		s.buf = append(s.buf, chunk...)
		if len(s.buf) > maxXMLToken {
			return "", ErrUnreadable
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil {
			return string(s.buf), err
		}
		if delim == '<' {
			return string(s.buf[:len(s.buf)-1]), nil
		}
		return string(s.buf), nil
	}
}

// unescapeXML replaces the predefined entities and character references.
func unescapeXML(s string) string {
	if strings.IndexByte(s, '&') < 0 {
		return s
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '&')
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		s = s[i:]
		j := strings.IndexByte(s, ';')
		if j < 0 {
			b.WriteString(s)
			return b.String()
		}
		ent := s[1:j]
		switch {
		case ent == "amp":
			b.WriteByte('&')
		case ent == "lt":
			b.WriteByte('<')
		case ent == "gt":
			b.WriteByte('>')
		case ent == "quot":
			b.WriteByte('"')
		case ent == "apos":
			b.WriteByte('\'')
		case strings.HasPrefix(ent, "#x"):
			if n, err := strconv.ParseUint(ent[2:], 16, 32); err == nil {
				b.WriteRune(rune(n))
			}
		case strings.HasPrefix(ent, "#"):
			if n, err := strconv.ParseUint(ent[1:], 10, 32); err == nil {
				b.WriteRune(rune(n))
			}
		default:
			b.WriteString(s[:j+1])
		}
		s = s[j+1:]
	}
}
