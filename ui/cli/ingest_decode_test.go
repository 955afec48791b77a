package cli

import (
	"context"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
	"time"
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
		decode         func(io.Reader, func(*eventBatch) bool) error
		first, another string
	}{
		{"jsonl", decodeJSONL, goodLines,
			`{"ts":"2026-11-01T11:00:00Z","experiment":"spring-email","variant":"a","unit":"u-9","type":"exposure"}` + "\n"},
		{"csv", decodeCSV, "ts,experiment,variant,unit,type\n2026-11-01T10:00:00Z,spring-email,a,u-1,exposure\n2026-11-01T10:00:01Z,spring-email,b,u-2,exposure\n",
			"2026-11-01T11:00:00Z,spring-email,a,u-9,exposure\n"},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			be := mustOpenBackend(t)
			if code, _, errOut := run(t, be, admin, "experiment", "add", "spring-email", "--variants", "a,b"); code != 0 {
				t.Fatalf("experiment add: %s", errOut)
			}
			pr, pw := io.Pipe()
			done := make(chan error, 1)
			ing := &ingester{ctx: context.Background(), env: &Env{Identity: admin, Out: io.Discard, Err: io.Discard, Backend: be}}
			go func() { done <- ing.run(func(emit func(*eventBatch) bool) error { return tt.decode(pr, emit) }) }()
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
			if err := <-done; err != nil || exposed() != 3 {
				t.Fatalf("run: %v; %d exposed, summary %+v", err, exposed(), ing.summary)
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
