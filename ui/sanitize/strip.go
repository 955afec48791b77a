package sanitize

import "unicode/utf8"

// state is where a stripper is in the grammar of terminal escape
// sequences (ECMA-48, as xterm reads it).
type state uint8

const (
	ground   state = iota // text
	escape                // after ESC
	escInter              // after ESC and intermediate bytes, before the final byte
	csi                   // in a control sequence (ESC [ or U+009B), before the final byte
	str                   // in a control string (OSC, DCS, SOS, PM, APC), before BEL or ST
)

// stripper removes escape sequences and unsafe runes from text fed to it
// rune by rune; it carries its state from one rune to the next, so a
// sequence split across two writes is removed whole.
//
// Whatever a stripper emits holds no ESC and no control character other
// than newline and tab, so a terminal cannot be inside a sequence because
// of it. Where an unfinished sequence ends is therefore only a matter of
// how much text survives: a control string ends at a newline too, so that
// one unterminated OSC cannot swallow the rest of a command's output.
type stripper struct {
	st state
	// keepLines keeps newlines and tabs; without it they become spaces.
	keepLines bool
}

// step appends what r leaves in the output to dst. invalid marks a byte
// that is not UTF-8, which is dropped.
func (s *stripper) step(dst []byte, r rune, invalid bool) []byte {
	switch s.st {
	case escape:
		s.st = ground
		switch {
		case r == '[':
			s.st = csi
			return dst
		case r == ']', r == 'P', r == 'X', r == '^', r == '_':
			s.st = str
			return dst
		case r >= 0x20 && r <= 0x2f:
			s.st = escInter
			return dst
		case r >= 0x30 && r <= 0x7e: // a two-byte sequence, ST (ESC \) among them
			return dst
		}
	case escInter:
		if r >= 0x20 && r <= 0x2f {
			return dst
		}
		s.st = ground
		if r >= 0x30 && r <= 0x7e {
			return dst
		}
	case csi:
		if r >= 0x20 && r <= 0x3f {
			return dst
		}
		s.st = ground
		if r >= 0x40 && r <= 0x7e {
			return dst
		}
	case str:
		switch r {
		case 0x07, 0x9c: // BEL, 8-bit ST
			s.st = ground
			return dst
		case 0x1b: // ST is ESC \; any other ESC starts a new sequence
			s.st = escape
			return dst
		case '\n':
			s.st = ground
		default:
			return dst
		}
	}
	// A rune that ends no sequence is read as text.
	switch {
	case invalid:
	case r == 0x1b:
		s.st = escape
	case r == 0x9b: // 8-bit CSI
		s.st = csi
	case r == 0x90, r == 0x98, r == 0x9d, r == 0x9e, r == 0x9f: // 8-bit DCS, SOS, OSC, PM, APC
		s.st = str
	case r == '\n', r == '\t', r == '\u2028', r == '\u2029':
		switch {
		case !s.keepLines:
			dst = append(dst, ' ')
		case r == '\t':
			dst = append(dst, '\t')
		default:
			dst = append(dst, '\n')
		}
	case unsafe(r):
	default:
		dst = utf8.AppendRune(dst, r)
	}
	return dst
}

// passes reports whether p would come out of the stripper unchanged: it is
// in ground state and p is printable ASCII, newlines and tabs.
func (s *stripper) passes(p []byte) bool {
	if s.st != ground {
		return false
	}
	for _, c := range p {
		if (c < 0x20 || c >= 0x7f) && !(s.keepLines && (c == '\n' || c == '\t')) {
			return false
		}
	}
	return true
}
