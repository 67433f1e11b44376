package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/catalog/standards"
	"github.com/healthcell/healthcell/standardfile"
)

// runStandards loads standards from files, loads the shipped catalog, lists
// them, or exports one.
func (m *Main) runStandards(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("usage: healthcell standards load FILE… | load-catalog | list | export CODE [--version N] [--format xlsx|csv|yaml]")
	}
	fs, dsn := m.flags("standards " + args[0])
	version := fs.Int("version", 0, "with export: the version (default the latest)")
	format := fs.String("format", "xlsx", "with export: xlsx, csv or yaml")
	pos, err := parseArgs(fs, args[1:])
	if err != nil {
		return err
	}
	db, err := m.open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	sys := system(ctx)
	switch args[0] {
	case "load":
		if len(pos) == 0 {
			return fmt.Errorf("usage: healthcell standards load FILE…")
		}
		for _, path := range pos {
			codes, err := db.StandardCodes(sys)
			if err != nil {
				return err
			}
			std, err := readStandardFile(path, &codes)
			if err == nil {
				err = db.CreateStandard(sys, std)
			}
			if err != nil {
				return fmt.Errorf("%s: %s", path, describe(err))
			}
			fmt.Fprintf(m.Stdout, "%s: %s %s version %d, %d items, %v points\n", path, std.Code, std.Name, std.Version, len(std.Items), std.TotalPoints)
		}
	case "load-catalog":
		n, err := loadCatalogStandards(sys, db)
		if err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "loaded %d shipped standards\n", n)
	case "list":
		list, err := db.FindStandards(sys)
		if err != nil {
			return err
		}
		for _, s := range list {
			fmt.Fprintf(m.Stdout, "%-28s v%-3d %-10s %v\t%s\n", s.Code, s.Version, s.CellType, s.TotalPoints, s.Name)
		}
	case "export":
		if len(pos) != 1 {
			return fmt.Errorf("usage: healthcell standards export CODE [--version N] [--format xlsx|csv|yaml] > FILE")
		}
		std, err := db.FindStandard(sys, pos[0], *version)
		if err != nil {
			return err
		}
		switch *format {
		case "xlsx":
			return standardfile.WriteXLSX(m.Stdout, std)
		case "csv":
			return standardfile.WriteCSV(m.Stdout, std)
		case "yaml":
			return standardfile.WriteYAML(m.Stdout, std)
		}
		return fmt.Errorf("unknown format %q: use xlsx, csv or yaml", *format)
	default:
		return fmt.Errorf("unknown standards command %q", args[0])
	}
	return nil
}

// readStandardFile parses a standard from a .yaml, .xlsx or .csv file,
// checking the codes it names against known (when not nil); problems are
// reported at their line or row of the file.
func readStandardFile(path string, known *healthcell.StandardCodes) (*healthcell.Standard, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	switch strings.ToLower(filepath.Ext(path)) {
	case ".yaml", ".yml":
		return standardfile.ParseYAMLChecked(f, known)
	}
	return standardfile.ParseSheetChecked(f, path, known)
}

// loadCatalogStandards stores every shipped standard (a new version only
// where it changed) and returns how many there are.
func loadCatalogStandards(ctx context.Context, db interface {
	CreateStandard(context.Context, *healthcell.Standard) error
}) (int, error) {
	list, err := standards.Shipped()
	if err != nil {
		return 0, err
	}
	for _, s := range list {
		if err := db.CreateStandard(ctx, s); err != nil {
			return 0, fmt.Errorf("standard %s: %w", s.Code, err)
		}
	}
	return len(list), nil
}
