package styles

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"testing"
)

// Ensure that no package but this one calls lipgloss.NewStyle: a style made
// there uses the process's default renderer, not the SSH session's, so it
// draws in the wrong colours for a remote person, and one made inside View
// is rebuilt on every frame. Views take their styles from Styles.
func TestNoNewStyleOutsideStyles(t *testing.T) {
	here, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	goFiles(t, []string{"ui", "cmd"}, func(dir string) bool { return dir == here }, func(f *ast.File, where func(ast.Node) string) {
		found = append(found, newStyleCalls(f, where)...)
	})
	for _, at := range found {
		t.Errorf("%s calls lipgloss.NewStyle; add the style to ui/styles.Styles and use it from there", at)
	}
}

// newStyleCalls lists where f calls NewStyle on the lipgloss package,
// under whatever name f imports it.
func newStyleCalls(f *ast.File, where func(ast.Node) string) []string {
	names := map[string]bool{}
	for _, imp := range f.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		if p != "github.com/charmbracelet/lipgloss" {
			continue
		}
		name := "lipgloss"
		if imp.Name != nil {
			name = imp.Name.Name
		}
		names[name] = true
	}
	if len(names) == 0 {
		return nil
	}
	var out []string
	ast.Inspect(f, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != "NewStyle" {
			return true
		}
		if pkg, ok := sel.X.(*ast.Ident); ok && names[pkg.Name] {
			out = append(out, where(sel))
		}
		return true
	})
	return out
}

// Ensure that the check finds a call, under an import's own name too.
func TestNewStyleCalls(t *testing.T) {
	src := `package v
import lg "github.com/charmbracelet/lipgloss"
func View() string { return lg.NewStyle().Render("x") }
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "/m/ui/v/view.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	where := func(n ast.Node) string {
		pos := fset.Position(n.Pos())
		rel, _ := filepath.Rel("/m", pos.Filename)
		return rel + ":" + strconv.Itoa(pos.Line)
	}
	if got := newStyleCalls(f, where); len(got) != 1 || got[0] != "ui/v/view.go:3" {
		t.Fatalf("calls = %v", got)
	}
}
