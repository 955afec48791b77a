package cli

import (
	"context"
	"io"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/store"
	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/control"
)

// ServeControl listens on the control socket beside be's database and runs
// the commands other tandem processes forward, until ctx ends or the
// returned stop is called. The socket is the file owner's alone, so a
// forwarded command runs as an admin under the caller's login name.
func ServeControl(ctx context.Context, be *backend.Backend) (stop func(), err error) {
	ln, err := control.Listen(store.SocketPath(be.Path()))
	if err != nil {
		return func() {}, err
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = control.Serve(ctx, ln, func(ctx context.Context, req control.Request, in io.Reader, out, errOut io.Writer) int {
			return Run(ctx, be, core.Identity{Name: req.User, Role: core.RoleAdmin}, req.Dir, req.Args, in, out, errOut)
		})
	}()
	return func() { cancel(); <-done }, nil
}
