package indicator

import (
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// Period is a year, a quarter or a month, with its first and last day.
type Period struct {
	Label string
	Start time.Time
	End   time.Time // the last day, inclusive
	// AsOf reads the sources with a history (residents, households) as
	// they were at the end of End rather than as they are now: set it for a
	// period that has ended, so that later deaths and moves do not change
	// its values. A current period reads the live rows.
	AsOf bool
}

var periodRE = regexp.MustCompile(`^(\d{4})(?:Q([1-4])|-(0[1-9]|1[0-2]))?$`)

// ParsePeriod reads "2025", "2025Q2" or "2025-05". It returns an error for
// anything else or a year outside 1900–2200.
func ParsePeriod(s string) (Period, error) {
	m := periodRE.FindStringSubmatch(s)
	if m == nil {
		return Period{}, fmt.Errorf("period %q is not YYYY, YYYYQn or YYYY-MM", s)
	}
	y, _ := strconv.Atoi(m[1])
	if y < 1900 || y > 2200 {
		return Period{}, fmt.Errorf("period %q: year out of range", s)
	}
	start, months := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), 12
	switch {
	case m[2] != "":
		q, _ := strconv.Atoi(m[2])
		start, months = start.AddDate(0, 3*(q-1), 0), 3
	case m[3] != "":
		mo, _ := strconv.Atoi(m[3])
		start, months = start.AddDate(0, mo-1, 0), 1
	}
	return Period{Label: s, Start: start, End: start.AddDate(0, months, -1)}, nil
}

// EndedBefore reports whether p's last day is before day (YYYY-MM-DD, in
// Asia/Shanghai): such a period is computed AsOf its end. Every caller that
// computes a period's values sets AsOf this way.
func (p Period) EndedBefore(day string) bool { return p.End.Format(dateFmt) < day }

// Months returns the months of p, as periods, in order.
func (p Period) Months() []Period {
	var out []Period
	for t := p.Start; !t.After(p.End); t = t.AddDate(0, 1, 0) {
		out = append(out, Period{Label: t.Format("2006-01"), Start: t, End: t.AddDate(0, 1, -1)})
	}
	return out
}

// Quarters returns the quarters of a year period.
func (p Period) Quarters() []Period {
	var out []Period
	for q := 1; q <= 4; q++ {
		s := time.Date(p.Start.Year(), time.Month(3*q-2), 1, 0, 0, 0, 0, time.UTC)
		if s.Before(p.Start) || s.After(p.End) {
			continue
		}
		out = append(out, Period{Label: fmt.Sprintf("%dQ%d", p.Start.Year(), q), Start: s, End: s.AddDate(0, 3, -1)})
	}
	return out
}
