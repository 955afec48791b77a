//go:build !linux

package control

import (
	"net"
	"os"
)

// peerOf reports this process's own user: where the kernel's peer
// credentials are not read, the socket's mode (0600, made in a private
// folder) is what keeps other users out.
func peerOf(net.Conn) (Peer, error) {
	return Peer{UID: os.Getuid()}, nil
}
