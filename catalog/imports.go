package catalog

import (
	"embed"
	"fmt"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/importer"
)

//go:embed imports/*.yaml
var importFiles embed.FS

// ImportTable returns the column definition of an import (imports/NAME.yaml:
// "residents", and the registers as they are added). It returns ENOTFOUND
// for a name not shipped and an error naming the file for a broken one.
func ImportTable(name string) (*importer.Table, error) {
	f, err := importFiles.Open("imports/" + name + ".yaml")
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
