package studio

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/common"
	"github.com/tandem-ops/tandem/ui/common/commontest"
)

var testNow = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

// newModel opens the tab on the demo workspace, generating with model
// "tiny" on the Ollama server at host.
func newModel(t *testing.T, host string) (*Model, *backend.Backend) {
	t.Helper()
	_, be := commontest.WorkspaceWith(t, testNow, backend.Settings{Models: backend.ModelSettings{Host: host, Model: "tiny"}})
	m := New(commontest.Common(be, commontest.Admin, testNow))
	m.SetSize(120, 40)
	m.Update(commontest.Snapshot(t, be))
	return m, be
}

// drive runs cmd and every command it leads to until the run is done.
func drive(m *Model, cmd tea.Cmd) {
	for cmd != nil {
		_, cmd = m.Update(cmd())
	}
}

func TestStudio_Golden(t *testing.T) {
	m, _ := newModel(t, "127.0.0.1:1")
	golden.RequireEqual(t, []byte(m.View()))
}

// fakeOllama answers one valid variant per generate call.
// fakeOllama serves the Ollama API's documented replies and returns its
// address.
func fakeOllama(t *testing.T) string {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/api/tags", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, `{"models":[{"name":"tiny:latest","digest":"d1g3st","size":1}]}`)
	})
	mux.HandleFunc("/api/show", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, `{"model_info":{}}`) })
	mux.HandleFunc("/api/generate", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, `{"response":"{\"headline\":\"Save five hours\",","done":false}`)
		fmt.Fprintln(w, `{"response":"\"body\":\"One plan. Terms apply.\",\"cta\":\"Try it\",\"rationale\":\"benefit\"}","done":true,"prompt_eval_count":50,"eval_count":20,"eval_duration":100000000}`)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL
}

// Ensure that g streams three variants in, each stored with provenance,
// and s sends the chosen one to approvals.
func TestStudio_GenerateAndSubmit(t *testing.T) {
	m, be := newModel(t, fakeOllama(t))
	_, cmd := m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("g")})
	drive(m, cmd)
	if len(m.variants) != 3 || m.running() || !strings.Contains(m.notice.String(), "3 variants") {
		t.Fatalf("variants %d, running %v, notice %q", len(m.variants), m.running(), m.notice.String())
	}
	if p := m.variants[0].Provenance; p.Digest != "d1g3st" || p.Model != "tiny" || p.TokensOut != 20 {
		t.Fatalf("provenance %+v", p)
	}
	if !strings.Contains(m.View(), "Save five hours") {
		t.Fatal("the variant is not shown")
	}
	people, _ := be.People(context.Background())
	for _, p := range people {
		if p.Lane == core.LaneAI && (p.Speedup == 0 || p.Speedup == core.DefaultAISpeedup) {
			t.Fatalf("the AI lane's speedup was not measured: %+v", p)
		}
	}
	_, cmd = m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("s")})
	drive(m, cmd)
	if !strings.Contains(m.notice.String(), "WIP limit") { // the demo's review is over its limit
		t.Fatalf("s into a full review did not ask: notice %q", m.notice.String())
	}
	_, cmd = m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("y")})
	drive(m, cmd)
	if !strings.Contains(m.notice.String(), "sent to approvals") {
		t.Fatalf("notice %q", m.notice.String())
	}
	reviews, _ := be.Reviews(context.Background())
	found := false
	for _, r := range reviews {
		found = found || strings.Contains(r.Copy(), "Save five hours")
	}
	if !found {
		t.Fatal("no review holds the variant")
	}
}

// Ensure that with Ollama stopped the tab says what to do and the rest of
// the cockpit is unaffected.
func TestStudio_OllamaDown(t *testing.T) {
	m, _ := newModel(t, "127.0.0.1:1")
	_, cmd := m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("g")})
	drive(m, cmd)
	if !strings.Contains(m.notice.String(), "ollama serve") || m.running() {
		t.Fatalf("notice %q", m.notice.String())
	}
	// At 80 columns the error wraps onto lines of its own, so its fix,
	// at the end, shows; once it is old it goes.
	m.SetSize(80, 20)
	if view := m.View(); !strings.Contains(strings.ReplaceAll(view, "\n", " "), "ollama serve") {
		t.Fatalf("the error's fix is cut off at 80 columns:\n%s", view)
	}
	now := m.common.Now()
	m.common.Now = func() time.Time { return now.Add(common.NoticeLife) }
	if view := m.View(); strings.Contains(view, "ollama") || m.Noticing() {
		t.Fatalf("the error is still shown after %s:\n%s", common.NoticeLife, view)
	}
}

