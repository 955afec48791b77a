package sanitize

import (
	"io"
	"unicode/utf16"
	"unicode/utf8"
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
	case r > 0xffff:
		hi, lo := utf16.EncodeRune(r)
		return appendEscape(appendEscape(dst, hi), lo)
	}
	return appendEscape(dst, r)
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

// appendEscape appends the JSON escape \uXXXX of the UTF-16 unit u.
func appendEscape(dst []byte, u rune) []byte {
	const hex = "0123456789abcdef"
	return append(dst, '\\', 'u', hex[u>>12&0xf], hex[u>>8&0xf], hex[u>>4&0xf], hex[u&0xf])
}
