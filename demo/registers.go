package demo

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// Resident is what the register generator needs of a stored person.
type Resident struct {
	ID, HouseholdID int64
	Village, Birth  string // Birth is YYYY-MM-DD
	Registered      bool
	Resident        bool
}

// HouseholdRef is a stored household.
type HouseholdRef struct {
	ID      int64
	Village string
	Head    string // the head's name ("" when none is recorded)
}

// UnitRef is a stored institution unit, its kind (school, hospital,
// agency, enterprise) and the division it is in.
type UnitRef struct {
	ID       int64
	Kind     string
	Division string
}

// Row is one register row: the register's code, its frame, and its field
// values in the order of the register's fields (catalog/registers/*.yaml).
type Row struct {
	Register    string
	Village     string
	PersonID    int64
	HouseholdID int64
	UnitID      int64
	Values      []any
}

// townRates are one township's propensities, so that every indicator
// differs between townships.
type townRates struct {
	contract, record, elderCheck, otherCheck, insured float64
	poorHouse, oop, sanitary, tap                     float64
	activity                                          float64
	family                                            float64 // how far the household checklist has reached
	// Drawn after the others, so that adding them kept every earlier value.
	penned, road, green, refuse, water, classes, fitness float64
	bp, ward, hazard, exams                              float64
}

func (g *regGen) rates(township string) townRates {
	if r, ok := g.towns[township]; ok {
		return r
	}
	r := rand.New(rand.NewPCG(mix(g.seed^0x7e61), mix(uint64(atoi(township)))))
	t := townRates{
		contract:   0.58 + 0.25*r.Float64(),
		record:     0.80 + 0.18*r.Float64(),
		elderCheck: 0.50 + 0.40*r.Float64(),
		otherCheck: 0.40 + 0.45*r.Float64(),
		insured:    0.935 + 0.06*r.Float64(),
		poorHouse:  0.02 + 0.045*r.Float64(),
		oop:        0.05 + 0.11*r.Float64(),
		sanitary:   0.62 + 0.35*r.Float64(),
		tap:        0.70 + 0.28*r.Float64(),
		activity:   0.6 + 0.8*r.Float64(),
		family:     0.55 + 0.4*r.Float64(),
		penned:     0.75 + 0.24*r.Float64(),
		road:       0.65 + 0.33*r.Float64(),
		green:      0.18 + 0.17*r.Float64(),
		refuse:     0.85 + 0.15*r.Float64(),
		water:      0.85 + 0.15*r.Float64(),
		classes:    0.80 + 0.20*r.Float64(),
		fitness:    0.82 + 0.15*r.Float64(),
		bp:         0.80 + 0.20*r.Float64(),
		ward:       0.75 + 0.25*r.Float64(),
		hazard:     0.85 + 0.15*r.Float64(),
		exams:      0.80 + 0.20*r.Float64(),
	}
	g.towns[township] = t
	return t
}

type regGen struct {
	seed  uint64
	now   time.Time
	r     *rand.Rand
	fr    *rand.Rand // the family register's own stream, so adding it left the other registers as they were
	x     *rand.Rand // the fields and registers added later (issue 12), so that r's sequence is unchanged
	towns map[string]townRates
	emit  func(*Row) error
}

const day = "2006-01-02"

// dateIn returns a date between from and to (inclusive), as text.
func (g *regGen) dateIn(from, to time.Time) string {
	days := int(to.Sub(from).Hours() / 24)
	if days <= 0 {
		return to.Format(day)
	}
	return from.AddDate(0, 0, g.r.IntN(days+1)).Format(day)
}

