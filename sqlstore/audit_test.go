package sqlstore_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestAuditWrites checks that each write leaves exactly one entry, with
// before and after as JSON, and that a failed write leaves none.
func TestAuditWrites(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db)
		us := users(t, db)
		admin := asUser(us["admin"])
		var created *healthcell.Household
		var newPerson *healthcell.Person
		cases := []struct {
			name     string
			ctx      context.Context
			write    func(ctx context.Context) (entityID string, err error)
			wantErr  string
			action   string
			entity   string
			division string
			before   bool // a before snapshot is recorded
			after    bool
		}{
			{name: "create household", ctx: ctxVillageA, action: "create", entity: "household", division: sqltest.Village, after: true,
				write: func(ctx context.Context) (string, error) {
					created = &healthcell.Household{Number: "AU-1", VillageCode: sqltest.Village}
					err := db.CreateHousehold(ctx, created)
					return fmt.Sprint(created.ID), err
				}},
			{name: "update household", ctx: ctxVillageA, action: "update", entity: "household", division: sqltest.Village, before: true, after: true,
				write: func(ctx context.Context) (string, error) {
					h := *mustHousehold(t, db, created.ID)
					h.Address = "审计路"
					return fmt.Sprint(h.ID), db.UpdateHousehold(ctx, &h)
				}},
			{name: "move household", ctx: ctxTownship, action: "update", entity: "household", division: sqltest.Village2, before: true, after: true,
				write: func(ctx context.Context) (string, error) {
					h := *mustHousehold(t, db, created.ID)
					h.VillageCode = sqltest.Village2
					return fmt.Sprint(h.ID), db.UpdateHousehold(ctx, &h)
				}},
			{name: "create person", ctx: ctxTownship, action: "create", entity: "person", division: sqltest.Village2, after: true,
				write: func(ctx context.Context) (string, error) {
					newPerson = &healthcell.Person{HouseholdID: created.ID, Name: "审计", IDNumber: sqltest.ID(t, "1977-07-07", 77), Relation: "户主"}
					err := db.CreatePerson(ctx, newPerson)
					return fmt.Sprint(newPerson.ID), err
				}},
			{name: "update person", ctx: ctxVillageA, action: "update", entity: "person", division: sqltest.Village, before: true, after: true,
				write: func(ctx context.Context) (string, error) {
					p := *mustPerson(t, db, w.pA2.ID)
					p.Phone = "13700000000"
					return fmt.Sprint(p.ID), db.UpdatePerson(ctx, &p)
				}},
			{name: "move person", ctx: ctxCounty, action: "move", entity: "person", division: VillageT2, before: true, after: true,
				write: func(ctx context.Context) (string, error) {
					p := *mustPerson(t, db, newPerson.ID)
					p.HouseholdID = w.hC.ID
					p.Relation = "其他"
					return fmt.Sprint(p.ID), db.UpdatePerson(ctx, &p)
				}},
			{name: "person status", ctx: ctxTownship2, action: "status", entity: "person", division: VillageT2, before: true, after: true,
				write: func(ctx context.Context) (string, error) {
					p := mustPerson(t, db, newPerson.ID)
					_, err := db.SetPersonStatus(ctx, p.ID, p.Version, healthcell.StatusMoved, "2025-01-01")
					return fmt.Sprint(p.ID), err
				}},
			{name: "load divisions", ctx: ctxCounty, action: "load", entity: "division", division: "", after: true,
				write: func(ctx context.Context) (string, error) {
					_, err := db.LoadDivisions(ctx, []healthcell.Division{{Code: sqltest.Village, Name: "金穗社区"}})
					return sqltest.Village, err
				}},
			{name: "create user", ctx: admin, action: "create", entity: "user", after: true,
				write: func(ctx context.Context) (string, error) {
					return "audited", db.CreateUser(ctx, &healthcell.User{Username: "audited", Role: healthcell.RoleVillage, Scope: sqltest.Village}, goodPassword)
				}},
			{name: "set password", ctx: admin, action: "passwd", entity: "user",
				write: func(ctx context.Context) (string, error) {
					return "audited", db.SetPassword(ctx, "audited", "another password")
				}},
			{name: "disable user", ctx: admin, action: "disable", entity: "user", before: true, after: true,
				write: func(ctx context.Context) (string, error) {
					return "audited", db.SetDisabled(ctx, "audited", true)
				}},

			{name: "failed: duplicate household number", ctx: ctxVillageA, wantErr: healthcell.EINVALID,
				write: func(ctx context.Context) (string, error) {
					return "", db.CreateHousehold(ctx, &healthcell.Household{Number: w.hA.Number, VillageCode: sqltest.Village})
				}},
			{name: "failed: stale household", ctx: ctxVillageA, wantErr: healthcell.ECONFLICT,
				write: func(ctx context.Context) (string, error) {
					h := *w.hA
					h.Version--
					h.Address = "x"
					return "", db.UpdateHousehold(ctx, &h)
				}},
			// A number held in the caller's own village (one held elsewhere
			// is stored as a claim: TestIDNumberClaim).
			{name: "failed: duplicate ID number", ctx: ctxVillageA, wantErr: healthcell.EINVALID,
				write: func(ctx context.Context) (string, error) {
					return "", db.CreatePerson(ctx, &healthcell.Person{HouseholdID: w.hA.ID, Name: "重", IDNumber: w.pA2.IDNumber})
				}},
			{name: "failed: stale person", ctx: ctxVillageA, wantErr: healthcell.ECONFLICT,
				write: func(ctx context.Context) (string, error) {
					p := *w.pA
					p.Version = 0
					return "", db.UpdatePerson(ctx, &p)
				}},
			{name: "failed: status out of scope", ctx: ctxVillageA, wantErr: healthcell.ENOTFOUND,
				write: func(ctx context.Context) (string, error) {
					_, err := db.SetPersonStatus(ctx, w.pC.ID, w.pC.Version, healthcell.StatusMoved, "2025-01-01")
					return "", err
				}},
			{name: "failed: viewer write", ctx: ctxViewer, wantErr: healthcell.EFORBIDDEN,
				write: func(ctx context.Context) (string, error) {
					p := *w.pB
					p.Name = "x"
					return "", db.UpdatePerson(ctx, &p)
				}},
			{name: "failed: malformed division", ctx: ctxCounty, wantErr: healthcell.EINVALID,
				write: func(ctx context.Context) (string, error) {
					_, err := db.LoadDivisions(ctx, []healthcell.Division{{Code: sqltest.Village, Name: "x"}, {Code: "1", Name: "y"}})
					return "", err
				}},
			{name: "failed: duplicate username", ctx: admin, wantErr: healthcell.ECONFLICT,
				write: func(ctx context.Context) (string, error) {
					return "", db.CreateUser(ctx, &healthcell.User{Username: "vill1", Role: healthcell.RoleViewer, Scope: sqltest.County}, goodPassword)
				}},
			{name: "failed: short password", ctx: admin, wantErr: healthcell.EINVALID,
				write: func(ctx context.Context) (string, error) { return "", db.SetPassword(ctx, "vill1", "short") }},
			{name: "failed: disable out of scope", ctx: asUser(us["tadmin"]), wantErr: healthcell.ENOTFOUND,
				write: func(ctx context.Context) (string, error) { return "", db.SetDisabled(ctx, "town2", true) }},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				before := auditCount(t, db)
				last := lastAudit(t, db)
				id, err := tc.write(tc.ctx)
				wantCode(t, err, tc.wantErr)
				n := auditCount(t, db)
				if tc.wantErr != "" {
					if n != before || lastAudit(t, db).ID != last.ID {
						t.Errorf("failed write: audit %d → %d", before, n)
					}
					return
				}
				if n != before+1 {
					t.Fatalf("audit %d → %d, want one more", before, n)
				}
				e := lastAudit(t, db)
				actor := healthcell.ActorFrom(tc.ctx)
				if e.Action != tc.action || e.Entity != tc.entity || e.EntityID != id || e.Username != actor.Username ||
					e.UserID != actor.UserID || !e.At.Equal(sqltest.Now) || e.ID <= last.ID {
					t.Errorf("entry %+v, want %s %s %s by %s", e, tc.action, tc.entity, id, actor.Username)
				}
				if tc.entity != "user" && e.Division != tc.division {
					t.Errorf("division %q, want %q", e.Division, tc.division)
				}
				for _, s := range []struct {
					name string
					json string
					want bool
				}{{"before", e.Before, tc.before}, {"after", e.After, tc.after}} {
					if (s.json != "") != s.want {
						t.Errorf("%s = %q, want present: %v", s.name, s.json, s.want)
					}
					if s.json != "" && !json.Valid([]byte(s.json)) {
						t.Errorf("%s is not JSON: %q", s.name, s.json)
					}
				}
				if tc.before && tc.after && e.Before == e.After {
					t.Errorf("before and after are equal: %s", e.Before)
				}
			})
		}
	})
}

