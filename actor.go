package healthcell

import "context"

// Actor is the caller of a service method: a logged-in user, or the system
// itself for command-line administration. Scope checks read it from the context.
type Actor struct {
	UserID   int64
	Username string
	Role     Role
	Scope    string // 12-digit division code of the subtree the actor works in
	Unit     string // the unit id, for role unit
	// Department is the county department (e.g. 县教科体局) a department
	// officer works for: it acts on the institutions whose Unit.Department
	// is the same.
	Department string
	System     bool // command line and demo: unrestricted
}

// SystemActor is the actor of command-line administration.
var SystemActor = &Actor{Username: "system", Role: RoleCountyAdmin, System: true}

// ActorOf returns the actor for a user.
func ActorOf(u *User) *Actor {
	return &Actor{UserID: u.ID, Username: u.Username, Role: u.Role, Scope: u.Scope, Unit: u.Unit, Department: u.Department}
}

type actorKey struct{}

// WithActor returns a context that carries a.
func WithActor(ctx context.Context, a *Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor in ctx, or nil when there is none.
func ActorFrom(ctx context.Context) *Actor {
	a, _ := ctx.Value(actorKey{}).(*Actor)
	return a
}

// CoversDivision reports whether code lies in the actor's scope.
func (a *Actor) CoversDivision(code string) bool {
	if a == nil {
		return false
	}
	return a.System || Covers(a.Scope, code)
}

// CanReadPersons reports whether the actor may read households and persons in code.
func (a *Actor) CanReadPersons(code string) bool {
	return a.CoversDivision(code) && (a.System || rolePolicy[a.Role].readPersons)
}

// CanWritePersons reports whether the actor may change households and persons in code.
func (a *Actor) CanWritePersons(code string) bool {
	return a.CoversDivision(code) && (a.System || rolePolicy[a.Role].writePersons)
}

// SeesPersonal reports whether the actor sees unmasked ID numbers, phones and
// other personal fields of records in code.
func (a *Actor) SeesPersonal(code string) bool {
	return a.CoversDivision(code) && (a.System || rolePolicy[a.Role].seePersonal)
}

// CanManageUsers reports whether the actor may create and change accounts
// scoped inside its own scope.
func (a *Actor) CanManageUsers() bool {
	return a != nil && (a.System || rolePolicy[a.Role].manageUsers)
}

// CanManageUser reports whether the actor may create, list and change the
// account u: it manages users, u's scope lies in its own, and an office
// above the county manages only accounts above the county (the county's
// own accounts see personal data, which the city and province do not).
func (a *Actor) CanManageUser(u *User) bool {
	if !a.CanManageUsers() || !a.CoversDivision(u.Scope) {
		return false
	}
	return a.System || !a.Role.Upper() || u.Role.Upper()
}

// sheetKindsOf are the kinds of score sheets each role fills in.
var sheetKindsOf = map[Role][]string{
	RoleCountyAdmin: {SheetSelf, SheetCheck, SheetEvaluation},
	RoleTownship:    {SheetSelf, SheetCheck},
	RoleVillage:     {SheetSelf},
	RoleUnit:        {SheetSelf},
	RoleEvaluator:   {SheetEvaluation},
	RoleDepartment:  {SheetEvaluation},

	RoleCityAdmin:         {SheetAssessment},
	RoleCityEvaluator:     {SheetAssessment},
	RoleProvinceAdmin:     {SheetAssessment},
	RoleProvinceEvaluator: {SheetAssessment},
}

// CanReadSheet reports whether the actor may open score sheets of a unit in
// division; a unit contact sees only its own unit's.
func (a *Actor) CanReadSheet(division, unitKind, unitRef string) bool {
	if !a.CoversDivision(division) {
		return false
	}
	if a.System || a.Role != RoleUnit {
		return true
	}
	return containsString(InstitutionKinds, unitKind) && unitRef == a.Unit
}

// CanScore reports whether the actor may fill a score sheet of kind for a
// unit in division.
func (a *Actor) CanScore(kind, division, unitKind, unitRef string) bool {
	if !a.CanReadSheet(division, unitKind, unitRef) {
		return false
	}
	return a.System || containsString(sheetKindsOf[a.Role], kind)
}

// CanReadApplication reports whether the actor may see an application of a
// unit in division: anyone whose scope covers it, except that a unit
// contact sees only its own unit's and a department officer only the
// institutions its department is responsible for.
func (a *Actor) CanReadApplication(division, unitKind, unitRef, department string) bool {
	if !a.CoversDivision(division) {
		return false
	}
	if a.System {
		return true
	}
	institution := containsString(InstitutionKinds, unitKind)
	switch a.Role {
	case RoleUnit:
		return institution && unitRef == a.Unit
	case RoleDepartment:
		return institution && a.Department != "" && department == a.Department
	}
	return true
}
