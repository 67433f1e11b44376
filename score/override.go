package score

import (
	"math"
	"strings"
	"unicode/utf8"

	"github.com/healthcell/healthcell"
)

// Message keys of CheckOverride's field errors.
const (
	MsgOverrideReason   = "sheet.override.reason_required"   // a value other than the computed one without a reason
	MsgOverrideEvidence = "sheet.override.evidence_required" // … or without a file attached to the item
	MsgOverrideTooLong  = "field.too_long"
)

// MaxReason is the longest override reason, in characters.
const MaxReason = 500

// Entered returns the number an answer gives a data-bound item (the value
// of egt/elt, the count of count), and whether it gives one.
func Entered(it *healthcell.Item, a *healthcell.Answer) (float64, bool) {
	if it == nil || a == nil {
		return 0, false
	}
	switch it.Method {
	case healthcell.MethodEGT, healthcell.MethodELT:
		if a.Value != nil {
			return *a.Value, true
		}
	case healthcell.MethodCount:
		if a.Count != nil {
			return float64(*a.Count), true
		}
	}
	return 0, false
}

// IsOverride reports whether answer a replaces the computed value c of a
// data-bound item: c has a value and a enters a different one.
func IsOverride(it *healthcell.Item, a *healthcell.Answer, c *healthcell.Computed) bool {
	if it == nil || !it.DataBound() || c == nil || c.Value == nil {
		return false
	}
	v, ok := Entered(it, a)
	return ok && math.Abs(v-*c.Value) > 1e-9
}

// CheckOverride checks an answer to a data-bound item against its computed
// value c: a value other than the computed one needs a reason (field
// "reason") and at least one file attached to the item (evidence counts
// those already there and those given with the answer; field "evidence").
// It returns EINVALID naming every missing field, nil when the answer is
// not an override or has both.
func CheckOverride(it *healthcell.Item, a *healthcell.Answer, c *healthcell.Computed, evidence int) error {
	if !IsOverride(it, a, c) {
		return nil
	}
	var fe []healthcell.FieldError
	reason := strings.TrimSpace(a.Reason)
	switch {
	case reason == "":
		fe = append(fe, healthcell.FieldError{Field: "reason", Message: MsgOverrideReason})
	case utf8.RuneCountInString(reason) > MaxReason:
		fe = append(fe, healthcell.FieldError{Field: "reason", Message: MsgOverrideTooLong})
	}
	if evidence < 1 {
		fe = append(fe, healthcell.FieldError{Field: "evidence", Message: MsgOverrideEvidence})
	}
	return healthcell.Invalid(fe)
}
