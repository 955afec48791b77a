package cli

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/core/kpi"
	"github.com/tandem-ops/tandem/ui/sanitize"
)

// parsePeriod turns a retro period name into its days [from, to); a bad
// name is a usage error.
func parsePeriod(id string) (time.Time, time.Time, error) {
	from, to, err := core.ParsePeriod(id)
	if err != nil {
		return from, to, usageErrorf("%v", err)
	}
	return from, to, nil
}

func retroCommand(env *Env) *cobra.Command {
	return group("retro", "Retrospectives: export one, and the teams' notes",
		needs(core.ActionRead, retroExportCommand(env)),
		needs(core.ActionNote, retroNoteCommand(env)),
		needs(core.ActionRead, retroNotesCommand(env)))
}

func retroExportCommand(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "export PERIOD",
		Short: "A retro of a week (2026-W47) or month (2026-11) as Markdown: KPIs, what stalled, what worked, notes",
		Args:  exactArgs("PERIOD"),
		RunE: func(cmd *cobra.Command, args []string) error {
			from, to, err := parsePeriod(args[0])
			if err != nil {
				return err
			}
			in, err := env.Backend.KPIInput(cmd.Context(), env.Now())
			if err != nil {
				return err
			}
			notes, err := env.Backend.RetroNotes(cmd.Context())
			if err != nil {
				return err
			}
			end := to
			if now := env.Now(); now.Before(end) {
				end = now
			}
			wins, err := env.Backend.WhatWorked(cmd.Context(), in, from, to, env.Now())
			if err != nil {
				return err
			}
			r := kpi.Retro{Title: strings.ToUpper(args[0]), From: from, To: to, Trends: kpi.Trends(in, from, to),
				Stalled: kpi.Stalled(in, end, 5), Wins: wins, Notes: core.NotesWithin(notes, from, to)}
			_, err = fmt.Fprint(env.Out, oneLineFields(r).Markdown())
			return err
		},
	}
}

// oneLineFields returns r with every field people wrote (titles, owners,
// wins naming briefs, note authors and texts) passed through
// sanitize.Line: besides escape sequences, a newline in a title or note
// must not start a heading or table row of its own in the Markdown.
func oneLineFields(r kpi.Retro) kpi.Retro {
	r.Stalled = slices.Clone(r.Stalled)
	for i := range r.Stalled {
		r.Stalled[i].Brief.Title = sanitize.Line(r.Stalled[i].Brief.Title)
		r.Stalled[i].Brief.Owner = sanitize.Line(r.Stalled[i].Brief.Owner)
	}
	r.Wins = slices.Clone(r.Wins)
	for i := range r.Wins {
		r.Wins[i] = sanitize.Line(r.Wins[i])
	}
	r.Notes = slices.Clone(r.Notes)
	for i := range r.Notes {
		r.Notes[i].Author = sanitize.Line(r.Notes[i].Author)
		r.Notes[i].Text = sanitize.Line(r.Notes[i].Text)
	}
	return r
}

func retroNoteCommand(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "note PERIOD TEXT...",
		Short: "Add your team's note to a retro (a week like 2026-W47 or a month like 2026-11)",
		Args:  minArgs("PERIOD", "TEXT"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, _, err := parsePeriod(args[0]); err != nil {
				return err
			}
			n, err := env.Backend.AddRetroNote(cmd.Context(), env.Identity, args[0], strings.Join(args[1:], " "))
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(env.Out, "noted on %s for %s (note %d)\n", n.Period, n.Team, n.ID)
			return err
		},
	}
}

func retroNotesCommand(env *Env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "notes PERIOD",
		Short: "The teams' notes on a retro period (a month shows its weeks' notes too)",
		Args:  exactArgs("PERIOD"),
		RunE: func(cmd *cobra.Command, args []string) error {
			from, to, err := parsePeriod(args[0])
			if err != nil {
				return err
			}
			all, err := env.Backend.RetroNotes(cmd.Context())
			if err != nil {
				return err
			}
			notes := core.NotesWithin(all, from, to)
			if asJSON {
				return writeJSON(env.Out, orEmpty(notes))
			}
			var rows [][]string
			for _, n := range notes {
				rows = append(rows, []string{n.Period, n.Team, sanitize.Line(n.Author), sanitize.Line(n.Text)})
			}
			return table(env.Out, []string{"PERIOD", "TEAM", "BY", "NOTE"}, rows)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}
