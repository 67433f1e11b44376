package web_test

import (
	"bytes"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/catalog/standards"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// maskedToken is anything shaped like an ID number with hidden characters,
// as JSON and HTML show it.
var maskedToken = regexp.MustCompile(`[0-9]{6}[0-9*]{11}[0-9Xx*]`)

// rebuildCandidates counts the full ID numbers consistent with the masked
// token, the sex, and the birth date (when the attacker has it) or else the
// birth year, stopping at limit. It is how the review rebuilt numbers: fill
// the hidden digits from what the other fields give away and keep those
// whose checksum holds.
func rebuildCandidates(token, sex, birth string, knowDate bool, limit int) int {
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	const checks = "10X98765432"
	var dates []string
	if knowDate {
		dates = []string{strings.ReplaceAll(birth, "-", "")}
	} else {
		year := birth[:4]
		for m := 1; m <= 12; m++ {
			for d := 1; d <= 31; d++ {
				dates = append(dates, fmt.Sprintf("%s%02d%02d", year, m, d))
			}
		}
	}
	fits := func(pos int, c byte) bool { return token[pos] == '*' || token[pos] == c }
	n := 0
	for _, date := range dates {
		ok := true
		for i := 0; i < 8; i++ {
			ok = ok && fits(6+i, date[i])
		}
		if !ok {
			continue
		}
		for seq := 0; seq < 1000; seq++ {
			s := fmt.Sprintf("%03d", seq)
			if (seq%2 == 1) != (sex == "M") || !fits(14, s[0]) || !fits(15, s[1]) || !fits(16, s[2]) {
				continue
			}
			body := token[:6] + date + s
			sum := 0
			for i := 0; i < 17; i++ {
				if body[i] == '*' {
					sum = -1
					break
				}
				sum += int(body[i]-'0') * weights[i]
			}
			if sum < 0 || !fits(17, checks[sum%11]) {
				continue
			}
			if n++; n >= limit {
				return n
			}
		}
	}
	return n
}

// maskedPath is one answer, page or export a masked role reads in
// TestMaskingCannotBeUndone: every masked role must read it (200) unless
// deny gives the status it answers that role instead, and the text read
// must contain want, so that a path showing nothing cannot pass.
type maskedPath struct {
	path string
	want string
	deny map[string]int
}

// readableText is what a reader of r sees: the cells of every sheet of an
// .xlsx (whose bytes are compressed), else the body as it is (JSON, HTML,
// CSV).
func readableText(t testing.TB, r *response) string {
	t.Helper()
	if !strings.Contains(r.header.Get("Content-Type"), "spreadsheetml") {
		return r.String()
	}
	f, err := excelize.OpenReader(bytes.NewReader(r.body))
	if err != nil {
		t.Fatalf("open workbook: %v", err)
	}
	defer f.Close()
	var b strings.Builder
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range rows {
			b.WriteString(strings.Join(row, "\t"))
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// TestMaskingCannotBeUndone fetches every API answer, page and export a
// masked role (viewer, evaluator, department) can read about persons — lists,
// single records, search, person registers with entries and their .xlsx and
// .csv exports, the offline work set, indicator gap lists, families, audit
// snapshots of changed persons and entries — and tries to rebuild each
// resident's full ID number from what it shows, the way the review did. No
// full number, no birth date, and no masked number with fewer than 100
// candidates may be found. A path a role should read that answers otherwise
// fails the test.
func TestMaskingCannotBeUndone(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		e.loadQuestionnaires(t)
		flowSetup(t, e) // a campaign, for the families list
		stds, err := standards.Shipped()
		if err != nil {
			t.Fatal(err)
		}
		for _, std := range stds {
			if std.Code == "healthy-family" {
				if err := e.db.CreateStandard(sqltest.System(), std); err != nil {
					t.Fatal(err)
				}
			}
		}
		// Changes leave audit snapshots with the full record in them.
		county := e.as(t, "county")
		p := e.person(t, e.pB.ID)
		r := county.do(t, "PUT", "/api/v1/persons/{pB}", map[string]any{"household_id": p.HouseholdID, "name": "王五", "id_number": p.IDNumber,
			"relation": "户主", "phone": "13912345678", "registered": true, "resident": true, "version": p.Version})
		if r.status != http.StatusOK {
			t.Fatalf("update person: %d %s", r.status, r.body)
		}
		persons := []*healthcell.Person{e.person(t, e.pA.ID), e.person(t, e.pA2.ID), e.person(t, e.pB.ID), e.person(t, e.pC.ID)}
		// Entries of person registers, one of them changed (an audit snapshot of an entry).
		year := e.db.Now().Year()
		date := fmt.Sprintf("%d-01-15", year)
		var checkup int64
		for _, p := range persons {
			r := county.do(t, "POST", "/api/v1/registers/checkups/entries", checkupBody(p, date))
			if r.status != http.StatusCreated {
				t.Fatalf("checkup of %s: %d %s", p.Name, r.status, r.body)
			}
			checkup = int64(r.json(t)["id"].(float64))
		}
		for _, p := range persons[:2] {
			r := county.do(t, "POST", "/api/v1/registers/contracts/entries", map[string]any{"person": p.ID, "values": map[string]any{
				"doctor": "刘医生", "start_date": date, "end_date": fmt.Sprintf("%d-01-14", year+1), "priority_group": "elderly"}})
			if r.status != http.StatusCreated {
				t.Fatalf("contract of %s: %d %s", p.Name, r.status, r.body)
			}
		}
		entry := county.get(t, fmt.Sprintf("/api/v1/registers/checkups/entries/%d", checkup)).json(t)
		r = county.do(t, "PUT", fmt.Sprintf("/api/v1/registers/checkups/entries/%d", checkup), map[string]any{"version": entry["version"],
			"values": map[string]any{"exam_date": date, "kind": "general", "summary": "血压偏高"}})
		if r.status != http.StatusOK {
			t.Fatalf("update checkup: %d %s", r.status, r.body)
		}
		// And a household register's entry.
		r = county.do(t, "POST", "/api/v1/registers/sanitation/entries", map[string]any{"household": e.hA.ID, "values": map[string]any{
			"toilet": "sanitary", "tap_water": true, "checked_date": date}})
		if r.status != http.StatusCreated {
			t.Fatalf("sanitation: %d %s", r.status, r.body)
		}
		vill := sqltest.Village
		missing := fmt.Sprintf("?division=%s&period=%d", vill, year)
		missing2 := fmt.Sprintf("?division=%s&period=%d", sqltest.Village2, year) // 王五 has no contract
		due := fmt.Sprintf("?division=%s&period=%d", sqltest.Township, year-1)
		// Health registers and check-ups due are personal: refused to
		// masked roles, the list as forbidden, a record as missing.
		masked := func(status int) map[string]int {
			return map[string]int{"viewer": status, "evaluator": status, "department": status}
		}
		refused, hidden := masked(http.StatusForbidden), masked(http.StatusNotFound)
		paths := []maskedPath{
			{path: "/api/v1/persons", want: "张三"}, {path: "/api/v1/persons?q=王", want: "王五"},
			{path: "/api/v1/persons?division=" + sqltest.Township, want: "张三"}, {path: "/api/v1/persons?household_id={hA}", want: "李四"},
			{path: "/api/v1/persons/{pA}", want: "张三"}, {path: "/api/v1/persons/{pA2}", want: "李四"},
			{path: "/api/v1/persons/{pB}", want: "王五"}, {path: "/api/v1/persons/{pC}", want: "赵六"},
			{path: "/api/v1/households", want: "A-001"}, {path: "/api/v1/households/{hA}", want: "A-001"}, {path: "/api/v1/households/{hB}", want: "B-001"},
			{path: "/api/v1/audit", want: "person"}, {path: "/api/v1/audit?entity=person", want: "person"},
			{path: "/api/v1/audit?entity=register.checkups", want: "register.checkups"},
			{path: "/persons/{pA}", want: "张三"}, {path: "/persons/{pB}", want: "王五"}, {path: "/persons/{pC}", want: "赵六"},
			{path: "/households/{hA}", want: "张三"}, {path: "/households/{hB}", want: "王五"}, {path: "/households/{hC}", want: "赵六"},
			{path: "/search?q=王", want: "王五"}, {path: "/search?q=张", want: "张三"},
			{path: "/audit", want: "王五"}, {path: "/audit?entity=person", want: "王五"}, {path: "/audit?entity=register.checkups"},
			{path: "/divisions/" + vill, want: "A-001"},
			// Person registers with entries, their pages and exports.
			{path: "/api/v1/registers/checkups/entries", deny: refused},
			{path: fmt.Sprintf("/api/v1/registers/checkups/entries/%d", checkup), deny: hidden},
			{path: "/api/v1/registers/contracts/entries", deny: refused},
			{path: "/registers/checkups", deny: refused}, {path: "/registers/contracts", deny: refused},
			{path: fmt.Sprintf("/registers/checkups/%d", checkup), deny: hidden},
			{path: "/registers/checkups/export/csv", deny: refused}, {path: "/registers/checkups/export/xlsx", deny: refused},
			{path: "/registers/contracts/export/csv", deny: refused}, {path: "/registers/contracts/export/xlsx", deny: refused},
			{path: "/api/v1/registers/checkups/export", deny: refused}, {path: "/api/v1/registers/checkups/export?format=csv", deny: refused},
			{path: "/api/v1/registers/contracts/export", deny: refused},
			// A household register with an entry, its pages and exports.
			{path: "/registers/sanitation", want: "A-001"}, {path: "/api/v1/registers/sanitation/entries", want: "A-001"},
			{path: "/registers/sanitation/export/csv", want: "A-001"}, {path: "/registers/sanitation/export/xlsx", want: "A-001"},
			{path: "/api/v1/registers/sanitation/export", want: "A-001"},
			{path: "/registers/family_health"}, {path: "/api/v1/registers/family_health/entries"},
			// The offline work set of a village.
			{path: "/api/v1/offline/workset?village=" + vill, want: "张三"},
			// Residents an indicator does not count yet, and check-ups due.
			{path: "/indicators/record_rate/missing" + missing, want: "张三"}, {path: "/api/v1/indicators/record_rate/missing" + missing, want: "李四"},
			{path: "/indicators/contract_rate/missing" + missing2, want: "王五"}, {path: "/api/v1/indicators/contract_rate/missing" + missing2, want: "王五"},
			{path: "/checkups/due" + due, deny: hidden}, {path: "/api/v1/checkups/due" + due, deny: hidden},
			{path: "/checkups/due/export/xlsx" + due, deny: hidden}, {path: "/checkups/due/export/csv" + due, deny: hidden},
			// Families of a village.
			{path: "/families?village=" + vill, want: "A-001"}, {path: "/api/v1/families?village=" + vill, want: "A-001"},
			// Questionnaire responses.
			{path: "/api/v1/questionnaires/health-literacy-2020/responses"}, {path: "/questionnaires/health-literacy-2020"},
		}
		read := map[string][]string{}
		defer func() { t.Logf("read as masked roles: %v", read) }()
		for _, user := range []string{"viewer", "evaluator", "department"} {
			c := e.as(t, user)
			seen := 0
			for _, mp := range paths {
				path := mp.path
				r := c.get(t, path)
				want := http.StatusOK
				if s, ok := mp.deny[user]; ok {
					want = s
				}
				if r.status != want {
					t.Errorf("%s %s: %d, want %d", user, path, r.status, want)
					continue
				}
				if r.status != http.StatusOK {
					continue
				}
				read[user] = append(read[user], path)
				body := readableText(t, r)
				if !strings.Contains(body, mp.want) {
					t.Errorf("%s %s: does not show %q, so reads nothing", user, path, mp.want)
				}
				for _, p := range persons {
					if strings.Contains(body, p.IDNumber) {
						t.Errorf("%s %s: full ID number of %s shown", user, path, p.Name)
					}
					if strings.Contains(body, p.BirthDate) {
						t.Errorf("%s %s: birth date of %s shown", user, path, p.Name)
					}
				}
				for _, tok := range maskedToken.FindAllString(body, -1) {
					if !strings.Contains(tok, "*") {
						continue
					}
					seen++
					for _, p := range persons {
						if tok[:6] != p.IDNumber[:6] {
							continue
						}
						knowDate := strings.Contains(body, p.BirthDate) || strings.Contains(body, strings.ReplaceAll(p.BirthDate, "-", ""))
						if n := rebuildCandidates(tok, p.Sex, p.BirthDate, knowDate, 100); n < 100 {
							t.Errorf("%s %s: %s leaves %d candidates for %s's number", user, path, tok, n, p.Name)
						}
					}
				}
			}
			if seen == 0 {
				t.Errorf("%s saw no masked number at all: the test reads nothing", user)
			}
		}
	})
}

// TestRebuildCandidates checks the attack itself: the old mask with the
// birth date beside it gives one candidate, the new one hundreds.
func TestRebuildCandidates(t *testing.T) {
	id := sqltest.ID(t, "1974-04-10", 69)
	tests := []struct {
		name     string
		token    string
		knowDate bool
		atLeast  int
		atMost   int
	}{
		{"old mask, date shown", id[:6] + "********" + id[14:], true, 1, 1},
		{"old mask, year shown", id[:6] + "********" + id[14:], false, 1, 99},
		{"new mask, date shown", id[:6] + "************", true, 100, 1000},
		{"new mask, year shown", id[:6] + "************", false, 100, 1000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if n := rebuildCandidates(tt.token, "M", "1974-04-10", tt.knowDate, 1000); n < tt.atLeast || n > tt.atMost {
				t.Errorf("candidates = %d, want %d..%d", n, tt.atLeast, tt.atMost)
			}
		})
	}
}
