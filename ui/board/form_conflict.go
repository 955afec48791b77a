package board

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/huh"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/sanitize"
)

// Choices for a field in conflict.
const (
	keepMine   = "mine"
	takeTheirs = "theirs"
)

// formConflict is what the form asks after a save met a conflict: for
// each field both the person and someone else changed, keep mine or take
// theirs.
type formConflict struct {
	// current is the brief as stored when the conflict was met.
	current core.Brief
	by      []string
	fields  []core.FieldConflict
	// choices are keepMine or takeTheirs, one per field.
	choices []string
}

// meet turns the form towards the stored brief after a conflict: it
// merges what the person typed with the changes made meanwhile (their
// disjoint changes are taken in at once), keeps the person's values in
// the conflicting fields, and asks about each of those. The next save is
// made from the stored version.
func (f *briefForm) meet(err *core.ConflictError, current core.Brief) {
	mine := f.brief()
	mine.Normalize()
	merged, _, conflicts := core.Merge3(core.BriefFields(), f.base, current, mine)
	if len(conflicts) == 0 { // the base is no longer kept: trust the store's list
		conflicts = err.Fields
	}
	f.base = current
	f.v = valuesOf(merged)
	f.conflict = &formConflict{current: current, by: err.By, fields: conflicts, choices: make([]string, len(conflicts))}
	for i := range f.conflict.choices {
		f.conflict.choices[i] = keepMine
	}
	f.problem = fmt.Sprintf("%s changed this brief while you edited it (now version %d): choose per field, then save", strings.Join(err.By, ", "), current.Version)
}

// group is the form's first page: one choice per conflicting field,
// showing both values.
func (c *formConflict) group(heading string) *huh.Group {
	by := "theirs"
	if len(c.by) > 0 {
		by = strings.Join(c.by, ", ") + "'s"
	}
	fields := make([]huh.Field, len(c.fields))
	for i, fc := range c.fields {
		fields[i] = huh.NewSelect[string]().
			Title(fieldLabel(fc.Field)).
			Options(
				huh.NewOption("keep mine: "+quoted(fc.Mine), keepMine),
				huh.NewOption(fmt.Sprintf("take %s: %s", by, quoted(fc.Theirs)), takeTheirs),
			).
			Value(&c.choices[i])
	}
	return huh.NewGroup(fields...).Title(heading + ": conflicts").
		Description("Someone saved these fields while you edited them.")
}

// apply sets, in b, the stored value of every field where the person
// took theirs.
func (c *formConflict) apply(b *core.Brief) {
	for i, fc := range c.fields {
		if c.choices[i] != takeTheirs {
			continue
		}
		for _, field := range core.BriefFields() {
			if field.Name == fc.Field {
				field.Take(b, c.current)
			}
		}
	}
}

// fieldLabel names a brief field as the form titles it.
func fieldLabel(name string) string {
	switch name {
	case "asset_type":
		return "Asset type"
	case "kpi_target":
		return "KPI target"
	case "estimate_hours":
		return "Estimate (hours)"
	}
	return strings.ToUpper(name[:1]) + name[1:]
}

// quoted shows a value in a choice, "(empty)" for none.
func quoted(s string) string {
	if s == "" {
		return "(empty)"
	}
	return fmt.Sprintf("%q", sanitize.Line(s))
}
