package tablefile

import (
	"bufio"
	"bytes"
	"io"
)

// MaxRowBytes is the longest CSV record accepted, quoted line breaks
// included.
const MaxRowBytes = 1 << 20

// CSV reads RFC 4180 text leniently: a quote inside an unquoted field is
// kept as a character, a quoted field may span lines (and is still one
// row), and a blank line is an empty row. Lines end with \n, \r\n or \r.
type CSV struct {
	br       *bufio.Reader
	row      int
	cells    []string
	rec      []byte // the current record, quotes resolved
	ends     []int  // end offsets of the fields in rec
	closer   io.Closer
	Encoding Encoding // as detected by Decode
}

// NewCSV returns a reader of the CSV text in r, decoded as Decode does. It
// returns an error only when reading r fails.
func NewCSV(r io.Reader) (*CSV, error) {
	text, enc, err := Decode(r)
	if err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(text, 64<<10)
	if head, _ := br.Peek(64 << 10); crLines(head) {
		br = bufio.NewReaderSize(crReader{br}, 64<<10)
	}
	return &CSV{br: br, Encoding: enc}, nil
}

// Row returns the row number of the record Next returned last.
func (c *CSV) Row() int { return c.row }

// Close closes the underlying file, when Open opened it.
func (c *CSV) Close() error {
	if c.closer != nil {
		return c.closer.Close()
	}
	return nil
}

// Next returns the next record (see Reader), io.EOF at the end, ErrTooLong
// for a record over MaxRowBytes, or the error of reading.
func (c *CSV) Next() ([]string, error) {
	c.rec, c.ends = c.rec[:0], c.ends[:0]
	inQuotes, quoted, any := false, false, false
	fieldStart := 0
	for {
		line, err := c.br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			err = nil
		}
		if len(line) == 0 && err != nil {
			if err == io.EOF && (any || inQuotes) {
				break // last record without a line break
			}
			return nil, err
		}
		any = true
		// Fast path: a whole line without quotes.
		if !inQuotes && len(c.rec) == 0 && len(c.ends) == 0 && bytes.IndexByte(line, '"') < 0 {
			if body, ok := lineBody(line); ok {
				if i := bytes.IndexByte(body, '\r'); i < 0 {
					return c.split(body), nil
				}
			}
		}
		done := false
		for i := 0; i < len(line) && !done; i++ {
			b := line[i]
			if inQuotes {
				if b == '"' {
					if i+1 < len(line) && line[i+1] == '"' {
						c.rec = append(c.rec, '"')
						i++
					} else if i+1 == len(line) {
						// The closing quote may be followed by a second
						// quote in the next buffer; peek.
						if nb, _ := c.br.Peek(1); len(nb) == 1 && nb[0] == '"' {
							c.br.Discard(1)
							c.rec = append(c.rec, '"')
						} else {
							inQuotes = false
						}
					} else {
						inQuotes = false
					}
					continue
				}
				c.rec = append(c.rec, b)
				continue
			}
			switch b {
			case '"':
				if len(c.rec) == fieldStart && !quoted {
					inQuotes, quoted = true, true
				} else {
					c.rec = append(c.rec, b)
				}
			case ',':
				c.ends = append(c.ends, len(c.rec))
				fieldStart, quoted = len(c.rec), false
			case '\r':
				if i+1 < len(line) && line[i+1] == '\n' {
					i++
				} else if i+1 == len(line) {
					if nb, _ := c.br.Peek(1); len(nb) == 1 && nb[0] == '\n' {
						c.br.Discard(1)
					}
				} else {
					c.rec = append(c.rec, b) // a lone \r inside a line is data
					continue
				}
				done = true
			case '\n':
				done = true
			default:
				c.rec = append(c.rec, b)
			}
		}
		if len(c.rec) > MaxRowBytes {
			return nil, ErrTooLong
		}
		if done {
			break
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	c.ends = append(c.ends, len(c.rec))
	c.row++
	s := string(c.rec)
	c.cells = c.cells[:0]
	start := 0
	for _, e := range c.ends {
		c.cells = append(c.cells, s[start:e])
		start = e
	}
	return c.cells, nil
}

// lineBody returns line without its \n or \r\n ending; false when the line
// has no ending (it is the last one, or longer than the buffer).
func lineBody(line []byte) ([]byte, bool) {
	n := len(line)
	if n == 0 || line[n-1] != '\n' {
		return nil, false
	}
	n--
	if n > 0 && line[n-1] == '\r' {
		n--
	}
	return line[:n], true
}

// split cuts an unquoted line at its commas.
func (c *CSV) split(body []byte) []string {
	c.row++
	s := string(body)
	c.cells = c.cells[:0]
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == ',' {
			c.cells = append(c.cells, s[start:i])
			start = i + 1
		}
	}
	c.cells = append(c.cells, s[start:])
	return c.cells
}

// crReader turns every \r into \n, for files whose lines end with a lone
// \r (Excel for Mac's "CSV (Macintosh)").
type crReader struct{ r io.Reader }

func (c crReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i := range p[:n] {
		if p[i] == '\r' {
			p[i] = '\n'
		}
	}
	return n, err
}

// crLines reports whether the first line break in head is a lone \r.
func crLines(head []byte) bool {
	i := bytes.IndexAny(head, "\r\n")
	return i >= 0 && head[i] == '\r' && (i+1 >= len(head) || head[i+1] != '\n')
}
