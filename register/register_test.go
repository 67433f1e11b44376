package register_test

import (
	"strings"
	"testing"
	"time"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/catalog"
	"github.com/healthcell/healthcell/register"
)

func TestShippedRegisters(t *testing.T) {
	s, err := catalog.Registers()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"activities", "checkups", "chronic", "contracts", "env_inspections", "expenses", "family_health", "followups",
		"health_records", "hospital_health", "insurance", "occupational_health", "poverty", "sanitation", "school_health", "village_env"}
	var got []string
	for _, d := range s.All() {
		got = append(got, d.Code)
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("registers = %v, want %v", got, want)
	}
}

func TestParseRejects(t *testing.T) {
	base := "code: x\ntable: reg_x\nzh: 甲\nen: X\nsubject: person\nperiod: d\nfields:\n  - {code: d, type: date, zh: 日期, en: Date, required: true}\n"
	for _, tc := range []struct{ name, text, want string }{
		{"unknown key", base + "colour: red\n", "colour"},
		{"bad table", strings.Replace(base, "reg_x", "persons", 1), "table"},
		{"bad subject", strings.Replace(base, "subject: person", "subject: cat", 1), "subject"},
		{"period missing", strings.Replace(base, "period: d", "period: e", 1), "period"},
		{"reserved field", strings.Replace(base, "code: d,", "code: version,", 1), "reserved"},
		{"unknown type", strings.Replace(base, "type: date", "type: colour", 1), "type"},
		{"enum without options", base + "  - {code: k, type: enum, zh: 类, en: K}\n", "options"},
		{"after a missing field", base + "  - {code: e, type: date, zh: 止, en: E, after: z}\n", "after"},
		{"units on a person register", base + "units: true\n", "units"},
		{"at_most a missing field", base + "  - {code: n, type: int, zh: 数, en: N, min: 0, max: 9, at_most: z}\n", "at_most"},
		{"at_most a text field", base + "  - {code: n, type: int, zh: 数, en: N, min: 0, max: 9, at_most: t}\n  - {code: t, type: text, zh: 文, en: T}\n", "at_most"},
		{"at_most itself", base + "  - {code: n, type: int, zh: 数, en: N, min: 0, max: 9, at_most: n}\n", "at_most"},
		{"a number without a range", base + "  - {code: n, type: decimal, zh: 率, en: Rate}\n", "min and max"},
		{"an upside-down range", base + "  - {code: n, type: int, zh: 数, en: N, min: 9, max: 0}\n", "min and max"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := register.Parse(strings.NewReader(tc.text))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
	if _, err := register.Parse(strings.NewReader(base)); err != nil {
		t.Errorf("base: %v", err)
	}
	d, err := register.Parse(strings.NewReader(strings.Replace(base, "subject: person", "subject: unit", 1)))
	if err != nil || !d.Units {
		t.Errorf("subject unit: %v, units %v", err, d != nil && d.Units)
	}
}

func TestParseValuesAtMost(t *testing.T) {
	d := catalog.MustRegisters().Get("hospital_health")
	now := time.Date(2025, 6, 15, 0, 0, 0, 0, time.UTC)
	ok := map[string]string{"report_date": "2025-05-31", "first_visits_35": "200", "bp_measured": "180", "discharged": "40", "ward_educated": "40"}
	for _, tc := range []struct {
		name, field, value, wantField, want string
	}{
		{"part equal to the whole", "ward_educated", "40", "", ""},
		{"part above the whole", "bp_measured", "201", "bp_measured", "register.more_than_whole"},
		{"whole missing", "first_visits_35", "", "first_visits_35", "register.required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw := map[string]string{}
			for k, x := range ok {
				raw[k] = x
			}
			raw[tc.field] = tc.value
			v, errs := d.ParseValues(raw, now)
			if tc.want == "" {
				if errs != nil || v[tc.field] != int64(40) {
					t.Errorf("got %v %v", v, errs)
				}
				return
			}
			if v != nil || len(errs) != 1 || errs[0].Field != tc.wantField || errs[0].Message != tc.want {
				t.Errorf("got %v %v, want one %s on %s", v, errs, tc.want, tc.wantField)
			}
		})
	}
	env := catalog.MustRegisters().Get("env_inspections")
	_, errs := env.ParseValues(map[string]string{"inspection_date": "2025-05-01", "sanitation_score": "80", "refuse_cleared": "3"}, now)
	if len(errs) != 1 || errs[0].Field != "refuse_points" || errs[0].Message != "register.required" {
		t.Errorf("a part without its whole: %v", errs)
	}
}

func TestParseValues(t *testing.T) {
	s := catalog.MustRegisters()
	now := time.Date(2025, 6, 15, 0, 0, 0, 0, time.UTC)
	exp := s.Get("expenses")
	ok := map[string]string{"visit_kind": "住院", "visit_date": "2025/3/2", "hospital": "苍溪县人民医院", "in_county": "是",
		"total": "1,000.00", "insurance_paid": "700", "assistance": "200", "out_of_pocket": "100"}
	v, errs := exp.ParseValues(ok, now)
	if errs != nil {
		t.Fatalf("errs = %v", errs)
	}
	if v["visit_kind"] != "inpatient" || v["visit_date"] != "2025-03-02" || v["in_county"] != true || v["total"] != 1000.0 {
		t.Errorf("values = %v", v)
	}
	for _, tc := range []struct {
		name, field, value, want string
	}{
		{"missing required", "hospital", "", "register.required"},
		{"bad option", "visit_kind", "急诊", "register.bad_option"},
		{"bad date", "visit_date", "2025-02-30", "register.bad_date"},
		{"future date", "visit_date", "2025-07-01", "register.future_date"},
		{"bad number", "total", "一千", "register.bad_number"},
		{"negative money", "assistance", "-5", "register.bad_number"},
		{"sum mismatch", "out_of_pocket", "150", "register.sum_mismatch"},
		{"bad bool", "in_county", "也许", "register.bad_bool"},
		{"too long", "hospital", strings.Repeat("院", 101), "register.too_long"},
		{"NUL in text", "hospital", "苍溪\x00医院", "text.control"},
		{"escape in text", "hospital", "苍溪\x1b[2J", "text.control"},
		{"right-to-left override in text", "hospital", "\u202e院医", "text.invisible"},
		{"unknown key", "surgeon", "王医生", "register.unknown_field"},
		{"huge number", "total", "1e308", "register.bad_number"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw := map[string]string{}
			for k, x := range ok {
				raw[k] = x
			}
			raw[tc.field] = tc.value
			v, errs := exp.ParseValues(raw, now)
			if v != nil || len(errs) != 1 || errs[0].Field != tc.field || errs[0].Message != tc.want {
				t.Errorf("got %v %v, want one %s on %s", v, errs, tc.want, tc.field)
			}
		})
	}
	con := s.Get("contracts")
	_, errs = con.ParseValues(map[string]string{"doctor": "王医生", "start_date": "2025-01-01", "end_date": "2024-12-31"}, now)
	if len(errs) != 1 || errs[0].Message != "register.before" {
		t.Errorf("end before start: %v", errs)
	}
	// A line break is fine in free text; a rate beyond its range is not.
	if _, errs := exp.ParseValues(map[string]string{"visit_kind": "住院", "visit_date": "2025/3/2", "hospital": "苍溪县\n人民医院", "in_county": "是",
		"total": "1000", "insurance_paid": "700", "assistance": "200", "out_of_pocket": "100"}, now); errs != nil {
		t.Errorf("line break: %v", errs)
	}
	env := s.Get("env_inspections")
	if _, errs := env.ParseValues(map[string]string{"sanitation_score": "1e308"}, now); !hasMessage(errs, "sanitation_score", "register.bad_number") {
		t.Errorf("score of 1e308: %v", errs)
	}
}

