package styles

import (
	"io"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// Ensure that converting a theme's colours once per renderer draws exactly
// what lipgloss draws converting them on every render.
func TestNew_ConvertsColoursOnce(t *testing.T) {
	for _, profile := range []termenv.Profile{termenv.TrueColor, termenv.ANSI256, termenv.ANSI, termenv.Ascii} {
		r := lipgloss.NewRenderer(io.Discard)
		r.SetColorProfile(profile)
		for _, theme := range []Theme{Dark(), Light(), HighContrast()} {
			got := New(r, theme).StatusBar.Failing.Render("late")
			want := r.NewStyle().Foreground(theme.Danger).Background(theme.BarBg).Bold(true).Padding(0, 1).Render("late")
			if got != want {
				t.Errorf("%s on profile %d: %q, want %q", theme.Name, profile, got, want)
			}
		}
	}
}

// Ensure that Ink paints a line exactly as lipgloss renders it, for the
// styles the board paints with, in every colour profile.
func TestInk(t *testing.T) {
	for _, profile := range []termenv.Profile{termenv.TrueColor, termenv.ANSI256, termenv.ANSI, termenv.Ascii} {
		r := lipgloss.NewRenderer(io.Discard)
		r.SetColorProfile(profile)
		s := New(r, Dark())
		for _, style := range []lipgloss.Style{s.Board.Title, s.Board.TitleFocus, s.Board.Meta, s.Board.Late, s.App.Selected, s.App.Muted, s.List.Marker, s.List.Selected, s.List.Match} {
			for _, text := range []string{"Spring launch email", "✗ late Nov 2", "é · ü", ""} {
				if got, want := InkOf(style).Paint(text), style.Render(text); got != want {
					t.Errorf("profile %d: Paint(%q) = %q, Render gives %q", profile, text, got, want)
				}
			}
		}
	}
}

// Ensure that WithColors replaces the named colours and only those.
func TestWithColors(t *testing.T) {
	got := Dark().WithColors(map[string]string{"primary": "#010203", "bar_bg": "#0A0B0C", "sky": "#FFFFFF"})
	want := Dark()
	want.Primary, want.BarBg = lipgloss.Color("#010203"), lipgloss.Color("#0A0B0C")
	if got != want {
		t.Fatalf("WithColors = %+v, want %+v", got, want)
	}
	if names := ColorNames(); len(names) != 10 || names[0] != "primary" || names[9] != "highlight" {
		t.Fatalf("ColorNames = %v", names)
	}
}
