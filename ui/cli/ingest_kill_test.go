package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/store"
	"github.com/tandem-ops/tandem/ui/backend"
)

// killChildEnv names the database and events file a re-executed test
// binary ingests until it is killed.
const killChildEnv = "TANDEM_INGEST_KILL_CHILD"

// TestIngestKillChild is the child side of TestIngest_KilledAndRerun; it
// does nothing in a normal run.
func TestIngestKillChild(t *testing.T) {
	dir := os.Getenv(killChildEnv)
	if dir == "" {
		t.Skip("runs only as TestIngest_KilledAndRerun's child")
	}
	be, _, err := openDurable(filepath.Join(dir, "tandem.db"))
	if err != nil {
		t.Fatal(err)
	}
	os.Exit(Run(context.Background(), be, Call{Identity: admin, Dir: dir, Args: []string{"ingest", "events.jsonl"}}, nil, io.Discard, os.Stderr))
}

// jsonlEvents is n events as JSONL: two variants, 5 % converting. (The
// backend's ingest benchmark makes the same.)
func jsonlEvents(n int) []byte {
	var b bytes.Buffer
	ts := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	for i := range n {
		typ := "exposure"
		if i%20 == 19 {
			typ = "conversion"
		}
		fmt.Fprintf(&b, `{"ts":%q,"experiment":"spring-email","variant":%q,"unit":"u-%d","type":%q}`+"\n",
			ts.Add(time.Duration(i)*time.Millisecond).Format(time.RFC3339Nano), []string{"a", "b"}[i%2], i/2, typ)
	}
	return b.Bytes()
}

func openDurable(path string) (*backend.Backend, *store.Store, error) {
	st, err := store.Open(path, store.Options{Timeout: 5 * time.Second})
	if err != nil {
		return nil, nil, err
	}
	return backend.New(st), st, nil
}

// Ensure that `tandem ingest` killed with SIGKILL part way, several times,
// keeps every batch it committed, and that running it again to the end
// counts every event exactly once.
func TestIngest_KilledAndRerun(t *testing.T) {
	const n = 300_000 // six batches
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "events.jsonl"), jsonlEvents(n), 0o600); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "tandem.db")
	be, st, err := openDurable(db)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	spring := core.Experiment{Key: "spring-email", Variants: []core.Variant{{Key: "a", Weight: 1, Control: true}, {Key: "b", Weight: 1}}}
	if _, err := be.AddExperiment(ctx, admin, spring); err != nil {
		t.Fatal(err)
	}
	st.Close()

	for _, after := range []time.Duration{100 * time.Millisecond, 250 * time.Millisecond, 400 * time.Millisecond} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestIngestKillChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), killChildEnv+"="+dir)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(after)
		_ = cmd.Process.Signal(syscall.SIGKILL)
		_ = cmd.Wait()
		st, err := store.Open(db, store.Options{})
		if err != nil {
			t.Fatalf("reopen after a kill at %s: %v", after, err)
		}
		if err := st.Check(ctx); err != nil {
			t.Fatalf("after a kill at %s: %v", after, err)
		}
		totals, _ := st.Totals(ctx, "spring-email")
		t.Logf("killed at %s: %d units exposed so far", after, totals["a"].Exposures+totals["b"].Exposures)
		st.Close()
	}

	be, st, err = openDurable(db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var out, errOut bytes.Buffer
	if code := Run(ctx, be, Call{Identity: admin, Dir: dir, Args: []string{"ingest", "--json", "events.jsonl"}}, nil, &out, &errOut); code != 0 {
		t.Fatalf("re-run: exit %d: %s", code, errOut.String())
	}
	var sum IngestSummary
	if err := json.Unmarshal(out.Bytes(), &sum); err != nil {
		t.Fatal(err)
	}
	if sum.Accepted+sum.Duplicates != n {
		t.Fatalf("re-run: %+v; accepted and duplicates should make %d", sum, n)
	}
	t.Logf("the kills left %d of %d events stored", sum.Duplicates, n)

	want, err := cleanTotals(t, n, spring)
	if err != nil {
		t.Fatal(err)
	}
	got, err := be.Totals(ctx, "spring-email")
	if err != nil {
		t.Fatal(err)
	}
	for v, w := range want {
		if got[v] != w {
			t.Errorf("variant %s: totals %+v after kills and a re-run, %+v from one clean ingest", v, got[v], w)
		}
	}
}

// cleanTotals ingests the same n events once into a new store.
func cleanTotals(t *testing.T, n int, exp core.Experiment) (map[string]core.VariantTotals, error) {
	be := mustOpenBackend(t)
	ctx := context.Background()
	if _, err := be.AddExperiment(ctx, admin, exp); err != nil {
		return nil, err
	}
	if _, err := be.IngestStream(ctx, admin, bytes.NewReader(jsonlEvents(n)), backend.StreamOptions{}); err != nil {
		return nil, err
	}
	return be.Totals(ctx, "spring-email")
}
