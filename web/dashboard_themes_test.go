package web

import (
	"reflect"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/catalog"
)

// TestGroupThemes checks that cards go under the theme their indicator's
// group names, in the themes' order, unknown and empty groups under a last
// theme, and that empty themes are left out.
func TestGroupThemes(t *testing.T) {
	themes := []catalog.Theme{{Code: "education", Zh: "健康教育", En: "Education"}, {Code: "services", Zh: "健康服务"}, {Code: "family", Zh: "健康家庭"}}
	card := func(code, group string) dashCard {
		return dashCard{Ind: &healthcell.Indicator{Code: code, Group: group}}
	}
	codes := func(ths []dashTheme) map[string][]string {
		out := map[string][]string{}
		for _, th := range ths {
			for _, c := range th.Cards {
				out[th.Code+" "+th.Name] = append(out[th.Code+" "+th.Name], c.Ind.Code)
			}
		}
		return out
	}
	order := func(ths []dashTheme) []string {
		var out []string
		for _, th := range ths {
			out = append(out, th.Code)
		}
		return out
	}
	for _, tc := range []struct {
		name      string
		lang      string
		cards     []dashCard
		wantOrder []string
		want      map[string][]string
	}{
		{"in the file's order", "zh-CN",
			[]dashCard{card("a", "family"), card("b", "education"), card("c", "family"), card("d", "services")},
			[]string{"education", "services", "family"},
			map[string][]string{"education 健康教育": {"b"}, "services 健康服务": {"d"}, "family 健康家庭": {"a", "c"}}},
		{"unknown and empty groups last", "zh-CN",
			[]dashCard{card("own", ""), card("b", "education"), card("x", "nosuch"), card("o", "other")},
			[]string{"education", "other"},
			map[string][]string{"education 健康教育": {"b"}, "other 其他": {"own", "x", "o"}}},
		{"English names", "en",
			[]dashCard{card("b", "education"), card("d", "services")},
			[]string{"education", "services"},
			map[string][]string{"education Education": {"b"}, "services 健康服务": {"d"}}},
		{"no cards", "zh-CN", nil, nil, map[string][]string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := groupThemes(themes, tc.cards, tc.lang, "其他")
			if o := order(got); !reflect.DeepEqual(o, tc.wantOrder) {
				t.Errorf("themes %v, want %v", o, tc.wantOrder)
			}
			if c := codes(got); !reflect.DeepEqual(c, tc.want) {
				t.Errorf("cards %v, want %v", c, tc.want)
			}
		})
	}
}

// TestShippedThemesCoverIndicators: with the shipped themes and
// indicators no indicator falls under 其他指标.
func TestShippedThemesCoverIndicators(t *testing.T) {
	themes, err := catalog.IndicatorThemes()
	if err != nil {
		t.Fatal(err)
	}
	inds, err := catalog.Indicators()
	if err != nil {
		t.Fatal(err)
	}
	var cards []dashCard
	for _, ind := range inds {
		cards = append(cards, dashCard{Ind: ind})
	}
	n := 0
	for _, th := range groupThemes(themes, cards, "zh-CN", "其他指标") {
		if th.Code == themeOther {
			t.Errorf("shipped indicators without a theme: %d", len(th.Cards))
		}
		n += len(th.Cards)
	}
	if n != len(inds) {
		t.Errorf("%d cards grouped, want %d", n, len(inds))
	}
}
