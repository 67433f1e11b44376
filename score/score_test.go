package score

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/healthcell/healthcell"
)

func yes(b bool) *healthcell.Answer    { return &healthcell.Answer{Yes: &b} }
func val(v float64) *healthcell.Answer { return &healthcell.Answer{Value: &v} }
func cnt(n int) *healthcell.Answer     { return &healthcell.Answer{Count: &n} }
func grd(g string) *healthcell.Answer  { return &healthcell.Answer{Grade: g} }

// evid returns an answer carrying n pieces of evidence.
func evid(n int) *healthcell.Answer {
	a := &healthcell.Answer{}
	for i := range n {
		a.Evidence = append(a.Evidence, &healthcell.Evidence{ID: int64(i + 1)})
	}
	return a
}

type itemCase struct {
	name     string
	it       healthcell.Item // zero: the test's default item
	a        *healthcell.Answer
	region   string
	score    float64
	answered bool
	met      bool
}

func runItemCases(t *testing.T, def healthcell.Item, cases []itemCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			it := def
			if tc.it.Method != "" {
				it = tc.it
			}
			s, answered, met := ItemScore(&it, tc.a, tc.region)
			if s != tc.score || answered != tc.answered || met != tc.met {
				t.Errorf("ItemScore = (%v, answered %v, met %v), want (%v, %v, %v)", s, answered, met, tc.score, tc.answered, tc.met)
			}
		})
	}
}

func TestItemScoreYes(t *testing.T) {
	def := healthcell.Item{Code: "Y", Points: 5, Method: healthcell.MethodYes}
	runItemCases(t, def, []itemCase{
		{name: "yes scores full", a: yes(true), score: 5, answered: true, met: true},
		{name: "no scores zero", a: yes(false), score: 0, answered: true},
		{name: "unanswered", a: nil},
		{name: "answer without yes/no", a: &healthcell.Answer{Note: "去看了"}},
		{name: "wrong field", a: val(1)},
		{name: "zero-point veto met", it: healthcell.Item{Code: "V", Method: healthcell.MethodYes, Veto: true}, a: yes(true), answered: true, met: true},
		{name: "zero-point veto not met", it: healthcell.Item{Code: "V", Method: healthcell.MethodYes, Veto: true}, a: yes(false), answered: true},
	})
}

func TestItemScoreNo(t *testing.T) {
	def := healthcell.Item{Code: "N", Points: 4, Method: healthcell.MethodNo}
	runItemCases(t, def, []itemCase{
		{name: "no scores full", a: yes(false), score: 4, answered: true, met: true},
		{name: "yes scores zero", a: yes(true), score: 0, answered: true},
		{name: "unanswered", a: nil},
		{name: "wrong field", a: cnt(0)},
		{name: "zero-point veto met by no", it: healthcell.Item{Code: "V", Method: healthcell.MethodNo, Veto: true}, a: yes(false), answered: true, met: true},
		{name: "zero-point veto failed by yes", it: healthcell.Item{Code: "V", Method: healthcell.MethodNo, Veto: true}, a: yes(true), answered: true},
	})
}

func TestItemScoreGraded(t *testing.T) {
	def := healthcell.Item{Code: "G", Points: 10, Method: healthcell.MethodGraded, Grades: []healthcell.Grade{
		{Label: "全部落实", Points: 10}, {Label: "部分落实", Points: 6.5}, {Label: "未落实", Points: 0},
	}}
	runItemCases(t, def, []itemCase{
		{name: "top grade", a: grd("全部落实"), score: 10, answered: true, met: true},
		{name: "middle grade", a: grd("部分落实"), score: 6.5, answered: true},
		{name: "zero grade", a: grd("未落实"), score: 0, answered: true},
		{name: "unknown grade", a: grd("优秀")},
		{name: "label must match exactly", a: grd("全部落实 ")},
		{name: "empty grade", a: grd("")},
		{name: "unanswered", a: nil},
	})
}

