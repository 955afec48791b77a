package ssh

import (
	"net"
	"sync"
	"sync/atomic"
	"time"

	gliderssh "github.com/charmbracelet/ssh"
)

// gate bounds the connections that have not started a session yet: those
// still in the handshake or authentication, and authenticated ones that
// open nothing. Each gets handshake to start a session or is closed, and
// only so many may wait at once, per address and in all, so a flood of
// idle TCP connections cannot use up the server's descriptors. When a new
// connection finds the limit reached, the oldest waiting connection that
// has not said a word (an SSH client sends its version at once) makes room
// for it, so holding idle connections open cannot lock people out either.
type gate struct {
	handshake time.Duration
	perAddr   int
	total     int

	mu      sync.Mutex
	waiting map[string]int // by remote IP
	n       int
	queue   []*gatedConn // waiting, oldest first
}

func newGate(handshake time.Duration, perAddr, total int) *gate {
	return &gate{handshake: handshake, perAddr: perAddr, total: total, waiting: map[string]int{}}
}

// makeRoom closes the oldest silent waiting connection, from host when
// sameHost; false when every waiting one has spoken.
func (g *gate) makeRoom(host string, sameHost bool) bool {
	for _, c := range g.queue {
		if c.spoke.Load() || (sameHost && c.host != host) {
			continue
		}
		g.forget(c)
		go c.Conn.Close() // outside the lock; its own Close would release it again
		return true
	}
	return false
}

// forget takes c off the waiting count and queue; the caller holds g.mu.
func (g *gate) forget(c *gatedConn) {
	c.mu.Lock()
	waiting := c.waiting
	c.waiting = false
	c.mu.Unlock()
	if !waiting {
		return
	}
	g.n--
	if g.waiting[c.host]--; g.waiting[c.host] <= 0 {
		delete(g.waiting, c.host)
	}
	for i, q := range g.queue {
		if q == c {
			g.queue = append(g.queue[:i], g.queue[i+1:]...)
			break
		}
	}
}

// gateKey holds a connection's *gatedConn in its context.
type gateKey struct{}

// admit is the server's ConnCallback: it refuses (nil) a connection over
// the limits and otherwise wraps it so that its handshake has a deadline.
func (g *gate) admit(ctx gliderssh.Context, c net.Conn) net.Conn {
	host := remoteHost(c.RemoteAddr())
	g.mu.Lock()
	if g.waiting[host] >= g.perAddr && !g.makeRoom(host, true) || g.n >= g.total && !g.makeRoom(host, false) {
		g.mu.Unlock()
		return nil
	}
	gc := &gatedConn{Conn: c, gate: g, host: host, waiting: true}
	g.n++
	g.waiting[host]++
	g.queue = append(g.queue, gc)
	g.mu.Unlock()
	gc.limitTo(time.Now().Add(g.handshake))
	ctx.SetValue(gateKey{}, gc)
	return gc
}

func remoteHost(a net.Addr) string {
	if a == nil {
		return ""
	}
	host, _, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	return host
}

// gatedConn is a connection under the gate. While it has no session it
// may not live past its limit, whatever deadline the SSH library sets (it
// clears the deadline on every read and write).
type gatedConn struct {
	net.Conn
	gate *gate
	host string

	mu       sync.Mutex
	limit    time.Time // zero while a session runs
	sessions int
	waiting  bool // counted by the gate
	// spoke is set once the peer has sent anything: a real client sends
	// its SSH version at once.
	spoke atomic.Bool
}

// Read implements net.Conn, noting that the peer has spoken.
func (c *gatedConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 && !c.spoke.Load() {
		c.spoke.Store(true)
	}
	return n, err
}

// SetDeadline implements net.Conn, capped at the connection's limit.
func (c *gatedConn) SetDeadline(t time.Time) error {
	return c.Conn.SetDeadline(c.capped(t))
}

// SetReadDeadline implements net.Conn, capped at the connection's limit.
func (c *gatedConn) SetReadDeadline(t time.Time) error {
	return c.Conn.SetReadDeadline(c.capped(t))
}

// SetWriteDeadline implements net.Conn, capped at the connection's limit.
func (c *gatedConn) SetWriteDeadline(t time.Time) error {
	return c.Conn.SetWriteDeadline(c.capped(t))
}

func (c *gatedConn) capped(t time.Time) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.limit.IsZero() && (t.IsZero() || t.After(c.limit)) {
		return c.limit
	}
	return t
}

func (c *gatedConn) limitTo(t time.Time) {
	c.mu.Lock()
	c.limit = t
	c.mu.Unlock()
	_ = c.Conn.SetDeadline(t)
}

// Close implements net.Conn.
func (c *gatedConn) Close() error {
	c.stopWaiting()
	return c.Conn.Close()
}

func (c *gatedConn) stopWaiting() {
	c.gate.mu.Lock()
	defer c.gate.mu.Unlock()
	c.gate.forget(c)
}

// begin marks a session started on the connection: it is no longer
// waiting and has no deadline while the session runs.
func (c *gatedConn) begin() {
	c.stopWaiting()
	c.mu.Lock()
	c.sessions++
	c.mu.Unlock()
	c.limitTo(time.Time{})
}

// end marks a session ended; a connection left with none must start
// another within the handshake time or is closed.
func (c *gatedConn) end() {
	c.mu.Lock()
	c.sessions--
	idle := c.sessions == 0
	c.mu.Unlock()
	if idle {
		c.limitTo(time.Now().Add(c.gate.handshake))
	}
}
