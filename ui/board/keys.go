package board

import "github.com/charmbracelet/bubbles/key"

// KeyMap is the board's keys.
type KeyMap struct {
	Left      key.Binding
	Right     key.Binding
	Up        key.Binding
	Down      key.Binding
	Open      key.Binding
	New       key.Binding
	Edit      key.Binding
	MoveNext  key.Binding
	MoveRight key.Binding
	MoveLeft  key.Binding
	Filter    key.Binding
	Group     key.Binding
	Undo      key.Binding
	Confirm   key.Binding
	Cancel    key.Binding
	Back      key.Binding
	// PickUp and PickDown move in the new-brief template picker, where
	// letters type into its filter; Pick takes the choice.
	PickUp   key.Binding
	PickDown key.Binding
	Pick     key.Binding
}

// DefaultKeyMap returns the board's default keys.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Left:      key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←/h", "column left")),
		Right:     key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→/l", "column right")),
		Up:        key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "card up")),
		Down:      key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "card down")),
		Open:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "details")),
		New:       key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "new brief")),
		Edit:      key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit")),
		MoveNext:  key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "move to next stage")),
		MoveRight: key.NewBinding(key.WithKeys("shift+right", "L"), key.WithHelp("shift+→", "move right")),
		MoveLeft:  key.NewBinding(key.WithKeys("shift+left", "H"), key.WithHelp("shift+←", "move left")),
		Filter:    key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Group:     key.NewBinding(key.WithKeys("g"), key.WithHelp("g", "group by")),
		Undo:      key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "undo move")),
		Confirm:   key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "move anyway")),
		Cancel:    key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n/esc", "cancel")),
		Back:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		PickUp:    key.NewBinding(key.WithKeys("up"), key.WithHelp("↑", "previous template")),
		PickDown:  key.NewBinding(key.WithKeys("down"), key.WithHelp("↓", "next template")),
		Pick:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "pick")),
	}
}
