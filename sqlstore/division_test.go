package sqlstore_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

func TestFindDivision(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		divs := sqltest.LoadDivisions(t, db)
		villagesOfTownship := 0
		for _, d := range divs {
			if d.Level == healthcell.LevelVillage && d.Parent == sqltest.Township {
				villagesOfTownship++
			}
		}
		// Village A: 2 households, 3 persons; village B (same township): 1, 1;
		// a village of township 2: 1, 2.
		hA := sqltest.Household(t, db, sqltest.Village, "001")
		hA2 := sqltest.Household(t, db, sqltest.Village, "002")
		hB := sqltest.Household(t, db, sqltest.Village2, "001")
		hC := sqltest.Household(t, db, VillageT2, "001")
		sqltest.Person(t, db, hA, "张一", sqltest.ID(t, "1960-01-01", 11), "户主")
		sqltest.Person(t, db, hA, "张二", sqltest.ID(t, "1962-01-01", 12), "配偶")
		sqltest.Person(t, db, hA2, "李一", sqltest.ID(t, "1970-01-01", 13), "户主")
		sqltest.Person(t, db, hB, "王一", sqltest.ID(t, "1980-01-01", 14), "户主")
		sqltest.Person(t, db, hC, "赵一", sqltest.ID(t, "1990-01-01", 15), "户主")
		sqltest.Person(t, db, hC, "赵二", sqltest.ID(t, "1991-01-01", 16), "子")

		type dc = healthcell.DivisionCounts
		cases := []struct {
			name      string
			ctx       context.Context
			code      string
			wantErr   string
			wantCode  string
			wantLevel int
			wantKids  int // -1: do not check
			counts    dc
			kidCounts map[string]dc
			ancestors []string
		}{
			{name: "county as system", ctx: sqltest.System(), code: sqltest.County, wantCode: sqltest.County,
				wantLevel: healthcell.LevelCounty, wantKids: 34, counts: dc{Households: 4, Persons: 6},
				kidCounts: map[string]dc{sqltest.Township: {Households: 3, Persons: 4}, sqltest.Township2: {Households: 1, Persons: 2}, "510824104000": {}},
				ancestors: []string{Province, City}},
			{name: "county by 6-digit code", ctx: sqltest.System(), code: "510824", wantCode: sqltest.County,
				wantLevel: healthcell.LevelCounty, wantKids: 34, counts: dc{Households: 4, Persons: 6}},
			{name: "county by 6-digit code with spaces", ctx: ctxCounty, code: " 510824 ", wantCode: sqltest.County,
				wantLevel: healthcell.LevelCounty, wantKids: 34, counts: dc{Households: 4, Persons: 6}},
			{name: "county as county admin", ctx: ctxCounty, code: sqltest.County, wantCode: sqltest.County,
				wantLevel: healthcell.LevelCounty, wantKids: 34, counts: dc{Households: 4, Persons: 6},
				kidCounts: map[string]dc{sqltest.Township: {Households: 3, Persons: 4}, sqltest.Township2: {Households: 1, Persons: 2}}},
			{name: "county as viewer", ctx: ctxViewer, code: sqltest.County, wantCode: sqltest.County,
				wantLevel: healthcell.LevelCounty, wantKids: 34, counts: dc{Households: 4, Persons: 6}},
			{name: "township", ctx: sqltest.System(), code: sqltest.Township, wantCode: sqltest.Township,
				wantLevel: healthcell.LevelTownship, wantKids: villagesOfTownship, counts: dc{Households: 3, Persons: 4},
				kidCounts: map[string]dc{sqltest.Village: {Households: 2, Persons: 3}, sqltest.Village2: {Households: 1, Persons: 1}, "510824100003": {}},
				ancestors: []string{Province, City, sqltest.County}},
			{name: "township by 9-digit code", ctx: sqltest.System(), code: "510824100", wantCode: sqltest.Township,
				wantLevel: healthcell.LevelTownship, wantKids: villagesOfTownship, counts: dc{Households: 3, Persons: 4}},
			{name: "second township", ctx: sqltest.System(), code: sqltest.Township2, wantCode: sqltest.Township2,
				wantLevel: healthcell.LevelTownship, wantKids: -1, counts: dc{Households: 1, Persons: 2},
				kidCounts: map[string]dc{VillageT2: {Households: 1, Persons: 2}}},
			{name: "township without records", ctx: sqltest.System(), code: "510824104000", wantCode: "510824104000",
				wantLevel: healthcell.LevelTownship, wantKids: -1},
			{name: "village", ctx: sqltest.System(), code: sqltest.Village, wantCode: sqltest.Village,
				wantLevel: healthcell.LevelVillage, wantKids: 0, counts: dc{Households: 2, Persons: 3},
				ancestors: []string{Province, City, sqltest.County, sqltest.Township}},
			{name: "village of second township", ctx: sqltest.System(), code: VillageT2, wantCode: VillageT2,
				wantLevel: healthcell.LevelVillage, wantKids: 0, counts: dc{Households: 1, Persons: 2}},
			{name: "province as system", ctx: sqltest.System(), code: "51", wantCode: Province,
				wantLevel: healthcell.LevelProvince, wantKids: 1, counts: dc{Households: 4, Persons: 6}},

			{name: "unknown township", ctx: sqltest.System(), code: "510824999000", wantErr: healthcell.ENOTFOUND},
			{name: "unknown village", ctx: sqltest.System(), code: UnknownVillage, wantErr: healthcell.ENOTFOUND},
			{name: "malformed code", ctx: sqltest.System(), code: "51082410000X", wantErr: healthcell.ENOTFOUND},
			{name: "7-digit code", ctx: sqltest.System(), code: "5108241", wantErr: healthcell.ENOTFOUND},
			{name: "empty code", ctx: sqltest.System(), code: "", wantErr: healthcell.ENOTFOUND},
			{name: "province outside county admin scope", ctx: ctxCounty, code: Province, wantErr: healthcell.ENOTFOUND},
			{name: "city outside county admin scope", ctx: ctxCounty, code: City, wantErr: healthcell.ENOTFOUND},

			{name: "township officer: own township", ctx: ctxTownship, code: sqltest.Township, wantCode: sqltest.Township,
				wantLevel: healthcell.LevelTownship, wantKids: villagesOfTownship, counts: dc{Households: 3, Persons: 4},
				ancestors: []string{Province, City, sqltest.County}},
			{name: "township officer: own village", ctx: ctxTownship, code: sqltest.Village2, wantCode: sqltest.Village2,
				wantLevel: healthcell.LevelVillage, wantKids: 0, counts: dc{Households: 1, Persons: 1}},
			{name: "township officer: other township", ctx: ctxTownship, code: sqltest.Township2, wantErr: healthcell.ENOTFOUND},
			{name: "township officer: village of other township", ctx: ctxTownship, code: VillageT2, wantErr: healthcell.ENOTFOUND},
			{name: "township officer: county", ctx: ctxTownship, code: sqltest.County, wantErr: healthcell.ENOTFOUND},
			{name: "township officer: county by 6 digits", ctx: ctxTownship, code: "510824", wantErr: healthcell.ENOTFOUND},
			{name: "township officer: province", ctx: ctxTownship, code: Province, wantErr: healthcell.ENOTFOUND},
			{name: "village officer: own village", ctx: ctxVillageA, code: sqltest.Village, wantCode: sqltest.Village,
				wantLevel: healthcell.LevelVillage, wantKids: 0, counts: dc{Households: 2, Persons: 3}},
			{name: "village officer: sibling village", ctx: ctxVillageA, code: sqltest.Village2, wantErr: healthcell.ENOTFOUND},
			{name: "village officer: own township", ctx: ctxVillageA, code: sqltest.Township, wantErr: healthcell.ENOTFOUND},
			{name: "no actor", ctx: ctxNone, code: sqltest.County, wantErr: healthcell.EUNAUTHORIZED},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				v, err := db.FindDivision(tc.ctx, tc.code)
				wantCode(t, err, tc.wantErr)
				if tc.wantErr != "" {
					if v != nil {
						t.Errorf("got a view %+v with the error", v)
					}
					return
				}
				if v.Code != tc.wantCode || v.Level != tc.wantLevel || v.Name == "" {
					t.Errorf("got %s level %d name %q, want %s level %d", v.Code, v.Level, v.Name, tc.wantCode, tc.wantLevel)
				}
				if v.Parent != healthcell.ParentCode(v.Code) {
					t.Errorf("parent %q, want %q", v.Parent, healthcell.ParentCode(v.Code))
				}
				if v.DivisionCounts != tc.counts {
					t.Errorf("counts %+v, want %+v", v.DivisionCounts, tc.counts)
				}
				if tc.wantKids >= 0 && len(v.Children) != tc.wantKids {
					t.Errorf("%d children, want %d", len(v.Children), tc.wantKids)
				}
				kids := map[string]dc{}
				sum := dc{}
				for i, c := range v.Children {
					if c.Parent != v.Code || c.Level != v.Level+1 || !healthcell.Covers(v.Code, c.Code) {
						t.Errorf("child %+v does not belong to %s", c, v.Code)
					}
					if i > 0 && c.Code <= v.Children[i-1].Code {
						t.Errorf("children out of order: %s after %s", c.Code, v.Children[i-1].Code)
					}
					kids[c.Code] = c.DivisionCounts
					sum.Households += c.Households
					sum.Persons += c.Persons
				}
				if len(v.Children) > 0 && sum != v.DivisionCounts {
					t.Errorf("children add up to %+v, division has %+v", sum, v.DivisionCounts)
				}
				for code, want := range tc.kidCounts {
					got, ok := kids[code]
					if !ok {
						t.Errorf("child %s missing", code)
					} else if got != want {
						t.Errorf("child %s counts %+v, want %+v", code, got, want)
					}
				}
				if tc.ancestors != nil {
					var got []string
					for _, a := range v.Ancestors {
						got = append(got, a.Code)
					}
					if strings.Join(got, ",") != strings.Join(tc.ancestors, ",") {
						t.Errorf("ancestors %v, want %v", got, tc.ancestors)
					}
				}
			})
		}
	})
}

