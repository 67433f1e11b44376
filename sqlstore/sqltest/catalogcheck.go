package sqltest

import (
	"go/ast"
	"go/token"
	"strings"
	"testing"
)

// CatalogTypesOnly fails t for every use of package catalog in the
// non-test Go files of dir other than its types.
func CatalogTypesOnly(t testing.TB, dir string) {
	t.Helper()
	types := map[string]bool{"Definitions": true, "FamilyRules": true, "FamilyRule": true, "EvidenceRules": true, "Theme": true, "ArticleCategory": true}
	fset := token.NewFileSet()
	for _, src := range sourceFiles(t, fset, dir) {
		name, f := src.name, src.file
		local := ""
		for _, imp := range f.Imports {
			path := strings.Trim(imp.Path.Value, `"`)
			if path == "github.com/healthcell/healthcell/catalog/workflows" {
				t.Errorf("%s imports %s", name, path)
			}
			if path == "github.com/healthcell/healthcell/catalog" {
				local = "catalog"
				if imp.Name != nil {
					local = imp.Name.Name
				}
			}
		}
		if local == "" {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if id, ok := sel.X.(*ast.Ident); ok && id.Name == local && !types[sel.Sel.Name] {
				t.Errorf("%s: uses %s.%s", fset.Position(sel.Pos()), local, sel.Sel.Name)
			}
			return true
		})
	}
}
