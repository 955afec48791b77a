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

// page is one tab: its title, its view, and its group in the key
// registry.
type page struct {
	title string
	view  common.Component
	keys  string
}

// newPages builds the cockpit's tabs in order.
func newPages(c common.Common) []page {
	return []page{
		{"Board", board.New(c), "board"},
		{"Capacity", capacity.New(c), "capacity"},
		{"Approvals", approvals.New(c), "approvals"},
		{"Experiments", experiments.New(c), "experiments"},
		{"Studio", studio.New(c), "studio"},
		{"Retro", retro.New(c), "retro"},
	}
}
