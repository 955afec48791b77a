package board

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/common"
	"github.com/tandem-ops/tandem/ui/keymap"
	"github.com/tandem-ops/tandem/ui/sanitize"
)

// detail is a brief's full card: its fields, the performance context MOps
// knows for it, linked experiments, approvals and history.
type detail struct {
	common  common.Common
	brief   core.Brief
	context []core.Result
	linked  []core.Experiment
	// expected is each undecided linked experiment's place in the
	// learning plan, by key, planned from snap once the experiments'
	// daily units arrive with the history.
	expected  map[string]core.PlannedTest
	snap      core.Snapshot
	undecided bool
	entries   []core.AuditEntry
	history   []string // what each entry did, with its stages
	decisions []core.Decision
	loaded    bool
	err       error
	offset    int
}

func newDetail(m *Model, b core.Brief) *detail {
	d := &detail{common: m.common, brief: b, context: core.PerformanceContext(b, m.results), snap: m.snap}
	for _, e := range m.snap.Experiments {
		if e.BriefID == b.ID {
			d.linked = append(d.linked, e)
			d.undecided = d.undecided || e.Winner == ""
		}
	}
	return d
}

func (d *detail) setHistory(msg historyMsg) {
	d.entries, d.decisions, d.err, d.loaded = msg.entries, msg.decisions, msg.err, true
	d.history = withRunSteps(historyLines(msg.entries, msg.moves), msg.entries, msg.run)
	if d.undecided && msg.err == nil {
		now := d.common.Now()
		d.expected = map[string]core.PlannedTest{}
		for _, t := range core.PlanLearning(common.LearningInput(d.snap, msg.daily, now), now, now, common.QuarterEnd(now)).Tests {
			d.expected[t.Experiment] = t
		}
	}
}

// historyLines says what each audit entry did; a move names the stages it
// went from and to. A stage change is written in the same transaction as
// its audit entry, so it carries the same time and actor.
func historyLines(entries []core.AuditEntry, moves []core.StageChange) []string {
	used := make([]bool, len(moves))
	out := make([]string, len(entries))
	for i, e := range entries {
		out[i] = strings.ReplaceAll(e.Action, ".", " ")
		for j, c := range moves {
			if used[j] || c.Actor != e.Actor || !c.Time.Equal(e.Time) {
				continue
			}
			used[j] = true
			switch {
			case c.From == c.To:
				out[i] += " in " + c.To.String()
			case e.Action == "brief.move":
				out[i] = "moved " + c.From.String() + " → " + c.To.String()
			default:
				out[i] += ", " + c.From.String() + " → " + c.To.String()
			}
			break
		}
	}
	return out
}

func (d *detail) scroll(msg tea.KeyMsg, keys *keymap.Board) {
	switch {
	case key.Matches(msg, keys.Up):
		d.offset = max(d.offset-1, 0)
	case key.Matches(msg, keys.Down):
		d.offset++
	}
}

