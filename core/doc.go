// Package core holds tandem's domain types and the pure rules over them:
// briefs and their stages, people and lanes, experiments, approvals, the
// audit chain, roles and the shared taxonomy.
//
// core does no I/O: it imports nothing of tandem's, no bbolt, no Bubble Tea,
// no net/http and no os, so every rule here can be table-tested in isolation.
package core