func hasMessage(errs []healthcell.FieldError, field, msg string) bool {
	for _, e := range errs {
		if e.Field == field && e.Message == msg {
			return true
		}
	}
	return false
}

func TestParseDate(t *testing.T) {
	for _, tc := range []struct {
		in, want string
	}{
		{"2025-01-02", "2025-01-02"}, {"2025/1/2", "2025-01-02"}, {"2025年1月2日", "2025-01-02"},
		{"20250102", "2025-01-02"}, {" 2025.12.31 ", "2025-12-31"},
		{"2025-02-29", ""}, {"2025-13-01", ""}, {"1/2/2025", ""}, {"", ""}, {"2025-01", ""}, {"0000-01-01", ""},
	} {
		got, ok := register.ParseDate(tc.in)
		if s := got.Format("2006-01-02"); (ok && s != tc.want) || (!ok && tc.want != "") {
			t.Errorf("ParseDate(%q) = %s %v, want %q", tc.in, s, ok, tc.want)
		}
	}
}

// TestParseValuesCampaignDay: "today" is the calendar day in Beijing. At
// 00:30 Beijing time (16:30 UTC the day before) today's date is accepted
// and tomorrow's refused; at 23:59 Beijing time the next day is refused.
func TestParseValuesCampaignDay(t *testing.T) {
	exp := catalog.MustRegisters().Get("expenses")
	raw := map[string]string{"visit_kind": "住院", "hospital": "苍溪县人民医院", "in_county": "是",
		"total": "1000", "insurance_paid": "700", "assistance": "200", "out_of_pocket": "100"}
	for _, tc := range []struct {
		name string
		now  time.Time
		date string
		ok   bool
	}{
		{"00:30 Beijing, today", time.Date(2025, 6, 14, 16, 30, 0, 0, time.UTC), "2025-06-15", true},
		{"00:30 Beijing, tomorrow", time.Date(2025, 6, 14, 16, 30, 0, 0, time.UTC), "2025-06-16", false},
		{"00:00 Beijing, today", time.Date(2025, 6, 14, 16, 0, 0, 0, time.UTC), "2025-06-15", true},
		{"23:59 Beijing, today", time.Date(2025, 6, 15, 15, 59, 59, 0, time.UTC), "2025-06-15", true},
		{"23:59 Beijing, tomorrow", time.Date(2025, 6, 15, 15, 59, 59, 0, time.UTC), "2025-06-16", false},
		{"07:59 Beijing, today", time.Date(2025, 6, 14, 23, 59, 0, 0, time.UTC), "2025-06-15", true},
		{"New Year 00:10 Beijing", time.Date(2025, 12, 31, 16, 10, 0, 0, time.UTC), "2026-01-01", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := map[string]string{"visit_date": tc.date}
			for k, x := range raw {
				r[k] = x
			}
			_, errs := exp.ParseValues(r, tc.now)
			if tc.ok && errs != nil || !tc.ok && (len(errs) != 1 || errs[0].Message != "register.future_date") {
				t.Errorf("%s at %s: %v", tc.date, tc.now, errs)
			}
		})
	}
}
