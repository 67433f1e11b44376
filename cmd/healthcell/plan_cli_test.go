package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/catalog/standards"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

func TestPlanCommand(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		sys := sqltest.System()
		sqltest.LoadDivisions(t, db)
		all, err := standards.Shipped()
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range all {
			if err := db.CreateStandard(sys, s); err != nil {
				t.Fatal(err)
			}
		}
		c := &healthcell.Campaign{Division: sqltest.County, Year: 2026, Name: "2026年健康细胞创建"}
		if err := db.CreateCampaign(sys, c); err != nil {
			t.Fatal(err)
		}
		dsn := db.DSN
		db.Close()
		id := fmt.Sprint(c.ID)
		out, _, err := run(t, dsn, "plan", "templates")
		if err != nil || !strings.Contains(out, "healthy-village-county") || !strings.Contains(out, "health-promoting-township") || !strings.Contains(out, "sanitary-community") {
			t.Fatalf("templates: %v\n%s", err, out)
		}
		if _, _, err := run(t, dsn, "plan", "apply", id, "no-such"); err == nil {
			t.Fatal("an unknown template applied")
		}
		if out, _, err := run(t, dsn, "plan", "apply", id, "healthy-village-county"); err != nil || !strings.Contains(out, "draft plan") {
			t.Fatalf("apply: %v\n%s", err, out)
		}
		if _, _, err := run(t, dsn, "plan", "publish", id); err != nil {
			t.Fatal(err)
		}
		out, _, err = run(t, dsn, "plan", "show", id)
		if err != nil || !strings.Contains(out, "published") || !strings.Contains(out, "健康村") || !strings.Contains(out, "lead 县卫健局") {
			t.Fatalf("show: %v\n%s", err, out)
		}
		if out, _, err := run(t, dsn, "plan", "progress", id, "--day", "2026-07-01"); err != nil || !strings.Contains(out, `"totals"`) {
			t.Fatalf("progress: %v\n%s", err, out)
		}
		file := filepath.Join(t.TempDir(), "plan.docx")
		if _, _, err := run(t, dsn, "plan", "export", id, "--out", file); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(file)
		if err != nil || !strings.HasPrefix(string(b), "PK") {
			t.Fatalf("export: %v, %d bytes", err, len(b))
		}
		if _, _, err := run(t, dsn, "plan", "export", id); err == nil {
			t.Fatal("export without --out")
		}
		db2, err := sqlstore.Open(context.Background(), dsn, sqltest.Definitions(t))
		if err != nil {
			t.Fatal(err)
		}
		defer db2.Close()
		if p, err := db2.FindPlan(sys, c.ID); err != nil || p.State != healthcell.PlanPublished {
			t.Fatalf("stored plan: %v", err)
		}
	})
}
