package store

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tandem-ops/tandem/core"
)

// crashChildEnv names the database a re-executed test binary writes to
// until it is killed.
const crashChildEnv = "TANDEM_CRASH_CHILD_DB"

// TestCrashChild is the child side of TestStore_CrashSafety; it does
// nothing in a normal run.
func TestCrashChild(t *testing.T) {
	path := os.Getenv(crashChildEnv)
	if path == "" {
		t.Skip("runs only as TestStore_CrashSafety's child")
	}
	s, err := Open(path, Options{})
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	ctx := context.Background()
	out := bufio.NewWriter(os.Stdout)
	fmt.Fprintln(out, "ready")
	out.Flush()
	rng := rand.New(rand.NewPCG(uint64(os.Getpid()), 1))
	for i := 0; ; i++ {
		switch i % 3 {
		case 0: // a board write: add and move
			b, err := s.AddBrief(ctx, "child", core.Brief{Title: fmt.Sprintf("crash %d", i), Owner: "olga"})
			if err == nil {
				_, err = s.MoveBrief(ctx, "child", b.ID, core.Stage(rng.IntN(5)))
			}
			if err != nil {
				fmt.Fprintln(out, "error", err)
			} else {
				fmt.Fprintln(out, "brief", b.ID, s.Seq())
			}
		case 1: // an ingest batch
			evs := make([]core.Event, 200)
			for j := range evs {
				evs[j] = core.Event{TS: time.Unix(1_700_000_000+int64(i*1000+j), 0), Experiment: "crash", Variant: []string{"a", "b"}[j%2], Unit: fmt.Sprintf("u%d-%d-%d", os.Getpid(), i, j), Type: core.EventExposure}
			}
			if _, err := s.Ingest(ctx, "child", evs, IngestOptions{}); err != nil {
				fmt.Fprintln(out, "error", err)
			} else {
				fmt.Fprintln(out, "events", 200, s.Seq())
			}
		case 2: // a review decision
			b, err := s.AddBrief(ctx, "child", core.Brief{Title: "review", Owner: "olga"})
			if err == nil {
				_, err = s.Submit(ctx, "olga", b.ID, 0, "copy")
			}
			if err == nil {
				_, err = s.Decide(ctx, core.Identity{Name: "ana", Role: core.RoleApprover}, core.Decision{BriefID: b.ID, Kind: core.DecisionApprove})
			}
			if err != nil {
				fmt.Fprintln(out, "error", err)
			} else {
				fmt.Fprintln(out, "decision", b.ID, s.Seq())
			}
		}
		out.Flush()
	}
}

// Ensure that a process killed with SIGKILL at random points, many times,
// never leaves a database that fails its checks or misses a write it
// reported as committed.
func TestStore_CrashSafety(t *testing.T) {
	kills := 100
	if testing.Short() {
		kills = 10
	}
	path := filepath.Join(t.TempDir(), "crash.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := s.AddExperiment(ctx, "setup", core.Experiment{Key: "crash", Variants: []core.Variant{{Key: "a", Weight: 1, Control: true}, {Key: "b", Weight: 1}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddFlow(ctx, "setup", core.ApprovalFlow{Name: "f", Stages: []core.ApprovalStage{{Name: "s", Mode: core.ModeParallel, Approvers: []string{"ana"}, Rule: core.RuleAny, SLAHours: 8}}}); err != nil {
		t.Fatal(err)
	}
	s.Close()

	rng := rand.New(rand.NewPCG(1, 2))
	var exposures uint64
	for k := range kills {
		reported := runAndKill(t, path, time.Duration(5+rng.IntN(60))*time.Millisecond)
		s, err := Open(path, Options{})
		if err != nil {
			t.Fatalf("kill %d: reopen: %v", k, err)
		}
		if err := s.Check(ctx); err != nil {
			t.Fatalf("kill %d: %v", k, err)
		}
		audit, err := s.Audit(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := core.VerifyChain(audit); err != nil {
			t.Fatalf("kill %d: %v", k, err)
		}
		for _, r := range reported {
			if r.seq > uint64(len(audit)) {
				t.Fatalf("kill %d: the child reported write %d committed; the audit ends at %d", k, r.seq, len(audit))
			}
			if r.kind == "brief" || r.kind == "decision" {
				if _, err := s.Brief(ctx, r.id); err != nil {
					t.Fatalf("kill %d: reported brief %d is gone: %v", k, r.id, err)
				}
			}
			if r.kind == "events" {
				exposures += r.id
			}
		}
		totals, err := s.Totals(ctx, "crash")
		if err != nil {
			t.Fatal(err)
		}
		if got := totals["a"].Exposures + totals["b"].Exposures; got < exposures {
			t.Fatalf("kill %d: %d exposures stored, %d reported", k, got, exposures)
		}
		exposures = totals["a"].Exposures + totals["b"].Exposures // unreported but committed batches count too
		s.Close()
	}
}

type reportedWrite struct {
	kind string
	id   uint64
	seq  uint64
}

// runAndKill starts the child, lets it write for about d after it is
// ready, kills it with SIGKILL and returns the writes it reported.
func runAndKill(t *testing.T, path string, d time.Duration) []reportedWrite {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+path)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 1024)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var reported []reportedWrite
	deadline := time.After(10 * time.Second)
	for ready := false; !ready; {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatal("the child exited before it was ready")
			}
			ready = l == "ready"
			if strings.HasPrefix(l, "error") {
				t.Fatalf("child: %s", l)
			}
		case <-deadline:
			t.Fatal("the child never became ready")
		}
	}
	time.Sleep(d) // the kill point: random, by design
	_ = cmd.Process.Signal(syscall.SIGKILL)
	for l := range lines {
		f := strings.Fields(l)
		if len(f) == 3 {
			id, _ := strconv.ParseUint(f[1], 10, 64)
			seq, _ := strconv.ParseUint(f[2], 10, 64)
			reported = append(reported, reportedWrite{kind: f[0], id: id, seq: seq})
		}
	}
	_ = cmd.Wait()
	return reported
}
