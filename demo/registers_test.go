package demo

import (
	"fmt"
	"github.com/healthcell/healthcell/catalog"
	"github.com/healthcell/healthcell/register"
	"hash/fnv"
	"testing"
	"time"
)

// regInput is a synthetic population: 40 villages in 4 townships, 3
// persons per household, ages spread over 0–89.
func regInput() ([]HouseholdRef, []Resident, []string) {
	var hs []HouseholdRef
	var ps []Resident
	var vs []string
	id := int64(0)
	for tw := 0; tw < 4; tw++ {
		for v := 1; v <= 10; v++ {
			code := fmt.Sprintf("510824%03d%03d", 100+tw, v)
			vs = append(vs, code)
			for h := 0; h < 100; h++ {
				hid := int64(len(hs) + 1)
				hs = append(hs, HouseholdRef{ID: hid, Village: code, Head: fmt.Sprintf("户主%d", hid)})
				for k := 0; k < 3; k++ {
					id++
					birth := time.Date(2026-int(id%90), time.Month(1+id%12), 1+int(id%28), 0, 0, 0, 0, time.UTC)
					ps = append(ps, Resident{ID: id, HouseholdID: hid, Village: code, Birth: birth.Format("2006-01-02"), Registered: id%31 != 0, Resident: id%7 != 0})
				}
			}
		}
	}
	return hs, ps, vs
}

func TestRegisters(t *testing.T) {
	hs, ps, vs := regInput()
	now := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	run := func() (map[string]int, map[string]map[string]int, uint64) {
		n := map[string]int{}
		byTown := map[string]map[string]int{}
		h := fnv.New64a()
		err := Registers(hs, ps, []UnitRef{{ID: 7, Division: vs[0]}}, vs, 42, now, func(r *Row) error {
			n[r.Register]++
			if byTown[r.Register] == nil {
				byTown[r.Register] = map[string]int{}
			}
			byTown[r.Register][r.Village[:9]]++
			fmt.Fprint(h, r.Register, r.Village, r.PersonID, r.HouseholdID, r.UnitID, r.Values)
			for i, v := range r.Values {
				if r.Register == "contracts" && i == 3 {
					continue // a contract ends in the future
				}
				if s, ok := v.(string); ok && len(s) == 10 && s[4] == '-' && s > now.Format("2006-01-02") {
					t.Fatalf("%s row dated %s, after now", r.Register, s)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return n, byTown, h.Sum64()
	}
	n, byTown, d1 := run()
	if _, _, d2 := run(); d1 != d2 {
		t.Error("two runs with one seed differ")
	}
	residents, registered := 0, 0
	for _, p := range ps {
		if p.Resident {
			residents++
		}
		if p.Registered {
			registered++
		}
	}
	share := func(reg string, of int) float64 { return float64(n[reg]) / float64(of) }
	for _, c := range []struct {
		reg    string
		of     int
		lo, hi float64
	}{
		{"contracts", residents, 0.6, 0.9},
		{"insurance", registered, 0.93, 1.0},
		{"health_records", residents, 0.8, 0.99},
		{"sanitation", len(hs), 1, 1},
		{"family_health", len(hs), 0.85, 0.95},
		{"poverty", len(ps), 0.015, 0.07},
	} {
		if s := share(c.reg, c.of); s < c.lo || s > c.hi {
			t.Errorf("%s: %.3f of %d, want %.2f–%.2f", c.reg, s, c.of, c.lo, c.hi)
		}
	}
	for _, reg := range []string{"checkups", "chronic", "followups", "expenses", "activities", "env_inspections"} {
		if n[reg] == 0 {
			t.Errorf("no %s rows", reg)
		}
	}
	// Townships differ in the family checklist: handbooks per township.
	hb := map[string]int{}
	if err := Registers(hs, ps, nil, vs, 42, now, func(r *Row) error {
		if r.Register == "family_health" && r.Values[1] == true {
			hb[r.Village[:9]]++
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if hb["510824100"] == hb["510824101"] && hb["510824101"] == hb["510824102"] {
		t.Errorf("handbooks do not differ between townships: %v", hb)
	}
	// Townships differ: contracts per township are not all equal.
	c := byTown["contracts"]
	if c["510824100"] == c["510824101"] && c["510824101"] == c["510824102"] {
		t.Errorf("contracts do not differ between townships: %v", c)
	}
}

// TestRegistersFitDefinitions checks every generated row against its
// register's definition (types, ranges, parts not above their wholes), and
// that every register, including the unit ones, gets rows.
func TestRegistersFitDefinitions(t *testing.T) {
	hs, ps, vs := regInput()
	now := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	units := []UnitRef{{ID: 1, Kind: "school", Division: vs[0]}, {ID: 2, Kind: "hospital", Division: vs[12][:9] + "000"},
		{ID: 3, Kind: "enterprise", Division: vs[25]}, {ID: 4, Kind: "agency", Division: vs[3]}}
	regs := catalog.MustRegisters()
	n := map[string]int{}
	kinds := map[string]int{}
	err := Registers(hs, ps, units, vs, 42, now, func(r *Row) error {
		d := regs.Get(r.Register)
		if d == nil || len(r.Values) != len(d.Fields) {
			t.Fatalf("%s: %d values", r.Register, len(r.Values))
		}
		raw := map[string]string{}
		for i, f := range d.Fields {
			if r.Values[i] != nil {
				raw[f.Code] = fmt.Sprint(r.Values[i])
			}
		}
		if _, errs := d.ParseValues(raw, now); errs != nil {
			t.Fatalf("%s row %v: %v", r.Register, r.Values, errs)
		}
		if d.Subject == register.Unit && r.UnitID == 0 {
			t.Fatalf("%s row without a unit", r.Register)
		}
		n[r.Register]++
		if r.Register == "activities" {
			kinds[r.Values[0].(string)]++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range regs.All() {
		if n[d.Code] == 0 {
			t.Errorf("no %s rows", d.Code)
		}
	}
	for _, o := range regs.Get("activities").Field("kind").Options {
		if kinds[o.Code] == 0 {
			t.Errorf("no activities of kind %s", o.Code)
		}
	}
	if n["hospital_health"] != 10 || n["occupational_health"] != 4 || n["school_health"] != 2 {
		t.Errorf("unit reports: %v, want 10 monthly, 4 quarterly and 2 term reports", n)
	}
}
