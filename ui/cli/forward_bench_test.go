package cli

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"testing"
	"time"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/store"
	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/control"
)

// BenchmarkBriefList compares `brief list` run by a process that opens the
// file itself with the same command forwarded to the process holding it,
// over 100 briefs. The target is forwarded ≤ 2× direct.
func BenchmarkBriefList(b *testing.B) {
	path := filepath.Join(shortTempDir(b), "w.db")
	st, err := store.Open(path, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	be := backend.New(st)
	for i := range 100 {
		if _, err := be.AddBrief(context.Background(), admin, core.Brief{Title: fmt.Sprintf("Brief %d", i)}); err != nil {
			b.Fatal(err)
		}
	}
	run := func(b *testing.B) {
		for b.Loop() {
			env := &Env{Identity: admin, Out: io.Discard, Err: io.Discard, Now: time.Now, DBPath: path}
			args := []string{"--db", path, "brief", "list"}
			var opened []*backend.Backend
			env.Connect = ConnectLocal(env, args, func(be *backend.Backend) { opened = append(opened, be) })
			if code := Execute(context.Background(), NewRoot(env), env, args); code != 0 {
				b.Fatalf("exit %d", code)
			}
			for _, st := range opened {
				st.Close()
			}
		}
	}
	st.Close()
	b.Run("direct", run)

	st, err = store.Open(path, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	ln, err := control.Listen(store.SocketPath(path))
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = control.Serve(ctx, ln, ControlHandler(backend.New(st))); close(done) }()
	defer func() { cancel(); <-done }()
	b.Run("forwarded", run)
}
