package cli

import (
	"context"
	"io"
	"os/user"
	"strconv"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/control"
)

// ServeControl listens on the control socket beside be's database and runs
// the commands other tandem processes forward, until ctx ends or the
// returned stop is called. Only the holder's own user can connect (the
// control package checks the peer), so a forwarded command runs as an
// admin, under the login name the kernel reports for the peer.
func ServeControl(ctx context.Context, be *backend.Backend) (stop func(), err error) {
	ln, err := control.Listen(backend.SocketPath(be.Path()))
	if err != nil {
		return func() {}, err
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = control.Serve(ctx, ln, ControlHandler(be))
	}()
	return func() { cancel(); <-done }, nil
}

// ControlHandler runs forwarded requests against be as their peer.
func ControlHandler(be *backend.Backend) control.Handler {
	return func(ctx context.Context, peer control.Peer, req control.Request, in io.Reader, out, errOut io.Writer) int {
		who := core.Identity{Name: loginName(peer.UID), Role: core.RoleAdmin}
		models := backend.ModelSettings{Host: req.OllamaHost, Model: req.Model, EmbedModel: req.EmbedModel}
		return Run(ctx, be, Call{Identity: who, Args: req.Args, Dir: req.Dir, Models: models}, in, out, errOut)
	}
}

// loginName is the user name of uid, or "uid-N" when it has none.
func loginName(uid int) string {
	if u, err := user.LookupId(strconv.Itoa(uid)); err == nil && u.Username != "" {
		return u.Username
	}
	return "uid-" + strconv.Itoa(uid)
}
