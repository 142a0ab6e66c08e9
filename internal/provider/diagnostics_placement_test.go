package provider

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// sourceFiles parses the package's non-test files, by file name.
func sourceFiles(t *testing.T) (*token.FileSet, map[string]*ast.File) {
	t.Helper()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset, files := token.NewFileSet(), map[string]*ast.File{}
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		if files[name], err = parser.ParseFile(fset, name, nil, 0); err != nil {
			t.Fatal(err)
		}
	}
	return fset, files
}

// TestMessagesLiveInDiagnostics: every user-facing message is worded in
// diagnostics*.go. No other file passes a string literal, or text made by
// fmt, to AddError, AddWarning, AddAttributeError or AddAttributeWarning
// (whose first argument, the path, is not text).
func TestMessagesLiveInDiagnostics(t *testing.T) {
	t.Parallel()
	firstText := map[string]int{"AddError": 0, "AddWarning": 0, "AddAttributeError": 1, "AddAttributeWarning": 1}
	fset, files := sourceFiles(t)
	calls := 0
	for name, f := range files {
		for _, imp := range f.Imports {
			if path, _ := strconv.Unquote(imp.Path.Value); path == "net/http" {
				t.Errorf("%s imports net/http: the provider leaves HTTP to ghapi", name)
			}
		}
		if strings.HasPrefix(name, "diagnostics") {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			first, adds := firstText[sel.Sel.Name]
			if !adds {
				return true
			}
			calls++
			for _, arg := range call.Args[min(first, len(call.Args)):] {
				if worded(arg) {
					t.Errorf("%s: %s words its message here; word it in a function of diagnostics*.go",
						fset.Position(arg.Pos()), sel.Sel.Name)
				}
			}
			return true
		})
	}
	if calls == 0 {
		t.Fatal("found no call that adds a diagnostic: the check checks nothing")
	}
}

// worded reports whether e is text: a string literal, a concatenation
// with one, or a call of fmt.
func worded(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.BasicLit:
		return e.Kind == token.STRING
	case *ast.ParenExpr:
		return worded(e.X)
	case *ast.BinaryExpr:
		return worded(e.X) || worded(e.Y)
	case *ast.CallExpr:
		if sel, ok := e.Fun.(*ast.SelectorExpr); ok {
			pkg, ok := sel.X.(*ast.Ident)
			return ok && pkg.Name == "fmt"
		}
	}
	return false
}