// Registers generates every register's rows for the stored population,
// deterministically from seed and the order of its inputs (persons by id):
// family-doctor contracts (≈ 70 % of residents, more of older people),
// health records, check-ups (the 65-and-over yearly, others every two years
// in part), insurance for the current year (≈ 97 % of the registered),
// chronic patients with follow-ups, the poverty register (≈ 4 %, whole
// households) with inpatient and outpatient expenses, household toilets
// and tap water, the household health checklist (family_health: about
// nine households in ten recorded, each item at the township's level), and activities and environment inspections in every
// village. Each township has its own propensities. Dates fall in the
// current year up to now, so this year's indicators have values.
func Registers(households []HouseholdRef, persons []Resident, units []UnitRef, villages []string, seed int64, now time.Time, emit func(*Row) error) error {
	g := &regGen{seed: uint64(seed), now: now, r: rand.New(rand.NewPCG(mix(uint64(seed)^0x4e6), 0x9e3779b97f4a7c15)),
		fr:    rand.New(rand.NewPCG(mix(uint64(seed)^0xfa17), 0x2545f4914f6cdd1d)),
		x:     rand.New(rand.NewPCG(mix(uint64(seed)^0x12c), 0x9e3779b97f4a7c15)),
		towns: map[string]townRates{}, emit: emit}
	yearStart := time.Date(now.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)

	poorHouse := map[int64]bool{}
	for _, h := range households {
		if len(h.Village) != 12 {
			return fmt.Errorf("demo: household %d has village %q", h.ID, h.Village)
		}
		t := g.rates(h.Village[:9])
		if g.r.Float64() < t.poorHouse {
			poorHouse[h.ID] = true
		}
		toilet := "sanitary"
		if x := g.r.Float64(); x >= t.sanitary {
			toilet = "non_sanitary"
			if x > 0.97 {
				toilet = "none"
			}
		}
		if err := emit(&Row{Register: "sanitation", Village: h.Village, HouseholdID: h.ID,
			Values: []any{toilet, g.r.Float64() < t.tap, g.dateIn(today.AddDate(-2, 0, 0), today), g.livestock(t)}}); err != nil {
			return err
		}
		if err := g.family(h, today); err != nil {
			return err
		}
	}
	for i := range persons {
		if err := g.person(&persons[i], poorHouse[persons[i].HouseholdID], yearStart, today); err != nil {
			return err
		}
	}
	unitsIn := map[string][]int64{}
	for _, u := range units {
		unitsIn[u.Division] = append(unitsIn[u.Division], u.ID)
	}
	for _, v := range villages {
		if err := g.village(v, unitsIn[v], yearStart, today); err != nil {
			return err
		}
	}
	for _, v := range villages {
		if err := g.villageMore(v, unitsIn[v], yearStart, today); err != nil {
			return err
		}
	}
	for _, u := range units {
		if err := g.unit(u, villages, yearStart, today); err != nil {
			return err
		}
	}
	return nil
}

func (g *regGen) person(p *Resident, poor bool, yearStart, today time.Time) error {
	t := g.rates(p.Village[:9])
	birth, err := time.Parse(day, p.Birth)
	if err != nil {
		return fmt.Errorf("demo: person %d born %q", p.ID, p.Birth)
	}
	age := today.Year() - birth.Year()
	row := func(reg string, vals ...any) error {
		return g.emit(&Row{Register: reg, Village: p.Village, PersonID: p.ID, Values: vals})
	}
	// Chronic disease first: it drives contracts and check-ups.
	chronic := ""
	if age >= 35 {
		ph, pd := 0.10, 0.04
		if age >= 65 {
			ph, pd = 0.28, 0.09
		}
		switch x := g.r.Float64(); {
		case x < ph:
			chronic = "hypertension"
		case x < ph+pd:
			chronic = "diabetes"
		case x < ph+pd+0.004:
			chronic = "mental"
		}
	}
	if p.Resident && chronic != "" {
		if err := row("chronic", chronic, g.dateIn(birth.AddDate(35, 0, 0), today), g.r.Float64() < 0.8, "责任医生"); err != nil {
			return err
		}
		for k := 0; k < 2; k++ {
			res := "controlled"
			if x := g.r.Float64(); x > 0.7 {
				res = "uncontrolled"
			} else if x > 0.67 {
				res = "complication"
			}
			if err := row("followups", chronic, g.dateIn(yearStart, today), res, ""); err != nil {
				return err
			}
		}
	}
	if p.Resident {
		pc := t.contract
		if age >= 65 || chronic != "" || poor {
			pc = min(0.98, pc+0.15)
		}
		if g.r.Float64() < pc {
			start := g.dateIn(today.AddDate(-1, 0, 1), today)
			s, _ := time.Parse(day, start)
			group := "none"
			switch {
			case poor:
				group = "poor"
			case age >= 65:
				group = "elderly"
			case chronic != "":
				group = "chronic"
			case age <= 6:
				group = "child"
			}
			if err := row("contracts", "家庭医生", "乡镇卫生院签约团队", start, s.AddDate(1, 0, -1).Format(day), group); err != nil {
				return err
			}
		}
		if g.r.Float64() < t.record {
			if err := row("health_records", fmt.Sprintf("HR%d", p.ID), g.dateIn(time.Date(2012, 1, 1, 0, 0, 0, 0, time.UTC), today), "乡镇卫生院"); err != nil {
				return err
			}
		}
		yearly := age >= 65 || age <= 6 || chronic != ""
		kind := "general"
		switch {
		case age >= 65:
			kind = "elderly"
		case age <= 6:
			kind = "child"
		case chronic != "":
			kind = "chronic"
		}
		if yearly && g.r.Float64() < t.elderCheck {
			if err := row("checkups", g.dateIn(yearStart, today), kind, "未见明显异常", "乡镇卫生院"); err != nil {
				return err
			}
		} else if !yearly && g.r.Float64() < t.otherCheck {
			if err := row("checkups", g.dateIn(today.AddDate(-2, 0, 1), today), kind, "未见明显异常", "乡镇卫生院"); err != nil {
				return err
			}
		}
	}
	if p.Registered && g.r.Float64() < t.insured {
		if err := row("insurance", today.Year(), "resident", g.dateIn(yearStart, yearStart.AddDate(0, 2, 0))); err != nil {
			return err
		}
	}
	if poor {
		status := "registered"
		if x := g.r.Float64(); x > 0.9 {
			status = "lifted"
		} else if x > 0.8 {
			status = "monitored"
		}
		if err := row("poverty", g.dateIn(time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2020, 12, 31, 0, 0, 0, 0, time.UTC)), status); err != nil {
			return err
		}
		pIn := 0.12
		if age >= 60 || chronic != "" {
			pIn = 0.35
		}
		if g.r.Float64() < pIn {
			total := float64(2000 + g.r.IntN(28000))
			inCounty := g.r.Float64() < 0.85
			share := t.oop * (0.6 + 0.8*g.r.Float64())
			if !inCounty {
				share += 0.15
			}
			oop := round2(total * share)
			insured := round2((total - oop) * (0.75 + 0.15*g.r.Float64()))
			assist := round2(total - oop - insured)
			if err := row("expenses", "inpatient", g.dateIn(yearStart, today), "县人民医院", inCounty, total, insured, assist, oop); err != nil {
				return err
			}
		}
		if g.r.Float64() < 0.5 {
			total := float64(50 + g.r.IntN(750))
			insured := round2(total * 0.5)
			if err := row("expenses", "outpatient", g.dateIn(yearStart, today), "乡镇卫生院", true, total, insured, 0.0, round2(total-insured)); err != nil {
				return err
			}
		}
	}
	return nil
}

