package control

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"time"
)

// HandshakeTimeout is how long Forward waits for the holder to connect and
// greet before it gives up on it.
const HandshakeTimeout = 800 * time.Millisecond

// ErrNoAnswer is returned by Forward when nothing answers on the socket in
// time: the holder is hung, stopped, or is an older tandem without one.
var ErrNoAnswer = errors.New("the process holding the database does not answer")

// Forward runs req in the process listening on the socket at path, copying
// its output to stdout and stderr, and returns its exit code. With
// req.Stdin, stdin is streamed to the command.
func Forward(ctx context.Context, path string, req Request, stdin io.Reader, stdout, stderr io.Writer) (int, error) {
	d := net.Dialer{Timeout: HandshakeTimeout}
	conn, err := d.DialContext(ctx, "unix", path)
	if err != nil {
		return 0, fmt.Errorf("%w: %v", ErrNoAnswer, err)
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()

	r := bufio.NewReader(conn)
	dec := json.NewDecoder(r)
	_ = conn.SetDeadline(time.Now().Add(HandshakeTimeout))
	var hello frame
	if err := dec.Decode(&hello); err != nil || hello.Hello == 0 {
		return 0, fmt.Errorf("%w: no greeting on %s", ErrNoAnswer, path)
	}
	if err := json.NewEncoder(conn).Encode(req); err != nil {
		return 0, fmt.Errorf("%w: %v", ErrNoAnswer, err)
	}
	_ = conn.SetDeadline(time.Time{}) // the command may take as long as it needs
	if req.Stdin && stdin != nil {
		go func() {
			_, _ = io.Copy(conn, stdin)
			if uc, ok := conn.(*net.UnixConn); ok {
				_ = uc.CloseWrite() // end of input for the command
			}
		}()
	}
	for {
		var f frame
		if err := dec.Decode(&f); err != nil {
			return 0, fmt.Errorf("the holder (pid %d) closed the connection before the command finished; check with `tandem brief list` whether it ran: %w", hello.Hello, err)
		}
		if f.Stdout != "" {
			if _, err := io.WriteString(stdout, f.Stdout); err != nil {
				return 0, err
			}
		}
		if f.Stderr != "" {
			if _, err := io.WriteString(stderr, f.Stderr); err != nil {
				return 0, err
			}
		}
		if f.Exit != nil {
			return *f.Exit, nil
		}
	}
}
