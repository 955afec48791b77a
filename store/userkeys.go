package store

import (
	"encoding/json"
	"fmt"
	"strings"

	bolt "go.etcd.io/bbolt"
	gossh "golang.org/x/crypto/ssh"

	"github.com/tandem-ops/tandem/core"
)

// keyOwners maps each SSH key to the user it belongs to. A key is a
// person: a login by a key two users share could only guess who is
// connecting, so every write of a user and every check claims its keys
// here.
type keyOwners map[string]string

// claim notes u's keys as u's. It returns a *core.FieldError naming the
// first key that is already another user's, or u's twice.
func (o keyOwners) claim(u core.User) error {
	for i, line := range u.Keys {
		id, name := keyIdentity(line, i)
		owner, taken := o[id]
		switch {
		case taken && owner == u.Name:
			return &core.FieldError{Record: "user", Field: "key", Problem: fmt.Sprintf("%s is given twice; give each key once", name)}
		case taken:
			return &core.FieldError{Record: "user", Field: "key", Problem: fmt.Sprintf(
				"%s is already %s's; one key is one person: give %s a key of their own, or remove %s first", name, owner, u.Name, owner)}
		}
		o[id] = u.Name
	}
	return nil
}

// usersKeyOwners claims the keys of every stored user. When stored users
// already share a key (a workspace from before keys were checked) the
// first by name keeps it; Check reports the rest.
func usersKeyOwners(tx *bolt.Tx) (keyOwners, error) {
	owners := keyOwners{}
	err := tx.Bucket(bucketUsers).ForEach(func(k, v []byte) error {
		var u core.User
		if err := json.Unmarshal(v, &u); err != nil {
			return damaged("user "+keyString(k)+" does not decode", err)
		}
		_ = owners.claim(u)
		return nil
	})
	return owners, err
}

// checkUserKeys checks that no two users share a key.
func checkUserKeys(tx *bolt.Tx) error {
	owners := keyOwners{}
	return tx.Bucket(bucketUsers).ForEach(func(k, v []byte) error {
		var u core.User
		if err := json.Unmarshal(v, &u); err != nil {
			return fmt.Errorf("users record %s: %w", keyString(k), err)
		}
		if err := owners.claim(u); err != nil {
			return fmt.Errorf("user %s: %w", u.Name, err)
		}
		return nil
	})
}

// keyIdentity returns what makes the i-th key of a user that key: its
// wire encoding, so a comment or options do not make the same key
// another, and a name for it in messages (its SHA256 fingerprint). A line
// that does not parse as a key, which cannot log in, is itself.
func keyIdentity(line string, i int) (id, name string) {
	pk, _, _, _, err := gossh.ParseAuthorizedKey([]byte(line))
	if err != nil {
		return "line:" + strings.TrimSpace(line), fmt.Sprintf("key %d", i+1)
	}
	return string(pk.Marshal()), gossh.FingerprintSHA256(pk)
}
