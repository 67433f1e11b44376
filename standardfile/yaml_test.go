package standardfile_test

import (
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/catalog/standards"
	"github.com/healthcell/healthcell/standardfile"
)

const yamlShippedDir = "../catalog/standards"

// yamlShipped returns the shipped standard files by name, in name order.
func yamlShipped(t testing.TB) (names []string, data map[string][]byte) {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(yamlShippedDir, "*.yaml"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no shipped standards in %s (%v)", yamlShippedDir, err)
	}
	data = map[string][]byte{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, filepath.Base(p))
		data[filepath.Base(p)] = b
	}
	return names, data
}

// yamlReadmeNames returns the backquoted names in the README's table rows
// that follow a heading containing heading.
func yamlReadmeNames(t *testing.T, heading string) map[string]bool {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(yamlShippedDir, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	in := false
	re := regexp.MustCompile("^\\| `([a-z0-9_]+)`")
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "#") {
			in = strings.Contains(line, heading)
			continue
		}
		if m := re.FindStringSubmatch(line); in && m != nil {
			out[m[1]] = true
		}
	}
	if len(out) == 0 {
		t.Fatalf("README.md lists no names under a heading with %q", heading)
	}
	return out
}

// TestShippedStandards is the catalog's Done-when: every shipped file loads,
// its items add up to its total, it names its source and issuer, codes are
// unique, and every indicator and activity it uses is documented.
func TestShippedStandards(t *testing.T) {
	names, data := yamlShipped(t)
	indicators := yamlReadmeNames(t, "Indicators")
	activities := yamlReadmeNames(t, "Activities")
	codes := map[string]string{}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			s, err := standardfile.ParseYAML(bytes.NewReader(data[name]))
			if err != nil {
				t.Fatalf("ParseYAML: %v", err)
			}
			if s.ItemMax() != s.TotalPoints {
				t.Errorf("items add up to %v, total_points is %v", s.ItemMax(), s.TotalPoints)
			}
			if s.TotalPoints <= 0 || s.PassScore <= 0 || s.PassScore > s.TotalPoints {
				t.Errorf("total %v, pass %v", s.TotalPoints, s.PassScore)
			}
			if strings.TrimSpace(s.Source) == "" || strings.TrimSpace(s.Issuer) == "" {
				t.Errorf("source %q, issuer %q: both are required of a shipped standard", s.Source, s.Issuer)
			}
			if want := strings.TrimSuffix(name, ".yaml"); s.Code != want {
				t.Errorf("code %q in file %s", s.Code, name)
			}
			if prev, dup := codes[s.Code]; dup {
				t.Errorf("code %q already used by %s", s.Code, prev)
			}
			codes[s.Code] = name
			defaults := 0
			for _, it := range s.Items {
				if it.Default {
					defaults++
				}
				if it.Indicator != "" && !indicators[it.Indicator] {
					t.Errorf("item %s: indicator %q is not listed in README.md", it.Code, it.Indicator)
				}
				if it.Method == healthcell.MethodCount && !activities[it.Activity] {
					t.Errorf("item %s: activity %q is not listed in README.md", it.Code, it.Activity)
				}
				if it.Veto && it.Bonus {
					t.Errorf("item %s is both veto and bonus", it.Code)
				}
			}
			if defaults > 0 && !strings.Contains(s.Notes, "default") {
				t.Errorf("%d items are marked default but the notes do not say so", defaults)
			}
		})
	}

	std, err := standards.Shipped()
	if err != nil {
		t.Fatalf("standards.Shipped: %v", err)
	}
	var got []string
	for _, s := range std {
		got = append(got, s.Code+".yaml")
	}
	if !reflect.DeepEqual(got, names) {
		t.Errorf("standards.Shipped gives %v, the directory holds %v", got, names)
	}
}

const yamlBase = `code: t
name: 测试标准
cell_type: 健康村
unit_kind: village
issuer: 测试机关
source: 测试文件
total_points: 10
pass_score: 6
regions: [东, 西]
levels:
  - {name: 合格, min: 6}
  - {name: 优秀, min: 9}
sections:
  - name: 一
    items:
      - code: "1"
        text: 甲
        points: 4
        method: yes
  - name: 二
    subsections:
      - name: 二甲
        items:
          - code: "2"
            text: 乙
            points: 6
            method: egt
            indicator: knowledge_rate
            target: 90
`

