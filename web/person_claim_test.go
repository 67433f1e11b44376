package web_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestAPIIDNumberClaim: a village officer who creates a person, or imports
// a resident, with a number held in another village or township gets the
// answer a number nobody has gets — same status, same body but for the new
// record's id and the number typed, same record read back — and only the
// county office finds the claims, in reconciliation, on the API and the
// page.
func TestAPIIDNumberClaim(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		village := e.as(t, "village")
		// Numbers nobody has with the birth date and sex of pC and pB.
		freeC, freeB := sqltest.ID(t, "1990-06-07", 53), sqltest.ID(t, "1980-04-05", 33)

		// Creating a person.
		created := func(id string) (int, map[string]any, map[string]any) {
			r := village.do(t, "POST", "/api/v1/persons", personBody(e.hA.ID, "赵小六", id))
			m := r.json(t)
			if m["id_number"] != id {
				t.Errorf("created with %s, answered %v", id, m["id_number"])
			}
			read := village.do(t, "GET", fmt.Sprintf("/api/v1/persons/%.0f", m["id"]), nil).json(t)
			for _, x := range []map[string]any{m, read} {
				delete(x, "id")
				delete(x, "id_number")
			}
			return r.status, m, read
		}
		s1, m1, r1 := created(e.pC.IDNumber)
		s2, m2, r2 := created(freeC)
		if s1 != 201 || s1 != s2 || !reflect.DeepEqual(m1, m2) || !reflect.DeepEqual(r1, r2) {
			t.Errorf("another township's number: %d %v, read %v\nnobody's: %d %v, read %v", s1, m1, r1, s2, m2, r2)
		}

		// A resident import, dry run then stored.
		imported := func(id, query string) (int, string) {
			file := residentCSV("王小五,男," + id + ",A-009,户主," + sqltest.Village + ",,")
			r := village.do(t, "POST", "/api/v1/imports/residents"+query, multipartFile(t, "r.csv", file), multipartHeader...)
			return r.status, r.String()
		}
		for _, q := range []string{"?dry_run=on", "?dry_run=on&update=on"} {
			s1, b1 := imported(e.pB.IDNumber, q)
			s2, b2 := imported(freeB, q)
			if s1 != 200 || s1 != s2 || b1 != b2 {
				t.Errorf("import %s: another village's number %d %s\nnobody's %d %s", q, s1, b1, s2, b2)
			}
		}
		if s, b := imported(e.pB.IDNumber, "?update=on"); s != 200 || !strings.Contains(b, `"persons":1`) {
			t.Errorf("import of another village's number: %d %s", s, b)
		}
		if p := e.person(t, e.pB.ID); p.Name != e.pB.Name || p.VillageCode != sqltest.Village2 {
			t.Errorf("the other village's resident changed: %+v", p)
		}

		// Only the county office sees the two claims.
		if r := e.as(t, "county").do(t, "GET", "/api/v1/reconcile?kind=id_claim", nil); r.status != 200 || !strings.Contains(r.String(), e.pB.IDNumber) || !strings.Contains(r.String(), e.pC.IDNumber) {
			t.Errorf("county reconciliation: %d %s", r.status, r.body)
		}
		for _, u := range []string{"township", "village"} {
			r := e.as(t, u).do(t, "GET", "/api/v1/reconcile", nil)
			if r.status != 200 || strings.Contains(r.String(), e.pB.IDNumber) || strings.Contains(r.String(), e.pC.IDNumber) || strings.Contains(r.String(), "id_claim") {
				t.Errorf("%s reconciliation: %d %s", u, r.status, r.body)
			}
		}
		page := e.as(t, "county").do(t, "GET", "/reconcile?kind=id_claim", nil).String()
		for _, want := range []string{"同一身份证号在两处登记", "后录入（号码待核）", e.pB.IDNumber, "王五", "王小五"} {
			if !strings.Contains(page, want) {
				t.Errorf("the county's page lacks %s", want)
			}
		}
	})
}
