package web_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/healthcell/healthcell"
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

// TestMaskingCannotBeUndone fetches every API answer, page and export a
// masked role (viewer, evaluator, department) can read about persons — lists,
// single records, search, registers, audit snapshots of changed persons — and
// tries to rebuild each resident's full ID number from what it shows, the way
// the review did. No full number, no birth date, and no masked number with
// fewer than 100 candidates may be found.
func TestMaskingCannotBeUndone(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		// Changes leave audit snapshots with the full record in them.
		county := e.as(t, "county")
		p := e.person(t, e.pB.ID)
		r := county.do(t, "PUT", "/api/v1/persons/{pB}", map[string]any{"household_id": p.HouseholdID, "name": "王五", "id_number": p.IDNumber,
			"relation": "户主", "phone": "13912345678", "registered": true, "resident": true, "version": p.Version})
		if r.status != http.StatusOK {
			t.Fatalf("update person: %d %s", r.status, r.body)
		}
		persons := []*healthcell.Person{e.person(t, e.pA.ID), e.person(t, e.pA2.ID), e.person(t, e.pB.ID), e.person(t, e.pC.ID)}
		paths := []string{
			"/api/v1/persons", "/api/v1/persons?q=王", "/api/v1/persons?division=" + sqltest.Township, "/api/v1/persons?household_id={hA}",
			"/api/v1/persons/{pA}", "/api/v1/persons/{pA2}", "/api/v1/persons/{pB}", "/api/v1/persons/{pC}",
			"/api/v1/households", "/api/v1/households/{hA}", "/api/v1/households/{hB}",
			"/api/v1/audit", "/api/v1/audit?entity=person", "/api/v1/registers/family_health/entries",
			"/persons/{pA}", "/persons/{pB}", "/persons/{pC}", "/households/{hA}", "/households/{hB}", "/households/{hC}",
			"/search?q=王", "/search?q=张", "/audit", "/audit?entity=person", "/divisions/" + sqltest.Village,
			"/registers/family_health", "/registers/family_health/export/csv", "/api/v1/registers/family_health/export",
			"/api/v1/questionnaires/health-literacy-2020/responses", "/questionnaires/health-literacy-2020",
		}
		read := map[string][]string{}
		defer func() { t.Logf("read as masked roles: %v", read) }()
		for _, user := range []string{"viewer", "evaluator", "department"} {
			c := e.as(t, user)
			seen := 0
			for _, path := range paths {
				r := c.get(t, path)
				if r.status != http.StatusOK {
					continue
				}
				read[user] = append(read[user], path)
				body := r.String()
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
			if user == "viewer" && seen == 0 {
				t.Errorf("viewer saw no masked number at all: the test reads nothing")
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
