package cli

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// Ensure that a list in any --json output is [] when it is empty, never
// null: every command in jsonCommands runs on a workspace with next to
// nothing in it (one bare brief, one experiment without events), and no
// key path may be null there that is an array there or in the demo's
// golden file (`retro notes` on a week without notes printed null, `report
// kpis` over a period without data a KPI's weekly: null).
func TestJSON_EmptyListsAreArrays(t *testing.T) {
	be := mustOpenBackend(t)
	for _, args := range [][]string{{"brief", "add", "--title", "Seed"}, {"experiment", "add", "spring-email", "--variants", "a,b"}} {
		if code, _, errOut := run(t, be, admin, args...); code != ExitOK {
			t.Fatalf("%v: exit %d, %s", args, code, errOut)
		}
	}
	type call struct{ args, like []string }
	calls := []call{
		// A period before the workspace's data is clamped to no weeks.
		{[]string{"report", "kpis", "--since", "2026-10-01", "--until", "2026-10-01"}, []string{"report", "kpis"}},
	}
	for _, args := range jsonCommands {
		calls = append(calls, call{args, args})
	}
	for _, c := range calls {
		t.Run(strings.Join(c.args, "_"), func(t *testing.T) {
			var out, errOut bytes.Buffer
			call := Call{Identity: admin, Args: append(append([]string{}, c.args...), "--json"), Now: func() time.Time { return testNow }, Remote: true}
			if code := Run(context.Background(), be, call, nil, &out, &errOut); code != ExitOK {
				t.Fatalf("exit %d: %s", code, errOut.String())
			}
			golden, err := goldenJSON.ReadFile("testdata/json/" + goldenName(c.like))
			if err != nil {
				t.Fatal(err)
			}
			for _, path := range nullLists(t, golden, out.Bytes()) {
				t.Errorf("%s is null where it is a list; write [] (orEmpty)", path)
			}
		})
	}
}

// Ensure that no golden file, those of other tests' workspaces included,
// holds null at a key path where it elsewhere holds a list.
func TestJSON_GoldenListsAreArrays(t *testing.T) {
	err := filepath.WalkDir(filepath.Join("testdata", "json"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".json" {
			return err
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, p := range nullLists(t, raw) {
			t.Errorf("%s: %s is null where it is a list; write [] (orEmpty)", path, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// nullLists returns the key paths that are null in one of docs and an
// array in one of them.
func nullLists(t *testing.T, docs ...[]byte) []string {
	t.Helper()
	kinds := map[string][]string{}
	for _, doc := range docs {
		s, err := shapeOf(doc)
		if err != nil {
			t.Fatalf("not JSON: %v", err)
		}
		for path, k := range s.kinds {
			kinds[path] = append(kinds[path], k...)
		}
	}
	var out []string
	for path, k := range kinds {
		if slices.Contains(k, "array") && slices.Contains(k, "null") {
			out = append(out, path)
		}
	}
	slices.Sort(out)
	return out
}
