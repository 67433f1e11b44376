package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// run runs the program with args against dsn and returns stdout, stderr and the error.
func run(t *testing.T, dsn string, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	m := &Main{Stdout: &out, Stderr: &errb, Getenv: func(k string) string {
		if k == "HEALTHCELL_DB" {
			return dsn
		}
		return ""
	}}
	err := m.Run(context.Background(), args)
	return out.String(), errb.String(), err
}

func TestCommands(t *testing.T) {
	for _, engine := range sqltest.Engines {
		t.Run(engine, func(t *testing.T) {
			dsn := sqltest.DSN(t, engine)
			steps := []struct {
				name    string
				args    []string
				wantOut string
				wantErr string
			}{
				{"migrate", []string{"migrate"}, "applied migrations/" + engine + "/0001_foundation.sql", ""},
				{"load shipped county", []string{"divisions", "load", "--county", "510824"}, "34 townships, 457 villages", ""},
				{"load twice is idempotent", []string{"divisions", "load", "--county", "510824"}, "457 villages; 0 new or changed", ""},
				{"county not shipped", []string{"divisions", "load", "--county", "110105"}, "", "not shipped"},
				{"load the shipped province", []string{"divisions", "load", "--province", "51"}, "21 cities, 183 counties, 3111 townships, 34412 villages; 37234 new or changed", ""},
				{"load the province twice", []string{"divisions", "load", "--province", "51"}, "34412 villages; 0 new or changed", ""},
				{"a county of the shipped province", []string{"divisions", "load", "--county", "510104"}, "1 counties", ""},
				{"province not shipped", []string{"divisions", "load", "--province", "11"}, "", "--from"},
				{"load from dist", []string{"divisions", "load", "--province", "51", "--from", "../../chinadiv/testdata/dist"}, "2 counties", ""},
				{"both county and province", []string{"divisions", "load", "--county", "510824", "--province", "51"}, "", "exactly one"},
				{"add user", []string{"user", "add", "--username", "wang", "--password", "secret-123", "--role", "township", "--scope", "510824100"}, "added wang (township, scope 510824100000)", ""},
				{"duplicate user", []string{"user", "add", "--username", "wang", "--password", "secret-123", "--role", "township", "--scope", "510824100"}, "", "该用户名已被使用"},
				{"bad role and short password", []string{"user", "add", "--username", "li", "--password", "x", "--role", "boss", "--scope", "510824"}, "", "请选择角色"},
				{"unknown scope", []string{"user", "add", "--username", "li", "--password", "secret-123", "--role", "viewer", "--scope", "110105"}, "", "该区划不在系统中"},
				{"list", []string{"user", "list"}, "wang", ""},
				{"passwd", []string{"user", "passwd", "--username", "wang", "--password", "another-456"}, "password of wang changed", ""},
				{"passwd too short", []string{"user", "passwd", "--username", "wang", "--password", "short"}, "", "密码至少 8 位"},
				{"disable", []string{"user", "disable", "--username", "wang"}, "wang disabled=true", ""},
				{"load shipped standards", []string{"standards", "load-catalog"}, "loaded 8 shipped standards", ""},
				{"load a standard file", []string{"standards", "load", "../../catalog/standards/healthy-family.yaml"}, "version 1", ""},
				{"load a standard naming unknown codes", []string{"standards", "load", "../../standardfile/testdata/good_bom.csv"}, "", "row 19, 关联指标: 没有这个指标代码"},
				{"load a bad standard file", []string{"standards", "load", "../../standardfile/testdata/bad.csv"}, "", "分值为空"},
				{"list standards", []string{"standards", "list"}, "healthy-village", ""},
				{"export unknown standard", []string{"standards", "export", "nope"}, "", "找不到该标准"},
				{"export yaml", []string{"standards", "export", "healthy-family", "--format", "yaml"}, "code: healthy-family", ""},
				{"add unit", []string{"unit", "add", "--kind", "school", "--name", "陵江小学", "--division", "510824100001"}, "added unit", ""},
				{"add unit of unknown kind", []string{"unit", "add", "--kind", "zoo", "--name", "某", "--division", "510824100001"}, "", "单位类型不正确"},
				{"list units", []string{"unit", "list"}, "陵江小学", ""},
				{"unknown command", []string{"frobnicate"}, "", "unknown command"},
			}
			for _, s := range steps {
				out, _, err := run(t, dsn, s.args...)
				if s.wantErr != "" {
					if err == nil || !strings.Contains(describe(err), s.wantErr) {
						t.Errorf("%s: err = %v, want it to contain %q", s.name, err, s.wantErr)
					}
					continue
				}
				if err != nil {
					t.Errorf("%s: %v", s.name, describe(err))
				} else if !strings.Contains(out, s.wantOut) {
					t.Errorf("%s: output %q does not contain %q", s.name, out, s.wantOut)
				}
			}
			db, err := sqlstore.Open(context.Background(), dsn, sqltest.Definitions(t))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			ctx := healthcell.WithActor(context.Background(), healthcell.SystemActor)
			if _, err := db.Authenticate(ctx, "wang", "another-456"); err == nil {
				t.Error("a disabled user authenticated")
			}
			if v, err := db.FindDivision(ctx, "510802"); err != nil || len(v.Children) == 0 {
				t.Errorf("510802 loaded from dist: %v, %v", v, err)
			}
		})
	}
}

func TestDemoBuildIsRepeatable(t *testing.T) {
	for _, engine := range sqltest.Engines {
		t.Run(engine, func(t *testing.T) {
			dsn := sqltest.DSN(t, engine)
			out, errs, err := run(t, dsn, "demo", "--build-only")
			if err != nil {
				t.Fatalf("demo: %v\n%s", err, errs)
			}
			for _, a := range demoAccounts {
				if !strings.Contains(out, a.Username) {
					t.Errorf("account %s not printed", a.Username)
				}
			}
			if !strings.Contains(errs, "built 1600 households") {
				t.Errorf("first build: %s", errs)
			}
			_, errs, err = run(t, dsn, "demo", "--build-only")
			if err != nil || !strings.Contains(errs, "reusing the demo county: 1600 households") {
				t.Fatalf("second build: %v %s", err, errs)
			}
			// Asked for the county scale, it says plainly that it reuses
			// the small county and how to start afresh.
			_, errs, err = run(t, dsn, "demo", "--build-only", "--scale", "county")
			if err != nil || !strings.Contains(errs, "本次直接沿用，不会按全县规模重新生成") || !strings.Contains(errs, "not rebuilt at county scale") || strings.Contains(errs, "building") {
				t.Fatalf("county after small: %v %s", err, errs)
			}
		})
	}
}

func TestBackup(t *testing.T) {
	dir := t.TempDir()
	dsn := dir + "/live.db"
	if _, errs, err := run(t, dsn, "demo", "--build-only"); err != nil {
		t.Fatal(err, errs)
	}
	if _, _, err := run(t, dsn, "backup", "--to", dir+"/copy.db"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := run(t, dsn, "backup", "--to", dir+"/copy.db"); err == nil {
		t.Fatal("backup over an existing file succeeded")
	}
	_, errs, err := run(t, dir+"/copy.db", "demo", "--build-only")
	if err != nil || !strings.Contains(errs, "reusing the demo county: 1600 households") {
		t.Fatalf("the copy does not hold the county: %v %s", err, errs)
	}
}
