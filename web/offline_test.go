package web_test

import (
	"testing"

	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestOfflineWorkSetScope checks what a phone may take along: the whole
// village, or a list of its households with their residents only; a
// household of another village, or outside the caller's scope, is refused
// like a missing one, and nothing is stored beyond the scope.
func TestOfflineWorkSetScope(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.as(t, "village").do(t, "GET", "/api/v1/offline/workset?village="+sqltest.Village, nil) // log in
		type workSet struct {
			Households []struct{ ID int64 }
			Persons    []struct {
				ID          int64
				HouseholdID int64 `json:"household_id"`
			}
		}
		tests := []struct {
			name       string
			user       string
			query      string
			status     int
			households int
			persons    int
			field      string // the refused field's message
		}{
			{"the whole village", "village", "village=" + sqltest.Village, 200, 2, 2, ""},
			{"one household", "village", e.expand("village=" + sqltest.Village + "&households={hA}"), 200, 1, 2, ""},
			{"the other household", "village", e.expand("village=" + sqltest.Village + "&households={hA2}"), 200, 1, 0, ""},
			{"both, with spaces", "village", e.expand("village=" + sqltest.Village + "&households={hA},%20{hA2}"), 200, 2, 2, ""},
			{"a household of another village", "township", e.expand("village=" + sqltest.Village + "&households={hA},{hB}"), 422, 0, 0, "offline.household_unknown"},
			{"a household outside the scope", "village", e.expand("village=" + sqltest.Village + "&households={hC}"), 422, 0, 0, "offline.household_unknown"},
			{"a household that does not exist", "village", "village=" + sqltest.Village + "&households=999999", 422, 0, 0, "offline.household_unknown"},
			{"not a number", "village", "village=" + sqltest.Village + "&households=abc", 422, 0, 0, "field.invalid"},
			{"a village outside the scope", "village", e.expand("village=" + villageT2 + "&households={hC}"), 404, 0, 0, ""},
		}
		for _, tc := range tests {
			r := e.as(t, tc.user).do(t, "GET", "/api/v1/offline/workset?"+tc.query, nil)
			if r.status != tc.status {
				t.Errorf("%s: %d %s, want %d", tc.name, r.status, r.body, tc.status)
				continue
			}
			if tc.status == 422 {
				var doc struct {
					Error struct {
						Fields []struct{ Field, Key string }
					}
				}
				r.decode(t, &doc)
				if f := doc.Error.Fields; len(f) != 1 || f[0].Field != "households" || f[0].Key != tc.field {
					t.Errorf("%s: %s, want households %s", tc.name, r.body, tc.field)
				}
				continue
			}
			if tc.status != 200 {
				continue
			}
			var ws workSet
			r.decode(t, &ws)
			if len(ws.Households) != tc.households || len(ws.Persons) != tc.persons {
				t.Errorf("%s: %d households and %d persons, want %d and %d", tc.name, len(ws.Households), len(ws.Persons), tc.households, tc.persons)
			}
			keep := map[int64]bool{}
			for _, h := range ws.Households {
				keep[h.ID] = true
			}
			for _, p := range ws.Persons {
				if !keep[p.HouseholdID] {
					t.Errorf("%s: resident %d of household %d, not taken along", tc.name, p.ID, p.HouseholdID)
				}
			}
		}
	})
}
