package questionnaire

import (
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/healthcell/healthcell"
)

func lines(ls ...string) string { return strings.Join(ls, "\n") + "\n" }

// head is a valid questionnaire's first lines (1–4); items start on line 5.
var head = []string{"code: t", "name: 测试问卷", "source: 测试", "pass_rate: 0.8"}

// doc is head followed by more lines (line 5 onwards).
func doc(more ...string) string { return lines(append(append([]string(nil), head...), more...)...) }

// oneItem is an items list with one valid single-choice item on lines 6–10.
var oneItem = []string{
	"items:",                    // 5
	"  - code: \"1\"",           // 6
	"    type: single",          // 7
	"    text: 题目",              // 8
	"    options: {A: 甲, B: 乙}", // 9
	"    answer: A",             // 10
}

func TestParseValid(t *testing.T) {
	for _, tc := range []struct {
		name   string
		text   string
		answer []string
		points int
	}{
		{"single", doc(oneItem...), []string{"A"}, 1},
		{"multiple as text", doc("items:", "  - {code: m, type: multiple, text: 题, options: {A: a, B: b, C: c}, answer: CA}"), []string{"A", "C"}, 2},
		{"multiple as list", doc("items:", "  - {code: m, type: multiple, text: 题, options: {A: a, B: b, C: c}, answer: [b, a]}"), []string{"A", "B"}, 2},
		{"multiple with commas", doc("items:", "  - {code: m, type: multiple, text: 题, options: {A: a, B: b, C: c}, answer: \"A, C\"}"), []string{"A", "C"}, 2},
		{"truefalse", doc("items:", "  - {code: t, type: truefalse, text: 题, answer: 错}"), []string{"错"}, 1},
		{"points given", doc("items:", "  - {code: t, type: truefalse, text: 题, answer: 对, points: 3}"), []string{"对"}, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q, err := Parse(strings.NewReader(tc.text))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			it := q.Items[0]
			if !reflect.DeepEqual(it.Answer, tc.answer) || it.Points != tc.points {
				t.Errorf("answer %v points %d, want %v %d", it.Answer, it.Points, tc.answer, tc.points)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	item := func(extra ...string) []string { return append(append([]string(nil), oneItem...), extra...) }
	replace := func(ls []string, i int, s string) []string {
		out := append([]string(nil), ls...)
		out[i] = s
		return out
	}
	type fe = healthcell.FieldError
	for _, tc := range []struct {
		name string
		text string
		want []fe // compared on Row, Field and Message
	}{
		{"empty", "", []fe{{Field: "yaml", Message: MsgFileEmpty}}},
		{"comments only", "# nothing\n", []fe{{Field: "yaml", Message: MsgFileEmpty}}},
		{"syntax", "code: [a\n", []fe{{Field: "yaml", Message: MsgYAMLSyntax, Row: 1}}},
		{"two documents", doc(item("---", "code: u")...), []fe{{Field: "yaml", Message: MsgYAMLSyntax, Row: 11}}},
		{"alias", doc(append(replace(oneItem, 3, "    text: &x 题目"), "    aspect: *x")...), []fe{{Field: "yaml", Message: MsgYAMLSyntax, Row: 11}}},
		{"not a mapping", "- a\n- b\n", []fe{{Field: "yaml", Message: MsgValueInvalid, Row: 1}}},
		{"unknown top key", doc(append([]string{"colour: red"}, oneItem...)...), []fe{{Field: "colour", Message: MsgKeyUnknown, Row: 5}}},
		{"unknown item key", doc(item("    hint: 提示")...), []fe{{Field: "items.hint", Message: MsgKeyUnknown, Row: 11}}},
		{"repeated key", doc(item("    text: 又一个")...), []fe{{Field: "items.text", Message: MsgKeyDuplicate, Row: 11}}},
		{"missing code and text", doc("items:", "  - {type: truefalse, answer: 对}"),
			[]fe{{Field: "items.code", Message: MsgRequired, Row: 6}, {Field: "items.text", Message: MsgRequired, Row: 6}}},
		{"missing name and pass rate", lines("code: t", "source: s", "items:", "  - {code: a, type: truefalse, text: 题, answer: 对}"),
			[]fe{{Field: "name", Message: MsgRequired, Row: 1}, {Field: "pass_rate", Message: MsgRequired, Row: 1}}},
		{"no items", doc("items: []"), []fe{{Field: "items", Message: MsgRequired, Row: 5}}},
		{"bad code", lines("code: a b", "name: n", "source: s", "pass_rate: 0.8", "items:", "  - {code: a, type: truefalse, text: 题, answer: 对}"),
			[]fe{{Field: "code", Message: MsgCodeInvalid, Row: 1}}},
		{"pass rate above 1", lines("code: t", "name: n", "source: s", "pass_rate: 80", "items:", "  - {code: a, type: truefalse, text: 题, answer: 对}"),
			[]fe{{Field: "pass_rate", Message: MsgPassRateInvalid, Row: 4}}},
		{"pass rate not a number", lines("code: t", "name: n", "source: s", "pass_rate: 八成", "items:", "  - {code: a, type: truefalse, text: 题, answer: 对}"),
			[]fe{{Field: "pass_rate", Message: MsgValueInvalid, Row: 4}}},
		{"age reversed", doc(append([]string{"age: {min: 69, max: 15}"}, oneItem...)...), []fe{{Field: "age", Message: MsgAgeInvalid, Row: 5}}},
		{"unknown type", doc(replace(oneItem, 2, "    type: essay")...), []fe{{Field: "items.type", Message: MsgTypeUnknown, Row: 7}}},
		{"answer not among options", doc(replace(oneItem, 5, "    answer: C")...), []fe{{Field: "items.answer", Message: MsgAnswerUnknown, Row: 10}}},
		{"answer missing", doc(oneItem[:5]...), []fe{{Field: "items.answer", Message: MsgRequired, Row: 6}}},
		{"answer repeated", doc(replace(replace(oneItem, 2, "    type: multiple"), 4, "    options: {A: 甲, B: 乙, C: 丙}")[:5]...) + "    answer: AAB\n",
			[]fe{{Field: "items.answer", Message: MsgAnswerDuplicate, Row: 10}}},
		{"single with two keys", doc(replace(oneItem, 5, "    answer: AB")...), []fe{{Field: "items.answer", Message: MsgAnswerSingle, Row: 10}}},
		{"truefalse with two keys", doc("items:", "  - {code: a, type: truefalse, text: 题, answer: 对错}"), []fe{{Field: "items.answer", Message: MsgAnswerSingle, Row: 6}}},
		{"truefalse with a letter", doc("items:", "  - {code: a, type: truefalse, text: 题, answer: A}"), []fe{{Field: "items.answer", Message: MsgAnswerUnknown, Row: 6}}},
		{"multiple with a single key", doc("items:", "  - code: m", "    type: multiple", "    text: 题", "    options: {A: a, B: b, C: c}", "    answer: [B]"),
			[]fe{{Field: "items.answer", Message: MsgAnswerMultiple, Row: 10}}},
		{"truefalse with options", doc("items:", "  - {code: a, type: truefalse, text: 题, answer: 对, options: {A: 对, B: 错}}"),
			[]fe{{Field: "items.options", Message: MsgOptionsForbidden, Row: 6}}},
		{"option label out of order", doc(replace(oneItem, 4, "    options: {A: 甲, C: 丙}")...),
			[]fe{{Field: "items.options", Message: MsgOptionInvalid, Row: 9}, {Field: "items.options", Message: MsgOptionsCount, Row: 9}}},
		{"option past E", doc(replace(oneItem, 4, "    options: {A: a, B: b, C: c, D: d, E: e, F: f}")...),
			[]fe{{Field: "items.options", Message: MsgOptionInvalid, Row: 9}}},
		{"option without text", doc(replace(oneItem, 4, "    options: {A: 甲, B: }")...), []fe{{Field: "items.options", Message: MsgRequired, Row: 9}}},
		{"too few options for multiple", doc("items:", "  - {code: m, type: multiple, text: 题, options: {A: a, B: b}, answer: AB}"),
			[]fe{{Field: "items.options", Message: MsgOptionsCount, Row: 6}}},
		{"duplicate item code", doc(item("  - {code: \"1\", type: truefalse, text: 题, answer: 对}")...),
			[]fe{{Field: "items.code", Message: MsgItemDuplicate, Row: 11}}},
		{"points zero", doc(item("    points: 0")...), []fe{{Field: "items.points", Message: MsgPointsInvalid, Row: 11}}},
		{"points too many", doc(item("    points: 101")...), []fe{{Field: "items.points", Message: MsgPointsInvalid, Row: 11}}},
		{"item not a mapping", doc("items:", "  - 题目"), []fe{{Field: "items", Message: MsgValueInvalid, Row: 6}}},
		{"points not whole", doc(item("    points: 1.5")...), []fe{{Field: "items.points", Message: MsgValueInvalid, Row: 11}}},
		{"total points mismatch", doc(append([]string{"total_points: 2"}, oneItem...)...), []fe{{Field: "total_points", Message: MsgPointsTotal, Row: 5}}},
		{"declared counts contradict", doc(append([]string{"counts: {truefalse: 0, single: 2, multiple: 1}"}, oneItem...)...),
			[]fe{{Field: "counts.single", Message: MsgCountMismatch, Row: 5}, {Field: "counts.multiple", Message: MsgCountMismatch, Row: 5}}},
		{"unknown counts key", doc(append([]string{"counts: {essay: 1}"}, oneItem...)...), []fe{{Field: "counts.essay", Message: MsgKeyUnknown, Row: 5}}},
		{"aspect not declared", doc(item("    aspect: 基本技能")...), []fe{{Field: "items.aspect", Message: MsgAspectUnknown, Row: 11}}},
		{"aspect missing", doc(append([]string{"aspects: [基本技能]"}, oneItem...)...), []fe{{Field: "items.aspect", Message: MsgRequired, Row: 7}}},
		{"aspect unknown", doc(append([]string{"aspects: [基本技能]"}, item("    aspect: 技能")...)...), []fe{{Field: "items.aspect", Message: MsgAspectUnknown, Row: 12}}},
		{"area count contradicts", doc(append([]string{"areas: [{name: 健康信息, items: 2, points: 1}]"}, item("    area: 健康信息")...)...),
			[]fe{{Field: "areas.items", Message: MsgGroupMismatch, Row: 5}}},
		{"area declared twice", doc(append([]string{"areas: [健康信息, 健康信息]"}, item("    area: 健康信息")...)...),
			[]fe{{Field: "areas.name", Message: MsgGroupDuplicate, Row: 5}}},
		{"part code unknown", doc(append([]string{"parts: [{code: attitude, pass_rate: 0.8}]"}, oneItem...)...),
			[]fe{{Field: "parts.code", Message: MsgPartUnknown, Row: 5}}},
		{"part without pass rate", doc(append([]string{"parts: [{code: knowledge}]"}, item("    part: knowledge")...)...),
			[]fe{{Field: "parts.pass_rate", Message: MsgRequired, Row: 5}}},
		{"part missing on item", doc(append([]string{"parts: [{code: knowledge, pass_rate: 0.8}]"}, oneItem...)...),
			[]fe{{Field: "items.part", Message: MsgRequired, Row: 7}}},
		{"scenario unknown", doc(item("    scenario: S9")...), []fe{{Field: "items.scenario", Message: MsgScenarioUnknown, Row: 11}}},
		{"scenario unused", doc(append([]string{"scenarios: [{code: S1, text: 题干}]"}, oneItem...)...),
			[]fe{{Field: "scenarios.code", Message: MsgScenarioUnused, Row: 5}}},
		{"text as a list", doc(replace(oneItem, 3, "    text: [a, b]")...), []fe{{Field: "items.text", Message: MsgValueInvalid, Row: 8}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q, err := Parse(strings.NewReader(tc.text))
			if q != nil {
				t.Errorf("got a questionnaire with an error")
			}
			var he *healthcell.Error
			if !errors.As(err, &he) || he.Code != healthcell.EINVALID {
				t.Fatalf("want EINVALID, got %v", err)
			}
			got := make([]fe, len(he.Fields))
			for i, f := range he.Fields {
				got[i] = fe{Field: f.Field, Message: f.Message, Row: f.Row}
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("fields\n got %+v\nwant %+v", he.Fields, tc.want)
			}
		})
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }

func TestParseUnreadable(t *testing.T) {
	_, err := Parse(failingReader{})
	if f := healthcell.ErrorFields(err); len(f) != 1 || f[0].Message != MsgFileUnreadable {
		t.Errorf("got %v", err)
	}
}

func TestLoadDir(t *testing.T) {
	valid := doc(oneItem...)
	for _, tc := range []struct {
		name    string
		fsys    fstest.MapFS
		codes   []string
		wantErr string
	}{
		{"yaml files in name order, others ignored", fstest.MapFS{
			"b.yaml":     {Data: []byte(strings.Replace(valid, "code: t", "code: b", 1))},
			"a.yaml":     {Data: []byte(strings.Replace(valid, "code: t", "code: a", 1))},
			"README.md":  {Data: []byte("# not a questionnaire")},
			"sub/c.yaml": {Data: []byte("nonsense: [")},
		}, []string{"a", "b"}, ""},
		{"bad file named", fstest.MapFS{"bad.yaml": {Data: []byte("code: [")}}, nil, "questionnaire bad.yaml"},
		{"duplicate code", fstest.MapFS{"a.yaml": {Data: []byte(valid)}, "b.yaml": {Data: []byte(valid)}}, nil, MsgCodeDuplicate},
		{"empty directory", fstest.MapFS{}, nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			qs, err := LoadDir(tc.fsys)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || healthcell.ErrorCode(err) != healthcell.EINVALID {
					t.Fatalf("want an EINVALID error with %q, got %v", tc.wantErr, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var codes []string
			for _, q := range qs {
				codes = append(codes, q.Code)
			}
			if !reflect.DeepEqual(codes, tc.codes) {
				t.Errorf("codes %v, want %v", codes, tc.codes)
			}
		})
	}
}
