package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/sanitize"
)

// maxKeyFile bounds a public key file: a few keys, not a disk.
const maxKeyFile = 64 << 10

func userCommand(env *Env) *cobra.Command {
	var keyFile, role string
	add := &cobra.Command{
		Use:   "add NAME --key FILE|- --role viewer|creative|mops|approver|admin",
		Short: "Let a person connect to `tandem serve` with their public key",
		Args:  exactArgs("NAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := core.ParseRole(role)
			if err != nil {
				return &usageError{err}
			}
			if keyFile == "" {
				return usageErrorf("--key is required: the user's public key file, e.g. ~/.ssh/id_ed25519.pub")
			}
			data, _, err := env.readInput(cmd.Context(), keyFile, maxKeyFile, "a public key file")
			if err != nil {
				return err
			}
			var keys []string
			for _, line := range strings.Split(string(data), "\n") {
				if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
					keys = append(keys, line)
				}
			}
			u, err := env.Backend.AddUser(cmd.Context(), env.Identity, core.User{Name: args[0], Role: r, Keys: keys})
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(env.Out, "added %s (%s) with %d key(s)\n", sanitize.Line(u.Name), u.Role, len(u.Keys))
			return err
		},
	}
	add.Flags().StringVar(&keyFile, "key", "", "public key file (authorized_keys format), or - for stdin")
	add.Flags().StringVar(&role, "role", "viewer", "viewer, creative, mops, approver or admin")

	var asJSON bool
	list := &cobra.Command{
		Use:   "list",
		Short: "List users",
		Args:  exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			users, err := env.Backend.Users(cmd.Context())
			if err != nil {
				return err
			}
			if asJSON {
				if users == nil {
					users = []core.User{}
				}
				return writeJSON(env.Out, users)
			}
			rows := make([][]string, len(users))
			for i, u := range users {
				rows[i] = []string{u.Name, string(u.Role), fmt.Sprint(len(u.Keys)), u.Added.Format(time.DateOnly)}
			}
			return table(env.Out, []string{"NAME", "ROLE", "KEYS", "ADDED"}, rows)
		},
	}
	list.Flags().BoolVar(&asJSON, "json", false, "print JSON")

	remove := &cobra.Command{
		Use:   "remove NAME",
		Short: "Remove a user; their open sessions end and new ones are refused",
		Args:  exactArgs("NAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := env.Backend.RemoveUser(cmd.Context(), env.Identity, args[0]); err != nil {
				return err
			}
			_, err := fmt.Fprintf(env.Out, "removed %s\n", sanitize.Line(args[0]))
			return err
		},
	}
	setRole := &cobra.Command{
		Use:   "role NAME viewer|creative|mops|approver|admin",
		Short: "Give a user another role; their open sessions end, and they reconnect with it",
		Args:  exactArgs("NAME", "ROLE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := core.ParseRole(args[1])
			if err != nil {
				return &usageError{err}
			}
			u, err := env.Backend.SetUserRole(cmd.Context(), env.Identity, args[0], r)
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(env.Out, "%s is now %s\n", sanitize.Line(u.Name), u.Role)
			return err
		},
	}
	return group("user", "People who connect over SSH", needs(core.ActionAdminister, add), needs(core.ActionAdminister, list),
		needs(core.ActionAdminister, setRole), needs(core.ActionAdminister, remove))
}
