package web

import (
	"net/url"

	"github.com/healthcell/healthcell/catalog"
)

// themeOther is the theme of indicators whose group names no theme of
// catalog/indicator_themes.yaml (a county's own indicators, say).
const themeOther = "other"

// dashTheme is one theme of the dashboard and its indicators' cards.
type dashTheme struct {
	Code, Name string
	Cards      []dashCard
}

// groupThemes sorts cards into themes: the themes in their file's order,
// each card under the theme its indicator's group names, in the cards'
// order; cards of an unknown or empty group go to a last theme named
// otherName. Themes without cards are left out.
func groupThemes(themes []catalog.Theme, cards []dashCard, lang, otherName string) []dashTheme {
	at := map[string]int{}
	out := make([]dashTheme, 0, len(themes)+1)
	for _, th := range themes {
		at[th.Code] = len(out)
		out = append(out, dashTheme{Code: th.Code, Name: th.Name(lang)})
	}
	other := dashTheme{Code: themeOther, Name: otherName}
	for _, c := range cards {
		if i, ok := at[c.Ind.Group]; ok && c.Ind.Group != themeOther {
			out[i].Cards = append(out[i].Cards, c)
		} else {
			other.Cards = append(other.Cards, c)
		}
	}
	out = append(out, other)
	kept := out[:0]
	for _, th := range out {
		if len(th.Cards) > 0 {
			kept = append(kept, th)
		}
	}
	return kept
}

// ShownThemes are the themes whose summary the page shows: all of them on
// the index, the chosen one on a theme's page.
func (v dashView) ShownThemes() []dashTheme {
	if v.Theme == "" {
		return v.Themes
	}
	for _, th := range v.Themes {
		if th.Code == v.Theme {
			return []dashTheme{th}
		}
	}
	return nil
}

// hasTheme reports whether code is one of the page's themes.
func (v dashView) hasTheme(code string) bool {
	for _, th := range v.Themes {
		if th.Code == code {
			return true
		}
	}
	return false
}

// ThemeLink is the address of a theme's page of this dashboard; "" gives
// the index of all themes.
func (v dashView) ThemeLink(code string) string {
	q := url.Values{}
	if v.Unit != nil {
		q.Set("unit", itoa(v.Unit.ID))
	} else {
		q.Set("division", v.Div.Code)
	}
	q.Set("period", v.Period)
	if code != "" {
		q.Set("theme", code)
	}
	return "/dashboard?" + q.Encode()
}

// IndLink is the address of an indicator's own page for the dashboard's
// division and period.
func (v dashView) IndLink(code string) string {
	return indicatorPath(code, v.Div.Code, v.Period)
}

// indicatorPath is the address of an indicator's page of a division and
// period.
func indicatorPath(code, division, period string) string {
	return "/dashboard/indicators/" + url.PathEscape(code) + "?" + url.Values{"division": {division}, "period": {period}}.Encode()
}

// DrillPrefix is the start of a card's drill-down address, to which the
// chart's script appends a child division's code: the child's dashboard,
// or with DrillInd the same indicator's page of the child.
func (v dashView) DrillPrefix(c dashCard) string {
	if v.DrillInd {
		return "/dashboard/indicators/" + url.PathEscape(c.Ind.Code) + "?" + url.Values{"period": {v.Period}}.Encode() + "&division="
	}
	return "/dashboard?" + url.Values{"period": {v.Period}}.Encode() + "&division="
}
