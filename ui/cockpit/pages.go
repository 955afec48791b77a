package cockpit

import (
	"github.com/tandem-ops/tandem/ui/approvals"
	"github.com/tandem-ops/tandem/ui/board"
	"github.com/tandem-ops/tandem/ui/capacity"
	"github.com/tandem-ops/tandem/ui/common"
	"github.com/tandem-ops/tandem/ui/experiments"
	"github.com/tandem-ops/tandem/ui/retro"
	"github.com/tandem-ops/tandem/ui/studio"
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
		{"Studio", studio.New(c)},
		{"Retro", retro.New(c)},
	}
}
