package core

import (
	"fmt"
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
	switch {
	case IDProblem(u.Name) != "":
		f.add("name", "%s; use a login-style name like ana or ana.ruiz", IDProblem(u.Name))
	case len(u.Name) > maxName || strings.Contains(u.Name, "/"):
		f.add("name", "is longer than %d bytes or has a slash; use a login-style name like ana or ana.ruiz", maxName)
	}
	if _, err := ParseRole(string(u.Role)); err != nil {
		f.add("role", "%v", err)
	}
	if len(u.Keys) == 0 {
		f.add("keys", "is empty; give the user at least one public key")
	}
	for i, k := range u.Keys {
		if p := KeyLineProblem(k); p != "" {
			f.add(fmt.Sprintf("keys[%d]", i), "%s", p)
		}
	}
	return f.err()
}
