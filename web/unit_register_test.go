package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestUnitRegisterPages: the form of an institution's register asks for the
// unit (no "none"), refuses an entry without it in Chinese, and stores one
// with it; the unit contact records its own school's report.
func TestUnitRegisterPages(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		village := e.as(t, "village")
		r := village.get(t, "/registers/school_health/new?village="+sqltest.Village)
		if r.status != 200 || !strings.Contains(r.String(), `id="unit" required`) || !strings.Contains(r.String(), "陵江小学") {
			t.Fatalf("form: %d\n%s", r.status, r.body)
		}
		form := url.Values{"village": {sqltest.Village}, "report_date": {"2025-01-15"}, "classes": {"20"}, "health_classes": {"21"},
			"students_tested": {"800"}, "students_passed": {"700"}}
		r = village.do(t, "POST", "/registers/school_health/new", form)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.String(), "请选择单位") || !strings.Contains(r.String(), "不能大于总数") {
			t.Errorf("no unit, more classes with lessons than classes: %d", r.status)
		}
		form.Set("unit", fmt.Sprint(e.school.ID))
		form.Set("health_classes", "18")
		r = e.as(t, "unit").do(t, "POST", "/registers/school_health/new", form)
		if r.status != http.StatusSeeOther {
			t.Fatalf("the school's report: %d %s", r.status, r.body)
		}
		r = village.get(t, "/registers/school_health?division="+sqltest.Village)
		if !strings.Contains(r.String(), "陵江小学") || !strings.Contains(r.String(), "2025-01-15") {
			t.Errorf("the list does not show the report: %s", r.body)
		}
	})
}
