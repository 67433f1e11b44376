package sqlstore_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

func TestCreateHousehold(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db)
		cases := []struct {
			name      string
			ctx       context.Context
			h         healthcell.Household
			wantErr   string
			wantField []string
			want      healthcell.Household // Number, VillageCode, Group, Address after a success
		}{
			{name: "ok", ctx: sqltest.System(), h: healthcell.Household{Number: " N-001 ", VillageCode: sqltest.Village, Group: " 3组 ", Address: " 金穗路 1 号 "},
				want: healthcell.Household{Number: "N-001", VillageCode: sqltest.Village, Group: "3组", Address: "金穗路 1 号"}},
			{name: "same number in another village", ctx: sqltest.System(), h: healthcell.Household{Number: w.hA.Number, VillageCode: sqltest.Village2},
				want: healthcell.Household{Number: w.hA.Number, VillageCode: sqltest.Village2}},
			{name: "30-character number", ctx: sqltest.System(), h: healthcell.Household{Number: strings.Repeat("号", 30), VillageCode: VillageT2},
				want: healthcell.Household{Number: strings.Repeat("号", 30), VillageCode: VillageT2}},
			{name: "county admin", ctx: ctxCounty, h: healthcell.Household{Number: "N-002", VillageCode: VillageT2},
				want: healthcell.Household{Number: "N-002", VillageCode: VillageT2}},
			{name: "township officer in its village", ctx: ctxTownship, h: healthcell.Household{Number: "N-003", VillageCode: sqltest.Village2},
				want: healthcell.Household{Number: "N-003", VillageCode: sqltest.Village2}},
			{name: "village officer in its village", ctx: ctxVillageA, h: healthcell.Household{Number: "N-004", VillageCode: sqltest.Village},
				want: healthcell.Household{Number: "N-004", VillageCode: sqltest.Village}},

			{name: "empty number", ctx: sqltest.System(), h: healthcell.Household{Number: "", VillageCode: sqltest.Village},
				wantErr: healthcell.EINVALID, wantField: []string{"number"}},
			{name: "blank number", ctx: sqltest.System(), h: healthcell.Household{Number: "   ", VillageCode: sqltest.Village},
				wantErr: healthcell.EINVALID, wantField: []string{"number"}},
			{name: "31-character number", ctx: sqltest.System(), h: healthcell.Household{Number: strings.Repeat("号", 31), VillageCode: sqltest.Village},
				wantErr: healthcell.EINVALID, wantField: []string{"number"}},
			{name: "duplicate number in the village", ctx: sqltest.System(), h: healthcell.Household{Number: w.hA.Number, VillageCode: sqltest.Village},
				wantErr: healthcell.EINVALID, wantField: []string{"number"}},
			{name: "duplicate number after trimming", ctx: sqltest.System(), h: healthcell.Household{Number: " " + w.hA.Number + " ", VillageCode: sqltest.Village},
				wantErr: healthcell.EINVALID, wantField: []string{"number"}},
			{name: "empty village", ctx: sqltest.System(), h: healthcell.Household{Number: "X-1"},
				wantErr: healthcell.EINVALID, wantField: []string{"village_code"}},
			{name: "township code as village", ctx: sqltest.System(), h: healthcell.Household{Number: "X-1", VillageCode: sqltest.Township},
				wantErr: healthcell.EINVALID, wantField: []string{"village_code"}},
			{name: "malformed village code", ctx: sqltest.System(), h: healthcell.Household{Number: "X-1", VillageCode: "51082410000A"},
				wantErr: healthcell.EINVALID, wantField: []string{"village_code"}},
			{name: "short village code", ctx: sqltest.System(), h: healthcell.Household{Number: "X-1", VillageCode: "510824100"},
				wantErr: healthcell.EINVALID, wantField: []string{"village_code"}},
			{name: "village not loaded", ctx: sqltest.System(), h: healthcell.Household{Number: "X-1", VillageCode: UnknownVillage},
				wantErr: healthcell.EINVALID, wantField: []string{"village_code"}},
			{name: "empty number and bad village", ctx: sqltest.System(), h: healthcell.Household{VillageCode: "1"},
				wantErr: healthcell.EINVALID, wantField: []string{"number", "village_code"}},
			{name: "31-character group", ctx: sqltest.System(), h: healthcell.Household{Number: "X-1", VillageCode: sqltest.Village, Group: strings.Repeat("组", 31)},
				wantErr: healthcell.EINVALID, wantField: []string{"group"}},
			{name: "201-character address", ctx: sqltest.System(), h: healthcell.Household{Number: "X-1", VillageCode: sqltest.Village, Address: strings.Repeat("路", 201)},
				wantErr: healthcell.EINVALID, wantField: []string{"address"}},
			{name: "village officer in another village", ctx: ctxVillageA, h: healthcell.Household{Number: "X-1", VillageCode: sqltest.Village2},
				wantErr: healthcell.EINVALID, wantField: []string{"village_code"}},
			{name: "no actor", ctx: ctxNone, h: healthcell.Household{Number: "X-1", VillageCode: sqltest.Village},
				wantErr: healthcell.EUNAUTHORIZED},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				snap := takeSnapshot(t, db)
				village := tc.h.VillageCode
				var before healthcell.DivisionCounts
				if healthcell.CodeLevel(village) == healthcell.LevelVillage && village != UnknownVillage {
					before = counts(t, db, village)
				}
				h := tc.h
				err := db.CreateHousehold(tc.ctx, &h)
				wantCode(t, err, tc.wantErr)
				if tc.wantErr != "" {
					if tc.wantField != nil {
						wantInvalid(t, err, tc.wantField...)
					}
					snap.unchanged(t, db)
					return
				}
				if h.ID == 0 || h.Version != 1 || !h.Active || h.CreatedAt.IsZero() {
					t.Errorf("returned %+v", h)
				}
				got := mustHousehold(t, db, h.ID)
				if got.Number != tc.want.Number || got.VillageCode != tc.want.VillageCode || got.Group != tc.want.Group ||
					got.Address != tc.want.Address || got.Version != 1 || !got.Active || got.Members != 0 || got.HeadID != 0 {
					t.Errorf("stored %+v, want %+v", got, tc.want)
				}
				if !got.CreatedAt.Equal(sqltest.Now) || !got.UpdatedAt.Equal(sqltest.Now) {
					t.Errorf("times %v %v, want %v", got.CreatedAt, got.UpdatedAt, sqltest.Now)
				}
				if c := counts(t, db, village); c.Households != before.Households+1 {
					t.Errorf("village households %d, want %d", c.Households, before.Households+1)
				}
				e := lastAudit(t, db)
				var after healthcell.Household
				if e.Action != "create" || e.Entity != "household" || e.EntityID != fmt.Sprint(h.ID) || e.Division != village ||
					e.Before != "" || json.Unmarshal([]byte(e.After), &after) != nil || after.Number != tc.want.Number {
					t.Errorf("audit %+v", e)
				}
			})
		}
	})
}

