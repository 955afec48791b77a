package ssh

import (
	"context"
	"errors"
	"log/slog"

	gliderssh "github.com/charmbracelet/ssh"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/backend"
)

// liveSession is an open session whose identity a user's key gave it. It
// holds only while that user keeps the key and their role: an admin who
// removes them, or re-adds them with another role, ends it.
type liveSession struct {
	who core.Identity
	key gliderssh.PublicKey
	log *slog.Logger
	end context.CancelCauseFunc
}

// track returns the context a user's session runs in until done. Its
// writes commit only while the user stands (backend.AsSession), and it is
// cancelled with a *core.RevokedError as soon as they do not.
func (s *Server) track(sess gliderssh.Session, who core.Identity, log *slog.Logger) (ctx context.Context, done func()) {
	ctx, cancel := context.WithCancelCause(s.be.AsSession(sess.Context(), who, sess.PublicKey()))
	ls := &liveSession{who: who, key: sess.PublicKey(), log: log, end: cancel}
	s.mu.Lock()
	s.live[ls] = struct{}{}
	s.mu.Unlock()
	// A change committed since identify was published before ls was
	// tracked: look once more.
	s.recheck(ctx, ls)
	return ctx, func() {
		s.forget(ls)
		cancel(nil)
	}
}

// forget stops watching ls, which ended or is ending, and reports
// whether it was watched until now.
func (s *Server) forget(ls *liveSession) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, watched := s.live[ls]
	delete(s.live, ls)
	return watched
}

// watchAccess follows the change feed from sub and, on every change to
// the users (or an import), ends the sessions whose users no longer stand.
// It returns when ctx ends or the store closes.
func (s *Server) watchAccess(ctx context.Context, sub changeFeed) {
	defer func() { sub.Close() }()
	for {
		select {
		case <-ctx.Done():
			return
		case c, ok := <-sub.C():
			switch {
			case !ok && !sub.Dropped():
				return // the store closed
			case !ok:
				// Fell behind: a user change may be among those missed.
				sub = s.be.Subscribe(backend.DefaultSubscriptionBuffer)
			case c.Kind != core.KindUser && c.Kind != core.KindWorkspace:
				continue
			}
			s.mu.Lock()
			live := make([]*liveSession, 0, len(s.live))
			for ls := range s.live {
				live = append(live, ls)
			}
			s.mu.Unlock()
			for _, ls := range live {
				s.recheck(ctx, ls)
			}
		}
	}
}

// changeFeed is the backend's subscription to committed changes.
type changeFeed interface {
	C() <-chan core.Change
	Dropped() bool
	Close()
}

// recheck ends ls when its user no longer stands, and forgets it: its
// end is logged once, however many changes follow before it closes.
func (s *Server) recheck(ctx context.Context, ls *liveSession) {
	err := s.be.SessionStanding(ctx, ls.who, ls.key)
	var revoked *core.RevokedError
	switch {
	case errors.As(err, &revoked):
		if !s.forget(ls) {
			return // ended already
		}
		ls.log.Info("session ended", "reason", revoked.Error())
		ls.end(revoked)
	case err != nil && ctx.Err() == nil:
		ls.log.Warn("could not check the session's user; it goes on, and its writes are still checked", "err", err)
	}
}

// revokedCause returns why ctx was ended when a user's access changed,
// and nil otherwise.
func revokedCause(ctx context.Context) *core.RevokedError {
	var revoked *core.RevokedError
	if errors.As(context.Cause(ctx), &revoked) {
		return revoked
	}
	return nil
}
