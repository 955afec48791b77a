package cockpit

import (
	"fmt"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/approvals"
	"github.com/tandem-ops/tandem/ui/board"
	"github.com/tandem-ops/tandem/ui/capacity"
	"github.com/tandem-ops/tandem/ui/common"
	"github.com/tandem-ops/tandem/ui/experiments"
)

// page is one tab: its title and its view.
type page struct {
	title string
	view  common.Component
}

// newPages builds the cockpit's tabs in order.
func newPages(c common.Common) []page {
	return []page{
		{"Board", board.New(c)},
		{"Capacity", capacity.New(c)},
		{"Approvals", approvals.New(c)},
		{"Experiments", experiments.New(c)},
		{"Studio", newPlaceholder(c, "Generation studio", []string{
			"A brief, brand guidelines and past winners go to a local Ollama model;",
			"variants stream in, are linted, and enter review with provenance.",
		}, nil)},
		{"Retro", newPlaceholder(c, "Retrospectives and KPIs", []string{
			"Cycle time, on-time rate, approval time, reuse, learning speed and",
			"cost per asset, with trends and action items that become briefs.",
		}, shipped)},
	}
}

func shipped(s common.Snapshot) []string {
	live, retro := 0, 0
	for _, b := range s.Briefs {
		switch b.Stage {
		case core.StageLive:
			live++
		case core.StageRetro:
			retro++
		}
	}
	return []string{fmt.Sprintf("%d briefs live, %d in retro", live, retro)}
}