// TestAuditSameTransaction makes the audit insert fail and checks that the
// change it would have recorded is rolled back with it.
func TestAuditSameTransaction(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db)
		raw := rawDB(t, db)
		cases := []struct {
			name  string
			write func() error
			check func(t *testing.T)
		}{
			{"create household", func() error {
				return db.CreateHousehold(sqltest.System(), &healthcell.Household{Number: "TX-1", VillageCode: sqltest.Village})
			}, nil},
			{"update household", func() error {
				h := *w.hB
				h.VillageCode = VillageT2
				return db.UpdateHousehold(sqltest.System(), &h)
			}, nil},
			{"create person", func() error {
				return db.CreatePerson(sqltest.System(), &healthcell.Person{HouseholdID: w.hA2.ID, Name: "事务", IDNumber: sqltest.ID(t, "1999-01-01", 1), Relation: "户主"})
			}, nil},
			{"move person", func() error {
				p := *w.pA
				p.HouseholdID = w.hC.ID
				return db.UpdatePerson(sqltest.System(), &p)
			}, nil},
			{"person status", func() error {
				_, err := db.SetPersonStatus(sqltest.System(), w.pC.ID, w.pC.Version, healthcell.StatusDeceased, "2025-01-01")
				return err
			}, nil},
			{"load divisions", func() error {
				_, err := db.LoadDivisions(sqltest.System(), []healthcell.Division{{Code: sqltest.Village, Name: "改名"}})
				return err
			}, func(t *testing.T) {
				if v, err := db.FindDivision(sqltest.System(), sqltest.Village); err != nil || v.Name == "改名" {
					t.Errorf("division renamed: %+v %v", v, err)
				}
			}},
			{"create user", func() error {
				return db.CreateUser(sqltest.System(), &healthcell.User{Username: "txuser", Role: healthcell.RoleViewer, Scope: sqltest.County}, goodPassword)
			}, func(t *testing.T) {
				if userExists(t, db, "txuser") {
					t.Error("user created")
				}
			}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				snap := takeSnapshot(t, db)
				if _, err := raw.Exec(`ALTER TABLE audit_log RENAME TO audit_log_off`); err != nil {
					t.Fatal(err)
				}
				err := tc.write()
				if _, err := raw.Exec(`ALTER TABLE audit_log_off RENAME TO audit_log`); err != nil {
					t.Fatal(err)
				}
				wantCode(t, err, healthcell.EINTERNAL)
				snap.unchanged(t, db)
				if tc.check != nil {
					tc.check(t)
				}
			})
		}
	})
}

