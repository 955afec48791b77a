package board

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/store"
	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/common"
	"github.com/tandem-ops/tandem/ui/keymap"
	"github.com/tandem-ops/tandem/ui/styles"
)

var testNow = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

// testCommon returns a colourless, fixed-clock Common over be.
func testCommon(ctx context.Context, be *backend.Backend, who core.Identity) common.Common {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	return common.Common{
		Ctx: ctx, Styles: styles.New(r, styles.Dark()), KeyMap: keymap.DefaultKeyMap(),
		Backend: be, Identity: who, Now: func() time.Time { return testNow },
	}
}

// harness is a board over a real store, driven like the cockpit drives it.
type harness struct {
	t     *testing.T
	st    *store.Store
	be    *backend.Backend
	board *Model
}

func newHarness(t *testing.T, seed bool, who core.Identity) *harness {
	t.Helper()
	// huh renders with the default renderer; keep it colourless too.
	lipgloss.SetColorProfile(termenv.Ascii)
	st, err := store.Open(filepath.Join(t.TempDir(), "board.db"), store.Options{Now: func() time.Time { return testNow }, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	be := backend.New(st)
	if seed {
		if _, err := be.SeedDemo(context.Background(), admin, testNow); err != nil {
			t.Fatal(err)
		}
	}
	h := &harness{t: t, st: st, be: be, board: New(testCommon(context.Background(), be, who))}
	h.board.SetSize(120, 36)
	h.reload()
	return h
}

// reload feeds the board a fresh snapshot, as the cockpit does on a change.
func (h *harness) reload() {
	h.t.Helper()
	snap, err := h.be.Snapshot(context.Background())
	if err != nil {
		h.t.Fatal(err)
	}
	h.board.Update(snap)
}

// press sends keys and runs the commands they return, feeding results back.
func (h *harness) press(keys ...string) {
	h.t.Helper()
	for _, k := range keys {
		h.run(h.keyCmd(k))
	}
}

func (h *harness) keyCmd(k string) tea.Cmd {
	var msg tea.KeyMsg
	switch k {
	case "enter":
		msg = tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		msg = tea.KeyMsg{Type: tea.KeyEsc}
	case "right":
		msg = tea.KeyMsg{Type: tea.KeyRight}
	case "down":
		msg = tea.KeyMsg{Type: tea.KeyDown}
	case "shift+left":
		msg = tea.KeyMsg{Type: tea.KeyShiftLeft}
	default:
		msg = tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
	}
	_, cmd := h.board.Update(msg)
	return cmd
}

// run executes the board's own commands (moves, saves, history) and feeds
// their messages back; other commands (cursor blinks) are skipped.
func (h *harness) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-done:
	case <-time.After(400 * time.Millisecond):
		// A timer command, such as a cursor blink (530 ms); the board's own
		// commands read the store, which takes far less even on a loaded
		// machine (50 ms was too short under load).
		return
	}
	switch msg := msg.(type) {
	case tea.BatchMsg:
		for _, c := range msg {
			h.run(c)
		}
	case movedMsg, moveRefusedMsg, savedMsg, errMsg, saveFailedMsg, historyMsg, templatesMsg, templateMsg, tagsMsg, checklistMsg, wipMsg:
		_, next := h.board.Update(msg)
		h.reload()
		h.run(next)
	}
}

func (h *harness) focused() core.Brief {
	h.t.Helper()
	b, ok := h.board.focused()
	if !ok {
		h.t.Fatal("no brief in focus")
	}
	return b
}

var admin = core.Identity{Name: "ana", Role: core.RoleAdmin}

func addBriefs(t *testing.T, st *store.Store, stage core.Stage, titles ...string) {
	t.Helper()
	for _, title := range titles {
		if _, err := st.AddBrief(context.Background(), "ana", core.Brief{Title: title, Stage: stage}); err != nil {
			t.Fatal(err)
		}
	}
}

// Ensure that moving a brief follows it with the focus and undo puts it back.
func TestBoard_MoveAndUndo(t *testing.T) {
	h := newHarness(t, false, admin)
	addBriefs(t, h.st, core.StageIntake, "Launch email")
	h.reload()
	h.press("m")
	if b := h.focused(); b.Stage != core.StagePlanned || h.board.col != int(core.StagePlanned) {
		t.Fatalf("after m: %+v in column %d", b, h.board.col)
	}
	h.press("L") // shift+right
	if b, _ := h.st.Brief(context.Background(), 1); b.Stage != core.StageInProduction {
		t.Fatalf("stored stage = %s", b.Stage)
	}
	h.press("u", "u")
	if b, _ := h.st.Brief(context.Background(), 1); b.Stage != core.StageIntake {
		t.Fatalf("after two undos: %s", b.Stage)
	}
	h.press("u")
	if h.board.notice != "nothing to undo" {
		t.Fatalf("notice = %q", h.board.notice)
	}
	h.press("shift+left")
	if !strings.Contains(h.board.notice, "already in intake") {
		t.Fatalf("notice = %q", h.board.notice)
	}
}

