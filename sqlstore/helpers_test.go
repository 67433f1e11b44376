package sqlstore_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// Codes beyond those of sqltest: a village of the second township, and codes
// that look right but are not loaded.
const (
	VillageT2      = "510824102001" // 烟峰楼社区, 云峰镇
	UnknownVillage = "510824100999"
	Province       = "510000000000"
	City           = "510800000000"
)

// Contexts of the usual callers. Every one has the same fake user id (1), so
// tests that care about the user (SetDisabled on oneself) use asUser.
var (
	ctxNone      = context.Background()
	ctxCounty    = sqltest.As("county", healthcell.RoleCountyAdmin, sqltest.County)
	ctxTownship  = sqltest.As("township1", healthcell.RoleTownship, sqltest.Township)
	ctxTownship2 = sqltest.As("township2", healthcell.RoleTownship, sqltest.Township2)
	ctxVillageA  = sqltest.As("villageA", healthcell.RoleVillage, sqltest.Village)
	ctxVillageB  = sqltest.As("villageB", healthcell.RoleVillage, sqltest.Village2)
	ctxViewer    = sqltest.As("viewer", healthcell.RoleViewer, sqltest.County)
	ctxEvaluator = sqltest.As("evaluator", healthcell.RoleEvaluator, sqltest.County)
	ctxDept      = sqltest.As("department", healthcell.RoleDepartment, sqltest.County)
	ctxUnit      = sqltest.As("unit", healthcell.RoleUnit, sqltest.County)
)

// asUser returns a context acting as the stored user u.
func asUser(u *healthcell.User) context.Context {
	return healthcell.WithActor(context.Background(), healthcell.ActorOf(u))
}

// world is a small county: households and persons in village A and B of
// township 1 and in a village of township 2.
type world struct {
	hA, hA2, hB, hC *healthcell.Household
	pA, pA2, pB, pC *healthcell.Person
}

// PersonAID is the ID number of world.pA, as in the domain's examples.
const PersonAID = "11010519491231002X"

// newWorld loads the divisions and creates the world as the system.
func newWorld(t testing.TB, db *sqlstore.DB) *world {
	t.Helper()
	sqltest.LoadDivisions(t, db)
	w := &world{}
	w.hA = sqltest.Household(t, db, sqltest.Village, "A-001")
	w.hA2 = sqltest.Household(t, db, sqltest.Village, "A-002")
	w.hB = sqltest.Household(t, db, sqltest.Village2, "B-001")
	w.hC = sqltest.Household(t, db, VillageT2, "C-001")
	w.pA = sqltest.Person(t, db, w.hA, "张三", PersonAID, "户主")
	w.pA2 = sqltest.Person(t, db, w.hA, "李四", sqltest.ID(t, "1975-02-03", 12), "配偶")
	w.pB = sqltest.Person(t, db, w.hB, "王五", sqltest.ID(t, "1980-04-05", 31), "户主")
	w.pC = sqltest.Person(t, db, w.hC, "赵六", sqltest.ID(t, "1990-06-07", 51), "户主")
	// Re-read households so that versions, heads and member counts are current.
	for _, h := range []**healthcell.Household{&w.hA, &w.hA2, &w.hB, &w.hC} {
		*h = mustHousehold(t, db, (*h).ID)
	}
	return w
}

// wantCode fails unless err has code want ("" for no error).
func wantCode(t testing.TB, err error, want string) {
	t.Helper()
	if got := healthcell.ErrorCode(err); got != want {
		t.Fatalf("error code = %q, want %q (err: %v)", got, want, err)
	}
}

// wantOneOf fails unless err has one of the codes.
func wantOneOf(t testing.TB, err error, codes ...string) {
	t.Helper()
	if got := healthcell.ErrorCode(err); !slices.Contains(codes, got) {
		t.Fatalf("error code = %q, want one of %q (err: %v)", got, codes, err)
	}
}

// wantInvalid fails unless err is EINVALID and names exactly fields (in any order).
func wantInvalid(t testing.TB, err error, fields ...string) {
	t.Helper()
	wantCode(t, err, healthcell.EINVALID)
	var got []string
	for _, f := range healthcell.ErrorFields(err) {
		got = append(got, f.Field)
	}
	slices.Sort(got)
	want := slices.Clone(fields)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("invalid fields = %q, want %q (err: %v)", got, want, err)
	}
}

