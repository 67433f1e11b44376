package idcard

import "time"

// Generate builds an 18-character ID number from a 6-digit region code, the
// calendar date of birth (in birth's location) and a sequence number 0–999
// (odd = male, even = female), appending the correct check character.
// It returns "" when region is not exactly 6 ASCII digits, seq is outside
// 0–999, or the birth year is outside 0–9999. It does not check that the
// region is plausible or that the date is from 1880 on, so Parse may still
// reject the result.
func Generate(region string, birth time.Time, seq int) string {
	if len(region) != 6 || !allDigits(region) || seq < 0 || seq > 999 {
		return ""
	}
	y, m, d := birth.Date()
	if y < 0 || y > 9999 {
		return ""
	}
	b := make([]byte, 0, 18)
	b = append(b, region...)
	b = appendPadded(b, y, 4)
	b = appendPadded(b, int(m), 2)
	b = appendPadded(b, d, 2)
	b = appendPadded(b, seq, 3)
	c, err := CheckChar(string(b))
	if err != nil {
		return ""
	}
	return string(append(b, c))
}

// appendPadded appends the non-negative v as exactly width decimal digits.
func appendPadded(b []byte, v, width int) []byte {
	for p := width - 1; p >= 0; p-- {
		d := v
		for range p {
			d /= 10
		}
		b = append(b, byte('0'+d%10))
	}
	return b
}
