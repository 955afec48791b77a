package core

import (
	"fmt"
	"strings"
)

// Stage is where a brief stands on the joint planning board.
type Stage uint8

// The board's stages, in the order a brief moves through them.
const (
	StageIntake Stage = iota
	StagePlanned
	StageInProduction
	StageReview
	StageApproved
	StageLive
	StageRetro
)

// stageNames holds each stage's display name, indexed by Stage.
var stageNames = [...]string{"intake", "planned", "in production", "review", "approved", "live", "retro"}

// AllStages returns every stage in board order.
func AllStages() []Stage {
	s := make([]Stage, len(stageNames))
	for i := range s {
		s[i] = Stage(i)
	}
	return s
}

// String returns the stage's name as the board shows it.
func (s Stage) String() string {
	if int(s) < len(stageNames) {
		return stageNames[s]
	}
	return fmt.Sprintf("stage(%d)", s)
}

// Slug returns the stage's name as the CLI and JSON spell it, one word
// ("in-production").
func (s Stage) Slug() string { return strings.ReplaceAll(s.String(), " ", "-") }

// Valid reports whether s is one of the board's stages.
func (s Stage) Valid() bool { return int(s) < len(stageNames) }

// Next returns the stage after s; the last stage returns itself.
func (s Stage) Next() Stage {
	if s+1 < Stage(len(stageNames)) {
		return s + 1
	}
	return s
}

// Prev returns the stage before s; the first stage returns itself.
func (s Stage) Prev() Stage {
	if s > 0 {
		return s - 1
	}
	return s
}

// ParseStage accepts a stage name in any case, with spaces, dashes or
// underscores between words ("in-production", "In Production").
func ParseStage(name string) (Stage, error) {
	n := strings.NewReplacer("-", " ", "_", " ").Replace(strings.ToLower(strings.TrimSpace(name)))
	for i, s := range stageNames {
		if n == s {
			return Stage(i), nil
		}
	}
	slugs := make([]string, len(stageNames))
	for i := range stageNames {
		slugs[i] = Stage(i).Slug()
	}
	return 0, fmt.Errorf("unknown stage %q: use one of %s", name, strings.Join(slugs, ", "))
}

// MarshalText implements encoding.TextMarshaler so JSON carries the name
// as the CLI spells it. UnmarshalText also reads the spaced form older
// records hold.
func (s Stage) MarshalText() ([]byte, error) {
	if !s.Valid() {
		return nil, fmt.Errorf("invalid stage %d", s)
	}
	return []byte(s.Slug()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *Stage) UnmarshalText(b []byte) error {
	v, err := ParseStage(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}
