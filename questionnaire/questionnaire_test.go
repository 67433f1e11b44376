package questionnaire

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/healthcell/healthcell"
)

// shipped reads the shipped questionnaires from the catalog directory.
func shipped(t testing.TB) map[string]*Questionnaire {
	t.Helper()
	qs, err := LoadDir(os.DirFS("../catalog/questionnaires"))
	if err != nil {
		t.Fatalf("LoadDir: %v", err)
	}
	out := map[string]*Questionnaire{}
	for _, q := range qs {
		out[q.Code] = q
	}
	return out
}

func literacy(t testing.TB) *Questionnaire {
	t.Helper()
	q := shipped(t)["health-literacy-2020"]
	if q == nil {
		t.Fatal("health-literacy-2020 is not shipped")
	}
	return q
}

func knowledgeBehaviour(t testing.TB) *Questionnaire {
	t.Helper()
	q := shipped(t)["knowledge-behaviour"]
	if q == nil {
		t.Fatal("knowledge-behaviour is not shipped")
	}
	return q
}

// keyAnswers answers every item with its key.
func keyAnswers(q *Questionnaire) map[string][]string {
	a := make(map[string][]string, len(q.Items))
	for _, it := range q.Items {
		a[it.Code] = append([]string(nil), it.Answer...)
	}
	return a
}

// wrongChoice returns an option of it that is not in its key.
func wrongChoice(t testing.TB, it *Item) string {
	t.Helper()
	for _, o := range it.Options {
		if !contains(it.Answer, o.Label) {
			return o.Label
		}
	}
	t.Fatalf("item %s has no wrong option", it.Code)
	return ""
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func TestShippedFilesParse(t *testing.T) {
	qs := shipped(t)
	for _, tc := range []struct {
		name  string
		code  string
		items int
		total int
		pass  int
	}{
		{"national health literacy", "health-literacy-2020", 50, 66, 53},
		{"knowledge and behaviour", "knowledge-behaviour", 18, 20, 16},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := qs[tc.code]
			if q == nil {
				t.Fatalf("%s not loaded", tc.code)
			}
			if len(q.Items) != tc.items || q.TotalPoints != tc.total || q.MaxPoints() != tc.total || q.PassPoints() != tc.pass {
				t.Errorf("items %d total %d max %d pass %d, want %d %d %d %d",
					len(q.Items), q.TotalPoints, q.MaxPoints(), q.PassPoints(), tc.items, tc.total, tc.total, tc.pass)
			}
			if q.Name == "" || q.Source == "" || !strings.Contains(q.Notes, "为本系统编写") {
				t.Errorf("name, source and notes saying the items are ours are required: %q", q.Notes)
			}
			if q.Age == nil || *q.Age != (AgeRange{15, 69}) {
				t.Errorf("age %v, want 15–69", q.Age)
			}
			r := q.Score(keyAnswers(q))
			if r.Total != tc.total || !r.Passed {
				t.Errorf("key answers score %d passed %v", r.Total, r.Passed)
			}
			if err := q.Check(keyAnswers(q)); err != nil {
				t.Errorf("key answers fail Check: %v", err)
			}
			for _, it := range q.Items {
				if it, ok := q.Item(it.Code); !ok || it == nil {
					t.Errorf("Item(%s) not found", it.Code)
				}
			}
		})
	}
}

