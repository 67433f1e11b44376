package sqltest

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/healthcell/healthcell/sqlstore"
)

// A template is a database built once per test process and copied for each
// test that asks for it: a SQLite file, or a PostgreSQL database that new
// databases are created from (CREATE DATABASE … TEMPLATE).
type template struct {
	key  string // what it was built for; a new key rebuilds it
	dsn  string // the SQLite file or the PostgreSQL URL of the template
	err  error
	drop func()
}

var templates = struct {
	sync.Mutex
	byEngine map[string]*template
}{byEngine: map[string]*template{}}

// Copy returns the name of a fresh database on engine holding a copy of the
// database that build makes, removed when the test ends. build runs once
// per engine and key in the test process (again when key changes, for a
// template that depends on the day, say) on a new, empty database whose
// name it is given, and must close every connection to it before it
// returns. Copy fails the test when build fails (and every later test that
// asks for the same template) or the copy cannot be made; it skips the
// test when PostgreSQL is not configured, unless it is required.
func Copy(t testing.TB, engine, key string, build func(dsn string) error) string {
	t.Helper()
	tpl := templateFor(t, engine, key, build)
	if tpl.err != nil {
		t.Fatalf("build the %s template: %v", engine, tpl.err)
	}
	switch engine {
	case sqlstore.SQLite:
		dst := filepath.Join(t.TempDir(), "test.db")
		for _, suffix := range []string{"", "-wal"} {
			if err := copyFile(tpl.dsn+suffix, dst+suffix); err != nil && !(suffix != "" && os.IsNotExist(err)) {
				t.Fatalf("copy the SQLite template: %v", err)
			}
		}
		return dst
	case sqlstore.Postgres:
		name := "t_" + randomHex(6)
		dsn, err := createDatabase(PostgresURL(t), name, dbName(tpl.dsn))
		if err != nil {
			t.Fatalf("copy the PostgreSQL template: %v", err)
		}
		t.Cleanup(func() { dropDatabase(PostgresURL(t), name) })
		return dsn
	}
	t.Fatalf("unknown engine %q", engine)
	return ""
}

// DropTemplates removes the templates Copy built; a TestMain calls it after
// the tests have run.
func DropTemplates() {
	templates.Lock()
	defer templates.Unlock()
	for engine, tpl := range templates.byEngine {
		if tpl.drop != nil {
			tpl.drop()
		}
		delete(templates.byEngine, engine)
	}
}

// templateFor returns engine's template for key, building it first when
// there is none or it was built for another key.
func templateFor(t testing.TB, engine, key string, build func(dsn string) error) *template {
	t.Helper()
	templates.Lock()
	defer templates.Unlock()
	if tpl := templates.byEngine[engine]; tpl != nil {
		if tpl.key == key {
			return tpl
		}
		if tpl.drop != nil {
			tpl.drop()
		}
		delete(templates.byEngine, engine)
	}
	tpl := &template{key: key}
	switch engine {
	case sqlstore.SQLite:
		dir, err := os.MkdirTemp("", "healthcell-template-")
		if err != nil {
			t.Fatal(err)
		}
		tpl.dsn = filepath.Join(dir, "template.db")
		tpl.drop = func() { os.RemoveAll(dir) }
	case sqlstore.Postgres:
		base := PostgresURL(t)
		name := "tpl_" + randomHex(6)
		dsn, err := createDatabase(base, name, "")
		if err != nil {
			t.Fatalf("create the PostgreSQL template: %v", err)
		}
		tpl.dsn = dsn
		tpl.drop = func() { dropDatabase(base, name) }
	default:
		t.Fatalf("unknown engine %q", engine)
	}
	tpl.err = build(tpl.dsn)
	templates.byEngine[engine] = tpl
	return tpl
}

// createDatabase creates the database name on the server at base, empty or
// a copy of the database from (STRATEGY FILE_COPY), and returns its URL; it
// fails when the server refuses (from still has connections, say).
func createDatabase(base, name, from string) (string, error) {
	// FILE_COPY copies the files at once rather than through the WAL:
	// much faster for a database of tens of megabytes.
	return createDatabaseStrategy(base, name, from, "FILE_COPY")
}

// createDatabaseStrategy is createDatabase with the copy's strategy
// (FILE_COPY or WAL_LOG; unused for an empty database).
func createDatabaseStrategy(base, name, from, strategy string) (string, error) {
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return "", err
	}
	defer admin.Close()
	stmt := "CREATE DATABASE " + name
	if from != "" {
		stmt += " TEMPLATE " + from + " STRATEGY " + strategy
	}
	if _, err := admin.Exec(stmt); err != nil {
		return "", fmt.Errorf("%s: %w", stmt, err)
	}
	return databaseURL(base, name)
}

// databaseURL returns base (a PostgreSQL URL) naming the database name,
// without a search_path; an error when base does not parse.
func databaseURL(base, name string) (string, error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	u.Path = "/" + name
	q := u.Query()
	q.Del("search_path")
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// dropDatabase drops the database name, closing what is still connected.
func dropDatabase(base, name string) {
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return
	}
	defer admin.Close()
	admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
}

// dbName returns the database a PostgreSQL URL names.
func dbName(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return ""
	}
	return u.Path[1:]
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// copyFile copies src to dst; it returns the error of opening src (one
// that os.IsNotExist recognises when there is none) or of writing dst.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
