// Package questionnaire holds questionnaire definitions (the national
// health-literacy questionnaire and shorter knowledge-and-behaviour
// questionnaires), reads them from the YAML format described in parse.go,
// checks a respondent's answers and scores them.
//
// A questionnaire is data: its items, their answer keys, points, aspect
// (基本知识和理念 / 健康生活方式与行为 / 基本技能), problem area (科学健康观,
// 传染病防治, …) and, for knowledge-and-behaviour questionnaires, part
// (knowledge / behaviour). Items change from one survey year to the next, so
// each version is its own file. The package is pure: it reads and computes,
// it stores nothing.
package questionnaire

import (
	"math"
	"sort"
	"strings"

	"github.com/healthcell/healthcell"
)

// Type is the kind of an item.
type Type string

// Item types.
const (
	TrueFalse Type = "truefalse" // 判断题: options 对 / 错, one key, 1 point by default
	Single    Type = "single"    // 单选题: options A–E, one key, 1 point by default
	Multiple  Type = "multiple"  // 多选题: options A–E, two or more keys, 2 points by default, no partial credit
)

// Parts of a knowledge-and-behaviour questionnaire.
const (
	PartKnowledge = "knowledge" // 健康知识: feeds 健康知识知晓率
	PartBehaviour = "behaviour" // 健康行为: feeds 健康行为形成率
)

// The labels of a true/false item's options.
const (
	LabelTrue  = "对"
	LabelFalse = "错"
)

// Questionnaire is one version of a questionnaire, as read by Parse. Counts,
// the Items and Points of its groups and TotalPoints are computed from the
// items (a file may declare them; Parse rejects a file whose declared values
// differ).
type Questionnaire struct {
	Code     string    // unique, e.g. "health-literacy-2020"
	Name     string    // 全国居民健康素养监测调查问卷 …
	Version  string    // e.g. "2020"
	Source   string    // the document the items and structure follow
	Notes    string    // what is ours and what is the source's
	PassRate float64   // passed at ≥ PassRate × MaxPoints, e.g. 0.8
	Age      *AgeRange // the population the indicator counts, nil for any age

	Aspects   []Group    // 基本知识和理念 …, in file order; nil when not used
	Areas     []Group    // 科学健康观 …, in file order; nil when not used
	Parts     []Part     // knowledge, behaviour; nil when not used
	Scenarios []Scenario // stems shared by scenario items
	Items     []Item     // in questionnaire order

	TotalPoints int    // sum of the items' points
	Counts      Counts // items per type

	index map[string]int // item code → index in Items
}

// AgeRange is an inclusive range of ages in whole years.
type AgeRange struct {
	Min, Max int
}

// Group is an aspect or a problem area with its number of items and points.
type Group struct {
	Name   string
	Items  int
	Points int
}

// Part is the knowledge or the behaviour part of a questionnaire, with its own
// pass rate.
type Part struct {
	Code     string // PartKnowledge or PartBehaviour
	Name     string // 健康知识 / 健康行为 unless the file names it
	PassRate float64
	Items    int
	Points   int
}

// PassPoints is the least number of points that passes the part.
func (p Part) PassPoints() int { return passPoints(p.PassRate, p.Points) }

// Scenario is a stem shared by several items (情景题).
type Scenario struct {
	Code string
	Text string
}

// Counts is the number of items per type as the national questionnaire counts
// them: TrueFalse, Single and Multiple are items outside any scenario, and
// Scenario the items of the scenarios, whatever their type (the 2020 form:
// 8 + 23 + 15 + 4 = 50).
type Counts struct {
	TrueFalse int
	Single    int
	Multiple  int
	Scenario  int
}

// Option is one choice of an item.
type Option struct {
	Label string // A–E, or 对 / 错
	Text  string
}

// Item is one question.
type Item struct {
	Code     string
	Type     Type
	Text     string
	Options  []Option // a true/false item has 对 and 错
	Answer   []string // the key: option labels in option order
	Points   int
	Aspect   string // one of the questionnaire's aspects, or ""
	Area     string // one of its problem areas, or ""
	Part     string // PartKnowledge, PartBehaviour or ""
	Scenario string // the code of the item's scenario, or ""
	Optional bool   // Check does not require an answer
	// Satisfied: Answer is the set of options that count (满意, 比较满意):
	// the item scores when every choice is among them.
	Satisfied bool
	// Explanation is a short text shown with the correct answer (quiz).
	Explanation string
}

