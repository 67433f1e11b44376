// Package score computes a score sheet against its standard: the score of
// every item, section and subsection subtotals, the veto and pass rules and
// the level reached. It is pure: no storage, no clock, and it never fails.
package score

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/healthcell/healthcell"
)

// ItemResult is the score of one item.
type ItemResult struct {
	Code       string
	Section    string
	Subsection string
	Max        float64 // the item's points
	Score      float64
	Answered   bool
	Met        bool
	Veto       bool
	Bonus      bool
}

// SectionTotal is the subtotal of one first-level section (and of its
// subsections). Like the sheet's totals, Max counts only non-bonus points
// while Score includes bonus scores, so the sections add up to Max and Total.
type SectionTotal struct {
	Section     string
	Max         float64
	Score       float64
	Subsections []SubsectionTotal // in order of appearance; items without a subsection count only in the section
}

// SubsectionTotal is the subtotal of one second-level section.
type SubsectionTotal struct {
	Subsection string
	Max        float64
	Score      float64
}

// Result is a computed score sheet.
type Result struct {
	Items    []ItemResult
	Sections []SectionTotal

	Max   float64 // sum of non-bonus item points
	Base  float64 // score of non-bonus items
	Bonus float64 // score of bonus items
	Total float64 // Base + Bonus

	Answered int  // required items answered
	Required int  // items that must be answered: all but the bonus items
	Complete bool // every required item answered

	VetoCount int     // veto items
	VetoMet   int     // veto items fully met
	VetoRate  float64 // score/max over veto items with points; 1 when there are none

	VetoPassed bool     // VetoMinRate == 0: every veto item met; otherwise VetoRate ≥ VetoMinRate
	Passed     bool     // Complete && VetoPassed && Total ≥ PassScore
	Level      string   // highest level whose Min ≤ Total, only when Passed
	Missing    []string // codes of unanswered required items, in item order
}

// Compute scores sheet against std. It never fails: unanswered items score 0
// and are listed in Missing; an answer that does not fit its item (one that
// CheckAnswer rejects) scores 0 and is not counted as answered. A nil std
// gives the zero Result; a nil sheet is a sheet without answers.
func Compute(std *healthcell.Standard, sheet *healthcell.ScoreSheet) Result {
	var r Result
	if std == nil {
		return r
	}
	var answers map[string]*healthcell.Answer
	var region string
	if sheet != nil {
		answers, region = sheet.Answers, sheet.Region
	}

	r.Items = make([]ItemResult, 0, len(std.Items))
	var vetoMax, vetoScore float64
	secIdx := map[string]int{}
	subIdx := map[string]map[string]int{}
	for i := range std.Items {
		it := &std.Items[i]
		s, answered, met := ItemScore(it, answers[it.Code], region)
		ir := ItemResult{
			Code: it.Code, Section: it.Section, Subsection: it.Subsection,
			Max: it.Points, Score: s, Answered: answered, Met: met,
			Veto: it.Veto, Bonus: it.Bonus,
		}
		r.Items = append(r.Items, ir)

		// Bonus items (加分项) are optional: leaving one out only forgoes its points.
		if !it.Bonus {
			r.Required++
			if answered {
				r.Answered++
			} else {
				r.Missing = append(r.Missing, it.Code)
			}
		}
		itemMax := it.Points
		if it.Bonus {
			itemMax = 0
			r.Bonus += s
		} else {
			r.Max += it.Points
			r.Base += s
		}
		if it.Veto {
			r.VetoCount++
			if met {
				r.VetoMet++
			}
			if it.Points > 0 {
				vetoMax += it.Points
				vetoScore += s
			}
		}

		si, ok := secIdx[it.Section]
		if !ok {
			si = len(r.Sections)
			secIdx[it.Section] = si
			subIdx[it.Section] = map[string]int{}
			r.Sections = append(r.Sections, SectionTotal{Section: it.Section})
		}
		sec := &r.Sections[si]
		sec.Max += itemMax
		sec.Score += s
		if it.Subsection != "" {
			j, ok := subIdx[it.Section][it.Subsection]
			if !ok {
				j = len(sec.Subsections)
				subIdx[it.Section][it.Subsection] = j
				sec.Subsections = append(sec.Subsections, SubsectionTotal{Subsection: it.Subsection})
			}
			sec.Subsections[j].Max += itemMax
			sec.Subsections[j].Score += s
		}
	}

	// Item scores have two decimals; rounding the sums only removes the
	// noise of adding binary fractions.
	r.Max, r.Base, r.Bonus = round(r.Max, 2), round(r.Base, 2), round(r.Bonus, 2)
	r.Total = round(r.Base+r.Bonus, 2)
	for i := range r.Sections {
		sec := &r.Sections[i]
		sec.Max, sec.Score = round(sec.Max, 2), round(sec.Score, 2)
		for j := range sec.Subsections {
			sub := &sec.Subsections[j]
			sub.Max, sub.Score = round(sub.Max, 2), round(sub.Score, 2)
		}
	}

	r.Complete = r.Answered == r.Required
	r.VetoRate = 1
	if vetoMax > 0 {
		r.VetoRate = round(vetoScore/vetoMax, 6)
	}
	if std.VetoMinRate == 0 {
		r.VetoPassed = r.VetoMet == r.VetoCount
	} else {
		r.VetoPassed = r.VetoRate >= std.VetoMinRate
	}
	r.Passed = r.Complete && r.VetoPassed && r.Total >= std.PassScore
	if r.Passed {
		best := math.Inf(-1)
		for _, l := range std.Levels {
			if l.Min <= r.Total && l.Min > best {
				best, r.Level = l.Min, l.Name
			}
		}
	}
	return r
}

