package indicator_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/indicator"
)

func TestEndedBefore(t *testing.T) {
	for _, c := range []struct {
		period, day string
		want        bool
	}{
		{"2025", "2026-01-01", true},
		{"2025", "2025-12-31", false}, // its last day: still current
		{"2026", "2026-12-04", false},
		{"2026-11", "2026-12-04", true},
		{"2026Q4", "2026-12-04", false},
		{"2026Q3", "2026-12-04", true},
	} {
		p, err := indicator.ParsePeriod(c.period)
		if err != nil {
			t.Fatal(err)
		}
		if got := p.EndedBefore(c.day); got != c.want {
			t.Errorf("%s ended before %s = %v, want %v", c.period, c.day, got, c.want)
		}
	}
}

// TestCompileAsOf: a past period reads residents and households from their
// history (both parts of the derived table carry the scope, and an
// existence test in a source with a history its link); registers and the
// current period read the live tables.
func TestCompileAsOf(t *testing.T) {
	srcs := sources(t)
	p, _ := indicator.ParsePeriod("2025")
	past := p
	past.AsOf = true
	sc := indicator.Scope{Lo: "510824100000", Hi: "510824100999", GroupLen: 12}
	for _, c := range []struct {
		name    string
		m       healthcell.Measure
		p       indicator.Period
		history []string // tables read as of the period's end
		count   int      // how often the scope's range appears
	}{
		{"residents now", healthcell.Measure{From: "residents", Count: "persons", Where: "resident"}, p, nil, 1},
		{"residents past", healthcell.Measure{From: "residents", Count: "persons", Where: "resident and age >= 65"}, past, []string{"person_history"}, 3},
		{"households past", healthcell.Measure{From: "households", Count: "households", Where: "has(residents, not identified)"}, past,
			[]string{"household_history", "person_history"}, 3},
		{"register past", healthcell.Measure{From: "checkups", Count: "rows"}, past, nil, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			q, err := indicator.CompileMany([]*healthcell.Measure{&c.m}, srcs, c.p, sc)
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range []string{"person_history", "household_history"} {
				want := false
				for _, w := range c.history {
					want = want || w == h
				}
				if strings.Contains(q.SQL, h) != want {
					t.Errorf("reads %s: %v, want %v\n%s", h, !want, want, q.SQL)
				}
			}
			if n := strings.Count(q.SQL, "village_code BETWEEN"); n != c.count {
				t.Errorf("%d range conditions, want %d\n%s", n, c.count, q.SQL)
			}
			// Every argument is used, and none beyond them ($n may repeat).
			for i := 1; i <= len(q.Args)+1; i++ {
				if used := strings.Contains(q.SQL, "$"+strconv.Itoa(i)+" ") || strings.HasSuffix(q.SQL, "$"+strconv.Itoa(i)) ||
					strings.Contains(q.SQL, "$"+strconv.Itoa(i)+")"); used != (i <= len(q.Args)) {
					t.Errorf("$%d used: %v, with %d args\n%s", i, used, len(q.Args), q.SQL)
				}
			}
		})
	}
}