func TestItemScoreEGT(t *testing.T) {
	def := healthcell.Item{Code: "E", Points: 10, Method: healthcell.MethodEGT, Indicator: "健康素养水平", Target: 90,
		Targets: map[string]float64{"东": 95, "西": 80}}
	runItemCases(t, def, []itemCase{
		{name: "above target", a: val(96), score: 10, answered: true, met: true},
		{name: "at target", a: val(90), score: 10, answered: true, met: true},
		{name: "proportional half", a: val(45), score: 5, answered: true},
		{name: "proportional rounded", a: val(60), score: 6.67, answered: true},
		{name: "zero value", a: val(0), score: 0, answered: true},
		{name: "negative value is not an answer", a: val(-5)},
		{name: "NaN is not an answer", a: val(math.NaN())},
		{name: "regional target met", a: val(80), region: "西", score: 10, answered: true, met: true},
		{name: "regional target higher", a: val(90), region: "东", score: 9.47, answered: true},
		{name: "unknown region falls back", a: val(80), region: "北", score: 8.89, answered: true},
		{name: "no region", a: val(80), score: 8.89, answered: true},
		{name: "wrong field", a: yes(true)},
		{name: "unanswered", a: nil},
	})
}

func TestItemScoreELT(t *testing.T) {
	def := healthcell.Item{Code: "L", Points: 10, Method: healthcell.MethodELT, Indicator: "成人吸烟率", Target: 20}
	zero := healthcell.Item{Code: "L0", Points: 10, Method: healthcell.MethodELT, Indicator: "事故数", Targets: map[string]float64{"东": 0}}
	runItemCases(t, def, []itemCase{
		{name: "below target", a: val(15), score: 10, answered: true, met: true},
		{name: "at target", a: val(20), score: 10, answered: true, met: true},
		{name: "proportional double", a: val(40), score: 5, answered: true},
		{name: "proportional rounded", a: val(30), score: 6.67, answered: true},
		{name: "zero value", a: val(0), score: 10, answered: true, met: true},
		{name: "zero target exceeded", it: zero, a: val(1), region: "东", score: 0, answered: true},
		{name: "zero target met", it: zero, a: val(0), region: "东", score: 10, answered: true, met: true},
		{name: "unanswered", a: nil},
	})
}

func TestItemScoreCount(t *testing.T) {
	def := healthcell.Item{Code: "C", Points: 6, Method: healthcell.MethodCount, Activity: "健康讲座", MinCount: 4}
	runItemCases(t, def, []itemCase{
		{name: "at minimum", a: cnt(4), score: 6, answered: true, met: true},
		{name: "above minimum", a: cnt(9), score: 6, answered: true, met: true},
		{name: "proportional half", a: cnt(2), score: 3, answered: true},
		{name: "proportional quarter", a: cnt(1), score: 1.5, answered: true},
		{name: "none held", a: cnt(0), score: 0, answered: true},
		{name: "negative count", a: cnt(-1)},
		{name: "wrong field", a: val(4)},
		{name: "unanswered", a: nil},
	})
}

func TestItemScoreAttach(t *testing.T) {
	def := healthcell.Item{Code: "A", Points: 3, Method: healthcell.MethodAttach, Evidence: "制度文件"}
	runItemCases(t, def, []itemCase{
		{name: "with evidence", a: evid(1), score: 3, answered: true, met: true},
		{name: "with several pieces", a: evid(3), score: 3, answered: true, met: true},
		{name: "answer without evidence", a: evid(0), score: 0, answered: true},
		{name: "no answer", a: nil},
		{name: "wrong field", a: &healthcell.Answer{Yes: new(true), Evidence: evid(1).Evidence}},
	})
}

// egtItem is a 0..points item whose score equals value×points/100, so a
// test can choose any score.
func egtItem(code string, points float64) healthcell.Item {
	return healthcell.Item{Code: code, Section: "指标", Text: code, Points: points, Method: healthcell.MethodEGT, Indicator: code, Target: 100}
}

func sheet(answers map[string]*healthcell.Answer) *healthcell.ScoreSheet {
	return &healthcell.ScoreSheet{Answers: answers}
}

