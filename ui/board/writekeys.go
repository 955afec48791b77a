package board

import (
	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/common"
)

// WriteKeys implements common.Writer.
func (m *Model) WriteKeys() []common.WriteKey {
	return []common.WriteKey{
		{Binding: &m.keys.New, Action: core.ActionEditBrief},
		{Binding: &m.keys.Edit, Action: core.ActionEditBrief},
		{Binding: &m.keys.MoveNext, Action: core.ActionMoveBrief},
		{Binding: &m.keys.MoveRight, Action: core.ActionMoveBrief},
		{Binding: &m.keys.MoveLeft, Action: core.ActionMoveBrief},
		{Binding: &m.keys.Undo, Action: core.ActionMoveBrief},
	}
}