// TestNationalStructure recounts the 2020 form from its items, not from the
// groups Parse computed, against DOMAIN.md.
func TestNationalStructure(t *testing.T) {
	q := literacy(t)
	type tally struct{ items, points int }
	types := map[string]tally{}
	aspects := map[string]tally{}
	areas := map[string]tally{}
	var scenarioSingle, scenarioMultiple int
	stems := map[string]bool{}
	for _, it := range q.Items {
		key := string(it.Type)
		if it.Scenario != "" {
			key = "scenario"
			stems[it.Scenario] = true
			if it.Type == Single {
				scenarioSingle++
			}
			if it.Type == Multiple {
				scenarioMultiple++
			}
		}
		add := func(m map[string]tally, k string) {
			v := m[k]
			v.items++
			v.points += it.Points
			m[k] = v
		}
		add(types, key)
		add(aspects, it.Aspect)
		add(areas, it.Area)
		want := 1
		if it.Type == Multiple {
			want = 2
		}
		if it.Points != want {
			t.Errorf("item %s (%s) has %d points, want %d", it.Code, it.Type, it.Points, want)
		}
	}
	for _, tc := range []struct {
		name string
		got  map[string]tally
		want map[string]tally
	}{
		{"types", types, map[string]tally{
			"truefalse": {8, 8}, "single": {23, 23}, "multiple": {15, 30}, "scenario": {4, 5}}},
		{"aspects", aspects, map[string]tally{
			"基本知识和理念": {22, 28}, "健康生活方式与行为": {16, 22}, "基本技能": {12, 16}}},
		{"areas", areas, map[string]tally{
			"科学健康观": {8, 11}, "传染病防治": {6, 7}, "慢性病防治": {9, 12},
			"安全与急救": {10, 14}, "基本医疗": {11, 14}, "健康信息": {6, 8}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !reflect.DeepEqual(tc.got, tc.want) {
				t.Errorf("got %v, want %v", tc.got, tc.want)
			}
		})
	}
	if scenarioSingle != 3 || scenarioMultiple != 1 || len(stems) != 1 {
		t.Errorf("scenario items: %d single, %d multiple, %d stems; want 3, 1, 1", scenarioSingle, scenarioMultiple, len(stems))
	}
	if q.Counts != (Counts{TrueFalse: 8, Single: 23, Multiple: 15, Scenario: 4}) {
		t.Errorf("Counts %+v", q.Counts)
	}
	wantGroups := func(gs []Group) map[string]tally {
		m := map[string]tally{}
		for _, g := range gs {
			m[g.Name] = tally{g.Items, g.Points}
		}
		return m
	}
	if !reflect.DeepEqual(wantGroups(q.Aspects), aspects) || !reflect.DeepEqual(wantGroups(q.Areas), areas) {
		t.Errorf("Parse's groups %v %v differ from the recount", q.Aspects, q.Areas)
	}
	if q.MaxPoints() != 66 || q.PassPoints() != 53 || q.PassRate != 0.8 {
		t.Errorf("max %d pass %d rate %v", q.MaxPoints(), q.PassPoints(), q.PassRate)
	}
	for _, it := range q.Items {
		if it.Type != TrueFalse && len(it.Options) < 2 || it.Text == "" || len(it.Answer) == 0 {
			t.Errorf("item %s incomplete", it.Code)
		}
	}
}

func TestKnowledgeBehaviourStructure(t *testing.T) {
	q := knowledgeBehaviour(t)
	want := []Part{
		{Code: PartKnowledge, Name: "健康知识", PassRate: 0.8, Items: 10, Points: 12},
		{Code: PartBehaviour, Name: "健康行为", PassRate: 0.8, Items: 8, Points: 8},
	}
	if !reflect.DeepEqual(q.Parts, want) {
		t.Fatalf("parts %+v", q.Parts)
	}
	if q.Parts[0].PassPoints() != 10 || q.Parts[1].PassPoints() != 7 {
		t.Errorf("part pass points %d, %d; want 10, 7", q.Parts[0].PassPoints(), q.Parts[1].PassPoints())
	}
	for _, it := range q.Items {
		if it.Part == PartBehaviour && (it.Type != Single || len(it.Answer) != 1) {
			t.Errorf("behaviour item %s must be single-choice with the healthy option as key", it.Code)
		}
	}
}