// Ensure that m picks among the server's installed models and +/- set how
// many variants a run asks for, and that the run uses both.
func TestStudio_ModelAndCount(t *testing.T) {
	m, _ := newModel(t, fakeOllama(t))
	for _, k := range []string{"m", "+", "+", "-"} {
		_, cmd := m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)})
		drive(m, cmd)
	}
	if m.model != "tiny:latest" || m.n != 4 || !strings.Contains(m.View(), "4 variants with tiny:latest") {
		t.Fatalf("model %q, n %d, notice %q", m.model, m.n, m.notice.String())
	}
	_, cmd := m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("g")})
	drive(m, cmd)
	if len(m.variants) != 4 || m.variants[0].Provenance.Model != "tiny:latest" {
		t.Fatalf("%d variants, provenance %+v", len(m.variants), m.variants[0].Provenance)
	}
	for range 10 {
		m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("-")})
	}
	if m.n != 1 {
		t.Fatalf("n went to %d", m.n)
	}
}

// Ensure that m with Ollama stopped says so and keeps the model.
func TestStudio_ModelsOllamaDown(t *testing.T) {
	m, _ := newModel(t, "127.0.0.1:1")
	_, cmd := m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("m")})
	drive(m, cmd)
	if !strings.Contains(m.notice.String(), "ollama serve") || m.model != "tiny" {
		t.Fatalf("model %q, notice %q", m.model, m.notice.String())
	}
}

// Ensure that the Studio reads the recipe ledger on its first snapshot and
// after writes that can change it, not after others, and shows what it
// says under the briefs.
func TestStudio_Ledger(t *testing.T) {
	_, be := commontest.Workspace(t, testNow)
	m := New(commontest.Common(be, commontest.Admin, testNow))
	m.SetSize(100, 40)
	s := commontest.Snapshot(t, be)
	_, cmd := m.Update(s)
	if cmd == nil {
		t.Fatal("the first snapshot does not read the ledger")
	}
	m.Update(cmd())
	if v := m.View(); !strings.Contains(v, "What works (recipe ledger, exploratory)") || !strings.Contains(v, "▲ grounded = yes") {
		t.Fatalf("the ledger panel:\n%s", v)
	}
	s.Change.Kind = core.KindPerson
	if _, cmd := m.Update(s); cmd != nil {
		t.Error("a person's edit reads the ledger again")
	}
	s.Change.Kind = core.KindExperiment
	if _, cmd := m.Update(s); cmd == nil {
		t.Error("an experiment's write does not read the ledger again")
	}
}

// Ensure that a click lands on the brief drawn under it when a notice has
// pushed the list down.
func TestStudio_ClickUnderNotice(t *testing.T) {
	m, _ := newModel(t, "127.0.0.1:1")
	m.SetSize(80, 20)
	m.notice.Set(m.common.Now(), strings.Repeat("a notice long enough to wrap ", 4))
	lines := strings.Split(m.View(), "\n")
	y := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, " #2 ") })
	if y < 0 {
		t.Fatalf("no second brief:\n%s", strings.Join(lines, "\n"))
	}
	m.Update(tea.MouseMsg{X: 3, Y: y, Action: tea.MouseActionPress, Button: tea.MouseButtonLeft})
	if b, _ := m.brief(); b.ID != 2 {
		t.Fatalf("a click on #2 focused #%d:\n%s", b.ID, m.View())
	}
}

// Ensure that the studio names the model server's address to a person on
// this machine, and not to one over SSH, for whom it is the server's.
func TestStudio_HostOnlyHere(t *testing.T) {
	m, _ := newModel(t, "10.1.2.3:11434")
	if !strings.Contains(m.View(), "at 10.1.2.3:11434") {
		t.Errorf("the local studio does not say where its model runs:\n%s", m.View())
	}
	_, be := commontest.WorkspaceWith(t, testNow, backend.Settings{Models: backend.ModelSettings{Host: "10.1.2.3:11434", Model: "tiny", Remote: true}})
	remote := New(commontest.Common(be, commontest.Admin, testNow))
	remote.SetSize(120, 40)
	remote.Update(commontest.Snapshot(t, be))
	if strings.Contains(remote.View(), "10.1.2.3") {
		t.Errorf("over SSH the studio shows the server's model address:\n%s", remote.View())
	}
}