func round2(x float64) float64 { return float64(int64(x*100+0.5)) / 100 }

var activityKinds = []struct {
	kind   string
	perYr  int
	topics []string
}{
	{"lecture", 12, []string{"中医养生保健讲座", "高血压防治", "合理膳食", "控烟限酒"}},
	{"training", 3, []string{"村医业务培训", "急救技能培训"}},
	{"publicity_day", 4, []string{"全国高血压日", "世界无烟日", "全民健康生活方式日"}},
	{"sports_event", 3, []string{"广场舞比赛", "健步走"}},
	{"meeting", 4, []string{"健康村建设推进会"}},
}

var grades = []string{"A", "B", "B", "C", "C", "below"}

func (g *regGen) village(code string, units []int64, yearStart, today time.Time) error {
	t := g.rates(code[:9])
	months := int(today.Month())
	for _, k := range activityKinds {
		n := int(float64(k.perYr*months)/12*t.activity*(0.6+0.8*g.r.Float64()) + 0.5)
		for i := 0; i < n; i++ {
			var unit int64
			if len(units) > 0 && g.r.Float64() < 0.3 {
				unit = units[g.r.IntN(len(units))]
			}
			if err := g.emit(&Row{Register: "activities", Village: code, UnitID: unit, Values: []any{k.kind, g.dateIn(yearStart, today),
				"村民活动室", k.topics[g.r.IntN(len(k.topics))], "乡镇卫生院", 20 + g.r.IntN(130)}}); err != nil {
				return err
			}
		}
	}
	for q := 0; q < (months+2)/3; q++ {
		d := yearStart.AddDate(0, 3*q, 10+g.r.IntN(15))
		if d.After(today) {
			d = today
		}
		vals := []any{d.Format(day), round2(70 + 28*g.r.Float64()),
			grades[g.r.IntN(len(grades))], grades[g.r.IntN(len(grades))], grades[g.r.IntN(len(grades))], grades[g.r.IntN(len(grades))], "县爱卫办"}
		if err := g.emit(&Row{Register: "env_inspections", Village: code, Values: append(vals, g.inspectionCounts(t)...)}); err != nil {
			return err
		}
	}
	return nil
}