func TestScoreItemTypes(t *testing.T) {
	q := literacy(t)
	// 1: truefalse 对; 4: truefalse 错; 9: single B; 32: multiple ABD (of A–E); 50: scenario multiple ABCE.
	for _, tc := range []struct {
		name     string
		item     string
		answer   []string
		correct  bool
		points   int
		answered bool
	}{
		{"truefalse right", "1", []string{"对"}, true, 1, true},
		{"truefalse wrong", "1", []string{"错"}, false, 0, true},
		{"truefalse key 错", "4", []string{"错"}, true, 1, true},
		{"truefalse both", "1", []string{"对", "错"}, false, 0, true},
		{"single right", "9", []string{"B"}, true, 1, true},
		{"single lower case and blanks", "9", []string{" b "}, true, 1, true},
		{"single repeated", "9", []string{"B", "B"}, true, 1, true},
		{"single wrong", "9", []string{"A"}, false, 0, true},
		{"single two choices", "9", []string{"A", "B"}, false, 0, true},
		{"single unknown option", "9", []string{"F"}, false, 0, true},
		{"single unanswered", "9", nil, false, 0, false},
		{"single blank", "9", []string{""}, false, 0, false},
		{"multiple exact", "32", []string{"A", "B", "D"}, true, 2, true},
		{"multiple exact other order", "32", []string{"D", "A", "B"}, true, 2, true},
		{"multiple missing one", "32", []string{"A", "B"}, false, 0, true},
		{"multiple one extra", "32", []string{"A", "B", "C", "D"}, false, 0, true},
		{"multiple one key only", "32", []string{"A"}, false, 0, true},
		{"multiple all options", "32", []string{"A", "B", "C", "D", "E"}, false, 0, true},
		{"scenario multiple exact", "50", []string{"A", "B", "C", "E"}, true, 2, true},
		{"scenario multiple partial", "50", []string{"A", "B", "C"}, false, 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := q.Score(map[string][]string{tc.item: tc.answer})
			var s ItemScore
			for _, x := range r.Items {
				if x.Code == tc.item {
					s = x
				}
			}
			if s.Code != tc.item {
				t.Fatalf("item %s not in result", tc.item)
			}
			if s.Correct != tc.correct || s.Points != tc.points || s.Answered != tc.answered {
				t.Errorf("got %+v, want correct %v points %d answered %v", s, tc.correct, tc.points, tc.answered)
			}
			if r.Total != tc.points || r.Max != 66 {
				t.Errorf("total %d max %d", r.Total, r.Max)
			}
		})
	}
}

// answersScoring returns key answers with lostSingles one-point items and
// lostMultiples multiple-choice items answered wrongly.
func answersScoring(t *testing.T, q *Questionnaire, lostSingles, lostMultiples int) map[string][]string {
	t.Helper()
	a := keyAnswers(q)
	for i := range q.Items {
		it := &q.Items[i]
		switch {
		case it.Type == Multiple && lostMultiples > 0:
			a[it.Code] = it.Answer[:1] // partial: no credit
			lostMultiples--
		case it.Type != Multiple && lostSingles > 0:
			a[it.Code] = []string{wrongChoice(t, it)}
			lostSingles--
		}
	}
	if lostSingles > 0 || lostMultiples > 0 {
		t.Fatal("not enough items to lose points on")
	}
	return a
}

func TestScorePassLine(t *testing.T) {
	q := literacy(t)
	for _, tc := range []struct {
		name              string
		singles, multiple int
		total             int
		passed            bool
	}{
		{"all right", 0, 0, 66, true},
		{"53 by one-point items", 13, 0, 53, true},
		{"52 by one-point items", 14, 0, 52, false},
		{"53 with partial multiples", 1, 6, 53, true},
		{"52 with partial multiples", 0, 7, 52, false},
		{"all multiples wrong", 0, 16, 34, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := q.Score(answersScoring(t, q, tc.singles, tc.multiple))
			if r.Total != tc.total || r.Max != 66 || r.PassPoints != 53 || r.Passed != tc.passed {
				t.Errorf("total %d max %d pass %d passed %v; want %d 66 53 %v", r.Total, r.Max, r.PassPoints, r.Passed, tc.total, tc.passed)
			}
		})
	}
	if r := q.Score(nil); r.Total != 0 || r.Passed {
		t.Errorf("no answers: %+v", r)
	}
}

