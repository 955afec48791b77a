package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/tandem-ops/tandem/core"
)

// AddUser stores a new user; ErrExists when the name is taken, and a
// *core.FieldError when one of its keys is another user's: one key is one
// person, checked in the write's transaction so two adds cannot both
// take a key.
func (s *Store) AddUser(ctx context.Context, actor string, u core.User) (core.User, error) {
	if err := validateUser(u); err != nil {
		return u, fmt.Errorf("add user: %w", err)
	}
	err := s.update(ctx, actor, func(w *writeTx) error {
		bucket := w.tx.Bucket(bucketUsers)
		if bucket.Get([]byte(u.Name)) != nil {
			return fmt.Errorf("user %q %w; remove it first to change its keys", u.Name, ErrExists)
		}
		other, err := sameName(w.tx, u.Name)
		if err != nil {
			return err
		}
		if other != "" {
			return nameTakenError(u.Name, other)
		}
		owners, err := usersKeyOwners(w.tx)
		if err != nil {
			return err
		}
		if err := owners.claim(u); err != nil {
			return err
		}
		u.Added = w.now
		v, err := json.Marshal(u)
		if err != nil {
			return err
		}
		if err := bucket.Put([]byte(u.Name), v); err != nil {
			return err
		}
		return w.record(KindUser, "user.add", u.Name, nil, v)
	})
	if err != nil {
		return u, fmt.Errorf("add user %s: %w", u.Name, err)
	}
	return u, nil
}

// RemoveUser deletes a user; ErrNotFound when there is none.
func (s *Store) RemoveUser(ctx context.Context, actor, name string) error {
	err := s.update(ctx, actor, func(w *writeTx) error {
		bucket := w.tx.Bucket(bucketUsers)
		before := bucket.Get([]byte(name))
		if before == nil {
			return ErrNotFound
		}
		before = append([]byte(nil), before...) // valid only inside the tx
		if err := bucket.Delete([]byte(name)); err != nil {
			return err
		}
		return w.record(KindUser, "user.remove", name, before, nil)
	})
	if err != nil {
		return fmt.Errorf("remove user %s: %w", name, err)
	}
	return nil
}

// SetUserRole gives a user another role; ErrNotFound when there is none.
// Their open sessions, made under the old role, end (see AsUser).
func (s *Store) SetUserRole(ctx context.Context, actor, name string, role core.Role) (core.User, error) {
	var u core.User
	err := s.update(ctx, actor, func(w *writeTx) error {
		bucket := w.tx.Bucket(bucketUsers)
		before := bucket.Get([]byte(name))
		if before == nil {
			return ErrNotFound
		}
		if err := json.Unmarshal(before, &u); err != nil {
			return damaged(fmt.Sprintf("user %s does not decode", name), err)
		}
		if u.Role == role {
			return &core.FieldError{Record: "user", Field: "role", Problem: fmt.Sprintf("%s is already %s", name, role)}
		}
		before = append([]byte(nil), before...) // valid only inside the tx
		u.Role = role
		if err := validateUser(u); err != nil {
			return err
		}
		after, err := json.Marshal(u)
		if err != nil {
			return err
		}
		if err := bucket.Put([]byte(name), after); err != nil {
			return err
		}
		return w.record(KindUser, "user.role", name, before, after)
	})
	if err != nil {
		return core.User{}, fmt.Errorf("set the role of user %s: %w", name, err)
	}
	return u, nil
}

// Users returns every user by name.
func (s *Store) Users(ctx context.Context) ([]core.User, error) {
	return listAll[core.User](ctx, s, bucketUsers, "users")
}