// view renders the detail in height lines, scrolled to its offset.
func (d *detail) view(height int) string {
	s := d.common.Styles.Detail
	b := d.brief
	now := d.common.Now()
	lines := []string{s.Title.Render(fmt.Sprintf("#%d %s", b.ID, sanitize.Line(b.Title))) + "  " + d.common.Styles.App.Muted.Render(b.Stage.String()), ""}
	field := func(label, value string) {
		if value == "" {
			value = "—"
		}
		lines = append(lines, s.Label.Render(label)+s.Value.Render(sanitize.Line(value)))
	}
	field("objective", b.Objective)
	field("audience", b.Audience)
	field("channel", b.Channel)
	field("campaign", b.Campaign)
	field("kpi target", b.KPITarget)
	field("asset type", b.AssetType)
	field("skill", b.Skill)
	field("owner", b.Owner)
	field("tags", strings.Join(b.Tags, ", "))
	field("start", dateOrDash(b.Start))
	due := dateOrDash(b.Due)
	switch {
	case b.Late(now):
		due += "  ✗ late"
	case b.AtRisk(now, atRiskWindow):
		due += "  ! due soon"
	}
	field("due", due)
	estimate := "⚠ no estimate: capacity planning cannot count this brief"
	if b.HasEstimate() {
		estimate = strconv.FormatFloat(b.EstimateHours, 'g', -1, 64) + " h"
	}
	field("estimate", estimate)

	lines = append(lines, "", s.Section.Render("Performance context"))
	if len(d.context) == 0 {
		lines = append(lines, d.muted("no experiment on this channel or audience has enough data yet"))
	}
	for i, r := range d.context {
		if i == 5 {
			lines = append(lines, d.muted(fmt.Sprintf("… and %d more", len(d.context)-5)))
			break
		}
		status, lift := r.Standing(), fmt.Sprintf("%+.0f%%", 100*r.Lift)
		switch r.Evidence {
		case core.EvidenceDeclared:
			status = "★ " + status
		case core.EvidenceProvisional:
			lift = "~" + lift
		}
		lines = append(lines, fmt.Sprintf("%s · %s: variant %s %s vs control (%s); %.2f%% rate, %d exposed",
			sanitize.Line(r.Name), sanitize.Line(r.Channel+" / "+r.Audience), r.Variant, lift, status, 100*r.Rate, r.Exposures))
		if r.Copy != "" {
			lines = append(lines, d.muted("  “"+sanitize.Line(r.Copy)+"”"))
		}
	}

	lines = append(lines, "", s.Section.Render("Linked experiments"))
	if len(d.linked) == 0 {
		lines = append(lines, d.muted("none"))
	}
	for _, e := range d.linked {
		lines = append(lines, fmt.Sprintf("%s (%s), %s", sanitize.Line(e.Name), e.Key, common.Plural(len(e.Variants), "variant")))
		if t, ok := d.expected[e.Key]; ok {
			lines = append(lines, d.muted("  "+expectedDecision(t, d.common.Now())))
		}
	}

	lines = append(lines, "", s.Section.Render("Approvals"))
	switch {
	case !d.loaded:
		lines = append(lines, d.muted("loading…"))
	case len(d.decisions) == 0:
		lines = append(lines, d.muted("no decisions yet"))
	}
	for _, dec := range d.decisions {
		lines = append(lines, fmt.Sprintf("%s  %s %s (round %d) %s", stamp(dec.Time, now), sanitize.Line(dec.Actor), dec.Kind, dec.Round, sanitize.Line(dec.Comment)))
	}

	lines = append(lines, "", s.Section.Render("History"))
	if d.err != nil {
		lines = append(lines, d.common.Styles.App.Error.Render("cannot read history: "+sanitize.Line(d.err.Error())))
	}
	for i, e := range d.entries {
		lines = append(lines, fmt.Sprintf("%s  %s %s", stamp(e.Time, now), sanitize.Line(e.Actor), d.history[i]))
	}
	d.offset = min(d.offset, max(len(lines)-height, 0))
	return common.Clip(strings.Join(lines[d.offset:], "\n"), d.common.Width, height)
}

// expectedDecision says when a planned test should decide, as the
// learning plan dates it (against now's year).
func expectedDecision(t core.PlannedTest, now time.Time) string {
	switch {
	case t.Decision == nil:
		return "decision date unknown: " + t.Why
	case t.Why != "":
		return t.Why
	}
	s := "decision expected " + common.DecisionDate(t, now)
	if mark, late := common.LateNote(t, "the quarter", now); late != "" {
		s += " " + mark + " " + late
	}
	return s
}

func (d *detail) muted(s string) string { return d.common.Styles.App.Muted.Render(s) }

func dateOrDash(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("Mon Jan 2, 2006")
}

// stamp formats a time in the session's zone.
func stamp(t, now time.Time) string {
	return t.In(now.Location()).Format("Jan 2 15:04")
}
