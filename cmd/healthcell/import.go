package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/catalog/imports"
	"github.com/healthcell/healthcell/importer"
	"github.com/healthcell/healthcell/locale"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/tablefile"
)

// runImport runs "healthcell import residents FILE": every row is checked,
// and either all rows are stored or, when any has an error, none is, the
// error report is written and the command fails (exit 1).
func (m *Main) runImport(ctx context.Context, args []string) error {
	fs, dsn := m.flags("import")
	report := fs.String("report", "", "error report, .xlsx or .csv (default FILE.errors.xlsx)")
	dryRun := fs.Bool("dry-run", false, "check the file, store nothing")
	update := fs.Bool("update", false, "update residents whose ID number is already stored")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 2 && pos[0] != "residents" {
		return m.importRegister(ctx, *dsn, pos[0], pos[1], *report, *dryRun) // import_register.go
	}
	if len(pos) != 2 || pos[0] != "residents" {
		fmt.Fprintln(m.Stderr, "usage: healthcell import residents FILE [--db DB] [--report PATH] [--dry-run] [--update]")
		return flag.ErrHelp
	}
	path := pos[1]
	if *report == "" {
		*report = path + ".errors.xlsx"
	}
	kind := tablefile.Kind(*report)
	if kind == "" {
		return fmt.Errorf("--report %s: the report must be .xlsx or .csv", *report)
	}
	table, err := imports.Table("residents")
	if err != nil {
		return err
	}
	r, counter, size, err := openTable(path)
	if err != nil {
		return err
	}
	defer r.Close()
	bar := newProgress(m.Stderr, "导入", size)
	opt := importer.Options{Update: *update, DryRun: *dryRun, Progress: func(rows int) {
		var done int64
		if counter != nil {
			done = counter.n
		}
		bar.update(rows, done)
	}}
	var res *importer.Result
	err = m.withDB(ctx, *dsn, func(db *sqlstore.DB) error {
		db.SoleImports = true // a command of its own: see sqlstore/residentimport_journal.go
		res, err = importer.ImportResidents(system(ctx), db, table, r, opt)
		return err
	})
	bar.end()
	if res == nil || healthcell.ErrorMessage(err) != "import.has_errors" {
		if err == nil {
			m.printImported(res)
		}
		return err
	}
	// The file has errors: the report is what the user fixes from.
	fmt.Fprintf(m.Stdout, "%d rows, %d errors\n", res.Rows, res.Issues.Errors)
	if werr := writeReportFile(*report, kind, res.Issues.List, m.Getenv("HEALTHCELL_LANG")); werr != nil {
		return fmt.Errorf("write report: %w", werr)
	}
	fmt.Fprintf(m.Stdout, "report: %s\n", *report)
	return healthcell.Errorf(healthcell.EINVALID, "import.has_errors")
}

// openTable opens a table file; for CSV it also returns the byte counter
// and the size of the file, for the progress bar.
func openTable(path string) (tablefile.Reader, *countingReader, int64, error) {
	if tablefile.Kind(path) != "csv" {
		r, err := tablefile.Open(path)
		switch {
		case errors.Is(err, tablefile.ErrType):
			return nil, nil, 0, healthcell.Invalid([]healthcell.FieldError{{Field: path, Message: "import.file.type"}})
		case errors.Is(err, tablefile.ErrUnreadable):
			return nil, nil, 0, healthcell.Invalid([]healthcell.FieldError{{Field: path, Message: "import.file.unreadable"}})
		}
		return r, nil, 0, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, 0, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, 0, err
	}
	cr := &countingReader{r: f}
	c, err := tablefile.NewCSV(cr)
	if err != nil {
		f.Close()
		return nil, nil, 0, err
	}
	return fileTable{c, f}, cr, st.Size(), nil
}

// fileTable closes the file under a CSV reader.
type fileTable struct {
	*tablefile.CSV
	f *os.File
}

func (t fileTable) Close() error { return t.f.Close() }

// writeReportFile writes an import's problems to path, in lang.
func writeReportFile(path, kind string, issues []importer.Issue, lang string) error {
	cat, err := locale.New()
	if err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	err = importer.WriteReport(f, kind, issues, func(key string) string { return cat.T(lang, key, nil) })
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// printImported says what an import stored (or would have, on a dry run).
func (m *Main) printImported(res *importer.Result) {
	c := res.Counts
	verb := "imported"
	if res.DryRun {
		verb = "checked (dry run, nothing stored)"
	}
	fmt.Fprintf(m.Stdout, "%d rows %s: %d residents added, %d updated, %d households added\n", res.Rows, verb, c.Persons, c.Updated, c.Households)
	if res.Issues.Warnings > 0 {
		fmt.Fprintf(m.Stdout, "%d warnings (invalid phone numbers were left out)\n", res.Issues.Warnings)
	}
	if len(res.Unknown) > 0 {
		fmt.Fprintf(m.Stdout, "ignored columns: %v\n", res.Unknown)
	}
}

// runExport runs "healthcell export residents": the active residents under
// a division as .xlsx or .csv, on standard output without --out.
func (m *Main) runExport(ctx context.Context, args []string) error {
	if len(args) > 0 && args[0] != "residents" && !strings.HasPrefix(args[0], "-") {
		return m.runExportRegister(ctx, args) // export.go
	}
	fs, dsn := m.flags("export")
	division := fs.String("division", "", "division code (default: everything)")
	format := fs.String("format", "xlsx", "xlsx or csv")
	out := fs.String("out", "", "file to write (default standard output)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || pos[0] != "residents" || (*format != "xlsx" && *format != "csv") {
		fmt.Fprintln(m.Stderr, "usage: healthcell export residents --division CODE --format xlsx|csv [--out FILE]")
		return flag.ErrHelp
	}
	if *division != "" && healthcell.NormalizeCode(*division) == "" {
		return fmt.Errorf("--division %q is not a division code", *division)
	}
	table, err := imports.Table("residents")
	if err != nil {
		return err
	}
	w := m.Stdout
	var f *os.File
	if *out != "" {
		if f, err = os.Create(*out); err != nil {
			return err
		}
		w = f
	}
	err = m.withDB(ctx, *dsn, func(db *sqlstore.DB) error {
		return importer.WriteResidents(w, *format, table, func(emit func(*healthcell.ImportedResident) error) error {
			return db.ExportResidents(system(ctx), healthcell.NormalizeCode(*division), emit)
		})
	})
	if f != nil {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(*out)
		}
	}
	return err
}