// yamlLine returns the 1-based line of the n-th (1-based) line of doc
// containing sub, failing when there is none.
func yamlLine(t *testing.T, doc, sub string, n int) int {
	t.Helper()
	for i, l := range strings.Split(doc, "\n") {
		if strings.Contains(l, sub) {
			if n--; n == 0 {
				return i + 1
			}
		}
	}
	t.Fatalf("no line %d containing %q in\n%s", n, sub, doc)
	return 0
}

func yamlReplace(t *testing.T, doc, old, new string) string {
	t.Helper()
	if !strings.Contains(doc, old) {
		t.Fatalf("%q is not in the document", old)
	}
	return strings.Replace(doc, old, new, 1)
}

func TestParseYAMLErrors(t *testing.T) {
	type want struct {
		field, msg string
		line       string // the line the error points at: its text, its occurrence
		nth        int    // 0 for Row 0
		value      string // checked when set
	}
	cases := []struct {
		name string
		doc  func(t *testing.T) string
		want want
	}{
		{"unknown item key", func(t *testing.T) string {
			return yamlReplace(t, yamlBase, "        method: yes\n", "        method: yes\n        colour: red\n")
		}, want{"yaml", "standard.yaml.syntax", "colour: red", 1, "field colour not found"}},
		{"unknown top-level key", func(t *testing.T) string {
			return yamlReplace(t, yamlBase, "pass_score: 6\n", "pass_score: 6\ntitle: 标题\n")
		}, want{"yaml", "standard.yaml.syntax", "title:", 1, ""}},
		{"bad method", func(t *testing.T) string {
			return yamlReplace(t, yamlBase, "method: yes", "method: maybe")
		}, want{"method", "standard.method.unknown", "method: maybe", 1, "maybe"}},
		{"egt without indicator", func(t *testing.T) string {
			return yamlReplace(t, yamlBase, "            indicator: knowledge_rate\n", "")
		}, want{"indicator", "standard.indicator.missing", `- code: "2"`, 1, ""}},
		{"egt without target", func(t *testing.T) string {
			return yamlReplace(t, yamlBase, "            target: 90\n", "")
		}, want{"target", "standard.target.missing", `- code: "2"`, 1, ""}},
		{"duplicate item code", func(t *testing.T) string {
			return yamlReplace(t, yamlBase, `- code: "2"`, `- code: "1"`)
		}, want{"code", "standard.item.duplicate", `code: "1"`, 2, "1 (16)"}},
		{"points not a number", func(t *testing.T) string {
			return yamlReplace(t, yamlBase, "points: 6", "points: six")
		}, want{"yaml", "standard.yaml.syntax", "points: six", 1, ""}},
		{"points missing", func(t *testing.T) string {
			return yamlReplace(t, yamlBase, "        points: 4\n", "")
		}, want{"points", "standard.points.missing", `- code: "1"`, 1, "1"}},
		{"negative points", func(t *testing.T) string {
			return yamlReplace(t, yamlBase, "points: 4", "points: -4")
		}, want{"points", "standard.points.negative", "points: -4", 1, "-4"}},
		{"points not finite", func(t *testing.T) string {
			return yamlReplace(t, yamlBase, "points: 4", "points: .nan")
		}, want{"points", "standard.number.invalid", "points: .nan", 1, ""}},
		{"graded without grades", func(t *testing.T) string {
			return yamlReplace(t, yamlBase, "method: yes", "method: graded")
		}, want{"grades", "standard.grades.missing", `- code: "1"`, 1, ""}},
		{"grade above the item's points", func(t *testing.T) string {
			return yamlReplace(t, yamlBase, "method: yes", "method: graded\n        grades: [{label: 好, points: 5}]")
		}, want{"grades", "standard.grades.points", "grades:", 1, "好=5"}},
		{"count without activity", func(t *testing.T) string {
			return yamlReplace(t, yamlBase, "method: yes", "method: count\n        min_count: 2")
		}, want{"activity", "standard.activity.missing", `- code: "1"`, 1, ""}},
		{"target of an unknown region", func(t *testing.T) string {
			return yamlReplace(t, yamlBase, "target: 90", "targets: {东: 90, 北: 80}")
		}, want{"targets", "standard.region.unknown", "targets:", 1, "北"}},
		{"total mismatch", func(t *testing.T) string {
			return yamlReplace(t, yamlBase, "total_points: 10", "total_points: 12")
		}, want{"total_points", "standard.total.mismatch", "total_points:", 1, "10 ≠ 12"}},
		{"pass above the total", func(t *testing.T) string {
			return yamlReplace(t, yamlBase, "pass_score: 6", "pass_score: 11")
		}, want{"pass_score", "standard.pass.too_high", "pass_score:", 1, ""}},
		{"bad unit kind", func(t *testing.T) string {
			return yamlReplace(t, yamlBase, "unit_kind: village", "unit_kind: 村")
		}, want{"unit_kind", "standard.unit_kind.invalid", "unit_kind:", 1, "村"}},
		{"levels out of order", func(t *testing.T) string {
			return yamlReplace(t, yamlBase, "min: 9", "min: 5")
		}, want{"levels", "standard.levels.order", "优秀", 1, "优秀"}},
		{"section without a name", func(t *testing.T) string {
			return yamlReplace(t, yamlBase, "  - name: 一\n", "  - name: \"\"\n")
		}, want{"section", "field.required", `name: ""`, 1, ""}},
		{"section with items and subsections", func(t *testing.T) string {
			return yamlReplace(t, yamlBase, "  - name: 一\n    items:", "  - name: 一\n    subsections: []\n    items:")
		}, want{"yaml", "standard.yaml.syntax", "name: 一", 1, ""}},
		{"missing name", func(t *testing.T) string {
			return yamlReplace(t, yamlBase, "name: 测试标准\n", "")
		}, want{"name", "field.required", "", 0, ""}},
		{"syntax error", func(t *testing.T) string {
			return yamlReplace(t, yamlBase, "name: 测试标准", "name: 测试标准\n  oops: [")
		}, want{"yaml", "standard.yaml.syntax", "oops", 1, ""}},
		{"duplicate key", func(t *testing.T) string {
			return yamlReplace(t, yamlBase, "        text: 甲\n", "        text: 甲\n        text: 丙\n")
		}, want{"yaml", "standard.yaml.syntax", "text: 丙", 1, ""}},
		{"not a mapping", func(t *testing.T) string { return "- a\n- b\n" },
			want{"yaml", "standard.yaml.syntax", "- a", 1, ""}},
		{"two documents", func(t *testing.T) string { return yamlBase + "---\ncode: u\n" },
			want{"yaml", "standard.yaml.syntax", "---", 1, "more than one YAML document"}},
		{"empty", func(t *testing.T) string { return "# nothing\n\n" },
			want{"yaml", "standard.file.empty", "", 0, ""}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc := tc.doc(t)
			s, err := standardfile.ParseYAML(strings.NewReader(doc))
			if err == nil {
				t.Fatalf("no error; got %+v", s)
			}
			var he *healthcell.Error
			if !errors.As(err, &he) || he.Code != healthcell.EINVALID {
				t.Fatalf("error %v is not an EINVALID *healthcell.Error", err)
			}
			wantRow := 0
			if tc.want.nth > 0 {
				wantRow = yamlLine(t, doc, tc.want.line, tc.want.nth)
			}
			for _, f := range he.Fields {
				if f.Field == tc.want.field && f.Message == tc.want.msg {
					if f.Row != wantRow {
						t.Errorf("%s %s: row %d, want %d (%q)", f.Field, f.Message, f.Row, wantRow, tc.want.line)
					}
					if tc.want.value != "" && !strings.Contains(f.Value, tc.want.value) {
						t.Errorf("%s %s: value %q, want %q", f.Field, f.Message, f.Value, tc.want.value)
					}
					return
				}
			}
			t.Errorf("no field error %s %s in %+v", tc.want.field, tc.want.msg, he.Fields)
		})
	}
}

