package common

import (
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/tandem-ops/tandem/ui/sanitize"
)

// CleanInput sanitizes what was typed or pasted into a text box, which
// draws it as it is: a bidi override or an escape would reach the
// terminal raw while typed.
func CleanInput(ti *textinput.Model) {
	if v := ti.Value(); sanitize.Line(v) != v {
		ti.SetValue(sanitize.Line(v))
	}
}

// CleanKey is CleanInput for a field whose text box is not the caller's
// to reach (a huh form's inputs): it sanitizes the runes typed or pasted
// before the field sees them, keeping newlines and tabs for multi-line
// fields.
func CleanKey(msg tea.KeyMsg) tea.KeyMsg {
	if msg.Type != tea.KeyRunes {
		return msg
	}
	if s := string(msg.Runes); sanitize.Text(s) != s {
		msg.Runes = []rune(sanitize.Text(s))
	}
	return msg
}
