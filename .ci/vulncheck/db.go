package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"
)

// osvEntry is the part of an OSV entry the database index is made from.
type osvEntry struct {
	ID       string    `json:"id"`
	Modified time.Time `json:"modified"`
	Aliases  []string  `json:"aliases,omitempty"`
	Affected []struct {
		Package struct {
			Name string `json:"name"` // the module path, or "stdlib"/"toolchain"
		} `json:"package"`
	} `json:"affected"`
}

// The index files of the v1 database schema (go.dev/security/vuln/database).
type (
	dbMeta struct {
		Modified time.Time `json:"modified"`
	}
	moduleMeta struct {
		Path  string       `json:"path"`
		Vulns []moduleVuln `json:"vulns"`
	}
	// moduleVuln leaves out the optional "fixed" on purpose: with it,
	// govulncheck skips an entry without reading it when the module is at or
	// past that version, so a wrong value here would hide a vulnerability.
	// Without it govulncheck reads each entry of a module it finds and
	// decides from the entry's own ranges, which is exact and, on local
	// files, quick.
	moduleVuln struct {
		ID       string    `json:"id"`
		Modified time.Time `json:"modified"`
	}
	vulnMeta struct {
		ID       string    `json:"id"`
		Modified time.Time `json:"modified"`
		Aliases  []string  `json:"aliases,omitempty"`
	}
)

// buildDB writes the database for the OSV files in osvDir to outDir:
// index/db.json, index/modules.json, index/vulns.json and ID/<id>.json, as
// the vulndb repository's cmd/indexdb does but without its dependencies.
// It builds in a sibling directory and renames it into place, so an
// interrupted build never leaves a half-written database to be reused.
// It returns the number of entries.
func buildDB(osvDir, outDir string) (int, error) {
	if _, err := os.Stat(outDir); err == nil {
		return 0, fmt.Errorf("%s already exists; remove it to build again", outDir)
	}
	files, err := filepath.Glob(filepath.Join(osvDir, "*.json"))
	if err != nil {
		return 0, err
	}
	if len(files) == 0 {
		return 0, fmt.Errorf("no OSV files (*.json) in %s: is it data/osv of golang.org/x/vulndb?", osvDir)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(outDir), filepath.Base(outDir)+".partial-")
	if err != nil {
		return 0, fmt.Errorf("make the database directory: %w", err)
	}
	defer os.RemoveAll(tmp) // after a successful rename there is nothing left to remove
	if err := os.MkdirAll(filepath.Join(tmp, "index"), 0o755); err != nil {
		return 0, err
	}
	if err := os.MkdirAll(filepath.Join(tmp, "ID"), 0o755); err != nil {
		return 0, err
	}

	var db dbMeta
	modules := map[string]*moduleMeta{}
	var vulns []vulnMeta
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			return 0, err
		}
		var e osvEntry
		if err := json.Unmarshal(raw, &e); err != nil {
			return 0, fmt.Errorf("%s: %w", file, err)
		}
		// govulncheck finds an entry by its ID alone, so a file named for
		// another ID would be silently unreachable.
		if e.ID == "" || filepath.Base(file) != e.ID+".json" {
			return 0, fmt.Errorf("%s: holds entry %q; want a file named <id>.json", file, e.ID)
		}
		if e.Modified.After(db.Modified) {
			db.Modified = e.Modified
		}
		vulns = append(vulns, vulnMeta{ID: e.ID, Modified: e.Modified, Aliases: e.Aliases})
		seen := map[string]bool{}
		for _, a := range e.Affected {
			path := a.Package.Name
			if path == "" || seen[path] {
				continue
			}
			seen[path] = true
			m := modules[path]
			if m == nil {
				m = &moduleMeta{Path: path}
				modules[path] = m
			}
			m.Vulns = append(m.Vulns, moduleVuln{ID: e.ID, Modified: e.Modified})
		}
		if err := os.WriteFile(filepath.Join(tmp, "ID", e.ID+".json"), raw, 0o644); err != nil {
			return 0, err
		}
	}

	list := make([]*moduleMeta, 0, len(modules))
	for _, m := range modules {
		sort.Slice(m.Vulns, func(i, j int) bool { return m.Vulns[i].ID < m.Vulns[j].ID })
		list = append(list, m)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Path < list[j].Path })
	sort.Slice(vulns, func(i, j int) bool { return vulns[i].ID < vulns[j].ID })
	for name, v := range map[string]any{"db.json": db, "modules.json": list, "vulns.json": vulns} {
		b, err := json.Marshal(v)
		if err != nil {
			return 0, err
		}
		if err := os.WriteFile(filepath.Join(tmp, "index", name), b, 0o644); err != nil {
			return 0, err
		}
	}
	if err := os.Rename(tmp, outDir); err != nil {
		if _, statErr := os.Stat(filepath.Join(outDir, "index", "modules.json")); statErr == nil {
			return len(files), nil // another run finished the same build first
		}
		return 0, fmt.Errorf("put the database in place: %w", err)
	}
	return len(files), nil
}
