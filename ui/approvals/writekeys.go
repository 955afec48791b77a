package approvals

import (
	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/common"
)

// WriteKeys implements common.Writer.
func (m *Model) WriteKeys() []common.WriteKey {
	return []common.WriteKey{
		{Binding: &m.keys.Approve, Action: core.ActionDecide},
		{Binding: &m.keys.Request, Action: core.ActionDecide},
		{Binding: &m.keys.Reject, Action: core.ActionDecide},
		{Binding: &m.keys.Comment, Action: core.ActionComment},
	}
}
