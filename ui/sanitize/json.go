package sanitize

import (
	"io"
	"unicode/utf8"

	"github.com/tandem-ops/tandem/core"
)

// NewJSONWriter returns a Writer for encoded JSON (a document or JSONL)
// that escapes as \uXXXX every rune Text would remove and encoding/json
// leaves raw: DEL, the C1 controls U+0080–U+009F, bidi controls and
// invisible characters. Such runes can only occur inside strings, where an
// escape decodes to the same rune, so the JSON stays valid and decodes to
// what it held. A byte that is not UTF-8 becomes \ufffd, which is what a
// decoder reads it as anyway.
func NewJSONWriter(w io.Writer) *Writer {
	return &Writer{w: w, f: jsonEscaper{}}
}

// jsonEscaper is the filter of a JSON writer.
type jsonEscaper struct{}

// step implements filter. ASCII below DEL passes: the encoder escaped the
// controls among it already, and newlines outside strings are layout.
func (jsonEscaper) step(dst []byte, r rune, invalid bool) []byte {
	switch {
	case invalid:
		return append(dst, `\ufffd`...)
	case r < 0x7f || !unsafe(r):
		return utf8.AppendRune(dst, r)
	}
	return core.AppendSafeJSON(dst, utf8.AppendRune(nil, r))
}

// passes implements filter.
func (jsonEscaper) passes(p []byte) bool {
	for _, c := range p {
		if c >= 0x7f {
			return false
		}
	}
	return true
}
