package backend

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	gossh "golang.org/x/crypto/ssh"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/store"
)

// AddUser adds a person who may connect over SSH, for who. Each key must
// be a plain public key (see parseUserKey), and is stored in canonical
// authorized_keys form.
func (b *Backend) AddUser(ctx context.Context, who core.Identity, u core.User) (core.User, error) {
	if err := core.Authorize(who, core.ActionAdminister); err != nil {
		return u, err
	}
	for i, k := range u.Keys {
		pk, err := parseUserKey(i, k)
		if err != nil {
			return u, fmt.Errorf("add user %s: %w", u.Name, err)
		}
		u.Keys[i] = strings.TrimSpace(string(gossh.MarshalAuthorizedKey(pk)))
	}
	return b.store.AddUser(ctx, who.Name, u)
}

// RemoveUser removes a user for who.
func (b *Backend) RemoveUser(ctx context.Context, who core.Identity, name string) error {
	if err := core.Authorize(who, core.ActionAdminister); err != nil {
		return err
	}
	return b.store.RemoveUser(ctx, who.Name, name)
}

// SetUserRole gives a user another role, for who; their open sessions
// end, and their next one has the new role.
func (b *Backend) SetUserRole(ctx context.Context, who core.Identity, name string, role core.Role) (core.User, error) {
	if err := core.Authorize(who, core.ActionAdminister); err != nil {
		return core.User{}, err
	}
	return b.store.SetUserRole(ctx, who.Name, name, role)
}

// Users returns every user.
func (b *Backend) Users(ctx context.Context) ([]core.User, error) { return b.store.Users(ctx) }

// AmbiguousKeyError is returned by UserByKey for a key that more than
// one user has: a workspace from before keys were checked, or one edited
// by hand. Nobody logs in with it until an admin removes all but one.
type AmbiguousKeyError struct {
	Fingerprint string
	Users       []string
}

// Error implements error.
func (e *AmbiguousKeyError) Error() string {
	return fmt.Sprintf("key %s belongs to %s; one key is one person, so it logs in as nobody until an admin removes it from all but one (`tandem user remove NAME`, then `tandem check`)",
		e.Fingerprint, strings.Join(e.Users, " and "))
}

// UserByKey returns the user one of whose keys is key, and false when none
// is; an *AmbiguousKeyError when more than one user has it, and
// ErrCertificate for a certificate. It reads the store each time, so a
// removed user is refused at once.
func (b *Backend) UserByKey(ctx context.Context, key gossh.PublicKey) (core.User, bool, error) {
	if _, cert := key.(*gossh.Certificate); cert {
		return core.User{}, false, ErrCertificate
	}
	users, err := b.store.Users(ctx)
	if err != nil {
		return core.User{}, false, err
	}
	want := key.Marshal()
	var owners []core.User
	for _, u := range users {
		for _, k := range u.Keys {
			pk, _, _, _, err := gossh.ParseAuthorizedKey([]byte(k))
			if err == nil && bytes.Equal(pk.Marshal(), want) {
				owners = append(owners, u)
				break
			}
		}
	}
	switch len(owners) {
	case 0:
		return core.User{}, false, nil
	case 1:
		return owners[0], true, nil
	}
	amb := &AmbiguousKeyError{Fingerprint: gossh.FingerprintSHA256(key)}
	for _, u := range owners {
		amb.Users = append(amb.Users, u.Name)
	}
	return core.User{}, false, amb
}

// AsSession returns ctx for the session of who, resolved from the key it
// proved when it began: every write made with it commits only while key is
// still who's and who's role is unchanged, and is refused with a
// *core.RevokedError otherwise, so a removed user's open session cannot
// write in the moment before it ends.
func (b *Backend) AsSession(ctx context.Context, who core.Identity, key gossh.PublicKey) context.Context {
	return store.AsUser(ctx, who, string(gossh.MarshalAuthorizedKey(key)))
}

// SessionStanding returns a *core.RevokedError when the session of who,
// proved by key, no longer holds (see AsSession), and nil while it does.
func (b *Backend) SessionStanding(ctx context.Context, who core.Identity, key gossh.PublicKey) error {
	return b.store.Standing(ctx, who, string(gossh.MarshalAuthorizedKey(key)))
}
