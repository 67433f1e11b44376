package web_test

import (
	"testing"

	"github.com/healthcell/healthcell/sqlstore/sqltest"
)

// TestNoCatalogState: the web server reads its definitions from its Config,
// never from package catalog's functions; it names only catalog's types.
func TestNoCatalogState(t *testing.T) {
	sqltest.CatalogTypesOnly(t, ".")
}
