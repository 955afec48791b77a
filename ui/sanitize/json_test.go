package sanitize

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/tandem-ops/tandem/ui/sanitize/sanitizetest"
)

func newJSONWriter(b *bytes.Buffer) *Writer { return NewJSONWriter(b) }

// checkJSON fails t unless JSON-writing the encoding of s, cut at byte i,
// is printable and decodes to what the encoding decodes to.
func checkJSON(t *testing.T, s string, i int) {
	t.Helper()
	enc, err := json.Marshal(map[string]string{"k\u202e": s})
	if err != nil {
		t.Fatal(err)
	}
	got := writeSplit(t, newJSONWriter, string(enc), i%(len(enc)+1))
	if why := sanitizetest.Check(got, true); why != "" {
		t.Fatalf("JSON of %q: %s", s, why)
	}
	var before, after map[string]string
	if err := json.Unmarshal(enc, &before); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(got), &after); err != nil {
		t.Fatalf("escaped JSON does not decode: %v\n%s", err, got)
	}
	if len(after) != 1 || after["k\u202e"] != before["k\u202e"] {
		t.Fatalf("escaped JSON decodes to %q, want %q", after, before)
	}
}

func TestJSONWriter(t *testing.T) {
	tests := []struct{ in, want string }{
		{`"a` + "\x7f\u0085\u009b" + `b"`, `"a\u007f\u0085\u009bb"`},
		{`"` + "\u202e\u2066\u200b\ufeff\u00ad" + `"`, `"\u202e\u2066\u200b\ufeff\u00ad"`},
		{`"` + "\U000E0041" + `"`, `"\udb40\udc41"`},
		{`"` + "\xff" + `"`, `"\ufffd"`},
		{"{\n  \"k\": \"café 👍\"\n}\n", "{\n  \"k\": \"café 👍\"\n}\n"},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		w := NewJSONWriter(&buf)
		w.Write([]byte(tt.in))
		w.Flush()
		if buf.String() != tt.want {
			t.Errorf("JSON of %q = %q, want %q", tt.in, buf.String(), tt.want)
		}
	}
	for _, s := range sanitizetest.Corpus() {
		for _, i := range cuts(s + "{\"k\u202e\":\"\"}") {
			checkJSON(t, s, i)
		}
	}
	checkJSON(t, strings.Repeat("\u2067", 3), 5)
}

func FuzzJSONWriter(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s, uint(len(s)/2))
	}
	f.Fuzz(func(t *testing.T, s string, cut uint) {
		checkJSON(t, s, int(cut%uint(len(s)+16)))
	})
}
