package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/sanitize"
)

func briefCheckCommand(env *Env) *cobra.Command {
	var asJSON, undo bool
	cmd := &cobra.Command{
		Use:   "check ID ITEM [--undo]",
		Short: "Tick an item of a brief's checklist (by name, in any case, or number); --undo unticks it",
		Args:  exactArgs("ID", "ITEM"),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseID(args[0])
			if err != nil {
				return err
			}
			b, err := env.Backend.TickBrief(cmd.Context(), env.Identity, id, args[1], !undo)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(env.Out, b)
			}
			left := b.Unticked()
			msg := fmt.Sprintf("brief %d: every required item is ticked", b.ID)
			if len(left) > 0 {
				msg = fmt.Sprintf("brief %d: %d required item(s) left before review: %s", b.ID, len(left), sanitize.Line(strings.Join(left, ", ")))
			}
			_, err = fmt.Fprintln(env.Out, msg)
			return err
		},
	}
	cmd.Flags().BoolVar(&undo, "undo", false, "untick the item")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the brief as JSON")
	return needs(core.ActionEditBrief, cmd)
}

// checklistState is an item as `brief show` prints it.
func checklistState(it core.ChecklistItem) string {
	switch {
	case it.Done:
		return fmt.Sprintf("[x] %s, by %s %s", checklistLabel(it), it.By, it.At.Format("2006-01-02"))
	case it.Skipped != "":
		return fmt.Sprintf("[ ] %s, skipped by %s: %s", checklistLabel(it), it.By, it.Skipped)
	}
	return "[ ] " + checklistLabel(it)
}
