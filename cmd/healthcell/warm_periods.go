package main

import (
	"fmt"
	"strconv"
)

// warmPeriods lists the indicator periods computed at start on day (a
// YYYY-MM-DD campaign day in Asia/Shanghai): this year, then the year
// before (the year-end summary written early in a year) and this year's
// quarters up to day's (the stage summaries). A day that is not a date
// gives none.
func warmPeriods(day string) []string {
	if len(day) < 7 {
		return nil
	}
	year, err := strconv.Atoi(day[:4])
	month, err2 := strconv.Atoi(day[5:7])
	if err != nil || err2 != nil || month < 1 || month > 12 {
		return nil
	}
	out := []string{strconv.Itoa(year), strconv.Itoa(year - 1)}
	for q := 1; q <= (month+2)/3; q++ {
		out = append(out, fmt.Sprintf("%dQ%d", year, q))
	}
	return out
}