func TestParseYAMLBase(t *testing.T) {
	s, err := standardfile.ParseYAML(strings.NewReader(yamlBase))
	if err != nil {
		t.Fatal(err)
	}
	want := []healthcell.Item{
		{Code: "1", Section: "一", Text: "甲", Points: 4, Method: "yes"},
		{Code: "2", Section: "二", Subsection: "二甲", Text: "乙", Points: 6, Method: "egt", Indicator: "knowledge_rate", Target: 90},
	}
	if !reflect.DeepEqual(s.Items, want) {
		t.Errorf("items\n%+v\nwant\n%+v", s.Items, want)
	}
	if !reflect.DeepEqual(s.Regions, []string{"东", "西"}) || len(s.Levels) != 2 || s.Levels[1] != (healthcell.Level{Name: "优秀", Min: 9}) {
		t.Errorf("regions %v levels %v", s.Regions, s.Levels)
	}
}

// yamlRoundTrip writes s, reads it back and checks that nothing changed and
// that writing again gives the same text.
func yamlRoundTrip(t testing.TB, s *healthcell.Standard) {
	t.Helper()
	var out bytes.Buffer
	if err := standardfile.WriteYAML(&out, s); err != nil {
		t.Fatalf("WriteYAML: %v", err)
	}
	back, err := standardfile.ParseYAML(bytes.NewReader(out.Bytes()))
	if err != nil {
		t.Fatalf("ParseYAML of WriteYAML's output: %v\n%s", err, out.String())
	}
	if !reflect.DeepEqual(back, s) {
		t.Fatalf("round trip changed the standard\nbefore %+v\nafter  %+v\n%s", s, back, out.String())
	}
	var again bytes.Buffer
	if err := standardfile.WriteYAML(&again, back); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again.Bytes(), out.Bytes()) {
		t.Fatalf("writing twice differs\n%s\n---\n%s", out.String(), again.String())
	}
}