func TestPassRules(t *testing.T) {
	vetoStd := &healthcell.Standard{PassScore: 60, Items: []healthcell.Item{
		egtItem("A", 60),
		egtItem("B", 40),
		{Code: "V1", Section: "否决", Method: healthcell.MethodNo, Veto: true},
		{Code: "V2", Section: "否决", Method: healthcell.MethodYes, Veto: true},
	}}
	// 海南省健康企业: veto items are scored; at least 75 % of their points
	// and 85 points in all.
	hainan := &healthcell.Standard{PassScore: 85, VetoMinRate: 0.75, Items: []healthcell.Item{
		egtItem("N", 100),
		{Code: "V1", Section: "否决项", Points: 6, Method: healthcell.MethodGraded, Veto: true, Grades: []healthcell.Grade{
			{Label: "达标", Points: 6}, {Label: "基本达标", Points: 3}, {Label: "未达标", Points: 0}}},
		egtItem("V2", 4),
	}}
	hainan.Items[2].Veto = true
	bonusStd := &healthcell.Standard{PassScore: 70, Items: []healthcell.Item{
		egtItem("A", 100),
		{Code: "B1", Section: "加分项", Points: 3, Method: healthcell.MethodYes, Bonus: true},
		{Code: "B2", Section: "加分项", Points: 2, Method: healthcell.MethodAttach, Bonus: true},
	}}
	levels := []healthcell.Level{{Name: "铜", Min: 70}, {Name: "银", Min: 80}, {Name: "金", Min: 90}}
	levelStd := &healthcell.Standard{PassScore: 70, Levels: levels, Items: []healthcell.Item{egtItem("A", 100)}}
	incomplete := &healthcell.Standard{PassScore: 50, Items: []healthcell.Item{
		egtItem("A", 60), egtItem("B", 20), egtItem("C", 20),
	}}

	tests := []struct {
		name       string
		std        *healthcell.Standard
		answers    map[string]*healthcell.Answer
		total      float64
		max        float64
		vetoRate   float64
		vetoMet    int
		vetoPassed bool
		passed     bool
		level      string
		missing    []string
	}{
		{"veto met", vetoStd, map[string]*healthcell.Answer{"A": val(100), "B": val(100), "V1": yes(false), "V2": yes(true)},
			100, 100, 1, 2, true, true, "", nil},
		{"veto failed with all else full", vetoStd, map[string]*healthcell.Answer{"A": val(100), "B": val(100), "V1": yes(true), "V2": yes(true)},
			100, 100, 1, 1, false, false, "", nil},
		{"veto unanswered", vetoStd, map[string]*healthcell.Answer{"A": val(100), "B": val(100), "V1": yes(false)},
			100, 100, 1, 1, false, false, "", []string{"V2"}},

		{"Hainan veto rate 0.7 fails with total 90", hainan, map[string]*healthcell.Answer{"N": val(83), "V1": grd("基本达标"), "V2": val(100)},
			90, 110, 0.7, 1, false, false, "", nil},
		{"Hainan veto rate 0.8 total 85 passes", hainan, map[string]*healthcell.Answer{"N": val(77), "V1": grd("达标"), "V2": val(50)},
			85, 110, 0.8, 1, true, true, "", nil},
		{"Hainan veto rate 0.75 exactly passes", hainan, map[string]*healthcell.Answer{"N": val(90), "V1": grd("达标"), "V2": val(37.5)},
			97.5, 110, 0.75, 1, true, true, "", nil},
		{"Hainan total 84.99 fails", hainan, map[string]*healthcell.Answer{"N": val(76.99), "V1": grd("达标"), "V2": val(50)},
			84.99, 110, 0.8, 1, true, false, "", nil},

		{"bonus lifts total over the pass line", bonusStd, map[string]*healthcell.Answer{"A": val(68), "B1": yes(true), "B2": evid(0)},
			71, 100, 1, 0, true, true, "", nil},
		{"both bonuses", bonusStd, map[string]*healthcell.Answer{"A": val(100), "B1": yes(true), "B2": evid(1)},
			105, 100, 1, 0, true, true, "", nil},
		{"without bonus below the pass line", bonusStd, map[string]*healthcell.Answer{"A": val(68), "B1": yes(false), "B2": evid(0)},
			68, 100, 1, 0, true, false, "", nil},

		{"incomplete above the pass line", incomplete, map[string]*healthcell.Answer{"A": val(100), "C": &healthcell.Answer{}},
			60, 100, 1, 0, true, false, "", []string{"B", "C"}},
		{"empty sheet", incomplete, nil, 0, 100, 1, 0, true, false, "", []string{"A", "B", "C"}},

		{"69.99 no level", levelStd, map[string]*healthcell.Answer{"A": val(69.99)}, 69.99, 100, 1, 0, true, false, "", nil},
		{"70 bronze", levelStd, map[string]*healthcell.Answer{"A": val(70)}, 70, 100, 1, 0, true, true, "铜", nil},
		{"79.99 bronze", levelStd, map[string]*healthcell.Answer{"A": val(79.99)}, 79.99, 100, 1, 0, true, true, "铜", nil},
		{"80 silver", levelStd, map[string]*healthcell.Answer{"A": val(80)}, 80, 100, 1, 0, true, true, "银", nil},
		{"89.99 silver", levelStd, map[string]*healthcell.Answer{"A": val(89.99)}, 89.99, 100, 1, 0, true, true, "银", nil},
		{"90 gold", levelStd, map[string]*healthcell.Answer{"A": val(90)}, 90, 100, 1, 0, true, true, "金", nil},
		{"100 gold", levelStd, map[string]*healthcell.Answer{"A": val(100)}, 100, 100, 1, 0, true, true, "金", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Compute(tt.std, sheet(tt.answers))
			if r.Total != tt.total || r.Max != tt.max {
				t.Errorf("Total, Max = %v, %v; want %v, %v", r.Total, r.Max, tt.total, tt.max)
			}
			if r.Total != round(r.Base+r.Bonus, 2) {
				t.Errorf("Total %v ≠ Base %v + Bonus %v", r.Total, r.Base, r.Bonus)
			}
			if r.VetoRate != tt.vetoRate || r.VetoMet != tt.vetoMet || r.VetoPassed != tt.vetoPassed {
				t.Errorf("VetoRate, VetoMet, VetoPassed = %v, %v, %v; want %v, %v, %v", r.VetoRate, r.VetoMet, r.VetoPassed, tt.vetoRate, tt.vetoMet, tt.vetoPassed)
			}
			if r.Passed != tt.passed || r.Level != tt.level {
				t.Errorf("Passed, Level = %v, %q; want %v, %q", r.Passed, r.Level, tt.passed, tt.level)
			}
			if !slices.Equal(r.Missing, tt.missing) {
				t.Errorf("Missing = %v, want %v", r.Missing, tt.missing)
			}
			required := 0
			for _, it := range tt.std.Items {
				if !it.Bonus {
					required++
				}
			}
			if r.Complete != (len(tt.missing) == 0) || r.Required != required || r.Answered != r.Required-len(tt.missing) {
				t.Errorf("Complete %v, Answered %d of %d with %d missing", r.Complete, r.Answered, r.Required, len(tt.missing))
			}
		})
	}
}

