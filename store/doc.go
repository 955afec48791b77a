// Package store persists tandem's core types in a bbolt file.
//
// Every write is one bbolt transaction that also appends a chained audit
// entry; after it commits, the write is published on the change feed. One
// process holds the file at a time: a second Open fails within its timeout
// with a *HeldError naming the holder, never a hang.
//
// Experiment events are the exception to one record per key: each ingest
// batch is one block of the event log, and what ingest must know of the
// stored events (which ones, which units) is an in-memory index derived
// from the log.
package store
