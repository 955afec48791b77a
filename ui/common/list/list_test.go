package list

import (
	"fmt"
	"io"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"github.com/sahilm/fuzzy"

	"github.com/tandem-ops/tandem/ui/keymap"
	"github.com/tandem-ops/tandem/ui/styles"
)

// newList is a list of n rows "row 0" … on a colourless renderer, as the
// golden files draw, with the registry's default keys.
func newList(tb testing.TB, n, width, height int) *Model {
	tb.Helper()
	km := keymap.DefaultKeyMap()
	st := styles.New(lipgloss.NewRenderer(io.Discard), styles.Dark())
	m := New(Keys{Up: &km.Experiments.Up, Down: &km.Experiments.Down, Paging: &km.List}, st)
	values := make([]string, n)
	for i := range values {
		values[i] = fmt.Sprintf("row %d", i)
	}
	m.SetItems(values)
	m.SetEmpty("Nothing here yet.")
	m.SetSize(width, height)
	return m
}

func press(m *Model, keys ...string) {
	for _, k := range keys {
		var msg tea.KeyMsg
		switch k {
		case "down":
			msg = tea.KeyMsg{Type: tea.KeyDown}
		case "up":
			msg = tea.KeyMsg{Type: tea.KeyUp}
		case "pgdown":
			msg = tea.KeyMsg{Type: tea.KeyPgDown}
		case "pgup":
			msg = tea.KeyMsg{Type: tea.KeyPgUp}
		case "home":
			msg = tea.KeyMsg{Type: tea.KeyHome}
		case "end":
			msg = tea.KeyMsg{Type: tea.KeyEnd}
		case "enter":
			msg = tea.KeyMsg{Type: tea.KeyEnter}
		case "esc":
			msg = tea.KeyMsg{Type: tea.KeyEsc}
		default:
			msg = tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
		}
		m.Update(msg)
	}
}

func plain(r Row, _ bool) string { return fmt.Sprintf("item %d", r.Item) }

func focused(t *testing.T, m *Model) int {
	t.Helper()
	i, ok := m.Index()
	if !ok {
		t.Fatal("no row has focus")
	}
	return i
}

// Ensure that the focused row is always on screen and marked with a
// character, whatever keys moved it: the experiments and studio lists once
// only clipped, so the cursor could leave the screen.
func TestList_CursorStaysOnScreen(t *testing.T) {
	tests := []struct {
		keys []string
		want int
	}{
		{nil, 0},
		{[]string{"down", "j", "down"}, 3},
		{[]string{"up"}, 0},
		{strings.Fields(strings.Repeat("down ", 30)), 30},
		{[]string{"pgdown"}, 9}, // 10 lines: 9 rows and the position line
		{[]string{"pgdown", "pgdown", "pgup"}, 9},
		{[]string{"end"}, 99},
		{[]string{"end", "down"}, 99},
		{[]string{"end", "home"}, 0},
		{[]string{"end", "pgup"}, 90},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.keys, "_"), func(t *testing.T) {
			m := newList(t, 100, 40, 10)
			press(m, tt.keys...)
			if got := focused(t, m); got != tt.want {
				t.Fatalf("focus on %d, want %d", got, tt.want)
			}
			view := m.View(plain)
			if want := Marker + fmt.Sprintf("item %d", tt.want); !strings.Contains(view, want) {
				t.Fatalf("the focused row %q is not on screen with its marker:\n%s", want, view)
			}
			if lines := strings.Split(view, "\n"); len(lines) != 10 {
				t.Fatalf("%d lines, want the 10 the list has:\n%s", len(lines), view)
			}
			if !strings.Contains(view, " of 100") {
				t.Fatalf("no position in a list longer than the screen:\n%s", view)
			}
		})
	}
}

// Ensure that `/` filters as the person types, keeps the items' order,
// marks the matched characters, and that enter keeps the filter and esc
// in the box drops it.
func TestList_Filter(t *testing.T) {
	m := newList(t, 30, 40, 10)
	press(m, "/", "2", "1")
	if !m.Typing() {
		t.Fatal("the filter box is not taking keys")
	}
	var items []int
	for _, r := range m.rows {
		items = append(items, r.Item)
	}
	if fmt.Sprint(items) != "[21]" {
		t.Fatalf("rows matching 21 = %v, want [21]", items)
	}
	press(m, "backspace")
	m.Update(tea.KeyMsg{Type: tea.KeyBackspace})
	press(m, "2")
	items = items[:0]
	for _, r := range m.rows {
		items = append(items, r.Item)
	}
	if fmt.Sprint(items) != "[2 12 20 21 22 23 24 25 26 27 28 29]" {
		t.Fatalf("rows matching 2 = %v, want them in the items' order", items)
	}
	press(m, "down", "enter")
	if m.Typing() || m.Query() != "2" {
		t.Fatalf("after enter: typing %v, query %q; want the filter kept", m.Typing(), m.Query())
	}
	if got := focused(t, m); got != 12 {
		t.Fatalf("focus on %d, want 12", got)
	}
	view := m.View(func(r Row, _ bool) string { return m.Mark(r, m.values[r.Item]) })
	if !strings.HasPrefix(view, "/2  12 of 30\n") || !strings.Contains(view, Marker+"row 12") {
		t.Fatalf("the filter line or the focused match is missing:\n%s", view)
	}
	press(m, "/", "esc")
	if m.Query() != "" || m.Len() != 30 {
		t.Fatalf("esc in the box left query %q and %d rows", m.Query(), m.Len())
	}
	press(m, "/", "z", "z", "z", "enter")
	if view := m.View(plain); !strings.Contains(view, "Nothing matches “zzz”.") {
		t.Fatalf("no empty state for a filter that matches nothing:\n%s", view)
	}
	if _, ok := m.Index(); ok {
		t.Fatal("a row has focus in an empty list")
	}
}

