package store

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	bolt "go.etcd.io/bbolt"
	gossh "golang.org/x/crypto/ssh"

	"github.com/tandem-ops/tandem/core"
)

// newKeyLine returns a fresh public key in authorized_keys form, with
// comment.
func newKeyLine(t *testing.T, comment string) string {
	t.Helper()
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pk, err := gossh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(gossh.MarshalAuthorizedKey(pk))) + " " + comment
}

func mustAddUser(t *testing.T, s *Store, name string, role core.Role, keys ...string) {
	t.Helper()
	if _, err := s.AddUser(context.Background(), "root", core.User{Name: name, Role: role, Keys: keys}); err != nil {
		t.Fatal(err)
	}
}

// Ensure that a key another user has is refused, under another comment
// too, naming its owner, and that nothing is written.
func TestStore_AddUser_KeyTaken(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	key := newKeyLine(t, "vic@laptop")
	mustAddUser(t, s, "vic", core.RoleViewer, key)
	before, _ := s.Audit(ctx)

	same := strings.Replace(key, "vic@laptop", "someone-else", 1)
	_, err := s.AddUser(ctx, "root", core.User{Name: "aaa", Role: core.RoleAdmin, Keys: []string{newKeyLine(t, "aaa"), same}})
	var fe *core.FieldError
	if !errors.As(err, &fe) || fe.Field != "key" || !strings.Contains(err.Error(), "is already vic's; one key is one person") {
		t.Fatalf("adding vic's key to aaa: %v", err)
	}
	users, _ := s.Users(ctx)
	after, _ := s.Audit(ctx)
	if len(users) != 1 || len(after) != len(before) {
		t.Fatalf("the refused add wrote: %d users, %d audit entries (was %d)", len(users), len(after), len(before))
	}
}

// Ensure that one user given the same key twice is told so.
func TestStore_AddUser_KeyTwice(t *testing.T) {
	s := mustOpenStore(t)
	key := newKeyLine(t, "cy")
	_, err := s.AddUser(context.Background(), "root", core.User{Name: "cy", Role: core.RoleCreative, Keys: []string{key, key + " again"}})
	if err == nil || !strings.Contains(err.Error(), "is given twice") {
		t.Fatalf("the same key twice: %v", err)
	}
}

// Ensure that of many adds racing for one key, exactly one takes it: the
// check is in the write's transaction.
func TestStore_AddUser_KeyRace(t *testing.T) {
	s := mustOpenStore(t)
	key := newKeyLine(t, "shared")
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			_, errs[i] = s.AddUser(context.Background(), "root", core.User{Name: fmt.Sprintf("u%d", i), Role: core.RoleAdmin, Keys: []string{key}})
		})
	}
	wg.Wait()
	added := 0
	for _, err := range errs {
		if err == nil {
			added++
		}
	}
	if users, _ := s.Users(context.Background()); added != 1 || len(users) != 1 {
		t.Fatalf("%d adds of one key succeeded, %d users stored", added, len(users))
	}
}

// shareKey stores a copy of user from, named to, with role admin, as an
// older tandem or a hand edit could: AddUser refuses it.
func shareKey(t *testing.T, s *Store, from, to string) {
	t.Helper()
	users, err := s.Users(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		if u.Name != from {
			continue
		}
		u.Name, u.Role = to, core.RoleAdmin
		v, _ := json.Marshal(u)
		if err := s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketUsers).Put([]byte(to), v) }); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Fatalf("no user %s", from)
}

// Ensure that Check refuses a workspace where two users share a key, naming
// both, and passes once one of them is removed.
func TestStore_Check_SharedKey(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	mustAddUser(t, s, "vic", core.RoleViewer, newKeyLine(t, "vic"))
	shareKey(t, s, "vic", "zed")
	if err := s.Check(ctx); err == nil || !strings.Contains(err.Error(), "user zed") || !strings.Contains(err.Error(), "is already vic's") {
		t.Fatalf("check with a shared key: %v", err)
	}
	if err := s.RemoveUser(ctx, "root", "zed"); err != nil {
		t.Fatal(err)
	}
	// mustOpenStore's cleanup checks the store again.
}