func TestDivisionCountsFollowWrites(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		sqltest.LoadDivisions(t, db)
		type dc = healthcell.DivisionCounts
		var hA, hC *healthcell.Household
		var pC *healthcell.Person
		steps := []struct {
			name string
			do   func(t *testing.T)
			want map[string]dc
		}{
			{name: "empty county", do: func(t *testing.T) {},
				want: map[string]dc{sqltest.County: {}, sqltest.Township: {}, sqltest.Village: {}}},
			{name: "household in village A", do: func(t *testing.T) { hA = sqltest.Household(t, db, sqltest.Village, "001") },
				want: map[string]dc{sqltest.County: {Households: 1}, sqltest.Township: {Households: 1}, sqltest.Village: {Households: 1},
					sqltest.Village2: {}, sqltest.Township2: {}}},
			{name: "household in township 2", do: func(t *testing.T) { hC = sqltest.Household(t, db, VillageT2, "001") },
				want: map[string]dc{sqltest.County: {Households: 2}, sqltest.Township: {Households: 1}, sqltest.Township2: {Households: 1}, VillageT2: {Households: 1}}},
			{name: "persons in both", do: func(t *testing.T) {
				sqltest.Person(t, db, hA, "甲", sqltest.ID(t, "1950-05-05", 1), "户主")
				sqltest.Person(t, db, hA, "乙", sqltest.ID(t, "1952-05-05", 2), "配偶")
				pC = sqltest.Person(t, db, hC, "丙", sqltest.ID(t, "1960-05-05", 3), "户主")
			}, want: map[string]dc{sqltest.County: {Households: 2, Persons: 3}, sqltest.Township: {Households: 1, Persons: 2},
				sqltest.Village: {Households: 1, Persons: 2}, sqltest.Township2: {Households: 1, Persons: 1}, VillageT2: {Households: 1, Persons: 1}}},
			{name: "person without ID number counts", do: func(t *testing.T) {
				p := &healthcell.Person{HouseholdID: hC.ID, Name: "丁", Sex: "M", BirthDate: "2020-01-01", Relation: "子"}
				wantCode(t, db.CreatePerson(sqltest.System(), p), "")
			}, want: map[string]dc{sqltest.County: {Households: 2, Persons: 4}, sqltest.Township2: {Households: 1, Persons: 2}}},
			{name: "death leaves the counts", do: func(t *testing.T) {
				_, err := db.SetPersonStatus(sqltest.System(), pC.ID, pC.Version, healthcell.StatusDeceased, "2024-01-01")
				wantCode(t, err, "")
			}, want: map[string]dc{sqltest.County: {Households: 2, Persons: 3}, sqltest.Township2: {Households: 1, Persons: 1}, VillageT2: {Households: 1, Persons: 1}}},
		}
		for _, s := range steps {
			t.Run(s.name, func(t *testing.T) {
				s.do(t)
				for code, want := range s.want {
					if got := counts(t, db, code); got != want {
						t.Errorf("%s: counts %+v, want %+v", code, got, want)
					}
				}
			})
		}
	})
}

