package sqltest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// sourceFile is one parsed non-test Go file of a package directory.
type sourceFile struct {
	name string
	file *ast.File
}

// sourceFiles parses the non-test Go files of dir, in name order, with
// fset; it fails t when dir cannot be listed or a file does not parse.
func sourceFiles(t testing.TB, fset *token.FileSet, dir string) []sourceFile {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	var out []sourceFile
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, sourceFile{name, f})
	}
	return out
}
