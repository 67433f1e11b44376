package frequency_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/healthcell/healthcell/catalog"
	"github.com/healthcell/healthcell/frequency"
)

func TestShippedRules(t *testing.T) {
	rules, err := catalog.Frequencies()
	if err != nil {
		t.Fatal(err)
	}
	periods := map[string]bool{}
	for _, r := range rules {
		periods[r.Period] = true
	}
	for _, p := range []string{frequency.Month, frequency.Semester, frequency.Quarter, frequency.Year} {
		if !periods[p] {
			t.Errorf("no shipped rule counts by %s", p)
		}
	}
}

func TestParseRejects(t *testing.T) {
	kinds := map[string]bool{"lecture": true}
	base := "- {code: r1, zh: 每月讲座, en: Monthly lecture, activity: lecture, period: month, min: 1, applies: village}\n"
	for _, tc := range []struct{ name, text, want string }{
		{"unknown key", strings.Replace(base, "min: 1", "min: 1, often: yes", 1), "often"},
		{"unknown activity", strings.Replace(base, "activity: lecture", "activity: lectures", 1), "activity"},
		{"unknown period", strings.Replace(base, "period: month", "period: week", 1), "period"},
		{"min zero", strings.Replace(base, "min: 1", "min: 0", 1), "min"},
		{"unknown unit kind", strings.Replace(base, "applies: village", "applies: temple", 1), "applies"},
		{"bad code", strings.Replace(base, "code: r1", "code: R 1", 1), "code"},
		{"no name", strings.Replace(base, "en: Monthly lecture, ", "", 1), "names"},
		{"code twice", base + base, "twice"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := frequency.Parse(strings.NewReader(tc.text), kinds)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
	if _, err := frequency.Parse(strings.NewReader(base), kinds); err != nil {
		t.Errorf("base: %v", err)
	}
}

func TestSpans(t *testing.T) {
	for _, tc := range []struct {
		period string
		n      int
		first  frequency.Span
		last   frequency.Span
	}{
		{frequency.Month, 12, frequency.Span{Code: "2024-01", N: 1, Start: "2024-01-01", End: "2024-01-31"},
			frequency.Span{Code: "2024-12", N: 12, Start: "2024-12-01", End: "2024-12-31"}},
		{frequency.Quarter, 4, frequency.Span{Code: "2024Q1", N: 1, Start: "2024-01-01", End: "2024-03-31"},
			frequency.Span{Code: "2024Q4", N: 4, Start: "2024-10-01", End: "2024-12-31"}},
		{frequency.Semester, 2, frequency.Span{Code: "2024S1", N: 1, Start: "2024-03-01", End: "2024-07-31"},
			frequency.Span{Code: "2024S2", N: 2, Start: "2024-09-01", End: "2025-01-31"}},
		{frequency.Year, 1, frequency.Span{Code: "2024", N: 1, Start: "2024-01-01", End: "2024-12-31"},
			frequency.Span{Code: "2024", N: 1, Start: "2024-01-01", End: "2024-12-31"}},
	} {
		s := frequency.Spans(tc.period, 2024)
		if len(s) != tc.n || s[0] != tc.first || s[len(s)-1] != tc.last {
			t.Errorf("%s: %+v", tc.period, s)
		}
	}
	if feb := frequency.Spans(frequency.Month, 2024)[1]; feb.End != "2024-02-29" {
		t.Errorf("February 2024 ends %s", feb.End)
	}
	if feb := frequency.Spans(frequency.Month, 2025)[1]; feb.End != "2025-02-28" {
		t.Errorf("February 2025 ends %s", feb.End)
	}
}

func TestMissed(t *testing.T) {
	// Activities by month: lectures in Jan (1), Mar (2), Apr (1), Jun (1),
	// Sep (1) and January of the next year (1).
	monthly := map[string]int{"2025-01": 1, "2025-03": 2, "2025-04": 1, "2025-06": 1, "2025-09": 1, "2026-01": 1}
	codes := func(ms []frequency.Miss) string {
		var s []string
		for _, m := range ms {
			s = append(s, m.Span.Code+"="+string(rune('0'+m.Count)))
		}
		return strings.Join(s, " ")
	}
	for _, tc := range []struct {
		name   string
		period string
		min    int
		today  string
		want   string
	}{
		// Feb, May, Jul, Aug, Oct, Nov, Dec have none; December has ended by 2026-01-05.
		{"monthly, whole year", frequency.Month, 1, "2026-01-05", "2025-02=0 2025-05=0 2025-07=0 2025-08=0 2025-10=0 2025-11=0 2025-12=0"},
		// On 2025-08-15 only January–July have ended.
		{"monthly, mid-year", frequency.Month, 1, "2025-08-15", "2025-02=0 2025-05=0 2025-07=0"},
		// A month ending on today is still running.
		{"the last day is not yet over", frequency.Month, 1, "2025-05-31", "2025-02=0"},
		// Q1 = 3, Q2 = 2, Q3 = 1, Q4 = 0.
		{"quarterly, two each", frequency.Quarter, 2, "2026-02-01", "2025Q3=1 2025Q4=0"},
		// Spring Mar–Jul = 4; autumn Sep–Jan = 2 (September and January).
		{"semester, two each", frequency.Semester, 2, "2026-02-01", ""},
		{"semester, three each", frequency.Semester, 3, "2026-02-01", "2025S2=2"},
		// The autumn semester runs until 31 January: not judged before.
		{"autumn semester still running", frequency.Semester, 3, "2026-01-31", ""},
		// The year has 6 (January of the next year is not in it).
		{"yearly", frequency.Year, 7, "2026-01-01", "2025=6"},
		{"yearly, met", frequency.Year, 6, "2026-01-01", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := frequency.Rule{Code: "r", Period: tc.period, Min: tc.min}
			if got := codes(r.Missed(2025, tc.today, monthly)); got != tc.want {
				t.Errorf("missed %q, want %q", got, tc.want)
			}
		})
	}
	r := frequency.Rule{Period: frequency.Month, Min: 1}
	if got := r.Missed(2025, "2026-02-01", nil); len(got) != 12 || !reflect.DeepEqual(got[0].Span, frequency.Spans(frequency.Month, 2025)[0]) {
		t.Errorf("no activities: %+v", got)
	}
}
