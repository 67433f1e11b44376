package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/catalog"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

func TestQuestionnaireCommands(t *testing.T) {
	files, err := catalog.Questionnaires()
	if err != nil {
		t.Fatal(err)
	}
	var lit []byte
	for _, f := range files {
		if f.Name == "health-literacy-2020.yaml" {
			lit = f.Text
		}
	}
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	corrected := write("corrected.yaml", bytes.Replace(lit, []byte("      D: 多睡懒觉\n    answer: B"), []byte("      D: 多睡懒觉\n    answer: C"), 1))
	bad := write("bad.yaml", bytes.Replace(lit, []byte("total_points: 66"), []byte("total_points: 60"), 1))

	for _, engine := range sqltest.Engines {
		t.Run(engine, func(t *testing.T) {
			dsn := sqltest.DSN(t, engine)
			step := func(wantOut, wantErr string, args ...string) {
				t.Helper()
				out, _, err := run(t, dsn, args...)
				if wantErr != "" {
					if err == nil || !strings.Contains(describeIn("", err), wantErr) {
						t.Fatalf("%v: error %v, want %q", args, err, wantErr)
					}
					return
				}
				if err != nil || !strings.Contains(out, wantOut) {
					t.Fatalf("%v: %q, %v; want %q", args, out, err, wantOut)
				}
			}
			step("457 villages", "", "divisions", "load", "--county", "510824")
			step("loaded 3 shipped questionnaires", "", "questionnaires", "load-catalog")
			step("health-literacy-2020     v1    50 items  66 points       0 responses", "", "questionnaires", "list")

			// One response, scored against version 1: item 9 answered C (wrong).
			db, err := sqlstore.Open(context.Background(), dsn, sqltest.Definitions(t))
			if err != nil {
				t.Fatal(err)
			}
			_, q, err := db.FindQuestionnaire(sqltest.System(), "health-literacy-2020")
			if err != nil {
				t.Fatal(err)
			}
			answers := map[string][]string{}
			for _, it := range q.Items {
				answers[it.Code] = it.Answer
			}
			answers["9"] = []string{"C"}
			r := &healthcell.Response{Questionnaire: q.Code, VillageCode: sqltest.Village, Name: "甲", Sex: "M", Age: 30, Answers: answers}
			if err := db.CreateResponse(sqltest.System(), r); err != nil || r.Points != 65 {
				t.Fatalf("response: %d points, %v", r.Points, err)
			}
			db.Close()

			step("version 2 stored, 50 items, 66 points; 1 responses were scored against an older version", "", "questionnaires", "load", corrected)
			step("version 2 unchanged", "", "questionnaires", "load", corrected)
			step("(1 to re-score)", "", "questionnaires", "list")
			step("re-scored health-literacy-2020: 1 responses changed score", "", "questionnaires", "rescore", "health-literacy-2020")
			step("re-scored health-literacy-2020: 0 responses changed score", "", "questionnaires", "rescore", "health-literacy-2020")
			step("", "各题分值之和与声明的总分不符", "questionnaires", "load", bad)
			step("", "问卷不存在", "questionnaires", "rescore", "nope")
			step("", "usage", "questionnaires", "rescore")
			step("", "unknown questionnaires command", "questionnaires", "drop")

			db, err = sqlstore.Open(context.Background(), dsn, sqltest.Definitions(t))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			got, err := db.FindResponse(sqltest.System(), r.ID)
			if err != nil || got.Points != 66 || got.Version != 2 {
				t.Errorf("after rescoring: %+v, %v", got, err)
			}
		})
	}
}
