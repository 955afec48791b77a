package core

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"
	"time"
)

// AuditEntry records one write. Entries are chained: each carries the hash
// of the one before it, so an edited, deleted or reordered entry breaks the
// chain from that point on.
type AuditEntry struct {
	Seq     uint64    `json:"seq"`
	Time    time.Time `json:"time"`
	Actor   string    `json:"actor"`
	Action  string    `json:"action"`
	Subject string    `json:"subject"`
	// Before and After are digests of the subject's record around the write;
	// "" where there was no record.
	Before string `json:"before,omitempty"`
	After  string `json:"after,omitempty"`
	// Version is the subject's version after the write, and From the
	// version the edit was made from when it was older (the write merged
	// with changes since); 0 for records without versions.
	Version  uint64 `json:"version,omitempty"`
	From     uint64 `json:"from,omitempty"`
	PrevHash string `json:"prev_hash"`
	Hash     string `json:"hash"`
}

// Digest returns the hex SHA-256 of a record's encoding, or "" for none.
func Digest(record []byte) string {
	if record == nil {
		return ""
	}
	sum := sha256.Sum256(record)
	return hex.EncodeToString(sum[:])
}

// Seal sets e's PrevHash to prev and computes its Hash.
func (e *AuditEntry) Seal(prev string) {
	e.PrevHash = prev
	e.Hash = e.computeHash()
}

// computeHash hashes every field but Hash itself. Each field is length-
// prefixed so that no two different entries hash the same input.
func (e AuditEntry) computeHash() string {
	h := sha256.New()
	writeUint(h, e.Seq)
	writeField(h, e.Time.UTC().Format(time.RFC3339Nano))
	for _, s := range []string{e.Actor, e.Action, e.Subject, e.Before, e.After, e.PrevHash} {
		writeField(h, s)
	}
	// Entries from before versions hash as they always did; the total
	// length tells the two layouts apart.
	if e.Version != 0 || e.From != 0 {
		writeUint(h, e.Version)
		writeUint(h, e.From)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func writeUint(h hash.Hash, v uint64) {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], v)
	h.Write(b[:])
}

func writeField(h hash.Hash, s string) {
	writeUint(h, uint64(len(s)))
	h.Write([]byte(s))
}

// ChainError names the first audit entry that does not follow from the one
// before it.
type ChainError struct {
	// Index is the entry's position in the slice given to VerifyChain.
	Index  int
	Seq    uint64
	Reason string
}

// Error implements error.
func (e *ChainError) Error() string {
	return fmt.Sprintf("audit chain broken at entry %d (seq %d): %s", e.Index, e.Seq, e.Reason)
}

// VerifyChain checks that entries form an unbroken chain starting from the
// empty hash: consecutive sequence numbers from 1, each PrevHash equal to the
// Hash before it, and each Hash matching the entry's content.
func VerifyChain(entries []AuditEntry) error {
	prev := ""
	for i, e := range entries {
		switch {
		case e.Seq != uint64(i)+1:
			return &ChainError{Index: i, Seq: e.Seq, Reason: fmt.Sprintf("sequence is %d, expected %d: an entry was deleted or reordered", e.Seq, i+1)}
		case e.PrevHash != prev:
			return &ChainError{Index: i, Seq: e.Seq, Reason: "prev_hash does not match the entry before it"}
		case e.Hash != e.computeHash():
			return &ChainError{Index: i, Seq: e.Seq, Reason: "hash does not match the entry's content: it was edited"}
		}
		prev = e.Hash
	}
	return nil
}
