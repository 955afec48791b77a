// Package ssh is `tandem serve`: the shared cockpit over SSH. Each key is a
// person with a role; a session with a terminal gets the same cockpit as
// the local one, rendered for that terminal, and a session with a command
// runs that command from the CLI's table with the caller's role enforced.
package ssh

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	gliderssh "github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	bm "github.com/charmbracelet/wish/bubbletea"
	gossh "golang.org/x/crypto/ssh"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/cli"
	"github.com/tandem-ops/tandem/ui/cockpit"
)

// Options configure the server.
type Options struct {
	// Listen is the address, e.g. 127.0.0.1:2323.
	Listen string
	// HostKeyPath is the server's key, generated on first start and kept.
	HostKeyPath string
	// MaxSessions caps concurrent sessions; 0 means 100.
	MaxSessions int
	// IdleTimeout closes a session with no traffic for this long; 0 means 30 min.
	IdleTimeout time.Duration
	// AllowUnknownViewer admits keys no user has, as read-only viewers.
	AllowUnknownViewer bool
	// Workspace names the database in each session's status bar.
	Workspace string
	// Now is the sessions' clock; time.Now when nil.
	Now func() time.Time
}

// Server serves the cockpit and the command table over SSH.
type Server struct {
	be     *backend.Backend
	opts   Options
	srv    *gliderssh.Server
	active atomic.Int32

	mu       sync.Mutex
	programs map[*tea.Program]struct{}
	closing  bool
}

// identityKey holds a session's identity in its context.
type identityKey struct{}

// New returns a server over be.
func New(be *backend.Backend, opts Options) (*Server, error) {
	if opts.MaxSessions <= 0 {
		opts.MaxSessions = 100
	}
	if opts.IdleTimeout <= 0 {
		opts.IdleTimeout = 30 * time.Minute
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Server{be: be, opts: opts, programs: map[*tea.Program]struct{}{}}
	srv, err := wish.NewServer(
		wish.WithAddress(opts.Listen),
		wish.WithHostKeyPath(opts.HostKeyPath),
		wish.WithPublicKeyAuth(s.authenticate),
		wish.WithIdleTimeout(opts.IdleTimeout),
		wish.WithMiddleware(func(gliderssh.Handler) gliderssh.Handler { return s.handle }),
	)
	if err != nil {
		return nil, fmt.Errorf("ssh server: %w", err)
	}
	s.srv = srv
	return s, nil
}

// Serve accepts sessions on ln until Shutdown.
func (s *Server) Serve(ln net.Listener) error {
	err := s.srv.Serve(ln)
	if errors.Is(err, gliderssh.ErrServerClosed) {
		return nil
	}
	return err
}

// ListenAndServe listens on Options.Listen and serves until Shutdown.
func (s *Server) ListenAndServe() error {
	ln, err := net.Listen("tcp", s.opts.Listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", s.opts.Listen, err)
	}
	return s.Serve(ln)
}

// Shutdown tells every session the server is stopping, ends the cockpits,
// and closes connections, waiting for them until ctx ends.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closing = true
	for p := range s.programs {
		p.Send(shutdownMsg{})
	}
	s.mu.Unlock()
	err := s.srv.Shutdown(ctx)
	if err != nil {
		_ = s.srv.Close()
	}
	return err
}

// authenticate admits keys that belong to a user (or, with
// AllowUnknownViewer, any key). It only gates the handshake: the session
// is authorized again on the key that actually authenticated it.
func (s *Server) authenticate(ctx gliderssh.Context, key gliderssh.PublicKey) bool {
	if s.opts.AllowUnknownViewer {
		return true
	}
	_, ok, err := s.be.UserByKey(ctx, key)
	return err == nil && ok
}