// ItemScore scores one item with its answer (nil when unanswered) for
// region. An answer that CheckAnswer rejects scores 0 and is not answered.
// Met is true when the answer satisfies the item's rule in full, which for
// an item with points is when it scores them all.
func ItemScore(it *healthcell.Item, a *healthcell.Answer, region string) (score float64, answered, met bool) {
	if it == nil || a == nil || CheckAnswer(it, a) != nil {
		return 0, false, false
	}
	full := it.Points
	switch it.Method {
	case healthcell.MethodYes:
		met = *a.Yes
	case healthcell.MethodNo:
		met = !*a.Yes
	case healthcell.MethodGraded:
		g := grade(it, a.Grade) // found: CheckAnswer passed
		score = g.Points
		met = g.Points >= full
	case healthcell.MethodEGT:
		v, target := *a.Value, it.TargetFor(region)
		switch {
		case v >= target:
			met = true
		case v > 0:
			score = full * v / target
		}
	case healthcell.MethodELT:
		v, target := *a.Value, it.TargetFor(region)
		switch {
		case v <= target:
			met = true
		case target > 0:
			score = full * target / v
		}
	case healthcell.MethodCount:
		n := *a.Count
		if n >= it.MinCount {
			met = true
		} else {
			score = full * float64(n) / float64(it.MinCount)
		}
	case healthcell.MethodAttach:
		met = len(a.Evidence) > 0
	}
	if met {
		score = full
	}
	score = round(score, 2)
	if score > full { // only when points have more than two decimals
		score = full
	}
	if score < 0 || math.IsNaN(score) {
		score = 0
	}
	return score, true, met
}

// Message keys of CheckAnswer's field errors.
const (
	MsgGradeUnknown  = "score.grade.unknown"  // the grade is not one of the item's
	MsgValueInvalid  = "score.value.invalid"  // the value is not a number ≥ 0
	MsgValueRange    = "score.value.range"    // the value is above MaxPercent
	MsgCountInvalid  = "score.count.invalid"  // the count is negative
	MsgCountRange    = "score.count.range"    // the count is above MaxCount
	MsgAnswerMissing = "score.answer.missing" // the field the method needs is empty
	MsgAnswerKind    = "score.answer.kind"    // a field of another method is set
)

