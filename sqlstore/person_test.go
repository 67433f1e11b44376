package sqlstore_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/idcard"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// idWithX returns a valid ID number born on birth whose check character is X.
func idWithX(t testing.TB, birth string) string {
	t.Helper()
	for seq := 0; seq < 1000; seq++ {
		if id := sqltest.ID(t, birth, seq); id[17] == 'X' {
			return id
		}
	}
	t.Fatal("no ID number with X")
	return ""
}

func TestCreatePerson(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db)
		dead := sqltest.Person(t, db, w.hC, "故人", sqltest.ID(t, "1930-01-01", 7), "父亲")
		if _, err := db.SetPersonStatus(sqltest.System(), dead.ID, dead.Version, healthcell.StatusDeceased, "2020-01-01"); err != nil {
			t.Fatal(err)
		}
		idX := idWithX(t, "1988-08-08")
		future := idcard.Generate("510824", sqltest.Now.AddDate(0, 0, 1), 21)
		headless := sqltest.Household(t, db, VillageT2, "C-002")

		cases := []struct {
			name      string
			ctx       context.Context
			p         healthcell.Person
			wantErr   string
			wantField []string
			want      healthcell.Person // IDNumber, BirthDate, Sex, VillageCode, Status after a success
			head      bool              // p becomes the head of its household
			// idReason is the message on id_number. An ID number that fails
			// yields no birth date or sex, so those are reported as well.
			idReason string
		}{
			{name: "birth date and sex from a male ID", ctx: sqltest.System(),
				p:    healthcell.Person{HouseholdID: w.hA2.ID, Name: " 钱一 ", IDNumber: sqltest.ID(t, "1985-03-07", 123), Relation: "子", Phone: " 13900001111 "},
				want: healthcell.Person{IDNumber: sqltest.ID(t, "1985-03-07", 123), BirthDate: "1985-03-07", Sex: "M", VillageCode: sqltest.Village, Status: healthcell.StatusActive}},
			{name: "birth date and sex from a female ID", ctx: sqltest.System(),
				p:    healthcell.Person{HouseholdID: w.hB.ID, Name: "钱二", IDNumber: sqltest.ID(t, "2001-12-31", 124), Relation: "女"},
				want: healthcell.Person{IDNumber: sqltest.ID(t, "2001-12-31", 124), BirthDate: "2001-12-31", Sex: "F", VillageCode: sqltest.Village2, Status: healthcell.StatusActive}},
			{name: "lowercase x and spaces normalised", ctx: sqltest.System(),
				p:    healthcell.Person{HouseholdID: w.hC.ID, Name: "钱三", IDNumber: " " + strings.ToLower(idX) + " "},
				want: healthcell.Person{IDNumber: idX, BirthDate: "1988-08-08", Sex: idcardSex(idX), VillageCode: VillageT2, Status: healthcell.StatusActive}},
			{name: "agreeing birth date and sex given", ctx: sqltest.System(),
				p:    healthcell.Person{HouseholdID: w.hA2.ID, Name: "钱四", IDNumber: sqltest.ID(t, "1966-06-06", 125), BirthDate: "1966-06-06", Sex: "M"},
				want: healthcell.Person{IDNumber: sqltest.ID(t, "1966-06-06", 125), BirthDate: "1966-06-06", Sex: "M", VillageCode: sqltest.Village, Status: healthcell.StatusActive}},
			{name: "born today", ctx: sqltest.System(),
				p:    healthcell.Person{HouseholdID: w.hA2.ID, Name: "钱五", IDNumber: sqltest.ID(t, sqltest.Now.Format("2006-01-02"), 126)},
				want: healthcell.Person{IDNumber: sqltest.ID(t, sqltest.Now.Format("2006-01-02"), 126), BirthDate: "2025-06-15", Sex: "F", VillageCode: sqltest.Village, Status: healthcell.StatusActive}},
			{name: "no ID number, birth date and sex given", ctx: sqltest.System(),
				p:    healthcell.Person{HouseholdID: w.hA2.ID, Name: "钱六", BirthDate: "2019-02-28", Sex: "F"},
				want: healthcell.Person{BirthDate: "2019-02-28", Sex: "F", VillageCode: sqltest.Village, Status: healthcell.StatusActive}},
			{name: "30-character name", ctx: sqltest.System(),
				p:    healthcell.Person{HouseholdID: w.hA2.ID, Name: strings.Repeat("名", 30), BirthDate: "2019-02-28", Sex: "M"},
				want: healthcell.Person{BirthDate: "2019-02-28", Sex: "M", VillageCode: sqltest.Village, Status: healthcell.StatusActive}},
			{name: "head becomes the household's head", ctx: ctxTownship2,
				p:    healthcell.Person{HouseholdID: headless.ID, Name: "孙户主", IDNumber: sqltest.ID(t, "1955-05-05", 127), Relation: "户主"},
				want: healthcell.Person{IDNumber: sqltest.ID(t, "1955-05-05", 127), BirthDate: "1955-05-05", Sex: "M", VillageCode: VillageT2, Status: healthcell.StatusActive},
				head: true},
			{name: "village officer in its village", ctx: ctxVillageA,
				p:    healthcell.Person{HouseholdID: w.hA.ID, Name: "钱七", IDNumber: sqltest.ID(t, "2010-10-10", 128), Relation: "孙子"},
				want: healthcell.Person{IDNumber: sqltest.ID(t, "2010-10-10", 128), BirthDate: "2010-10-10", Sex: "F", VillageCode: sqltest.Village, Status: healthcell.StatusActive}},

			{name: "bad check character", ctx: sqltest.System(),
				p:       healthcell.Person{HouseholdID: w.hA.ID, Name: "错", IDNumber: sqltest.BadCheck(sqltest.ID(t, "1985-03-07", 201))},
				wantErr: healthcell.EINVALID, wantField: []string{"id_number"}, idReason: "idcard.check"},
			{name: "17-digit ID number", ctx: sqltest.System(),
				p:       healthcell.Person{HouseholdID: w.hA.ID, Name: "错", IDNumber: sqltest.ID(t, "1985-03-07", 201)[:17]},
				wantErr: healthcell.EINVALID, wantField: []string{"id_number"}, idReason: "idcard.length"},
			{name: "ID number born tomorrow", ctx: sqltest.System(),
				p:       healthcell.Person{HouseholdID: w.hA.ID, Name: "错", IDNumber: future},
				wantErr: healthcell.EINVALID, wantField: []string{"id_number"}, idReason: "idcard.date"},
			{name: "future birth date", ctx: sqltest.System(),
				p:       healthcell.Person{HouseholdID: w.hA.ID, Name: "错", BirthDate: "2025-06-16", Sex: "M"},
				wantErr: healthcell.EINVALID, wantField: []string{"birth_date"}},
			{name: "impossible birth date", ctx: sqltest.System(),
				p:       healthcell.Person{HouseholdID: w.hA.ID, Name: "错", BirthDate: "2019-02-29", Sex: "M"},
				wantErr: healthcell.EINVALID, wantField: []string{"birth_date"}},
			{name: "birth date before 1880", ctx: sqltest.System(),
				p:       healthcell.Person{HouseholdID: w.hA.ID, Name: "错", BirthDate: "1879-12-31", Sex: "M"},
				wantErr: healthcell.EINVALID, wantField: []string{"birth_date"}},
			{name: "no birth date and no sex", ctx: sqltest.System(),
				p:       healthcell.Person{HouseholdID: w.hA.ID, Name: "错"},
				wantErr: healthcell.EINVALID, wantField: []string{"birth_date", "sex"}},
			{name: "empty name", ctx: sqltest.System(),
				p:       healthcell.Person{HouseholdID: w.hA.ID, Name: "", IDNumber: sqltest.ID(t, "1985-03-07", 201)},
				wantErr: healthcell.EINVALID, wantField: []string{"name"}},
			{name: "blank name", ctx: sqltest.System(),
				p:       healthcell.Person{HouseholdID: w.hA.ID, Name: "  ", IDNumber: sqltest.ID(t, "1985-03-07", 201)},
				wantErr: healthcell.EINVALID, wantField: []string{"name"}},
			{name: "31-character name", ctx: sqltest.System(),
				p:       healthcell.Person{HouseholdID: w.hA.ID, Name: strings.Repeat("名", 31), IDNumber: sqltest.ID(t, "1985-03-07", 201)},
				wantErr: healthcell.EINVALID, wantField: []string{"name"}},
			{name: "sex disagrees with ID number", ctx: sqltest.System(),
				p:       healthcell.Person{HouseholdID: w.hA.ID, Name: "错", IDNumber: sqltest.ID(t, "1985-03-07", 201), Sex: "F"},
				wantErr: healthcell.EINVALID, wantField: []string{"sex"}},
			{name: "birth date disagrees with ID number", ctx: sqltest.System(),
				p:       healthcell.Person{HouseholdID: w.hA.ID, Name: "错", IDNumber: sqltest.ID(t, "1985-03-07", 201), BirthDate: "1985-03-08"},
				wantErr: healthcell.EINVALID, wantField: []string{"birth_date"}},
			{name: "unknown sex", ctx: sqltest.System(),
				p:       healthcell.Person{HouseholdID: w.hA.ID, Name: "错", BirthDate: "1985-03-08", Sex: "X"},
				wantErr: healthcell.EINVALID, wantField: []string{"sex"}},
			{name: "bad phone", ctx: sqltest.System(),
				p:       healthcell.Person{HouseholdID: w.hA.ID, Name: "错", IDNumber: sqltest.ID(t, "1985-03-07", 201), Phone: "12345"},
				wantErr: healthcell.EINVALID, wantField: []string{"phone"}},
			{name: "unknown relation", ctx: sqltest.System(),
				p:       healthcell.Person{HouseholdID: w.hA.ID, Name: "错", IDNumber: sqltest.ID(t, "1985-03-07", 201), Relation: "邻居"},
				wantErr: healthcell.EINVALID, wantField: []string{"relation"}},
			{name: "unknown status", ctx: sqltest.System(),
				p:       healthcell.Person{HouseholdID: w.hA.ID, Name: "错", IDNumber: sqltest.ID(t, "1985-03-07", 201), Status: "gone"},
				wantErr: healthcell.EINVALID, wantField: []string{"status"}},
			{name: "no household", ctx: sqltest.System(),
				p:       healthcell.Person{Name: "错", IDNumber: sqltest.ID(t, "1985-03-07", 201)},
				wantErr: healthcell.EINVALID, wantField: []string{"household_id"}},
			{name: "unknown household", ctx: sqltest.System(),
				p:       healthcell.Person{HouseholdID: 1 << 40, Name: "错", IDNumber: sqltest.ID(t, "1985-03-07", 201)},
				wantErr: healthcell.EINVALID, wantField: []string{"household_id"}},
			{name: "several faults at once", ctx: sqltest.System(),
				p:       healthcell.Person{Name: "", IDNumber: sqltest.BadCheck(sqltest.ID(t, "1985-03-07", 201)), Phone: "1", Relation: "?"},
				wantErr: healthcell.EINVALID, wantField: []string{"name", "id_number", "phone", "relation", "household_id"}},
			{name: "duplicate ID in the same household", ctx: sqltest.System(),
				p:       healthcell.Person{HouseholdID: w.hA.ID, Name: "重", IDNumber: w.pA2.IDNumber},
				wantErr: healthcell.EINVALID, wantField: []string{"id_number"}},
			{name: "duplicate ID in another township", ctx: sqltest.System(),
				p:       healthcell.Person{HouseholdID: w.hC.ID, Name: "重", IDNumber: w.pA.IDNumber},
				wantErr: healthcell.EINVALID, wantField: []string{"id_number"}},
			{name: "duplicate ID with lowercase x", ctx: sqltest.System(),
				p:       healthcell.Person{HouseholdID: w.hC.ID, Name: "重", IDNumber: strings.ToLower(PersonAID)},
				wantErr: healthcell.EINVALID, wantField: []string{"id_number"}},
			{name: "duplicate ID of a deceased person", ctx: sqltest.System(),
				p:       healthcell.Person{HouseholdID: w.hA.ID, Name: "重", IDNumber: dead.IDNumber},
				wantErr: healthcell.EINVALID, wantField: []string{"id_number"}},
			// A number held outside the caller's village is stored as a
			// claim with a free number's answer: TestIDNumberClaim.
			{name: "no actor", ctx: ctxNone,
				p:       healthcell.Person{HouseholdID: w.hA.ID, Name: "无", IDNumber: sqltest.ID(t, "1985-03-07", 201)},
				wantErr: healthcell.EUNAUTHORIZED},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				snap := takeSnapshot(t, db)
				p := tc.p
				err := db.CreatePerson(tc.ctx, &p)
				wantCode(t, err, tc.wantErr)
				if tc.wantErr != "" {
					if tc.wantField != nil {
						wantInvalid(t, err, tc.wantField...)
					}
					if m := fieldMessage(err, "id_number"); tc.idReason != "" && m != tc.idReason {
						t.Errorf("id_number message %q, want %q", m, tc.idReason)
					}
					snap.unchanged(t, db)
					return
				}
				got := mustPerson(t, db, p.ID)
				if p.ID == 0 || p.Version != 1 || got.Version != 1 || !got.CreatedAt.Equal(sqltest.Now) {
					t.Errorf("returned %+v, stored %+v", p, got)
				}
				if !samePerson(*got, p) {
					t.Errorf("returned %+v\nstored %+v", p, *got)
				}
				if got.Name != strings.TrimSpace(tc.p.Name) || got.Phone != strings.TrimSpace(tc.p.Phone) ||
					got.IDNumber != tc.want.IDNumber || got.BirthDate != tc.want.BirthDate || got.Sex != tc.want.Sex ||
					got.VillageCode != tc.want.VillageCode || got.Status != tc.want.Status || got.HouseholdID != tc.p.HouseholdID || got.Masked {
					t.Errorf("stored %+v, want %+v", got, tc.want)
				}
				if c := counts(t, db, sqltest.County); c.Persons != snap.county.Persons+1 || c.Households != snap.county.Households {
					t.Errorf("county counts %+v, were %+v", c, snap.county)
				}
				h := mustHousehold(t, db, p.HouseholdID)
				if tc.head && (h.HeadID != p.ID || h.HeadName != p.Name) {
					t.Errorf("household head %d %q, want %d %q", h.HeadID, h.HeadName, p.ID, p.Name)
				}
				if !tc.head && h.HeadID == p.ID {
					t.Errorf("%s became head", p.Name)
				}
				e := lastAudit(t, db)
				var after healthcell.Person
				if e.Action != "create" || e.Entity != "person" || e.EntityID != fmt.Sprint(p.ID) || e.Division != got.VillageCode ||
					e.Before != "" || json.Unmarshal([]byte(e.After), &after) != nil || after.IDNumber != got.IDNumber || after.Name != got.Name {
					t.Errorf("audit %+v", e)
				}
			})
		}
	})
}

