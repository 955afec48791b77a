package ssh

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"github.com/tandem-ops/tandem/core"
)

// certSigner signs in with a certificate of signer's key, made by a fresh
// CA: `ssh -o CertificateFile=c-cert.pub -i c`.
func certSigner(t *testing.T, signer gossh.Signer) (gossh.Signer, *gossh.Certificate) {
	t.Helper()
	cert := &gossh.Certificate{Key: signer.PublicKey(), KeyId: "cert", CertType: gossh.UserCert,
		ValidPrincipals: []string{"x"}, ValidBefore: gossh.CertTimeInfinity}
	if err := cert.SignCert(rand.Reader, newSigner(t)); err != nil {
		t.Fatal(err)
	}
	cs, err := gossh.NewCertSigner(cert, signer)
	if err != nil {
		t.Fatal(err)
	}
	return cs, cert
}

// runWithStdin runs cmd as signer with stdin and returns its stderr and
// exit status.
func (ts *testServer) runWithStdin(t *testing.T, signer gossh.Signer, cmd string, stdin []byte) (string, int) {
	t.Helper()
	client, err := ts.dial(signer)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	var errOut bytes.Buffer
	sess.Stdin, sess.Stderr = bytes.NewReader(stdin), &errOut
	code := 0
	var exit *gossh.ExitError
	if err := sess.Run(cmd); asExit(err, &exit) {
		code = exit.ExitStatus()
	} else if err != nil {
		t.Fatalf("%s: %v", cmd, err)
	}
	return errOut.String(), code
}

// Ensure that a certificate of a user's key logs in as nobody, with or
// without --allow-unknown-viewer, and that the refusal is logged; the
// plain key still logs in as its user.
func TestUsers_CertificateLoginRefused(t *testing.T) {
	for _, guests := range []bool{false, true} {
		var log syncBuffer
		ts := startServer(t, Options{AllowUnknownViewer: guests, Log: newTestLogger(&log)})
		c := ts.newKey(t, "ana", core.RoleAdmin)
		cs, _ := certSigner(t, c)
		if client, err := ts.dial(cs); err == nil {
			client.Close()
			t.Fatalf("allow-unknown-viewer %v: a certificate of ana's key logged in", guests)
		}
		if !strings.Contains(log.String(), "key refused") || !strings.Contains(log.String(), "SSH certificate") {
			t.Fatalf("the refusal is not logged: %q", log.String())
		}
		if out, errOut, code := ts.runCommand(t, c, "user list"); code != 0 || !strings.Contains(out, "ana") {
			t.Fatalf("ana's plain key: exit %d, %q %q", code, out, errOut)
		}
	}
}

// Ensure that `user add` refuses an SSH certificate (one private key must
// not be two people), an RFC4716 or PEM public key and a private key with
// exit 2 and one line saying what to give instead; and a name that is a
// user's in another case, naming them.
func TestUsers_AddRefusesOtherKeyForms(t *testing.T) {
	ts := startServer(t, Options{})
	boss := ts.newKey(t, "boss", core.RoleAdmin)
	c := ts.newKey(t, "ana", core.RoleCreative)
	_, cert := certSigner(t, c)
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	sshPub, _ := gossh.NewPublicKey(pub)
	der, _ := x509.MarshalPKIXPublicKey(pub)
	privPEM, err := gossh.MarshalPrivateKey(priv, "")
	if err != nil {
		t.Fatal(err)
	}
	rfc4716 := "---- BEGIN SSH2 PUBLIC KEY ----\nComment: \"256-bit ED25519\"\n" +
		base64.StdEncoding.EncodeToString(sshPub.Marshal()) + "\n---- END SSH2 PUBLIC KEY ----\n"
	for _, tc := range []struct {
		what, cmd string
		stdin     []byte
		code      int
		said      string
	}{
		{"certificate", "user add xcert --role admin --key -", gossh.MarshalAuthorizedKey(cert), 2,
			"key 1 is an SSH certificate; give the plain public key (….pub without -cert)"},
		{"RFC4716", "user add bo --key -", []byte(rfc4716), 2, "is an RFC4716 (SSH2) public key; give an OpenSSH public key (authorized_keys format, as in id_ed25519.pub): convert it with `ssh-keygen -i -f KEY.pub`"},
		{"PEM", "user add bo --key -", pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), 2, "is a PEM public key; give an OpenSSH public key"},
		{"private key", "user add bo --key -", pem.EncodeToMemory(privPEM), 2, "is a private key, which never leaves its owner"},
		{"name in another case", "user add ANA --key -", gossh.MarshalAuthorizedKey(sshPub), 1, `user "ANA" already exists as "ana"`},
	} {
		said, code := ts.runWithStdin(t, boss, tc.cmd, tc.stdin)
		if code != tc.code || !strings.Contains(said, tc.said) || strings.Count(said, "\n") != 1 {
			t.Fatalf("%s: exit %d, stderr %q; want exit %d and one line saying %q", tc.what, code, said, tc.code, tc.said)
		}
	}
	users, err := ts.be.Users(t.Context())
	if err != nil || len(users) != 2 {
		t.Fatalf("the refused adds wrote: %d users, %v", len(users), err)
	}
}
