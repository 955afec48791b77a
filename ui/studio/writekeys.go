package studio

import (
	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/common"
)

// WriteKeys implements common.Writer.
func (m *Model) WriteKeys() []common.WriteKey {
	return []common.WriteKey{
		{Binding: &m.keys.Generate, Action: core.ActionGenerate},
		{Binding: &m.keys.GenerateSlots, Action: core.ActionGenerate},
		{Binding: &m.keys.Submit, Action: core.ActionEditBrief},
	}
}
