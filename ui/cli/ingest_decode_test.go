package cli

import (
	"slices"
	"strings"
	"testing"
	"testing/iotest"
)

// decodeAll decodes input and returns the line of each event, the rejected
// lines and the non-blank line count.
func decodeAll(t *testing.T, input string) (events []int, rejects []lineReject, lines int) {
	t.Helper()
	// HalfReader makes every read short, as a pipe does.
	r := iotest.HalfReader(strings.NewReader(input))
	err := decodeJSONL(r, func(b *eventBatch) bool {
		events = append(events, b.lines...)
		rejects = append(rejects, b.rejects...)
		lines += b.lineCount
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	return events, rejects, lines
}

const oneEvent = `{"ts":"2026-11-01T10:00:00Z","experiment":"x","variant":"a","unit":"u","type":"exposure"}`

// Ensure that lines are numbered as an editor numbers them, whatever the
// line endings, blank lines, a missing final newline or chunk boundaries.
func TestDecodeJSONL_Lines(t *testing.T) {
	input := oneEvent + "\r\n\n" + oneEvent + "\n   \n" + "{oops\n" + oneEvent
	events, rejects, lines := decodeAll(t, input)
	if want := []int{1, 3, 6}; !slices.Equal(events, want) {
		t.Errorf("events on lines %v, want %v", events, want)
	}
	if len(rejects) != 1 || rejects[0].line != 5 || lines != 4 {
		t.Errorf("rejects %+v, %d lines", rejects, lines)
	}

	// Many chunks: every event is found and numbered.
	n := 2*chunkSize/len(oneEvent) + 7
	events, rejects, _ = decodeAll(t, strings.Repeat(oneEvent+"\n", n))
	if len(events) != n || len(rejects) != 0 || events[n-1] != n {
		t.Errorf("%d events (last on line %d), %d rejects; want %d", len(events), events[len(events)-1], len(rejects), n)
	}
}

// Ensure that a line too long to keep is rejected by its number and the
// lines after it still decode, whether it fits one chunk or not.
func TestDecodeJSONL_LongLines(t *testing.T) {
	for _, size := range []int{maxEventLine + 1, chunkSize + 10, 2*chunkSize + 3} {
		input := oneEvent + "\n" + strings.Repeat("x", size) + "\n" + oneEvent + "\n"
		events, rejects, lines := decodeAll(t, input)
		if !slices.Equal(events, []int{1, 3}) || len(rejects) != 1 || rejects[0].line != 2 || lines != 3 {
			t.Errorf("line of %d bytes: events %v, rejects %+v, %d lines", size, events, rejects, lines)
		}
		if len(rejects) == 1 && !strings.Contains(rejects[0].reason, "longer than") {
			t.Errorf("line of %d bytes: reason %q", size, rejects[0].reason)
		}
	}
}
