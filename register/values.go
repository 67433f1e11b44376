package register

import (
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/healthcell/healthcell"
)

// Values are a row's field values, typed: string for text, date (YYYY-MM-DD)
// and enum; int64 for year and int; bool; float64 for money and decimal. An
// optional field left empty is absent.
type Values map[string]any

// defaultTextMax is the longest text field when a definition gives no max.
const defaultTextMax = 200

// ParseValues turns raw form or file values (by field code) into typed values. It
// returns every problem at once as field errors (message keys register.*),
// with Value set to the raw text; a key that is no field of the register is
// refused (register.unknown_field), and text with control or invisible
// characters too (text.control, text.invisible; line breaks and tabs are
// allowed). now bounds dates: no date may lie after now's calendar day in
// Asia/Shanghai (the campaign day), nor a year after the year following it.
func (d *Def) ParseValues(raw map[string]string, now time.Time) (Values, []healthcell.FieldError) {
	v := Values{}
	var errs []healthcell.FieldError
	// Dates are the officers' calendar days, in Asia/Shanghai: at 01:00
	// Beijing time today is already today, though UTC is still yesterday.
	today := healthcell.CampaignDay(now)
	thisYear, _ := strconv.Atoi(today[:4])
	bad := func(f *Field, key, s string) {
		errs = append(errs, healthcell.FieldError{Field: f.Code, Message: "register." + key, Value: s})
	}
	for _, k := range sortedKeys(raw) {
		if d.byCode[k] == nil {
			errs = append(errs, healthcell.FieldError{Field: k, Message: "register.unknown_field"})
		}
	}
	for i := range d.Fields {
		f := &d.Fields[i]
		s := strings.TrimSpace(raw[f.Code])
		if s == "" {
			if f.Required && f.Type != Bool {
				bad(f, "required", s)
			}
			if f.Type == Bool {
				v[f.Code] = false
			}
			continue
		}
		switch f.Type {
		case Text:
			max := defaultTextMax
			if f.Max != nil {
				max = int(*f.Max)
			}
			if utf8.RuneCountInString(s) > max {
				bad(f, "too_long", s)
				continue
			}
			if key := healthcell.CheckLongText(s); key != "" {
				errs = append(errs, healthcell.FieldError{Field: f.Code, Message: key})
				continue
			}
			v[f.Code] = s
		case Enum:
			o := f.optionFor(s)
			if o == nil {
				bad(f, "bad_option", s)
				continue
			}
			v[f.Code] = o.Code
		case Date:
			t, ok := ParseDate(s)
			if !ok {
				bad(f, "bad_date", s)
				continue
			}
			if !f.Future && t.Format(time.DateOnly) > today {
				bad(f, "future_date", s)
				continue
			}
			v[f.Code] = t.Format(time.DateOnly)
		case Year:
			n, err := strconv.Atoi(s)
			if err != nil || n < 1949 || n > thisYear+1 {
				bad(f, "bad_year", s)
				continue
			}
			v[f.Code] = int64(n)
		case Int:
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil || !f.inRange(float64(n)) {
				bad(f, "bad_number", s)
				continue
			}
			v[f.Code] = n
		case Money, Decimal:
			x, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) || !f.inRange(x) || (f.Type == Money && (x < 0 || x > 1e10)) {
				bad(f, "bad_number", s)
				continue
			}
			v[f.Code] = math.Round(x*100) / 100
		case Bool:
			b, ok := parseBool(s)
			if !ok {
				bad(f, "bad_bool", s)
				continue
			}
			v[f.Code] = b
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	for i := range d.Fields {
		f := &d.Fields[i]
		if f.After != "" && v[f.Code] != nil && v[f.After] != nil && v[f.Code].(string) < v[f.After].(string) {
			errs = append(errs, healthcell.FieldError{Field: f.Code, Message: "register.before", Value: v[f.Code].(string)})
		}
		if f.AtMost != "" && v[f.Code] != nil {
			x, whole := number(v[f.Code]), v[f.AtMost]
			if whole == nil {
				errs = append(errs, healthcell.FieldError{Field: f.AtMost, Message: "register.required"})
			} else if x > number(whole) {
				errs = append(errs, healthcell.FieldError{Field: f.Code, Message: "register.more_than_whole", Value: f.Text(v[f.Code], "")})
			}
		}
		if len(f.SumOf) > 0 && v[f.Code] != nil {
			sum := 0.0
			for _, s := range f.SumOf {
				x, _ := v[strings.TrimPrefix(s, "-")].(float64)
				if strings.HasPrefix(s, "-") {
					x = -x
				}
				sum += x
			}
			if math.Abs(sum-v[f.Code].(float64)) > 0.005 {
				errs = append(errs, healthcell.FieldError{Field: f.Code, Message: "register.sum_mismatch",
					Value: strconv.FormatFloat(v[f.Code].(float64), 'f', 2, 64)})
			}
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return v, nil
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// optionFor finds an enum option by its code or by its Chinese or English
// label, so that files and forms may give either.
func (f *Field) optionFor(s string) *Option {
	for i := range f.Options {
		o := &f.Options[i]
		if o.Code == s || o.Zh == s || strings.EqualFold(o.En, s) {
			return o
		}
	}
	return nil
}

func (f *Field) inRange(x float64) bool {
	return (f.Min == nil || x >= *f.Min) && (f.Max == nil || x <= *f.Max)
}

// ParseDate reads a date written 2025-01-02, 2025/1/2, 2025.1.2, 2025年1月2日
// or 20250102. It reports false for anything else or an impossible date.
func ParseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if len(s) == 8 && strings.Trim(s, "0123456789") == "" {
		s = s[:4] + "-" + s[4:6] + "-" + s[6:]
	}
	s = strings.NewReplacer("年", "-", "月", "-", "日", "", "/", "-", ".", "-").Replace(s)
	parts := strings.Split(s, "-")
	if len(parts) != 3 {
		return time.Time{}, false
	}
	var n [3]int
	for i, p := range parts {
		x, err := strconv.Atoi(p)
		if err != nil || x < 0 {
			return time.Time{}, false
		}
		n[i] = x
	}
	if n[0] < 1900 || n[0] > 2200 {
		return time.Time{}, false
	}
	t := time.Date(n[0], time.Month(n[1]), n[2], 0, 0, 0, 0, time.UTC)
	if t.Year() != n[0] || int(t.Month()) != n[1] || t.Day() != n[2] {
		return time.Time{}, false
	}
	return t, true
}

func parseBool(s string) (bool, bool) {
	switch strings.ToLower(s) {
	case "1", "true", "yes", "on", "是", "有", "√", "y":
		return true, true
	case "0", "false", "no", "off", "否", "无", "×", "n":
		return false, true
	}
	return false, false
}

// Text returns v's value of field f as it is shown and exported: dates as
// YYYY-MM-DD, money with two decimals, booleans as 是/否 (Yes/No), enums as
// the option's label in lang.
func (f *Field) Text(v any, lang string) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		if f.Type == Enum {
			if o := f.Option(x); o != nil {
				return o.Label(lang)
			}
		}
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		if f.Type == Money || f.Type == Decimal {
			return strconv.FormatFloat(x, 'f', 2, 64)
		}
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		if lang == "en" {
			return map[bool]string{true: "Yes", false: "No"}[x]
		}
		return map[bool]string{true: "是", false: "否"}[x]
	}
	return ""
}

// number returns a numeric value as a float64 (0 for anything else).
func number(v any) float64 {
	switch x := v.(type) {
	case int64:
		return float64(x)
	case float64:
		return x
	}
	return 0
}
