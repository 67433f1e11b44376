package healthcell

import (
	"context"
	"strings"
)

// Division levels, from the 12-digit statistical division code.
const (
	LevelProvince = 1
	LevelCity     = 2
	LevelCounty   = 3
	LevelTownship = 4
	LevelVillage  = 5
)

// prefixLen is the number of significant code digits at each level.
var prefixLen = [...]int{0, 2, 4, 6, 9, 12}

// Division is one node of the administrative hierarchy. Code is always the
// full 12-digit statistical code, padded with zeros above village level.
type Division struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Level  int    `json:"level"`
	Parent string `json:"parent,omitempty"`
}

// DivisionCounts are the live totals below a division.
type DivisionCounts struct {
	Households int `json:"households"`
	Persons    int `json:"persons"`
}

// DivisionNode is a division with its counts, as shown in the tree.
type DivisionNode struct {
	Division
	DivisionCounts
}

// DivisionView is one division with its ancestors and children, each with counts.
type DivisionView struct {
	DivisionNode
	Ancestors []Division     `json:"ancestors"`
	Children  []DivisionNode `json:"children"`
}

// DivisionService reads and loads the hierarchy.
type DivisionService interface {
	// FindDivision returns the division with its ancestors and children and
	// their counts; ENOTFOUND when it does not exist or lies outside the
	// caller's scope.
	FindDivision(ctx context.Context, code string) (*DivisionView, error)
	// LoadDivisions inserts or renames divisions in one transaction; EINVALID
	// when a code is malformed.
	LoadDivisions(ctx context.Context, divs []Division) (int, error)
	// FindVillagePage returns a village's page: the village with its
	// ancestors and counts, and one brief page of its households. It returns
	// ENOTFOUND when code is not a village, or one whose residents the
	// caller may not read.
	FindVillagePage(ctx context.Context, code string, offset, limit int) (*VillagePage, error)
}

// VillagePage is what a village's page shows of it: the village, one page
// of its households (brief) and how many it has.
type VillagePage struct {
	Division   *DivisionView
	Households []*Household
	Total      int
}

// NormalizeCode accepts a 2, 4, 6, 9 or 12 digit code and returns it padded
// to 12 digits, or "" when it is not such a code.
func NormalizeCode(code string) string {
	code = strings.TrimSpace(code)
	switch len(code) {
	case 2, 4, 6, 9, 12:
	default:
		return ""
	}
	for i := 0; i < len(code); i++ {
		if code[i] < '0' || code[i] > '9' {
			return ""
		}
	}
	return code + strings.Repeat("0", 12-len(code))
}

// CodeLevel returns the level of a 12-digit code, or 0 when it is not one.
// A village is a code whose last three digits are not 000, and so on up.
func CodeLevel(code string) int {
	if NormalizeCode(code) != code || len(code) != 12 {
		return 0
	}
	switch {
	case code[9:] != "000":
		return LevelVillage
	case code[6:9] != "000":
		return LevelTownship
	case code[4:6] != "00":
		return LevelCounty
	case code[2:4] != "00":
		return LevelCity
	case code[:2] != "00":
		return LevelProvince
	}
	return 0
}

// CodePrefix returns the significant digits of a 12-digit code (for example
// "510824100" for a township), or "" when it is not a valid code.
func CodePrefix(code string) string {
	l := CodeLevel(code)
	if l == 0 {
		return ""
	}
	return code[:prefixLen[l]]
}

// CodeRange returns the inclusive bounds of every 12-digit code under code,
// so "under township T" is `c BETWEEN lo AND hi`. It returns two empty
// strings when code is not valid.
func CodeRange(code string) (lo, hi string) {
	p := CodePrefix(code)
	if p == "" {
		return "", ""
	}
	return p + strings.Repeat("0", 12-len(p)), p + strings.Repeat("9", 12-len(p))
}

// ParentCode returns the code of the division directly above code, or "" for
// a province or an invalid code.
func ParentCode(code string) string {
	l := CodeLevel(code)
	if l <= LevelProvince {
		return ""
	}
	p := code[:prefixLen[l-1]]
	return p + strings.Repeat("0", 12-len(p))
}

// AncestorAt returns the 12-digit code of the division at level lv that
// code lies in (code itself when it is at lv), or "" when code is not a
// valid code, lies above lv, or lv is not a level.
func AncestorAt(code string, lv int) string {
	if lv < LevelProvince || lv > LevelVillage || CodeLevel(code) < lv {
		return ""
	}
	p := code[:prefixLen[lv]]
	return p + strings.Repeat("0", 12-len(p))
}

// Covers reports whether the division scope covers code (code lies in the
// scope's subtree, or is the scope itself).
func Covers(scope, code string) bool {
	p := CodePrefix(scope)
	return p != "" && len(code) == 12 && strings.HasPrefix(code, p)
}

// Validate checks a division before it is stored.
func (d *Division) Validate() error {
	var fe []FieldError
	if CodeLevel(d.Code) == 0 {
		fe = append(fe, FieldError{Field: "code", Message: "division.code.invalid", Value: d.Code})
	} else if d.Level != 0 && d.Level != CodeLevel(d.Code) {
		fe = append(fe, FieldError{Field: "level", Message: "division.level.mismatch", Value: d.Code})
	}
	if strings.TrimSpace(d.Name) == "" {
		fe = append(fe, FieldError{Field: "name", Message: "field.required", Value: d.Code})
	}
	return Invalid(fe)
}

// villageSuffixes are the committee suffixes of official village names that
// people leave out when they write them, with what stays of each: a village
// committee keeps its 村 (白鹤村委会 and 白鹤村村民委员会 are both 白鹤村).
var villageSuffixes = []struct{ suffix, keep string }{
	{"村民委员会", "村"}, {"居民委员会", ""}, {"村委会", "村"}, {"居委会", ""},
}

// ShortVillageName returns a village's name without its committee suffix
// (金穗社区居民委员会 → 金穗社区, 凤凰村村民委员会 and 凤凰村委会 → 凤凰村), or
// the name itself when it has none, so that files may name villages either
// way.
func ShortVillageName(name string) string {
	for _, s := range villageSuffixes {
		if t, ok := strings.CutSuffix(name, s.suffix); ok && t != "" {
			if s.keep == "" {
				return t
			}
			// 凤凰村 + 村民委员会: the name's own 村 is already there.
			if strings.HasSuffix(t, s.keep) {
				return t
			}
			return t + s.keep
		}
	}
	return name
}
