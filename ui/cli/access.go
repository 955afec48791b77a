package cli

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tandem-ops/tandem/core"
)

// annotationWrites names the action a command that also reads needs for
// its writing form (`board wip STAGE N`), for the access table.
const annotationWrites = "tandem.writes"

// Access is who may run one command, and how it runs over SSH.
type Access struct {
	Command string
	// Roles lists the roles allowed, least powerful first.
	Roles []core.Role
	// OverSSH says how the command runs for a remote person.
	OverSSH string
	// EveryoneReads is set for a command whose reading form everyone may
	// run while Roles may run its writing form.
	EveryoneReads bool
}

// roles lists every role, least powerful first.
var roles = []core.Role{core.RoleViewer, core.RoleCreative, core.RoleMOps, core.RoleApprover, core.RoleAdmin}

// AccessTable lists every command of the table with the roles that may run
// it and what it does over SSH, from the same annotations that enforce
// them, so the README's table cannot drift from the code.
func AccessTable() []Access {
	var out []Access
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			if sub.Hidden || sub.Name() == "help" {
				continue
			}
			if sub.Annotations[annotationGroup] != "" {
				walk(sub) // a group: its subcommands are the commands
				continue
			}
			out = append(out, accessOf(sub))
			walk(sub)
		}
	}
	walk(NewRoot(&Env{}))
	slices.SortFunc(out, func(a, b Access) int { return strings.Compare(a.Command, b.Command) })
	return out
}

func accessOf(c *cobra.Command) Access {
	a := Access{Command: strings.TrimPrefix(c.CommandPath(), "tandem "), OverSSH: "yes"}
	action, guarded := "", false
	for p := c; p != nil; p = p.Parent() {
		if v := p.Annotations[annotationAction]; v != "" {
			action, guarded = v, true
			break
		}
	}
	if v := c.Annotations[annotationWrites]; v != "" {
		action, a.EveryoneReads = v, true
	}
	for _, r := range roles {
		if !guarded || core.Can(r, core.Action(action)) {
			a.Roles = append(a.Roles, r)
		}
	}
	switch {
	case hasAnnotation(c, annotationLocal):
		a.OverSSH = "no: on the server's own terminal only"
	case strings.Contains(c.Use, "|-"):
		a.OverSSH = "with `-` only: stdin/stdout, never a server path"
	}
	return a
}

// AccessMarkdown renders the access table as a Markdown table.
func AccessMarkdown() string {
	var b strings.Builder
	b.WriteString("| command | who may run it | over SSH |\n| --- | --- | --- |\n")
	for _, a := range AccessTable() {
		who := "everyone"
		if len(a.Roles) < len(roles) {
			names := make([]string, len(a.Roles))
			for i, r := range a.Roles {
				names[i] = string(r)
			}
			who = strings.Join(names, ", ")
			if a.EveryoneReads {
				who += " (everyone may look)"
			}
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", a.Command, who, a.OverSSH)
	}
	return b.String()
}
