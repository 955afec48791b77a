package board

import (
	"strings"
	"testing"
	"time"

	"github.com/tandem-ops/tandem/ui/common"
)

// Ensure that the board's flash message shows, then goes once it is
// common.NoticeLife old instead of going stale.
func TestBoard_NoticeExpires(t *testing.T) {
	h := newHarness(t, true, admin)
	h.board.setNotice(false, "moved #%d to review", 12)
	if !strings.Contains(h.board.View(), "moved #12 to review") || !h.board.Noticing() {
		t.Fatalf("no notice:\n%s", h.board.View())
	}
	now := h.board.common.Now()
	h.board.common.Now = func() time.Time { return now.Add(common.NoticeLife) }
	if strings.Contains(h.board.View(), "moved #12") || h.board.Noticing() {
		t.Fatalf("the notice outlived %s:\n%s", common.NoticeLife, h.board.View())
	}
}
