// Package imports holds the column definitions of the file imports shipped
// inside the binary (NAME.yaml: "residents", and the registers as they are
// added). It is a package of its own, apart from package catalog, because
// the definitions are importer tables and package importer reads
// spreadsheets: storage, which takes package catalog's definitions, does
// not depend on the spreadsheet reader.
package imports

import (
	"embed"
	"fmt"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/importer"
)

//go:embed *.yaml
var files embed.FS

// Table returns the column definition of an import (NAME.yaml). It returns
// ENOTFOUND for a name not shipped and an error naming the file for a
// broken one.
func Table(name string) (*importer.Table, error) {
	f, err := files.Open(name + ".yaml")
	if err != nil {
		return nil, healthcell.Errorf(healthcell.ENOTFOUND, "import table %s is not shipped", name)
	}
	defer f.Close()
	t, err := importer.ParseTable(f)
	if err != nil {
		return nil, fmt.Errorf("catalog imports %s: %w", name, err)
	}
	return t, nil
}