// identify resolves the session's identity from the key it proved.
func (s *Server) identify(sess gliderssh.Session) (core.Identity, error) {
	key := sess.PublicKey()
	if key == nil {
		return core.Identity{}, errors.New("this server accepts public keys only")
	}
	u, ok, err := s.be.UserByKey(sess.Context(), key)
	switch {
	case err != nil:
		return core.Identity{}, fmt.Errorf("look up your key: %w", err)
	case ok:
		return core.Identity{Name: u.Name, Role: u.Role}, nil
	case s.opts.AllowUnknownViewer:
		return core.Identity{Name: "guest-" + gossh.FingerprintSHA256(key)[7:15], Role: core.RoleViewer}, nil
	}
	return core.Identity{}, errors.New("your key is not registered here; ask an admin to run `tandem user add`")
}

// handle is every session's entry: check limits and identity, then run a
// command or the cockpit.
func (s *Server) handle(sess gliderssh.Session) {
	if n := s.active.Add(1); int(n) > s.opts.MaxSessions {
		s.active.Add(-1)
		wish.Fatalf(sess, "tandem: the server is at its limit of %d sessions; try again in a moment\n", s.opts.MaxSessions)
		return
	}
	defer s.active.Add(-1)
	who, err := s.identify(sess)
	if err != nil {
		wish.Fatalf(sess, "tandem: %v\n", err)
		return
	}
	sess.Context().SetValue(identityKey{}, who)
	if cmd := sess.Command(); len(cmd) > 0 {
		code := cli.Run(sess.Context(), s.be, who, "", cmd, sess, sess, sess.Stderr())
		_ = sess.Exit(code)
		return
	}
	s.runCockpit(sess, who)
}

// shutdownMsg tells a session's cockpit that the server is stopping.
type shutdownMsg struct{}

func (s *Server) runCockpit(sess gliderssh.Session, who core.Identity) {
	pty, windows, ok := sess.Pty()
	if !ok {
		wish.Fatalln(sess, "tandem: the cockpit needs a terminal; use `ssh -t`, or pass a command such as `status`")
		return
	}
	m := cockpit.NewSession(sess.Context(), s.be, who, bm.MakeRenderer(sess), s.opts.Workspace, s.opts.Now)
	defer m.Close()
	p := tea.NewProgram(sessionModel{Model: m}, append(bm.MakeOptions(sess), tea.WithAltScreen())...)
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		wish.Fatalln(sess, "tandem: the server is shutting down")
		return
	}
	s.programs[p] = struct{}{}
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.programs, p)
		s.mu.Unlock()
	}()

	ctx, cancel := context.WithCancel(sess.Context())
	defer cancel()
	go func() {
		p.Send(tea.WindowSizeMsg{Width: pty.Window.Width, Height: pty.Window.Height})
		for {
			select {
			case <-ctx.Done():
				p.Quit()
				return
			case w := <-windows:
				p.Send(tea.WindowSizeMsg{Width: clamp(w.Width), Height: clamp(w.Height)})
			}
		}
	}()
	if _, err := p.Run(); err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		fmt.Fprintf(sess.Stderr(), "tandem: %v\r\n", err)
	}
	p.Kill()
	if s.isClosing() {
		fmt.Fprint(sess, "tandem: the server is shutting down; your work is saved.\r\n")
	}
}

func (s *Server) isClosing() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closing
}

// clamp keeps a peer's window size within what a terminal can be, so a
// hostile size cannot make the cockpit allocate without bound.
func clamp(n int) int { return min(max(n, 0), 1000) }

// sessionModel ends the session's cockpit when the server shuts down.
type sessionModel struct{ *cockpit.Model }

// Update implements tea.Model.
func (m sessionModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case shutdownMsg:
		return m, tea.Quit
	case tea.WindowSizeMsg:
		msg.Width, msg.Height = clamp(msg.Width), clamp(msg.Height)
		_, cmd := m.Model.Update(msg)
		return m, cmd
	}
	_, cmd := m.Model.Update(msg)
	return m, cmd
}
