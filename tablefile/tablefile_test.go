package tablefile_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/healthcell/healthcell/tablefile"
)

var table = [][]string{{"姓名", "身份证号", "金额"}, {"张三", "510824194912310021", "0012.50"}, {"李四", "51082419750203001X", ""}}

func TestCSV(t *testing.T) {
	var buf bytes.Buffer
	w, err := tablefile.NewWriter(&buf, tablefile.CSV, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range table {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("\xEF\xBB\xBF")) {
		t.Errorf("no BOM")
	}
	got, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\uFEFF"))).ReadAll()
	if err != nil || len(got) != 3 || got[1][1] != table[1][1] {
		t.Errorf("read back %v %v", got, err)
	}
}

func TestXLSXKeepsText(t *testing.T) {
	var buf bytes.Buffer
	w, err := tablefile.NewWriter(&buf, tablefile.XLSX, "体检")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range table {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("体检")
	if err != nil || len(rows) != 3 || rows[1][1] != "510824194912310021" || rows[1][2] != "0012.50" || rows[2][1] != "51082419750203001X" {
		t.Errorf("rows %v %v", rows, err)
	}
	if typ, _ := f.GetCellType("体检", "B2"); typ == excelize.CellTypeNumber {
		t.Errorf("the ID number is a number cell")
	}
}

func TestFormat(t *testing.T) {
	for in, want := range map[string]string{"a.csv": "csv", "A.CSV": "csv", "a.xlsx": "xlsx", "a": "xlsx"} {
		if got := tablefile.FormatOf(in); got != want {
			t.Errorf("FormatOf(%q) = %q", in, got)
		}
	}
	if _, err := tablefile.NewWriter(&bytes.Buffer{}, "pdf", ""); err == nil {
		t.Errorf("pdf accepted")
	}
}
