package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/questionnaire"
)

// Responses per county at County scale; Small scale takes the share of its
// households (about 130 and 30), at least surveyMinPerVillage per village.
const (
	literacyResponses   = 20000
	partResponses       = 5000 // a questionnaire with knowledge and behaviour parts
	surveyMinPerVillage = 8
)

// Responses generates survey responses to q in the villages Population
// populates at scale, deterministically from seed: about 20,000 at County
// scale for a questionnaire without parts (the health-literacy survey) and
// 5,000 for one with knowledge and behaviour parts, fewer at Small scale.
// Each response is typed in (no person id): a name, a sex, an age — mostly
// 15–69, a few younger or older — and a survey date in the year before now.
//
// The answers are generated to reach an intended result, never the stored
// columns: each township has its own rate (literacy 20–35 %, knowledge
// 70–90 %, behaviour 55–80 %), lower for older respondents; a respondent who
// is to pass gets a target score at or above the pass line, one who is not a
// score below it; wrong answers are then drawn item by item, more often on
// multiple-choice and skills items, until the answers score exactly the
// target. Storage scores them again through the questionnaire package.
func Responses(q *questionnaire.Questionnaire, villages []healthcell.Division, scale Scale, seed int64, now time.Time,
	emit func(r *healthcell.Response) error) error {
	if len(villages) == 0 {
		return fmt.Errorf("demo: no villages")
	}
	var idx []int
	switch scale {
	case Small:
		idx = pickSmall(villages)
	case County, City:
		for i := range villages {
			idx = append(idx, i)
		}
	default:
		return unknownScale(string(scale))
	}
	total := literacyResponses
	if len(q.Parts) > 0 {
		total = partResponses
	}
	if scale == Small {
		total = total * smallHouseholds / countyHouseholds
	}
	s := newSurvey(q, uint64(seed), now)
	for _, i := range idx {
		v := villages[i]
		s.r.Seed(mix(uint64(seed)^0x5eed), mix(uint64(atoi(v.Code))))
		n := max(surveyMinPerVillage, int(float64(total)/float64(len(idx))*(0.7+0.6*s.rng.Float64())+0.5))
		rates := s.townshipRates(v.Code[:9])
		for range n {
			if err := emit(s.response(v.Code, rates)); err != nil {
				return err
			}
		}
	}
	return nil
}

// survey holds the state of one Responses call.
type survey struct {
	q      *questionnaire.Questionnaire
	seed   uint64
	now    time.Time
	r      *rand.PCG
	rng    *rand.Rand
	weight []float64 // per item: how often it is answered wrong
	parts  [][]int   // item indexes per part, or one list of every item
	pass   []int     // pass points per part (or of the whole)
	ageMix float64   // mean age factor over the generated ages, to keep the rates
}

func newSurvey(q *questionnaire.Questionnaire, seed uint64, now time.Time) *survey {
	s := &survey{q: q, seed: seed, now: now, r: rand.NewPCG(seed, 1)}
	s.rng = rand.New(s.r)
	for _, it := range q.Items {
		w := 1.0
		switch it.Type {
		case questionnaire.TrueFalse:
			w = 0.5
		case questionnaire.Multiple:
			w = 1.6
		}
		switch it.Aspect { // national results: knowledge best, skills worst
		case "基本知识和理念":
			w *= 0.8
		case "基本技能":
			w *= 1.3
		}
		s.weight = append(s.weight, w)
	}
	if len(q.Parts) == 0 {
		all := make([]int, len(q.Items))
		for i := range all {
			all[i] = i
		}
		s.parts = [][]int{all}
		s.pass = []int{q.PassPoints()}
	} else {
		for _, p := range q.Parts {
			var in []int
			for i, it := range q.Items {
				if it.Part == p.Code {
					in = append(in, i)
				}
			}
			s.parts = append(s.parts, in)
			s.pass = append(s.pass, p.PassPoints())
		}
	}
	// The mean age factor of the age distribution, by sampling it once.
	probe := rand.New(rand.NewPCG(seed, 2))
	sum := 0.0
	for range 20000 {
		sum += ageFactor(drawAge(probe))
	}
	s.ageMix = sum / 20000
	return s
}

// townshipRates returns the intended pass rate of each part (or of the
// whole questionnaire) among respondents aged 15–69 in a township.
func (s *survey) townshipRates(township string) []float64 {
	u := float64(mix(s.seed^uint64(atoi(township))^0x7a11)%1000) / 1000
	if len(s.q.Parts) == 0 {
		return []float64{0.20 + 0.15*u}
	}
	var out []float64
	for _, p := range s.q.Parts {
		if p.Code == questionnaire.PartBehaviour {
			out = append(out, 0.55+0.25*u)
		} else {
			out = append(out, 0.70+0.20*u)
		}
	}
	return out
}

