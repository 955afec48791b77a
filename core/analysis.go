package core

import (
	"fmt"
	"math"
	"time"

	"github.com/tandem-ops/tandem/core/stats"
)

// ExperimentStatus is where an experiment stands.
type ExperimentStatus string

// The statuses, as the Experiments tab shows them.
const (
	StatusCollecting   ExperimentStatus = "collecting"
	StatusNeedsData    ExperimentStatus = "needs more data"
	StatusSRM          ExperimentStatus = "SRM!"
	StatusDataError    ExperimentStatus = "data error"
	StatusWinner       ExperimentStatus = "winner"
	StatusNoDifference ExperimentStatus = "no difference"
	StatusInconclusive ExperimentStatus = "inconclusive"
	StatusDeclared     ExperimentStatus = "declared"
	// StatusVoid: a winner was declared, and a data error or a
	// sample-ratio mismatch showed up since, so the declaration is
	// evidence of nothing until the data is fixed.
	StatusVoid ExperimentStatus = "void"
	// StatusGuardrail: a treatment wins on the primary metric, but a
	// guardrail moved significantly the wrong way, so no winner is named.
	StatusGuardrail ExperimentStatus = "guardrail"
)

// Verdict is one arm's standing against the control under the rule.
type Verdict string

// The verdicts. Equivalent means the whole interval lies within ±MDE;
// pending means the guards (runtime, units, the fixed rule's plan) have
// not passed, so nothing is read yet.
const (
	VerdictControl      Verdict = "control"
	VerdictWins         Verdict = "wins"
	VerdictLoses        Verdict = "loses"
	VerdictEquivalent   Verdict = "equivalent"
	VerdictInconclusive Verdict = "inconclusive"
	VerdictPending      Verdict = "pending"
	VerdictInvalid      Verdict = "invalid"
	// VerdictBlocked: the arm wins on the primary metric, but one of its
	// guardrails moved significantly the wrong way.
	VerdictBlocked Verdict = "blocked"
)

// MaxArmsForProbabilityBest bounds the integration: its cost grows with the
// square of the arms, and past a few dozen arms "probability best" is
// spread too thin to guide anyone. Larger experiments show lifts only.
const MaxArmsForProbabilityBest = 24

// ArmStats are one variant's numbers. A number that does not exist for the
// data (no units, no conversions in the control, impossible counts) is nil,
// and Notes say why; no field is ever NaN or infinite.
type ArmStats struct {
	Variant Variant         `json:"variant"`
	Totals  VariantTotals   `json:"totals"`
	Rate    *float64        `json:"rate"`
	RateCI  *stats.Interval `json:"rate_ci"`
	Verdict Verdict         `json:"verdict"`
	// Lift is the treatment against the control; nil for the control.
	Lift *Lift `json:"lift"`
	// Bayes is the Beta-posterior view against the control; it decides
	// only under the Bayesian rule.
	Bayes *stats.Bayes `json:"bayes"`
	// ProbBest is the probability this arm has the highest rate.
	ProbBest       *float64  `json:"prob_best"`
	RevenuePerUnit *float64  `json:"revenue_per_unit"`
	Revenue        *MeanLift `json:"revenue"`
	// Metrics are the experiment's guardrail and secondary metrics for
	// this arm, in the experiment's order.
	Metrics []MetricResult `json:"metrics,omitempty"`
	Notes   []string       `json:"notes,omitempty"`
}

// Lift is a treatment's relative lift over the control on the primary
// metric (the conversion rate, or revenue per unit) with the interval and
// p-value its rule reads.
type Lift struct {
	// Estimate is the treatment's value over the control's, minus 1.
	Estimate float64 `json:"estimate"`
	// Absolute is the difference in values.
	Absolute float64 `json:"absolute"`
	// CI is the interval the rule reads, at level Confidence: 1 − α/m over
	// the m treatments. Under the sequential rule it is an always-valid
	// confidence sequence.
	CI          stats.Interval `json:"ci"`
	Confidence  float64        `json:"confidence"`
	AlwaysValid bool           `json:"always_valid"`
	// P is the p-value the rule compares with α: always-valid and
	// Bonferroni-adjusted (sequential), or Holm-adjusted fixed-horizon.
	P float64 `json:"p"`
	// FixedP is the unadjusted fixed-horizon p-value (the pooled z-test
	// for rates, Welch's t for revenue): valid for one look at the planned
	// sample only.
	FixedP float64 `json:"fixed_p"`
}

