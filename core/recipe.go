package core

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/tandem-ops/tandem/core/stats"
)

// MinRecipeK is the fewest tested variants a recipe attribute's level
// needs before the ledger claims anything about it.
const MinRecipeK = 3

// RecipeObservation is one generated variant's tested effect: its lift
// over the control on the primary metric in an experiment that decided,
// and the attributes of the recipe that made it.
type RecipeObservation struct {
	Experiment string
	Variant    string
	// Effect is the relative lift; Variance its squared fixed-horizon
	// standard error (delta method).
	Effect, Variance float64
	// Attrs name the recipe: attribute → level, e.g. "grounded" → "yes".
	Attrs map[string]string
}

// RecipeRow is the pooled lift of the tested variants that share one
// level of one recipe attribute (DerSimonian–Laird random effects).
type RecipeRow struct {
	Attribute string `json:"attribute"`
	Level     string `json:"level"`
	K         int    `json:"k"`
	// Lift is the pooled relative lift (0.05 is +5 %) with its 95 %
	// interval; Tau2 and I2 measure how much the variants disagree.
	Lift stats.Interval `json:"lift_ci"`
	// Estimate is the pooled relative lift.
	Estimate float64 `json:"lift"`
	Tau2     float64 `json:"tau2"`
	I2       float64 `json:"i2"`
	// Pooled says the level had enough variants to pool; without it Lift,
	// Estimate, Tau2 and I2 are zero and Note says why.
	Pooled bool `json:"pooled"`
	// Claim is true once K reaches MinRecipeK and the interval excludes 0;
	// otherwise Note says why nothing is claimed.
	Claim bool   `json:"claim"`
	Note  string `json:"note,omitempty"`
}

// RecipeLedger pools the observations per attribute level, sorted by
// attribute and level. A level with fewer than MinRecipeK variants is
// listed with its count and no estimate, so nobody reads a claim into one
// or two experiments.
func RecipeLedger(obs []RecipeObservation) []RecipeRow {
	type key struct{ attr, level string }
	type group struct{ effects, variances []float64 }
	groups := map[key]*group{}
	for _, o := range obs {
		for a, l := range o.Attrs {
			g := groups[key{a, l}]
			if g == nil {
				g = &group{}
				groups[key{a, l}] = g
			}
			g.effects, g.variances = append(g.effects, o.Effect), append(g.variances, o.Variance)
		}
	}
	rows := make([]RecipeRow, 0, len(groups))
	for k, g := range groups {
		row := RecipeRow{Attribute: k.attr, Level: k.level, K: len(g.effects)}
		if row.K < MinRecipeK {
			row.Note = fmt.Sprintf("only %d tested; no claim below %d", row.K, MinRecipeK)
			rows = append(rows, row)
			continue
		}
		p, ok := stats.DerSimonianLaird(g.effects, g.variances)
		switch {
		case !ok || p.K < MinRecipeK:
			row.Note = "too few variants with a usable interval"
		default:
			row.Pooled, row.K, row.Estimate, row.Lift, row.Tau2, row.I2 = true, p.K, p.Estimate, p.CI, p.Tau2, p.I2
			row.Claim = p.CI.Low > 0 || p.CI.High < 0
			if !row.Claim {
				row.Note = "the interval includes no effect"
			}
		}
		rows = append(rows, row)
	}
	slices.SortFunc(rows, func(a, b RecipeRow) int {
		return cmp.Or(cmp.Compare(a.Attribute, b.Attribute), cmp.Compare(a.Level, b.Level))
	})
	return rows
}

// RecipeAttrs are a generated variant's recipe attributes: grounded in
// past winners or not, model and digest, guideline version, lint score
// band, and, when its brief went through review (r, nil if not), the
// rounds it took and — when this variant was the copy submitted and it was
// approved — how many words reviewers changed before approving it.
func RecipeAttrs(g GeneratedVariant, r *Review) map[string]string {
	p := g.Provenance
	grounded := "no"
	if len(p.Sources) > 0 {
		grounded = "yes"
	}
	model := p.Model
	if d := strings.TrimPrefix(p.Digest, "sha256:"); d != "" {
		model += "@" + d[:min(len(d), 12)]
	}
	attrs := map[string]string{
		"grounded":  grounded,
		"model":     model,
		"guideline": "v" + strconv.FormatUint(p.GuidelineVersion, 10),
		"lint":      lintBand(g.Lint.Score),
	}
	if r == nil || r.Round == 0 {
		return attrs
	}
	attrs["review_rounds"] = strconv.Itoa(r.Round)
	if r.Round >= 3 {
		attrs["review_rounds"] = "3+"
	}
	if r.Status == ReviewApproved && len(r.Copies) > 0 && r.Copies[0].Copy == g.Copy.Text() {
		attrs["reviewer_edits"] = editBand(editedWords(r.Copies[0].Copy, r.Copy()))
	}
	return attrs
}

// editedWords counts the words reviewers removed or added between old
// and new.
func editedWords(old, new string) int {
	n := 0
	for _, c := range WordDiff(old, new) {
		if c.Op != DiffEqual {
			n += len(strings.Fields(c.Text))
		}
	}
	return n
}

func editBand(words int) string {
	switch {
	case words == 0:
		return "none"
	case words <= 5:
		return "1-5 words"
	case words <= 20:
		return "6-20 words"
	}
	return "21+ words"
}

func lintBand(score int) string {
	switch {
	case score >= 80:
		return "80-100"
	case score >= 60:
		return "60-79"
	}
	return "0-59"
}

// ArmEffect is treatment arm i's relative lift over the control on the
// primary metric with its fixed-horizon variance, for pooling across
// experiments; ok is false when the comparison cannot be made.
func ArmEffect(a Analysis, i int) (effect, variance float64, ok bool) {
	if i <= 0 || i >= len(a.Arms) || a.Arms[i].Verdict == VerdictInvalid {
		return 0, 0, false
	}
	cmp, why := comparePrimary(a.Arms[0].Totals, a.Arms[i].Totals, PrimaryMetric(a.Metrics), a.Policy.Alpha)
	if why != "" {
		return 0, 0, false
	}
	return cmp.rel, cmp.se * cmp.se, true
}

// RecipeCitations are the ledger's claims as "what worked" lines, largest
// lift first: only levels the ledger claims (k ≥ MinRecipeK, interval
// clear of 0).
func RecipeCitations(rows []RecipeRow) []string {
	var claimed []RecipeRow
	for _, r := range rows {
		if r.Claim {
			claimed = append(claimed, r)
		}
	}
	slices.SortStableFunc(claimed, func(a, b RecipeRow) int { return cmp.Compare(b.Estimate, a.Estimate) })
	out := make([]string, len(claimed))
	for i, r := range claimed {
		arrow := "▲"
		if r.Estimate < 0 {
			arrow = "▼"
		}
		out[i] = fmt.Sprintf("%s recipe ledger: generated copy with %s = %s, %+.1f%% [%+.1f%%, %+.1f%%] over %d tested variants",
			arrow, r.Attribute, r.Level, 100*r.Estimate, 100*r.Lift.Low, 100*r.Lift.High, r.K)
	}
	return out
}