func idcardSex(id string) string {
	p, err := idcard.Parse(id, sqltest.Now)
	if err != nil {
		return "?"
	}
	return p.Sex()
}

// personEnv is what each update case starts from: household h in village A
// with its head and person p (a son), an empty household dest in the same
// village and an empty household far in township 2.
type personEnv struct {
	h, dest, far *healthcell.Household
	head, p      *healthcell.Person
}

func newPersonEnv(t *testing.T, db *sqlstore.DB, i int) *personEnv {
	t.Helper()
	e := &personEnv{}
	e.h = sqltest.Household(t, db, sqltest.Village, fmt.Sprintf("E%03d", i))
	e.dest = sqltest.Household(t, db, sqltest.Village, fmt.Sprintf("E%03d-dest", i))
	e.far = sqltest.Household(t, db, VillageT2, fmt.Sprintf("E%03d-far", i))
	e.head = sqltest.Person(t, db, e.h, fmt.Sprintf("户主%d", i), sqltest.ID(t, "1960-01-01", 2*i+1), "户主")
	e.p = sqltest.Person(t, db, e.h, fmt.Sprintf("儿子%d", i), sqltest.ID(t, "1990-01-01", 2*i+1), "子")
	return e
}

func TestUpdatePerson(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db)
		cases := []struct {
			name      string
			ctx       context.Context
			edit      func(e *personEnv) healthcell.Person // the person to save
			wantErr   string
			wantField []string
			action    string // audit action of a success
			check     func(t *testing.T, e *personEnv, got *healthcell.Person)
		}{
			{name: "name and phone", ctx: sqltest.System(), action: "update",
				edit: func(e *personEnv) healthcell.Person {
					p := *e.p
					p.Name, p.Phone = "新名", "13700002222"
					return p
				},
				check: func(t *testing.T, e *personEnv, got *healthcell.Person) {
					if got.Name != "新名" || got.Phone != "13700002222" || got.Version != 2 || got.IDNumber != e.p.IDNumber {
						t.Errorf("got %+v", got)
					}
				}},
			{name: "by village officer", ctx: ctxVillageA, action: "update",
				edit: func(e *personEnv) healthcell.Person {
					p := *e.p
					p.Resident = false
					return p
				},
				check: func(t *testing.T, e *personEnv, got *healthcell.Person) {
					if got.Resident || !got.Registered || got.Version != 2 {
						t.Errorf("got %+v", got)
					}
				}},
			{name: "new ID number re-derives birth date and sex", ctx: sqltest.System(), action: "update",
				edit: func(e *personEnv) healthcell.Person {
					p := *e.p
					p.IDNumber, p.BirthDate, p.Sex = sqltest.ID(t, "1991-02-03", 600+int(e.p.ID%300)), "", ""
					return p
				},
				check: func(t *testing.T, e *personEnv, got *healthcell.Person) {
					if got.BirthDate != "1991-02-03" || got.Sex != idcardSex(got.IDNumber) || got.IDNumber == e.p.IDNumber {
						t.Errorf("got %+v", got)
					}
				}},
			{name: "clear ID number", ctx: sqltest.System(), action: "update",
				edit: func(e *personEnv) healthcell.Person {
					p := *e.p
					p.IDNumber = ""
					return p
				},
				check: func(t *testing.T, e *personEnv, got *healthcell.Person) {
					if got.IDNumber != "" || got.BirthDate != e.p.BirthDate || got.Sex != e.p.Sex {
						t.Errorf("got %+v", got)
					}
				}},
			{name: "relation 户主 makes the person head", ctx: sqltest.System(), action: "update",
				edit: func(e *personEnv) healthcell.Person {
					p := *e.p
					p.Relation = "户主"
					return p
				},
				check: func(t *testing.T, e *personEnv, got *healthcell.Person) {
					if h := mustHousehold(t, db, e.h.ID); h.HeadID != got.ID || h.HeadName != got.Name {
						t.Errorf("household %+v", h)
					}
				}},
			{name: "head who is no longer 户主 leaves the household headless", ctx: sqltest.System(), action: "update",
				edit: func(e *personEnv) healthcell.Person {
					p := *e.head
					p.Relation = "父亲"
					return p
				},
				check: func(t *testing.T, e *personEnv, got *healthcell.Person) {
					if h := mustHousehold(t, db, e.h.ID); h.HeadID != 0 || h.HeadName != "" {
						t.Errorf("household %+v", h)
					}
				}},
			{name: "move within the village", ctx: ctxVillageA, action: "move",
				edit: func(e *personEnv) healthcell.Person {
					p := *e.p
					p.HouseholdID = e.dest.ID
					return p
				},
				check: func(t *testing.T, e *personEnv, got *healthcell.Person) {
					if got.HouseholdID != e.dest.ID || got.VillageCode != sqltest.Village {
						t.Errorf("got %+v", got)
					}
					if h := mustHousehold(t, db, e.h.ID); h.Members != 1 {
						t.Errorf("old household members %d", h.Members)
					}
					if h := mustHousehold(t, db, e.dest.ID); h.Members != 1 {
						t.Errorf("new household members %d", h.Members)
					}
				}},
			{name: "move to another township", ctx: ctxCounty, action: "move",
				edit: func(e *personEnv) healthcell.Person {
					p := *e.p
					p.HouseholdID = e.far.ID
					return p
				},
				check: func(t *testing.T, e *personEnv, got *healthcell.Person) {
					if got.HouseholdID != e.far.ID || got.VillageCode != VillageT2 {
						t.Errorf("got %+v", got)
					}
					ps, _, err := db.FindPersons(sqltest.System(), healthcell.PersonFilter{HouseholdID: e.far.ID})
					if err != nil || len(ps) != 1 || ps[0].ID != got.ID {
						t.Errorf("far household persons %v %v", names(ps), err)
					}
				}},
			{name: "head moves out as 户主 of a new household", ctx: sqltest.System(), action: "move",
				edit: func(e *personEnv) healthcell.Person {
					p := *e.head
					p.HouseholdID = e.far.ID
					return p
				},
				check: func(t *testing.T, e *personEnv, got *healthcell.Person) {
					if h := mustHousehold(t, db, e.h.ID); h.HeadID != 0 || h.Members != 1 {
						t.Errorf("old household %+v", h)
					}
					if h := mustHousehold(t, db, e.far.ID); h.HeadID != got.ID || h.HeadName != got.Name || h.Members != 1 {
						t.Errorf("new household %+v", h)
					}
				}},

			{name: "stale version", ctx: sqltest.System(),
				edit: func(e *personEnv) healthcell.Person {
					first := *e.p
					first.Phone = "13600000000"
					wantCode(t, db.UpdatePerson(sqltest.System(), &first), "")
					p := *e.p // version 1
					p.Name = "后到"
					return p
				},
				wantErr: healthcell.ECONFLICT},
			{name: "stale version of a move", ctx: sqltest.System(),
				edit: func(e *personEnv) healthcell.Person {
					p := *e.p
					p.Version = 0
					p.HouseholdID = e.far.ID
					return p
				},
				wantErr: healthcell.ECONFLICT},
			{name: "empty name", ctx: sqltest.System(),
				edit: func(e *personEnv) healthcell.Person {
					p := *e.p
					p.Name = ""
					return p
				},
				wantErr: healthcell.EINVALID, wantField: []string{"name"}},
			{name: "31-character name", ctx: sqltest.System(),
				edit: func(e *personEnv) healthcell.Person {
					p := *e.p
					p.Name = strings.Repeat("名", 31)
					return p
				},
				wantErr: healthcell.EINVALID, wantField: []string{"name"}},
			{name: "new ID number disagrees with the kept birth date", ctx: sqltest.System(),
				edit: func(e *personEnv) healthcell.Person {
					p := *e.p
					p.IDNumber = sqltest.ID(t, "1999-09-09", 901)
					return p
				},
				wantErr: healthcell.EINVALID, wantField: []string{"birth_date"}},
			{name: "bad check character", ctx: sqltest.System(),
				edit: func(e *personEnv) healthcell.Person {
					p := *e.p
					p.IDNumber = sqltest.BadCheck(p.IDNumber)
					return p
				},
				wantErr: healthcell.EINVALID, wantField: []string{"id_number"}},
			{name: "ID number of another person", ctx: sqltest.System(),
				edit: func(e *personEnv) healthcell.Person {
					p := *e.p
					p.IDNumber, p.BirthDate, p.Sex = w.pC.IDNumber, "", ""
					return p
				},
				wantErr: healthcell.EINVALID, wantField: []string{"id_number"}},
			{name: "bad phone", ctx: sqltest.System(),
				edit: func(e *personEnv) healthcell.Person {
					p := *e.p
					p.Phone = "138123"
					return p
				},
				wantErr: healthcell.EINVALID, wantField: []string{"phone"}},
			{name: "unknown household", ctx: sqltest.System(),
				edit: func(e *personEnv) healthcell.Person {
					p := *e.p
					p.HouseholdID = 1 << 40
					return p
				},
				wantErr: healthcell.EINVALID, wantField: []string{"household_id"}},
			{name: "no such person", ctx: sqltest.System(),
				edit: func(e *personEnv) healthcell.Person {
					p := *e.p
					p.ID = 1 << 40
					return p
				},
				wantErr: healthcell.ENOTFOUND},
			{name: "no actor", ctx: ctxNone,
				edit: func(e *personEnv) healthcell.Person {
					p := *e.p
					p.Name = "无"
					return p
				},
				wantErr: healthcell.EUNAUTHORIZED},
		}
		for i, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				e := newPersonEnv(t, db, i)
				in := tc.edit(e)
				oldID := in.ID
				if oldID == 1<<40 { // "no such person": nothing must change for e.p
					oldID = e.p.ID
				}
				old := mustPerson(t, db, oldID)
				snap := takeSnapshot(t, db)
				cFrom, cTo := counts(t, db, old.VillageCode), counts(t, db, VillageT2)
				err := db.UpdatePerson(tc.ctx, &in)
				wantCode(t, err, tc.wantErr)
				if tc.wantErr != "" {
					if tc.wantField != nil {
						wantInvalid(t, err, tc.wantField...)
					}
					snap.unchanged(t, db)
					return
				}
				got := mustPerson(t, db, in.ID)
				if !samePerson(*got, in) {
					t.Errorf("returned %+v\nstored %+v", in, *got)
				}
				if got.Version != old.Version+1 || !got.UpdatedAt.Equal(sqltest.Now) {
					t.Errorf("version %d updated %v", got.Version, got.UpdatedAt)
				}
				tc.check(t, e, got)
				if old.VillageCode != got.VillageCode {
					if c := counts(t, db, old.VillageCode); c.Persons != cFrom.Persons-1 {
						t.Errorf("old village persons %d, want %d", c.Persons, cFrom.Persons-1)
					}
					if c := counts(t, db, got.VillageCode); c.Persons != cTo.Persons+1 {
						t.Errorf("new village persons %d, want %d", c.Persons, cTo.Persons+1)
					}
				}
				if c := counts(t, db, sqltest.County); c != snap.county {
					t.Errorf("county counts %+v, were %+v", c, snap.county)
				}
				a := lastAudit(t, db)
				var before, after healthcell.Person
				if a.Action != tc.action || a.Entity != "person" || a.EntityID != fmt.Sprint(got.ID) || a.Division != got.VillageCode ||
					json.Unmarshal([]byte(a.Before), &before) != nil || json.Unmarshal([]byte(a.After), &after) != nil ||
					before.Version != old.Version || before.HouseholdID != old.HouseholdID ||
					after.Version != got.Version || after.HouseholdID != got.HouseholdID || after.Name != got.Name {
					t.Errorf("audit %+v", a)
				}
			})
		}
	})
}

