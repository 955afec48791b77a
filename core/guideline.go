package core

import (
	"fmt"
	"maps"
	"slices"
)

// Bounds of the brand guidelines' numbers.
const (
	// MaxGuidelineLength bounds a channel's max_length, in characters:
	// longer than any copy a channel takes, short of an overflow.
	MaxGuidelineLength = 100_000
	// MinReadingLevel and MaxReadingLevel bound reading_level, a school
	// grade on the Flesch-Kincaid scale Lint measures with: grade 1 is the
	// simplest copy it scores, 20 past postgraduate prose. 0 sets no level.
	MinReadingLevel = 1
	MaxReadingLevel = 20
)

// Validate returns an error naming every invalid field of g. The voice is
// free text (TextProblem); every term (banned, required, either side of
// preferred, a max_length channel) is a name (NameProblem), as lint
// prints it in its findings.
func (g BrandGuideline) Validate() error {
	f := fieldErrors{record: "brand guideline"}
	f.text("voice", g.Voice, maxText)
	for i, term := range g.Banned {
		f.name(fmt.Sprintf("banned[%d]", i), term, maxName, true)
	}
	for i, term := range g.Required {
		f.name(fmt.Sprintf("required[%d]", i), term, maxName, true)
	}
	for i, from := range slices.Sorted(maps.Keys(g.Preferred)) {
		f.name(fmt.Sprintf("preferred term %d", i+1), from, maxName, true)
		f.name(fmt.Sprintf("preferred term %d's replacement", i+1), g.Preferred[from], maxName, true)
	}
	for i, channel := range slices.Sorted(maps.Keys(g.MaxLength)) {
		if p := NameProblem(channel, maxName); p != "" {
			f.add(fmt.Sprintf("max_length channel %d", i+1), "%s", p)
			continue
		}
		if n := g.MaxLength[channel]; n < 1 || n > MaxGuidelineLength {
			f.add(fmt.Sprintf("max_length[%s]", channel), "is %d; use a length from 1 to %d characters", n, MaxGuidelineLength)
		}
	}
	if l := g.ReadingLevel; l != 0 && !(l >= MinReadingLevel && l <= MaxReadingLevel) { // NaN fails too
		f.add("reading_level", "is %g; use a grade level from %d to %d, or 0 for none", l, MinReadingLevel, MaxReadingLevel)
	}
	return f.err()
}