func TestScoreGroups(t *testing.T) {
	q := literacy(t)
	a := keyAnswers(q)
	a["32"] = []string{"A"} // 基本知识和理念, 科学健康观, 2 points lost
	a["16"] = []string{"B"} // 基本技能, 传染病防治, 1 point lost
	a["99"] = []string{"A"} // unknown item: ignored
	r := q.Score(a)
	want := map[string]GroupScore{
		"基本知识和理念":   {Name: "基本知识和理念", Items: 22, Answered: 22, Correct: 21, Points: 26, Max: 28},
		"健康生活方式与行为": {Name: "健康生活方式与行为", Items: 16, Answered: 16, Correct: 16, Points: 22, Max: 22},
		"基本技能":      {Name: "基本技能", Items: 12, Answered: 12, Correct: 11, Points: 15, Max: 16},
		"科学健康观":     {Name: "科学健康观", Items: 8, Answered: 8, Correct: 7, Points: 9, Max: 11},
		"传染病防治":     {Name: "传染病防治", Items: 6, Answered: 6, Correct: 5, Points: 6, Max: 7},
		"健康信息":      {Name: "健康信息", Items: 6, Answered: 6, Correct: 6, Points: 8, Max: 8},
	}
	for _, g := range append(append([]GroupScore(nil), r.Aspects...), r.Areas...) {
		if w, ok := want[g.Name]; ok && g != w {
			t.Errorf("%s: got %+v, want %+v", g.Name, g, w)
		}
	}
	if len(r.Aspects) != 3 || len(r.Areas) != 6 || r.Parts != nil || r.Total != 63 {
		t.Errorf("aspects %d areas %d parts %v total %d", len(r.Aspects), len(r.Areas), r.Parts, r.Total)
	}
}