func TestUpdateHousehold(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db)
		seq := 0
		cases := []struct {
			name      string
			ctx       context.Context
			setup     func(t *testing.T, h *healthcell.Household) // before the update, as the system
			edit      func(h *healthcell.Household)
			wantErr   string
			wantField []string
			stale     bool // send the version the household had before setup
			check     func(t *testing.T, h *healthcell.Household)
		}{
			{name: "group and address", ctx: sqltest.System(),
				edit: func(h *healthcell.Household) { h.Group, h.Address = "5组", "新地址" },
				check: func(t *testing.T, h *healthcell.Household) {
					if h.Group != "5组" || h.Address != "新地址" || h.Version != 2 {
						t.Errorf("got %+v", h)
					}
				}},
			{name: "renumber", ctx: ctxVillageA,
				edit: func(h *healthcell.Household) { h.Number = " R-" + h.Number + " " },
				check: func(t *testing.T, h *healthcell.Household) {
					if !strings.HasPrefix(h.Number, "R-") || h.Version != 2 {
						t.Errorf("got %+v", h)
					}
				}},
			{name: "keeps its own number", ctx: sqltest.System(),
				edit: func(h *healthcell.Household) { h.Address = "同号" },
				check: func(t *testing.T, h *healthcell.Household) {
					if h.Address != "同号" || h.Version != 2 {
						t.Errorf("got %+v", h)
					}
				}},
			{name: "twice in a row", ctx: sqltest.System(),
				setup: func(t *testing.T, h *healthcell.Household) {
					h.Address = "一"
					wantCode(t, db.UpdateHousehold(sqltest.System(), h), "")
				},
				edit: func(h *healthcell.Household) { h.Address = "二" },
				check: func(t *testing.T, h *healthcell.Household) {
					if h.Address != "二" || h.Version != 3 {
						t.Errorf("got %+v", h)
					}
				}},
			{name: "stale version", ctx: sqltest.System(),
				setup: func(t *testing.T, h *healthcell.Household) {
					c := *h
					c.Address = "先到"
					wantCode(t, db.UpdateHousehold(sqltest.System(), &c), "")
				},
				edit:  func(h *healthcell.Household) { h.Address = "后到" },
				stale: true, wantErr: healthcell.ECONFLICT},
			{name: "future version", ctx: sqltest.System(),
				edit:    func(h *healthcell.Household) { h.Address = "后到"; h.Version = 7 },
				wantErr: healthcell.ECONFLICT},
			{name: "empty number", ctx: sqltest.System(),
				edit:    func(h *healthcell.Household) { h.Number = "" },
				wantErr: healthcell.EINVALID, wantField: []string{"number"}},
			{name: "number taken in the village", ctx: sqltest.System(),
				edit:    func(h *healthcell.Household) { h.Number = w.hA.Number },
				wantErr: healthcell.EINVALID, wantField: []string{"number"}},
			{name: "number taken in the target village", ctx: sqltest.System(),
				edit:    func(h *healthcell.Household) { h.Number, h.VillageCode = w.hB.Number, sqltest.Village2 },
				wantErr: healthcell.EINVALID, wantField: []string{"number"}},
			{name: "unknown village", ctx: sqltest.System(),
				edit:    func(h *healthcell.Household) { h.VillageCode = UnknownVillage },
				wantErr: healthcell.EINVALID, wantField: []string{"village_code"}},
			{name: "township as village", ctx: sqltest.System(),
				edit:    func(h *healthcell.Household) { h.VillageCode = sqltest.Township },
				wantErr: healthcell.EINVALID, wantField: []string{"village_code"}},
			{name: "no such household", ctx: sqltest.System(),
				edit:    func(h *healthcell.Household) { h.ID = 1 << 40 },
				wantErr: healthcell.ENOTFOUND},
			{name: "no actor", ctx: ctxNone,
				edit:    func(h *healthcell.Household) { h.Address = "x" },
				wantErr: healthcell.EUNAUTHORIZED},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				seq++
				h := sqltest.Household(t, db, sqltest.Village, fmt.Sprintf("U-%03d", seq))
				sqltest.Person(t, db, h, "户主", sqltest.ID(t, "1970-01-01", seq), "户主")
				if tc.setup != nil {
					tc.setup(t, h)
				}
				h = mustHousehold(t, db, h.ID)
				if tc.stale {
					h.Version = 1
				}
				snap := takeSnapshot(t, db)
				in := *h
				tc.edit(&in)
				err := db.UpdateHousehold(tc.ctx, &in)
				wantCode(t, err, tc.wantErr)
				if tc.wantErr != "" {
					if tc.wantField != nil {
						wantInvalid(t, err, tc.wantField...)
					}
					snap.unchanged(t, db)
					return
				}
				got := mustHousehold(t, db, h.ID)
				if !sameHousehold(*got, in) {
					t.Errorf("returned %+v, stored %+v", in, got)
				}
				if got.Members != 1 || got.HeadName != "户主" || !got.UpdatedAt.Equal(sqltest.Now) {
					t.Errorf("stored %+v", got)
				}
				tc.check(t, got)
				e := lastAudit(t, db)
				var b, a healthcell.Household
				if e.Action != "update" || e.Entity != "household" || e.EntityID != fmt.Sprint(h.ID) ||
					json.Unmarshal([]byte(e.Before), &b) != nil || json.Unmarshal([]byte(e.After), &a) != nil ||
					b.Version != got.Version-1 || a.Version != got.Version || a.Address != got.Address {
					t.Errorf("audit %+v", e)
				}
			})
		}
	})
}

