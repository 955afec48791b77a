// Package styles holds the cockpit's palette and the lipgloss styles built
// from it. Styles are made per renderer, so each SSH session renders for its
// own terminal; nothing here is package-level state.
package styles

import (
	"strconv"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// Theme is a palette of semantic colours.
type Theme struct {
	Name      string
	Primary   lipgloss.TerminalColor // active tab, focus
	Text      lipgloss.TerminalColor
	Muted     lipgloss.TerminalColor // hints, secondary text
	Border    lipgloss.TerminalColor
	Success   lipgloss.TerminalColor
	Warning   lipgloss.TerminalColor // at risk
	Danger    lipgloss.TerminalColor // late, breached, errors
	BarFg     lipgloss.TerminalColor // status bar
	BarBg     lipgloss.TerminalColor
	Highlight lipgloss.TerminalColor // selected row background
}

// Dark is the default theme for dark terminals.
func Dark() Theme {
	return Theme{
		Name: "dark", Primary: lipgloss.Color("#A78BFA"), Text: lipgloss.Color("#E5E7EB"), Muted: lipgloss.Color("#8B8FA3"),
		Border: lipgloss.Color("#4B5063"), Success: lipgloss.Color("#4ADE80"), Warning: lipgloss.Color("#FBBF24"),
		Danger: lipgloss.Color("#F87171"), BarFg: lipgloss.Color("#E5E7EB"), BarBg: lipgloss.Color("#2E3142"),
		Highlight: lipgloss.Color("#3B3F55"),
	}
}

// Light is the theme for light terminals.
func Light() Theme {
	return Theme{
		Name: "light", Primary: lipgloss.Color("#6D28D9"), Text: lipgloss.Color("#111827"), Muted: lipgloss.Color("#6B7280"),
		Border: lipgloss.Color("#C7CAD6"), Success: lipgloss.Color("#15803D"), Warning: lipgloss.Color("#B45309"),
		Danger: lipgloss.Color("#B91C1C"), BarFg: lipgloss.Color("#111827"), BarBg: lipgloss.Color("#E5E7EB"),
		Highlight: lipgloss.Color("#DDD6FE"),
	}
}

// HighContrast is pure black, white and bold primaries, for low vision and
// washed-out projectors.
func HighContrast() Theme {
	return Theme{
		Name: "high-contrast", Primary: lipgloss.Color("#FFFF00"), Text: lipgloss.Color("#FFFFFF"), Muted: lipgloss.Color("#D0D0D0"),
		Border: lipgloss.Color("#FFFFFF"), Success: lipgloss.Color("#00FF00"), Warning: lipgloss.Color("#FFAF00"),
		Danger: lipgloss.Color("#FF5555"), BarFg: lipgloss.Color("#000000"), BarBg: lipgloss.Color("#FFFFFF"),
		Highlight: lipgloss.Color("#0000AF"),
	}
}

// ByName returns the theme called name (dark, light or high-contrast), and
// false for an unknown name.
func ByName(name string) (Theme, bool) {
	switch name {
	case "dark":
		return Dark(), true
	case "light":
		return Light(), true
	case "high-contrast":
		return HighContrast(), true
	}
	return Theme{}, false
}

// ForBackground picks Dark or Light for the terminal's background.
func ForBackground(dark bool) Theme {
	if dark {
		return Dark()
	}
	return Light()
}

// Styles are every style the cockpit renders with, one group per component.
type Styles struct {
	Theme Theme

	App struct {
		Body     lipgloss.Style
		Title    lipgloss.Style
		Muted    lipgloss.Style
		Error    lipgloss.Style
		Warning  lipgloss.Style
		Success  lipgloss.Style
		Selected lipgloss.Style
	}
	Tabs struct {
		Active   lipgloss.Style
		Inactive lipgloss.Style
		Bar      lipgloss.Style
	}
	StatusBar struct {
		Bar     lipgloss.Style
		Key     lipgloss.Style
		Value   lipgloss.Style
		Healthy lipgloss.Style
		Failing lipgloss.Style
	}
	Placeholder struct {
		Box   lipgloss.Style
		Title lipgloss.Style
		Text  lipgloss.Style
	}
	Board struct {
		Header      lipgloss.Style
		HeaderFocus lipgloss.Style
		HeaderOver  lipgloss.Style
		Rule        lipgloss.Style
		Title       lipgloss.Style
		TitleFocus  lipgloss.Style
		FocusBar    lipgloss.Style
		Meta        lipgloss.Style
		Late        lipgloss.Style
		AtRisk      lipgloss.Style
		Group       lipgloss.Style
		BadgeUp     lipgloss.Style
		BadgeDown   lipgloss.Style
		Notice      lipgloss.Style
		Prompt      lipgloss.Style
	}
	Detail struct {
		Title   lipgloss.Style
		Section lipgloss.Style
		Label   lipgloss.Style
		Value   lipgloss.Style
	}
	Retro struct {
		Title lipgloss.Style
		// Scope is the campaign the retro is narrowed to.
		Scope lipgloss.Style
		// Worse is a KPI that moved the wrong way.
		Worse lipgloss.Style
		// Column holds what stalled and what worked beside the notes; the
		// view gives it its width.
		Column lipgloss.Style
		// Note is a note's text, wrapped to the width the view gives it.
		Note lipgloss.Style
		// Team names the team a note is from.
		Team lipgloss.Style
	}
	Capacity    CapacityStyles
	Approvals   ApprovalsStyles
	Experiments ExperimentsStyles
	Studio      StudioStyles
	Inbox       InboxStyles
	// List is the shared list (ui/common/list).
	List struct {
		// Marker is the gutter mark of the focused row, so focus shows
		// without colour too.
		Marker lipgloss.Style
		// Selected is the focused row.
		Selected lipgloss.Style
		// Match is the part of a row the filter matched.
		Match lipgloss.Style
		// Filter is the filter line; Empty the text of an empty list, and
		// Position where the rows on screen are in a longer list.
		Filter   lipgloss.Style
		Empty    lipgloss.Style
		Position lipgloss.Style
	}
	Help lipgloss.Style
}

// New builds the styles for theme t on renderer r (one per terminal or SSH
// session). A renderer whose profile is Ascii, as under NO_COLOR, drops the
// colours and keeps the layout.
func New(r *lipgloss.Renderer, t Theme) *Styles {
	t = t.forProfile(r.ColorProfile())
	s := &Styles{Theme: t}
	s.App.Body = r.NewStyle().Foreground(t.Text)
	s.App.Title = r.NewStyle().Foreground(t.Primary).Bold(true)
	s.App.Muted = r.NewStyle().Foreground(t.Muted)
	s.App.Error = r.NewStyle().Foreground(t.Danger).Bold(true)
	s.App.Warning = r.NewStyle().Foreground(t.Warning)
	s.App.Success = r.NewStyle().Foreground(t.Success)
	s.App.Selected = r.NewStyle().Background(t.Highlight).Bold(true)

	// The active tab carries a marker in place of its left padding, so it
	// shows without colour (NO_COLOR) at the same width.
	s.Tabs.Active = r.NewStyle().Foreground(t.Primary).Bold(true).Underline(true).Padding(0, 1, 0, 0)
	s.Tabs.Inactive = r.NewStyle().Foreground(t.Muted).Padding(0, 1)
	s.Tabs.Bar = r.NewStyle().BorderStyle(lipgloss.NormalBorder()).BorderBottom(true).BorderForeground(t.Border)

	s.StatusBar.Bar = r.NewStyle().Foreground(t.BarFg).Background(t.BarBg)
	s.StatusBar.Key = r.NewStyle().Foreground(t.Primary).Background(t.BarBg).Bold(true).Padding(0, 1)
	s.StatusBar.Value = r.NewStyle().Foreground(t.BarFg).Background(t.BarBg).Padding(0, 1)
	s.StatusBar.Healthy = r.NewStyle().Foreground(t.Success).Background(t.BarBg).Padding(0, 1)
	s.StatusBar.Failing = r.NewStyle().Foreground(t.Danger).Background(t.BarBg).Bold(true).Padding(0, 1)

	s.Placeholder.Box = r.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(t.Border).Padding(0, 1)
	s.Placeholder.Title = r.NewStyle().Foreground(t.Primary).Bold(true)
	s.Placeholder.Text = r.NewStyle().Foreground(t.Text)

	s.Board.Header = r.NewStyle().Foreground(t.Text).Bold(true)
	s.Board.HeaderFocus = r.NewStyle().Foreground(t.Primary).Bold(true)
	s.Board.HeaderOver = r.NewStyle().Foreground(t.Danger).Bold(true)
	s.Board.Rule = r.NewStyle().Foreground(t.Border)
	s.Board.Title = r.NewStyle().Foreground(t.Text)
	s.Board.TitleFocus = r.NewStyle().Foreground(t.Text).Background(t.Highlight).Bold(true)
	s.Board.FocusBar = r.NewStyle().Foreground(t.Primary)
	s.Board.Meta = r.NewStyle().Foreground(t.Muted)
	s.Board.Late = r.NewStyle().Foreground(t.Danger).Bold(true)
	s.Board.AtRisk = r.NewStyle().Foreground(t.Warning)
	s.Board.Group = r.NewStyle().Foreground(t.Primary)
	s.Board.BadgeUp = r.NewStyle().Foreground(t.Success)
	s.Board.BadgeDown = r.NewStyle().Foreground(t.Danger)
	s.Board.Notice = r.NewStyle().Foreground(t.Muted)
	s.Board.Prompt = r.NewStyle().Foreground(t.Warning).Bold(true)

	s.Detail.Title = r.NewStyle().Foreground(t.Primary).Bold(true)
	s.Detail.Section = r.NewStyle().Foreground(t.Text).Bold(true).Underline(true)
	s.Detail.Label = r.NewStyle().Foreground(t.Muted).Width(12)
	s.Detail.Value = r.NewStyle().Foreground(t.Text)

	s.Retro.Title = r.NewStyle().Foreground(t.Text).Bold(true)
	s.Retro.Scope = r.NewStyle().Foreground(t.Primary)
	s.Retro.Worse = r.NewStyle().Foreground(t.Danger).Bold(true)
	s.Retro.Column = r.NewStyle()
	s.Retro.Note = r.NewStyle()
	s.Retro.Team = r.NewStyle().Foreground(t.Primary)

	s.newViewStyles(r, t)

	s.List.Marker = r.NewStyle().Foreground(t.Primary).Bold(true)
	s.List.Selected = r.NewStyle().Background(t.Highlight).Bold(true)
	s.List.Match = r.NewStyle().Foreground(t.Warning).Bold(true)
	s.List.Filter = r.NewStyle().Foreground(t.Primary)
	s.List.Empty = r.NewStyle().Foreground(t.Muted)
	s.List.Position = r.NewStyle().Foreground(t.Muted)

	s.Help = r.NewStyle().Padding(0, 1)
	return s
}

// forProfile returns t with every colour converted once to what profile
// can show. lipgloss converts a #RRGGBB colour on every render, and on a
// 256- or 16-colour terminal that is a search for the nearest colour in
// HSLuv: with many SSH sessions repainting, it was a sixth of the CPU.
func (t Theme) forProfile(profile termenv.Profile) Theme {
	if profile == termenv.TrueColor || profile == termenv.Ascii {
		return t
	}
	for _, slot := range t.slots() {
		c := slot.color
		hex, ok := (*c).(lipgloss.Color)
		if !ok {
			continue
		}
		switch col := profile.Color(string(hex)).(type) {
		case termenv.ANSI256Color:
			*c = lipgloss.Color(strconv.Itoa(int(col)))
		case termenv.ANSIColor:
			*c = lipgloss.Color(strconv.Itoa(int(col)))
		}
	}
	return t
}

// colorSlot is one of a theme's colours, by the name config files use.
type colorSlot struct {
	name  string
	color *lipgloss.TerminalColor
}

// slots lists t's colours in a fixed order.
func (t *Theme) slots() []colorSlot {
	return []colorSlot{{"primary", &t.Primary}, {"text", &t.Text}, {"muted", &t.Muted}, {"border", &t.Border},
		{"success", &t.Success}, {"warning", &t.Warning}, {"danger", &t.Danger}, {"bar_fg", &t.BarFg},
		{"bar_bg", &t.BarBg}, {"highlight", &t.Highlight}}
}

// ColorNames are the names of a theme's colours, as WithColors takes them.
func ColorNames() []string {
	var names []string
	for _, slot := range new(Theme).slots() {
		names = append(names, slot.name)
	}
	return names
}

// WithColors returns t with the named colours (#RRGGBB) replaced; other
// names are ignored.
func (t Theme) WithColors(colors map[string]string) Theme {
	for _, slot := range t.slots() {
		if c, ok := colors[slot.name]; ok {
			*slot.color = lipgloss.Color(c)
		}
	}
	return t
}
