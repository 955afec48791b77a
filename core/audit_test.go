package core

import (
	"errors"
	"testing"
	"time"
)

func chain(n int) []AuditEntry {
	entries := make([]AuditEntry, n)
	prev := ""
	for i := range entries {
		entries[i] = AuditEntry{Seq: uint64(i + 1), Time: time.Date(2026, 11, 1, 9, i, 0, 0, time.UTC), Actor: "ana", Action: "brief.add", Subject: "brief/1", After: Digest([]byte{byte(i)})}
		entries[i].Seal(prev)
		prev = entries[i].Hash
	}
	return entries
}

func TestVerifyChain(t *testing.T) {
	tests := []struct {
		name    string
		tamper  func([]AuditEntry) []AuditEntry
		brokeAt int // -1 when intact
	}{
		{"intact", func(e []AuditEntry) []AuditEntry { return e }, -1},
		{"edited", func(e []AuditEntry) []AuditEntry { e[2].Actor = "mallory"; return e }, 2},
		{"deleted", func(e []AuditEntry) []AuditEntry { return append(e[:1], e[2:]...) }, 1},
		{"reordered", func(e []AuditEntry) []AuditEntry { e[1], e[2] = e[2], e[1]; return e }, 1},
		{"resealed after edit", func(e []AuditEntry) []AuditEntry {
			e[1].Actor = "mallory"
			e[1].Seal(e[0].Hash)
			return e
		}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := VerifyChain(tt.tamper(chain(4)))
			var ce *ChainError
			switch {
			case tt.brokeAt < 0 && err != nil:
				t.Fatalf("intact chain: %v", err)
			case tt.brokeAt >= 0 && !errors.As(err, &ce):
				t.Fatalf("tampering not detected: %v", err)
			case tt.brokeAt >= 0 && ce.Index != tt.brokeAt:
				t.Fatalf("broken at %d, want %d: %v", ce.Index, tt.brokeAt, err)
			}
		})
	}
}

func TestDigest(t *testing.T) {
	if Digest(nil) != "" {
		t.Error("nil record has a digest")
	}
	// SHA-256 of the empty string, FIPS 180-2 test vector.
	if got := Digest([]byte{}); got != "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" {
		t.Errorf("Digest(empty) = %s", got)
	}
}
