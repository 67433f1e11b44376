package main

import (
	"context"
	"fmt"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/importer"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/tablefile"
)

// importRegister runs "healthcell import REGISTER FILE": the rows are matched
// to residents (by ID number), households or villages, and either all are
// stored or, when any has an error, none is, the error report is written
// and the command fails (exit 1).
func (m *Main) importRegister(ctx context.Context, dsn, code, path, report string, dryRun bool) error {
	if report == "" {
		report = path + ".errors.xlsx"
	}
	kind := tablefile.Kind(report)
	if kind == "" {
		return fmt.Errorf("--report %s: the report must be .xlsx or .csv", report)
	}
	return m.withDB(ctx, dsn, func(db *sqlstore.DB) error {
		d := db.Registers().Get(code)
		if d == nil {
			return fmt.Errorf("unknown register %q: import residents, or one of %v", code, registerCodes(db))
		}
		r, counter, size, err := openTable(path)
		if err != nil {
			return err
		}
		defer r.Close()
		bar := newProgress(m.Stderr, "导入", size)
		opt := importer.Options{DryRun: dryRun, Progress: func(rows int) {
			var done int64
			if counter != nil {
				done = counter.n
			}
			bar.update(rows, done)
		}}
		res, err := importer.ImportEntries(system(ctx), db, d, r, opt)
		bar.end()
		if res == nil || healthcell.ErrorMessage(err) != "import.has_errors" {
			if err == nil {
				verb := "imported"
				if res.DryRun {
					verb = "checked (dry run, nothing stored)"
				}
				fmt.Fprintf(m.Stdout, "%d rows %s: %d %s entries\n", res.Rows, verb, res.Entries, d.Code)
				if res.Issues.Warnings > 0 {
					fmt.Fprintf(m.Stdout, "%d warnings\n", res.Issues.Warnings)
				}
				if len(res.Unknown) > 0 {
					fmt.Fprintf(m.Stdout, "ignored columns: %v\n", res.Unknown)
				}
			}
			return err
		}
		fmt.Fprintf(m.Stdout, "%d rows, %d errors\n", res.Rows, res.Issues.Errors)
		if werr := writeReportFile(report, kind, res.Issues.List, m.Getenv("HEALTHCELL_LANG")); werr != nil {
			return fmt.Errorf("write report: %w", werr)
		}
		fmt.Fprintf(m.Stdout, "report: %s\n", report)
		return healthcell.Errorf(healthcell.EINVALID, "import.has_errors")
	})
}

// registerCodes lists the registers' codes.
func registerCodes(db *sqlstore.DB) []string {
	var out []string
	for _, d := range db.Registers().All() {
		out = append(out, d.Code)
	}
	return out
}
