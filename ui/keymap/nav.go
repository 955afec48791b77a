package keymap

import "github.com/charmbracelet/bubbles/key"

// The keys every list and question shares are declared here once; each
// view names what they do in it.

func up(desc string) key.Binding    { return newBinding("↑/k", desc, "up", "k") }
func down(desc string) key.Binding  { return newBinding("↓/j", desc, "down", "j") }
func left(desc string) key.Binding  { return newBinding("←/h", desc, "left", "h") }
func right(desc string) key.Binding { return newBinding("→/l", desc, "right", "l") }

// enter runs or opens what has focus.
func enter(desc string) key.Binding { return newBinding("enter", desc, "enter") }

// esc backs out of a detail, a box or a mode.
func esc(desc string) key.Binding { return newBinding("esc", desc, "esc") }

// yes and no answer a question.
func yes(desc string) key.Binding { return newBinding("y", desc, "y") }
func no(desc string) key.Binding  { return newBinding("n/esc", desc, "n", "esc") }
