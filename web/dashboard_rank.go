package web

import (
	"cmp"
	"slices"

	"github.com/healthcell/healthcell"
)

// rankRow is one child division of a dashboard ranked by the indicators it
// meets: as bulletins rank townships, a city's dashboard ranks its counties.
type rankRow struct {
	Rank          int
	Code, Name    string
	Met, Targeted int     // indicators with a target and a value, and of those the ones met
	Rate          float64 // Met / Targeted in percent; 0 when nothing is targeted
}

// childLevelName is the level of the children a dashboard of a division at
// level shows: a province's cities, a city's counties, a county's
// townships, a township's villages; "" for a village.
func childLevelName(level int) string {
	switch level {
	case healthcell.LevelProvince:
		return healthcell.LevelNameCity
	case healthcell.LevelCity:
		return healthcell.LevelNameCounty
	case healthcell.LevelCounty:
		return healthcell.LevelNameTownship
	case healthcell.LevelTownship:
		return healthcell.LevelNameVillage
	}
	return ""
}

// rankChildren ranks the children of the cards' rows by the share of their
// targeted indicators they meet, then by the number met, then by code;
// equal shares and counts share a rank (1, 2, 2, 4). Nil when the cards
// have no children.
func rankChildren(cards []dashCard) []rankRow {
	at := map[string]int{}
	var out []rankRow
	for _, c := range cards {
		for _, r := range c.Rows {
			i, ok := at[r.Division]
			if !ok {
				i = len(out)
				at[r.Division] = i
				out = append(out, rankRow{Code: r.Division, Name: r.Name})
			}
			if r.Met != nil {
				out[i].Targeted++
				if *r.Met {
					out[i].Met++
				}
			}
		}
	}
	for i := range out {
		if out[i].Targeted > 0 {
			out[i].Rate = float64(out[i].Met) * 100 / float64(out[i].Targeted)
		}
	}
	slices.SortStableFunc(out, func(a, b rankRow) int {
		return cmp.Or(cmp.Compare(b.Rate, a.Rate), cmp.Compare(b.Met, a.Met), cmp.Compare(a.Code, b.Code))
	})
	for i := range out {
		out[i].Rank = i + 1
		if i > 0 && out[i].Rate == out[i-1].Rate && out[i].Met == out[i-1].Met {
			out[i].Rank = out[i-1].Rank
		}
	}
	return out
}
