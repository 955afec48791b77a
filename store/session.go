package store

import (
	"context"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/tandem-ops/tandem/core"
)

// sessionKey carries a session's user in its context.
type sessionKey struct{}

// sessionUser is who a session resolved its key to when it began.
type sessionUser struct {
	who   core.Identity
	keyID string // keyIdentity of the key the session proved
}

// AsUser returns a context whose writes commit only while key is still
// one of who's keys and who still has who's role: for a session that
// resolved who from key once, when it began. Otherwise the write is
// refused with a *core.RevokedError, checked inside its transaction, so
// no write slips in between a user's removal and their session's end.
func AsUser(ctx context.Context, who core.Identity, key string) context.Context {
	id, _ := keyIdentity(key, 0)
	return context.WithValue(ctx, sessionKey{}, sessionUser{who: who, keyID: id})
}

// Standing returns a *core.RevokedError when key is no longer one of
// who's keys or who's role changed, and nil while both hold.
func (s *Store) Standing(ctx context.Context, who core.Identity, key string) error {
	id, _ := keyIdentity(key, 0)
	return s.view(ctx, func(tx *bolt.Tx) error {
		return sessionUser{who: who, keyID: id}.standing(tx)
	})
}

// standing checks su against the stored users.
func (su sessionUser) standing(tx *bolt.Tx) error {
	v := tx.Bucket(bucketUsers).Get([]byte(su.who.Name))
	if v == nil {
		return &core.RevokedError{Name: su.who.Name}
	}
	var u core.User
	if err := json.Unmarshal(v, &u); err != nil {
		return damaged(fmt.Sprintf("user %s does not decode", su.who.Name), err)
	}
	for i, k := range u.Keys {
		if id, _ := keyIdentity(k, i); id != su.keyID {
			continue
		}
		if u.Role != su.who.Role {
			return &core.RevokedError{Name: u.Name, Role: u.Role}
		}
		return nil
	}
	return &core.RevokedError{Name: su.who.Name}
}

// checkSession refuses a write made with a context from AsUser whose user
// no longer stands.
func checkSession(ctx context.Context, tx *bolt.Tx) error {
	su, ok := ctx.Value(sessionKey{}).(sessionUser)
	if !ok {
		return nil
	}
	return su.standing(tx)
}