func TestLoadDivisions(t *testing.T) {
	const newVillage = "510824100998"
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		divs := sqltest.LoadDivisions(t, db)
		original := map[string]string{}
		for _, d := range divs {
			original[d.Code] = d.Name
		}
		townshipAdmin := sqltest.As("tadmin", healthcell.RoleCountyAdmin, sqltest.Township)
		cases := []struct {
			name      string
			ctx       context.Context
			divs      []healthcell.Division
			wantErr   string
			wantField string
			wantRow   int
			wantN     int
			names     map[string]string // code → name after the call
			absent    []string          // codes that must not exist after the call
		}{
			{name: "malformed code writes nothing", ctx: sqltest.System(),
				divs:    []healthcell.Division{{Code: sqltest.Village, Name: "改名"}, {Code: newVillage, Name: "新村"}, {Code: "51082410000X", Name: "坏"}},
				wantErr: healthcell.EINVALID, wantField: "code", wantRow: 3,
				names: map[string]string{sqltest.Village: original[sqltest.Village]}, absent: []string{newVillage}},
			{name: "short code", ctx: sqltest.System(),
				divs:    []healthcell.Division{{Code: "510824", Name: "苍溪县"}},
				wantErr: healthcell.EINVALID, wantField: "code", wantRow: 1},
			{name: "all-zero code", ctx: sqltest.System(),
				divs:    []healthcell.Division{{Code: "000000000000", Name: "无"}},
				wantErr: healthcell.EINVALID, wantField: "code", wantRow: 1},
			{name: "empty name", ctx: sqltest.System(),
				divs:    []healthcell.Division{{Code: newVillage, Name: " "}},
				wantErr: healthcell.EINVALID, wantField: "name", wantRow: 1, absent: []string{newVillage}},
			{name: "level disagrees with code", ctx: sqltest.System(),
				divs:    []healthcell.Division{{Code: newVillage, Name: "新村", Level: healthcell.LevelTownship}},
				wantErr: healthcell.EINVALID, wantField: "level", wantRow: 1, absent: []string{newVillage}},
			{name: "outside the county admin's scope", ctx: ctxCounty,
				divs:    []healthcell.Division{{Code: "510802100001", Name: "别县的村"}},
				wantErr: healthcell.EINVALID, wantField: "code", wantRow: 1, absent: []string{"510802100001"}},
			{name: "township admin: other township", ctx: townshipAdmin,
				divs:    []healthcell.Division{{Code: VillageT2, Name: "改名"}},
				wantErr: healthcell.EINVALID, wantField: "code", wantRow: 1, names: map[string]string{VillageT2: original[VillageT2]}},
			{name: "township officer may not load", ctx: ctxTownship,
				divs:    []healthcell.Division{{Code: sqltest.Village, Name: "改名"}},
				wantErr: healthcell.EFORBIDDEN, names: map[string]string{sqltest.Village: original[sqltest.Village]}},
			{name: "viewer may not load", ctx: ctxViewer,
				divs:    []healthcell.Division{{Code: sqltest.Village, Name: "改名"}},
				wantErr: healthcell.EFORBIDDEN, names: map[string]string{sqltest.Village: original[sqltest.Village]}},
			{name: "no actor", ctx: ctxNone,
				divs:    []healthcell.Division{{Code: sqltest.Village, Name: "改名"}},
				wantErr: healthcell.EUNAUTHORIZED, names: map[string]string{sqltest.Village: original[sqltest.Village]}},

			{name: "reload renames", ctx: sqltest.System(),
				divs:  []healthcell.Division{{Code: sqltest.Village, Name: "金穗社区（新）"}, {Code: sqltest.Township, Name: "陵江镇（新）"}},
				wantN: 2, names: map[string]string{sqltest.Village: "金穗社区（新）", sqltest.Township: "陵江镇（新）"}},
			{name: "county admin adds a village", ctx: ctxCounty,
				divs:  []healthcell.Division{{Code: newVillage, Name: "新村"}},
				wantN: 1, names: map[string]string{newVillage: "新村"}},
			{name: "township admin renames its village", ctx: townshipAdmin,
				divs:  []healthcell.Division{{Code: sqltest.Village2, Name: "红军路社区（新）"}},
				wantN: 1, names: map[string]string{sqltest.Village2: "红军路社区（新）"}},
			{name: "reloading the catalog restores names", ctx: sqltest.System(), divs: divs, wantN: 3,
				names: map[string]string{sqltest.Village: original[sqltest.Village], sqltest.Township: original[sqltest.Township],
					sqltest.Village2: original[sqltest.Village2], newVillage: "新村"}},
			{name: "loading the catalog again writes nothing", ctx: sqltest.System(), divs: divs, wantN: 0,
				names: map[string]string{sqltest.Village: original[sqltest.Village], newVillage: "新村"}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				before := auditCount(t, db)
				in := make([]healthcell.Division, len(tc.divs))
				copy(in, tc.divs)
				n, err := db.LoadDivisions(tc.ctx, in)
				wantCode(t, err, tc.wantErr)
				if tc.wantField != "" {
					fe := healthcell.ErrorFields(err)
					if len(fe) != 1 || fe[0].Field != tc.wantField || fe[0].Row != tc.wantRow {
						t.Errorf("fields %+v, want %s on row %d", fe, tc.wantField, tc.wantRow)
					}
				}
				after := auditCount(t, db)
				if tc.wantErr != "" {
					if n != 0 || after != before {
						t.Errorf("failed load returned %d, audit %d → %d", n, before, after)
					}
				} else {
					if n != tc.wantN {
						t.Errorf("loaded %d, want %d", n, tc.wantN)
					}
					if tc.wantN == 0 {
						if after != before {
							t.Errorf("a load that changed nothing wrote audit entries: %d → %d", before, after)
						}
					} else if e := lastAudit(t, db); after != before+1 || e.Action != "load" || e.Entity != "division" {
						t.Errorf("audit %d → %d, last %+v", before, after, e)
					}
				}
				for code, name := range tc.names {
					v, err := db.FindDivision(sqltest.System(), code)
					if err != nil {
						t.Errorf("find %s: %v", code, err)
						continue
					}
					if v.Name != name || v.Level != healthcell.CodeLevel(code) || v.Parent != healthcell.ParentCode(code) {
						t.Errorf("%s: %q level %d parent %s, want %q", code, v.Name, v.Level, v.Parent, name)
					}
				}
				for _, code := range tc.absent {
					_, err := db.FindDivision(sqltest.System(), code)
					wantCode(t, err, healthcell.ENOTFOUND)
				}
			})
		}
		// A loaded village is a child of its township and takes households.
		v, err := db.FindDivision(sqltest.System(), sqltest.Township)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, c := range v.Children {
			found = found || c.Code == newVillage
		}
		if !found {
			t.Errorf("new village %s not among the township's children", newVillage)
		}
		sqltest.Household(t, db, newVillage, "001")
		if c := counts(t, db, newVillage); c.Households != 1 {
			t.Errorf("new village counts %+v", c)
		}
	})
}

