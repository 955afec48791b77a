//go:build linux

package store

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tandem-ops/tandem/core"
)

// diskFullChildEnv names the database a re-executed test binary fills
// until its file size limit stops it.
const diskFullChildEnv = "TANDEM_DISK_FULL_CHILD_DB"

// diskFullBatch is how many events each of the child's ingests holds.
const diskFullBatch = 20_000

// TestDiskFullChild is the child side of TestStore_DiskFull; it does
// nothing in a normal run.
func TestDiskFullChild(t *testing.T) {
	path := os.Getenv(diskFullChildEnv)
	if path == "" {
		t.Skip("runs only as TestStore_DiskFull's child")
	}
	// A file size limit stands in for a full disk: writes past it fail
	// with EFBIG as they would with ENOSPC, and nothing else is touched.
	// bbolt grows the file 16 MB at a time, so the second growth fails.
	signal.Ignore(syscall.SIGXFSZ)
	limit := uint64(24 << 20)
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: limit, Max: limit}); err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	s, err := Open(path, Options{})
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	ctx := context.Background()
	for i := 0; ; i++ {
		res, err := s.Ingest(ctx, "child", diskFullEvents(i), IngestOptions{})
		if err != nil {
			fmt.Println("full", i, errors.Is(err, ErrDiskFull), err)
			os.Exit(0)
		}
		fmt.Println("batch", i, res.Accepted)
	}
}

// diskFullEvents is the child's i-th batch: new units, all exposed.
func diskFullEvents(i int) []core.Event {
	evs := make([]core.Event, diskFullBatch)
	for j := range evs {
		evs[j] = core.Event{TS: fixedNow.Add(time.Duration(i*diskFullBatch+j) * time.Millisecond), Experiment: "spring-email",
			Variant: []string{"a", "b"}[j%2], Unit: fmt.Sprintf("unit-%08d-with-a-long-identifier", i*diskFullBatch+j), Type: core.EventExposure}
	}
	return evs
}

// Ensure that a write the disk cannot hold fails with a message that says
// so and what to do, and that every write before it is kept: the file
// checks clean (totals against the event log included), nothing of the
// failed batch was stored, and writes go through again once there is room.
func TestStore_DiskFull(t *testing.T) {
	path := filepath.Join(t.TempDir(), "full.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	mustAddSpringEmail(t, s)
	s.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^TestDiskFullChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), diskFullChildEnv+"="+path)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	var accepted uint64
	failed, full := -1, ""
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		f := strings.SplitN(sc.Text(), " ", 3)
		switch f[0] {
		case "batch":
			n, _ := strconv.ParseUint(f[2], 10, 64)
			accepted += n
		case "full":
			failed, _ = strconv.Atoi(f[1])
			full = f[2]
		case "error":
			t.Fatalf("child: %s", sc.Text())
		}
	}
	if failed < 1 || !strings.HasPrefix(full, "true ") || !strings.Contains(full, "free some space and try again") {
		t.Fatalf("%d batches stored, then %q", failed, full)
	}

	t.Logf("batch %d failed: %s", failed, full)
	s, err = Open(path, Options{Now: func() time.Time { return fixedNow }})
	if err != nil {
		t.Fatal(err)
	}
	defer mustCheckAndClose(t, s)
	ctx := context.Background()
	totals, err := s.Totals(ctx, "spring-email")
	if err != nil || totals["a"].Exposures+totals["b"].Exposures != accepted {
		t.Fatalf("totals %+v (%v); %d events were reported stored", totals, err, accepted)
	}
	res, err := s.Ingest(ctx, "ingest", diskFullEvents(failed), IngestOptions{})
	if err != nil || res.Accepted != diskFullBatch {
		t.Fatalf("the failed batch again, with room: %+v, %v", res, err)
	}
}