func TestMoveHousehold(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		sqltest.LoadDivisions(t, db)
		cases := []struct {
			name   string
			ctx    context.Context
			to     string
			dead   bool // one member is deceased
			number string
		}{
			{name: "to a village of the same township", ctx: ctxTownship, to: sqltest.Village2, number: "M-1"},
			{name: "to a village of another township", ctx: ctxCounty, to: VillageT2, number: "M-2"},
			{name: "with a deceased member", ctx: sqltest.System(), to: VillageT2, dead: true, number: "M-3"},
		}
		for i, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				from := sqltest.Village
				h := sqltest.Household(t, db, from, tc.number)
				p1 := sqltest.Person(t, db, h, "甲", sqltest.ID(t, "1950-01-01", 10*i+1), "户主")
				p2 := sqltest.Person(t, db, h, "乙", sqltest.ID(t, "1951-01-01", 10*i+2), "配偶")
				p3 := sqltest.Person(t, db, h, "丙", sqltest.ID(t, "1980-01-01", 10*i+3), "子")
				if tc.dead {
					if _, err := db.SetPersonStatus(sqltest.System(), p3.ID, p3.Version, healthcell.StatusDeceased, "2020-01-01"); err != nil {
						t.Fatal(err)
					}
				}
				live := 3
				if tc.dead {
					live = 2
				}
				other := sqltest.Household(t, db, from, tc.number+"-stay")
				stay := sqltest.Person(t, db, other, "留", sqltest.ID(t, "1960-01-01", 10*i+4), "户主")
				fromT, toT := healthcell.ParentCode(from), healthcell.ParentCode(tc.to)
				cFrom, cTo, cFromT, cToT, cCounty := counts(t, db, from), counts(t, db, tc.to), counts(t, db, fromT), counts(t, db, toT), counts(t, db, sqltest.County)

				h = mustHousehold(t, db, h.ID)
				h.VillageCode = tc.to
				if err := db.UpdateHousehold(tc.ctx, h); err != nil {
					t.Fatal(err)
				}
				if h.VillageCode != tc.to || h.Members != live || h.HeadID != p1.ID {
					t.Errorf("returned %+v", h)
				}
				for _, p := range []*healthcell.Person{p1, p2, p3} {
					got := mustPerson(t, db, p.ID)
					if got.VillageCode != tc.to || got.HouseholdID != h.ID || got.Version <= p.Version {
						t.Errorf("member %s: village %s household %d version %d", got.Name, got.VillageCode, got.HouseholdID, got.Version)
					}
				}
				if got := mustPerson(t, db, stay.ID); got.VillageCode != from || got.Version != stay.Version {
					t.Errorf("person of another household moved: %+v", got)
				}
				want := func(code string, c healthcell.DivisionCounts, dh, dp int) {
					t.Helper()
					if got := counts(t, db, code); got.Households != c.Households+dh || got.Persons != c.Persons+dp {
						t.Errorf("%s: counts %+v, want %+v%+d%+d", code, got, c, dh, dp)
					}
				}
				want(from, cFrom, -1, -live)
				want(tc.to, cTo, +1, +live)
				if fromT != toT {
					want(fromT, cFromT, -1, -live)
					want(toT, cToT, +1, +live)
				}
				want(sqltest.County, cCounty, 0, 0)
				// Members and FindPersons follow the household.
				ps, n, err := db.FindPersons(sqltest.System(), healthcell.PersonFilter{Division: tc.to, Inactive: true})
				if err != nil {
					t.Fatal(err)
				}
				found := 0
				for _, p := range ps {
					if p.HouseholdID == h.ID {
						found++
					}
				}
				if found != 3 || n < 3 {
					t.Errorf("%d members found under %s (total %d)", found, tc.to, n)
				}
				e := lastAudit(t, db)
				if e.Action != "update" || e.Entity != "household" || e.Division != tc.to ||
					!strings.Contains(e.Before, from) || !strings.Contains(e.After, tc.to) {
					t.Errorf("audit %+v", e)
				}
			})
		}
	})
}

