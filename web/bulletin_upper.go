package web

import (
	"context"
	"sort"

	"github.com/healthcell/healthcell"
)

// nameUpperBulletin gives a bulletin above the county (which belongs to no
// campaign) the name of what it covers, 2026年健康细胞建设, in place,
// preceded by its division's name (广元市) when withDivision is set, as
// lists show it; a county's bulletin keeps its campaign's name.
func (s *Server) nameUpperBulletin(ctx context.Context, p Page, b *healthcell.Bulletin, withDivision bool) {
	if b.CampaignID != 0 {
		return
	}
	b.CampaignName = p.T("bulletin.upper.campaign", map[string]any{"Year": b.Year})
	if withDivision {
		b.CampaignName = s.divisionName(ctx, b.Division) + b.CampaignName
	}
}

// campaignYears returns the distinct years of camps, newest first.
func campaignYears(camps []*healthcell.Campaign) []int {
	seen := map[int]bool{}
	var out []int
	for _, c := range camps {
		if !seen[c.Year] {
			seen[c.Year] = true
			out = append(out, c.Year)
		}
	}
	sort.Sort(sort.Reverse(sort.IntSlice(out)))
	return out
}
