package web_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestActivityMissed: the API and the page list the periods of 2025 in
// which a village held no lecture (the test clock is 2025-06-15: January to
// May have ended); out of scope is 404, a bad year 422.
func TestActivityMissed(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		if _, err := e.db.LoadRegisters(sqltest.System(), func(emit func(*sqlstore.RegisterRow) error) error {
			for _, d := range []string{"2025-01-15", "2025-02-15", "2025-03-15"} {
				if err := emit(&sqlstore.RegisterRow{Register: "activities", Village: sqltest.Village,
					Values: []any{"lecture", d, "活动室", "高血压防治", "卫生院", 40}}); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		township := e.as(t, "township")

		r := township.get(t, "/api/v1/activity-rules")
		if r.status != 200 || !strings.Contains(r.String(), `"village_lecture_monthly"`) {
			t.Fatalf("rules: %d %s", r.status, r.body)
		}
		r = township.get(t, "/api/v1/activity-rules/missed?division="+sqltest.Village+"&year=2025")
		var doc struct {
			Year  int                       `json:"year"`
			Total int                       `json:"total"`
			Items []healthcell.ActivityMiss `json:"items"`
		}
		if r.status != 200 || json.Unmarshal(r.body, &doc) != nil || doc.Year != 2025 || doc.Total != len(doc.Items) {
			t.Fatalf("missed: %d %s", r.status, r.body)
		}
		var lectures []string
		for _, m := range doc.Items {
			if m.Rule == "village_lecture_monthly" {
				lectures = append(lectures, m.Period)
			}
		}
		if got := strings.Join(lectures, " "); got != "2025-04 2025-05" {
			t.Errorf("lectures missed in %s", got)
		}

		r = township.get(t, "/activities/missed?division="+sqltest.Village+"&year=2025")
		body := r.String()
		lecture, _, _ := strings.Cut(body[strings.Index(body, `id="rule-village_lecture_monthly"`)+1:], "</section>")
		if r.status != 200 || !strings.Contains(body, "活动频次检查") || !strings.Contains(lecture, "每月至少开展一次健康讲座") ||
			!strings.Contains(lecture, `<td class="periods"><span>4月（0 次）</span>、<span>5月（0 次）</span></td>`) || !strings.Contains(body, "1月（0 次）") {
			t.Errorf("page: %d\n%s", r.status, body)
		}
		if strings.Contains(body, ">village_lecture_monthly") || strings.Contains(body, ">lecture<") || strings.Contains(body, "2025-04") {
			t.Error("the page shows codes")
		}

		for _, c := range []struct {
			user, path string
			status     int
		}{
			{"township", "/api/v1/activity-rules/missed?division=" + sqltest.Village + "&year=next", http.StatusUnprocessableEntity},
			{"township", "/api/v1/activity-rules/missed?division=" + sqltest.Village + "&year=1999", http.StatusUnprocessableEntity},
			{"village", "/api/v1/activity-rules/missed?division=" + sqltest.Township, http.StatusNotFound},
			{"village", "/activities/missed?division=" + sqltest.Township2, http.StatusNotFound},
			{"village", "/api/v1/activity-rules/missed?year=2025", http.StatusOK},
		} {
			if r := e.as(t, c.user).get(t, c.path); r.status != c.status {
				t.Errorf("%s %s: %d, want %d", c.user, c.path, r.status, c.status)
			}
		}
	})
}
