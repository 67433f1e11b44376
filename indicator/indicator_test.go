package indicator_test

import (
	"strings"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/catalog"
	"github.com/healthcell/healthcell/indicator"
	"github.com/healthcell/healthcell/locale"
)

func sources(t *testing.T) indicator.Sources {
	t.Helper()
	regs, err := catalog.Registers()
	if err != nil {
		t.Fatal(err)
	}
	return indicator.NewSources(regs)
}

func TestShipped(t *testing.T) {
	inds, err := catalog.Indicators()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"literacy_level", "knowledge_rate", "behaviour_rate", "contract_rate", "record_rate", "elderly_managed_rate",
		"checkup_rate", "insured_rate", "oop_ratio", "toilet_rate", "tap_water_rate", "baseline_rate", "activity_lectures",
		"activity_trainings", "activity_publicity", "activity_sports", "activity_meetings", "activity_attendance"}
	got := map[string]bool{}
	for _, ind := range inds {
		got[ind.Code] = true
	}
	for _, c := range want {
		if !got[c] {
			t.Errorf("indicator %s not shipped", c)
		}
	}
	p, _ := indicator.ParsePeriod("2025")
	srcs := sources(t)
	for _, ind := range inds {
		for _, m := range []*healthcell.Measure{ind.Numerator, ind.Denominator} {
			if m == nil {
				continue
			}
			q, err := indicator.Compile(m, srcs, p, indicator.Scope{Lo: "510824000000", Hi: "510824999999", GroupLen: 9})
			if err != nil {
				t.Errorf("%s: %v", ind.Code, err)
			}
			if strings.Count(q.SQL, "$") != len(q.Args) {
				t.Errorf("%s: %d placeholders, %d args: %s", ind.Code, strings.Count(q.SQL, "$"), len(q.Args), q.SQL)
			}
		}
	}
}

func TestCompileMany(t *testing.T) {
	inds, err := catalog.Indicators()
	if err != nil {
		t.Fatal(err)
	}
	p, _ := indicator.ParsePeriod("2025Q2")
	by := map[string][]*healthcell.Measure{}
	for _, ind := range inds {
		for _, m := range []*healthcell.Measure{ind.Numerator, ind.Denominator} {
			if m != nil && m.Const == nil {
				by[m.From] = append(by[m.From], m)
			}
		}
	}
	srcs := sources(t)
	for from, ms := range by {
		q, err := indicator.CompileMany(ms, srcs, p, indicator.Scope{Lo: "510824100000", Hi: "510824100999", GroupLen: 12})
		if err != nil {
			t.Fatalf("%s: %v", from, err)
		}
		if strings.Count(q.SQL, "$") != len(q.Args) || strings.Count(q.SQL, " FROM ") < 1 {
			t.Errorf("%s: %d placeholders, %d args: %s", from, strings.Count(q.SQL, "$"), len(q.Args), q.SQL)
		}
	}
	if _, err := indicator.CompileMany([]*healthcell.Measure{{From: "residents", Count: "persons"}, {From: "households", Count: "households"}}, srcs, p, indicator.Scope{GroupLen: 9}); err == nil {
		t.Error("measures over two sources compiled into one query")
	}
}

