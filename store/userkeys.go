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

// checkUsers checks that no two users share a key, or a name in another
// case.
func checkUsers(tx *bolt.Tx) error {
	owners := keyOwners{}
	names := map[string]string{} // folded name: the first user with it
	return tx.Bucket(bucketUsers).ForEach(func(k, v []byte) error {
		var u core.User
		if err := json.Unmarshal(v, &u); err != nil {
			return fmt.Errorf("users record %s: %w", keyString(k), err)
		}
		folded := core.NameKey(u.Name)
		if other, taken := names[folded]; taken {
			return &RuleError{nameTakenError(u.Name, other)}
		}
		names[folded] = u.Name
		if err := owners.claim(u); err != nil {
			return &RuleError{fmt.Errorf("user %s: %w", u.Name, err)}
		}
		return nil
	})
}

// nameTakenError says that name is other's in another case.
func nameTakenError(name, other string) error {
	return fmt.Errorf("user %q %w as %q; a name is one person whatever its case: choose another, or remove %s first", name, ErrExists, other, other)
}

// keyIdentity returns what makes the i-th key of a user that key: its
// wire encoding, so a comment or options do not make the same key
// another, and a name for it in messages (its SHA256 fingerprint). A
// certificate is the key it certifies, which its holder signs with: it is
// never another person's key. A line that does not parse as a key, which
// cannot log in, is itself.
func keyIdentity(line string, i int) (id, name string) {
	pk, _, _, _, err := gossh.ParseAuthorizedKey([]byte(line))
	if err != nil {
		return "line:" + strings.TrimSpace(line), fmt.Sprintf("key %d", i+1)
	}
	if cert, ok := pk.(*gossh.Certificate); ok {
		pk = cert.Key
	}
	return string(pk.Marshal()), gossh.FingerprintSHA256(pk)
}

// validateUser checks u by the rules every write of a user and every
// check applies: core's, and that no key is an SSH certificate, which
// logs in as nobody (people are known by their plain keys).
func validateUser(u core.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	for i, line := range u.Keys {
		pk, _, _, _, err := gossh.ParseAuthorizedKey([]byte(line))
		if _, cert := pk.(*gossh.Certificate); err == nil && cert {
			return &core.FieldError{Record: "user", Field: "key", Problem: fmt.Sprintf(
				"key %d is an SSH certificate; give the plain public key (….pub without -cert)", i+1)}
		}
	}
	return nil
}

// sameName returns the stored user whose name is name in another case or
// Unicode form ("ANA" for "ana", core.NameKey), or "" when there is none:
// a name is one person, as a key is, whatever its case.
func sameName(tx *bolt.Tx, name string) (string, error) {
	var other string
	err := tx.Bucket(bucketUsers).ForEach(func(k, _ []byte) error {
		if string(k) != name && core.NameKey(string(k)) == core.NameKey(name) {
			other = string(k)
		}
		return nil
	})
	return other, err
}
