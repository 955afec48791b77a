package backend

import (
	"context"
	"errors"
	"io"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/tandem-ops/tandem/core"
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

// Ensure that events arriving on a pipe are stored while it stays open,
// within about maxBatchDelay, not only when it closes: JSONL and CSV.
func TestIngest_LiveStream(t *testing.T) {
	tests := []struct {
		format         string
		first, another string
	}{
		{FormatJSONL, `{"ts":"2026-11-01T10:00:00Z","experiment":"spring-email","variant":"a","unit":"u-1","type":"exposure"}
{"ts":"2026-11-01T10:00:01Z","experiment":"spring-email","variant":"b","unit":"u-2","type":"exposure"}
`,
			`{"ts":"2026-11-01T11:00:00Z","experiment":"spring-email","variant":"a","unit":"u-9","type":"exposure"}` + "\n"},
		{FormatCSV, "ts,experiment,variant,unit,type\n2026-11-01T10:00:00Z,spring-email,a,u-1,exposure\n2026-11-01T10:00:01Z,spring-email,b,u-2,exposure\n",
			"2026-11-01T11:00:00Z,spring-email,a,u-9,exposure\n"},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			be, _ := openBackend(t)
			if _, err := be.AddExperiment(context.Background(), admin, springEmail); err != nil {
				t.Fatal(err)
			}
			pr, pw := io.Pipe()
			done := make(chan error, 1)
			var res StreamResult
			go func() {
				var err error
				res, err = be.IngestStream(context.Background(), admin, pr, StreamOptions{Format: tt.format})
				done <- err
			}()
			exposed := func() uint64 {
				totals, _ := be.Totals(context.Background(), "spring-email")
				return totals["a"].Exposures + totals["b"].Exposures
			}
			io.WriteString(pw, tt.first)
			deadline := time.Now().Add(5 * time.Second)
			for exposed() < 2 {
				if time.Now().After(deadline) {
					t.Fatal("events written to an open pipe were not stored within 5 s")
				}
				time.Sleep(20 * time.Millisecond)
			}
			io.WriteString(pw, tt.another)
			pw.Close()
			if err := <-done; err != nil || exposed() != 3 || res.Lines != 3 || res.Accepted != 3 {
				t.Fatalf("IngestStream: %v; %d exposed, result %+v", err, exposed(), res)
			}
		})
	}
}

// Ensure that a CSV line past the limit stops the ingest with a bounded
// read, rather than buffering the line whatever its size.
func TestDecodeCSV_LongLine(t *testing.T) {
	long := io.MultiReader(strings.NewReader("ts,experiment,variant,unit,type\n2026-11-10T00:00:00Z,e1,a,\""),
		io.LimitReader(repeatReader('A'), 3*maxEventLine))
	err := decodeCSV(long, func(*eventBatch) bool { return true })
	if !errors.Is(err, errCSVLineTooLong) {
		t.Fatalf("decodeCSV = %v", err)
	}
}

// repeatReader is an endless stream of one byte.
type repeatReader byte

func (r repeatReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

// springEmail is the experiment the ingest tests' events name.
var springEmail = core.Experiment{Key: "spring-email", Variants: []core.Variant{{Key: "a", Weight: 1, Control: true}, {Key: "b", Weight: 1}}}

// Ensure that IngestStream reports refused lines in input order, whether
// the decoder or the store refused them, counts every line, and refuses
// a reader who may not ingest before reading anything.
func TestIngestStream_Rejects(t *testing.T) {
	be, _ := openBackend(t)
	ctx := context.Background()
	if _, err := be.AddExperiment(ctx, admin, springEmail); err != nil {
		t.Fatal(err)
	}
	input := oneEventOf("a", "u-1") + "\n{oops\n" + oneEventOf("nope", "u-2") + "\n\n" + oneEventOf("b", "u-3") + "\n"
	var lines []int
	res, err := be.IngestStream(ctx, admin, strings.NewReader(input), StreamOptions{Reject: func(line int, _ string) { lines = append(lines, line) }})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(lines, []int{2, 3}) || !reflect.DeepEqual(res, StreamResult{Lines: 4, Accepted: 2, Rejected: 2}) {
		t.Fatalf("rejected lines %v, result %+v", lines, res)
	}
	viewer := core.Identity{Name: "vi", Role: core.RoleViewer}
	if _, err := be.IngestStream(ctx, viewer, strings.NewReader(input), StreamOptions{}); !errors.As(err, new(*core.PermissionError)) {
		t.Fatalf("a viewer's ingest: %v", err)
	}
	if _, err := be.IngestStream(ctx, admin, strings.NewReader(input), StreamOptions{Format: "xml"}); err == nil {
		t.Fatal("an unknown format was read")
	}
}

func oneEventOf(variant, unit string) string {
	return `{"ts":"2026-11-01T10:00:00Z","experiment":"spring-email","variant":"` + variant + `","unit":"` + unit + `","type":"exposure"}`
}