func TestPeriods(t *testing.T) {
	for _, c := range []struct{ in, start, end string }{
		{"2025", "2025-01-01", "2025-12-31"},
		{"2025Q2", "2025-04-01", "2025-06-30"},
		{"2024Q1", "2024-01-01", "2024-03-31"},
		{"2025-05", "2025-05-01", "2025-05-31"},
		{"2024-02", "2024-02-01", "2024-02-29"},
	} {
		p, err := indicator.ParsePeriod(c.in)
		if err != nil || p.Start.Format("2006-01-02") != c.start || p.End.Format("2006-01-02") != c.end {
			t.Errorf("%s: %v %v %v", c.in, p.Start, p.End, err)
		}
	}
	for _, bad := range []string{"", "25", "2025Q5", "2025-13", "2025-5", "abcd", "2025q1"} {
		if _, err := indicator.ParsePeriod(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func f(v float64) *float64 { return &v }

// TestRefused: bad formulas are refused with a message key naming the fault.
func TestRefused(t *testing.T) {
	base := func(num, den *healthcell.Measure) *healthcell.Indicator {
		return &healthcell.Indicator{Code: "x_rate", Zh: "某率", Unit: "%", Direction: "higher", Numerator: num, Denominator: den}
	}
	res := &healthcell.Measure{From: "residents", Count: "persons", Where: "resident"}
	deep := strings.Repeat("(", 30) + "resident" + strings.Repeat(")", 30)
	wide := "resident" + strings.Repeat(" and resident", 150)
	known := map[string]*healthcell.Indicator{"contract_rate": {Code: "contract_rate", Unit: "%"}}
	cases := []struct {
		name  string
		ind   *healthcell.Indicator
		field string
		key   string
	}{
		{"unknown register", base(&healthcell.Measure{From: "vaccinations", Count: "rows"}, res), "numerator.from", "indicator.unknown_source"},
		{"unknown field", base(&healthcell.Measure{From: "contracts", Count: "rows", Where: "colour = 'red'"}, res), "numerator.where", "indicator.unknown_field"},
		{"unknown field in has", base(&healthcell.Measure{From: "residents", Count: "persons", Where: "has(checkups, period, grade = 'A')"}, res), "numerator.where", "indicator.unknown_field"},
		{"unknown register in has", base(&healthcell.Measure{From: "residents", Count: "persons", Where: "has(vaccinations)"}, res), "numerator.where", "indicator.unknown_source"},
		{"unknown sum field", base(&healthcell.Measure{From: "expenses", Sum: "price"}, res), "numerator.sum", "indicator.unknown_field"},
		{"sum of text", base(&healthcell.Measure{From: "expenses", Sum: "hospital"}, res), "numerator.sum", "indicator.not_numeric"},
		{"unknown option", base(&healthcell.Measure{From: "expenses", Count: "rows", Where: "visit_kind = 'dental'"}, res), "numerator.where", "indicator.unknown_option"},
		{"type mismatch", base(&healthcell.Measure{From: "expenses", Count: "rows", Where: "total = 'lots'"}, res), "numerator.where", "indicator.type"},
		{"zero denominator const", base(res, &healthcell.Measure{Const: f(0)}), "denominator.const", "indicator.zero_denominator"},
		{"zero denominator filter", base(res, &healthcell.Measure{From: "residents", Count: "persons", Where: "resident and 1 = 0"}), "denominator.where", "indicator.zero_denominator"},
		{"zero denominator false", base(res, &healthcell.Measure{From: "residents", Count: "persons", Where: "false"}), "denominator.where", "indicator.zero_denominator"},
		{"too deep", base(&healthcell.Measure{From: "residents", Count: "persons", Where: deep}, res), "numerator.where", "indicator.too_large"},
		{"too many nodes", base(&healthcell.Measure{From: "residents", Count: "persons", Where: wide}, res), "numerator.where", "indicator.too_large"},
		{"syntax", base(&healthcell.Measure{From: "residents", Count: "persons", Where: "age >= "}, res), "numerator.where", "indicator.syntax"},
		{"span window on a dated register", base(&healthcell.Measure{From: "checkups", Count: "rows", Period: "overlap"}, res), "numerator.period", "indicator.no_span"},
		{"bad window", base(&healthcell.Measure{From: "checkups", Count: "rows", Period: "fortnight"}, res), "numerator.period", "indicator.bad_window"},
		{"no link", base(&healthcell.Measure{From: "activities", Count: "rows", Where: "has(checkups)"}, res), "numerator.where", "indicator.no_link"},
		{"expr zero divisor", &healthcell.Indicator{Code: "y", Zh: "y", Unit: "ratio", Direction: "higher", Expr: "contract_rate / (2 - 2)"}, "expr", "indicator.zero_denominator"},
		{"expr unknown", &healthcell.Indicator{Code: "y", Zh: "y", Unit: "ratio", Direction: "higher", Expr: "contract_rate + nonesuch"}, "expr", "indicator.unknown_indicator"},
		{"bad unit", &healthcell.Indicator{Code: "y", Zh: "y", Unit: "‰", Direction: "higher", Numerator: res, Denominator: res}, "unit", "indicator.bad_unit"},
		{"no denominator", &healthcell.Indicator{Code: "y", Zh: "y", Unit: "%", Direction: "higher", Numerator: res}, "denominator", "indicator.denominator_required"},
	}
	msgs, err := locale.New()
	if err != nil {
		t.Fatal(err)
	}
	srcs := sources(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fe := indicator.Check(c.ind, srcs, known)
			found := false
			for _, e := range fe {
				if e.Field == c.field && e.Message == c.key {
					found = true
				}
				for _, lang := range []string{"zh-CN", "en"} {
					if s := msgs.T(lang, e.Message, nil); s == e.Message || s == "" {
						t.Errorf("%s: no %s message for %s", c.name, lang, e.Message)
					}
				}
			}
			if !found {
				t.Errorf("want %s %s, got %+v", c.field, c.key, fe)
			}
		})
	}
}

func TestAccepted(t *testing.T) {
	srcs := sources(t)
	known := map[string]*healthcell.Indicator{"contract_rate": {Code: "contract_rate"}, "record_rate": {Code: "record_rate"}}
	for _, ind := range []*healthcell.Indicator{
		{Code: "poor_contract_rate", Zh: "贫困人口签约率", Unit: "%", Direction: "higher", Target: f(100),
			Numerator:   &healthcell.Measure{From: "residents", Count: "persons", Where: "has(poverty, asof, status in ('registered', 'monitored')) and has(contracts, overlap)"},
			Denominator: &healthcell.Measure{From: "residents", Count: "persons", Where: "has(poverty, asof, status in ('registered', 'monitored'))"}},
		{Code: "mean_contract", Zh: "平均", Unit: "%", Direction: "higher", Expr: "(contract_rate + record_rate) / 2"},
		{Code: "women_50", Zh: "女", Unit: "count", Direction: "higher", Numerator: &healthcell.Measure{From: "residents", Count: "households", Where: "sex = 'F' and 50 <= age and not age in (60, 61)"}},
		{Code: "per_capita", Zh: "人均", Unit: "ratio", Direction: "higher", Numerator: &healthcell.Measure{From: "activities", Sum: "attendance", Period: "6m"}, Denominator: &healthcell.Measure{Const: f(12)}},
	} {
		if fe := indicator.Check(ind, srcs, known); fe != nil {
			t.Errorf("%s refused: %+v", ind.Code, fe)
		}
	}
}
