package sqltest

import (
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/catalog"
	"github.com/healthcell/healthcell/sqlstore"
)

// Codes used by fixtures: two townships of 苍溪县 and two villages of the first.
const (
	County    = "510824000000"
	Township  = "510824100000" // 陵江镇
	Township2 = "510824102000" // 云峰镇
	Village   = "510824100001"
	Village2  = "510824100002"

	// Above and beside the county: 广元市 and its 朝天区 (LoadNeighbour).
	Province         = "510000000000" // 四川省
	City             = "510800000000" // 广元市
	NeighbourCounty  = "510812000000" // 朝天区
	NeighbourVillage = "510812100001" // 明月路社区
)

// LoadNeighbour loads the shipped 朝天区 divisions, a second county of
// 广元市, into db (after LoadDivisions, or alone).
func LoadNeighbour(t testing.TB, db *sqlstore.DB) []healthcell.Division {
	t.Helper()
	divs, err := catalog.Divisions("510812")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.LoadDivisions(System(), divs); err != nil {
		t.Fatal(err)
	}
	return divs
}

// LoadDivisions loads the shipped 苍溪县 divisions into db.
func LoadDivisions(t testing.TB, db *sqlstore.DB) []healthcell.Division {
	t.Helper()
	divs, err := catalog.Divisions("510824")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.LoadDivisions(System(), divs); err != nil {
		t.Fatal(err)
	}
	return divs
}

// Household creates a household in village and returns it.
func Household(t testing.TB, db *sqlstore.DB, village, number string) *healthcell.Household {
	t.Helper()
	h := &healthcell.Household{Number: number, VillageCode: village, Group: "1组"}
	if err := db.CreateHousehold(System(), h); err != nil {
		t.Fatalf("create household: %v", err)
	}
	return h
}

// Person creates a person in household h and returns it.
func Person(t testing.TB, db *sqlstore.DB, h *healthcell.Household, name, id, relation string) *healthcell.Person {
	t.Helper()
	p := &healthcell.Person{HouseholdID: h.ID, Name: name, IDNumber: id, Relation: relation, Phone: "13812345678", Registered: true, Resident: true}
	if err := db.CreatePerson(System(), p); err != nil {
		t.Fatalf("create person: %v", err)
	}
	return p
}
