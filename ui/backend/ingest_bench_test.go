package backend

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"testing"
	"time"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/store"
)

// jsonlEvents is n events as JSONL: two variants, 5 % converting.
func jsonlEvents(n int) []byte {
	var b bytes.Buffer
	ts := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	for i := range n {
		typ := "exposure"
		if i%20 == 19 {
			typ = "conversion"
		}
		fmt.Fprintf(&b, `{"ts":%q,"experiment":"spring-email","variant":%q,"unit":"u-%d","type":%q}`+"\n",
			ts.Add(time.Duration(i)*time.Millisecond).Format(time.RFC3339Nano), []string{"a", "b"}[i%2], i/2, typ)
	}
	return b.Bytes()
}

// BenchmarkIngestJSONL measures IngestStream (what `tandem ingest` runs) end to end from JSONL into a
// durable store (one fsync per batch of about 32k) beside the bare decode rates of
// the same bytes, with encoding/json and with the decoder ingest uses, so
// the ratio shows what storing costs.
func BenchmarkIngestJSONL(b *testing.B) {
	const n = 1_000_000
	data := jsonlEvents(n)
	perSecond := func(b *testing.B) {
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "events/s")
	}
	b.Run("decode-encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			dec := json.NewDecoder(bytes.NewReader(data))
			for {
				var ev core.Event
				if err := dec.Decode(&ev); err == io.EOF {
					break
				} else if err != nil {
					b.Fatal(err)
				}
			}
		}
		perSecond(b)
	})
	b.Run("decode-tandem", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			events := 0
			err := decodeJSONL(bytes.NewReader(data), func(batch *eventBatch) bool { events += len(batch.events); return true })
			if err != nil || events != n {
				b.Fatalf("decoded %d of %d: %v", events, n, err)
			}
		}
		perSecond(b)
	})
	b.Run("ingest", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			b.StopTimer()
			st, err := store.Open(filepath.Join(b.TempDir(), "ingest.db"), store.Options{})
			if err != nil {
				b.Fatal(err)
			}
			be := New(st)
			if _, err := be.AddExperiment(context.Background(), admin, springEmail); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			res, err := be.IngestStream(context.Background(), admin, bytes.NewReader(data), StreamOptions{})
			if err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			if res.Accepted != n {
				b.Fatalf("accepted %d of %d", res.Accepted, n)
			}
			st.Close()
			b.StartTimer()
		}
		perSecond(b)
	})
}