func TestSetPersonStatus(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		sqltest.LoadDivisions(t, db)
		cases := []struct {
			name      string
			ctx       context.Context
			before    func(t *testing.T, e *personEnv) // extra setup
			stale     bool
			status    string
			date      string
			wantErr   string
			wantField []string
			wantDate  string
			countDiff int // change of the village's persons
		}{
			{name: "deceased", ctx: sqltest.System(), status: healthcell.StatusDeceased, date: "2024-02-29", wantDate: "2024-02-29", countDiff: -1},
			{name: "deceased today, by village officer", ctx: ctxVillageA, status: healthcell.StatusDeceased, date: "2025-06-15", wantDate: "2025-06-15", countDiff: -1},
			{name: "moved away, by township officer", ctx: ctxTownship, status: healthcell.StatusMoved, date: "2023-01-01", wantDate: "2023-01-01", countDiff: -1},
			{name: "return to active clears the date", ctx: sqltest.System(),
				before: func(t *testing.T, e *personEnv) {
					p, err := db.SetPersonStatus(sqltest.System(), e.p.ID, e.p.Version, healthcell.StatusMoved, "2023-01-01")
					wantCode(t, err, "")
					*e.p = *p
				},
				status: healthcell.StatusActive, date: "2024-01-01", wantDate: "", countDiff: +1},

			{name: "no date", ctx: sqltest.System(), status: healthcell.StatusDeceased, date: "",
				wantErr: healthcell.EINVALID, wantField: []string{"status_date"}},
			{name: "date after today", ctx: sqltest.System(), status: healthcell.StatusDeceased, date: "2025-06-16",
				wantErr: healthcell.EINVALID, wantField: []string{"status_date"}},
			{name: "date before birth", ctx: sqltest.System(), status: healthcell.StatusDeceased, date: "1989-12-31",
				wantErr: healthcell.EINVALID, wantField: []string{"status_date"}},
			{name: "impossible date", ctx: sqltest.System(), status: healthcell.StatusDeceased, date: "2021-02-30",
				wantErr: healthcell.EINVALID, wantField: []string{"status_date"}},
			{name: "date not in YYYY-MM-DD", ctx: sqltest.System(), status: healthcell.StatusDeceased, date: "2021-2-3",
				wantErr: healthcell.EINVALID, wantField: []string{"status_date"}},
			{name: "unknown status", ctx: sqltest.System(), status: "dead", date: "2021-02-03",
				wantErr: healthcell.EINVALID, wantField: []string{"status"}},
			{name: "stale version", ctx: sqltest.System(), status: healthcell.StatusDeceased, date: "2021-02-03", stale: true,
				before: func(t *testing.T, e *personEnv) {
					p := *e.p
					p.Phone = "13600000000"
					wantCode(t, db.UpdatePerson(sqltest.System(), &p), "")
				},
				wantErr: healthcell.ECONFLICT},
			{name: "no actor", ctx: ctxNone, status: healthcell.StatusDeceased, date: "2021-02-03", wantErr: healthcell.EUNAUTHORIZED},
		}
		for i, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				e := newPersonEnv(t, db, i)
				if tc.before != nil {
					tc.before(t, e)
				}
				old := mustPerson(t, db, e.p.ID)
				version := old.Version
				if tc.stale {
					version = e.p.Version
				}
				snap := takeSnapshot(t, db)
				cv, ch := counts(t, db, sqltest.Village), mustHousehold(t, db, e.h.ID).Members
				got, err := db.SetPersonStatus(tc.ctx, e.p.ID, version, tc.status, tc.date)
				wantCode(t, err, tc.wantErr)
				if tc.wantErr != "" {
					if tc.wantField != nil {
						wantInvalid(t, err, tc.wantField...)
					}
					snap.unchanged(t, db)
					return
				}
				if got.Status != tc.status || got.StatusDate != tc.wantDate || got.Version != old.Version+1 {
					t.Errorf("returned %+v", got)
				}
				// The record stays and FindPerson still returns it.
				stored := mustPerson(t, db, e.p.ID)
				if !samePerson(*stored, *got) {
					t.Errorf("returned %+v\nstored %+v", got, stored)
				}
				if c := counts(t, db, sqltest.Village); c.Persons != cv.Persons+tc.countDiff || c.Households != cv.Households {
					t.Errorf("village counts %+v, were %+v, want persons %+d", c, cv, tc.countDiff)
				}
				if m := mustHousehold(t, db, e.h.ID).Members; m != ch+tc.countDiff {
					t.Errorf("household members %d, were %d", m, ch)
				}
				active, _, err := db.FindPersons(sqltest.System(), healthcell.PersonFilter{HouseholdID: e.h.ID})
				if err != nil {
					t.Fatal(err)
				}
				all, _, err := db.FindPersons(sqltest.System(), healthcell.PersonFilter{HouseholdID: e.h.ID, Inactive: true})
				if err != nil {
					t.Fatal(err)
				}
				if len(all) != 2 || len(active) != 2+min(0, tc.countDiff) {
					t.Errorf("household lists %v (all: %v)", names(active), names(all))
				}
				a := lastAudit(t, db)
				var before, after healthcell.Person
				if a.Action != "status" || a.Entity != "person" || a.EntityID != fmt.Sprint(e.p.ID) ||
					json.Unmarshal([]byte(a.Before), &before) != nil || json.Unmarshal([]byte(a.After), &after) != nil ||
					before.Status != old.Status || after.Status != tc.status || after.StatusDate != tc.wantDate {
					t.Errorf("audit %+v", a)
				}
			})
		}
	})
}

