package sqlstore_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

const goodPassword = "correct horse"

// users creates, as the system, a county administrator, a county
// administrator scoped to township 1, officers of both townships and of
// village A, and a viewer; it returns them by username.
func users(t testing.TB, db *sqlstore.DB) map[string]*healthcell.User {
	t.Helper()
	out := map[string]*healthcell.User{}
	for _, u := range []*healthcell.User{
		{Username: "admin", DisplayName: "县管理员", Role: healthcell.RoleCountyAdmin, Scope: sqltest.County},
		{Username: "tadmin", DisplayName: "镇管理员", Role: healthcell.RoleCountyAdmin, Scope: sqltest.Township},
		{Username: "town1", Role: healthcell.RoleTownship, Scope: sqltest.Township},
		{Username: "town2", Role: healthcell.RoleTownship, Scope: sqltest.Township2},
		{Username: "vill1", Role: healthcell.RoleVillage, Scope: sqltest.Village},
		{Username: "vill2", Role: healthcell.RoleVillage, Scope: VillageT2},
		{Username: "viewer", Role: healthcell.RoleViewer, Scope: sqltest.County},
	} {
		if err := db.CreateUser(sqltest.System(), u, goodPassword); err != nil {
			t.Fatalf("create user %s: %v", u.Username, err)
		}
		out[u.Username] = u
	}
	return out
}

// userExists reports whether the system finds username.
func userExists(t testing.TB, db *sqlstore.DB, username string) bool {
	t.Helper()
	_, err := db.FindUserByUsername(sqltest.System(), username)
	if err != nil && healthcell.ErrorCode(err) != healthcell.ENOTFOUND {
		t.Fatal(err)
	}
	return err == nil
}

