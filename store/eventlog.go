package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/tandem-ops/tandem/core"
)

// The event log keeps every accepted event in blocks, one bbolt value per
// ingest batch under the bucket's next sequence number, so a batch of any
// size costs one put. A block is
//
//	byte    version (2; 1 is the same without attributes)
//	uvarint name count, then each name as uvarint length and bytes
//	uvarint event count, then each event:
//	  byte    type (0 exposure, 1 conversion, 2 revenue) | 4 if it has an id | 8 if it has a value | 16 if it has attributes
//	  varint  nanoseconds since the block's previous event (the first: since the epoch)
//	  uvarint experiment name index, uvarint variant name index
//	  uvarint unit length, unit bytes
//	  [uvarint id length, id bytes]
//	  [8 bytes little-endian float64 value]
//	  [uvarint attribute count, then each as key and value name indexes, keys in order]
const blockVersion = 2

const (
	blockHasID    = 4
	blockHasValue = 8
	blockHasAttrs = 16
	blockTypeMask = 3
)

// blockTypes are the event types by their code in a block.
var blockTypes = [...]core.EventType{core.EventExposure, core.EventConversion, core.EventRevenue}

var errBlockCorrupt = errors.New("event block is corrupt")

// blockWriter encodes one block.
type blockWriter struct {
	names  map[string]uint64
	order  []string
	body   []byte
	n      uint64
	lastTS int64
}

func newBlockWriter() *blockWriter { return &blockWriter{names: map[string]uint64{}} }

func (w *blockWriter) name(s string) uint64 {
	i, ok := w.names[s]
	if !ok {
		i = uint64(len(w.order))
		w.names[s] = i
		w.order = append(w.order, s)
	}
	return i
}

// add appends an event; its type must be valid.
func (w *blockWriter) add(ev core.Event) {
	w.addNamed(ev, w.name(ev.Experiment), w.name(ev.Variant))
}

// addNamed appends an event whose experiment and variant names have the
// indexes name gave them, saving two lookups per event.
func (w *blockWriter) addNamed(ev core.Event, experiment, variant uint64) {
	var head byte
	for code, t := range blockTypes {
		if ev.Type == t {
			head = byte(code)
		}
	}
	if ev.ID != "" {
		head |= blockHasID
	}
	if ev.Value != 0 {
		head |= blockHasValue
	}
	if len(ev.Attrs) > 0 {
		head |= blockHasAttrs
	}
	ts := ev.TS.UnixNano()
	w.body = append(w.body, head)
	w.body = binary.AppendVarint(w.body, ts-w.lastTS)
	w.lastTS = ts
	w.body = binary.AppendUvarint(w.body, experiment)
	w.body = binary.AppendUvarint(w.body, variant)
	w.body = appendString(w.body, ev.Unit)
	if ev.ID != "" {
		w.body = appendString(w.body, ev.ID)
	}
	if ev.Value != 0 {
		w.body = binary.LittleEndian.AppendUint64(w.body, math.Float64bits(ev.Value))
	}
	if len(ev.Attrs) > 0 {
		w.body = binary.AppendUvarint(w.body, uint64(len(ev.Attrs)))
		for _, k := range core.AttrKeys(ev.Attrs) {
			w.body = binary.AppendUvarint(w.body, w.name(k))
			w.body = binary.AppendUvarint(w.body, w.name(ev.Attrs[k]))
		}
	}
	w.n++
}

// bytes returns the encoded block.
func (w *blockWriter) bytes() []byte {
	out := make([]byte, 0, 16+len(w.body)+8*len(w.order))
	out = append(out, blockVersion)
	out = binary.AppendUvarint(out, uint64(len(w.order)))
	for _, s := range w.order {
		out = appendString(out, s)
	}
	out = binary.AppendUvarint(out, w.n)
	return append(out, w.body...)
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// blockReader decodes a block.
type blockReader struct {
	b   []byte
	err error
}

// eachEvent calls fn with every event of the block, in order. Strings are
// copies, so fn may keep them after the transaction.
func eachEvent(block []byte, fn func(core.Event) error) error {
	r := &blockReader{b: block}
	if len(r.b) == 0 || r.b[0] != blockVersion && r.b[0] != 1 {
		return fmt.Errorf("%w: unknown version", errBlockCorrupt)
	}
	r.b = r.b[1:]
	names := make([]string, r.count())
	for i := range names {
		names[i] = r.string()
	}
	n := r.count()
	var ts int64
	for range n {
		head := r.byte()
		ts += r.varint()
		ev := core.Event{TS: time.Unix(0, ts).UTC()}
		ev.Experiment, ev.Variant = r.name(names), r.name(names)
		ev.Unit = r.string()
		if head&blockHasID != 0 {
			ev.ID = r.string()
		}
		if head&blockHasValue != 0 {
			ev.Value = math.Float64frombits(r.uint64())
		}
		if head&blockHasAttrs != 0 {
			n := r.count()
			ev.Attrs = make(map[string]string, n)
			for range n {
				k := r.name(names)
				ev.Attrs[k] = r.name(names)
			}
		}
		if t := head & blockTypeMask; int(t) < len(blockTypes) {
			ev.Type = blockTypes[t]
		} else {
			r.fail("unknown event type")
		}
		if r.err != nil {
			return r.err
		}
		if err := fn(ev); err != nil {
			return err
		}
	}
	if r.err == nil && len(r.b) != 0 {
		r.fail("trailing bytes")
	}
	return r.err
}

func (r *blockReader) fail(what string) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: %s", errBlockCorrupt, what)
	}
	r.b = nil
}

func (r *blockReader) byte() byte {
	if len(r.b) < 1 {
		r.fail("truncated")
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *blockReader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail("bad number")
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *blockReader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.fail("bad number")
		return 0
	}
	r.b = r.b[n:]
	return v
}

// count reads a length that must fit in what is left of the block.
func (r *blockReader) count() uint64 {
	v := r.uvarint()
	if v > uint64(len(r.b)) {
		r.fail("count past the end")
		return 0
	}
	return v
}

func (r *blockReader) string() string {
	n := r.count()
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

func (r *blockReader) name(names []string) string {
	i := r.uvarint()
	if i >= uint64(len(names)) {
		r.fail("name index out of range")
		return ""
	}
	return names[i]
}

func (r *blockReader) uint64() uint64 {
	if len(r.b) < 8 {
		r.fail("truncated")
		return 0
	}
	v := binary.LittleEndian.Uint64(r.b)
	r.b = r.b[8:]
	return v
}