// Ensure that undo never reverts a change someone made after the move it
// undoes: bo's later move, or bo's edit, refuses the undo with a notice
// naming bo, and the brief stays as bo left it.
func TestBoard_UndoAfterSomeoneElse(t *testing.T) {
	ctx := context.Background()
	bo := core.Identity{Name: "bo", Role: core.RoleAdmin}
	for _, tc := range []struct {
		name   string
		change func(h *harness, b core.Brief) error
		stage  core.Stage
		notice string
	}{
		{"moved", func(h *harness, b core.Brief) error {
			_, err := h.be.MoveBrief(ctx, bo, b.ID, core.StageInProduction, true)
			return err
		}, core.StageInProduction, "#1 moved on since: bo moved it to in production; undo refused"},
		{"edited", func(h *harness, b core.Brief) error {
			b.Title = "Launch email v2"
			_, _, err := h.be.UpdateBrief(ctx, bo, b)
			return err
		}, core.StagePlanned, "#1 moved on since: bo changed it; undo refused"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, false, admin)
			addBriefs(t, h.st, core.StageIntake, "Launch email")
			h.reload()
			h.press("m")
			moved, _ := h.st.Brief(ctx, 1)
			if err := tc.change(h, moved); err != nil {
				t.Fatal(err)
			}
			h.press("u")
			if b, _ := h.st.Brief(ctx, 1); b.Stage != tc.stage || b.Version != moved.Version+1 {
				t.Fatalf("after undo: %s at version %d, want %s at %d as bo left it", b.Stage, b.Version, tc.stage, moved.Version+1)
			}
			if h.board.notice != tc.notice || !h.board.failed {
				t.Fatalf("notice = %q (error %v), want %q", h.board.notice, h.board.failed, tc.notice)
			}
		})
	}
}

// Ensure that a move is made from the card as the person saw it: when
// someone moved the brief after this board last heard, m does not move it
// back over their move, and says who moved it where.
func TestBoard_MoveFromAStaleCard(t *testing.T) {
	ctx := context.Background()
	bo := core.Identity{Name: "bo", Role: core.RoleAdmin}
	h := newHarness(t, false, admin)
	addBriefs(t, h.st, core.StageIntake, "Launch email")
	h.reload()
	if _, err := h.be.MoveBrief(ctx, bo, 1, core.StageInProduction, true); err != nil {
		t.Fatal(err)
	}
	h.press("m") // the card still shows intake: this would move it back to planned
	if b, _ := h.st.Brief(ctx, 1); b.Stage != core.StageInProduction {
		t.Fatalf("the stale move left it in %s, want in production as bo put it", b.Stage)
	}
	want := "#1 changed since you looked: bo moved it to in production; move refused, look again"
	if h.board.notice != want || !h.board.failed {
		t.Fatalf("notice = %q (error %v), want %q", h.board.notice, h.board.failed, want)
	}
}

// Ensure that a move into a full stage asks first; n keeps the brief, y
// moves it and the column shows it is over its limit.
func TestBoard_WIPLimit(t *testing.T) {
	h := newHarness(t, false, admin)
	if err := h.st.SetWIPLimits(context.Background(), "ana", core.WIPLimits{core.StagePlanned: 1}); err != nil {
		t.Fatal(err)
	}
	addBriefs(t, h.st, core.StagePlanned, "Already planned")
	addBriefs(t, h.st, core.StageIntake, "Wants in")
	h.reload()
	h.press("m")
	if h.board.confirm == nil || !strings.Contains(h.board.View(), "planned is at its WIP limit (1)") {
		t.Fatalf("no confirmation:\n%s", h.board.View())
	}
	h.press("n")
	if b, _ := h.st.Brief(context.Background(), 2); b.Stage != core.StageIntake {
		t.Fatalf("declined move happened: %s", b.Stage)
	}
	h.press("m", "y")
	if b, _ := h.st.Brief(context.Background(), 2); b.Stage != core.StagePlanned {
		t.Fatalf("confirmed move did not happen: %s", b.Stage)
	}
	// A compact column (seven fit at 120) flags it with the symbol alone.
	if !strings.Contains(h.board.View(), "planned 2/1 ⚠") {
		t.Fatalf("over-limit column not flagged:\n%s", h.board.View())
	}
}