func TestFindVillages(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		divs := sqltest.LoadDivisions(t, db)
		under := func(code string) int {
			n := 0
			for _, d := range divs {
				if d.Level == healthcell.LevelVillage && healthcell.Covers(code, d.Code) {
					n++
				}
			}
			return n
		}
		cases := []struct {
			name    string
			ctx     context.Context
			code    string
			wantErr string
			want    int
		}{
			{name: "county as system", ctx: sqltest.System(), code: sqltest.County, want: under(sqltest.County)},
			{name: "township as its officer", ctx: ctxTownship, code: sqltest.Township, want: under(sqltest.Township)},
			{name: "own village as village officer", ctx: ctxVillageA, code: sqltest.Village, want: 1},
			{name: "county as township officer", ctx: ctxTownship, code: sqltest.County, wantErr: healthcell.ENOTFOUND},
			{name: "other township as township officer", ctx: ctxTownship, code: sqltest.Township2, wantErr: healthcell.ENOTFOUND},
			{name: "sibling village as village officer", ctx: ctxVillageA, code: sqltest.Village2, wantErr: healthcell.ENOTFOUND},
			{name: "no actor", ctx: ctxNone, code: sqltest.County, wantErr: healthcell.EUNAUTHORIZED},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				vs, err := db.FindVillages(tc.ctx, tc.code)
				wantCode(t, err, tc.wantErr)
				if len(vs) != tc.want {
					t.Errorf("%d villages, want %d", len(vs), tc.want)
				}
				for _, v := range vs {
					if v.Level != healthcell.LevelVillage || !healthcell.Covers(tc.code, v.Code) {
						t.Errorf("village %+v not under %s", v, tc.code)
					}
				}
			})
		}
	})
}

