package cockpit

import (
	"go/token"
	"reflect"

	tea "github.com/charmbracelet/bubbletea"
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

// ownerOf returns the page whose package declares msg's type unexported,
// or -1. Such a message (a page's command reporting back: a load, a save)
// can only be matched by that page's code, so it goes to that page alone
// and changes the frame only while that page is showing: with two hundred
// sessions, a Retro tab reloading its KPIs after every write would
// otherwise redraw every session's Board a second time.
func ownerOf(pages []page, msg tea.Msg) int {
	t := reflect.TypeOf(msg)
	if t == nil || t.Name() == "" || token.IsExported(t.Name()) {
		return -1
	}
	owner := -1
	for i, p := range pages {
		if reflect.TypeOf(p.view).Elem().PkgPath() == t.PkgPath() {
			if owner >= 0 {
				return -1 // two pages of one package: cannot tell which
			}
			owner = i
		}
	}
	return owner
}
