package web

import (
	"testing"

	"github.com/healthcell/healthcell/catalog"
	"github.com/healthcell/healthcell/catalog/imports"
)

// shippedConfig returns a Config with the shipped definitions and resident
// table, the way cmd/healthcell builds it; it fails the test on a broken file.
func shippedConfig(tb testing.TB) Config {
	tb.Helper()
	defs, err := catalog.Load()
	if err != nil {
		tb.Fatal(err)
	}
	table, err := imports.Table("residents")
	if err != nil {
		tb.Fatal(err)
	}
	return Config{Definitions: defs, ResidentTable: table}
}

// TestNewNeedsDefinitions: a server without definitions or a resident
// table is refused at start-up instead of failing on the first page.
func TestNewNeedsDefinitions(t *testing.T) {
	full := shippedConfig(t)
	for name, cfg := range map[string]Config{
		"nothing":     {},
		"no table":    {Definitions: full.Definitions},
		"no defs":     {ResidentTable: full.ResidentTable},
		"no workflow": {Definitions: &catalog.Definitions{Registers: full.Definitions.Registers}, ResidentTable: full.ResidentTable},
	} {
		if _, err := New(cfg, Services{}); err == nil {
			t.Errorf("%s: New succeeded", name)
		}
	}
	if _, err := New(full, Services{}); err != nil {
		t.Errorf("shipped: %v", err)
	}
}
