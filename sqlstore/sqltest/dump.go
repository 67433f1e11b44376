package sqltest

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// DumpRestore backs up the PostgreSQL schema (a DSN of DSN) or database (of
// Open) that dsn names with pg_dump in its custom format, as
// docs/OPERATIONS.md tells a province to, restores the file with pg_restore
// into a new database, and returns the DSN of the restored data there. The database is dropped when the test
// ends. It skips when PostgreSQL is not configured unless it is required,
// and fails when a tool is missing or fails.
func DumpRestore(t testing.TB, dsn string) string {
	t.Helper()
	base := PostgresURL(t)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	// A DSN of DSN names a schema of the test database; one of Open a
	// database of its own, whose objects are in its public schema.
	schema := u.Query().Get("search_path")
	source := base
	if schema == "" {
		u.RawQuery = ""
		source = u.String()
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	var version int
	if err := admin.QueryRow(`SELECT current_setting('server_version_num')::int / 10000`).Scan(&version); err != nil {
		t.Fatal(err)
	}
	bin, err := serverBin(version, "pg_dump")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "province.dump")
	tool := func(name string, args ...string) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		var out bytes.Buffer
		cmd := exec.CommandContext(ctx, filepath.Join(bin, name), args...)
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			t.Fatalf("%s: %v\n%s", name, err, out.String())
		}
	}
	dumpArgs := []string{"--format=custom", "--no-owner", "--file=" + file, "--dbname=" + source}
	if schema != "" {
		dumpArgs = append(dumpArgs, "--schema="+schema)
	}
	tool("pg_dump", dumpArgs...)
	if fi, err := os.Stat(file); err != nil || fi.Size() == 0 {
		t.Fatalf("pg_dump wrote no file: %v", err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	name := "healthcell_restore_" + hex.EncodeToString(b)
	if _, err := admin.Exec(`CREATE DATABASE ` + name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer a.Close()
		if _, err := a.Exec(`DROP DATABASE ` + name + ` WITH (FORCE)`); err != nil {
			t.Logf("drop %s: %v", name, err)
		}
	})
	target, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	target.Path = "/" + name
	tool("pg_restore", "--no-owner", "--exit-on-error", "--dbname="+target.String(), file)
	if schema != "" {
		q := target.Query()
		q.Set("search_path", schema)
		target.RawQuery = q.Encode()
	}
	return fmt.Sprint(target)
}
