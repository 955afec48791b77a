package studio

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/common/commontest"
)

// slotsOllama serves the Ollama API as fakeOllama does, each generation
// different, the second's body without the "Terms apply." the demo's
// guidelines require, and returns its address.
func slotsOllama(t *testing.T) string {
	t.Helper()
	headlines := []string{"Save five hours", "Ship every campaign", "Plan in ten minutes"}
	bodies := []string{"One plan. Terms apply.", "One plan for the whole team.", "One board. Terms apply."}
	var calls atomic.Int64
	mux := http.NewServeMux()
	mux.HandleFunc("/api/tags", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, `{"models":[{"name":"tiny:latest","digest":"d1g3st","size":1}]}`)
	})
	mux.HandleFunc("/api/show", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, `{"model_info":{}}`) })
	mux.HandleFunc("/api/generate", func(w http.ResponseWriter, _ *http.Request) {
		n := int(calls.Add(1)-1) % len(headlines)
		fmt.Fprintf(w, `{"response":"{\"headline\":\"%s\",","done":false}`+"\n", headlines[n])
		fmt.Fprintf(w, `{"response":"\"body\":\"%s\",\"cta\":\"Try it now %d\",\"rationale\":\"benefit\"}","done":true,"prompt_eval_count":50,"eval_count":20,"eval_duration":100000000}`+"\n", bodies[n], n)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL
}

// stuckOllama serves a model that starts a generation and writes nothing
// more until the request is cancelled; started is closed at the first
// generation, cancelled once its request is.
func stuckOllama(t *testing.T) (host string, started, cancelled <-chan struct{}) {
	t.Helper()
	start, cancel := make(chan struct{}), make(chan struct{})
	var startOnce, cancelOnce sync.Once
	mux := http.NewServeMux()
	mux.HandleFunc("/api/tags", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, `{"models":[{"name":"tiny:latest","digest":"d1g3st","size":1}]}`)
	})
	mux.HandleFunc("/api/show", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, `{"model_info":{}}`) })
	mux.HandleFunc("/api/generate", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, `{"response":"{\"headline\":\"Half","done":false}`)
		w.(http.Flusher).Flush()
		startOnce.Do(func() { close(start) })
		<-r.Context().Done()
		cancelOnce.Do(func() { close(cancel) })
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL, start, cancel
}

// settle runs cmd and every command it leads to, batches and the form's
// sequences included, feeding each message to m, until a generation by
// slot starts: it returns the run's wait for its events then.
func settle(m *Model, cmd tea.Cmd) tea.Cmd {
	if cmd == nil || m.comps.run != nil {
		return cmd
	}
	msg := cmd()
	if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeOf(cmd) {
		var wait tea.Cmd
		for i := range v.Len() {
			if w := settle(m, v.Index(i).Interface().(tea.Cmd)); w != nil {
				wait = w
			}
		}
		return wait
	}
	_, next := m.Update(msg)
	return settle(m, next)
}

// key presses k (a key name or runes) and settles what it leads to.
func pressKey(m *Model, k string) tea.Cmd {
	msg := tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
	switch k {
	case "enter":
		msg = tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		msg = tea.KeyMsg{Type: tea.KeyEsc}
	case "left":
		msg = tea.KeyMsg{Type: tea.KeyLeft}
	case "right":
		msg = tea.KeyMsg{Type: tea.KeyRight}
	}
	_, cmd := m.Update(msg)
	return settle(m, cmd)
}

// openSlotsForm shows the Components section and opens the form of a
// generation by slot on the focused brief.
func openSlotsForm(t *testing.T, m *Model) {
	t.Helper()
	pressKey(m, "c")
	pressKey(m, "g")
	if m.comps.form == nil || !m.CapturesInput() {
		t.Fatalf("g in Components did not open the form (notice %q):\n%s", m.notice.String(), m.View())
	}
}

// submit answers the form's counts with enter, the last starting the run.
func submit(m *Model) tea.Cmd {
	var wait tea.Cmd
	for range slotsAsked {
		wait = pressKey(m, "enter")
	}
	return wait
}

// Ensure that g in Components opens a form prefilled 3/2/2 for the
// focused brief, and submitting it generates the components by slot: they
// appear in the library marked new, the combinations show under it with
// those breaking a rule marked ✗, and the notice counts them.
func TestStudio_GenerateBySlot(t *testing.T) {
	m, be := newModel(t, slotsOllama(t))
	m.SetSize(80, 24)
	openSlotsForm(t, m)
	if v := m.View(); !strings.Contains(v, "Generate by slot for #1") || !strings.Contains(v, "12 combinations") {
		t.Fatalf("the form:\n%s", v)
	}
	drive(m, submit(m))
	if m.comps.form != nil || m.comps.run != nil {
		t.Fatalf("form open %v, running %v", m.comps.form != nil, m.comps.run != nil)
	}
	if want := "made 3 headlines, 2 bodies, 2 CTAs; 12 combinations, 6 break a rule"; m.notice.String() != want {
		t.Fatalf("notice %q, want %q", m.notice.String(), want)
	}
	stored, _ := be.Components(context.Background())
	if len(stored) != 7 || len(m.comps.list) != 7 {
		t.Fatalf("%d components stored, %d listed", len(stored), len(m.comps.list))
	}
	view := m.View()
	for _, want := range []string{"HEADLINE", "new, from variant", "Ship every campaign", "COMBINATIONS FOR #1", "6 OF 12 BREAK A RULE", "✗ #1·#5·#6", `required: missing the required "Terms apply."`} {
		if !strings.Contains(view, want) {
			t.Errorf("the section lacks %q:\n%s", want, view)
		}
	}
	if lines := strings.Split(view, "\n"); len(lines) > 24 {
		t.Errorf("%d lines at 80x24", len(lines))
	}
	if c := m.comps.list[m.comps.cursor]; c.Slot != "headline" || m.comps.made[c.ID] == 0 {
		t.Errorf("the cursor is on %+v, not the first new component", c)
	}
}

