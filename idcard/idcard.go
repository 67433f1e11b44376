// Package idcard validates, normalises, masks and generates Chinese resident
// identity card numbers (GB 11643-1999).
//
// An 18-character number is a 6-digit region code (at time of issue), the
// birth date YYYYMMDD, a 3-digit sequence number (odd = male, even = female)
// and a check character computed by ISO 7064 MOD 11-2 ("10X98765432").
// Parse also recognises the usual damage done by spreadsheets and typing:
// full-width characters, spaces, lowercase x, Excel scientific notation, a
// lost trailing X and old 15-digit numbers.
package idcard

import "time"

// minBirthYear is the earliest birth year Parse accepts.
const minBirthYear = 1880

var weights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const checkChars = "10X98765432"

// ID is a successfully parsed 18-character ID number.
type ID struct {
	Number string    // normalised 18-character number, check character 0-9 or X
	Region string    // first 6 digits: region code at time of issue
	Birth  time.Time // birth date at 00:00 UTC
	Male   bool      // sequence number (digits 15-17) is odd
}

// Sex returns "M" for male and "F" for female. It is meaningful only for an
// ID returned by Parse; the zero ID returns "F".
func (id ID) Sex() string {
	if id.Male {
		return "M"
	}
	return "F"
}

// Age returns the age in full years on the calendar date of at (in at's
// location). Someone born on 29 February turns a year older on 1 March in
// non-leap years. It returns 0 when at is before the birth date.
func (id ID) Age(at time.Time) int {
	by, bm, bd := id.Birth.Date()
	ay, am, ad := at.Date()
	age := ay - by
	if am < bm || (am == bm && ad < bd) {
		age--
	}
	return max(age, 0)
}

// Parse normalises s (see Normalize) and validates it as an 18-character ID
// number, checking in this order: empty, scientific notation, characters,
// length (17 digits missing an X, 15-digit old format), region code, birth
// date, check character. The birth date must be from 1880 on and not after
// the calendar date of now (in now's location); a zero now means time.Now().
// On failure it returns the zero ID and a *Error whose Reason says why.
func Parse(s string, now time.Time) (ID, error) {
	n := Normalize(s)
	fail := func(r Reason) (ID, error) { return ID{}, &Error{Reason: r, Input: s} }
	if n == "" {
		return fail(ReasonEmpty)
	}
	if isScientific(n) {
		return fail(ReasonScientific)
	}
	if !validChars(n) {
		return fail(ReasonChars)
	}
	switch len(n) {
	case 18:
	case 17:
		if allDigits(n) {
			if _, r := parse18(n+"X", now); r == "" {
				return fail(ReasonMissingX)
			}
		}
		return fail(ReasonLength)
	case 15:
		if allDigits(n) {
			return fail(ReasonOldFormat)
		}
		return fail(ReasonLength)
	default:
		return fail(ReasonLength)
	}
	id, r := parse18(n, now)
	if r != "" {
		return fail(r)
	}
	return id, nil
}

// Valid reports whether Parse(s, now) succeeds; it returns false on any
// failure.
func Valid(s string, now time.Time) bool {
	_, err := Parse(s, now)
	return err == nil
}

// CheckChar returns the check character ('0'-'9' or 'X') for the first 17
// digits of an ID number. first17 must be exactly 17 ASCII digits (it is not
// normalised); otherwise CheckChar returns 0 and a *Error with ReasonLength
// or ReasonChars.
func CheckChar(first17 string) (byte, error) {
	if len(first17) != 17 {
		return 0, &Error{Reason: ReasonLength, Input: first17}
	}
	sum := 0
	for i := range 17 {
		c := first17[i]
		if !isDigit(c) {
			return 0, &Error{Reason: ReasonChars, Input: first17}
		}
		sum += int(c-'0') * weights[i]
	}
	return checkChars[sum%11], nil
}

// validChars reports whether n consists of ASCII digits with an optional
// final X.
func validChars(n string) bool {
	for i := 0; i < len(n); i++ {
		if c := n[i]; !isDigit(c) && !(c == 'X' && i == len(n)-1) {
			return false
		}
	}
	return true
}

// parse18 validates region, date and check character of n, which is 17
// digits followed by a digit or X. It returns the Reason on failure, "" on
// success.
func parse18(n string, now time.Time) (ID, Reason) {
	if !validRegion(n[:6]) {
		return ID{}, ReasonRegion
	}
	birth, ok := birthDate(n[6:14], now)
	if !ok {
		return ID{}, ReasonDate
	}
	if c, _ := CheckChar(n[:17]); c != n[17] {
		return ID{}, ReasonCheck
	}
	return ID{Number: n, Region: n[:6], Birth: birth, Male: (n[16]-'0')%2 == 1}, ""
}

// validRegion reports whether the 6-digit region code starts with a valid
// province-level code (GB/T 2260): 11–15, 21–23, 31–37, 41–46, 50–54, 61–65,
// 71 (Taiwan), 81 (Hong Kong), 82 (Macao).
func validRegion(r string) bool {
	p := int(r[0]-'0')*10 + int(r[1]-'0')
	switch {
	case p >= 11 && p <= 15, p >= 21 && p <= 23, p >= 31 && p <= 37,
		p >= 41 && p <= 46, p >= 50 && p <= 54, p >= 61 && p <= 65,
		p == 71, p == 81, p == 82:
		return true
	}
	return false
}

// birthDate parses 8 digits YYYYMMDD and checks the date exists, is not
// before minBirthYear and is not after the calendar date of now.
func birthDate(s string, now time.Time) (time.Time, bool) {
	y := atoi(s[0:4])
	m := atoi(s[4:6])
	d := atoi(s[6:8])
	if y < minBirthYear || m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return time.Time{}, false
	}
	if now.IsZero() {
		now = time.Now()
	}
	ny, nm, nd := now.Date()
	if y > ny || (y == ny && (m > int(nm) || (m == int(nm) && d > nd))) {
		return time.Time{}, false
	}
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC), true
}

func daysIn(y, m int) int {
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// atoi converts a string of ASCII digits.
func atoi(s string) int {
	v := 0
	for i := 0; i < len(s); i++ {
		v = v*10 + int(s[i]-'0')
	}
	return v
}

// Check validates id at time now for the domain's healthcell.IDChecker: it
// returns the normalised number, the birth date as YYYY-MM-DD and the sex
// ("M"/"F"), or on failure only a message key "idcard.<reason>".
func Check(id string, now time.Time) (number, birth, sex, msgKey string) {
	p, err := Parse(id, now)
	if err != nil {
		if e, ok := err.(*Error); ok {
			return "", "", "", "idcard." + string(e.Reason)
		}
		return "", "", "", "idcard.invalid"
	}
	return p.Number, p.Birth.Format("2006-01-02"), p.Sex(), ""
}
