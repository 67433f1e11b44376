package web

import (
	"slices"
	"strings"

	"github.com/healthcell/healthcell"
)

// The form that starts an application offers only the standards that apply
// to a unit the officer may apply for, and preselects the one that fits the
// first unit offered: a village officer of a 社区 gets 健康社区, never the
// first standard of the catalogue (健康企业) that the server then refuses.

// standardChoice is one standard offered on the new-application form.
type standardChoice struct {
	Code, Name string
	Kind       string // its own unit kind
	Kinds      string // the unit kinds it applies to, space separated, for controls.js
	Selected   bool
}

// villageKind returns the unit kind of a village-level division: community
// for a 社区 (居民委员会), village otherwise.
func villageKind(d healthcell.Division) string {
	if strings.Contains(d.Name, "社区") || strings.HasSuffix(d.Name, "居民委员会") {
		return "community"
	}
	return "village"
}

// kindsServedBy returns the unit kinds a standard of unitKind may be applied
// for: village and community standards serve both (as the store accepts).
func kindsServedBy(unitKind string) []string {
	if unitKind == "village" || unitKind == "community" {
		return []string{"village", "community"}
	}
	return []string{unitKind}
}

// standardChoices returns the standards that serve one of kinds (the kinds
// of the units offered, in their order), the first whose unit kind is
// exactly kinds[0] preselected (else the first offered). It returns nil
// when none applies.
func standardChoices(stds []*healthcell.Standard, kinds []string) []standardChoice {
	var out []standardChoice
	for _, s := range stds {
		served := kindsServedBy(s.UnitKind)
		if !slices.ContainsFunc(served, func(k string) bool { return slices.Contains(kinds, k) }) {
			continue
		}
		out = append(out, standardChoice{Code: s.Code, Name: s.Name, Kind: s.UnitKind, Kinds: strings.Join(served, " ")})
	}
	pick := -1
	for _, want := range kinds {
		for i, c := range out {
			if c.Kind == want {
				pick = i
				break
			}
		}
		if pick >= 0 {
			break
		}
	}
	if pick < 0 && len(out) > 0 {
		pick = 0
	}
	if pick >= 0 {
		out[pick].Selected = true
	}
	return out
}
