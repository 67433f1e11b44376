package sqlstore_test

import (
	"context"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestBulkReadsUnderDivision checks that the demo's bulk reads keep to the
// division they are given (each county of a city is filled on its own):
// households, residents, register rows and responses under a township are
// those of its villages only; a bad code is EINVALID and a caller other than
// the system EFORBIDDEN.
func TestBulkReadsUnderDivision(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		sqltest.LoadDivisions(t, db)
		sys := sqltest.System()
		township2 := VillageT2[:9] + "000"
		hA := sqltest.Household(t, db, sqltest.Village, "001")
		hB := sqltest.Household(t, db, VillageT2, "001")
		sqltest.Person(t, db, hA, "张一", sqltest.ID(t, "1960-01-01", 11), "户主")
		sqltest.Person(t, db, hB, "李一", sqltest.ID(t, "1970-01-01", 12), "户主")
		sqltest.Person(t, db, hB, "李二", sqltest.ID(t, "1972-01-01", 14), "配偶")
		if err := db.ExecForTest(context.Background(), `INSERT INTO reg_contracts (village_code, created_at, updated_at) VALUES ($1, $2, $2)`, sqltest.Village, sqltest.Now); err != nil {
			t.Fatal(err)
		}
		if err := db.ExecForTest(context.Background(), `INSERT INTO questionnaire_responses (questionnaire, version, village_code, respondent_name, sex, age,
			survey_date, points, max_points, passed, active, created_by, created_at)
			VALUES ('health-literacy-2020', 1, $1, '某人', 'F', 30, '2025-03-01', 0, 66, TRUE, TRUE, 'test', $2)`, VillageT2, sqltest.Now); err != nil {
			t.Fatal(err)
		}
		households := func(ctx context.Context, division string) (int, error) {
			n := 0
			err := db.EachHousehold(ctx, division, func(id int64, village, head string) error {
				if !healthcell.Covers(division, village) {
					t.Errorf("household %d of %s under %s", id, village, division)
				}
				n++
				return nil
			})
			return n, err
		}
		residents := func(ctx context.Context, division string) (int, error) {
			n := 0
			err := db.EachResident(ctx, division, func(id, household int64, village, birth string, registered, resident bool) error {
				n++
				return nil
			})
			return n, err
		}
		tests := []struct {
			division             string
			households, persons  int
			registers, responses bool
		}{
			{sqltest.County, 2, 3, true, true},
			{sqltest.Township, 1, 1, true, false},
			{township2, 1, 2, false, true},
			{"510802000000", 0, 0, false, false}, // another county
		}
		for _, tt := range tests {
			if n, err := households(sys, tt.division); err != nil || n != tt.households {
				t.Errorf("households under %s: %d, %v; want %d", tt.division, n, err, tt.households)
			}
			if n, err := residents(sys, tt.division); err != nil || n != tt.persons {
				t.Errorf("residents under %s: %d, %v; want %d", tt.division, n, err, tt.persons)
			}
			if ok, err := db.RegisterRowsExist(sys, tt.division); err != nil || ok != tt.registers {
				t.Errorf("register rows under %s: %v, %v; want %v", tt.division, ok, err, tt.registers)
			}
			if ok, err := db.ResponsesExist(sys, "health-literacy-2020", tt.division); err != nil || ok != tt.responses {
				t.Errorf("responses under %s: %v, %v; want %v", tt.division, ok, err, tt.responses)
			}
		}
		if _, err := households(sys, "5108"); healthcell.ErrorCode(err) != healthcell.EINVALID {
			t.Errorf("households under a bad code: %v", err)
		}
		if _, err := residents(sys, "x"); healthcell.ErrorCode(err) != healthcell.EINVALID {
			t.Errorf("residents under a bad code: %v", err)
		}
		if _, err := db.RegisterRowsExist(sys, ""); healthcell.ErrorCode(err) != healthcell.EINVALID {
			t.Errorf("register rows under no code: %v", err)
		}
		if _, err := db.ResponsesExist(sys, "health-literacy-2020", "51"); healthcell.ErrorCode(err) != healthcell.EINVALID {
			t.Errorf("responses under a bad code: %v", err)
		}
		if _, err := households(ctxCounty, sqltest.County); healthcell.ErrorCode(err) != healthcell.EFORBIDDEN {
			t.Errorf("households for a county admin: %v", err)
		}
		if _, err := residents(ctxCounty, sqltest.County); healthcell.ErrorCode(err) != healthcell.EFORBIDDEN {
			t.Errorf("residents for a county admin: %v", err)
		}
	})
}
