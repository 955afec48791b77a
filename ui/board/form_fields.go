package board

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/huh"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/sanitize"
)

// bytesHint says a limit the way the store counts it.
func bytesHint(n int) string {
	return fmt.Sprintf("up to %d bytes (é is 2, an emoji 4)", n)
}

// maxBytes refuses text longer than n bytes, as stored; required also
// refuses blank text, naming what to enter.
func maxBytes(n int, required string) func(string) error {
	return func(s string) error {
		s = strings.TrimSpace(s)
		switch {
		case required != "" && s == "":
			return fmt.Errorf("enter %s", required)
		case len(s) > n:
			return fmt.Errorf("is %d bytes; shorten it to %d", len(s), n)
		}
		return nil
	}
}

// dateLayout is what a date field shows until something is typed.
const dateLayout = "YYYY-MM-DD"

// dateChars is a date field's character limit. huh fits the input to it,
// its "> " prompt and its cursor included, so a limit of the date's ten
// characters would cut the placeholder to "YYYY-MM…".
const dateChars = len(dateLayout) + len("> ") + 1

func validDate(s string) error {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	if _, err := time.Parse(time.DateOnly, strings.TrimSpace(s)); err != nil {
		return errors.New("use a date like 2026-12-01")
	}
	return nil
}

func validHours(s string) error {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	h, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || h < 0 || h > 1e6 {
		return errors.New("use a number of hours, like 6 or 2.5")
	}
	return nil
}

// validTags checks a comma-separated tag list against the limits a brief
// keeps.
func validTags(s string) error {
	var n int
	for t := range strings.SplitSeq(s, ",") {
		t = strings.TrimSpace(t)
		if t == "" {
			continue
		}
		n++
		if len(t) > core.MaxNameBytes {
			return fmt.Errorf("tag %q is %d bytes; shorten it to %d", sanitize.Line(t), len(t), core.MaxNameBytes)
		}
	}
	if n > core.MaxTags {
		return fmt.Errorf("has %d tags; keep at most %d", n, core.MaxTags)
	}
	return nil
}

// termOptions are a pick list's choices: none, every term, and the
// current value when it is no longer a term, marked "(retired)" so that
// saving keeps it rather than erasing it.
func termOptions(terms []string, current string) []huh.Option[string] {
	opts := []huh.Option[string]{huh.NewOption("(none)", "")}
	for _, t := range terms {
		opts = append(opts, huh.NewOption(sanitize.Line(t), t))
	}
	if current != "" && !slices.Contains(terms, current) {
		opts = append(opts, huh.NewOption(sanitize.Line(current)+" (retired)", current))
	}
	return opts
}

// ownerOptions are every person and lane, the AI lane included, and the
// current owner when it is none of them.
func ownerOptions(people []core.Person, current string) []huh.Option[string] {
	opts := []huh.Option[string]{huh.NewOption("(none)", "")}
	known := false
	for _, p := range people {
		label := sanitize.Line(p.Name)
		if p.Lane == core.LaneAI {
			label += " (AI lane)"
		}
		opts = append(opts, huh.NewOption(label, p.Name))
		known = known || p.Name == current
	}
	if current != "" && !known {
		opts = append(opts, huh.NewOption(sanitize.Line(current)+" (not on the team)", current))
	}
	return opts
}

func formatDay(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}
