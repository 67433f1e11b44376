package idcard

import "strings"

// Mask hides an ID number for display: it keeps the first 6 and the last 4
// characters and replaces every character in between with '*', e.g.
// 510824199001011234 → 510824********1234. A string of fewer than 10
// characters becomes all '*' of the same length; "" stays "". Characters are
// counted as runes (an invalid UTF-8 byte counts as one), so the result has
// as many characters as s. Mask does not normalise; pass Normalize(s) or
// ID.Number if s may contain spaces.
func Mask(s string) string {
	n := 0
	for range s {
		n++
	}
	if n < 10 {
		return strings.Repeat("*", n)
	}
	head, tail := 0, len(s)
	k := 0
	for i := range s {
		if k == 6 {
			head = i
		}
		if k == n-4 {
			tail = i
		}
		k++
	}
	return s[:head] + strings.Repeat("*", n-10) + s[tail:]
}
