package web

import (
	"context"

	"github.com/healthcell/healthcell"
)

// standardRow is a standard as the list shows it: with the office that
// owns it (发布机关) and where it applies (适用范围), in words.
type standardRow struct {
	*healthcell.Standard
	Body, Scope string
}

// standardOwnerTexts returns the 发布机关 and 适用范围 of a standard owned by
// owner (standard_owner.go in the root package): the owning division's
// 爱卫会 and the division with its level, such as 四川省爱国卫生运动委员会 and
// 四川省（省级标准）; names comes from ownerNames. A standard of no office
// is the catalogue's, for every county. It never fails: an owner whose
// name is unknown is named by its level alone.
func (p Page) standardOwnerTexts(owner string, names map[string]string) (body, scope string) {
	lv := healthcell.CodeLevel(owner)
	if owner == "" || !healthcell.OwnerLevel(lv) {
		return p.T("standard.owner.shared"), p.T("standard.scope.shared")
	}
	name := names[owner]
	if name == "" {
		return p.T("standard.owner.level", map[string]any{"Level": p.T(levelKey(lv))}),
			p.T(standardScopeKey(lv))
	}
	return p.T("certificate.issuer.of", map[string]any{"Name": name}),
		p.T("standard.scope.of", map[string]any{"Name": name, "Level": p.T(standardScopeKey(lv))})
}

// levelKey is the message key of a division level's short name (省, 市, 县).
func levelKey(lv int) string { return "level." + string(rune('0'+lv)) }

// standardScopeKey is the message key of "a standard of level lv"
// (省级标准, 市级标准, 县级标准).
func standardScopeKey(lv int) string { return "standard.scope.level." + string(rune('0'+lv)) }

// ownerNames returns the names of the divisions that own standards in
// list, as the caller may read them (its own division, those below it and
// its ancestors); an owner it cannot name is left out.
func (s *Server) ownerNames(ctx context.Context, list []*healthcell.Standard) map[string]string {
	out := map[string]string{}
	for _, st := range list {
		if _, done := out[st.Owner]; st.Owner == "" || done {
			continue
		}
		out[st.Owner] = s.divisionName(ctx, st.Owner)
	}
	return out
}

// standardRows returns list with each standard's 发布机关 and 适用范围.
func (s *Server) standardRows(ctx context.Context, p Page, list []*healthcell.Standard) []standardRow {
	names := s.ownerNames(ctx, list)
	out := make([]standardRow, len(list))
	for i, st := range list {
		out[i].Standard = st
		out[i].Body, out[i].Scope = p.standardOwnerTexts(st.Owner, names)
	}
	return out
}
