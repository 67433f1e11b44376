// Command healthcell runs the healthy-cells campaign system: the web server,
// the demo county, and the administration commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/catalog"
	"github.com/healthcell/healthcell/locale"
	"github.com/healthcell/healthcell/sqlstore"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := NewMain()
	stopProfile := startProfile() // profile.go
	err := m.Run(ctx, os.Args[1:])
	stopProfile()
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "healthcell:", describe(err))
		}
		os.Exit(exitCode(err))
	}
}

// Main is the program, with its streams and environment as fields so that
// tests can run it in-process.
type Main struct {
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
	// Ready, when set, receives the address the server listens on.
	Ready func(addr string)

	// defs are the definitions every command works with, loaded once by
	// definitions.
	defs *catalog.Definitions
}

// NewMain returns a Main wired to the process's streams and environment.
func NewMain() *Main {
	return &Main{Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
}

const usage = `healthcell — healthy-cells campaign system

Usage:
  healthcell demo      [--db DB] [--scale small|county] [--addr :8080] [--build-only]
  healthcell serve     [--db DB] [--addr :8080] [--secure-cookies] [--trust-proxy] [--metrics-token T] [--metrics-allow ADDRS]
  healthcell migrate   [--db DB]
  healthcell divisions load [--db DB] (--county 510824 | --province 51) [--from DIR]
  healthcell user add     [--db DB] --username U --password P --role ROLE --scope CODE [--name NAME] [--unit ID] [--department D]
  healthcell user list    [--db DB]
  healthcell user passwd  [--db DB] --username U --password P
  healthcell user disable [--db DB] --username U [--enable]
  healthcell standards load FILE… | load-catalog | list | export CODE [--format xlsx|csv|yaml] > FILE
  healthcell questionnaires load FILE… | load-catalog | list | rescore CODE
  healthcell unit add  [--db DB] --kind school|hospital|agency|enterprise --name NAME --division CODE
  healthcell unit list [--db DB] [--division CODE]
  healthcell backup    [--db DB] --to FILE        (SQLite; use pg_dump for PostgreSQL)
  healthcell check     [--db DB]                  (integrity and live counts)
  healthcell import residents FILE [--db DB] [--report PATH] [--dry-run] [--update]
  healthcell import REGISTER FILE  [--db DB] [--report PATH] [--dry-run]
  healthcell export residents [--db DB] --division CODE --format xlsx|csv [--out FILE]
  healthcell export REGISTER [--db DB] [--division CODE] [--format xlsx|csv] [--out FILE]
  healthcell reconcile [--db DB] [--division CODE] [--kind KIND] [--all]
  healthcell reconcile [--db DB] --resolve KEY --fingerprint FP --note TEXT
  healthcell plan templates
  healthcell plan apply|copy CAMPAIGN TEMPLATE|FROM-CAMPAIGN [--db DB]
  healthcell plan publish|show|progress CAMPAIGN [--db DB] [--json] [--day YYYY-MM-DD]
  healthcell plan export CAMPAIGN --out plan.docx [--db DB]

DB is a SQLite file (default ./healthcell.db) or a postgres:// URL; it can
also be set with HEALTHCELL_DB. Roles: county_admin department township
village unit evaluator viewer.
`

// Run runs the subcommand named by args[0].
func (m *Main) Run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(m.Stderr, usage)
		return flag.ErrHelp
	}
	switch args[0] {
	case "serve":
		return m.runServe(ctx, args[1:])
	case "demo":
		return m.runDemo(ctx, args[1:])
	case "migrate":
		return m.runMigrate(ctx, args[1:])
	case "divisions":
		return m.runDivisions(ctx, args[1:])
	case "user":
		return m.runUser(ctx, args[1:])
	case "standards":
		return m.runStandards(ctx, args[1:])
	case "questionnaires":
		return m.runQuestionnaires(ctx, args[1:])
	case "unit":
		return m.runUnit(ctx, args[1:])
	case "check":
		return m.runCheck(ctx, args[1:])
	case "backup":
		return m.runBackup(ctx, args[1:])
	case "import":
		return m.runImport(ctx, args[1:])
	case "reconcile":
		return m.runReconcile(ctx, args[1:])
	case "export":
		return m.runExport(ctx, args[1:])
	case "plan":
		return m.runPlan(ctx, args[1:])
	case "help", "-h", "--help":
		fmt.Fprint(m.Stdout, usage)
		return nil
	}
	fmt.Fprint(m.Stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

// flags returns a flag set for a subcommand with the common --db flag.
func (m *Main) flags(name string) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet("healthcell "+name, flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	def := m.Getenv("HEALTHCELL_DB")
	if def == "" {
		def = "healthcell.db"
	}
	return fs, fs.String("db", def, "SQLite file or postgres:// URL (env HEALTHCELL_DB)")
}

// definitions returns the shipped definitions (registers, indicators,
// workflow, rules), loaded on first use and then kept; an error naming the
// file for a broken one.
func (m *Main) definitions() (*catalog.Definitions, error) {
	if m.defs == nil {
		d, err := catalog.Load()
		if err != nil {
			return nil, err
		}
		m.defs = d
	}
	return m.defs, nil
}

// open opens and migrates the database, working with the shipped
// definitions.
func (m *Main) open(ctx context.Context, dsn string) (*sqlstore.DB, error) {
	defs, err := m.definitions()
	if err != nil {
		return nil, err
	}
	return sqlstore.Open(ctx, dsn, defs)
}

// withDB opens the database, runs fn on it and closes it; it returns the
// error of opening or of fn.
func (m *Main) withDB(ctx context.Context, dsn string, fn func(db *sqlstore.DB) error) error {
	db, err := m.open(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	return fn(db)
}

// logger returns the server's structured logger on stderr.
func (m *Main) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(m.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

// system returns a context acting as the command line.
func system(ctx context.Context) context.Context {
	return healthcell.WithActor(ctx, healthcell.SystemActor)
}

// describe renders an error for the terminal in the language of
// HEALTHCELL_LANG (Chinese by default), with field errors one a line.
func describe(err error) string {
	return describeIn(os.Getenv("HEALTHCELL_LANG"), err)
}

func describeIn(lang string, err error) string {
	if healthcell.ErrorCode(err) == healthcell.EINTERNAL {
		return err.Error()
	}
	cat, cerr := locale.New()
	if cerr != nil {
		return err.Error()
	}
	s := cat.T(lang, healthcell.ErrorMessage(err), nil)
	for _, f := range healthcell.ErrorFields(err) {
		line := "\n  "
		if f.Row > 0 {
			line += fmt.Sprintf("row %d, ", f.Row)
		}
		line += f.Field + ": " + cat.T(lang, f.Message, nil)
		if f.Value != "" {
			line += " (" + f.Value + ")"
		}
		s += line
	}
	return s
}

// exitCode is 2 for usage errors and 1 for everything else.
func exitCode(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return 2
	}
	return 1
}

// parseArgs parses flags wherever they stand among the arguments, so that
// "export CODE --format yaml" works as well as "export --format yaml CODE",
// and returns the positional arguments.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}
