package styles

import (
	"go/ast"
	"path/filepath"
	"testing"
)

// Ensure that no view but the board draws with the board's styles: each
// view has its own group, so restyling the board cannot restyle another
// tab by accident. A view reads its styles as st.X or ….Styles.X.
func TestViewsUseTheirOwnStyles(t *testing.T) {
	var found []string
	skip := func(dir string) bool { name := filepath.Base(dir); return name == "board" || name == "styles" }
	goFiles(t, []string{"ui"}, skip, func(f *ast.File, where func(ast.Node) string) {
		ast.Inspect(f, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok && sel.Sel.Name == "Board" && isStyles(sel.X) {
				found = append(found, where(sel))
			}
			return true
		})
	})
	for _, at := range found {
		t.Errorf("%s draws with Styles.Board; give the view its own group in ui/styles/views.go", at)
	}
}

// isStyles reports whether x reads as a *Styles: st, or ….Styles.
func isStyles(x ast.Expr) bool {
	switch x := x.(type) {
	case *ast.Ident:
		return x.Name == "st"
	case *ast.SelectorExpr:
		return x.Sel.Name == "Styles"
	}
	return false
}
