package sqltest

import (
	"go/ast"
	"go/token"
	"strings"
	"testing"
)

// rootPath is the import path of the root package, where every storage
// interface is declared.
const rootPath = "github.com/healthcell/healthcell"

// NoStorageInterfaces fails t for every exported interface type declared in
// the non-test Go files of dir, and for every interface there, named or
// literal, exported or not, that embeds one of the root package's: storage
// interfaces are declared in the root package only (docs/ARCHITECTURE.md),
// and a package that composes its own describes storage the root does not.
// Unexported interfaces of its own methods (a database connection's) stay
// allowed.
func NoStorageInterfaces(t testing.TB, dir string) {
	t.Helper()
	for _, src := range sourceFiles(t, token.NewFileSet(), dir) {
		for _, msg := range storageInterfaces(src.file) {
			t.Errorf("%s: %s", src.name, msg)
		}
	}
}

// storageInterfaces returns what NoStorageInterfaces refuses in f.
func storageInterfaces(f *ast.File) []string {
	root := ""
	for _, imp := range f.Imports {
		if strings.Trim(imp.Path.Value, `"`) == rootPath {
			root = "healthcell"
			if imp.Name != nil {
				root = imp.Name.Name
			}
		}
	}
	var out []string
	ast.Inspect(f, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.TypeSpec:
			if _, ok := x.Type.(*ast.InterfaceType); ok && x.Name.IsExported() {
				out = append(out, "declares the exported interface "+x.Name.Name)
			}
		case *ast.InterfaceType:
			for _, m := range x.Methods.List {
				if len(m.Names) != 0 {
					continue
				}
				typ := m.Type
				if ix, ok := typ.(*ast.IndexExpr); ok {
					typ = ix.X
				}
				if ix, ok := typ.(*ast.IndexListExpr); ok {
					typ = ix.X
				}
				if sel, ok := typ.(*ast.SelectorExpr); ok {
					if id, ok := sel.X.(*ast.Ident); ok && root != "" && id.Name == root {
						out = append(out, "an interface embeds "+root+"."+sel.Sel.Name)
					}
				}
			}
		}
		return true
	})
	return out
}
