package healthcell

import (
	"sort"
	"unicode"
	"unicode/utf8"
)

// CheckText returns "" when s is fit to be a name or a label (of a person,
// household, user, unit, token), or the message key of its fault:
// "text.control" for control characters (NUL, line breaks, escape …) or
// bytes that are not UTF-8, "text.invisible" for format characters —
// zero-width spaces and joiners, right-to-left overrides and other
// direction controls — which make one name look like another or like
// nothing.
func CheckText(s string) string {
	return checkText(s, false)
}

// CheckLongText is CheckText for free text such as a register's notes: line
// breaks and tabs are allowed, other control and format characters are not.
func CheckLongText(s string) string {
	return checkText(s, true)
}

// textErrors checks each named value with CheckText and returns a field
// error for every one at fault, in field order.
func textErrors(values map[string]string) []FieldError {
	var fe []FieldError
	for _, f := range sortedKeys(values) {
		if key := CheckText(values[f]); key != "" {
			fe = append(fe, FieldError{Field: f, Message: key})
		}
	}
	return fe
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func checkText(s string, multiline bool) string {
	if !utf8.ValidString(s) {
		return "text.control"
	}
	for _, r := range s {
		switch {
		case multiline && (r == '\n' || r == '\r' || r == '\t'):
		case unicode.IsControl(r):
			return "text.control"
		case unicode.Is(unicode.Cf, r):
			return "text.invisible"
		}
	}
	return ""
}
