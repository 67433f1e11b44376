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

// TestNoStorageInterfaces: web sees storage only through the root
// package's interfaces and declares none of its own.
func TestNoStorageInterfaces(t *testing.T) {
	sqltest.NoStorageInterfaces(t, ".")
}
