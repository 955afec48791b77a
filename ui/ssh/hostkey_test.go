package ssh

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	gossh "golang.org/x/crypto/ssh"
)

// Ensure that the host key is made once, private, and that making it
// leaves the mode of the folder it is in alone (a shared 1777 folder
// stays usable for its other users).
func TestLoadHostKey(t *testing.T) {
	dir := t.TempDir()
	if err := os.Chmod(dir, os.ModeSticky|0o777); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "tandem_host_ed25519")
	first, err := loadHostKey(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := gossh.ParsePrivateKey(first); err != nil {
		t.Fatalf("the key does not parse: %v", err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Fatalf("key mode %v", fi.Mode())
	}
	if di, _ := os.Stat(dir); di.Mode()&os.ModeSticky == 0 || di.Mode().Perm() != 0o777 {
		t.Fatalf("the folder's mode changed to %v", di.Mode())
	}
	again, err := loadHostKey(path)
	if err != nil || !bytes.Equal(first, again) {
		t.Fatalf("the key changed on the second start: %v", err)
	}
}
