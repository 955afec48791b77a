package store

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"time"
)

// Holder describes the process that holds a database, written beside it so
// that a second process can say who holds the file and how to reach it.
type Holder struct {
	PID   int       `json:"pid"`
	Since time.Time `json:"since"`
	// Listen is the SSH address when the holder is `tandem serve`.
	Listen string `json:"listen,omitempty"`
}

func (h Holder) host() string {
	host, _, err := net.SplitHostPort(h.Listen)
	if err != nil || host == "" {
		return "localhost"
	}
	return host
}

func (h Holder) port() string {
	_, port, err := net.SplitHostPort(h.Listen)
	if err != nil {
		return "22"
	}
	return port
}

// HolderPath is the file beside a database that names its holder.
func HolderPath(dbPath string) string { return dbPath + ".holder" }

// SocketPath is the control socket beside a database, on which its holder
// runs commands for other processes.
func SocketPath(dbPath string) string { return dbPath + ".sock" }

func readHolder(dbPath string) Holder {
	var h Holder
	b, err := os.ReadFile(HolderPath(dbPath))
	if err == nil {
		_ = json.Unmarshal(b, &h) // a torn or foreign file just names no one
	}
	return h
}

func writeHolder(dbPath string, h Holder) error {
	b, err := json.Marshal(h)
	if err != nil {
		return err
	}
	tmp := HolderPath(dbPath) + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return fmt.Errorf("write holder file: %w", err)
	}
	return os.Rename(tmp, HolderPath(dbPath))
}

// Announce records, beside the database, the SSH address this holder serves
// on, so that a local tandem opening the same file can say how to connect.
func (s *Store) Announce(listen string) error {
	if s.readOnly {
		return nil
	}
	return writeHolder(s.path, Holder{PID: os.Getpid(), Since: s.now(), Listen: listen})
}
