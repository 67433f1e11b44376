package web

import (
	"context"
	"fmt"
	"io"
	"net/http/httptest"
	"testing"

	"github.com/healthcell/healthcell"
)

// BenchmarkVillagePageRender renders a village page as the county
// administrator sees it (breadcrumb, counts, three self-assessment
// standards, 50 households, a pager) without any storage: the template's
// share of a village page request.
func BenchmarkVillagePageRender(b *testing.B) {
	s, err := New(shippedConfig(b), Services{})
	if err != nil {
		b.Fatal(err)
	}
	user := &healthcell.User{ID: 1, Username: "admin", DisplayName: "县爱卫办管理员", Role: healthcell.RoleCountyAdmin, Scope: "510824000000"}
	div := &healthcell.DivisionView{
		DivisionNode: healthcell.DivisionNode{Division: healthcell.Division{Code: "510824100001", Name: "金穗社区居民委员会", Level: healthcell.LevelVillage, Parent: "510824100000"}},
		Ancestors: []healthcell.Division{{Code: "510000000000", Name: "四川省", Level: 1}, {Code: "510800000000", Name: "广元市", Level: 2},
			{Code: "510824000000", Name: "苍溪县", Level: 3}, {Code: "510824100000", Name: "陵江镇", Level: 4}},
	}
	div.Households, div.Persons = 798, 2458
	var hs []*healthcell.Household
	for i := range pageSize {
		hs = append(hs, &healthcell.Household{ID: int64(1000 + i), Number: fmt.Sprintf("%04d", i+1), Group: fmt.Sprintf("%d组", i%9+1), HeadName: "张三丰", Members: 3})
	}
	var stds []selfAssessment
	for _, c := range []string{"healthy-village", "healthy-community", "sanitary-village"} {
		stds = append(stds, selfAssessment{Code: c, Label: "健康村自查"})
	}
	r := httptest.NewRequest("GET", "/divisions/510824100001", nil)
	r = r.WithContext(context.WithValue(r.Context(), userKey{}, user))
	w := discard{httptest.NewRecorder()}
	b.ReportAllocs()
	for b.Loop() {
		v := divisionView{Page: s.newPage(r, "nav.tree"), Div: div, Households: hs, HouseholdRows: householdRows(hs),
			Pager: newPager(r, 1, 798), CanWrite: true, Standards: stds, CanScore: true}
		v.Title = div.Name
		for _, an := range div.Ancestors {
			v.Crumbs = append(v.Crumbs, crumb{Code: an.Code, Name: an.Name, Link: v.Covers(an.Code)})
		}
		v.CrumbItems = crumbItems(v.Crumbs)
		if err := s.render(w, r, 200, "division", v); err != nil {
			b.Fatal(err)
		}
	}
}

// discard is a response writer that keeps nothing.
type discard struct{ *httptest.ResponseRecorder }

func (discard) Write(p []byte) (int, error) { return io.Discard.Write(p) }
func (discard) WriteHeader(int)             {}
