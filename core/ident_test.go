package core

import (
	"strings"
	"testing"
	"time"
)

// Ensure that the identifier rules accept what producers send and refuse
// what could change meaning when written to a terminal or a file.
func TestIDProblem(t *testing.T) {
	tests := []struct {
		name, id, problem string
	}{
		{"plain", "u-123", ""},
		{"uuid", "0b6e5c2e-8a4f-4d0e-9c4b-1f2a3b4c5d6e", ""},
		{"email", "ana@example.com", ""},
		{"unicode letters", "café-日本", ""},
		{"longest", strings.Repeat("a", MaxIDLen), ""},
		{"empty", "", "is empty"},
		{"too long", strings.Repeat("a", MaxIDLen+1), "at most 128"},
		{"newline key", "\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG\n", "control character (U+000A) at byte 0"},
		{"escape", "u\x1b[2J", "control character (U+001B)"},
		{"DEL", "u\x7f", "control character (U+007F)"},
		{"C1", "u\u0085", "control character (U+0085)"},
		{"NUL", "u\x00v", "control character (U+0000)"},
		{"bidi override", "u\u202egpj.exe", "formatting character (U+202E"},
		{"bidi isolate", "u\u2066", "formatting character (U+2066"},
		{"zero width space", "u\u200bv", "formatting character (U+200B"},
		{"zero width joiner", "u\u200dv", "formatting character (U+200D"},
		{"byte order mark", "\ufeffu", "formatting character (U+FEFF"},
		{"space", "u 1", "whitespace (U+0020)"},
		{"tab", "u\t1", "control character (U+0009)"},
		{"no-break space", "u\u00a01", "whitespace (U+00A0)"},
		{"line separator", "u\u2028", "whitespace (U+2028)"},
		{"invalid UTF-8", "u\xff", "not valid UTF-8 at byte 1"},
		{"private use", "u\ue000", "unprintable character (U+E000)"},
		{"replacement char", "u\ufffd", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := IDProblem(tt.id)
			if (tt.problem == "") != (got == "") || !strings.Contains(got, tt.problem) {
				t.Fatalf("IDProblem(%q) = %q, want %q", tt.id, got, tt.problem)
			}
		})
	}
}

func TestNameProblem(t *testing.T) {
	tests := []struct {
		name, value, problem string
	}{
		{"name", "Ana Ruiz", ""},
		{"accents", "José Ñúñez-O'Brien", ""},
		{"combining mark", "e\u0301cole", ""},
		{"term", "paid social", ""},
		{"punctuation", "Q4 (EMEA) / 50% off!", ""},
		{"emoji", "launch 🚀", ""},
		{"longest", strings.Repeat("é", 40), ""},
		{"too long", strings.Repeat("a", 81), "at most 80"},
		{"empty", "", "is empty"},
		{"leading space", " ana", "starts or ends with a space"},
		{"trailing space", "ana ", "starts or ends with a space"},
		{"tab", "a\tb", "control character"},
		{"newline", "ana\nssh-ed25519 AAAA", "control character (U+000A)"},
		{"escape", "ana\x1b]0;pwned\x07", "control character (U+001B)"},
		{"bidi", "ana\u202e", "formatting character"},
		{"zero width", "a\u200bna", "formatting character"},
		{"ideographic space", "a\u3000b", "whitespace (U+3000)"},
		{"invalid UTF-8", "an\xc3", "not valid UTF-8 at byte 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := NameProblem(tt.value, MaxNameLen)
			if (tt.problem == "") != (got == "") || !strings.Contains(got, tt.problem) {
				t.Fatalf("NameProblem(%q) = %q, want %q", tt.value, got, tt.problem)
			}
		})
	}
}

func TestKeyLineProblem(t *testing.T) {
	key := "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEXAMPLEKEYEXAMPLEKEYEXAMPLEKEYEXAMPLEKEYE ana@laptop"
	tests := []struct {
		name, key, problem string
	}{
		{"key", key, ""},
		{"empty", "", "is empty"},
		{"second line", key + "\n" + key, "line break"},
		{"carriage return", key + "\r", "line break"},
		{"non-ASCII", key + "é", "non-ASCII"},
		{"too long", strings.Repeat("A", MaxKeyLineLen+1), "at most 8192"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := KeyLineProblem(tt.key)
			if (tt.problem == "") != (got == "") || !strings.Contains(got, tt.problem) {
				t.Fatalf("KeyLineProblem = %q, want %q", got, tt.problem)
			}
		})
	}
}

// Ensure that every validator applies the rules to its identifiers, so
// ingest, import, the CLI and SSH refuse the same values, naming the field.
func TestValidators_Identifiers(t *testing.T) {
	bad := "x\n\u202e"
	ts := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		err   error
		field string
	}{
		{"event id", Event{ID: bad, TS: ts, Experiment: "e", Variant: "a", Unit: "u", Type: EventExposure}.Validate(), "id"},
		{"event unit", Event{TS: ts, Experiment: "e", Variant: "a", Unit: bad, Type: EventExposure}.Validate(), "unit"},
		{"brief channel", Brief{Title: "t", Channel: bad}.Validate(), "channel"},
		{"brief owner", Brief{Title: "t", Owner: bad}.Validate(), "owner"},
		{"brief tag", Brief{Title: "t", Tags: []string{bad}}.Validate(), "tags[0]"},
		{"person name", Person{Name: bad, Lane: LaneInHouse}.Validate(), "name"},
		{"person skill", Person{Name: "Ana", Lane: LaneInHouse, Skills: []string{bad}}.Validate(), "skills[0]"},
		{"user name", User{Name: bad, Role: RoleViewer, Keys: []string{"ssh-ed25519 AAAA"}}.Validate(), "name"},
		{"user key", User{Name: "ana", Role: RoleViewer, Keys: []string{"ssh-ed25519 AAAA\nssh-ed25519 BBBB"}}.Validate(), "keys[0]"},
		{"taxonomy term", Taxonomy{Channels: []string{bad}}.Validate(), "channels"},
		{"experiment audience", Experiment{Key: "e", Audience: bad, Variants: []Variant{{Key: "a", Weight: 1, Control: true}, {Key: "b", Weight: 1}}}.Validate(), "audience"},
		{"approver", ApprovalFlow{Name: "f", Stages: []ApprovalStage{{Name: "legal", Mode: ModeSequential, Rule: RuleAll, Approvers: []string{bad}, SLAHours: 1}}}.Validate(), "stages[0].approvers[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if Field(tt.err) != tt.field {
				t.Fatalf("err = %v, want a problem with %s", tt.err, tt.field)
			}
			if strings.Contains(tt.err.Error(), "\n") || strings.Contains(tt.err.Error(), "\u202e") {
				t.Fatalf("the error quotes the bad value: %q", tt.err)
			}
		})
	}
}
