package healthcell

// Standards are owned at a level: the province's 爱卫会 issues the
// standard of a title it has named by the cities (卫生村), a city or a
// county adds its own beside it under its own code. Only the owning office
// loads new versions of a code; a standard applies in its owner's division.

// OwnerLevel reports whether a standard may be owned at division level
// lv: a province, a city or a county.
func OwnerLevel(lv int) bool {
	return lv == LevelProvince || lv == LevelCity || lv == LevelCounty
}

// StandardOwner returns the division whose standards the actor loads: the
// county, city or province of its scope, at its role's standard level
// (the role policy table in user.go); "" for the system (which keeps a
// file's owner) and for a role that loads no standards.
func (a *Actor) StandardOwner() string {
	if a == nil || a.System {
		return ""
	}
	return AncestorAt(a.Scope, rolePolicy[a.Role].standardLevel)
}

// CanManageStandards reports whether the actor may load standards: the
// administrator of a county, city or province office, and the system.
func (a *Actor) CanManageStandards() bool {
	return a != nil && (a.System || a.StandardOwner() != "")
}

// SeesStandard reports whether a standard owned by owner applies where the
// actor works, so that it may read it: one owned by no office ("", loaded
// before owners existed), by the actor's own division or one above it, or
// — for an office above the county — by a division below it. A county sees
// nothing of its neighbour county's standards.
func (a *Actor) SeesStandard(owner string) bool {
	if a == nil {
		return false
	}
	return owner == "" || a.System || Covers(owner, a.Scope) || a.CoversDivision(owner)
}
