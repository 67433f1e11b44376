package questionnaire

// Subset returns a questionnaire of the items of q named by codes, in the
// order given, with q's pass rate and no groups: a quiz drawn from a bank.
// Unknown codes and repeats are left out; ok is false when any was.
func (q *Questionnaire) Subset(codes []string) (sub *Questionnaire, ok bool) {
	sub = &Questionnaire{Code: q.Code, Name: q.Name, Version: q.Version, Source: q.Source, PassRate: q.PassRate}
	ok = true
	seen := map[string]bool{}
	for _, c := range codes {
		it, found := q.Item(c)
		if !found || seen[c] {
			ok = false
			continue
		}
		seen[c] = true
		cp := *it
		cp.Aspect, cp.Area, cp.Part, cp.Scenario = "", "", "", ""
		sub.Items = append(sub.Items, cp)
	}
	sub.reindex()
	for _, it := range sub.Items {
		sub.TotalPoints += it.Points
	}
	return sub, ok
}
