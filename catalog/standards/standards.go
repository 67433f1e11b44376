// Package standards holds the standards shipped inside the binary, one per
// *.yaml file (see README.md). It is a package of its own, apart from
// package catalog, because package standardfile also reads and writes
// spreadsheets: storage, which takes package catalog's definitions, does not
// depend on the spreadsheet reader.
package standards

import (
	"embed"
	"fmt"
	"io/fs"

	"github.com/healthcell/healthcell"
	"github.com/healthcell/healthcell/standardfile"
)

//go:embed *.yaml
var files embed.FS

// Shipped returns the shipped standards, one per *.yaml file in file-name
// order, each parsed and validated by standardfile.ParseYAML. A bad file
// (which the tests rule out) gives an error naming it that wraps the
// EINVALID error with the lines at fault.
func Shipped() ([]*healthcell.Standard, error) {
	names, err := fs.Glob(files, "*.yaml")
	if err != nil {
		return nil, fmt.Errorf("catalog standards: %w", err)
	}
	out := make([]*healthcell.Standard, 0, len(names))
	for _, name := range names { // fs.Glob returns names sorted
		f, err := files.Open(name)
		if err != nil {
			return nil, fmt.Errorf("catalog standards %s: %w", name, err)
		}
		s, err := standardfile.ParseYAML(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("catalog standards %s: %w", name, err)
		}
		out = append(out, s)
	}
	return out, nil
}
