package styles

import "github.com/charmbracelet/lipgloss"

// The per-view style groups: each view draws with its own group, so a
// change to one tab's look stays in that tab. State is never colour alone:
// the views pair every style here with a mark (✗, !, ▌, [- -]) that shows
// without colour.

// CapacityStyles draws the Capacity tab.
type CapacityStyles struct {
	Title lipgloss.Style
	// Person is a person's name, PersonFocus the focused person's.
	Person, PersonFocus lipgloss.Style
	// Cell is the focused heatmap cell (it also carries a ▸).
	Cell lipgloss.Style
	// Over is a week past capacity, Near one at 80 % or more, Booked one
	// with work, Free one without.
	Over, Near, Booked, Free lipgloss.Style
	// Shortfall is hours a skill lacks; Warning a line about briefs the
	// plan cannot count.
	Shortfall, Warning lipgloss.Style
}

// ApprovalsStyles draws the Approvals tab.
type ApprovalsStyles struct {
	Title lipgloss.Style
	// Breached, DueSoon and OnTime are an item's SLA.
	Breached, DueSoon, OnTime lipgloss.Style
	// Deleted and Inserted are the word diff against the last round.
	Deleted, Inserted lipgloss.Style
	// Supported and Unsupported are claims; LintError and LintWarning the
	// brand lint's findings.
	Supported, Unsupported lipgloss.Style
	LintError, LintWarning lipgloss.Style
}

// ExperimentsStyles draws the Experiments tab.
type ExperimentsStyles struct {
	// Header is a table's column names.
	Header lipgloss.Style
	// Question is the declare-winner question.
	Question lipgloss.Style
}

// StudioStyles draws the Studio tab.
type StudioStyles struct {
	Title lipgloss.Style
	// Running is the line of a generation under way.
	Running lipgloss.Style
	// Finding is a variant's brand-lint finding; Error a failed read.
	Finding, Error lipgloss.Style
}

// InboxStyles draws the inbox overlay.
type InboxStyles struct {
	Title lipgloss.Style
	// Urgent is an item that needs the person now (it also carries a !).
	Urgent, Normal lipgloss.Style
}

// newViewStyles fills the per-view groups of s from theme t on r.
func (s *Styles) newViewStyles(r *lipgloss.Renderer, t Theme) {
	title := r.NewStyle().Foreground(t.Text).Bold(true)
	danger := r.NewStyle().Foreground(t.Danger).Bold(true)
	warning := r.NewStyle().Foreground(t.Warning)
	success := r.NewStyle().Foreground(t.Success)
	muted := r.NewStyle().Foreground(t.Muted)
	question := r.NewStyle().Foreground(t.Warning).Bold(true)

	s.Capacity = CapacityStyles{
		Title: title, Person: r.NewStyle(), PersonFocus: r.NewStyle().Foreground(t.Primary).Bold(true),
		Cell: r.NewStyle().Background(t.Highlight).Bold(true),
		Over: danger, Near: warning, Booked: success, Free: muted,
		Shortfall: danger, Warning: warning,
	}
	s.Approvals = ApprovalsStyles{
		Title: title, Breached: danger, DueSoon: warning, OnTime: muted,
		Deleted: danger, Inserted: success,
		Supported: success, Unsupported: warning, LintError: danger, LintWarning: warning,
	}
	s.Experiments = ExperimentsStyles{Header: title, Question: question}
	s.Studio = StudioStyles{Title: title, Running: question, Finding: warning, Error: danger}
	s.Inbox = InboxStyles{Title: title, Urgent: warning, Normal: muted}
}
