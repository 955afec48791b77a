package core

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// Ensure that each way a person's JSON can fail to decode is said by its
// key path and the kind of value it must hold, without Go's type or field
// names: what `guideline set`, template bodies and import lines report.
func TestJSONProblem(t *testing.T) {
	type rule struct {
		Max   int     `json:"max"`
		Count uint64  `json:"count"`
		Ratio float64 `json:"ratio"`
	}
	type record struct {
		Voice string          `json:"voice"`
		On    bool            `json:"on"`
		Rules []rule          `json:"rules"`
		ByKey map[string]rule `json:"by_key"`
		At    time.Time       `json:"at"`
		Raw   []byte          `json:"raw"`
	}
	tests := []struct{ in, want string }{
		{``, "the input is empty"},
		{`{"voice":`, "the JSON stops before its end (cut short?)"},
		{`{"voice" "x"}`, "not valid JSON (at byte 10)"},
		{`["x"]`, "must be an object"},
		{`{"voice":5}`, "voice must be a string"},
		{`{"on":"yes"}`, "on must be true or false"},
		{`{"rules":{}}`, "rules must be a list"},
		{`{"rules":[{"max":"3"}]}`, "rules.max must be a whole number"},
		{`{"rules":[{"count":-1}]}`, "rules.count must be a whole number of 0 or more"},
		{`{"by_key":{"a":{"ratio":1e999}}}`, "by_key.ratio must be a number, in range"},
		{`{"by_key":[]}`, "by_key must be an object"},
		{`{"raw":5}`, "raw must be a base64 string"},
		{`{"at":"yesterday"}`, "a time must be an RFC 3339 string, such as 2026-11-01T10:00:00Z"},
		{`{"at":5}`, "a time must be an RFC 3339 string, such as 2026-11-01T10:00:00Z"},
		{`{"voise":"warm"}`, `unknown key "voise"`},
		{`{"rules":[{"mx":1}]}`, `unknown key "mx"`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			dec := json.NewDecoder(strings.NewReader(tt.in))
			dec.DisallowUnknownFields()
			var r record
			err := dec.Decode(&r)
			if err == nil {
				t.Fatal("decoded")
			}
			got := JSONProblem(err)
			if got != tt.want {
				t.Errorf("JSONProblem = %q, want %q (from %v)", got, tt.want, err)
			}
			for _, internal := range []string{"json:", "Go ", "struct", "record", "Unmarshal", "int64", "float64"} {
				if strings.Contains(got, internal) {
					t.Errorf("%q names %q", got, internal)
				}
			}
		})
	}
}
