package cli

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/tandem-ops/tandem/core"
)

func approvalsCommand(env *Env) *cobra.Command {
	return group("approvals", "Submit copy for review, see the queue, decide",
		submitCommand(env),
		queueCommand(env, "list", "The review queue by SLA risk (--mine: what waits on you)", false),
		queueCommand(env, "due", "What is breached or due within 4 working hours, for scripts and reminders", true),
		decideCommand(env, "approve", core.DecisionApprove),
		decideCommand(env, "request-changes", core.DecisionRequestChanges),
		decideCommand(env, "reject", core.DecisionReject),
		decideCommand(env, "comment", core.DecisionComment),
		flowsCommand(env),
	)
}

func submitCommand(env *Env) *cobra.Command {
	var copyText string
	var flowID, variant uint64
	var force bool
	var skip string
	cmd := &cobra.Command{
		Use:   "submit BRIEF_ID (--copy TEXT | --variant GENERATED_ID) [--flow ID] [--force] [--skip-checklist REASON]",
		Short: "Put a brief's copy, or a generated variant, up for review (the next round after changes were requested)",
		Args:  exactArgs("BRIEF_ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseID(args[0])
			if err != nil {
				return err
			}
			if variant != 0 {
				v, err := env.Backend.Generated(cmd.Context(), variant)
				if err != nil {
					return err
				}
				if v.BriefID != id {
					return fmt.Errorf("variant %d was generated for brief %d, not %d", variant, v.BriefID, id)
				}
				copyText = v.Copy.Text()
			}
			r, err := env.Backend.SubmitWith(cmd.Context(), env.Identity, id, flowID, copyText, core.MoveOptions{Force: force, SkipChecklist: skip})
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(env.Out, "brief %d is in review, round %d\n", r.BriefID, r.Round)
			return err
		},
	}
	cmd.Flags().StringVar(&copyText, "copy", "", "the copy to review")
	cmd.Flags().Uint64Var(&flowID, "flow", 0, "approval flow ID (default: the flow for the brief's asset type)")
	cmd.Flags().Uint64Var(&variant, "variant", 0, "a variant from `tandem generate`, instead of --copy")
	cmd.Flags().BoolVar(&force, "force", false, "move the brief into review even past its WIP limit")
	cmd.Flags().StringVar(&skip, "skip-checklist", "", "move it into review with required checklist items unticked, for this reason (kept on the brief and audited)")
	return needs(core.ActionEditBrief, cmd)
}

func queueCommand(env *Env, use, short string, dueOnly bool) *cobra.Command {
	var asJSON, mine bool
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Args:  exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			q, err := env.Backend.Queue(cmd.Context(), env.Identity, env.Now(), mine)
			if err != nil {
				return err
			}
			if dueOnly {
				kept := q[:0]
				for _, e := range q {
					if e.SLA.Risk != core.RiskOnTrack {
						kept = append(kept, e)
					}
				}
				q = kept
			}
			if asJSON {
				if q == nil {
					q = []core.QueueEntry{}
				}
				return writeJSON(env.Out, q)
			}
			rows := make([][]string, len(q))
			for i, e := range q {
				rows[i] = []string{strconv.FormatUint(e.Brief.ID, 10), e.Brief.Title, fmt.Sprintf("%s (%d/%d)", e.Stage, e.Review.Stage+1, len(e.Flow.Stages)),
					strconv.Itoa(e.Review.Round), strings.Join(e.Waiting, ", "), e.SLA.String(), strconv.Itoa(e.Lint.Score)}
			}
			return table(env.Out, []string{"BRIEF", "TITLE", "STAGE", "ROUND", "WAITING ON", "SLA", "LINT"}, rows)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().BoolVar(&mine, "mine", false, "only what waits on you")
	return needs(core.ActionRead, cmd)
}

func decideCommand(env *Env, use string, kind core.DecisionKind) *cobra.Command {
	var comment string
	cmd := &cobra.Command{
		Use:   use + " BRIEF_ID [--comment TEXT]",
		Short: decideShort(kind),
		Args:  exactArgs("BRIEF_ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseID(args[0])
			if err != nil {
				return err
			}
			d, err := env.Backend.Decide(cmd.Context(), env.Identity, core.Decision{BriefID: id, Kind: kind, Comment: comment})
			if err != nil {
				return err
			}
			r := d.Review
			if _, err := fmt.Fprintf(env.Out, "brief %d: %s; review is %s (round %d, stage %d)\n", id, kind, r.Status, r.Round, r.Stage+1); err != nil || d.Run == nil {
				return err
			}
			_, err = fmt.Fprintf(env.Out, "brief %d's run %s\n", id, runState(*d.Run))
			return err
		},
	}
	cmd.Flags().StringVar(&comment, "comment", "", "what you want changed, or why (required to request changes or reject)")
	action := core.ActionDecide
	if kind == core.DecisionComment {
		action = core.ActionComment
	}
	return needs(action, cmd)
}

func decideShort(kind core.DecisionKind) string {
	switch kind {
	case core.DecisionApprove:
		return "Approve the current stage of a brief's review"
	case core.DecisionRequestChanges:
		return "Request changes (starts a new round when the copy is resubmitted)"
	case core.DecisionReject:
		return "Reject the brief's copy, with the reason"
	}
	return "Comment on a brief's review without deciding"
}

func auditCommand(env *Env) *cobra.Command {
	verify := &cobra.Command{
		Use:   "verify",
		Short: "Check the audit chain; names the first broken entry",
		Args:  exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			entries, err := env.Backend.Audit(cmd.Context())
			if err != nil {
				return err
			}
			if err := core.VerifyChain(entries); err != nil {
				var ce *core.ChainError
				if errors.As(err, &ce) {
					return fmt.Errorf("%w; restore the database from a backup taken before entry %d", err, ce.Seq)
				}
				return err
			}
			_, err = fmt.Fprintf(env.Out, "audit chain intact: %d entries\n", len(entries))
			return err
		},
	}
	var asJSON bool
	export := &cobra.Command{
		Use:   "export [--json]",
		Short: "Print the whole audit trail: a table, or with --json every entry with its hashes",
		Args:  exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			entries, err := env.Backend.Audit(cmd.Context())
			if err != nil {
				return err
			}
			if !asJSON {
				rows := make([][]string, len(entries))
				for i, e := range entries {
					rows[i] = []string{strconv.FormatUint(e.Seq, 10), e.Time.Format(time.RFC3339), e.Actor, e.Action, e.Subject}
				}
				return table(env.Out, []string{"SEQ", "TIME", "ACTOR", "ACTION", "SUBJECT"}, rows)
			}
			if entries == nil {
				entries = []core.AuditEntry{}
			}
			return writeJSON(env.Out, entries)
		},
	}
	export.Flags().BoolVar(&asJSON, "json", false, "print every entry as JSON, with the hashes that chain it")
	return group("audit", "The tamper-evident audit trail", needs(core.ActionRead, verify), needs(core.ActionRead, export))
}