func TestComputeTotals(t *testing.T) {
	std := &healthcell.Standard{PassScore: 10, VetoMinRate: 0, Items: []healthcell.Item{
		{Code: "1.1", Section: "组织管理", Subsection: "领导", Points: 2, Method: healthcell.MethodYes},
		{Code: "1.2", Section: "组织管理", Subsection: "制度", Points: 3, Method: healthcell.MethodAttach},
		{Code: "1.3", Section: "组织管理", Subsection: "领导", Points: 0.1, Method: healthcell.MethodYes},
		{Code: "2.1", Section: "健康环境", Points: 0.2, Method: healthcell.MethodNo, Veto: true},
		{Code: "2.2", Section: "健康环境", Subsection: "饮水", Points: 10, Method: healthcell.MethodEGT, Target: 90},
		{Code: "9.1", Section: "加分项", Points: 1.5, Method: healthcell.MethodYes, Bonus: true},
	}}
	r := Compute(std, &healthcell.ScoreSheet{Answers: map[string]*healthcell.Answer{
		"1.1": yes(true), "1.2": evid(2), "1.3": yes(true), "2.1": yes(false), "2.2": val(60), "9.1": yes(true),
		"unknown": yes(true),
	}})
	want := []SectionTotal{
		{Section: "组织管理", Max: 5.1, Score: 5.1, Subsections: []SubsectionTotal{{"领导", 2.1, 2.1}, {"制度", 3, 3}}},
		{Section: "健康环境", Max: 10.2, Score: 6.87, Subsections: []SubsectionTotal{{"饮水", 10, 6.67}}},
		{Section: "加分项", Max: 0, Score: 1.5},
	}
	if len(r.Sections) != len(want) {
		t.Fatalf("Sections = %+v", r.Sections)
	}
	for i := range want {
		g, w := r.Sections[i], want[i]
		if g.Section != w.Section || g.Max != w.Max || g.Score != w.Score || !slices.Equal(g.Subsections, w.Subsections) {
			t.Errorf("section %d = %+v, want %+v", i, g, w)
		}
	}
	if r.Max != 15.3 || r.Base != 11.97 || r.Bonus != 1.5 || r.Total != 13.47 {
		t.Errorf("Max %v Base %v Bonus %v Total %v; want 15.3 11.97 1.5 13.47", r.Max, r.Base, r.Bonus, r.Total)
	}
	if !r.Passed || r.VetoRate != 1 || r.VetoCount != 1 || r.VetoMet != 1 || len(r.Items) != 6 || r.Items[4].Score != 6.67 {
		t.Errorf("result = %+v", r)
	}
	if r := Compute(nil, nil); r.Passed || r.Items != nil {
		t.Errorf("Compute(nil, nil) = %+v", r)
	}
	if r := Compute(std, nil); r.Passed || len(r.Missing) != 5 || r.Total != 0 { // the bonus item is not required
		t.Errorf("Compute(std, nil) = %+v", r)
	}
}

