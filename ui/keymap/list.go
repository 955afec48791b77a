package keymap

import "github.com/charmbracelet/bubbles/key"

// List is the keys every list of the cockpit shares (ui/common/list):
// paging and the `/` filter. Moving one row is each view's own up and down,
// so help names what a row is there.
type List struct {
	PageUp, PageDown key.Binding
	Home, End        key.Binding
	Filter           key.Binding
	FilterApply      key.Binding
	FilterClear      key.Binding
}

func defaultList() List {
	return List{
		PageUp:      newBinding("pgup", "page up", "pgup"),
		PageDown:    newBinding("pgdn", "page down", "pgdown"),
		Home:        newBinding("home", "first row", "home"),
		End:         newBinding("end", "last row", "end"),
		Filter:      newBinding("/", "filter", "/"),
		FilterApply: enter("keep the filter"),
		FilterClear: esc("clear the filter"),
	}
}

func (l *List) group() Group {
	return Group{Name: "list", Title: "Every list", Entries: []Entry{
		nav("page_up", &l.PageUp),
		nav("page_down", &l.PageDown),
		nav("home", &l.Home),
		nav("end", &l.End),
		entry("filter", &l.Filter),
		entry("filter_apply", &l.FilterApply, Typing),
		entry("filter_clear", &l.FilterClear, Typing),
	}}
}
