package backend

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	gossh "golang.org/x/crypto/ssh"

	"github.com/tandem-ops/tandem/core"
)

// AddUser adds a person who may connect over SSH, for who. Each key is
// parsed and stored in canonical authorized_keys form.
func (b *Backend) AddUser(ctx context.Context, who core.Identity, u core.User) (core.User, error) {
	if err := core.Authorize(who, core.ActionAdminister); err != nil {
		return u, err
	}
	for i, k := range u.Keys {
		pk, _, _, _, err := gossh.ParseAuthorizedKey([]byte(k))
		if err != nil {
			return u, fmt.Errorf("key %d of %s is not an SSH public key (%v); pass the .pub file", i+1, u.Name, err)
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

// Users returns every user.
func (b *Backend) Users(ctx context.Context) ([]core.User, error) { return b.store.Users(ctx) }

// UserByKey returns the user one of whose keys is key, and false when none
// is. It reads the store each time, so a removed user is refused at once.
func (b *Backend) UserByKey(ctx context.Context, key gossh.PublicKey) (core.User, bool, error) {
	users, err := b.store.Users(ctx)
	if err != nil {
		return core.User{}, false, err
	}
	want := key.Marshal()
	for _, u := range users {
		for _, k := range u.Keys {
			pk, _, _, _, err := gossh.ParseAuthorizedKey([]byte(k))
			if err == nil && bytes.Equal(pk.Marshal(), want) {
				return u, true, nil
			}
		}
	}
	return core.User{}, false, nil
}