// rawDB opens a second connection to db's database, for tests that break it on purpose.
func rawDB(t *testing.T, db *sqlstore.DB) *sql.DB {
	t.Helper()
	var raw *sql.DB
	var err error
	if db.Engine == sqlstore.Postgres {
		raw, err = sql.Open("pgx", db.DSN)
	} else {
		raw, err = sql.Open("sqlite", "file:"+db.DSN+"?_pragma=busy_timeout(10000)")
	}
	if err != nil {
		t.Fatal(err)
	}
	raw.SetMaxOpenConns(1)
	t.Cleanup(func() { raw.Close() })
	return raw
}

func TestFindAudit(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db)
		us := users(t, db)
		// A few writes by officers, so that usernames differ.
		pA := *w.pA
		pA.Phone = "13911110000"
		wantCode(t, db.UpdatePerson(ctxVillageA, &pA), "")
		pB := *w.pB
		pB.Resident = false
		wantCode(t, db.UpdatePerson(ctxVillageB, &pB), "")
		_, err := db.SetPersonStatus(ctxTownship2, w.pC.ID, w.pC.Version, healthcell.StatusMoved, "2025-05-05")
		wantCode(t, err, "")
		wantCode(t, db.SetPassword(asUser(us["admin"]), "vill2", "another password"), "")

		all, total, err := db.FindAudit(sqltest.System(), healthcell.AuditFilter{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		if total != len(all) || total == 0 {
			t.Fatalf("system sees %d of %d", len(all), total)
		}
		for i := 1; i < len(all); i++ {
			if all[i].ID >= all[i-1].ID {
				t.Fatalf("not newest first: %d after %d", all[i].ID, all[i-1].ID)
			}
		}
		userScope := map[string]string{}
		for name, u := range us {
			userScope[name] = u.Scope
		}
		personalIn := func(e *healthcell.AuditEntry) bool {
			return strings.Contains(e.Before+e.After, PersonAID) || strings.Contains(e.Before+e.After, "13812345678")
		}
		tadmin := asUser(us["tadmin"])

		cases := []struct {
			name   string
			ctx    context.Context
			f      healthcell.AuditFilter
			want   func(e *healthcell.AuditEntry) bool // which of all the caller must see
			masked bool                                // person entries must be masked
		}{
			{name: "system: everything", ctx: sqltest.System(), want: func(e *healthcell.AuditEntry) bool { return true }},
			{name: "by entity", ctx: sqltest.System(), f: healthcell.AuditFilter{Entity: "person"},
				want: func(e *healthcell.AuditEntry) bool { return e.Entity == "person" }},
			{name: "by entity and id", ctx: sqltest.System(), f: healthcell.AuditFilter{Entity: "household", EntityID: fmt.Sprint(w.hA.ID)},
				want: func(e *healthcell.AuditEntry) bool {
					return e.Entity == "household" && e.EntityID == fmt.Sprint(w.hA.ID)
				}},
			{name: "by id of another entity", ctx: sqltest.System(), f: healthcell.AuditFilter{Entity: "household", EntityID: fmt.Sprint(w.pA.ID)},
				want: func(e *healthcell.AuditEntry) bool {
					return e.Entity == "household" && e.EntityID == fmt.Sprint(w.pA.ID)
				}},
			{name: "by username", ctx: sqltest.System(), f: healthcell.AuditFilter{Username: "villageA"},
				want: func(e *healthcell.AuditEntry) bool { return e.Username == "villageA" }},
			{name: "by username and entity", ctx: sqltest.System(), f: healthcell.AuditFilter{Username: "system", Entity: "user"},
				want: func(e *healthcell.AuditEntry) bool { return e.Username == "system" && e.Entity == "user" }},
			{name: "by user entity", ctx: sqltest.System(), f: healthcell.AuditFilter{Entity: "user", EntityID: "vill2"},
				want: func(e *healthcell.AuditEntry) bool { return e.Entity == "user" && e.EntityID == "vill2" }},
			{name: "unknown username", ctx: sqltest.System(), f: healthcell.AuditFilter{Username: "nobody"},
				want: func(e *healthcell.AuditEntry) bool { return false }},
			{name: "county admin: everything in the county", ctx: ctxCounty, want: func(e *healthcell.AuditEntry) bool { return true }},
			{name: "village officer: its village only", ctx: ctxVillageA,
				want: func(e *healthcell.AuditEntry) bool { return e.Division == sqltest.Village }},
			{name: "village officer: person of another village", ctx: ctxVillageA, f: healthcell.AuditFilter{Entity: "person", EntityID: fmt.Sprint(w.pB.ID)},
				want: func(e *healthcell.AuditEntry) bool { return false }},
			{name: "village officer: users", ctx: ctxVillageA, f: healthcell.AuditFilter{Entity: "user"},
				want: func(e *healthcell.AuditEntry) bool { return false }},
			{name: "village officer: by username of another village's officer", ctx: ctxVillageA, f: healthcell.AuditFilter{Username: "villageB"},
				want: func(e *healthcell.AuditEntry) bool { return false }},
			{name: "township officer: its villages", ctx: ctxTownship,
				want: func(e *healthcell.AuditEntry) bool { return healthcell.Covers(sqltest.Township, e.Division) }},
			{name: "viewer: persons masked", ctx: ctxViewer, f: healthcell.AuditFilter{Entity: "person"}, masked: true,
				want: func(e *healthcell.AuditEntry) bool { return e.Entity == "person" }},
			{name: "viewer: households", ctx: ctxViewer, f: healthcell.AuditFilter{Entity: "household"},
				want: func(e *healthcell.AuditEntry) bool { return e.Entity == "household" }},
			{name: "viewer: no users", ctx: ctxViewer, f: healthcell.AuditFilter{Entity: "user"},
				want: func(e *healthcell.AuditEntry) bool { return false }},
			{name: "township-scoped viewer: persons masked", ctx: sqltest.As("tviewer", healthcell.RoleViewer, sqltest.Township), masked: true,
				want: func(e *healthcell.AuditEntry) bool { return healthcell.Covers(sqltest.Township, e.Division) }},
			{name: "department: persons masked", ctx: ctxDept, f: healthcell.AuditFilter{Entity: "person"}, masked: true,
				want: func(e *healthcell.AuditEntry) bool { return e.Entity == "person" }},
			{name: "unit: no persons or households", ctx: ctxUnit,
				want: func(e *healthcell.AuditEntry) bool { return false }},
			{name: "township-scoped county admin: its township and its users", ctx: tadmin,
				want: func(e *healthcell.AuditEntry) bool {
					if e.Entity == "user" {
						return healthcell.Covers(sqltest.Township, userScope[e.EntityID])
					}
					return healthcell.Covers(sqltest.Township, e.Division) || e.Division == ""
				}},
			{name: "township-scoped county admin: users of other townships", ctx: tadmin, f: healthcell.AuditFilter{Entity: "user", EntityID: "town2"},
				want: func(e *healthcell.AuditEntry) bool { return false }},
			{name: "page", ctx: sqltest.System(), f: healthcell.AuditFilter{Limit: 3, Offset: 2},
				want: func(e *healthcell.AuditEntry) bool { return true }},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				f := tc.f
				if f.Limit == 0 {
					f.Limit = 500
				}
				got, total, err := db.FindAudit(tc.ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				var want []int64
				for _, e := range all {
					if tc.want(e) {
						want = append(want, e.ID)
					}
				}
				wantTotal := len(want)
				want = want[min(f.Offset, len(want)):min(f.Offset+f.Limit, len(want))]
				var ids []int64
				for _, e := range got {
					ids = append(ids, e.ID)
				}
				if fmt.Sprint(ids) != fmt.Sprint(want) || total != wantTotal {
					t.Fatalf("got %v (total %d)\nwant %v (total %d)", ids, total, want, wantTotal)
				}
				for _, e := range got {
					if e.Entity != "person" {
						continue
					}
					if personalIn(e) == tc.masked && (tc.masked || e.EntityID == fmt.Sprint(w.pA.ID)) {
						t.Errorf("entry %d (masked: %v): before %s after %s", e.ID, tc.masked, e.Before, e.After)
					}
					for _, s := range []string{e.Before, e.After} {
						var p healthcell.Person
						if s == "" {
							continue
						}
						if err := json.Unmarshal([]byte(s), &p); err != nil {
							t.Errorf("entry %d: %v", e.ID, err)
						}
						if p.Masked != tc.masked {
							t.Errorf("entry %d: masked %v, want %v: %s", e.ID, p.Masked, tc.masked, s)
						}
						if tc.masked && (p.IDNumber != "" && !strings.HasSuffix(p.IDNumber, "************") || p.BirthDate != "") {
							t.Errorf("entry %d: ID number %q not masked", e.ID, p.IDNumber)
						}
					}
				}
			})
		}
		// The viewer sees the example ID masked exactly so.
		es, _, err := db.FindAudit(ctxViewer, healthcell.AuditFilter{Entity: "person", EntityID: fmt.Sprint(w.pA.ID)})
		if err != nil || len(es) != 2 {
			t.Fatalf("viewer: %d entries for person A, %v", len(es), err)
		}
		if !strings.Contains(es[0].After, `"id_number":"110105************"`) || !strings.Contains(es[0].Before, `"phone":"138****5678"`) ||
			!strings.Contains(es[0].After, `"phone":"139****0000"`) {
			t.Errorf("viewer's entry: before %s after %s", es[0].Before, es[0].After)
		}
	})
}