func TestCreateUser(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		sqltest.LoadDivisions(t, db)
		us := users(t, db)
		cases := []struct {
			name      string
			ctx       context.Context
			u         healthcell.User
			password  string
			wantErr   string
			wantField []string
			wantScope string
		}{
			{name: "county admin by system", ctx: sqltest.System(), password: goodPassword,
				u: healthcell.User{Username: "admin2", DisplayName: "管理员二", Role: healthcell.RoleCountyAdmin, Scope: sqltest.County}, wantScope: sqltest.County},
			{name: "village officer by county admin", ctx: asUser(us["admin"]), password: "12345678",
				u: healthcell.User{Username: "v.officer-1", Role: healthcell.RoleVillage, Scope: VillageT2}, wantScope: VillageT2},
			{name: "6-digit scope is padded", ctx: asUser(us["admin"]), password: goodPassword,
				u: healthcell.User{Username: "dept_health", Role: healthcell.RoleDepartment, Scope: "510824", Department: "卫健局"}, wantScope: sqltest.County},
			{name: "9-digit scope is padded", ctx: asUser(us["tadmin"]), password: goodPassword,
				u: healthcell.User{Username: "town1b", Role: healthcell.RoleTownship, Scope: "510824100"}, wantScope: sqltest.Township},
			{name: "township admin inside its township", ctx: asUser(us["tadmin"]), password: goodPassword,
				u: healthcell.User{Username: "vill1b", Role: healthcell.RoleVillage, Scope: sqltest.Village2}, wantScope: sqltest.Village2},
			{name: "unit user with no such unit", ctx: asUser(us["admin"]), password: goodPassword,
				u: healthcell.User{Username: "school1", Role: healthcell.RoleUnit, Scope: sqltest.Village, Unit: "陵江小学"}, wantErr: healthcell.EINVALID, wantField: []string{"unit"}},

			{name: "username too short", ctx: sqltest.System(), password: goodPassword,
				u:       healthcell.User{Username: "a", Role: healthcell.RoleViewer, Scope: sqltest.County},
				wantErr: healthcell.EINVALID, wantField: []string{"username"}},
			{name: "username with a space", ctx: sqltest.System(), password: goodPassword,
				u:       healthcell.User{Username: "bad name", Role: healthcell.RoleViewer, Scope: sqltest.County},
				wantErr: healthcell.EINVALID, wantField: []string{"username"}},
			{name: "username in Chinese", ctx: sqltest.System(), password: goodPassword,
				u:       healthcell.User{Username: "张三", Role: healthcell.RoleViewer, Scope: sqltest.County},
				wantErr: healthcell.EINVALID, wantField: []string{"username"}},
			{name: "username too long", ctx: sqltest.System(), password: goodPassword,
				u:       healthcell.User{Username: strings.Repeat("a", 41), Role: healthcell.RoleViewer, Scope: sqltest.County},
				wantErr: healthcell.EINVALID, wantField: []string{"username"}},
			{name: "unknown role", ctx: sqltest.System(), password: goodPassword,
				u:       healthcell.User{Username: "newuser", Role: "admin", Scope: sqltest.County},
				wantErr: healthcell.EINVALID, wantField: []string{"role"}},
			{name: "no role", ctx: sqltest.System(), password: goodPassword,
				u:       healthcell.User{Username: "newuser", Scope: sqltest.County},
				wantErr: healthcell.EINVALID, wantField: []string{"role"}},
			{name: "short password", ctx: sqltest.System(), password: "1234567",
				u:       healthcell.User{Username: "newuser", Role: healthcell.RoleViewer, Scope: sqltest.County},
				wantErr: healthcell.EINVALID, wantField: []string{"password"}},
			{name: "short password in characters", ctx: sqltest.System(), password: "密码密码密码密",
				u:       healthcell.User{Username: "newuser", Role: healthcell.RoleViewer, Scope: sqltest.County},
				wantErr: healthcell.EINVALID, wantField: []string{"password"}},
			{name: "malformed scope", ctx: sqltest.System(), password: goodPassword,
				u:       healthcell.User{Username: "newuser", Role: healthcell.RoleViewer, Scope: "5108241"},
				wantErr: healthcell.EINVALID, wantField: []string{"scope"}},
			{name: "scope not loaded", ctx: sqltest.System(), password: goodPassword,
				u:       healthcell.User{Username: "newuser", Role: healthcell.RoleViewer, Scope: UnknownVillage},
				wantErr: healthcell.EINVALID, wantField: []string{"scope"}},
			{name: "display name too long", ctx: sqltest.System(), password: goodPassword,
				u:       healthcell.User{Username: "newuser", DisplayName: strings.Repeat("名", 41), Role: healthcell.RoleViewer, Scope: sqltest.County},
				wantErr: healthcell.EINVALID, wantField: []string{"display_name"}},
			{name: "everything wrong", ctx: sqltest.System(), password: "short",
				u:       healthcell.User{Username: "?", Role: "boss", Scope: "x"},
				wantErr: healthcell.EINVALID, wantField: []string{"username", "role", "scope", "password"}},
			{name: "duplicate username", ctx: sqltest.System(), password: goodPassword,
				u:       healthcell.User{Username: "vill1", Role: healthcell.RoleViewer, Scope: sqltest.County},
				wantErr: healthcell.ECONFLICT},
			{name: "township admin: other township", ctx: asUser(us["tadmin"]), password: goodPassword,
				u:       healthcell.User{Username: "newuser", Role: healthcell.RoleTownship, Scope: sqltest.Township2},
				wantErr: healthcell.EINVALID, wantField: []string{"scope"}},
			{name: "township admin: village of other township", ctx: asUser(us["tadmin"]), password: goodPassword,
				u:       healthcell.User{Username: "newuser", Role: healthcell.RoleVillage, Scope: VillageT2},
				wantErr: healthcell.EINVALID, wantField: []string{"scope"}},
			{name: "township admin: county", ctx: asUser(us["tadmin"]), password: goodPassword,
				u:       healthcell.User{Username: "newuser", Role: healthcell.RoleCountyAdmin, Scope: sqltest.County},
				wantErr: healthcell.EINVALID, wantField: []string{"scope"}},
			{name: "county admin: province", ctx: asUser(us["admin"]), password: goodPassword,
				u:       healthcell.User{Username: "newuser", Role: healthcell.RoleViewer, Scope: Province},
				wantErr: healthcell.EINVALID, wantField: []string{"scope"}},
			{name: "township officer may not manage users", ctx: asUser(us["town1"]), password: goodPassword,
				u:       healthcell.User{Username: "newuser", Role: healthcell.RoleVillage, Scope: sqltest.Village},
				wantErr: healthcell.EFORBIDDEN},
			{name: "viewer may not manage users", ctx: asUser(us["viewer"]), password: goodPassword,
				u:       healthcell.User{Username: "newuser", Role: healthcell.RoleViewer, Scope: sqltest.County},
				wantErr: healthcell.EFORBIDDEN},
			{name: "no actor", ctx: ctxNone, password: goodPassword,
				u:       healthcell.User{Username: "newuser", Role: healthcell.RoleViewer, Scope: sqltest.County},
				wantErr: healthcell.EUNAUTHORIZED},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				before := auditCount(t, db)
				u := tc.u
				err := db.CreateUser(tc.ctx, &u, tc.password)
				wantCode(t, err, tc.wantErr)
				if tc.wantErr != "" {
					if tc.wantField != nil {
						wantInvalid(t, err, tc.wantField...)
					}
					if tc.u.Username != "vill1" && userExists(t, db, tc.u.Username) {
						t.Errorf("user %q was created", tc.u.Username)
					}
					if n := auditCount(t, db); n != before {
						t.Errorf("audit %d → %d", before, n)
					}
					return
				}
				if u.ID == 0 || u.Version != 1 || u.Scope != tc.wantScope || !u.CreatedAt.Equal(sqltest.Now) {
					t.Errorf("returned %+v", u)
				}
				got, err := db.FindUserByUsername(sqltest.System(), u.Username)
				if err != nil {
					t.Fatal(err)
				}
				if got.ID != u.ID || got.Role != tc.u.Role || got.Scope != tc.wantScope || got.DisplayName != tc.u.DisplayName ||
					got.Unit != tc.u.Unit || got.Department != tc.u.Department || got.Disabled {
					t.Errorf("stored %+v", got)
				}
				if _, err := db.Authenticate(context.Background(), u.Username, tc.password); err != nil {
					t.Errorf("cannot log in: %v", err)
				}
				e := lastAudit(t, db)
				if n := auditCount(t, db); n != before+1 || e.Action != "create" || e.Entity != "user" || e.EntityID != u.Username ||
					strings.Contains(e.After, tc.password) || strings.Contains(e.After, "argon") || !json.Valid([]byte(e.After)) {
					t.Errorf("audit %d → %d, last %+v", before, n, e)
				}
			})
		}
	})
}

