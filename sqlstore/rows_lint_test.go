package sqlstore

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// rowLoops returns the positions of the loops over query results (for
// x.Next() { … }) in the Go files matching pattern, but those of eachRow
// itself and of tests: each one is a read that could stop short without an
// error.
func rowLoops(t *testing.T, pattern string) []string {
	t.Helper()
	files, err := filepath.Glob(pattern)
	if err != nil || len(files) == 0 {
		t.Fatalf("no files %s: %v", pattern, err)
	}
	var out []string
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Body == nil || fn.Name.Name == "eachRow" {
				continue
			}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				loop, ok := n.(*ast.ForStmt)
				if !ok {
					return true
				}
				if call, ok := loop.Cond.(*ast.CallExpr); ok && len(call.Args) == 0 {
					if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Next" {
						out = append(out, fset.Position(loop.Pos()).String())
					}
				}
				return true
			})
		}
	}
	return out
}

// TestRowsThroughEachRow: every multi-row query of the package reads its
// rows through eachRow, which checks rows.Err; the example of a loop of its
// own in testdata is found.
func TestRowsThroughEachRow(t *testing.T) {
	if got := rowLoops(t, "testdata/rowsloop/*.go"); len(got) != 1 || !strings.Contains(got[0], "loops.go:22") {
		t.Errorf("the example's loop over rows: found %v, want loops.go:22", got)
	}
	for _, at := range rowLoops(t, "*.go") {
		t.Errorf("%s: a loop over query results of its own; read them with eachRow", at)
	}
}
