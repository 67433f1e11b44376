package idcard

import "strings"

// Mask hides an ID number for display: it keeps the first 6 characters (the
// area code, which the record's village gives away anyway) and replaces every
// later character with '*', e.g. 510824199001011234 → 510824************.
//
// Nothing after the area code is kept, on purpose: digits 7–14 are the birth
// date, 15–17 a sequence whose last digit gives the sex, and 18 a checksum of
// the rest. Keeping the tail (the usual "last four") leaves only the birth
// date unknown, which the checksum and an age or birth date shown elsewhere
// restore; with all twelve hidden, even a full birth date and the sex leave
// hundreds of candidates. A string of fewer than 10 characters becomes all
// '*' of the same length; "" stays "". Characters are counted as runes (an
// invalid UTF-8 byte counts as one), so the result has as many characters as
// s. Mask does not normalise; pass Normalize(s) or ID.Number if s may contain
// spaces.
func Mask(s string) string {
	n := 0
	for range s {
		n++
	}
	if n < 10 {
		return strings.Repeat("*", n)
	}
	head, k := 0, 0
	for i := range s {
		if k == 6 {
			head = i
			break
		}
		k++
	}
	return s[:head] + strings.Repeat("*", n-6)
}
