package store

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
	gossh "golang.org/x/crypto/ssh"

	"github.com/tandem-ops/tandem/core"
)

// certLine returns an OpenSSH certificate for the key in keyLine, signed
// by a fresh CA, in authorized_keys form: what `ssh-keygen -s ca -I cert
// -n x key.pub` writes to key-cert.pub.
func certLine(t *testing.T, keyLine string) string {
	t.Helper()
	pk, _, _, _, err := gossh.ParseAuthorizedKey([]byte(keyLine))
	if err != nil {
		t.Fatal(err)
	}
	_, caKey, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ca, err := gossh.NewSignerFromKey(caKey)
	if err != nil {
		t.Fatal(err)
	}
	cert := &gossh.Certificate{Key: pk, KeyId: "cert", CertType: gossh.UserCert, ValidPrincipals: []string{"x"}, ValidBefore: gossh.CertTimeInfinity}
	if err := cert.SignCert(rand.Reader, ca); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(gossh.MarshalAuthorizedKey(cert)))
}

// putRawUser stores u as an older tandem or a hand edit could, past the
// rules AddUser applies.
func putRawUser(t *testing.T, s *Store, u core.User) {
	t.Helper()
	v, _ := json.Marshal(u)
	if err := s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketUsers).Put([]byte(u.Name), v) }); err != nil {
		t.Fatal(err)
	}
}

// Ensure that a user's name in another case is refused as taken, naming
// the user who has it, and that nothing is written.
func TestStore_AddUser_NameInAnotherCase(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	mustAddUser(t, s, "ana", core.RoleCreative, newKeyLine(t, "ana"))
	before, _ := s.Audit(ctx)
	for _, name := range []string{"ANA", "Ana", "anA"} {
		_, err := s.AddUser(ctx, "root", core.User{Name: name, Role: core.RoleAdmin, Keys: []string{newKeyLine(t, name)}})
		if !errors.Is(err, ErrExists) || !strings.Contains(err.Error(), `already exists as "ana"`) {
			t.Fatalf("adding %s beside ana: %v", name, err)
		}
	}
	users, _ := s.Users(ctx)
	after, _ := s.Audit(ctx)
	if len(users) != 1 || len(after) != len(before) {
		t.Fatalf("the refused adds wrote: %d users, %d audit entries (was %d)", len(users), len(after), len(before))
	}
}

// Ensure that an SSH certificate is refused as a user's key, saying to
// give the plain key, and that nothing is written.
func TestStore_AddUser_Certificate(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	_, err := s.AddUser(ctx, "root", core.User{Name: "xcert", Role: core.RoleAdmin, Keys: []string{certLine(t, newKeyLine(t, "c"))}})
	var fe *core.FieldError
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), "key 1 is an SSH certificate; give the plain public key") {
		t.Fatalf("adding a certificate: %v", err)
	}
	if users, _ := s.Users(ctx); len(users) != 0 {
		t.Fatalf("the refused add wrote %d users", len(users))
	}
}

// Ensure that Check refuses a workspace where two users' names differ
// only in case, or a user has a certificate of another's key, naming
// them; and passes once they are removed.
func TestStore_Check_NameCaseAndCertificate(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	key := newKeyLine(t, "c")
	mustAddUser(t, s, "ana", core.RoleCreative, key)
	for _, tc := range []struct {
		u       core.User
		problem string
	}{
		{core.User{Name: "ANA", Role: core.RoleAdmin, Keys: []string{newKeyLine(t, "ANA")}}, `user "ana" already exists as "ANA"`},
		{core.User{Name: "xcert", Role: core.RoleAdmin, Keys: []string{certLine(t, key)}}, "key 1 is an SSH certificate"},
	} {
		putRawUser(t, s, tc.u)
		if err := s.Check(ctx); err == nil || !strings.Contains(err.Error(), tc.problem) {
			t.Fatalf("check with %s stored: %v; want %q", tc.u.Name, err, tc.problem)
		}
		if err := s.RemoveUser(ctx, "root", tc.u.Name); err != nil {
			t.Fatal(err)
		}
		if err := s.Check(ctx); err != nil {
			t.Fatalf("check once %s is removed: %v", tc.u.Name, err)
		}
	}
}

// Ensure that an export holding a user whose name is another's in another
// case (as an earlier tandem could write) imports, with check naming it,
// and that one holding a certificate does not import.
func TestStore_Import_NameCaseAndCertificate(t *testing.T) {
	s := mustOpenStore(t)
	key := newKeyLine(t, "ana")
	mustAddUser(t, s, "ana", core.RoleViewer, key)
	for _, tc := range []struct {
		u       core.User
		problem string
	}{
		{core.User{Name: "ANA", Role: core.RoleAdmin, Keys: []string{newKeyLine(t, "ANA")}}, "already exists as"},
		{core.User{Name: "xcert", Role: core.RoleAdmin, Keys: []string{certLine(t, key)}}, "key 1 is an SSH certificate"},
	} {
		lines := exportLines(t, s)
		i := recordLine(t, lines, "users")
		v, _ := json.Marshal(tc.u)
		added := `{"bucket":"users","key":"` + b64([]byte(tc.u.Name)) + `","json":` + string(v) + `}`
		// Keys are in byte order: "ANA" sorts before "ana", "xcert" after.
		at := i
		if tc.u.Name > "ana" {
			at = i + 1
		}
		lines = append(lines[:at], append([]string{added}, lines[at:]...)...)
		if tc.u.Name == "ANA" {
			mustImportBreakingARule(t, sealed(lines), tc.problem)
			continue
		}
		mustRefuseImport(t, sealed(lines), 0, tc.problem)
	}
}

// Ensure that a certificate stored by an older tandem counts as the key it
// certifies: that key is not given to another user.
func TestStore_AddUser_KeyOfStoredCertificate(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	key := newKeyLine(t, "c")
	putRawUser(t, s, core.User{Name: "xcert", Role: core.RoleAdmin, Keys: []string{certLine(t, key)}})
	_, err := s.AddUser(ctx, "root", core.User{Name: "ana", Role: core.RoleCreative, Keys: []string{key}})
	if err == nil || !strings.Contains(err.Error(), "is already xcert's; one key is one person") {
		t.Fatalf("adding the key xcert's certificate certifies: %v", err)
	}
	if err := s.RemoveUser(ctx, "root", "xcert"); err != nil {
		t.Fatal(err)
	}
}

// Ensure that add and check fold user names the same way: a name in
// another case or Unicode form is the same user's.
func TestStore_AddUser_NameFoldedAsCheckFolds(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	mustAddUser(t, s, "jos\u00e9", core.RoleViewer, newKeyLine(t, "jose"))
	for _, name := range []string{"JOS\u00c9", "jose\u0301", "JOSE\u0301"} {
		if _, err := s.AddUser(ctx, "root", core.User{Name: name, Role: core.RoleAdmin, Keys: []string{newKeyLine(t, "other")}}); !errors.Is(err, ErrExists) {
			t.Errorf("%q beside the user with the same name: %v", name, err)
		}
	}
}
