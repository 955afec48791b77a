package retro

import (
	"context"
	"strings"
	"testing"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/common/commontest"
)

// Ensure that the Retro lists reuse by template: a brief template two
// briefs came from is marked reused, with how its briefs did, and one
// used once is not.
func TestRetro_ReuseByTemplate(t *testing.T) {
	m, be := newModel(t)
	ctx := context.Background()
	for _, name := range []string{"Spring email", "Banner"} {
		if _, err := be.AddTemplate(ctx, commontest.Admin, core.Template{Kind: core.TemplateBrief, Name: name, Brief: &core.BriefTemplate{}}); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"Spring email", "Spring email", "Banner"} {
		if _, err := be.AddBriefFromTemplate(ctx, commontest.Admin, name, core.Brief{Title: "From " + name}); err != nil {
			t.Fatal(err)
		}
	}
	run(m, m.loadCmd())
	view := m.templatesView()
	for _, want := range []string{"Reuse by template", "↻ Spring email (brief template): 2 briefs · cycle –", "first pass –", "  Banner (brief template): 1 brief"} {
		if !strings.Contains(view, want) {
			t.Errorf("the section lacks %q:\n%s", want, view)
		}
	}
}
