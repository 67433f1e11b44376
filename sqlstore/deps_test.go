package sqlstore_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestNoSpreadsheetDependency: storage takes parsed rows; it does not
// depend on the spreadsheet reader (excelize, tablefile) nor on the import
// pipeline that uses it.
func TestNoSpreadsheetDependency(t *testing.T) {
	gocmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not installed")
	}
	out, err := exec.Command(gocmd, "list", "-deps", "github.com/healthcell/healthcell/sqlstore").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		switch dep {
		case "github.com/xuri/excelize/v2", "github.com/healthcell/healthcell/tablefile",
			"github.com/healthcell/healthcell/importer", "github.com/healthcell/healthcell/standardfile":
			t.Errorf("sqlstore depends on %s", dep)
		}
	}
}

// TestNoCatalogState: storage reads its definitions from the value given to
// Open, never from package catalog's functions (the shipped files); it
// names only catalog's types.
func TestNoCatalogState(t *testing.T) {
	sqltest.CatalogTypesOnly(t, ".")
}

// TestNoStorageInterfaces: storage interfaces are declared in the root
// package only; sqlstore implements them and declares none.
func TestNoStorageInterfaces(t *testing.T) {
	sqltest.NoStorageInterfaces(t, ".")
}