// Ensure that counts the studio cannot generate keep the form open with
// the reason, and nothing is generated.
func TestStudio_GenerateBySlot_NoCount(t *testing.T) {
	m, be := newModel(t, slotsOllama(t))
	openSlotsForm(t, m)
	for _, s := range slotsAsked {
		for range s.start {
			pressKey(m, "left")
		}
		if w := pressKey(m, "enter"); w != nil {
			t.Fatal("counts of 0 started a run")
		}
	}
	if m.comps.form == nil || !strings.Contains(m.View(), "✗ ask for at least one component") {
		t.Fatalf("form open %v:\n%s", m.comps.form != nil, m.View())
	}
	if stored, _ := be.Components(context.Background()); len(stored) != 0 {
		t.Fatalf("%d components stored", len(stored))
	}
	pressKey(m, "esc")
	if m.comps.form != nil || !m.comps.shown || m.notice.String() != "discarded the form" {
		t.Fatalf("esc: form open %v, shown %v, notice %q", m.comps.form != nil, m.comps.shown, m.notice.String())
	}
}

// Ensure that esc stops a generation by slot under way, which shows its
// progress until then, and that the model server's request is cancelled.
func TestStudio_GenerateBySlot_Cancel(t *testing.T) {
	host, started, cancelled := stuckOllama(t)
	m, _ := newModel(t, host)
	openSlotsForm(t, m)
	wait := submit(m)
	if wait == nil || m.comps.run == nil {
		t.Fatal("the run did not start")
	}
	// Take events until the model has started the first variant.
	waitFor(t, started)
	for m.comps.run.tokens == 0 {
		_, wait = m.Update(wait())
	}
	if v := m.View(); !strings.Contains(v, "writing variant 1 of 3 for headline 1 of 3, body 1 of 2, CTA 1 of 2") {
		t.Fatalf("no progress shown:\n%s", v)
	}
	if help := m.ShortHelp(); len(help) != 1 || help[0].Help().Desc != "stop generating" {
		t.Errorf("help while running: %v", help)
	}
	pressKey(m, "esc")
	drive(m, wait)
	waitFor(t, cancelled)
	if m.comps.run != nil || !strings.Contains(m.notice.String(), "stopped generating by slot") {
		t.Fatalf("running %v, notice %q", m.comps.run != nil, m.notice.String())
	}
}

// Ensure that the session ending stops a generation by slot under way.
func TestStudio_GenerateBySlot_SessionEnds(t *testing.T) {
	host, started, cancelled := stuckOllama(t)
	m, _ := newModel(t, host)
	ctx, end := context.WithCancel(context.Background())
	m.common.Ctx = ctx
	openSlotsForm(t, m)
	wait := submit(m)
	waitFor(t, started)
	end()
	waitFor(t, cancelled)
	drive(m, wait)
	if m.comps.run != nil {
		t.Fatal("the run outlived the session")
	}
}

// waitFor waits for ch to close, failing the test after a generous while.
func waitFor(t *testing.T, ch <-chan struct{}) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(10 * time.Second):
		t.Fatal("timed out")
	}
}

// Ensure that with Ollama stopped the run ends in one line saying how to
// start it, and the section is usable again.
func TestStudio_GenerateBySlot_OllamaDown(t *testing.T) {
	m, _ := newModel(t, "127.0.0.1:1")
	openSlotsForm(t, m)
	drive(m, submit(m))
	want := "✗ Ollama is not running at 127.0.0.1:1; start it with `ollama serve`"
	if !strings.HasPrefix(m.notice.String(), want) || m.comps.run != nil {
		t.Fatalf("notice %q, want %q", m.notice.String(), want)
	}
}

// Ensure that a role that may not generate is told why in the section and
// gets no form.
func TestStudio_GenerateBySlot_ReadOnly(t *testing.T) {
	_, be := commontest.WorkspaceWith(t, testNow, backend.Settings{Models: backend.ModelSettings{Host: "127.0.0.1:1", Model: "tiny"}})
	m := New(commontest.Common(be, core.Identity{Name: "mo", Role: core.RoleMOps}, testNow))
	m.SetSize(80, 24)
	m.Update(commontest.Snapshot(t, be))
	pressKey(m, "c")
	if v := m.View(); !strings.Contains(v, "generate by slot: mo (mops) may not generate variants") {
		t.Fatalf("the section does not say why:\n%s", v)
	}
	pressKey(m, "g")
	if m.comps.form != nil || !strings.Contains(m.notice.String(), "read-only") {
		t.Fatalf("form open %v, notice %q", m.comps.form != nil, m.notice.String())
	}
}

// Ensure that the form reads at 80x24.
func TestStudio_GenerateBySlotGolden(t *testing.T) {
	m, _ := newModel(t, "127.0.0.1:1")
	m.SetSize(80, 24)
	openSlotsForm(t, m)
	view := m.View()
	if lines := strings.Split(view, "\n"); len(lines) > 24 {
		t.Errorf("%d lines at 80x24", len(lines))
	}
	golden.RequireEqual(t, []byte(view))
}
