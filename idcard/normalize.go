package idcard

import (
	"strings"
	"unicode"
)

// Normalize cleans up an ID number as typed or pasted: full-width ASCII
// characters (U+FF01–U+FF5E: digits, letters including Ｘ/ｘ, and punctuation
// such as ＋ and ．) become half-width; all whitespace (spaces, tabs, line
// breaks, NBSP, ideographic space U+3000) and zero-width characters
// (U+200B–U+200D, U+2060, U+FEFF) are removed; lowercase x becomes X.
// It never fails: anything else, including invalid UTF-8 (which becomes
// U+FFFD), is kept for Parse to reject. Normalize is idempotent.
func Normalize(s string) string {
	if isClean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	// A leading apostrophe is how Excel users force a text cell; it is not part of the number.
	s = strings.TrimLeft(strings.TrimSpace(s), "'‘’")
	for _, r := range s {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			r -= 0xFEE0
		case unicode.IsSpace(r), r >= 0x200B && r <= 0x200D, r == 0x2060, r == 0xFEFF:
			continue
		}
		if r == 'x' {
			r = 'X'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isClean reports whether s consists only of ASCII digits and X, so that
// Normalize has nothing to do.
func isClean(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isDigit(c) && c != 'X' {
			return false
		}
	}
	return true
}

// isScientific reports whether s (already normalised) looks like a number in
// Excel scientific notation: [sign] digits [(.|,) digits] (E|e) [sign] digits.
func isScientific(s string) bool {
	i := 0
	sign := func() {
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
	}
	digits := func() bool {
		j := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		return i > j
	}
	sign()
	if !digits() {
		return false
	}
	if i < len(s) && (s[i] == '.' || s[i] == ',') {
		i++
		if !digits() {
			return false
		}
	}
	if i >= len(s) || (s[i] != 'E' && s[i] != 'e') {
		return false
	}
	i++
	sign()
	return digits() && i == len(s)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}