// Ensure that the filter narrows the cards while typing, and esc clears it.
func TestBoard_Filter(t *testing.T) {
	h := newHarness(t, false, admin)
	addBriefs(t, h.st, core.StageIntake, "Holiday gift guide", "Spring webinar", "Pricing page")
	h.reload()
	h.press("/", "h", "o", "l")
	if !h.board.CapturesInput() {
		t.Fatal("filter does not capture input")
	}
	if got := len(h.board.cols[core.StageIntake].cards); got != 1 {
		t.Fatalf("filter 'hol' shows %d cards", got)
	}
	h.press("enter")
	if h.board.CapturesInput() || len(h.board.cols[core.StageIntake].cards) != 1 {
		t.Fatal("enter did not keep the filter")
	}
	h.press("/", "esc")
	if got := len(h.board.cols[core.StageIntake].cards); got != 3 {
		t.Fatalf("after esc: %d cards", got)
	}
}

// Ensure that g cycles the grouping and orders cards by it.
func TestBoard_Group(t *testing.T) {
	h := newHarness(t, false, admin)
	for _, owner := range []string{"Zoe", "Adam", "Mia"} {
		if _, err := h.st.AddBrief(context.Background(), "ana", core.Brief{Title: owner + "'s brief", Owner: owner}); err != nil {
			t.Fatal(err)
		}
	}
	h.reload()
	h.press("g")
	if h.board.group != groupOwner {
		t.Fatalf("group = %s", h.board.group)
	}
	var got []string
	for _, b := range h.board.cols[core.StageIntake].cards {
		got = append(got, b.Owner)
	}
	if strings.Join(got, ",") != "Adam,Mia,Zoe" {
		t.Fatalf("grouped order = %v", got)
	}
	// Each group is a lane with a header across the board; each card keeps
	// its owner and due date.
	view := h.board.View()
	for _, want := range []string{"─ Adam (1) ─", "─ Mia (1) ─", "─ Zoe (1) ─", "Adam · no due", "Zoe · no due"} {
		if !strings.Contains(view, want) {
			t.Errorf("grouped board lacks %q:\n%s", want, view)
		}
	}
	h.press("g") // channel: none set
	if view := h.board.View(); !strings.Contains(view, "─ no channel (3) ─") || !strings.Contains(view, "Mia · no due") {
		t.Errorf("grouped by channel:\n%s", view)
	}
	h.press("g", "g")
	if h.board.group != groupNone {
		t.Fatalf("g did not cycle back: %s", h.board.group)
	}
}

// Ensure that a viewer's move is refused with the reason shown, not lost.
func TestBoard_ViewerCannotMove(t *testing.T) {
	h := newHarness(t, false, core.Identity{Name: "vic", Role: core.RoleViewer})
	addBriefs(t, h.st, core.StageIntake, "Look only")
	h.reload()
	h.press("m")
	if !h.board.failed || !strings.Contains(h.board.notice, "vic (viewer) may not move briefs") {
		t.Fatalf("notice = %q", h.board.notice)
	}
}

// Ensure that a brief filed through the form is stored with its fields and
// focused on the board.
func TestBoard_NewBriefForm(t *testing.T) {
	h := newHarness(t, true, admin)
	h.press("n")
	if !h.board.CapturesInput() {
		t.Fatal("the form does not capture input")
	}
	h.board.form.v.title = "Gift guide"
	h.board.form.v.channel = "email"
	h.board.form.v.due = "2026-12-10"
	h.board.form.v.estimate = "8"
	h.board.form.v.tags = "q4, Q1"
	h.run(saveCmd(context.Background(), h.be, admin, h.board.form.brief()))
	b := h.focused()
	if b.Title != "Gift guide" || b.Channel != "email" || b.EstimateHours != 8 || b.Due.Format(time.DateOnly) != "2026-12-10" || strings.Join(b.Tags, ",") != "q1,q4" {
		t.Fatalf("stored brief = %+v", b)
	}
	if h.board.form != nil || !strings.Contains(h.board.notice, "added brief #61") {
		t.Fatalf("form still open or notice %q", h.board.notice)
	}
}

