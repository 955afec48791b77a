// Package ssh is `tandem serve`: the shared cockpit over SSH. Each key is a
// person with a role; a session with a terminal gets the same cockpit as
// the local one, rendered for that terminal, and a session with a command
// runs that command from the CLI's table with the caller's role enforced.
package ssh

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	gliderssh "github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	bm "github.com/charmbracelet/wish/bubbletea"
	gossh "golang.org/x/crypto/ssh"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/cli"
	"github.com/tandem-ops/tandem/ui/cockpit"
	"github.com/tandem-ops/tandem/ui/config"
	"github.com/tandem-ops/tandem/ui/keymap"
	"github.com/tandem-ops/tandem/ui/styles"
)

// Options configure the server. Zero values take the defaults named
// (DefaultOptions); New refuses values out of range (Validate).
type Options struct {
	// Listen is the address, e.g. 127.0.0.1:2323.
	Listen string
	// HostKeyPath is the server's key, generated on first start and kept.
	HostKeyPath string
	// MaxSessions caps concurrent sessions; 0 means 100.
	MaxSessions int
	// IdleTimeout closes a session whose person has typed nothing for this
	// long (what the server draws does not count); 0 means 30 min.
	IdleTimeout time.Duration
	// HandshakeTimeout is how long a connection may take to authenticate
	// and start a session; 0 means 10 s.
	HandshakeTimeout time.Duration
	// MaxWaiting caps connections that have not started a session, from
	// one address and in all; 0 means 16 and 256.
	MaxWaitingPerAddr, MaxWaiting int
	// CommandsPerPerson caps one person's commands at once; 0 means 4.
	CommandsPerPerson int
	// CommandRate is how many commands a second one person may start,
	// sustained, with bursts of CommandBurst; 0 means 5 and 20.
	CommandRate  float64
	CommandBurst int
	// CockpitsPerPerson caps one person's open cockpits; 0 means 8.
	CockpitsPerPerson int
	// CommandDeadline and StreamDeadline bound a command, and one that
	// streams its input or output; 0 means cli.CommandDeadline and
	// cli.StreamDeadline.
	CommandDeadline, StreamDeadline time.Duration
	// AllowUnknownViewer admits keys no user has, as read-only viewers.
	AllowUnknownViewer bool
	// Workspace names the database in each session's status bar.
	Workspace string
	// Now is the sessions' clock; time.Now when nil.
	Now func() time.Time
	// Log receives one line per session and every recovered panic with its
	// stack; nothing is logged when nil.
	Log *slog.Logger
}

// Server serves the cockpit and the command table over SSH.
type Server struct {
	be     *backend.Backend
	opts   Options
	srv    *gliderssh.Server
	gate   *gate
	limits *personLimits
	active atomic.Int32

	mu       sync.Mutex
	programs map[*tea.Program]struct{}
	live     map[*liveSession]struct{}
	closing  bool
}

// identityKey holds a session's identity in its context.
type identityKey struct{}

// New returns a server over be.
func New(be *backend.Backend, opts Options) (*Server, error) {
	opts.setDefaults()
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	s := &Server{
		be:       be,
		opts:     opts,
		programs: map[*tea.Program]struct{}{},
		live:     map[*liveSession]struct{}{},
		gate:     newGate(opts.HandshakeTimeout, opts.MaxWaitingPerAddr, opts.MaxWaiting),
		limits:   newPersonLimits(opts.CommandsPerPerson, opts.CommandRate, opts.CommandBurst, opts.CockpitsPerPerson),
	}
	hostKey, err := loadHostKey(opts.HostKeyPath)
	if err != nil {
		return nil, err
	}
	srv, err := wish.NewServer(
		wish.WithAddress(opts.Listen),
		wish.WithHostKeyPEM(hostKey),
		wish.WithPublicKeyAuth(s.authenticate),
		wish.WithMiddleware(func(gliderssh.Handler) gliderssh.Handler { return s.handle }),
	)
	if err != nil {
		return nil, fmt.Errorf("ssh server: %w", err)
	}
	srv.ConnCallback = s.gate.admit
	s.srv = srv
	return s, nil
}

