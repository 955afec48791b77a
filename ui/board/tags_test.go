package board

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/common/commontest"
)

// newTagsHarness is a board whose backend asks the Ollama server at host,
// over a taxonomy and one brief, #1, with its detail open.
func newTagsHarness(t *testing.T, host string) *harness {
	t.Helper()
	h := newHarness(t, false, admin)
	h.be = backend.NewWith(h.st, backend.Settings{Models: backend.ModelSettings{Host: host, Model: "tiny"}})
	h.board = New(testCommon(context.Background(), h.be, admin))
	h.board.SetSize(120, 36)
	ctx := context.Background()
	if err := h.be.SetTaxonomy(ctx, admin, core.Taxonomy{Channels: []string{"email"}, AssetTypes: []string{"banner"}, Tags: []string{"gifts", "q4"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.be.AddBrief(ctx, admin, core.Brief{Title: "Holiday gift guide", Tags: []string{"gifts"}}); err != nil {
		t.Fatal(err)
	}
	h.reload()
	h.press("enter")
	return h
}

// Ensure that t in the detail shows the model's terms (only the
// taxonomy's), that nothing changes until y, and that y saves them as an
// edit of the brief.
func TestBoard_SuggestTags_Accept(t *testing.T) {
	h := newTagsHarness(t, commontest.FakeOllama(t, `{"channel":"email","asset_type":"banner","tags":["q4","made-up"]}`, nil))
	h.run(h.keyCmd("t"))
	view := h.board.View()
	if !strings.Contains(view, "suggested for #1: channel email · asset type banner · tags q4. y accepts, e edits, n/esc dismisses") || strings.Contains(view, "made-up") {
		t.Fatalf("the detail does not offer the suggestion (and only taxonomy terms):\n%s", view)
	}
	if b, _ := h.be.Brief(context.Background(), 1); b.Channel != "" || b.Version != 1 {
		t.Fatalf("a suggestion changed the brief: %+v", b)
	}
	h.press("y")
	b, err := h.be.Brief(context.Background(), 1)
	if err != nil || b.Channel != "email" || b.AssetType != "banner" || !slices.Equal(b.Tags, []string{"gifts", "q4"}) || b.Version != 2 {
		t.Fatalf("accepted brief = %+v, %v; want the terms saved as version 2, tags joining its own", b, err)
	}
}

// Ensure that e opens the suggestion in the form to edit before saving,
// and n dismisses it with nothing saved.
func TestBoard_SuggestTags_EditAndDismiss(t *testing.T) {
	h := newTagsHarness(t, commontest.FakeOllama(t, `{"channel":"email"}`, nil))
	h.run(h.keyCmd("t"))
	h.press("n")
	if h.board.tags != nil || !strings.Contains(h.board.notice, "dismissed") {
		t.Fatalf("n left the suggestion up: notice %q", h.board.notice)
	}
	h.press("enter")
	h.run(h.keyCmd("t"))
	h.press("e")
	if h.board.form == nil || h.board.form.v.channel != "email" {
		t.Fatal("e did not open the form with the suggested channel")
	}
	if b, _ := h.be.Brief(context.Background(), 1); b.Version != 1 {
		t.Fatalf("editing saved before the form did: %+v", b)
	}
}

// Ensure that without Ollama the detail says so and nothing changes.
func TestBoard_SuggestTags_OllamaDown(t *testing.T) {
	h := newTagsHarness(t, "127.0.0.1:1")
	h.run(h.keyCmd("t"))
	if !h.board.failed || !strings.Contains(h.board.notice, "ollama serve") || h.board.tags != nil {
		t.Fatalf("notice = %q (failed %v); want it to say Ollama is not running", h.board.notice, h.board.failed)
	}
}