// Ensure that an export in which two users share a key (as an earlier
// tandem could write) imports, with check naming the key; logging in with
// it is refused (see the backend's UserByKey).
func TestStore_Import_SharedKey(t *testing.T) {
	s := mustOpenStore(t)
	mustAddUser(t, s, "vic", core.RoleViewer, newKeyLine(t, "vic"))
	lines := exportLines(t, s)
	i := recordLine(t, lines, "users")
	var rec struct {
		JSON core.User `json:"json"`
	}
	if err := json.Unmarshal([]byte(lines[i]), &rec); err != nil {
		t.Fatal(err)
	}
	rec.JSON.Name, rec.JSON.Role = "zed", core.RoleAdmin
	v, _ := json.Marshal(rec.JSON)
	zed := `{"bucket":"users","key":"` + b64([]byte("zed")) + `","json":` + string(v) + `}`
	lines = append(lines[:i+1], append([]string{zed}, lines[i+1:]...)...)
	mustImportBreakingARule(t, sealed(lines), "is already vic's; one key is one person")
}

// Ensure that a write made as a session's user commits only while the user
// keeps the session's key and role: a removed user, one given another
// role, or one whose key went is refused inside the write.
func TestStore_AsUser(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	key := newKeyLine(t, "cy")
	mustAddUser(t, s, "cy", core.RoleCreative, key)
	cy := AsUser(ctx, core.Identity{Name: "cy", Role: core.RoleCreative}, key)
	if _, err := s.AddBrief(cy, "cy", briefTitled("while cy stands")); err != nil {
		t.Fatalf("a write by a standing user: %v", err)
	}
	for _, tc := range []struct {
		name   string
		change func()
		want   string
	}{
		{"removed", func() {}, "your access to this workspace was removed"},
		{"role changed", func() { mustAddUser(t, s, "cy", core.RoleViewer, key) }, "your role changed to viewer; reconnect"},
		{"key changed", func() { mustAddUser(t, s, "cy", core.RoleCreative, newKeyLine(t, "cy-new")) }, "your access to this workspace was removed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := s.RemoveUser(ctx, "root", "cy"); err != nil && !errors.Is(err, ErrNotFound) {
				t.Fatal(err)
			}
			tc.change()
			before, _ := s.Audit(ctx)
			_, err := s.AddBrief(cy, "cy", briefTitled("after"))
			var revoked *core.RevokedError
			if !errors.As(err, &revoked) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("a write after the change: %v; want %q", err, tc.want)
			}
			if standing := s.Standing(ctx, core.Identity{Name: "cy", Role: core.RoleCreative}, key); standing == nil || standing.Error() != revoked.Error() {
				t.Fatalf("Standing says %v, the write %v", standing, err)
			}
			if after, _ := s.Audit(ctx); len(after) != len(before) {
				t.Fatal("the refused write was audited")
			}
		})
	}
}

// Ensure that a role change is one audited write that keeps the user's
// keys, refused for a user who is not there or has the role already, and
// that a session made under the old role no longer stands.
func TestStore_SetUserRole(t *testing.T) {
	s := mustOpenStore(t)
	ctx := context.Background()
	key := newKeyLine(t, "cy@laptop")
	mustAddUser(t, s, "cy", core.RoleApprover, key)
	u, err := s.SetUserRole(ctx, "root", "cy", core.RoleViewer)
	if err != nil || u.Role != core.RoleViewer || len(u.Keys) != 1 {
		t.Fatalf("set role: %+v, %v", u, err)
	}
	var revoked *core.RevokedError
	if err := s.Standing(ctx, core.Identity{Name: "cy", Role: core.RoleApprover}, key); !errors.As(err, &revoked) || revoked.Role != core.RoleViewer {
		t.Fatalf("the approver's session stands: %v", err)
	}
	if err := s.Standing(ctx, core.Identity{Name: "cy", Role: core.RoleViewer}, key); err != nil {
		t.Fatalf("the viewer's session: %v", err)
	}
	var field *core.FieldError
	if _, err := s.SetUserRole(ctx, "root", "cy", core.RoleViewer); !errors.As(err, &field) {
		t.Fatalf("the same role again: %v", err)
	}
	if _, err := s.SetUserRole(ctx, "root", "nobody", core.RoleAdmin); !errors.Is(err, ErrNotFound) {
		t.Fatalf("an unknown user: %v", err)
	}
	audit, err := s.Audit(ctx)
	if err != nil || audit[len(audit)-1].Action != "user.role" {
		t.Fatalf("the last audited action is not the role change: %v", err)
	}
}
