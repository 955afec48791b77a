package main

import (
	"encoding/json"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/tandem-ops/tandem"

// Ensure that the dependency direction, which is the architecture, holds:
// core imports nothing of ours; store and models import only core; only
// ui/backend and cmd reach the store (views, the CLI table and SSH speak to
// the backend). A new import against it fails here, naming the package.
func TestArchitecture_Imports(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list over the module")
	}
	cmd := exec.Command("go", "list", "-json=ImportPath,Imports", "./...")
	cmd.Dir = "../.."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	// Packages allowed to import the store besides ui/backend and cmd,
	// each with why; the list only shrinks.
	storeAllowed := map[string]string{
		module + "/ui/common/commontest": "test fixtures: opens real stores in t.TempDir() for view tests",
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p struct {
			ImportPath string
			Imports    []string
		}
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		ours := func(prefix string) []string {
			var hits []string
			for _, imp := range p.Imports {
				if strings.HasPrefix(imp, module+"/"+prefix) {
					hits = append(hits, imp)
				}
			}
			return hits
		}
		rel := strings.TrimPrefix(p.ImportPath, module+"/")
		switch {
		case strings.HasPrefix(rel, "core"):
			for _, imp := range ours("") {
				if !strings.HasPrefix(imp, module+"/core") {
					t.Errorf("%s imports %s: core imports nothing of ours", rel, imp)
				}
			}
		case strings.HasPrefix(rel, "store"), strings.HasPrefix(rel, "models"):
			for _, imp := range ours("") {
				if !strings.HasPrefix(imp, module+"/core") && !strings.HasPrefix(imp, module+"/"+strings.Split(rel, "/")[0]) {
					t.Errorf("%s imports %s: store and models import only core", rel, imp)
				}
			}
		}
		if slices.Contains(p.Imports, module+"/store") && !strings.HasPrefix(rel, "store") &&
			!strings.HasPrefix(rel, "ui/backend") && !strings.HasPrefix(rel, "cmd/") && storeAllowed[p.ImportPath] == "" {
			t.Errorf("%s imports the store: only ui/backend and cmd may; call the backend", rel)
		}
	}
}
