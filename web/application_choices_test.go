package web

import (
	"testing"

	"github.com/healthcell/healthcell"
)

func TestStandardChoices(t *testing.T) {
	stds := []*healthcell.Standard{
		{Code: "healthy-enterprise", Name: "健康企业", UnitKind: "enterprise"},
		{Code: "healthy-village", Name: "健康村", UnitKind: "village"},
		{Code: "healthy-community", Name: "健康社区", UnitKind: "community"},
		{Code: "health-promoting-school", Name: "健康促进学校", UnitKind: "school"},
		{Code: "healthy-family", Name: "健康家庭", UnitKind: "household"},
	}
	tests := []struct {
		name     string
		kinds    []string
		want     []string
		selected string
	}{
		{"community officer", []string{"community", "household"}, []string{"healthy-village", "healthy-community", "healthy-family"}, "healthy-community"},
		{"village officer with a school", []string{"village", "school", "household"}, []string{"healthy-village", "healthy-community", "health-promoting-school", "healthy-family"}, "healthy-village"},
		{"school liaison", []string{"school"}, []string{"health-promoting-school"}, "health-promoting-school"},
		{"enterprise only", []string{"enterprise"}, []string{"healthy-enterprise"}, "healthy-enterprise"},
		{"hospital: no standard", []string{"hospital"}, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := standardChoices(stds, tt.kinds)
			var codes []string
			selected := ""
			for _, c := range got {
				codes = append(codes, c.Code)
				if c.Selected {
					if selected != "" {
						t.Errorf("two standards preselected: %s and %s", selected, c.Code)
					}
					selected = c.Code
				}
			}
			if len(codes) != len(tt.want) {
				t.Fatalf("offered %v, want %v", codes, tt.want)
			}
			for i := range codes {
				if codes[i] != tt.want[i] {
					t.Fatalf("offered %v, want %v", codes, tt.want)
				}
			}
			if selected != tt.selected {
				t.Errorf("preselected %q, want %q", selected, tt.selected)
			}
		})
	}
}

func TestVillageKind(t *testing.T) {
	tests := []struct{ name, want string }{
		{"金穗社区居民委员会", "community"},
		{"红军路社区", "community"},
		{"青山村村民委员会", "village"},
		{"石门村", "village"},
	}
	for _, tt := range tests {
		if got := villageKind(healthcell.Division{Name: tt.name}); got != tt.want {
			t.Errorf("villageKind(%s) = %s, want %s", tt.name, got, tt.want)
		}
	}
}
