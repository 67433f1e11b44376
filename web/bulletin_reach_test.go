package web_test

import (
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

var reachRowRE = regexp.MustCompile(`(?s)<table [^>]*id="bulletin-reach">.*?</table>`)

// TestBulletinReachPage: a bulletin issued after one resident answered the
// village's quiz shows the outreach table on its page: the quiz columns,
// 陵江镇 with one participant and a full score, and the county's total.
func TestBulletinReachPage(t *testing.T) {
	eachEnv2(t, func(t *testing.T, e *env) {
		// The quiz answered in the campaign's year (the test clock is in 2025).
		now := e.db.Now
		e.db.Now = func() time.Time { return time.Date(2026, 6, 15, 9, 30, 0, 0, time.UTC) }
		c := e.anon(t)
		form := quizForm(t, e, c, "198.51.100.7")
		if r := c.do(t, "POST", "/public/"+sqltest.Village+"/quiz", form, "X-Forwarded-For", "198.51.100.7"); r.status != http.StatusSeeOther {
			t.Fatalf("submit: %d %s", r.status, r)
		}
		e.db.Now = now
		_, camp := flowSetup(t, e)
		b, err := e.db.IssueBulletin(sqltest.System(), camp)
		if err != nil {
			t.Fatal(err)
		}
		if b.Reach == nil || len(b.Reach.Columns) == 0 {
			t.Fatalf("bulletin without reach: %+v", b.Reach)
		}
		page := e.as(t, "county").get(t, fmt.Sprintf("/bulletins/%d", b.ID)).String()
		table := reachRowRE.FindString(page)
		if table == "" {
			t.Fatalf("no outreach table on the bulletin page:\n%s", page)
		}
		if !strings.Contains(page, b.Reach.Title+"（"+b.Reach.Period+"）") || !strings.Contains(page, "不作为健康素养水平的抽样调查结果") {
			t.Errorf("outreach heading or note missing")
		}
		text := html.UnescapeString(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(strings.ReplaceAll(table, "</tr>", "\n"), "|"))
		for _, want := range []string{"健康知识答题人次", "健康知识答题平均得分率", "|陵江镇||1||100%|", "|合计||1||100%|"} {
			if !strings.Contains(text, want) {
				t.Errorf("outreach table lacks %q:\n%s", want, text)
			}
		}
	})
}