// Ensure that the matched characters, and only they, are drawn in the
// match style.
func TestList_Mark(t *testing.T) {
	st := styles.New(lipgloss.NewRenderer(io.Discard, termenv.WithProfile(termenv.TrueColor)), styles.Dark())
	m := New(Keys{}, st)
	ink := styles.InkOf(st.List.Match)
	got := m.Mark(Row{Matched: []int{0, 4}}, "row 0 · more")
	if want := ink.Paint("r") + "ow " + ink.Paint("0") + " · more"; got != want {
		t.Fatalf("Mark = %q, want %q", got, want)
	}
	if got := m.Mark(Row{}, "as is"); got != "as is" {
		t.Fatalf("Mark without a match = %q", got)
	}
}

// Ensure that an empty list shows its empty text, and new items keep the
// cursor on its row number, within the list.
func TestList_SetItems(t *testing.T) {
	m := newList(t, 0, 40, 5)
	if view := m.View(plain); view != "Nothing here yet." {
		t.Fatalf("empty list = %q", view)
	}
	m.SetItems([]string{"a", "b", "c"})
	press(m, "end")
	m.SetItems([]string{"a", "b"})
	if got := focused(t, m); got != 1 {
		t.Fatalf("focus on %d after the list shrank, want 1", got)
	}
}

// Ensure that a click focuses the row under it, below the filter line, and
// a click past the rows does nothing.
func TestList_Click(t *testing.T) {
	m := newList(t, 100, 40, 10)
	press(m, "/", "1", "enter") // the filter line is line 0
	click := func(y int) bool {
		ok, _ := m.Update(tea.MouseMsg{X: 3, Y: y, Action: tea.MouseActionPress, Button: tea.MouseButtonLeft})
		return ok
	}
	if !click(3) {
		t.Fatal("a click on a row was not taken")
	}
	if got := focused(t, m); got != 11 { // rows 1, 10, 11, …
		t.Fatalf("focus on %d, want 11", got)
	}
	if click(0) || click(10) {
		t.Fatal("a click on the filter line or past the rows was taken")
	}
}

// Ensure that hostile values neither break the frame nor reach the
// terminal: the filter line is sanitized, rows are the view's to sanitize.
func TestList_HostileQuery(t *testing.T) {
	m := newList(t, 3, 40, 5)
	press(m, "/")
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("\x1b[2J\u202e")})
	if view := m.View(plain); strings.Contains(view, "\x1b[2J") || strings.Contains(view, "\u202e") {
		t.Fatalf("the query reached the terminal raw while typed: %q", view)
	}
	press(m, "enter")
	if view := m.View(plain); strings.Contains(view, "\x1b[2J") || strings.Contains(view, "\u202e") {
		t.Fatalf("the query reached the terminal raw: %q", view)
	}
}

// Ensure that the list's own match test agrees with sahilm/fuzzy, whose
// positions it marks, on every query over a corpus with case, accents,
// separators and hostile characters.
func TestMatcher_AgreesWithFuzzy(t *testing.T) {
	values := []string{"#12 Spring launch email", "Café crème · paid social", "ÉTÉ promo", "a\x1b[31mred", "ab", "ba", "aab",
		"The Black Knight", "spring-email (spring_email)", "", "\u202eevil", "ÀÉÎõü", "Go Gopher GO"}
	queries := []string{"s", "spr", "SPR", "#1", "cafe", "café", "ÉT", "été", "aa", "ab", "tk", "-e", "[3", "gog", "ü", "\u202e", "zz", "email)"}
	for _, q := range queries {
		m := newMatcher(q)
		for _, v := range values {
			want := len(fuzzy.Find(q, []string{v})) > 0
			if got := m.matches(strings.ToLower(v)); got != want {
				t.Errorf("matches(%q, %q) = %v, fuzzy says %v", v, q, got, want)
			}
		}
	}
}