// TestCountsUnderConcurrentWrites checks that the live counts stay equal to
// the records when several officers write in the same villages at once.
func TestCountsUnderConcurrentWrites(t *testing.T) {
	const workers, each = 8, 6
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		sqltest.LoadDivisions(t, db)
		var seq atomic.Int64
		next := func() int { return int(seq.Add(1)) }
		// Households to move persons between, one in each village.
		hA := sqltest.Household(t, db, sqltest.Village, "base")
		hB := sqltest.Household(t, db, sqltest.Village2, "base")
		cases := []struct {
			name  string
			write func(worker, i int) error
		}{
			{name: "households in one village", write: func(worker, i int) error {
				return db.CreateHousehold(sqltest.System(), &healthcell.Household{Number: fmt.Sprintf("H%d", next()), VillageCode: sqltest.Village})
			}},
			{name: "persons in one household", write: func(worker, i int) error {
				n := next()
				return db.CreatePerson(sqltest.System(), &healthcell.Person{HouseholdID: hA.ID, Name: fmt.Sprintf("人%d", n),
					Sex: "M", BirthDate: "2000-01-01", Relation: "其他"})
			}},
			{name: "persons moving both ways between two villages", write: func(worker, i int) error {
				from, to := hA, hB
				if worker%2 == 1 {
					from, to = hB, hA
				}
				p := &healthcell.Person{HouseholdID: from.ID, Name: fmt.Sprintf("迁%d", next()), Sex: "F", BirthDate: "1990-01-01", Relation: "其他"}
				if err := db.CreatePerson(sqltest.System(), p); err != nil {
					return err
				}
				p.HouseholdID = to.ID
				return db.UpdatePerson(sqltest.System(), p)
			}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				var wg sync.WaitGroup
				errs := make(chan error, workers*each)
				for w := range workers {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for i := range each {
							if err := tc.write(w, i); err != nil {
								errs <- err
							}
						}
					}()
				}
				wg.Wait()
				close(errs)
				for err := range errs {
					t.Errorf("write: %v", err)
				}
				for _, v := range []string{sqltest.Village, sqltest.Village2} {
					_, hs, err := db.FindHouseholds(sqltest.System(), healthcell.HouseholdFilter{Division: v, Limit: 1})
					if err != nil {
						t.Fatal(err)
					}
					_, ps, err := db.FindPersons(sqltest.System(), healthcell.PersonFilter{Division: v, Limit: 1})
					if err != nil {
						t.Fatal(err)
					}
					if c := counts(t, db, v); c.Households != hs || c.Persons != ps {
						t.Errorf("%s: counts %+v, records: %d households, %d persons", v, c, hs, ps)
					}
				}
			})
		}
	})
}
