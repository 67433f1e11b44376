package healthcell

import "testing"

func TestCodes(t *testing.T) {
	tests := []struct {
		name, in, norm string
		level          int
		prefix, parent string
		lo, hi         string
	}{
		{"province", "51", "510000000000", LevelProvince, "51", "", "510000000000", "519999999999"},
		{"city", "5108", "510800000000", LevelCity, "5108", "510000000000", "510800000000", "510899999999"},
		{"county", "510824", "510824000000", LevelCounty, "510824", "510800000000", "510824000000", "510824999999"},
		{"township", "510824100", "510824100000", LevelTownship, "510824100", "510824000000", "510824100000", "510824100999"},
		{"village", "510824100001", "510824100001", LevelVillage, "510824100001", "510824100000", "510824100001", "510824100001"},
		{"special village 4xx", "510824100401", "510824100401", LevelVillage, "510824100401", "510824100000", "510824100401", "510824100401"},
		{"spaces trimmed", " 510824 ", "510824000000", LevelCounty, "510824", "510800000000", "510824000000", "510824999999"},
		{"letters", "51082A", "", 0, "", "", "", ""},
		{"wrong length", "5108241", "", 0, "", "", "", ""},
		{"empty", "", "", 0, "", "", "", ""},
		{"all zeros", "000000000000", "000000000000", 0, "", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := NormalizeCode(tt.in)
			if n != tt.norm {
				t.Fatalf("NormalizeCode(%q) = %q, want %q", tt.in, n, tt.norm)
			}
			if got := CodeLevel(n); got != tt.level {
				t.Errorf("CodeLevel = %d, want %d", got, tt.level)
			}
			if got := CodePrefix(n); got != tt.prefix {
				t.Errorf("CodePrefix = %q, want %q", got, tt.prefix)
			}
			if got := ParentCode(n); got != tt.parent {
				t.Errorf("ParentCode = %q, want %q", got, tt.parent)
			}
			lo, hi := CodeRange(n)
			if lo != tt.lo || hi != tt.hi {
				t.Errorf("CodeRange = %q, %q, want %q, %q", lo, hi, tt.lo, tt.hi)
			}
		})
	}
}

func TestCovers(t *testing.T) {
	tests := []struct {
		name, scope, code string
		want              bool
	}{
		{"county covers its village", "510824000000", "510824100001", true},
		{"township covers its village", "510824100000", "510824100001", true},
		{"township covers itself", "510824100000", "510824100000", true},
		{"township does not cover the next township's village", "510824100000", "510824102001", false},
		{"village does not cover its township", "510824100001", "510824100000", false},
		{"village does not cover a sibling", "510824100001", "510824100002", false},
		{"province covers a village", "510000000000", "510824100001", true},
		{"other county", "510802000000", "510824100001", false},
		{"invalid scope covers nothing", "", "510824100001", false},
		{"short code is not covered", "510824000000", "510824", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Covers(tt.scope, tt.code); got != tt.want {
				t.Errorf("Covers(%q, %q) = %v, want %v", tt.scope, tt.code, got, tt.want)
			}
		})
	}
}

func TestActorPolicy(t *testing.T) {
	village := "510824100001"
	tests := []struct {
		role                        Role
		scope                       string
		read, write, personal, mgmt bool
	}{
		{RoleCountyAdmin, "510824000000", true, true, true, true},
		{RoleTownship, "510824100000", true, true, true, false},
		{RoleTownship, "510824102000", false, false, false, false},
		{RoleVillage, village, true, true, true, false},
		{RoleVillage, "510824100002", false, false, false, false},
		{RoleDepartment, "510824000000", true, false, false, false},
		{RoleEvaluator, "510824000000", true, false, false, false},
		{RoleViewer, "510824000000", true, false, false, false},
		{RoleUnit, village, false, false, false, false},
	}
	for _, tt := range tests {
		t.Run(string(tt.role)+"@"+tt.scope, func(t *testing.T) {
			a := &Actor{Role: tt.role, Scope: tt.scope}
			if got := a.CanReadPersons(village); got != tt.read {
				t.Errorf("CanReadPersons = %v", got)
			}
			if got := a.CanWritePersons(village); got != tt.write {
				t.Errorf("CanWritePersons = %v", got)
			}
			if got := a.SeesPersonal(village); got != tt.personal {
				t.Errorf("SeesPersonal = %v", got)
			}
			if got := a.CanManageUsers(); got != tt.mgmt {
				t.Errorf("CanManageUsers = %v", got)
			}
		})
	}
	var none *Actor
	if none.CoversDivision(village) || none.CanManageUsers() {
		t.Error("a nil actor may do something")
	}
	if !SystemActor.CanWritePersons(village) || !SystemActor.SeesPersonal(village) {
		t.Error("the system actor is restricted")
	}
}

func TestShortVillageName(t *testing.T) {
	for in, want := range map[string]string{
		"金穗社区居民委员会": "金穗社区", "凤凰村村民委员会": "凤凰村", "金穗社区": "金穗社区", "居民委员会": "居民委员会",
		"白鹤村委会": "白鹤村", "白鹤村村委会": "白鹤村", "白鹤村民委员会": "白鹤村", "金穗社区居委会": "金穗社区", "村委会": "村委会",
	} {
		if got := ShortVillageName(in); got != want {
			t.Errorf("ShortVillageName(%q) = %q, want %q", in, got, want)
		}
	}
}