func TestAuthenticate(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		sqltest.LoadDivisions(t, db)
		us := users(t, db)
		off := &healthcell.User{Username: "off", Role: healthcell.RoleVillage, Scope: sqltest.Village}
		if err := db.CreateUser(sqltest.System(), off, goodPassword); err != nil {
			t.Fatal(err)
		}
		if err := db.SetDisabled(sqltest.System(), "off", true); err != nil {
			t.Fatal(err)
		}
		// The error for the failures, which must all be the same.
		_, wrong := db.Authenticate(context.Background(), "vill1", "wrong password")
		cases := []struct {
			name     string
			username string
			password string
			ok       bool
		}{
			{"right password", "vill1", goodPassword, true},
			{"username with spaces", " vill1 ", goodPassword, true},
			{"wrong password", "vill1", "wrong password", false},
			{"password with extra space", "vill1", goodPassword + " ", false},
			{"empty password", "vill1", "", false},
			{"unknown user", "nobody", goodPassword, false},
			{"username of other case", "VILL1", goodPassword, false},
			{"empty username", "", goodPassword, false},
			{"disabled user, right password", "off", goodPassword, false},
			{"disabled user, wrong password", "off", "wrong password", false},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				u, err := db.Authenticate(context.Background(), tc.username, tc.password)
				if tc.ok {
					if err != nil || u == nil || u.ID != us["vill1"].ID || u.Role != healthcell.RoleVillage || u.Scope != sqltest.Village {
						t.Fatalf("got %+v, %v", u, err)
					}
					return
				}
				wantCode(t, err, healthcell.EUNAUTHORIZED)
				if u != nil {
					t.Errorf("returned a user %+v", u)
				}
				if err.Error() != wrong.Error() {
					t.Errorf("error %q differs from a wrong password's %q", err, wrong)
				}
			})
		}
	})
}

func TestFindUsers(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		sqltest.LoadDivisions(t, db)
		us := users(t, db)
		cases := []struct {
			name    string
			ctx     context.Context
			wantErr string
			want    []string
		}{
			{"system", sqltest.System(), "", []string{"admin", "tadmin", "town1", "town2", "viewer", "vill1", "vill2"}},
			{"county admin", asUser(us["admin"]), "", []string{"admin", "tadmin", "town1", "town2", "viewer", "vill1", "vill2"}},
			{"township admin", asUser(us["tadmin"]), "", []string{"tadmin", "town1", "vill1"}},
			{"village-scoped admin", sqltest.As("vadmin", healthcell.RoleCountyAdmin, VillageT2), "", []string{"vill2"}},
			{"township officer", asUser(us["town1"]), healthcell.EFORBIDDEN, nil},
			{"viewer", asUser(us["viewer"]), healthcell.EFORBIDDEN, nil},
			{"no actor", ctxNone, healthcell.EUNAUTHORIZED, nil},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				got, err := db.FindUsers(tc.ctx)
				wantCode(t, err, tc.wantErr)
				var names []string
				for _, u := range got {
					names = append(names, u.Username)
				}
				if strings.Join(names, ",") != strings.Join(tc.want, ",") {
					t.Errorf("got %v, want %v", names, tc.want)
				}
			})
		}
	})
}

