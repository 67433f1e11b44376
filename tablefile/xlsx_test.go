package tablefile

import (
	"bytes"
	"io"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestXLSXGaps checks that rows missing from the sheet come back empty, so
// that row numbers are Excel's.
func TestXLSXGaps(t *testing.T) {
	f := excelize.NewFile()
	f.SetCellStr("Sheet1", "A1", "h")
	f.SetCellStr("Sheet1", "B4", "x")
	f.SetCellDefault("Sheet1", "A5", "45659")
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	r, err := NewXLSX(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	want := []string{"h", "", "", "|x", "45659"}
	for i, w := range want {
		row, err := r.Next()
		if err != nil {
			t.Fatalf("row %d: %v", i+1, err)
		}
		got := ""
		for j, c := range row {
			if j > 0 {
				got += "|"
			}
			got += c
		}
		if got != w || r.Row() != i+1 {
			t.Errorf("row %d (%d) = %q, want %q", i+1, r.Row(), got, w)
		}
	}
	if _, err := r.Next(); err != io.EOF {
		t.Errorf("after the last row: %v", err)
	}
}

// FuzzXLSX feeds damaged workbooks to the reader: it must return an error
// or rows, never panic.
func FuzzXLSX(f *testing.F) {
	wb := excelize.NewFile()
	wb.SetCellStr("Sheet1", "A1", "姓名")
	wb.SetCellStr("Sheet1", "A2", "张三")
	var buf bytes.Buffer
	wb.Write(&buf)
	f.Add(buf.Bytes())
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewXLSX(bytes.NewReader(data))
		if err != nil {
			return
		}
		defer r.Close()
		for range 10000 {
			if _, err := r.Next(); err != nil {
				return
			}
		}
	})
}

// FuzzXLSXSheet feeds arbitrary sheet XML to the row scanner: it must
// return rows or an error, never panic, and number rows without gaps.
func FuzzXLSXSheet(f *testing.F) {
	for _, s := range []string{
		`<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="inlineStr"><is><t>x&amp;y</t></is></c></row><row r="3"/></sheetData></worksheet>`,
		`<row><c><v>1</v></c></row><row r="2"><c r="ZZZZ2"/></row>`,
		`<![CDATA[<row>]]><!-- c --><row r="1"><c t="b"><f>1</f><v>1</v></c></row>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		x := &XLSX{sc: newXMLScanner(bytes.NewReader(data)), sst: []string{"a"}, sheet: io.NopCloser(nil)}
		for n := 1; n < 100000; n++ {
			_, err := x.Next()
			if err != nil {
				return
			}
			if x.Row() != n {
				t.Fatalf("row %d numbered %d", n, x.Row())
			}
		}
	})
}
