package cockpit

import (
	"fmt"
	"strings"

	"github.com/tandem-ops/tandem/ui/common"
)

// tooSmall is what a terminal smaller than minWidth x minHeight shows: the
// sentence when it fits wrapped, else its gist ("20x5: needs 40x10"),
// wrapped too, so that the message reads whole down to 10x3. Smaller
// still, it shows as much of the gist as fits in w x h.
func tooSmall(w, h int) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	size, need := fmt.Sprintf("%dx%d", w, h), fmt.Sprintf("%dx%d", minWidth, minHeight)
	sentence := fmt.Sprintf("The terminal is %s; tandem needs at least %s. Make the window larger.", size, need)
	gist := fmt.Sprintf("%s: needs %s", size, need)
	for _, say := range []string{sentence, gist} {
		// One line more than fits tells a message that fits from one cut.
		if lines := common.Wrap(say, w, h+1); len(lines) <= h {
			return strings.Join(lines, "\n")
		}
	}
	return common.Clip(strings.Join(common.Wrap(gist, w, h), "\n"), w, h)
}