// MeanLift is a treatment's difference in a per-unit mean (revenue) with
// an interval and p-value of the same kind as its Lift.
type MeanLift struct {
	Diff float64        `json:"diff"`
	CI   stats.Interval `json:"ci"`
	P    float64        `json:"p"`
}

// SamplePlan is the sample the rule needs.
type SamplePlan struct {
	// Comparisons is the number of treatments tested against the control.
	Comparisons int `json:"comparisons"`
	// NeededPerArm is the units every arm needs to detect the MDE with the
	// rule's power at α/Comparisons; nil while the control's rate is 0 or 1.
	NeededPerArm *float64 `json:"needed_per_arm"`
	// DaysLeft estimates when the smallest arm gets there at its traffic
	// so far; nil when unknown, 0 once reached.
	DaysLeft *float64 `json:"days_left"`
	// Reached is whether every arm has NeededPerArm units.
	Reached bool `json:"reached"`
}

// Analysis is everything the Experiments tab and `tandem experiment show`
// say about one experiment.
type Analysis struct {
	Experiment Experiment       `json:"experiment"`
	Policy     DecisionPolicy   `json:"policy"`
	Status     ExperimentStatus `json:"status"`
	// Leader is the best winning treatment, the control when every
	// treatment loses, else the best rate so far.
	Leader string `json:"leader,omitempty"`
	// Winners and Losers name every treatment that beats or loses to the
	// control under the rule.
	Winners []string `json:"winners"`
	Losers  []string `json:"losers"`
	// Blocked names every treatment that wins on the primary metric but
	// that a guardrail keeps from winning.
	Blocked []string   `json:"blocked"`
	Arms    []ArmStats `json:"arms"`
	SRMP    float64    `json:"srm_p"`
	Plan    SamplePlan `json:"plan"`
	// Guards are the guards the experiment was read under: its own, or
	// the workspace default.
	Guards Guards `json:"guards"`
	// Start is the experiment's set start, else its earliest event; zero
	// before any event.
	Start time.Time `json:"start,omitzero"`
	// Runtime runs from Start to the latest event (or now, if earlier),
	// so a backfill is read with its own timestamps.
	Runtime time.Duration `json:"-"`
	// RuntimeDays is Runtime for JSON, with its unit in the key.
	RuntimeDays float64 `json:"runtime_days"`
	// Metrics are the metrics the experiment was read with: its own, or
	// the default (see Experiment.MetricsOr).
	Metrics []Metric `json:"metrics"`
	// Quality is how clean the counting is.
	Quality DataQuality `json:"quality"`
	// RevenueCap says revenue per unit was capped for this reading
	// (winsorised); nil when it was not.
	RevenueCap *RevenueCap `json:"revenue_cap,omitempty"`
	// Problems are data errors in words; any makes the status a data error.
	Problems []string `json:"problems,omitempty"`
	// Breakdown is the experiment by one attribute of its units, when
	// asked for (`experiment show --by`).
	Breakdown *Breakdown `json:"breakdown,omitempty"`
	// Effects are a factorial test's per-component effects, when asked
	// for (`experiment show --effects`).
	Effects *Effects `json:"effects,omitempty"`
	// EffectsBy are those effects by one attribute of the units, when
	// asked for (`experiment show --effects --by`).
	EffectsBy *EffectsBreakdown `json:"effects_by,omitempty"`
}

// RevenueCap is a winsorised reading: each unit's revenue capped at the
// Percentile of paying units' revenue, which was Value.
type RevenueCap struct {
	Percentile float64 `json:"percentile"`
	Value      float64 `json:"value"`
}

