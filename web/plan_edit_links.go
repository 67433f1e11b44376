package web

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/healthcell/healthcell"
)

// What a plan's task may be linked to in the editor: an indicator, or an
// item of a standard (PlanTask.StandardItem "standard code/item code").

// planItem is an item of a standard as the editor offers it.
type planItem struct {
	Code  string `json:"c"`
	Label string `json:"l"` // the item's code and text, shortened
}

// planLinks loads the indicators the caller sees and each standard's items;
// it returns the first error reading them.
func (s *Server) planLinks(ctx context.Context, v *planEditView) error {
	inds, err := s.svc.Indicators.Indicators(ctx)
	if err != nil {
		return err
	}
	v.Indicators = inds
	v.Items = map[string][]planItem{}
	for _, st := range v.Standards {
		full, err := s.svc.Standards.FindStandardByID(ctx, st.ID)
		if err != nil {
			return err
		}
		items := make([]planItem, 0, len(full.Items))
		for _, it := range full.Items {
			items = append(items, planItem{Code: it.Code, Label: it.Code + " " + shortText(it.Text, 24)})
		}
		v.Items[st.Code] = items
	}
	return nil
}

// shortText cuts s to n characters, marking the cut with "…".
func shortText(s string, n int) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) <= n {
		return string(r)
	}
	return string(r[:n]) + "…"
}

// IndicatorName is an indicator's name in the page's language.
func (v planEditView) IndicatorName(ind *healthcell.Indicator) string {
	if v.Lang == "en" && ind.En != "" {
		return ind.En
	}
	return ind.Zh
}

// StandardOf and ItemOf split a task's StandardItem ("code/item").
func (v planEditView) StandardOf(si string) string {
	code, _, _ := strings.Cut(si, "/")
	return code
}

// ItemOf is the item code of a task's StandardItem.
func (v planEditView) ItemOf(si string) string {
	_, item, _ := strings.Cut(si, "/")
	return item
}

// ItemsOf lists the items of the standard a task's StandardItem names.
func (v planEditView) ItemsOf(si string) []planItem { return v.Items[v.StandardOf(si)] }

// ItemsJSON is every standard's items as JSON, for plan.js to fill the item
// list when another standard is chosen.
func (v planEditView) ItemsJSON() string {
	b, err := json.Marshal(v.Items)
	if err != nil {
		return "{}"
	}
	return string(b)
}

// standardItem joins a standard's code and an item code into a task's
// StandardItem; "" unless both are given.
func standardItem(std, item string) string {
	if std == "" || item == "" {
		return ""
	}
	return std + "/" + item
}
