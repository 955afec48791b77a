package retro

import (
	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/common"
)

// WriteKeys implements common.Writer.
func (m *Model) WriteKeys() []common.WriteKey {
	return []common.WriteKey{
		{Binding: &m.keys.Note, Action: core.ActionNote},
		{Binding: &m.keys.Action, Action: core.ActionEditBrief},
	}
}