// drawAge returns a respondent's age: 96 % aged 15–69, weighted to the older
// adults who stay in a rural county, 3 % aged 70–79 and 1 % aged 12–14.
func drawAge(r *rand.Rand) int {
	switch x := r.Float64(); {
	case x < 0.01:
		return 12 + r.IntN(3)
	case x < 0.04:
		return 70 + r.IntN(10)
	default:
		// a triangle from 15 to 69 with its mode at 55
		u := r.Float64()
		const lo, mode, hi = 15.0, 55.0, 70.0
		c := (mode - lo) / (hi - lo)
		if u < c {
			return int(lo + math.Sqrt(u*(hi-lo)*(mode-lo)))
		}
		return int(hi - math.Sqrt((1-u)*(hi-lo)*(hi-mode)))
	}
}

// ageFactor scales the pass rate by age: the young do better, the old worse.
func ageFactor(age int) float64 {
	switch {
	case age < 40:
		return 1.35
	case age < 55:
		return 1.05
	case age < 65:
		return 0.75
	default:
		return 0.5
	}
}

// response generates one respondent in village with the township's rates.
func (s *survey) response(village string, rates []float64) *healthcell.Response {
	r := s.rng
	age := drawAge(r)
	male := r.IntN(100) < 48
	days := 1 + r.IntN(300)
	res := &healthcell.Response{
		VillageCode: village,
		Name:        s.name(male, age),
		Sex:         map[bool]string{true: "M", false: "F"}[male],
		Age:         age,
		SurveyDate:  s.now.AddDate(0, 0, -days).Format(time.DateOnly),
		Answers:     make(map[string][]string, len(s.q.Items)),
	}
	for i := range s.q.Items {
		it := &s.q.Items[i]
		res.Answers[it.Code] = it.Answer
	}
	f := ageFactor(age) / s.ageMix
	for k, items := range s.parts {
		p := min(0.97, rates[k]*f)
		max := 0
		for _, i := range items {
			max += s.q.Items[i].Points
		}
		pass := s.pass[k]
		var target int
		if r.Float64() < p {
			// at or above the line, more often just above it
			target = pass + int(float64(max-pass+1)*r.Float64()*r.Float64())
		} else {
			// below it: most a little below, some far below
			gap := 1 + int(math.Abs(r.NormFloat64())*float64(max)*0.12)
			target = pass - min(gap, pass*3/4)
		}
		s.wrong(res.Answers, items, max-target)
	}
	return res
}

// wrong answers items wrongly, drawn by weight, until they lose exactly lose
// points (items worth more than what is left to lose are skipped).
func (s *survey) wrong(answers map[string][]string, items []int, lose int) {
	left := append([]int(nil), items...)
	for lose > 0 && len(left) > 0 {
		total := 0.0
		for _, i := range left {
			if s.q.Items[i].Points <= lose {
				total += s.weight[i]
			}
		}
		if total == 0 {
			return
		}
		x := s.rng.Float64() * total
		pick := -1
		for k, i := range left {
			if s.q.Items[i].Points > lose {
				continue
			}
			x -= s.weight[i]
			pick = k
			if x < 0 {
				break
			}
		}
		i := left[pick]
		left = append(left[:pick], left[pick+1:]...)
		it := &s.q.Items[i]
		answers[it.Code] = s.wrongAnswer(it)
		lose -= it.Points
	}
}

// wrongAnswer returns a choice of it's options that is not its key.
func (s *survey) wrongAnswer(it *questionnaire.Item) []string {
	r := s.rng
	isKey := func(l string) bool {
		for _, k := range it.Answer {
			if k == l {
				return true
			}
		}
		return false
	}
	var others []string
	for _, o := range it.Options {
		if !isKey(o.Label) {
			others = append(others, o.Label)
		}
	}
	if it.Type != questionnaire.Multiple {
		return []string{others[r.IntN(len(others))]}
	}
	// A missed key (the usual mistake), or an extra wrong choice.
	if len(others) == 0 || r.IntN(3) > 0 {
		drop := r.IntN(len(it.Answer))
		out := make([]string, 0, len(it.Answer)-1)
		for k, l := range it.Answer {
			if k != drop {
				out = append(out, l)
			}
		}
		return out
	}
	return append(append([]string(nil), it.Answer...), others[r.IntN(len(others))])
}

// name returns a respondent's name: a surname and a given name of the era
// of their birth.
func (s *survey) name(male bool, age int) string {
	r := s.rng
	sur := surnames.names[surnames.index(uint32(r.IntN(int(surnames.total))))]
	era := eraYoung
	switch born := s.now.Year() - age; {
	case born < 1965:
		era = eraOld
	case born < 1995:
		era = eraMiddle
	}
	sex := 0
	if male {
		sex = 1
	}
	pool := &givenPools[sex][era]
	if len(pool.presets) > 0 && r.IntN(3) == 0 {
		return sur + pool.presets[r.IntN(len(pool.presets))]
	}
	if r.Float64() < pool.single {
		return sur + pool.second[r.IntN(len(pool.second))]
	}
	return sur + pool.first[r.IntN(len(pool.first))] + pool.second[r.IntN(len(pool.second))]
}