// Analyze computes an experiment's statistics and status from its totals
// under its guards (the workspace's, def, unless it has its own) and
// their decision rule; zero guards are DefaultGuards. The control comes
// first in Arms.
func Analyze(e Experiment, totals map[string]VariantTotals, now time.Time, def Guards) Analysis {
	if def == (Guards{}) {
		def = DefaultGuards()
	}
	g := e.GuardsOr(def)
	a := Analysis{Experiment: e, Policy: g.Policy, Guards: g, Winners: []string{}, Losers: []string{}, Blocked: []string{}}
	a.Metrics = e.MetricsOr(totals)
	a.Quality = qualityOf(e, totals)
	if e.ExcludeCrossExposed {
		totals = withoutCross(totals)
	}
	a.Start, a.Runtime = runtimeOf(e, totals, now)
	a.RuntimeDays = math.Round(a.Runtime.Hours()/24*100) / 100
	ordered := make([]Variant, 0, len(e.Variants))
	for _, v := range e.Variants {
		if v.Control {
			ordered = append(ordered, v)
		}
	}
	if len(ordered) == 0 {
		ordered = append(ordered, Variant{Control: true}) // keeps Arms[0] the control
	}
	for _, v := range e.Variants {
		if !v.Control {
			ordered = append(ordered, v)
		}
	}
	a.Arms = make([]ArmStats, len(ordered))
	s := newSlab(len(ordered))
	for i, v := range ordered {
		a.Arms[i] = describeArm(v, totals[v.Key], s)
		if a.Arms[i].Variant.Weight != v.Weight {
			a.Experiment.Variants = weightsOf(a.Arms, e.Variants)
		}
		for _, n := range a.Arms[i].Notes {
			if a.Arms[i].Verdict == VerdictInvalid {
				a.Problems = append(a.Problems, fmt.Sprintf("%s: %s", v.Key, n))
			}
		}
	}
	a.Plan.Comparisons = len(a.Arms) - 1
	if len(a.Problems) == 0 {
		compareArms(a.Arms, PrimaryMetric(a.Metrics), g.Policy, s)
		compareMetrics(a.Arms, a.Metrics, g.Policy)
		probabilityBest(a.Arms, s)
		a.SRMP = sampleRatioP(a.Arms)
		a.Plan = samplePlan(a.Arms, PrimaryMetric(a.Metrics), a.Runtime, g.Policy)
	} else {
		a.SRMP = 1
	}
	decide(&a, g)
	return a
}

// describeArm is an arm's own numbers: its rate and interval, revenue per
// unit, and whether its counts are possible at all.
func describeArm(v Variant, t VariantTotals, s *slab) ArmStats {
	arm := ArmStats{Variant: v, Totals: t, Verdict: VerdictPending}
	if v.Control {
		arm.Verdict = VerdictControl
	}
	if t.Converters > t.Exposures {
		arm.Verdict = VerdictInvalid
		arm.Notes = append(arm.Notes, fmt.Sprintf("%d converting units but only %d exposed: a unit converted without an exposure; check the exposure logging", t.Converters, t.Exposures))
		return arm
	}
	if !finite(t.Revenue, t.RevenueSq, t.ConverterRevenue, t.UnattributedRevenue, t.Cross.Revenue, t.Cross.RevenueSq, t.Cross.ConverterRevenue) {
		arm.Verdict = VerdictInvalid
		arm.Totals.Revenue, arm.Totals.RevenueSq, arm.Totals.ConverterRevenue = 0, 0, 0 // shown as 0, said to be wrong
		arm.Notes = append(arm.Notes, "revenue totals are not finite numbers; re-ingest the revenue events")
		return arm
	}
	if !finite(v.Weight) || v.Weight <= 0 {
		arm.Verdict = VerdictInvalid
		arm.Variant.Weight = 0
		arm.Notes = append(arm.Notes, "its traffic weight is not a positive number; fix the experiment's weights")
		return arm
	}
	if t.Exposures == 0 {
		arm.Notes = append(arm.Notes, "no units yet")
		return arm
	}
	arm.Rate = s.float(float64(t.Converters) / float64(t.Exposures))
	arm.RateCI = s.interval(stats.Wilson(t.Converters, t.Exposures, 0.95))
	arm.RevenuePerUnit = s.float(t.Revenue / float64(t.Exposures))
	return arm
}

func finite(xs ...float64) bool {
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

// ptr returns &x, or nil when x is not finite.
func ptr(x float64) *float64 {
	if !finite(x) {
		return nil
	}
	return &x
}

// weightsOf copies variants with the weights the arms were analyzed with,
// so that an impossible weight does not reach the output.
func weightsOf(arms []ArmStats, variants []Variant) []Variant {
	out := make([]Variant, len(variants))
	for i, v := range variants {
		for _, a := range arms {
			if a.Variant.Key == v.Key && a.Variant.Weight != v.Weight {
				v.Weight = a.Variant.Weight
			}
		}
		out[i] = v
	}
	return out
}
