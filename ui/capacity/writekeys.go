package capacity

import (
	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/common"
)

// WriteKeys implements common.Writer.
func (m *Model) WriteKeys() []common.WriteKey {
	return []common.WriteKey{
		{Binding: &m.keys.Assign, Action: core.ActionEditBrief},
		{Binding: &m.keys.Later, Action: core.ActionEditBrief},
		{Binding: &m.keys.Earlier, Action: core.ActionEditBrief},
		{Binding: &m.keys.WhatIf, Action: core.ActionEditBrief},
	}
}