// Scored reports whether the item scores at all (an opinion item without a
// key has no points).
func (it *Item) Scored() bool { return it.Points > 0 }

// correct reports whether chosen (normalized) earns the item's points.
func (it *Item) correct(chosen []string) bool {
	if !it.Scored() {
		return false
	}
	if !it.Satisfied {
		return sameSet(chosen, it.Answer)
	}
	if len(chosen) == 0 {
		return false
	}
	for _, c := range chosen {
		found := false
		for _, k := range it.Answer {
			if c == k {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// HasOption reports whether label is one of the item's option labels.
func (it *Item) HasOption(label string) bool {
	for _, o := range it.Options {
		if o.Label == label {
			return true
		}
	}
	return false
}

// Item returns the item with the given code.
func (q *Questionnaire) Item(code string) (*Item, bool) {
	if q.index == nil {
		q.reindex()
	}
	i, ok := q.index[code]
	if !ok {
		return nil, false
	}
	return &q.Items[i], true
}

func (q *Questionnaire) reindex() {
	q.index = make(map[string]int, len(q.Items))
	for i, it := range q.Items {
		if _, dup := q.index[it.Code]; !dup {
			q.index[it.Code] = i
		}
	}
}

// Scenario returns the scenario with the given code.
func (q *Questionnaire) Scenario(code string) (*Scenario, bool) {
	for i := range q.Scenarios {
		if q.Scenarios[i].Code == code {
			return &q.Scenarios[i], true
		}
	}
	return nil, false
}

// MaxPoints is the score of a respondent who answers every item right.
func (q *Questionnaire) MaxPoints() int {
	n := 0
	for _, it := range q.Items {
		n += it.Points
	}
	return n
}

// PassPoints is the least score that passes: PassRate × MaxPoints rounded up
// (53 for 80 % of 66).
func (q *Questionnaire) PassPoints() int { return passPoints(q.PassRate, q.MaxPoints()) }

// passPoints rounds rate × max up to a whole point; the tolerance keeps a
// product such as 0.8 × 10 = 8.000000000000002 at 8.
func passPoints(rate float64, max int) int {
	return int(math.Ceil(rate*float64(max) - 1e-9))
}

// Result is a scored set of answers.
type Result struct {
	Items      []ItemScore  // in questionnaire order
	Aspects    []GroupScore // in the questionnaire's aspect order
	Areas      []GroupScore // in its area order
	Parts      []GroupScore // in its part order, Name the part code, with PassPoints and Passed
	Total      int          // points scored
	Max        int          // points possible
	PassPoints int          // least passing total
	Passed     bool         // Total ≥ PassPoints
}

// ItemScore is the score of one item.
type ItemScore struct {
	Code     string
	Answered bool // at least one choice was given
	Correct  bool // the choices are exactly the key
	Points   int  // Max when Correct, else 0
	Max      int
}

// GroupScore is the score of the items of one aspect, area or part.
type GroupScore struct {
	Name       string
	Items      int // items in the group
	Answered   int // of them answered
	Correct    int // of them correct
	Points     int // points scored
	Max        int // points possible
	PassPoints int // parts only: least passing points
	Passed     bool
}

// Score scores answers, a map from item code to the chosen option labels.
// Labels are trimmed and ASCII letters upper-cased; repeated labels count
// once. An item is correct only when the chosen set is exactly its key: a
// multiple-choice item with one key missing or one wrong choice added scores
// nothing, as does a single-choice item with two choices. Missing items score
// nothing and answers to unknown items are ignored (Check reports both).
func (q *Questionnaire) Score(answers map[string][]string) Result {
	r := Result{Items: make([]ItemScore, len(q.Items))}
	group := func(names []string) ([]GroupScore, map[string]int) {
		if len(names) == 0 {
			return nil, nil
		}
		gs := make([]GroupScore, len(names))
		idx := make(map[string]int, len(names))
		for i, n := range names {
			gs[i].Name = n
			idx[n] = i
		}
		return gs, idx
	}
	var aspectNames, areaNames, partNames []string
	for _, g := range q.Aspects {
		aspectNames = append(aspectNames, g.Name)
	}
	for _, g := range q.Areas {
		areaNames = append(areaNames, g.Name)
	}
	for _, p := range q.Parts {
		partNames = append(partNames, p.Code)
	}
	var aIdx, arIdx, pIdx map[string]int
	r.Aspects, aIdx = group(aspectNames)
	r.Areas, arIdx = group(areaNames)
	r.Parts, pIdx = group(partNames)
	add := func(gs []GroupScore, idx map[string]int, name string, s ItemScore) {
		i, ok := idx[name]
		if !ok {
			return
		}
		g := &gs[i]
		g.Items++
		g.Max += s.Max
		g.Points += s.Points
		if s.Answered {
			g.Answered++
		}
		if s.Correct {
			g.Correct++
		}
	}
	for i := range q.Items {
		it := &q.Items[i]
		chosen := normalize(answers[it.Code])
		s := ItemScore{Code: it.Code, Answered: len(chosen) > 0, Max: it.Points}
		s.Correct = it.correct(chosen)
		if s.Correct {
			s.Points = it.Points
		}
		r.Items[i] = s
		r.Total += s.Points
		r.Max += s.Max
		add(r.Aspects, aIdx, it.Aspect, s)
		add(r.Areas, arIdx, it.Area, s)
		add(r.Parts, pIdx, it.Part, s)
	}
	for i := range r.Parts {
		g := &r.Parts[i]
		g.PassPoints = passPoints(q.Parts[i].PassRate, g.Max)
		g.Passed = g.Points >= g.PassPoints
	}
	r.PassPoints = passPoints(q.PassRate, r.Max)
	r.Passed = r.Total >= r.PassPoints
	return r
}

// Message keys of Check's field errors; Field is the item code.
const (
	MsgOptionUnknown = "questionnaire.option.unknown" // a choice that is not one of the item's options; Value is the choice
	MsgItemUnknown   = "questionnaire.item.unknown"   // an answer to an item the questionnaire does not have
	MsgItemMissing   = "questionnaire.item.missing"   // a required item without an answer
	MsgChoiceSingle  = "questionnaire.choice.single"  // more than one choice for a true/false or single-choice item
)

// Check validates answers against the questionnaire, returning nil or an
// EINVALID *healthcell.Error with one FieldError per problem, Field the item
// code: a choice outside the item's options (one per choice, Value the
// choice), an item the questionnaire does not have, a required item without
// an answer, more than one choice for a true/false or single-choice item.
// Errors follow the questionnaire's item order, then unknown items by code.
// Labels are normalized as Score normalizes them.
func (q *Questionnaire) Check(answers map[string][]string) error {
	if q.index == nil {
		q.reindex()
	}
	var fe []healthcell.FieldError
	for i := range q.Items {
		it := &q.Items[i]
		chosen := normalize(answers[it.Code])
		if len(chosen) == 0 {
			if !it.Optional {
				fe = append(fe, healthcell.FieldError{Field: it.Code, Message: MsgItemMissing})
			}
			continue
		}
		for _, c := range chosen {
			if !it.HasOption(c) {
				fe = append(fe, healthcell.FieldError{Field: it.Code, Message: MsgOptionUnknown, Value: c})
			}
		}
		if it.Type != Multiple && len(chosen) > 1 {
			fe = append(fe, healthcell.FieldError{Field: it.Code, Message: MsgChoiceSingle, Value: strings.Join(chosen, ",")})
		}
	}
	var unknown []string
	for code := range answers {
		if _, ok := q.index[code]; !ok {
			unknown = append(unknown, code)
		}
	}
	sort.Strings(unknown)
	for _, code := range unknown {
		fe = append(fe, healthcell.FieldError{Field: code, Message: MsgItemUnknown})
	}
	return healthcell.Invalid(fe)
}

// normalize trims the labels, upper-cases ASCII letters, drops blanks and
// repeats, and keeps the first-seen order.
func normalize(labels []string) []string {
	var out []string
	for _, l := range labels {
		l = normLabel(l)
		if l == "" {
			continue
		}
		dup := false
		for _, o := range out {
			if o == l {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, l)
		}
	}
	return out
}

func normLabel(l string) string {
	l = strings.TrimSpace(l)
	if len(l) == 1 && l[0] >= 'a' && l[0] <= 'z' {
		l = strings.ToUpper(l)
	}
	return l
}

// sameSet reports whether a and b, each without repeats, hold the same labels.
func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		found := false
		for _, y := range b {
			if x == y {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
