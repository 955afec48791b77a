package studio

import (
	"context"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/common/commontest"
)

// Ensure that s asks before sending a variant into a review stage at its
// WIP limit, as the board does, and n keeps the brief out; y sends it.
func TestStudio_SubmitAsksPastWIP(t *testing.T) {
	m, be := newModel(t, fakeOllama(t))
	ctx := context.Background()
	if err := be.SetWIPLimits(ctx, commontest.Admin, core.WIPLimits{core.StageReview: 1}); err != nil {
		t.Fatal(err)
	}
	briefs, _ := be.Briefs(ctx)
	inReview := 0
	for _, b := range briefs {
		if b.Stage == core.StageReview {
			inReview++
		}
	}
	if inReview == 0 {
		t.Fatal("the workspace has nothing in review to fill the limit")
	}
	_, cmd := m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("g")})
	drive(m, cmd)
	if b, _ := be.Brief(ctx, m.variants[0].BriefID); b.Stage == core.StageReview {
		t.Fatal("the focused brief is in review already: pick another in the fixture")
	}
	key := func(k string) {
		_, cmd := m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)})
		drive(m, cmd)
	}
	key("s")
	if m.overWIP == nil || !strings.Contains(m.notice.String(), "WIP limit") {
		t.Fatalf("s past the limit did not ask: notice %q", m.notice.String())
	}
	key("n")
	if b, _ := be.Brief(ctx, m.variants[0].BriefID); b.Stage == core.StageReview || m.overWIP != nil {
		t.Fatalf("n sent the brief anyway: %+v", b)
	}
	key("s")
	key("y")
	if b, _ := be.Brief(ctx, m.variants[0].BriefID); b.Stage != core.StageReview || !strings.Contains(m.notice.String(), "sent to approvals") {
		t.Fatalf("y did not send it: stage %s, notice %q", b.Stage, m.notice.String())
	}
}