func TestFindUserByUsername(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		sqltest.LoadDivisions(t, db)
		us := users(t, db)
		_, missing := db.FindUserByUsername(sqltest.System(), "nobody")
		cases := []struct {
			name     string
			ctx      context.Context
			username string
			wantErr  string
		}{
			{"county admin: village officer", asUser(us["admin"]), "vill2", ""},
			{"township admin: its village officer", asUser(us["tadmin"]), "vill1", ""},
			{"township admin: other township's officer", asUser(us["tadmin"]), "town2", healthcell.ENOTFOUND},
			{"township admin: county admin", asUser(us["tadmin"]), "admin", healthcell.ENOTFOUND},
			{"village officer: itself", asUser(us["vill1"]), "vill1", ""},
			{"village officer: another", asUser(us["vill1"]), "town1", healthcell.ENOTFOUND},
			{"viewer: itself", asUser(us["viewer"]), "viewer", ""},
			{"unknown", asUser(us["admin"]), "nobody", healthcell.ENOTFOUND},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				u, err := db.FindUserByUsername(tc.ctx, tc.username)
				wantCode(t, err, tc.wantErr)
				if err != nil {
					if err.Error() != missing.Error() {
						t.Errorf("denial %q differs from not found %q", err, missing)
					}
					return
				}
				if u.Username != tc.username || u.ID != us[tc.username].ID {
					t.Errorf("got %+v", u)
				}
			})
		}
	})
}

func TestSetPassword(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		sqltest.LoadDivisions(t, db)
		us := users(t, db)
		cases := []struct {
			name     string
			ctx      context.Context
			username string
			password string
			wantErr  string
		}{
			{"county admin sets a village officer's", asUser(us["admin"]), "vill2", "new password 1", ""},
			{"township admin sets its officer's", asUser(us["tadmin"]), "town1", "new password 2", ""},
			{"officer sets its own", asUser(us["vill1"]), "vill1", "new password 3", ""},
			{"viewer sets its own", asUser(us["viewer"]), "viewer", "新的密码新的密码", ""},
			{"too short", asUser(us["admin"]), "town2", "1234567", healthcell.EINVALID},
			{"own, too short", asUser(us["vill1"]), "vill1", "short", healthcell.EINVALID},
			{"officer sets another's", asUser(us["vill1"]), "vill2", "new password 4", healthcell.ENOTFOUND},
			{"township admin sets other township's", asUser(us["tadmin"]), "town2", "new password 5", healthcell.ENOTFOUND},
			{"township admin sets the county admin's", asUser(us["tadmin"]), "admin", "new password 6", healthcell.ENOTFOUND},
			{"unknown user", asUser(us["admin"]), "nobody", "new password 7", healthcell.ENOTFOUND},
			{"no actor", ctxNone, "town2", "new password 8", healthcell.EUNAUTHORIZED},
		}
		current := map[string]string{} // passwords changed by earlier cases
		password := func(username string) string {
			if p, ok := current[username]; ok {
				return p
			}
			return goodPassword
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				before := auditCount(t, db)
				old := password(tc.username)
				err := db.SetPassword(tc.ctx, tc.username, tc.password)
				wantCode(t, err, tc.wantErr)
				_, newErr := db.Authenticate(context.Background(), tc.username, tc.password)
				if tc.wantErr != "" {
					if tc.wantErr == healthcell.EINVALID {
						wantInvalid(t, err, "password")
					}
					if newErr == nil {
						t.Errorf("the new password works")
					}
					if tc.username != "nobody" {
						if _, err := db.Authenticate(context.Background(), tc.username, old); err != nil {
							t.Errorf("the old password stopped working: %v", err)
						}
					}
					if n := auditCount(t, db); n != before {
						t.Errorf("audit %d → %d", before, n)
					}
					return
				}
				if newErr != nil {
					t.Errorf("the new password does not work: %v", newErr)
				}
				if _, err := db.Authenticate(context.Background(), tc.username, old); healthcell.ErrorCode(err) != healthcell.EUNAUTHORIZED {
					t.Errorf("the old password still works: %v", err)
				}
				current[tc.username] = tc.password
				e := lastAudit(t, db)
				if n := auditCount(t, db); n != before+1 || e.Action != "passwd" || e.Entity != "user" || e.EntityID != tc.username ||
					e.Username != healthcell.ActorFrom(tc.ctx).Username || strings.Contains(e.After, tc.password) {
					t.Errorf("audit %d → %d, last %+v", before, n, e)
				}
			})
		}
	})
}

