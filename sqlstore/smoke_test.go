package sqlstore_test

import (
	"testing"

	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

func TestSmoke(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		sqltest.LoadDivisions(t, db)
		h := sqltest.Household(t, db, sqltest.Village, "001")
		p := sqltest.Person(t, db, h, "张三", "11010519491231002X", "户主")
		v, err := db.FindDivision(sqltest.System(), sqltest.County)
		if err != nil {
			t.Fatal(err)
		}
		if v.Persons != 1 || v.Households != 1 || len(v.Children) != 34 {
			t.Fatalf("counts %+v children %d", v.DivisionCounts, len(v.Children))
		}
		got, err := db.FindPerson(sqltest.System(), p.ID)
		if err != nil || got.BirthDate != "1949-12-31" || got.Sex != "F" {
			t.Fatalf("got %+v %v", got, err)
		}
		t.Logf("created at %v", got.CreatedAt)
	})
}
