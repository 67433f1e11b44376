package sqlstore_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestIndicatorMissing: the residents or households an indicator's
// denominator counts and its numerator does not, by hand from the world of
// TestIndicatorValues; as of the period's end for 2025; paged; masked for
// masked roles; 404 out of scope or for an unknown code; 422 for an
// indicator whose rows are not persons or households.
func TestIndicatorMissing(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newIndWorld(t, db)
		db.Now = func() time.Time { return time.Date(2026, 3, 10, 4, 0, 0, 0, time.UTC) }
		names := func(r *healthcell.MissingRows) string {
			var out []string
			for _, p := range r.Persons {
				out = append(out, p.Name)
			}
			for _, h := range r.Households {
				out = append(out, h.Number)
			}
			return strings.Join(out, " ")
		}
		for _, tc := range []struct {
			name                   string
			ctx                    context.Context
			code, division, period string
			offset, limit          int
			want                   string
			total                  int
			source                 string
		}{
			// 2026 (live): V1 residents a1 a2 a4 a5 (a3 away), records a1 a2 a4.
			{"village", ctxCounty, "record_rate", sqltest.Village, "2026", 0, 0, "甲五", 1, "residents"},
			{"other village", ctxCounty, "record_rate", sqltest.Village2, "2026", 0, 0, "乙二", 1, "residents"},
			{"township", ctxTownship, "record_rate", sqltest.Township, "2026", 0, 0, "甲五 乙二", 2, "residents"},
			{"second page", ctxTownship, "record_rate", sqltest.Township, "2026", 1, 1, "乙二", 2, "residents"},
			// 2025, as of its end: a4's record is of 2026.
			{"past period", ctxCounty, "record_rate", sqltest.Village, "2025", 0, 0, "甲四 甲五", 2, "residents"},
			// Households: h2 non-sanitary; h3 surveyed only in 2026; h5 none.
			{"households 2025", ctxCounty, "toilet_rate", sqltest.County, "2025", 0, 0, "H2 H3 H5", 3, "households"},
			{"households 2026", ctxCounty, "toilet_rate", sqltest.County, "2026", 0, 0, "H2 H5", 2, "households"},
			{"nobody missing", ctxCounty, "record_rate", V3, "2026", 0, 0, "", 0, "residents"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r, err := db.IndicatorMissing(tc.ctx, healthcell.MissingQuery{Code: tc.code, Division: tc.division, Period: tc.period, Offset: tc.offset, Limit: tc.limit})
				if err != nil {
					t.Fatal(err)
				}
				if got := names(r); got != tc.want || r.Total != tc.total || r.Source != tc.source {
					t.Errorf("got %q (%d, %s), want %q (%d, %s)", got, r.Total, r.Source, tc.want, tc.total, tc.source)
				}
			})
		}
		// The village officer sees personal data; a viewer sees it masked.
		for _, tc := range []struct {
			ctx    context.Context
			masked bool
		}{{ctxVillageA, false}, {ctxViewer, true}} {
			r, err := db.IndicatorMissing(tc.ctx, healthcell.MissingQuery{Code: "record_rate", Division: sqltest.Village, Period: "2026"})
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Persons) != 1 || r.Persons[0].Masked != tc.masked || r.Persons[0].ID != w.p["a5"].ID ||
				tc.masked && !strings.Contains(r.Persons[0].IDNumber, "*") {
				t.Errorf("masked %v: %+v", tc.masked, r.Persons)
			}
		}
		for _, tc := range []struct {
			name        string
			ctx         context.Context
			code, where string
			check       func(error) bool
		}{
			{"out of scope", ctxVillageA, "record_rate", sqltest.Village2, isNotFound},
			{"unit contact", ctxUnit, "record_rate", sqltest.Village, isNotFound},
			{"unknown code", ctxCounty, "no_such_rate", sqltest.Village, isNotFound},
			{"not persons", ctxCounty, "activity_lectures", sqltest.Village, func(err error) bool { return invalidField(err, "code") }},
		} {
			_, err := db.IndicatorMissing(tc.ctx, healthcell.MissingQuery{Code: tc.code, Division: tc.where, Period: "2026"})
			if !tc.check(err) {
				t.Errorf("%s: %v", tc.name, err)
			}
		}
		if _, err := db.IndicatorMissing(ctxCounty, healthcell.MissingQuery{Code: "record_rate", Division: sqltest.Village, Period: "2026Q5"}); !invalidField(err, "period") {
			t.Errorf("bad period: %v", err)
		}
	})
}

func isNotFound(err error) bool { return healthcell.ErrorCode(err) == healthcell.ENOTFOUND }

// invalidField reports whether err is EINVALID naming field.
func invalidField(err error, field string) bool {
	if healthcell.ErrorCode(err) != healthcell.EINVALID {
		return false
	}
	for _, f := range healthcell.ErrorFields(err) {
		if f.Field == field {
			return true
		}
	}
	return false
}
