package core

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// generatedSlots names the slots the studio generates components for:
// the parts of generated copy (see Copy.Part).
const generatedSlots = "headline, body, cta"

// Part returns the text of one slot of generated copy, and false for a
// slot generated copy does not have.
func (c Copy) Part(slot string) (string, bool) {
	switch strings.ToLower(slot) {
	case "headline":
		return c.Headline, true
	case "body":
		return c.Body, true
	case "cta":
		return c.CTA, true
	}
	return "", false
}

// ComponentText is generated text as a component holds it: one line, runs
// of white space (a model's line breaks and indents) made one space, and
// the characters no name may hold (controls, invisible formatting,
// unprintable or invalid runes, which a small model emits as noise)
// dropped rather than failing the whole part. What is left is still
// validated as a component's text.
func ComponentText(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.In(r, unicode.Zl, unicode.Zp, unicode.Zs) {
			return ' '
		}
		if r == utf8.RuneError || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || !unicode.IsPrint(r) {
			return -1
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// Errors returns the findings that break a rule (errors, not advice).
func (r LintResult) Errors() []LintFinding {
	var out []LintFinding
	for _, f := range r.Findings {
		if f.Severity == LintError {
			out = append(out, f)
		}
	}
	return out
}

// Assembly is one combination of components, one per slot, assembled into
// whole copy and linted as the channel will carry it.
type Assembly struct {
	// Components maps each slot to the ID of the component it holds.
	Components map[string]uint64 `json:"components"`
	Text       string            `json:"text"`
	Lint       LintResult        `json:"lint"`
	// Breaks are the rules the assembled copy breaks; an assembly that
	// breaks one is kept, and marked by them.
	Breaks []LintFinding `json:"breaks"`
}

// Combine builds every combination of one component of each slot (the
// first slot varying slowest) and lints each as whole copy for channel,
// so the channel's length applies to the assembled text. Combinations
// that break a rule are kept with the rules they break.
func Combine(slots [][]Component, channel string, g BrandGuideline) []Assembly {
	total := 1
	for _, s := range slots {
		total *= len(s)
	}
	if len(slots) == 0 || total == 0 {
		return []Assembly{}
	}
	out := make([]Assembly, 0, total)
	pick := make([]int, len(slots))
	parts := make([]Component, len(slots))
	for range total {
		a := Assembly{Components: make(map[string]uint64, len(slots)), Breaks: []LintFinding{}}
		for j, s := range slots {
			parts[j] = s[pick[j]]
			a.Components[parts[j].Slot] = parts[j].ID
		}
		a.Text = Assemble(parts)
		a.Lint = Lint(a.Text, channel, g)
		a.Breaks = append(a.Breaks, a.Lint.Errors()...)
		out = append(out, a)
		for j := len(pick) - 1; j >= 0; j-- {
			if pick[j]++; pick[j] < len(slots[j]) {
				break
			}
			pick[j] = 0
		}
	}
	return out
}

// SlotCount asks for N generated components of a slot.
type SlotCount struct {
	Slot string `json:"slot"`
	N    int    `json:"n"`
}

// MaxSlotComponents is how many components of one slot a generation may
// ask for.
const MaxSlotComponents = 10

// CheckSlotCounts returns an error naming each slot the studio cannot
// generate, asked twice, or asked for a count out of 1…MaxSlotComponents,
// and when the combinations would be more than MaxFactorialArms.
func CheckSlotCounts(counts []SlotCount) error {
	f := &fieldErrors{record: "generation"}
	if len(counts) == 0 {
		f.add("slot", "is required; give --slot headline=N, --slot body=N and --slot cta=N")
	}
	seen := map[string]bool{}
	product := 1
	for _, c := range counts {
		field := "slot " + c.Slot
		slot := strings.ToLower(c.Slot)
		switch _, ok := (Copy{}).Part(slot); {
		case !ok:
			f.add(field, "is not a slot the studio generates; use %s", generatedSlots)
		case seen[slot]:
			f.add(field, "is given twice")
		case c.N < 1 || c.N > MaxSlotComponents:
			f.add(field, "asks for %d; ask for 1 to %d", c.N, MaxSlotComponents)
		default:
			product *= c.N
		}
		seen[slot] = true
	}
	if product > MaxFactorialArms {
		f.add("slot", "makes %d combinations; at most %d are assembled", product, MaxFactorialArms)
	}
	return f.err()
}