func TestSetDisabled(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		sqltest.LoadDivisions(t, db)
		us := users(t, db)
		cases := []struct {
			name     string
			ctx      context.Context
			username string
			disabled bool
			wantErr  string
			wantOff  bool // the account is disabled afterwards
		}{
			{"county admin disables an officer", asUser(us["admin"]), "vill2", true, "", true},
			{"disabling twice", asUser(us["admin"]), "vill2", true, "", true},
			{"county admin enables it again", asUser(us["admin"]), "vill2", false, "", false},
			{"township admin disables its officer", asUser(us["tadmin"]), "vill1", true, "", true},
			{"system enables it", sqltest.System(), "vill1", false, "", false},
			{"county admin disables itself", asUser(us["admin"]), "admin", true, healthcell.EINVALID, false},
			{"township admin disables other township's officer", asUser(us["tadmin"]), "town2", true, healthcell.ENOTFOUND, false},
			{"township admin disables the county admin", asUser(us["tadmin"]), "admin", true, healthcell.ENOTFOUND, false},
			{"officer disables another", asUser(us["town1"]), "vill1", true, healthcell.ENOTFOUND, false},
			{"officer disables itself", asUser(us["town1"]), "town1", true, healthcell.ENOTFOUND, false},
			{"unknown user", asUser(us["admin"]), "nobody", true, healthcell.ENOTFOUND, false},
			{"no actor", ctxNone, "town2", true, healthcell.EUNAUTHORIZED, false},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				before := auditCount(t, db)
				err := db.SetDisabled(tc.ctx, tc.username, tc.disabled)
				wantCode(t, err, tc.wantErr)
				if tc.wantErr == healthcell.EINVALID {
					wantInvalid(t, err, "username")
				}
				if tc.username == "nobody" {
					return
				}
				id := us[tc.username].ID
				_, authErr := db.Authenticate(context.Background(), tc.username, goodPassword)
				byID, idErr := db.UserByID(context.Background(), id)
				stored, err := db.FindUserByUsername(sqltest.System(), tc.username)
				if err != nil {
					t.Fatal(err)
				}
				if stored.Disabled != tc.wantOff {
					t.Errorf("stored disabled = %v, want %v", stored.Disabled, tc.wantOff)
				}
				if tc.wantOff {
					wantCode(t, authErr, healthcell.EUNAUTHORIZED)
					wantCode(t, idErr, healthcell.ENOTFOUND)
					if byID != nil {
						t.Errorf("UserByID returned %+v", byID)
					}
				} else {
					wantCode(t, authErr, "")
					if idErr != nil || byID.ID != id {
						t.Errorf("UserByID: %+v %v", byID, idErr)
					}
				}
				n := auditCount(t, db)
				if tc.wantErr != "" {
					if n != before {
						t.Errorf("audit %d → %d", before, n)
					}
					return
				}
				e := lastAudit(t, db)
				var b, a healthcell.User
				if n != before+1 || e.Action != "disable" || e.Entity != "user" || e.EntityID != tc.username ||
					json.Unmarshal([]byte(e.Before), &b) != nil || json.Unmarshal([]byte(e.After), &a) != nil || a.Disabled != tc.disabled {
					t.Errorf("audit %d → %d, last %+v", before, n, e)
				}
			})
		}
		// A disabled user still appears in the list, marked.
		if err := db.SetDisabled(asUser(us["admin"]), "town2", true); err != nil {
			t.Fatal(err)
		}
		list, err := db.FindUsers(asUser(us["admin"]))
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range list {
			if u.Disabled != (u.Username == "town2") {
				t.Errorf("%s disabled = %v", u.Username, u.Disabled)
			}
		}
	})
}

func TestUserByID(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		sqltest.LoadDivisions(t, db)
		us := users(t, db)
		if err := db.SetDisabled(sqltest.System(), "town2", true); err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name    string
			id      int64
			wantErr string
		}{
			{"enabled", us["vill1"].ID, ""},
			{"disabled", us["town2"].ID, healthcell.ENOTFOUND},
			{"unknown", 1 << 40, healthcell.ENOTFOUND},
			{"zero", 0, healthcell.ENOTFOUND},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				u, err := db.UserByID(context.Background(), tc.id)
				wantCode(t, err, tc.wantErr)
				if err == nil && (u.ID != tc.id || u.Username != "vill1" || u.Scope != sqltest.Village || u.Role != healthcell.RoleVillage) {
					t.Errorf("got %+v", u)
				}
				if err != nil && u != nil {
					t.Errorf("returned %+v with %v", u, err)
				}
			})
		}
	})
}