// TestBoard_Golden renders the board, a card's detail and the form.
func TestBoard_Golden(t *testing.T) {
	t.Run("board", func(t *testing.T) {
		h := newHarness(t, true, admin)
		golden.RequireEqual(t, []byte(h.board.View()))
	})
	t.Run("board-80x20", func(t *testing.T) {
		h := newHarness(t, true, admin)
		h.board.SetSize(80, 20)
		h.press("right", "down")
		golden.RequireEqual(t, []byte(h.board.View()))
	})
	t.Run("grouped", func(t *testing.T) {
		h := newHarness(t, true, admin)
		h.press("g", "g")
		golden.RequireEqual(t, []byte(h.board.View()))
	})
	t.Run("detail", func(t *testing.T) {
		h := newHarness(t, true, admin)
		h.press("enter")
		golden.RequireEqual(t, []byte(h.board.View()))
	})
	t.Run("form", func(t *testing.T) {
		h := newHarness(t, true, admin)
		h.press("n")
		golden.RequireEqual(t, []byte(h.board.View()))
	})
}

func benchBoard(b *testing.B, n int) *Model {
	st, err := store.Open(filepath.Join(b.TempDir(), "bench.db"), store.Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	m := New(testCommon(context.Background(), backend.New(st), admin))
	briefs := make([]core.Brief, n)
	for i := range briefs {
		briefs[i] = core.Brief{ID: uint64(i + 1), Title: fmt.Sprintf("Brief number %d", i), Owner: "Ana Ruiz", Channel: "email",
			AssetType: "email", Stage: core.Stage(i % numStages), Due: testNow.AddDate(0, 0, i%30-10)}
	}
	m.SetSize(120, 36)
	m.Update(core.Snapshot{Briefs: briefs, WIPLimits: core.DefaultWIPLimits()})
	return m
}

// BenchmarkBoardView renders the board at 120x36, ungrouped and grouped by
// channel (a header in every column). Only the cards on screen are
// rendered, so time and allocations stay flat from 1k to 10k briefs.
func BenchmarkBoardView(b *testing.B) {
	for _, n := range []int{1_000, 10_000} {
		for _, g := range []grouping{groupNone, groupChannel} {
			b.Run(fmt.Sprintf("briefs=%d/group=%s", n, g), func(b *testing.B) {
				m := benchBoard(b, n)
				m.group = g
				m.rebuild()
				b.ReportAllocs()
				for b.Loop() {
					_ = m.View()
				}
			})
		}
	}
}

// BenchmarkBoardSnapshot measures rebuilding the columns when a change
// arrives.
func BenchmarkBoardSnapshot(b *testing.B) {
	m := benchBoard(b, 10_000)
	snap := core.Snapshot{Briefs: m.briefs, WIPLimits: core.DefaultWIPLimits()}
	b.ReportAllocs()
	for b.Loop() {
		m.Update(snap)
	}
}

// Ensure that the board follows every kind of write through snapshots that
// share unchanged parts: event batches move the cards' result badges,
// briefs move the columns.
func TestBoard_SharedSnapshots(t *testing.T) {
	h := newHarness(t, true, admin)
	ctx := context.Background()
	badges := fmt.Sprint(h.board.badges)
	var evs []core.Event
	for i := range 400 { // the declared generated variant converts every unit it shows
		evs = append(evs, core.Event{TS: testNow, Experiment: "oct-newsletter", Variant: "g1", Unit: fmt.Sprint("shared-", i), Type: core.EventExposure},
			core.Event{TS: testNow, Experiment: "oct-newsletter", Variant: "g1", Unit: fmt.Sprint("shared-", i), Type: core.EventConversion})
	}
	if _, err := h.be.Ingest(ctx, admin, evs, store.IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	h.reload()
	if fmt.Sprint(h.board.badges) == badges {
		t.Fatal("an event batch did not move the result badges")
	}
	intake := len(h.board.cols[core.StageIntake].cards)
	if _, err := h.be.AddBrief(ctx, admin, core.Brief{Title: "After the events"}); err != nil {
		t.Fatal(err)
	}
	h.reload()
	if len(h.board.cols[core.StageIntake].cards) != intake+1 {
		t.Fatalf("intake has %d cards after a new brief, want %d", len(h.board.cols[core.StageIntake].cards), intake+1)
	}
}

// Ensure that from 112 columns the board shows all seven stages, and below
// that says which it shows.
func TestBoard_AllStagesFrom112(t *testing.T) {
	h := newHarness(t, true, admin)
	h.board.SetSize(112, 30)
	view := h.board.View()
	for _, s := range core.AllStages() {
		name := s.String()
		if s == core.StageInProduction {
			name = "in produc" // shortened in a compact column, never dropped
		}
		if !strings.Contains(view, name) {
			t.Errorf("at 112 columns the board lacks %q", name)
		}
	}
	h.board.SetSize(80, 24)
	if view := h.board.View(); !strings.Contains(view, "stages 1–5 of 7") {
		t.Errorf("at 80 columns the board does not say which stages it shows")
	}
}