// The largest numbers an answer may hold: egt and elt values are rates in
// per cent, and no unit records more activities of a kind in a year.
const (
	MaxPercent = 100
	MaxCount   = 100000
)

// CheckAnswer returns an EINVALID *healthcell.Error (one FieldError with
// Field "answer") when an answer does not fit its item, nil otherwise. Used
// before storing an answer. Each method reads one field (Yes for yes/no,
// Grade for graded, Value for egt/elt, Count for count, none for attach);
// the answer must set that field and no other, and a number must be in
// range (a value from 0 to MaxPercent, a count from 0 to MaxCount). Note
// and Evidence may go with any method.
func CheckAnswer(it *healthcell.Item, a *healthcell.Answer) error {
	bad := func(msg, value string) error {
		return healthcell.Invalid([]healthcell.FieldError{{Field: "answer", Message: msg, Value: value}})
	}
	if it == nil {
		return bad(MsgAnswerKind, "")
	}
	if a == nil {
		return bad(MsgAnswerMissing, it.Code)
	}
	var want string
	switch it.Method {
	case healthcell.MethodYes, healthcell.MethodNo:
		want = "yes"
	case healthcell.MethodGraded:
		want = "grade"
	case healthcell.MethodEGT, healthcell.MethodELT:
		want = "value"
	case healthcell.MethodCount:
		want = "count"
	case healthcell.MethodAttach:
		want = ""
	default:
		return bad(MsgAnswerKind, it.Method)
	}
	set := map[string]bool{
		"yes":   a.Yes != nil,
		"grade": a.Grade != "",
		"value": a.Value != nil,
		"count": a.Count != nil,
	}
	var other []string
	for _, f := range []string{"yes", "grade", "value", "count"} {
		if set[f] && f != want {
			other = append(other, f)
		}
	}
	if len(other) > 0 {
		return bad(MsgAnswerKind, strings.Join(other, ","))
	}
	if want != "" && !set[want] {
		return bad(MsgAnswerMissing, it.Code)
	}
	switch want {
	case "grade":
		if grade(it, a.Grade) == nil {
			return bad(MsgGradeUnknown, a.Grade)
		}
	case "value":
		if v := *a.Value; math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			return bad(MsgValueInvalid, fmt.Sprint(v))
		} else if v > MaxPercent {
			return bad(MsgValueRange, fmt.Sprint(v))
		}
	case "count":
		if *a.Count < 0 {
			return bad(MsgCountInvalid, strconv.Itoa(*a.Count))
		} else if *a.Count > MaxCount {
			return bad(MsgCountRange, strconv.Itoa(*a.Count))
		}
	}
	return nil
}

// grade returns the item's grade labelled label, or nil.
func grade(it *healthcell.Item, label string) *healthcell.Grade {
	for i := range it.Grades {
		if it.Grades[i].Label == label {
			return &it.Grades[i]
		}
	}
	return nil
}

// round rounds x to places decimals, half away from zero, on the shortest
// decimal form of x, so that 1.005 becomes 1.01 and not 1.00 as
// math.Round(x*100)/100 would give. NaN and infinities become 0.
func round(x float64, places int) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0
	}
	s := strconv.FormatFloat(math.Abs(x), 'f', -1, 64)
	dot := strings.IndexByte(s, '.')
	if dot < 0 || len(s)-dot-1 <= places {
		return x
	}
	v, _ := strconv.ParseFloat(s[:dot+1+places], 64)
	if s[dot+1+places] >= '5' {
		v, _ = strconv.ParseFloat(strconv.FormatFloat(v+math.Pow10(-places), 'f', places, 64), 64)
	}
	if v == 0 {
		return 0
	}
	return math.Copysign(v, x)
}
