package core

import (
	"strings"
	"time"
)

// User is a person who connects to `tandem serve`, known by their SSH keys.
type User struct {
	Name string `json:"name"`
	Role Role   `json:"role"`
	// Keys are public keys in authorized_keys form ("ssh-ed25519 AAAA…").
	Keys  []string  `json:"keys"`
	Added time.Time `json:"added"`
}

// Validate returns an error naming every invalid field of u.
func (u User) Validate() error {
	f := fieldErrors{record: "user"}
	f.required("name", u.Name)
	f.maxLen("name", u.Name, maxName)
	if strings.ContainsAny(u.Name, " \t\n/") {
		f.add("name", "%q has spaces or slashes; use a login-style name like ana or ana.ruiz", u.Name)
	}
	if _, err := ParseRole(string(u.Role)); err != nil {
		f.add("role", "%v", err)
	}
	if len(u.Keys) == 0 {
		f.add("keys", "is empty; give the user at least one public key")
	}
	return f.err()
}
