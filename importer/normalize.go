package importer

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// foldWidth turns full-width ASCII forms (U+FF01–U+FF5E: digits, letters,
// brackets, colons) and the ideographic space into their half-width forms.
func foldWidth(s string) string {
	need := false
	for _, r := range s {
		if (r >= 0xFF01 && r <= 0xFF5E) || r == 0x3000 {
			need = true
			break
		}
	}
	if !need {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			return r - 0xFEE0
		case r == 0x3000:
			return ' '
		}
		return r
	}, s)
}

// isBlank reports whether r is trimmed from cells: white space (tabs,
// line breaks, NBSP, the ideographic space), byte-order marks and
// zero-width characters.
func isBlank(r rune) bool {
	return unicode.IsSpace(r) || r == '\ufeff' || (r >= 0x200B && r <= 0x200D) || r == 0x2060
}

// CleanText is the normalisation of every cell: full-width letters and
// digits made half-width, surrounding blanks (see isBlank) removed. It never
// fails.
func CleanText(s string) string {
	if s == "" {
		return s
	}
	return strings.TrimFunc(foldWidth(s), isBlank)
}

// ParseDate reads a date as people type it or Excel stores it and returns
// it as YYYY-MM-DD: 2025-01-02, 2025-1-2, 2025/1/2, 2025.1.2, 2025年1月2日
// (日 optional), 20250102, or an Excel date serial (45659, possibly with a
// time fraction). A time of day after a space is ignored. It returns false
// for anything else and for a day that does not exist.
func ParseDate(s string) (string, bool) {
	s = CleanText(s)
	if i := strings.IndexByte(s, ' '); i > 0 {
		s = s[:i] // "2025-01-02 00:00:00"
	}
	if s == "" {
		return "", false
	}
	if allDigits(s) && len(s) == 8 {
		return ymd(atoi(s[:4]), atoi(s[4:6]), atoi(s[6:]))
	}
	if serial, ok := excelSerial(s); ok {
		if serial < 1 || serial > 2958465 || serial == 60 {
			return "", false
		}
		base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
		if serial < 60 { // Excel counts a 29 February 1900 that never was
			base = base.AddDate(0, 0, 1)
		}
		t := base.AddDate(0, 0, serial)
		return t.Format("2006-01-02"), true
	}
	var parts [3]int
	n, cur, digits := 0, 0, 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r >= '0' && r <= '9':
			if digits >= 4 {
				return "", false
			}
			cur, digits = cur*10+int(r-'0'), digits+1
		case r == '-' || r == '/' || r == '.' || r == '年' || r == '月' || r == '日':
			if digits == 0 || n >= 3 {
				return "", false
			}
			parts[n], n, cur, digits = cur, n+1, 0, 0
			if r == '日' && i != len(s) {
				return "", false
			}
		default:
			return "", false
		}
	}
	if digits > 0 {
		if n >= 3 {
			return "", false
		}
		parts[n], n = cur, n+1
	}
	if n != 3 || parts[0] < 1000 {
		return "", false
	}
	return ymd(parts[0], parts[1], parts[2])
}

// excelSerial reads a whole number, or one with a fraction, of at most 7
// digits before the point.
func excelSerial(s string) (int, bool) {
	whole, frac, dot := s, "", strings.IndexByte(s, '.')
	if dot >= 0 {
		whole, frac = s[:dot], s[dot+1:]
		if frac == "" || !allDigits(frac) {
			return 0, false
		}
	}
	if whole == "" || len(whole) > 7 || !allDigits(whole) {
		return 0, false
	}
	return atoi(whole), true
}

func ymd(y, m, d int) (string, bool) {
	if y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1 {
		return "", false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return "", false
	}
	return t.Format("2006-01-02"), true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func atoi(s string) int {
	v := 0
	for i := 0; i < len(s); i++ {
		v = v*10 + int(s[i]-'0')
	}
	return v
}

// CleanPhone removes spaces inside a phone number as well as around it; it
// never fails (PhoneValid judges the result).
func CleanPhone(s string) string {
	s = CleanText(s)
	if strings.IndexFunc(s, isBlank) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isBlank(r) {
			return -1
		}
		return r
	}, s)
}

// Value returns what an enum or bool cell means under column c (its Values,
// matched as headers are), and false for a text c does not know.
func (c *Column) Value(text string) (string, bool) {
	if v, ok := c.Values[text]; ok { // the common case, exactly as declared
		return v, true
	}
	v, ok := c.values[HeaderKey(text)]
	return v, ok
}
