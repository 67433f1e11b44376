package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/sqlstore"
	"github.com/healthcell/healthcell/tablefile"
)

// runExportRegister writes a register's entries under a division as .xlsx or .csv,
// to --out or standard output.
func (m *Main) runExportRegister(ctx context.Context, args []string) error {
	fs, dsn := m.flags("export")
	division := fs.String("division", "", "division code (default: everything)")
	format := fs.String("format", "", "xlsx or csv (default: by the extension of --out, else xlsx)")
	out := fs.String("out", "", "the file to write (default: standard output)")
	lang := fs.String("lang", "zh-CN", "language of the header and labels: zh-CN or en")
	rest, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return fmt.Errorf("usage: healthcell export REGISTER [--division CODE] [--format xlsx|csv] [--out FILE]")
	}
	if *format == "" {
		*format = "xlsx"
		if strings.HasSuffix(strings.ToLower(*out), ".csv") {
			*format = "csv"
		}
	}
	return m.withDB(ctx, *dsn, func(db *sqlstore.DB) error {
		d := db.Registers().Get(rest[0])
		if d == nil {
			return fmt.Errorf("unknown register %q; registers: %v", rest[0], registerCodes(db))
		}
		var w io.Writer = m.Stdout
		if *out != "" {
			f, err := os.Create(*out)
			if err != nil {
				return err
			}
			defer f.Close()
			w = f
		}
		tw, err := tablefile.NewWriter(w, *format, d.Name(*lang), d.Columns(*lang))
		if err != nil {
			return err
		}
		n := 0
		err = db.EachEntry(system(ctx), healthcell.EntryFilter{Register: d.Code, Division: *division}, func(e *healthcell.Entry) error {
			n++
			return tw.Write(d.Row(e, *lang))
		})
		if err != nil {
			return err
		}
		if err := tw.Close(); err != nil {
			return err
		}
		fmt.Fprintf(m.Stderr, "%d %s entries\n", n, d.Code)
		return nil
	})
}
