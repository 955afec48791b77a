package ssh

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/tandem-ops/tandem/core"
)

// watcher reads one session's screen and reports when a marker appears.
type watcher struct {
	mu     sync.Mutex
	marker []byte
	seen   chan time.Time
}

func (w *watcher) expect(marker string) {
	w.mu.Lock()
	w.marker = []byte(marker)
	w.mu.Unlock()
}

func (w *watcher) run(r io.Reader) {
	br := bufio.NewReaderSize(r, 64<<10)
	var tail []byte
	buf := make([]byte, 32<<10)
	for {
		n, err := br.Read(buf)
		if n > 0 {
			tail = append(tail, buf[:n]...)
			w.mu.Lock()
			m := w.marker
			if len(m) > 0 && bytes.Contains(tail, m) {
				w.marker = nil
				w.seen <- time.Now()
				tail = tail[:0]
			}
			w.mu.Unlock()
			if len(tail) > 4096 {
				tail = append(tail[:0], tail[len(tail)-256:]...)
			}
		}
		if err != nil {
			return
		}
	}
}

// BenchmarkFanOutSessions opens N cockpit sessions over real SSH on
// 127.0.0.1, then makes writes and measures how long each takes to show in
// every session. It reports change→visible p50 and p99 across all
// sessions, the CPU time a write costs (cpu-ms/op, steadier than the
// latencies on a loaded machine) and heap per session (server and clients
// share this process, so both over-count the server's share).
func BenchmarkFanOutSessions(b *testing.B) {
	for _, n := range []int{100, 200} {
		b.Run(fmt.Sprintf("sessions=%d", n), func(b *testing.B) {
			ts := startServer(b, Options{MaxSessions: n + 10, CockpitsPerPerson: n})
			signer := ts.newKey(b, "ana", core.RoleAdmin)
			runtime.GC()
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			watchers := make([]*watcher, n)
			for i := range watchers {
				client, err := ts.dial(signer)
				if err != nil {
					b.Fatal(err)
				}
				b.Cleanup(func() { client.Close() })
				sess, err := client.NewSession()
				if err != nil {
					b.Fatal(err)
				}
				if err := sess.RequestPty("xterm-256color", 40, 120, gossh.TerminalModes{}); err != nil {
					b.Fatal(err)
				}
				out, _ := sess.StdoutPipe()
				in, _ := sess.StdinPipe()
				w := &watcher{seen: make(chan time.Time, 4)}
				w.expect("store ok")
				go w.run(out)
				if err := sess.Shell(); err != nil {
					b.Fatal(err)
				}
				io.WriteString(in, "\x1b]11;rgb:0000/0000/0000\x07\x1b[?62;22c")
				watchers[i] = w
			}
			for _, w := range watchers {
				select {
				case <-w.seen:
				case <-time.After(60 * time.Second):
					b.Fatal("a session never drew its cockpit")
				}
			}
			runtime.GC()
			var after runtime.MemStats
			runtime.ReadMemStats(&after)

			var latencies []time.Duration
			ctx := context.Background()
			cpuBefore, cpuOK := cpuTime()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				title := fmt.Sprintf("Load %d", i)
				for _, w := range watchers {
					w.expect("brief add")
				}
				start := time.Now()
				if _, err := ts.be.AddBrief(ctx, admin, core.Brief{Title: title}); err != nil {
					b.Fatal(err)
				}
				for _, w := range watchers {
					select {
					case at := <-w.seen:
						latencies = append(latencies, at.Sub(start))
					case <-time.After(30 * time.Second):
						b.Fatal("a session never showed the change")
					}
				}
			}
			b.StopTimer()
			if cpuAfter, ok := cpuTime(); ok && cpuOK {
				b.ReportMetric(float64((cpuAfter-cpuBefore).Microseconds())/1000/float64(b.N), "cpu-ms/op")
			}
			slices.Sort(latencies)
			p := func(q float64) float64 {
				return float64(latencies[int(q*float64(len(latencies)-1))].Microseconds()) / 1000
			}
			b.ReportMetric(p(0.50), "p50-ms")
			b.ReportMetric(p(0.99), "p99-ms")
			b.ReportMetric(p(0.90), "p90-ms")
			b.ReportMetric(p(1), "max-ms")
			b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(n)/(1<<20), "MB/session")
		})
	}
}