func TestScoreParts(t *testing.T) {
	q := knowledgeBehaviour(t)
	wrong := func(codes ...string) map[string][]string {
		a := keyAnswers(q)
		for _, c := range codes {
			it, _ := q.Item(c)
			a[c] = []string{wrongChoice(t, it)}
		}
		return a
	}
	for _, tc := range []struct {
		name            string
		answers         map[string][]string
		knowledge       int
		knowledgePassed bool
		behaviour       int
		behaviourPassed bool
		total           int
		overallPassed   bool
	}{
		{"all right", wrong(), 12, true, 8, true, 20, true},
		{"knowledge 10 of 12", wrong("K1", "K5"), 10, true, 8, true, 18, true},
		{"knowledge 9 of 12", wrong("K1", "K5", "K6"), 9, false, 8, true, 17, true},
		{"knowledge 10 of 12 by a multiple", wrong("K9"), 10, true, 8, true, 18, true},
		{"behaviour 7 of 8", wrong("B1"), 12, true, 7, true, 19, true},
		{"behaviour 6 of 8", wrong("B1", "B2"), 12, true, 6, false, 18, true},
		{"both fail", wrong("K1", "K2", "K3", "B1", "B2"), 9, false, 6, false, 15, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := q.Score(tc.answers)
			if len(r.Parts) != 2 || r.Parts[0].Name != PartKnowledge || r.Parts[1].Name != PartBehaviour {
				t.Fatalf("parts %+v", r.Parts)
			}
			k, b := r.Parts[0], r.Parts[1]
			if k.Points != tc.knowledge || k.Passed != tc.knowledgePassed || k.PassPoints != 10 || k.Max != 12 {
				t.Errorf("knowledge %+v", k)
			}
			if b.Points != tc.behaviour || b.Passed != tc.behaviourPassed || b.PassPoints != 7 || b.Max != 8 {
				t.Errorf("behaviour %+v", b)
			}
			if r.Total != tc.total || r.Passed != tc.overallPassed {
				t.Errorf("total %d passed %v", r.Total, r.Passed)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	q := literacy(t)
	with := func(change map[string][]string, drop ...string) map[string][]string {
		a := keyAnswers(q)
		for k, v := range change {
			a[k] = v
		}
		for _, k := range drop {
			delete(a, k)
		}
		return a
	}
	for _, tc := range []struct {
		name    string
		answers map[string][]string
		want    []healthcell.FieldError
	}{
		{"all answered", with(nil), nil},
		{"wrong but valid answers", with(map[string][]string{"1": {"错"}, "9": {"a"}, "32": {"C"}}), nil},
		{"option outside the item", with(map[string][]string{"9": {"E"}}),
			[]healthcell.FieldError{{Field: "9", Message: MsgOptionUnknown, Value: "E"}}},
		{"A on a true/false item", with(map[string][]string{"1": {"A"}}),
			[]healthcell.FieldError{{Field: "1", Message: MsgOptionUnknown, Value: "A"}}},
		{"two unknown options on a multiple item", with(map[string][]string{"32": {"A", "F", "G"}}),
			[]healthcell.FieldError{{Field: "32", Message: MsgOptionUnknown, Value: "F"}, {Field: "32", Message: MsgOptionUnknown, Value: "G"}}},
		{"unknown item", with(map[string][]string{"51": {"A"}}),
			[]healthcell.FieldError{{Field: "51", Message: MsgItemUnknown}}},
		{"missing item", with(nil, "20"),
			[]healthcell.FieldError{{Field: "20", Message: MsgItemMissing}}},
		{"blank answer is missing", with(map[string][]string{"20": {" "}}),
			[]healthcell.FieldError{{Field: "20", Message: MsgItemMissing}}},
		{"two choices on a single item", with(map[string][]string{"9": {"A", "B"}}),
			[]healthcell.FieldError{{Field: "9", Message: MsgChoiceSingle, Value: "A,B"}}},
		{"two choices on a true/false item", with(map[string][]string{"1": {"对", "错"}}),
			[]healthcell.FieldError{{Field: "1", Message: MsgChoiceSingle, Value: "对,错"}}},
		{"repeated choice is one choice", with(map[string][]string{"9": {"B", "b"}}), nil},
		{"several problems in item order, unknown items last", with(map[string][]string{"9": {"A", "Z"}, "x": {"A"}, "0": nil}, "2"),
			[]healthcell.FieldError{
				{Field: "2", Message: MsgItemMissing},
				{Field: "9", Message: MsgOptionUnknown, Value: "Z"},
				{Field: "9", Message: MsgChoiceSingle, Value: "A,Z"},
				{Field: "0", Message: MsgItemUnknown},
				{Field: "x", Message: MsgItemUnknown},
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := q.Check(tc.answers)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			var he *healthcell.Error
			if !errors.As(err, &he) || he.Code != healthcell.EINVALID {
				t.Fatalf("want EINVALID, got %v", err)
			}
			if !reflect.DeepEqual(he.Fields, tc.want) {
				t.Errorf("fields\n got %+v\nwant %+v", he.Fields, tc.want)
			}
		})
	}
}

func TestCheckOptional(t *testing.T) {
	q, err := Parse(strings.NewReader(lines(
		"code: t", "name: 测试", "source: 测试", "pass_rate: 0.5", "items:",
		"  - {code: a, type: truefalse, text: 题, answer: 对, optional: true}",
		"  - {code: b, type: truefalse, text: 题, answer: 错}",
	)))
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Check(map[string][]string{"b": {"错"}}); err != nil {
		t.Errorf("optional item required: %v", err)
	}
	if got := healthcell.ErrorFields(q.Check(map[string][]string{"a": {"对"}})); len(got) != 1 || got[0].Field != "b" {
		t.Errorf("required item not reported: %+v", got)
	}
}