func TestFindPersons(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db)
		dead := sqltest.Person(t, db, w.hA2, "张五", sqltest.ID(t, "1940-01-01", 1), "户主")
		if _, err := db.SetPersonStatus(sqltest.System(), dead.ID, dead.Version, healthcell.StatusDeceased, "2020-01-01"); err != nil {
			t.Fatal(err)
		}
		noID := &healthcell.Person{HouseholdID: w.hB.ID, Name: "王小", Sex: "M", BirthDate: "2018-03-03", Relation: "孙子"}
		if err := db.CreatePerson(sqltest.System(), noID); err != nil {
			t.Fatal(err)
		}
		pct := &healthcell.Person{HouseholdID: w.hC.ID, Name: "百分%号", Sex: "F", BirthDate: "2000-03-03", Relation: "其他"}
		if err := db.CreatePerson(sqltest.System(), pct); err != nil {
			t.Fatal(err)
		}
		latin := &healthcell.Person{HouseholdID: w.hC.ID, Name: "Ali Mamat", Sex: "M", BirthDate: "1995-03-03", Relation: "其他"}
		if err := db.CreatePerson(sqltest.System(), latin); err != nil {
			t.Fatal(err)
		}
		county := sqltest.County
		cases := []struct {
			name    string
			ctx     context.Context
			f       healthcell.PersonFilter
			wantErr string
			want    []string // names, in order
			total   int
		}{
			{name: "county", ctx: sqltest.System(), f: healthcell.PersonFilter{Division: county},
				want: []string{"张三", "李四", "王五", "王小", "赵六", "百分%号", "Ali Mamat"}, total: 7},
			{name: "county with inactive", ctx: sqltest.System(), f: healthcell.PersonFilter{Division: county, Inactive: true},
				want: []string{"张三", "李四", "张五", "王五", "王小", "赵六", "百分%号", "Ali Mamat"}, total: 8},
			{name: "township by 9 digits", ctx: sqltest.System(), f: healthcell.PersonFilter{Division: "510824100"},
				want: []string{"张三", "李四", "王五", "王小"}, total: 4},
			{name: "village", ctx: sqltest.System(), f: healthcell.PersonFilter{Division: sqltest.Village2},
				want: []string{"王五", "王小"}, total: 2},
			{name: "village officer, default scope", ctx: ctxVillageA,
				want: []string{"张三", "李四"}, total: 2},
			{name: "household, head first", ctx: sqltest.System(), f: healthcell.PersonFilter{HouseholdID: w.hA.ID},
				want: []string{"张三", "李四"}, total: 2},
			{name: "household of the deceased", ctx: sqltest.System(), f: healthcell.PersonFilter{HouseholdID: w.hA2.ID},
				want: nil, total: 0},
			{name: "household of the deceased with inactive", ctx: sqltest.System(), f: healthcell.PersonFilter{HouseholdID: w.hA2.ID, Inactive: true},
				want: []string{"张五"}, total: 1},
			{name: "name fragment", ctx: sqltest.System(), f: healthcell.PersonFilter{Division: county, Query: "王"},
				want: []string{"王五", "王小"}, total: 2},
			{name: "name fragment in the middle", ctx: sqltest.System(), f: healthcell.PersonFilter{Division: county, Query: " 五 "},
				want: []string{"王五"}, total: 1},
			{name: "name fragment with inactive", ctx: sqltest.System(), f: healthcell.PersonFilter{Division: county, Query: "张", Inactive: true},
				want: []string{"张三", "张五"}, total: 2},
			{name: "name fragment without inactive", ctx: sqltest.System(), f: healthcell.PersonFilter{Division: county, Query: "张"},
				want: []string{"张三"}, total: 1},
			{name: "name outside the division", ctx: sqltest.System(), f: healthcell.PersonFilter{Division: sqltest.Township2, Query: "王"},
				want: nil, total: 0},
			{name: "percent sign is literal", ctx: sqltest.System(), f: healthcell.PersonFilter{Division: county, Query: "%"},
				want: []string{"百分%号"}, total: 1},
			{name: "underscore is literal", ctx: sqltest.System(), f: healthcell.PersonFilter{Division: county, Query: "_"},
				want: nil, total: 0},
			{name: "ID prefix", ctx: sqltest.System(), f: healthcell.PersonFilter{Division: county, Query: w.pB.IDNumber[:10]},
				want: []string{"王五"}, total: 1},
			{name: "ID region prefix", ctx: sqltest.System(), f: healthcell.PersonFilter{Division: county, Query: "510824"},
				want: []string{"李四", "王五", "赵六"}, total: 3},
			{name: "ID region prefix with inactive", ctx: sqltest.System(), f: healthcell.PersonFilter{Division: county, Query: "510824", Inactive: true},
				want: []string{"李四", "张五", "王五", "赵六"}, total: 4},
			{name: "full ID with lowercase x", ctx: sqltest.System(), f: healthcell.PersonFilter{Division: county, Query: strings.ToLower(PersonAID)},
				want: []string{"张三"}, total: 1},
			{name: "ID prefix with spaces", ctx: sqltest.System(), f: healthcell.PersonFilter{Division: county, Query: "1101 0519"},
				want: []string{"张三"}, total: 1},
			{name: "ID prefix in a household", ctx: sqltest.System(), f: healthcell.PersonFilter{HouseholdID: w.hA.ID, Query: "1101"},
				want: []string{"张三"}, total: 1},
			{name: "ID prefix without match", ctx: sqltest.System(), f: healthcell.PersonFilter{Division: county, Query: "5108240000"},
				want: nil, total: 0},
			{name: "ID prefix by village officer", ctx: ctxVillageA, f: healthcell.PersonFilter{Query: "5108"},
				want: []string{"李四"}, total: 1},
			{name: "page", ctx: sqltest.System(), f: healthcell.PersonFilter{Division: county, Limit: 2, Offset: 2},
				want: []string{"王五", "王小"}, total: 7},
			{name: "page past the end", ctx: sqltest.System(), f: healthcell.PersonFilter{Division: county, Offset: 10},
				want: nil, total: 7},
			{name: "Latin name fragment", ctx: sqltest.System(), f: healthcell.PersonFilter{Division: county, Query: "Mam"},
				want: []string{"Ali Mamat"}, total: 1},
			{name: "Latin name fragment in another case", ctx: sqltest.System(), f: healthcell.PersonFilter{Division: county, Query: "ali mAMAT"},
				want: []string{"Ali Mamat"}, total: 1},
			{name: "unknown household", ctx: sqltest.System(), f: healthcell.PersonFilter{HouseholdID: 1 << 40}, wantErr: healthcell.ENOTFOUND},
			{name: "malformed division", ctx: sqltest.System(), f: healthcell.PersonFilter{Division: "5108241"}, wantErr: healthcell.ENOTFOUND},
			{name: "system without division sees every division", ctx: sqltest.System(),
				want: []string{"张三", "李四", "王五", "王小", "赵六", "百分%号", "Ali Mamat"}, total: 7},
			{name: "no actor", ctx: ctxNone, f: healthcell.PersonFilter{Division: county}, wantErr: healthcell.EUNAUTHORIZED},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				ps, total, err := db.FindPersons(tc.ctx, tc.f)
				wantCode(t, err, tc.wantErr)
				if got := names(ps); strings.Join(got, ",") != strings.Join(tc.want, ",") || total != tc.total {
					t.Errorf("got %v total %d, want %v total %d", got, total, tc.want, tc.total)
				}
				for _, p := range ps {
					if p.Masked {
						t.Errorf("%s masked for %v", p.Name, healthcell.ActorFrom(tc.ctx).Role)
					}
				}
			})
		}
	})
}

// TestPersonTimes checks that timestamps survive the round trip on both engines.
func TestPersonTimes(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db)
		later := sqltest.Now.Add(36*time.Hour + 123456*time.Microsecond)
		db.Now = func() time.Time { return later }
		cases := []struct {
			name string
			do   func() (*healthcell.Person, error)
		}{
			{name: "update", do: func() (*healthcell.Person, error) {
				p := *w.pB
				p.Phone = "13512345678"
				err := db.UpdatePerson(sqltest.System(), &p)
				return &p, err
			}},
			{name: "status", do: func() (*healthcell.Person, error) {
				return db.SetPersonStatus(sqltest.System(), w.pC.ID, w.pC.Version, healthcell.StatusMoved, "2025-06-16")
			}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				p, err := tc.do()
				if err != nil {
					t.Fatal(err)
				}
				got := mustPerson(t, db, p.ID)
				if !got.CreatedAt.Equal(sqltest.Now) || !got.UpdatedAt.Equal(later) {
					t.Errorf("created %v updated %v, want %v %v", got.CreatedAt, got.UpdatedAt, sqltest.Now, later)
				}
			})
		}
	})
}