// fieldMessage returns the message of the first field error on field.
func fieldMessage(err error, field string) string {
	for _, f := range healthcell.ErrorFields(err) {
		if f.Field == field {
			return f.Message
		}
	}
	return ""
}

func mustPerson(t testing.TB, db *sqlstore.DB, id int64) *healthcell.Person {
	t.Helper()
	p, err := db.FindPerson(sqltest.System(), id)
	if err != nil {
		t.Fatalf("find person %d: %v", id, err)
	}
	return p
}

func mustHousehold(t testing.TB, db *sqlstore.DB, id int64) *healthcell.Household {
	t.Helper()
	h, err := db.FindHousehold(sqltest.System(), id)
	if err != nil {
		t.Fatalf("find household %d: %v", id, err)
	}
	return h
}

// counts returns the live counts of a division as the system sees them.
func counts(t testing.TB, db *sqlstore.DB, code string) healthcell.DivisionCounts {
	t.Helper()
	v, err := db.FindDivision(sqltest.System(), code)
	if err != nil {
		t.Fatalf("find division %s: %v", code, err)
	}
	return v.DivisionCounts
}

// snapshot records everything a denied write must leave alone.
type snapshot struct {
	audit   int
	county  healthcell.DivisionCounts
	persons map[int64]healthcell.Person
	houses  map[int64]healthcell.Household
}

func takeSnapshot(t testing.TB, db *sqlstore.DB) snapshot {
	t.Helper()
	s := snapshot{audit: auditCount(t, db), county: counts(t, db, sqltest.County),
		persons: map[int64]healthcell.Person{}, houses: map[int64]healthcell.Household{}}
	ps, _, err := db.FindPersons(sqltest.System(), healthcell.PersonFilter{Division: sqltest.County, Inactive: true, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		s.persons[p.ID] = *p
	}
	hs, _, err := db.FindHouseholds(sqltest.System(), healthcell.HouseholdFilter{Division: sqltest.County, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hs {
		s.houses[h.ID] = *h
	}
	return s
}

// unchanged fails when anything recorded in s has changed.
func (s snapshot) unchanged(t testing.TB, db *sqlstore.DB) {
	t.Helper()
	now := takeSnapshot(t, db)
	if now.audit != s.audit {
		t.Errorf("audit entries: %d, was %d", now.audit, s.audit)
	}
	if now.county != s.county {
		t.Errorf("county counts: %+v, was %+v", now.county, s.county)
	}
	if len(now.persons) != len(s.persons) {
		t.Errorf("persons: %d, was %d", len(now.persons), len(s.persons))
	}
	for id, p := range s.persons {
		if q, ok := now.persons[id]; !ok || !samePerson(p, q) {
			t.Errorf("person %d changed: %+v, was %+v", id, q, p)
		}
	}
	if len(now.houses) != len(s.houses) {
		t.Errorf("households: %d, was %d", len(now.houses), len(s.houses))
	}
	for id, h := range s.houses {
		if g, ok := now.houses[id]; !ok || !sameHousehold(h, g) {
			t.Errorf("household %d changed: %+v, was %+v", id, g, h)
		}
	}
}

// samePerson compares the stored fields, ignoring time zones of timestamps.
func samePerson(a, b healthcell.Person) bool {
	eq := a.CreatedAt.Equal(b.CreatedAt) && a.UpdatedAt.Equal(b.UpdatedAt)
	a.CreatedAt, a.UpdatedAt, b.CreatedAt, b.UpdatedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	return eq && a == b
}

func sameHousehold(a, b healthcell.Household) bool {
	eq := a.CreatedAt.Equal(b.CreatedAt) && a.UpdatedAt.Equal(b.UpdatedAt)
	a.CreatedAt, a.UpdatedAt, b.CreatedAt, b.UpdatedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	return eq && a == b
}

// auditCount returns the number of audit entries.
func auditCount(t testing.TB, db *sqlstore.DB) int {
	t.Helper()
	_, n, err := db.FindAudit(sqltest.System(), healthcell.AuditFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// lastAudit returns the newest audit entry.
func lastAudit(t testing.TB, db *sqlstore.DB) *healthcell.AuditEntry {
	t.Helper()
	es, _, err := db.FindAudit(sqltest.System(), healthcell.AuditFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(es) == 0 {
		t.Fatal("no audit entries")
	}
	return es[0]
}

// names returns the names of persons, in order.
func names(ps []*healthcell.Person) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Name)
	}
	return out
}
