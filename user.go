package healthcell

import (
	"context"
	"regexp"
	"strings"
	"time"
)

// Role is what a user does in the campaign.
type Role string

// The closed set of roles.
const (
	RoleCountyAdmin Role = "county_admin" // county office: everything in its county
	RoleDepartment  Role = "department"   // a county department: reads, masked
	RoleTownship    Role = "township"     // township officer: its villages
	RoleVillage     Role = "village"      // village officer or village doctor: its village
	RoleUnit        Role = "unit"         // a school, hospital, agency or enterprise contact
	RoleEvaluator   Role = "evaluator"    // expert evaluator: reads, masked
	RoleViewer      Role = "viewer"       // leader or observer: reads, masked

	// Offices above the county supervise the counties of their city or
	// province: they read masked, never own residents, and assess and name
	// the titles named at their level (卫生村 recommended by a county).
	RoleCityAdmin         Role = "city_admin"         // city 爱卫办: its counties, masked
	RoleCityEvaluator     Role = "city_evaluator"     // the city's assessment experts
	RoleProvinceAdmin     Role = "province_admin"     // provincial 爱卫办: its cities and counties, masked
	RoleProvinceEvaluator Role = "province_evaluator" // the province's assessment experts
)

// Roles lists every role in display order.
var Roles = []Role{RoleCountyAdmin, RoleDepartment, RoleTownship, RoleVillage, RoleUnit, RoleEvaluator, RoleViewer,
	RoleCityAdmin, RoleCityEvaluator, RoleProvinceAdmin, RoleProvinceEvaluator}

// rolePolicy is what each role may do inside its scope; scopeLevel, when
// set, is the one division level the role's scope must be at;
// standardLevel, when set, is the level of the office whose standards the
// role loads (standard_owner.go).
var rolePolicy = map[Role]struct {
	readPersons, writePersons, seePersonal, manageUsers bool
	scopeLevel, standardLevel                           int
}{
	RoleCountyAdmin:       {readPersons: true, writePersons: true, seePersonal: true, manageUsers: true, standardLevel: LevelCounty},
	RoleTownship:          {readPersons: true, writePersons: true, seePersonal: true},
	RoleVillage:           {readPersons: true, writePersons: true, seePersonal: true},
	RoleDepartment:        {readPersons: true},
	RoleEvaluator:         {readPersons: true},
	RoleViewer:            {readPersons: true},
	RoleUnit:              {},
	RoleCityAdmin:         {readPersons: true, manageUsers: true, scopeLevel: LevelCity, standardLevel: LevelCity},
	RoleCityEvaluator:     {readPersons: true, scopeLevel: LevelCity},
	RoleProvinceAdmin:     {readPersons: true, manageUsers: true, scopeLevel: LevelProvince, standardLevel: LevelProvince},
	RoleProvinceEvaluator: {readPersons: true, scopeLevel: LevelProvince},
}

// ScopeLevel returns the division level a role's scope must be at (a city
// role's is its city), or 0 when any level will do.
func (r Role) ScopeLevel() int { return rolePolicy[r].scopeLevel }

// Upper reports whether r is a role of an office above the county.
func (r Role) Upper() bool { return rolePolicy[r].scopeLevel != 0 }

// Valid reports whether r is one of the known roles.
func (r Role) Valid() bool { _, ok := rolePolicy[r]; return ok }

// User is an account.
type User struct {
	ID          int64     `json:"id"`
	Username    string    `json:"username"`
	DisplayName string    `json:"display_name"`
	Role        Role      `json:"role"`
	Scope       string    `json:"scope"`                // a 12-digit division code
	Unit        string    `json:"unit,omitempty"`       // unit scope (role unit)
	Department  string    `json:"department,omitempty"` // department scope (role department)
	Disabled    bool      `json:"disabled"`
	CreatedAt   time.Time `json:"created_at"`
	Version     int       `json:"version"`
	// PasswordGen counts password changes; a session logged in under
	// another generation is ended.
	PasswordGen int `json:"-"`
}

var usernameRE = regexp.MustCompile(`^[A-Za-z0-9_.\-]{2,40}$`)

// Validate checks a user before it is stored; it returns EINVALID with the
// fields at fault.
func (u *User) Validate() error {
	var fe []FieldError
	if !usernameRE.MatchString(u.Username) {
		fe = append(fe, FieldError{Field: "username", Message: "user.username.invalid"})
	} else if UsernameReserved(u.Username) {
		fe = append(fe, FieldError{Field: "username", Message: "user.username.reserved", Value: u.Username})
	}
	if !u.Role.Valid() {
		fe = append(fe, FieldError{Field: "role", Message: "user.role.invalid"})
	}
	if CodeLevel(u.Scope) == 0 {
		fe = append(fe, FieldError{Field: "scope", Message: "division.code.invalid"})
	} else if lv := u.Role.ScopeLevel(); lv != 0 && CodeLevel(u.Scope) != lv {
		fe = append(fe, FieldError{Field: "scope", Message: "user.scope.level", Value: u.Scope})
	}
	if len([]rune(u.DisplayName)) > 40 {
		fe = append(fe, FieldError{Field: "display_name", Message: "field.too_long"})
	}
	fe = append(fe, textErrors(map[string]string{"display_name": u.DisplayName})...)
	return Invalid(fe)
}

// reservedUsernames are names the system writes for itself in its logs
// and audit entries (SystemActor is "system"), or that would pass for it.
var reservedUsernames = []string{"system", "root", "anonymous", "healthcell", "token"}

// UsernameReserved reports whether name, in any case, is one the system
// keeps for itself.
func UsernameReserved(name string) bool {
	for _, r := range reservedUsernames {
		if strings.EqualFold(name, r) {
			return true
		}
	}
	return false
}

// MinPasswordLen is the shortest password accepted.
const MinPasswordLen = 8

// UserService manages accounts. Every method checks that the caller in ctx
// may manage users and that the user lies in the caller's scope.
type UserService interface {
	// CreateUser stores u with the password hashed; EINVALID for bad fields or a
	// short password, ECONFLICT when the username is taken.
	CreateUser(ctx context.Context, u *User, password string) error
	// FindUsers lists the users inside the caller's scope.
	FindUsers(ctx context.Context) ([]*User, error)
	// FindUserByUsername returns ENOTFOUND when there is no such user in scope.
	FindUserByUsername(ctx context.Context, username string) (*User, error)
	// SetPassword replaces the password of a user the caller manages, which
	// ends that user's sessions; EINVALID when it is too short.
	SetPassword(ctx context.Context, username, password string) error
	// ChangeOwnPassword replaces the caller's password after checking the
	// current one; EINVALID (field current_password) when it does not match,
	// or when the new one is too short.
	ChangeOwnPassword(ctx context.Context, current, password string) error
	// SetDisabled disables or enables an account and ends its sessions.
	SetDisabled(ctx context.Context, username string, disabled bool) error
	// Authenticate checks a username and password and returns the user;
	// EUNAUTHORIZED for a wrong password, an unknown or a disabled user alike.
	Authenticate(ctx context.Context, username, password string) (*User, error)
}
