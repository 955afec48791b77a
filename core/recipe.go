package core

import (
	"cmp"
	"fmt"
	"maps"
	"math"
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

// RecipeRow is the pooled lift of the experiments whose tested variants
// share one level of one recipe attribute (DerSimonian–Laird random
// effects). The estimate fields are null until the level has MinRecipeK
// experiments, with Note saying why.
type RecipeRow struct {
	Attribute string `json:"attribute"`
	Level     string `json:"level"`
	// K counts experiments: variants of one experiment share its control,
	// so they are averaged (inverse-variance) into one observation.
	K        int             `json:"k"`
	Estimate *float64        `json:"lift_relative"`
	Lift     *stats.Interval `json:"lift_ci"`
	Tau2     *float64        `json:"tau2"`
	I2       *float64        `json:"i2_fraction"`
	// P is the pooled lift's p-value, Holm-adjusted across every pooled
	// row, so a ledger of many rows does not claim by chance.
	P *float64 `json:"p_holm"`
	// Claim is true once the Holm-adjusted p is below 5 %; otherwise Note
	// says why nothing is claimed.
	Claim bool   `json:"claim"`
	Note  string `json:"note,omitempty"`
}

// recipeAlpha is the ledger's error rate across all its rows.
const recipeAlpha = 0.05

// RecipeLedger pools the observations per attribute level, sorted by
// attribute and level: first one observation per experiment (its
// variants at that level, inverse-variance weighted), then across
// experiments. A level with fewer than MinRecipeK experiments is listed
// with its count and no estimate, so nobody reads a claim into one or
// two; claims are Holm-adjusted across the rows.
func RecipeLedger(obs []RecipeObservation) []RecipeRow {
	type key struct{ attr, level, experiment string }
	type sums struct{ w, wy float64 }
	perExperiment := map[key]*sums{}
	for _, o := range obs {
		if !(o.Variance > 0) || !finite(o.Effect, o.Variance) {
			continue
		}
		for a, l := range o.Attrs {
			k := key{a, l, o.Experiment}
			s := perExperiment[k]
			if s == nil {
				s = &sums{}
				perExperiment[k] = s
			}
			s.w, s.wy = s.w+1/o.Variance, s.wy+o.Effect/o.Variance
		}
	}
	type level struct{ attr, level string }
	type group struct{ effects, variances []float64 }
	groups := map[level]*group{}
	// In experiment order, so that sums (and so ties) come out the same
	// on every run.
	keys := slices.SortedFunc(maps.Keys(perExperiment), func(a, b key) int {
		return cmp.Or(cmp.Compare(a.attr, b.attr), cmp.Compare(a.level, b.level), cmp.Compare(a.experiment, b.experiment))
	})
	for _, k := range keys {
		s := perExperiment[k]
		g := groups[level{k.attr, k.level}]
		if g == nil {
			g = &group{}
			groups[level{k.attr, k.level}] = g
		}
		g.effects, g.variances = append(g.effects, s.wy/s.w), append(g.variances, 1/s.w)
	}
	rows := make([]RecipeRow, 0, len(groups))
	var ps []float64
	var pooled []int
	for k, g := range groups {
		row := RecipeRow{Attribute: k.attr, Level: k.level, K: len(g.effects)}
		p, ok := stats.DerSimonianLaird(g.effects, g.variances)
		switch {
		case row.K < MinRecipeK:
			row.Note = fmt.Sprintf("only %d tested; no claim below %d", row.K, MinRecipeK)
		case !ok || p.SE == 0:
			row.Note = "too few experiments with a usable interval"
		default:
			ci := p.CI
			row.Estimate, row.Lift, row.Tau2, row.I2 = ptr(p.Estimate), &ci, ptr(p.Tau2), ptr(p.I2)
			ps, pooled = append(ps, 2*stats.NormalCDF(-math.Abs(p.Estimate/p.SE))), append(pooled, len(rows))
		}
		rows = append(rows, row)
	}
	for i, p := range stats.Holm(ps) {
		row := &rows[pooled[i]]
		row.P, row.Claim = ptr(p), p < recipeAlpha
		if !row.Claim {
			row.Note = "no effect after adjusting for the ledger's many rows"
		}
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
// lift first: only levels the ledger claims.
func RecipeCitations(rows []RecipeRow) []string {
	var claimed []RecipeRow
	for _, r := range rows {
		if r.Claim {
			claimed = append(claimed, r)
		}
	}
	slices.SortStableFunc(claimed, func(a, b RecipeRow) int { return cmp.Compare(*b.Estimate, *a.Estimate) }) // rows come sorted by attribute
	out := make([]string, len(claimed))
	for i, r := range claimed {
		arrow := "▲"
		if *r.Estimate < 0 {
			arrow = "▼"
		}
		out[i] = fmt.Sprintf("%s recipe ledger: generated copy with %s = %s, %+.1f%% [%+.1f%%, %+.1f%%] over %d experiments",
			arrow, r.Attribute, r.Level, 100**r.Estimate, 100*r.Lift.Low, 100*r.Lift.High, r.K)
	}
	return out
}
