package backend

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"github.com/tandem-ops/tandem/core"
)

// addKeyedUser adds name with role and a fresh key, and returns the key.
func addKeyedUser(t *testing.T, be *Backend, name string, role core.Role) gossh.PublicKey {
	t.Helper()
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pk, err := gossh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := be.AddUser(context.Background(), admin, core.User{Name: name, Role: role, Keys: []string{string(gossh.MarshalAuthorizedKey(pk))}}); err != nil {
		t.Fatal(err)
	}
	return pk
}

// Ensure that no backend write goes through for a session whose user was
// removed after it began: each method that writes for an admin's session
// is refused with a *core.RevokedError once the admin is removed, and
// writes nothing. (Reads such as Backup are not refused: the session
// itself ends as the removal commits.)
func TestBackend_RemovedSessionWritesNothing(t *testing.T) {
	cy := core.Identity{Name: "cy", Role: core.RoleAdmin}
	for _, wa := range writeActions(t) {
		t.Run(wa.name, func(t *testing.T) {
			ctx := context.Background()
			// How the method does for cy's session while cy stands.
			standing, _ := openBackend(t)
			seedRoles(t, standing)
			key := addKeyedUser(t, standing, "cy", core.RoleAdmin)
			before, _ := standing.Audit(ctx)
			_ = wa.call(standing.AsSession(ctx, cy, key), standing, cy)
			after, _ := standing.Audit(ctx)
			writes := len(after) > len(before)

			removed, _ := openBackend(t)
			seedRoles(t, removed)
			key = addKeyedUser(t, removed, "cy", core.RoleAdmin)
			session := removed.AsSession(ctx, cy, key)
			if err := removed.RemoveUser(ctx, admin, "cy"); err != nil {
				t.Fatal(err)
			}
			before, _ = removed.Audit(ctx)
			err := wa.call(session, removed, cy)
			after, _ = removed.Audit(ctx)
			var revoked *core.RevokedError
			switch {
			case len(after) > len(before):
				t.Fatalf("%s wrote for a removed user's session (err %v)", wa.name, err)
			case writes && !errors.As(err, &revoked):
				t.Fatalf("%s for a removed user's session: %v; want a RevokedError", wa.name, err)
			}
		})
	}
}

// Ensure that SessionStanding says what became of a session's user.
func TestBackend_SessionStanding(t *testing.T) {
	be, _ := openBackend(t)
	ctx := context.Background()
	key := addKeyedUser(t, be, "cy", core.RoleCreative)
	cy := core.Identity{Name: "cy", Role: core.RoleCreative}
	if err := be.SessionStanding(ctx, cy, key); err != nil {
		t.Fatalf("a user who stands: %v", err)
	}
	if err := be.RemoveUser(ctx, admin, "cy"); err != nil {
		t.Fatal(err)
	}
	if err := be.SessionStanding(ctx, cy, key); err == nil || err.Error() != "your access to this workspace was removed" {
		t.Fatalf("a removed user: %v", err)
	}
	if _, err := be.AddUser(ctx, admin, core.User{Name: "cy", Role: core.RoleViewer, Keys: []string{string(gossh.MarshalAuthorizedKey(key))}}); err != nil {
		t.Fatal(err)
	}
	if err := be.SessionStanding(ctx, cy, key); err == nil || !strings.Contains(err.Error(), "your role changed to viewer; reconnect") {
		t.Fatalf("a user given another role: %v", err)
	}
}
