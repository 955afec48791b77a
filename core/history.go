package core

import "time"

// StageChange records a brief entering a stage. A new brief's first change
// has From equal to To.
type StageChange struct {
	BriefID uint64    `json:"brief_id"`
	From    Stage     `json:"from"`
	To      Stage     `json:"to"`
	Time    time.Time `json:"time"`
	Actor   string    `json:"actor"`
}
