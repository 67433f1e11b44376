package healthcell

import "testing"

func TestStandardOwners(t *testing.T) {
	const (
		province  = "510000000000"
		city      = "510800000000"
		cangxi    = "510824000000"
		chaotian  = "510812000000"
		village   = "510824100001"
		otherCity = "510700000000"
	)
	actor := func(r Role, scope string) *Actor { return &Actor{Username: string(r), Role: r, Scope: scope} }
	tests := []struct {
		name   string
		a      *Actor
		owner  string // StandardOwner
		manage bool
		sees   map[string]bool // SeesStandard by owner
	}{
		{"county office", actor(RoleCountyAdmin, cangxi), cangxi, true,
			map[string]bool{"": true, province: true, city: true, cangxi: true, chaotian: false, otherCity: false}},
		{"neighbour county office", actor(RoleCountyAdmin, chaotian), chaotian, true,
			map[string]bool{province: true, city: true, cangxi: false, chaotian: true}},
		{"city office", actor(RoleCityAdmin, city), city, true,
			map[string]bool{province: true, city: true, cangxi: true, chaotian: true, otherCity: false}},
		{"city evaluator loads nothing", actor(RoleCityEvaluator, city), "", false,
			map[string]bool{province: true, cangxi: true, otherCity: false}},
		{"province office", actor(RoleProvinceAdmin, province), province, true,
			map[string]bool{province: true, city: true, cangxi: true, otherCity: true}},
		{"village officer reads its county's and above", actor(RoleVillage, village), "", false,
			map[string]bool{province: true, cangxi: true, chaotian: false}},
		{"township officer loads nothing", actor(RoleTownship, "510824100000"), "", false, nil},
		{"system keeps the file's owner", SystemActor, "", true, map[string]bool{chaotian: true, otherCity: true}},
		{"no actor", nil, "", false, map[string]bool{"": false, province: false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.a.StandardOwner(); got != tt.owner {
				t.Errorf("StandardOwner = %q, want %q", got, tt.owner)
			}
			if got := tt.a.CanManageStandards(); got != tt.manage {
				t.Errorf("CanManageStandards = %v, want %v", got, tt.manage)
			}
			for owner, want := range tt.sees {
				if got := tt.a.SeesStandard(owner); got != want {
					t.Errorf("SeesStandard(%q) = %v, want %v", owner, got, want)
				}
			}
		})
	}
}

func TestAncestorAt(t *testing.T) {
	tests := []struct {
		code string
		lv   int
		want string
	}{
		{"510824100001", LevelCounty, "510824000000"},
		{"510824100001", LevelCity, "510800000000"},
		{"510824100001", LevelProvince, "510000000000"},
		{"510824000000", LevelCounty, "510824000000"},
		{"510800000000", LevelCounty, ""}, // a city lies above any county
		{"510824", LevelCounty, ""},       // not 12 digits
		{"510824000000", 0, ""},
		{"510824000000", 6, ""},
	}
	for _, tt := range tests {
		if got := AncestorAt(tt.code, tt.lv); got != tt.want {
			t.Errorf("AncestorAt(%q, %d) = %q, want %q", tt.code, tt.lv, got, tt.want)
		}
	}
}

func TestStandardOwnerValidate(t *testing.T) {
	for _, tt := range []struct {
		owner string
		ok    bool
	}{{"", true}, {"510000000000", true}, {"510800000000", true}, {"510824000000", true}, {"510824100000", false}, {"51", false}} {
		s := &Standard{Code: "x", Name: "x", CellType: "卫生村", UnitKind: "village", Owner: tt.owner,
			Items: []Item{{Code: "1", Section: "a", Text: "t", Points: 1, Method: MethodYes}}}
		err := s.Validate()
		if got := err == nil; got != tt.ok {
			t.Errorf("owner %q: Validate = %v", tt.owner, err)
		}
	}
}