// TestItemScoreOutOfRange: a number out of range scores nothing, not met,
// as if unanswered, however large it is.
func TestItemScoreOutOfRange(t *testing.T) {
	egt := &healthcell.Item{Code: "E", Points: 5, Method: healthcell.MethodEGT, Target: 80}
	count := &healthcell.Item{Code: "C", Points: 5, Method: healthcell.MethodCount, MinCount: 2}
	for name, tt := range map[string]struct {
		it *healthcell.Item
		a  *healthcell.Answer
	}{
		"percentage 1e308": {egt, val(1e308)},
		"percentage 101":   {egt, val(101)},
		"huge count":       {count, cnt(1 << 40)},
	} {
		if score, answered, met := ItemScore(tt.it, tt.a, ""); score != 0 || answered || met {
			t.Errorf("%s: ItemScore = %v, %v, %v; want 0, false, false", name, score, answered, met)
		}
	}
}

func TestCheckAnswer(t *testing.T) {
	yesItem := &healthcell.Item{Code: "Y", Points: 1, Method: healthcell.MethodYes}
	noItem := &healthcell.Item{Code: "N", Points: 1, Method: healthcell.MethodNo}
	graded := &healthcell.Item{Code: "G", Points: 5, Method: healthcell.MethodGraded, Grades: []healthcell.Grade{{Label: "好", Points: 5}, {Label: "差", Points: 1}}}
	egt := &healthcell.Item{Code: "E", Points: 5, Method: healthcell.MethodEGT, Target: 80}
	elt := &healthcell.Item{Code: "L", Points: 5, Method: healthcell.MethodELT, Target: 20}
	count := &healthcell.Item{Code: "C", Points: 5, Method: healthcell.MethodCount, MinCount: 2}
	attach := &healthcell.Item{Code: "A", Points: 5, Method: healthcell.MethodAttach}
	odd := &healthcell.Item{Code: "X", Points: 5, Method: "guess"}
	withNote := func(a *healthcell.Answer) *healthcell.Answer {
		a.Note = "备注"
		a.Evidence = evid(1).Evidence
		return a
	}

	tests := []struct {
		name string
		it   *healthcell.Item
		a    *healthcell.Answer
		want string // message key, "" for nil
	}{
		{"yes answered", yesItem, yes(true), ""},
		{"no answered", noItem, yes(true), ""},
		{"yes with note and evidence", yesItem, withNote(yes(false)), ""},
		{"yes missing", yesItem, &healthcell.Answer{Note: "x"}, MsgAnswerMissing},
		{"nil answer", yesItem, nil, MsgAnswerMissing},
		{"yes item given a grade", yesItem, grd("好"), MsgAnswerKind},
		{"yes item given yes and a value", yesItem, &healthcell.Answer{Yes: new(true), Value: new(1.0)}, MsgAnswerKind},
		{"known grade", graded, grd("差"), ""},
		{"unknown grade", graded, grd("中"), MsgGradeUnknown},
		{"grade missing", graded, &healthcell.Answer{}, MsgAnswerMissing},
		{"graded item given yes", graded, yes(true), MsgAnswerKind},
		{"egt value", egt, val(85.5), ""},
		{"egt zero", egt, val(0), ""},
		{"egt 100", egt, val(100), ""},
		{"egt above 100", egt, val(100.5), MsgValueRange},
		{"egt 1e308", egt, val(1e308), MsgValueRange},
		{"elt above 100", elt, val(120), MsgValueRange},
		{"egt negative", egt, val(-1), MsgValueInvalid},
		{"egt NaN", egt, val(math.NaN()), MsgValueInvalid},
		{"egt infinity", egt, val(math.Inf(1)), MsgValueInvalid},
		{"elt value", elt, val(15), ""},
		{"elt missing", elt, &healthcell.Answer{}, MsgAnswerMissing},
		{"elt given count", elt, cnt(3), MsgAnswerKind},
		{"count", count, cnt(3), ""},
		{"count zero", count, cnt(0), ""},
		{"count negative", count, cnt(-2), MsgCountInvalid},
		{"count at the most", count, cnt(MaxCount), ""},
		{"count too large", count, cnt(MaxCount + 1), MsgCountRange},
		{"count missing", count, &healthcell.Answer{}, MsgAnswerMissing},
		{"attach with evidence", attach, evid(1), ""},
		{"attach without evidence", attach, evid(0), ""},
		{"attach given yes", attach, yes(true), MsgAnswerKind},
		{"unknown method", odd, yes(true), MsgAnswerKind},
		{"nil item", nil, yes(true), MsgAnswerKind},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckAnswer(tt.it, tt.a)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("CheckAnswer = %v, want nil", err)
				}
				return
			}
			var e *healthcell.Error
			if !errors.As(err, &e) || e.Code != healthcell.EINVALID {
				t.Fatalf("CheckAnswer = %v, want EINVALID", err)
			}
			if len(e.Fields) != 1 || e.Fields[0].Field != "answer" || e.Fields[0].Message != tt.want {
				t.Errorf("Fields = %+v, want one answer field with %s", e.Fields, tt.want)
			}
		})
	}
}