// Serve accepts sessions on ln until Shutdown. While it serves, a user's
// sessions end when the user is removed or their role changes.
func (s *Server) Serve(ln net.Listener) error {
	ctx, cancel := context.WithCancel(context.Background())
	watched := make(chan struct{})
	sub := s.be.Subscribe(backend.DefaultSubscriptionBuffer)
	go func() {
		defer close(watched)
		s.watchAccess(ctx, sub)
	}()
	defer func() {
		cancel()
		<-watched
	}()
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
// AllowUnknownViewer, any other plain key). It only gates the handshake:
// the session is authorized again on the key that actually authenticated
// it. A key that more than one user has, and a certificate, are refused
// and logged for the admin.
func (s *Server) authenticate(ctx gliderssh.Context, key gliderssh.PublicKey) bool {
	_, ok, err := s.be.UserByKey(ctx, key)
	if err != nil {
		s.opts.Log.Warn("key refused", "remote", remoteHost(ctx.RemoteAddr()), "reason", err)
		return false
	}
	return ok || s.opts.AllowUnknownViewer
}

// identify resolves the session's identity from the key it proved; guest
// says it is no user's (AllowUnknownViewer).
func (s *Server) identify(sess gliderssh.Session) (who core.Identity, guest bool, err error) {
	key := sess.PublicKey()
	if key == nil {
		return core.Identity{}, false, errors.New("this server accepts public keys only")
	}
	u, ok, err := s.be.UserByKey(sess.Context(), key)
	switch {
	case err != nil:
		return core.Identity{}, false, fmt.Errorf("look up your key: %w", err)
	case ok:
		return core.Identity{Name: u.Name, Role: u.Role}, false, nil
	case s.opts.AllowUnknownViewer:
		return core.Identity{Name: "guest-" + gossh.FingerprintSHA256(key)[7:15], Role: core.RoleViewer}, true, nil
	}
	return core.Identity{}, false, errors.New("your key is not registered here; ask an admin to run `tandem user add`")
}

// handle is every session's entry: check limits and identity, then run a
// command or the cockpit. A panic in either is contained to this session.
func (s *Server) handle(sess gliderssh.Session) {
	if gc, ok := sess.Context().Value(gateKey{}).(*gatedConn); ok {
		gc.begin()
		defer gc.end()
	}
	log := s.opts.Log.With("remote", remoteHost(sess.RemoteAddr()))
	defer s.contain(sess, log)
	if n := s.active.Add(1); int(n) > s.opts.MaxSessions {
		s.active.Add(-1)
		refuseBusy(sess, log, "session refused", fmt.Errorf("the server is at its limit of %d sessions; try again in a moment", s.opts.MaxSessions))
		return
	}
	defer s.active.Add(-1)
	who, guest, err := s.identify(sess)
	if err != nil {
		log.Info("session refused", "reason", err)
		wish.Fatalf(sess, "tandem: %v\n", err)
		return
	}
	log = log.With("user", who.Name, "role", string(who.Role))
	sess.Context().SetValue(identityKey{}, who)
	ctx := context.Context(sess.Context())
	if !guest {
		var done func()
		ctx, done = s.track(sess, who, log)
		defer done()
	}
	if raw := sess.RawCommand(); raw != "" {
		s.runCommand(ctx, sess, who, raw, log)
		return
	}
	release, err := s.limits.startSession(who.Name, time.Now())
	if err != nil {
		refuseBusy(sess, log, "cockpit refused", err)
		return
	}
	defer release()
	log.Info("cockpit opened")
	s.runCockpit(ctx, sess, who, log)
	log.Info("cockpit closed")
}

// refuseBusy ends a session the server cannot serve now: one line for
// the person, one for the log, and exit 5 (unavailable), so a script
// knows to try again later rather than that it failed.
func refuseBusy(sess gliderssh.Session, log *slog.Logger, what string, err error) {
	log.Info(what, "reason", err)
	end := "\n"
	if _, _, terminal := sess.Pty(); terminal {
		end = "\r\n" // a terminal in raw mode moves down, not back
	}
	fmt.Fprintf(sess.Stderr(), "tandem: %v%s", err, end)
	_ = sess.Exit(cli.ExitUnavailable)
}

// runCommand runs one command line from the session under the person's
// limits; the CLI's table gives it its deadline and ends it when ctx does:
// the connection went, or the person's access changed.
func (s *Server) runCommand(ctx context.Context, sess gliderssh.Session, who core.Identity, raw string, log *slog.Logger) {
	args, err := splitCommand(raw)
	if err != nil {
		fmt.Fprintf(sess.Stderr(), "tandem: %v\n", err)
		_ = sess.Exit(cli.ExitUsage)
		return
	}
	release, err := s.limits.startCommand(who.Name, time.Now())
	if err != nil {
		refuseBusy(sess, log, "command refused", err)
		return
	}
	defer release()
	start := time.Now()
	code := cli.Run(ctx, s.be, cli.Call{Identity: who, Args: args, Remote: true,
		Deadline: s.opts.CommandDeadline, StreamDeadline: s.opts.StreamDeadline}, sess, sess, sess.Stderr())
	log.Info("command", "command", cli.CommandPath(args), "exit", code, "duration_ms", time.Since(start).Milliseconds())
	_ = sess.Exit(code)
}

// contain recovers a panic in a session: the stack goes to the server's
// log, the person gets a short error, and every other session goes on.
func (s *Server) contain(sess gliderssh.Session, log *slog.Logger) {
	r := recover()
	if r == nil {
		return
	}
	log.Error("session panicked", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
	fmt.Fprint(sess.Stderr(), "tandem: internal error; it was logged for the server's admin, and nothing else was affected\r\n")
	_ = sess.Exit(cli.ExitFailure)
}

// shutdownMsg tells a session's cockpit that the server is stopping.
type shutdownMsg struct{}

// idleMsg tells a session's cockpit that its person has been away for
// the idle timeout.
type idleMsg struct{}

// runCockpit runs the cockpit until the person quits, ctx ends (the
// connection went, or their access changed) or the server stops.
func (s *Server) runCockpit(ctx context.Context, sess gliderssh.Session, who core.Identity, log *slog.Logger) {
	pty, windows, ok := sess.Pty()
	if !ok {
		wish.Fatalln(sess, "tandem: the cockpit needs a terminal; use `ssh -t`, or pass a command such as `status`")
		return
	}
	r := bm.MakeRenderer(sess)
	theme, km := s.personalLook(ctx, who, r)
	m := cockpit.NewSessionWithTheme(ctx, s.be, who, r, theme, km, s.opts.Workspace, s.opts.Now)
	defer m.Close()
	typed := newActivity(time.Now())
	in, out := sessionIO(sess)
	p := tea.NewProgram(sessionModel{Model: m}, tea.WithInput(typed.reader(in)), tea.WithOutput(out), tea.WithAltScreen())
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
	var idled atomic.Bool
	stopWatch := typed.watch(s.opts.IdleTimeout, func() {
		idled.Store(true)
		p.Send(idleMsg{})
	})
	defer stopWatch()

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		p.Send(tea.WindowSizeMsg{Width: clamp(pty.Window.Width), Height: clamp(pty.Window.Height)})
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
	_, err := p.Run()
	p.Kill()
	switch {
	case errors.Is(err, tea.ErrProgramPanic):
		// Bubble Tea printed the stack on the server's output.
		log.Error("cockpit panicked")
		fmt.Fprint(sess.Stderr(), "tandem: the cockpit hit an internal error; it was logged for the server's admin. Reconnect to go on; your work is saved.\r\n")
	case err != nil && !errors.Is(err, tea.ErrProgramKilled):
		fmt.Fprintf(sess.Stderr(), "tandem: %v\r\n", err)
	case revokedCause(ctx) != nil:
		fmt.Fprintf(sess.Stderr(), "tandem: %v\r\n", revokedCause(ctx))
		_ = sess.Exit(cli.ExitPermission)
	case s.isClosing():
		fmt.Fprint(sess, "tandem: the server is shutting down; your work is saved.\r\n")
	case idled.Load():
		log.Info("cockpit idle", "timeout", s.opts.IdleTimeout.String())
		fmt.Fprintf(sess, "tandem: closed after %v without input; your work is saved. Reconnect to go on.\r\n", s.opts.IdleTimeout)
	}
}

// personalLook is the person's own theme, colours and keys (`tandem me
// set`), over the terminal's defaults: their cockpit looks the same
// wherever they connect from. Settings that do not parse are left out.
func (s *Server) personalLook(ctx context.Context, who core.Identity, r *lipgloss.Renderer) (styles.Theme, *keymap.KeyMap) {
	theme, km := styles.ForBackground(r.HasDarkBackground()), keymap.DefaultKeyMap()
	personal, err := s.be.PersonalSettings(ctx, who)
	if err != nil {
		return theme, km
	}
	cfg, problems := config.Personal(personal)
	if len(problems) > 0 {
		return theme, km
	}
	if t, ok := styles.ByName(cfg.Theme); ok {
		theme = t
	}
	km.Remap(cfg.Keys)
	return theme.WithColors(cfg.Colors), km
}

// sessionIO is where a cockpit reads and draws: the session itself, or the
// server-side terminal when one was allocated for it.
func sessionIO(sess gliderssh.Session) (io.Reader, io.Writer) {
	pty, _, ok := sess.Pty()
	if !ok || sess.EmulatedPty() || pty.Slave == nil {
		return sess, sess
	}
	return pty.Slave, pty.Slave
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
	case shutdownMsg, idleMsg:
		return m, tea.Quit
	case tea.WindowSizeMsg:
		msg.Width, msg.Height = clamp(msg.Width), clamp(msg.Height)
		_, cmd := m.Model.Update(msg)
		return m, cmd
	}
	_, cmd := m.Model.Update(msg)
	return m, cmd
}
