package standardfile

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"

	"github.com/healthcell/healthcell"
)

var sheetNumberRe = regexp.MustCompile(`^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$`)

// sheetNumber parses a plain decimal number, full-width digits and a unit
// suffix (such as 分) allowed.
func sheetNumber(s string, units ...string) (float64, bool) {
	t := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, width.Narrow.String(s))
	for _, u := range units {
		t = strings.TrimSuffix(t, u)
	}
	if !sheetNumberRe.MatchString(t) {
		return 0, false
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, false
	}
	return v, true
}

// sheetTarget parses a target: 90, 90%, ≥90%, ≤5 (the percent sign and the
// comparison are dropped).
func sheetTarget(s string) (float64, bool) {
	t := strings.TrimSpace(width.Narrow.String(s))
	for _, prefix := range []string{"≥", ">=", "≤", "<=", ">", "<", "="} {
		if strings.HasPrefix(t, prefix) {
			t = t[len(prefix):]
			break
		}
	}
	return sheetNumber(t, "%")
}

// sheetRate parses a rate: 0.75 or 75%.
func sheetRate(s string) (float64, bool) {
	t := strings.TrimSpace(width.Narrow.String(s))
	if p, ok := strings.CutSuffix(t, "%"); ok {
		v, ok := sheetNumber(p)
		return v / 100, ok
	}
	return sheetNumber(t)
}

// sheetInt parses a whole number, a unit suffix allowed.
func sheetInt(s string, units ...string) (int, bool) {
	v, ok := sheetNumber(s, units...)
	if !ok || v != math.Trunc(v) || math.Abs(v) > 1e9 {
		return 0, false
	}
	return int(v), true
}

// sheetSplit splits s at any of the separator runes, dropping empty parts.
func sheetSplit(s, seps string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(seps, r) }) {
		if part = sheetTrim(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// sheetPair splits "label:value" at the last colon.
func sheetPair(s string) (label, value string, ok bool) {
	i := strings.LastIndexAny(s, ":：")
	if i < 0 {
		return "", "", false
	}
	_, sz := utf8.DecodeRuneInString(s[i:])
	return sheetTrim(s[:i]), sheetTrim(s[i+sz:]), true
}

// sheetGrades parses "好:5;中:3;差:0".
func sheetGrades(s string) ([]healthcell.Grade, bool) {
	var out []healthcell.Grade
	ok := true
	for _, part := range sheetSplit(s, ";；\n") {
		label, value, found := sheetPair(part)
		v, numOK := sheetNumber(value, "分")
		if !found || label == "" || !numOK {
			ok = false
			continue
		}
		out = append(out, healthcell.Grade{Label: label, Points: v})
	}
	return out, ok && len(out) > 0
}

var sheetLevelRe = regexp.MustCompile(`^(.*?)\s*([0-9０-９.．]+)\s*分?$`)

// sheetLevels parses "铜:70;银:80;金:90" or "铜≥70、银≥80、金≥90".
func sheetLevels(s string) ([]healthcell.Level, bool) {
	var out []healthcell.Level
	ok := true
	for _, part := range sheetSplit(s, ";；、,，\n") {
		name, value := "", ""
		cut := -1
		var sep string
		for _, x := range []string{"≥", ">=", "＞＝", ">", "＞", ":", "：", "=", "＝"} {
			if i := strings.Index(part, x); i >= 0 && (cut < 0 || i < cut) {
				cut, sep = i, x
			}
		}
		if cut >= 0 {
			name, value = sheetTrim(part[:cut]), sheetTrim(part[cut+len(sep):])
		} else if m := sheetLevelRe.FindStringSubmatch(part); m != nil {
			name, value = sheetTrim(m[1]), m[2]
		}
		v, numOK := sheetNumber(value, "分")
		if name == "" || !numOK {
			ok = false
			continue
		}
		out = append(out, healthcell.Level{Name: name, Min: v})
	}
	return out, ok && len(out) > 0
}

// sheetTargets parses a target cell: one number, or per-region targets
// "东:95;中:90;西:80", optionally with a plain number for other regions.
func sheetTargets(s string) (float64, map[string]float64, bool) {
	var target float64
	var targets map[string]float64
	ok, plain := true, false
	for _, part := range sheetSplit(s, ";；、,，\n") {
		region, value, found := sheetPair(part)
		if !found {
			v, numOK := sheetTarget(part)
			if !numOK || plain {
				ok = false
				continue
			}
			target, plain = v, true
			continue
		}
		v, numOK := sheetTarget(value)
		if region == "" || !numOK {
			ok = false
			continue
		}
		if targets == nil {
			targets = map[string]float64{}
		}
		targets[region] = v
	}
	return target, targets, ok
}
