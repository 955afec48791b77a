package core

import (
	"fmt"
	"strings"
	"time"
)

// ComponentState is where a copy component stands: a draft until an
// approver approves it once, for reuse in any test; retired when it
// should no longer be used.
type ComponentState string

// The component states.
const (
	ComponentDraft    ComponentState = "draft"
	ComponentApproved ComponentState = "approved"
	ComponentRetired  ComponentState = "retired"
)

// Component is one reusable piece of copy for a slot (headline, body, CTA
// or a slot a template defines), which factorial tests combine.
type Component struct {
	ID   uint64 `json:"id"`
	Slot string `json:"slot"`
	Text string `json:"text"`
	// Terms are taxonomy terms (channel, audience, tags) it was made for.
	Terms []string   `json:"terms,omitempty"`
	Lint  LintResult `json:"lint"`
	// Generated is the generated variant it came from (its provenance);
	// 0 when a person wrote it.
	Generated uint64         `json:"generated,omitempty"`
	Author    string         `json:"author"`
	State     ComponentState `json:"state"`
	// Approver is who approved it.
	Approver string    `json:"approver,omitempty"`
	Created  time.Time `json:"created"`
}

// Validate returns an error naming every invalid field of c.
func (c Component) Validate() error {
	f := &fieldErrors{record: "component"}
	f.name("slot", c.Slot, maxName, true)
	f.name("text", c.Text, maxText, true)
	for i, t := range c.Terms {
		f.name(fmt.Sprintf("terms[%d]", i), t, maxName, true)
	}
	switch c.State {
	case ComponentDraft, ComponentApproved, ComponentRetired:
	default:
		f.add("state", "is %q; use draft, approved or retired", c.State)
	}
	return f.err()
}

// Assemble joins components into whole copy, in the order given (the
// design's slot order), one per line as variants hold copy.
func Assemble(parts []Component) string {
	texts := make([]string, len(parts))
	for i, p := range parts {
		texts[i] = strings.TrimSpace(p.Text)
	}
	return strings.Join(texts, "\n")
}