func TestRound(t *testing.T) {
	tests := []struct {
		name   string
		x      float64
		places int
		want   float64
	}{
		{"half up", 1.005, 2, 1.01},
		{"binary just below half", 2.675, 2, 2.68},
		{"half away from zero negative", -1.005, 2, -1.01},
		{"down", 1.004, 2, 1},
		{"float noise", 0.1 + 0.2, 2, 0.3},
		{"carry", 9.995, 2, 10},
		{"already short", 12.5, 2, 12.5},
		{"integer", 100, 2, 100},
		{"tiny negative to zero", -0.001, 2, 0},
		{"NaN", math.NaN(), 2, 0},
		{"rate", 2.1 / 2.8, 6, 0.75},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := round(tt.x, tt.places); got != tt.want || math.Signbit(got) != math.Signbit(tt.want) {
				t.Errorf("round(%v, %d) = %v, want %v", tt.x, tt.places, got, tt.want)
			}
		})
	}
}

// TestRandomSheets checks bounds on random standards and answers, valid or not.
func TestRandomSheets(t *testing.T) {
	rng := rand.New(rand.NewPCG(2024, 11))
	regions := []string{"东", "中", "西", ""}
	points := func() float64 { return float64(rng.IntN(41)) / 2 } // 0 … 20 by halves
	randomItem := func(code string) healthcell.Item {
		it := healthcell.Item{Code: code, Section: "S" + string(rune('A'+rng.IntN(3))), Points: points(),
			Method: healthcell.Methods[rng.IntN(len(healthcell.Methods))], Veto: rng.IntN(5) == 0, Bonus: rng.IntN(6) == 0}
		if rng.IntN(2) == 0 {
			it.Subsection = "s" + string(rune('a'+rng.IntN(3)))
		}
		switch it.Method {
		case healthcell.MethodGraded:
			for g := range 1 + rng.IntN(4) {
				it.Grades = append(it.Grades, healthcell.Grade{Label: string(rune('甲' + g)), Points: math.Round(rng.Float64()*it.Points*100) / 100})
			}
		case healthcell.MethodEGT, healthcell.MethodELT:
			it.Target = float64(rng.IntN(101))
			if rng.IntN(2) == 0 {
				it.Targets = map[string]float64{"东": float64(rng.IntN(101)), "西": float64(rng.IntN(101))}
			}
		case healthcell.MethodCount:
			it.MinCount = rng.IntN(8)
		}
		return it
	}
	randomAnswer := func() *healthcell.Answer {
		a := &healthcell.Answer{}
		switch rng.IntN(9) {
		case 0:
			return nil
		case 1:
			a.Yes = new(rng.IntN(2) == 0)
		case 2:
			a.Grade = string(rune('甲' + rng.IntN(5)))
		case 3:
			a.Value = new(rng.Float64()*250 - 20)
		case 4:
			a.Value = new([]float64{math.NaN(), math.Inf(1), math.Inf(-1), 0, 1e300}[rng.IntN(5)])
		case 5:
			a.Count = new(rng.IntN(20) - 3)
		case 6:
			a.Evidence = evid(rng.IntN(3)).Evidence
		case 7:
			a.Yes, a.Count = new(true), new(3)
		}
		return a
	}

	for n := range 2000 {
		std := &healthcell.Standard{PassScore: float64(rng.IntN(100)), VetoMinRate: []float64{0, 0.6, 0.75, 1}[rng.IntN(4)],
			Levels: []healthcell.Level{{Name: "铜", Min: 50}, {Name: "银", Min: 70}}}
		sh := &healthcell.ScoreSheet{Region: regions[rng.IntN(len(regions))], Answers: map[string]*healthcell.Answer{}}
		var bonusPoints float64
		for i := range 1 + rng.IntN(15) {
			it := randomItem(string(rune('a'+i)) + "1")
			std.Items = append(std.Items, it)
			if it.Bonus {
				bonusPoints += it.Points
			}
			if a := randomAnswer(); a != nil {
				sh.Answers[it.Code] = a
			}
		}
		r := Compute(std, sh)
		if r.Total > round(r.Max+bonusPoints, 2) || r.Base > r.Max {
			t.Fatalf("#%d: Total %v, Base %v > Max %v (+ bonus %v)", n, r.Total, r.Base, r.Max, bonusPoints)
		}
		if r.Total != round(r.Base+r.Bonus, 2) || r.Answered+len(r.Missing) != r.Required || r.VetoRate < 0 || r.VetoRate > 1 {
			t.Fatalf("#%d: inconsistent result %+v", n, r)
		}
		if r.Level != "" && !r.Passed {
			t.Fatalf("#%d: level %q without passing", n, r.Level)
		}
		var secScore float64
		for _, s := range r.Sections {
			secScore += s.Score
		}
		if round(secScore, 2) != r.Total {
			t.Fatalf("#%d: sections add up to %v, Total %v", n, secScore, r.Total)
		}
		for i, ir := range r.Items {
			it := &std.Items[i]
			if ir.Score < 0 || ir.Score > ir.Max || math.IsNaN(ir.Score) {
				t.Fatalf("#%d %s: Score %v outside 0 … %v", n, ir.Code, ir.Score, ir.Max)
			}
			if ir.Score != round(ir.Score, 2) {
				t.Fatalf("#%d %s: Score %v has more than two decimals", n, ir.Code, ir.Score)
			}
			a := sh.Answers[it.Code]
			if valid := a != nil && CheckAnswer(it, a) == nil; ir.Answered != valid {
				t.Fatalf("#%d %s: Answered %v but answer valid %v", n, ir.Code, ir.Answered, valid)
			}
			if ir.Met && it.Points > 0 && ir.Score != it.Points {
				t.Fatalf("#%d %s: met with %v of %v", n, ir.Code, ir.Score, it.Points)
			}
		}
	}
}
