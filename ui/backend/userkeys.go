package backend

import (
	"errors"
	"fmt"
	"strings"

	gossh "golang.org/x/crypto/ssh"

	"github.com/tandem-ops/tandem/core"
)

// ErrCertificate is returned by UserByKey for an SSH certificate. People
// are known by their plain keys and no certificate authority is trusted,
// so a certificate logs in as nobody: otherwise one private key could be
// two people, depending on which certificate the client sends.
var ErrCertificate = errors.New("the key is an SSH certificate, which this server does not accept; connect with the plain key (without -o CertificateFile)")

// parseUserKey parses the i-th key line given for a user. It returns a
// *core.FieldError saying how to give the key when the line is not a
// public key in authorized_keys form: an RFC4716 or PEM file, or a
// private key.
func parseUserKey(i int, line string) (gossh.PublicKey, error) {
	problem := func(format string, args ...any) error {
		return &core.FieldError{Record: "user", Field: "key", Problem: fmt.Sprintf("key %d ", i+1) + fmt.Sprintf(format, args...)}
	}
	const openSSH = "give an OpenSSH public key (authorized_keys format, as in id_ed25519.pub)"
	switch line = strings.TrimSpace(line); {
	case strings.HasPrefix(line, "---- BEGIN SSH2 PUBLIC KEY"):
		return nil, problem("is an RFC4716 (SSH2) public key; %s: convert it with `ssh-keygen -i -f KEY.pub`", openSSH)
	case strings.HasPrefix(line, "-----BEGIN") && strings.Contains(line, "PRIVATE KEY"):
		return nil, problem("is a private key, which never leaves its owner; %s", openSSH)
	case strings.HasPrefix(line, "-----BEGIN"):
		return nil, problem("is a PEM public key; %s: convert it with `ssh-keygen -i -m PKCS8 -f KEY.pem`", openSSH)
	}
	pk, _, _, _, err := gossh.ParseAuthorizedKey([]byte(line))
	if err != nil {
		return nil, problem("is not an SSH public key (%v); %s", err, openSSH)
	}
	return pk, nil // a certificate is refused by the store, which checks every user it writes
}