func TestWriteYAMLRoundTrip(t *testing.T) {
	names, data := yamlShipped(t)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			s, err := standardfile.ParseYAML(bytes.NewReader(data[name]))
			if err != nil {
				t.Fatal(err)
			}
			yamlRoundTrip(t, s)
		})
	}

	t.Run("awkward values", func(t *testing.T) {
		s := &healthcell.Standard{
			Code: "awkward", Name: "yes", CellType: "123", UnitKind: "village",
			Issuer: "null", Source: "a: b # c", Notes: "第一行\n第二行\n",
			TotalPoints: 10.5, PassScore: 0.5, VetoMinRate: 0.75, ReviewYears: 3,
			Regions: []string{"西", "东"},
			Levels:  []healthcell.Level{{Name: "true", Min: 1e-7}, {Name: "金", Min: 1}},
			Items: []healthcell.Item{
				{Code: "01", Section: "甲", Text: "- dash", Points: 2.5, Method: "no", Veto: true},
				{Code: "1.10", Section: "甲", Subsection: "甲一", Text: "'quoted' \"both\"", Points: 3, Method: "graded",
					Grades: []healthcell.Grade{{Label: "好", Points: 3}, {Label: "~", Points: 0}}},
				{Code: "x", Section: "甲", Text: "back to no subsection", Points: 0, Method: "count", Activity: "lecture", MinCount: 4, Default: true},
				{Code: "y", Section: "乙", Subsection: "乙一", Text: "tab\there\r\n", Points: 5, Method: "egt", Indicator: "tap_water_rate",
					Targets: map[string]float64{"东": 95, "西": 80}},
				{Code: "z", Section: "甲", Text: "甲 again", Points: 1e20, Method: "attach", Evidence: "照片", Bonus: true},
			},
		}
		yamlRoundTrip(t, s)
	})

	t.Run("nil", func(t *testing.T) {
		if err := standardfile.WriteYAML(&bytes.Buffer{}, nil); err == nil {
			t.Error("no error for a nil standard")
		}
	})
}

func FuzzParseYAML(f *testing.F) {
	names, data := yamlShipped(f)
	for _, name := range names {
		f.Add(data[name])
	}
	for _, s := range []string{
		yamlBase,
		"",
		"~",
		"code: [",
		"- a\n- b",
		"sections: *x",
		"a: &a [*a]",
		"sections:\n  - &s {name: a, items: [{code: \"1\", text: t, points: 1, method: yes}]}\n  - *s\n",
		"sections:\n  - <<: {name: a}\n    items: [{code: \"1\", text: t, points: 1, method: yes}]\n",
		"code: a\n---\ncode: b\n",
		"total_points: 1e400\n",
		"sections: [{name: a, items: [{points: .inf}]}]",
		"\xff\xfe",
		"\t- x",
		"\r\r00",
		strings.Replace(yamlBase, "target: 90", "targets: {东: 90}", 1),
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		s, err := standardfile.ParseYAML(bytes.NewReader(in))
		if err != nil {
			var he *healthcell.Error
			if !errors.As(err, &he) || he.Code != healthcell.EINVALID || len(he.Fields) == 0 {
				t.Fatalf("error %v is not EINVALID with fields", err)
			}
			// YAML breaks lines at \n, \r, NEL, LS and PS.
			lines := 1
			for _, br := range []string{"\n", "\r", "\u0085", "\u2028", "\u2029"} {
				lines += bytes.Count(in, []byte(br))
			}
			for _, fe := range he.Fields {
				if fe.Message == "" || fe.Row < 0 || fe.Row > lines+1 {
					t.Fatalf("bad field error %+v (input of %d lines)", fe, lines)
				}
			}
			return
		}
		if s.ItemMax() != s.TotalPoints && s.TotalPoints != 0 || math.IsNaN(s.ItemMax()) {
			t.Fatalf("accepted a standard whose items add up to %v, total %v", s.ItemMax(), s.TotalPoints)
		}
		yamlRoundTrip(t, s)
	})
}
