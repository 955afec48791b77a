package common

import (
	"github.com/charmbracelet/bubbles/textinput"

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
