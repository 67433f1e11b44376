package demo

import (
	"time"
)

// The registers and fields added for the indicators and activities every
// shipped standard names (issue 12): livestock, refuse points and water
// samples, the village environment survey, the activity kinds of the seeds,
// and the reports of schools, hospitals and enterprises. They draw from
// g.x only, so that the older registers keep their values.

// livestock returns a household's 畜禽饲养: about 45 % keep none, the others
// pen them at the township's rate.
func (g *regGen) livestock(t townRates) string {
	switch x := g.x.Float64(); {
	case x < 0.45:
		return "none"
	case x < 0.45+0.55*t.penned:
		return "penned"
	}
	return "free"
}

// part returns about rate × whole, never more than whole.
func (g *regGen) part(whole int, rate float64) int {
	n := int(float64(whole)*rate*(0.97+0.06*g.x.Float64()) + 0.5)
	return max(0, min(whole, n))
}

// inspectionCounts returns an inspection's refuse points checked and
// cleared and its water samples taken and passing.
func (g *regGen) inspectionCounts(t townRates) []any {
	points := 4 + g.x.IntN(12)
	samples := 1 + g.x.IntN(3)
	return []any{points, g.part(points, t.refuse), samples, g.part(samples, t.water)}
}

// moreKinds are the activity kinds a village records besides activityKinds,
// with their yearly numbers.
var moreKinds = []struct {
	kind   string
	perYr  int
	topics []string
}{
	{"consultation", 4, []string{"健康义诊", "中医义诊", "慢病咨询"}},
	{"contest", 1, []string{"健康膳食知识竞赛", "健康素养知识竞赛"}},
	{"board", 12, []string{"宣传栏更新：合理膳食", "宣传栏更新：控烟", "黑板报：传染病防治"}},
	{"fitness_team", 6, []string{"广场舞队活动", "太极拳队活动"}},
	{"vector_control", 4, []string{"春季灭鼠", "夏季灭蚊蝇", "环境消杀"}},
	{"cleanup", 12, []string{"环境卫生大扫除", "爱国卫生月大扫除"}},
}

// villageMore emits a village's environment survey (once a year, in its
// first quarter) and its activities of moreKinds.
func (g *regGen) villageMore(code string, units []int64, yearStart, today time.Time) error {
	t := g.rates(code[:9])
	road := round2(5 + 25*g.x.Float64())
	area := round2(8 + 30*g.x.Float64())
	end := earlier(today, yearStart.AddDate(0, 3, -1))
	if err := g.emit(&Row{Register: "village_env", Village: code, Values: []any{g.dateInX(yearStart, end), road,
		min(road, round2(road*t.road*(0.95+0.1*g.x.Float64()))), area, min(area, round2(area*t.green*(0.9+0.2*g.x.Float64()))), "村两委"}}); err != nil {
		return err
	}
	months := int(today.Month())
	for _, k := range moreKinds {
		n := int(float64(k.perYr*months)/12*t.activity*(0.6+0.8*g.x.Float64()) + 0.5)
		for i := 0; i < n; i++ {
			var unit int64
			if len(units) > 0 && g.x.Float64() < 0.2 {
				unit = units[g.x.IntN(len(units))]
			}
			if err := g.emit(&Row{Register: "activities", Village: code, UnitID: unit, Values: []any{k.kind, g.dateInX(yearStart, today),
				"村民活动室", k.topics[g.x.IntN(len(k.topics))], "村卫生室", 15 + g.x.IntN(100)}}); err != nil {
				return err
			}
		}
	}
	return nil
}

// dateInX is dateIn drawing from g.x.
func (g *regGen) dateInX(from, to time.Time) string {
	days := int(to.Sub(from).Hours() / 24)
	if days <= 0 {
		return to.Format(day)
	}
	return from.AddDate(0, 0, g.x.IntN(days+1)).Format(day)
}

// unitVillage returns the village a unit's rows are recorded in: its own,
// or the first village of its township for a unit above villages.
func unitVillage(u UnitRef, villages []string) string {
	if len(u.Division) == 12 && u.Division[9:] != "000" {
		return u.Division
	}
	for _, v := range villages {
		if len(u.Division) >= 9 && v[:9] == u.Division[:9] {
			return v
		}
	}
	return ""
}

// unit emits an institution's reports for the year up to today: a school's
// term reports (January for the autumn term, July for the spring term) and
// its lectures and notice boards, a hospital's monthly reports, an
// enterprise's quarterly monitoring.
func (g *regGen) unit(u UnitRef, villages []string, yearStart, today time.Time) error {
	village := unitVillage(u, villages)
	if village == "" {
		return nil
	}
	t := g.rates(village[:9])
	row := func(reg string, vals ...any) error {
		return g.emit(&Row{Register: reg, Village: village, UnitID: u.ID, Values: vals})
	}
	switch u.Kind {
	case "school":
		for _, d := range []time.Time{yearStart.AddDate(0, 0, 14), yearStart.AddDate(0, 6, 9)} {
			if d.After(today) {
				break
			}
			classes := 12 + g.x.IntN(25)
			tested := classes * (38 + g.x.IntN(8))
			if err := row("school_health", d.Format(day), classes, g.part(classes, t.classes), tested, g.part(tested, t.fitness), "校医"); err != nil {
				return err
			}
		}
		// Two lectures and two boards a term, now and then one short.
		for _, term := range [][2]time.Time{{yearStart.AddDate(0, 2, 0), yearStart.AddDate(0, 7, -1)}, {yearStart.AddDate(0, 8, 0), yearStart.AddDate(1, 1, -1)}} {
			from, to := term[0], earlier(term[1], today)
			if from.After(today) {
				break
			}
			for _, kind := range []string{"lecture", "board"} {
				n := 2
				if g.x.Float64() < 0.25 {
					n = 1
				}
				for i := 0; i < n; i++ {
					if err := row("activities", kind, g.dateInX(from, to), "学校礼堂", "学生健康教育", "学校", 200+g.x.IntN(600)); err != nil {
						return err
					}
				}
			}
		}
	case "hospital":
		for m := 1; m < int(today.Month()); m++ {
			end := yearStart.AddDate(0, m, -1)
			first := 150 + g.x.IntN(1500)
			discharged := 30 + g.x.IntN(400)
			if err := row("hospital_health", end.Format(day), first, g.part(first, t.bp), discharged, g.part(discharged, t.ward), "院办"); err != nil {
				return err
			}
		}
	case "enterprise":
		for q := 0; q < 4; q++ {
			d := yearStart.AddDate(0, 3*q+1, 14)
			if d.After(today) {
				break
			}
			points := 8 + g.x.IntN(20)
			workers := 40 + g.x.IntN(260)
			if err := row("occupational_health", d.Format(day), points, g.part(points, t.hazard), workers, g.part(workers, t.exams), "市疾控中心"); err != nil {
				return err
			}
		}
	}
	return nil
}

// earlier returns the earlier of a and b.
func earlier(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}
