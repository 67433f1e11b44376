package demo

import "time"

// family emits the household's 家庭健康情况 entry (register family_health)
// or nothing: about one household in ten has not been visited yet. Each
// checklist item holds with the township's propensity, moved up or down
// for the household, so that households, villages and townships differ.
// The 明白人 is the head when one is recorded. The values follow the
// register's field order.
func (g *regGen) family(h HouseholdRef, today time.Time) error {
	r := g.fr
	if r.Float64() < 0.1 {
		return nil
	}
	t := g.rates(h.Village[:9])
	p := min(0.99, max(0.05, t.family+0.3*(r.Float64()-0.5)))
	yes := func(q float64) bool { return r.Float64() < min(0.99, q) }
	guide := ""
	if h.Head != "" && yes(p+0.1) {
		guide = h.Head
	}
	vals := []any{guide,
		yes(p + 0.2),                                                         // handbook
		yes(p),                                                               // medicine kit
		yes(p + 0.1), yes(p - 0.1), yes(p - 0.2), yes(p - 0.3), yes(p - 0.2), // scale, monitor, tape, oil pot, salt spoon
		yes(p), yes(p - 0.2), yes(p - 0.1), // vitals, labels, online booking
		yes(p), yes(p), yes(p + 0.2), yes(p), // smoke-free, exercise, teeth, sleep
		yes(0.97), yes(0.9), // lived one year, good health
		g.dateIn(today.AddDate(-1, 0, 0), today),
	}
	return g.emit(&Row{Register: "family_health", Village: h.Village, HouseholdID: h.ID, Values: vals})
}