func TestFindHouseholds(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db)
		cases := []struct {
			name    string
			ctx     context.Context
			f       healthcell.HouseholdFilter
			wantErr string
			want    []int64
			total   int
		}{
			{name: "county", ctx: sqltest.System(), f: healthcell.HouseholdFilter{Division: sqltest.County},
				want: []int64{w.hA.ID, w.hA2.ID, w.hB.ID, w.hC.ID}, total: 4},
			{name: "township", ctx: sqltest.System(), f: healthcell.HouseholdFilter{Division: sqltest.Township},
				want: []int64{w.hA.ID, w.hA2.ID, w.hB.ID}, total: 3},
			{name: "village", ctx: sqltest.System(), f: healthcell.HouseholdFilter{Division: sqltest.Village},
				want: []int64{w.hA.ID, w.hA2.ID}, total: 2},
			{name: "page", ctx: sqltest.System(), f: healthcell.HouseholdFilter{Division: sqltest.County, Limit: 2, Offset: 1},
				want: []int64{w.hA2.ID, w.hB.ID}, total: 4},
			{name: "township officer, default scope", ctx: ctxTownship,
				want: []int64{w.hA.ID, w.hA2.ID, w.hB.ID}, total: 3},
			{name: "viewer", ctx: ctxViewer, f: healthcell.HouseholdFilter{Division: sqltest.Township2},
				want: []int64{w.hC.ID}, total: 1},
			{name: "village officer, other village", ctx: ctxVillageA, f: healthcell.HouseholdFilter{Division: sqltest.Village2},
				wantErr: healthcell.ENOTFOUND},
			{name: "township officer, county", ctx: ctxTownship, f: healthcell.HouseholdFilter{Division: sqltest.County},
				wantErr: healthcell.ENOTFOUND},
			{name: "unit", ctx: ctxUnit, wantErr: healthcell.ENOTFOUND},
			{name: "no actor", ctx: ctxNone, f: healthcell.HouseholdFilter{Division: sqltest.County}, wantErr: healthcell.EUNAUTHORIZED},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				hs, total, err := db.FindHouseholds(tc.ctx, tc.f)
				wantCode(t, err, tc.wantErr)
				var got []int64
				for _, h := range hs {
					got = append(got, h.ID)
				}
				if fmt.Sprint(got) != fmt.Sprint(tc.want) || total != tc.total {
					t.Errorf("got %v total %d, want %v total %d", got, total, tc.want, tc.total)
				}
			})
		}
		// Members and head are filled on reads.
		h := mustHousehold(t, db, w.hA.ID)
		if h.Members != 2 || h.HeadID != w.pA.ID || h.HeadName != "张三" {
			t.Errorf("household A: %+v", h)
		}
	})
}
