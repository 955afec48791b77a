package core

import (
	"math"
	"time"

	"github.com/tandem-ops/tandem/core/stats"
)

// Guards keep a "winner" label from appearing before the data can carry it.
type Guards struct {
	// MinUnitsPerArm is the fewest exposed units every arm needs.
	MinUnitsPerArm uint64
	// MinRuntime is the least time an experiment runs, so weekday and
	// weekend traffic both count.
	MinRuntime time.Duration
	// Alpha is the significance level for Holm-adjusted p-values.
	Alpha float64
	// MDE is the smallest relative lift worth detecting; it sets the sample
	// size after which "no difference" can be said.
	MDE float64
	// Power is the chance of detecting a true MDE-sized lift.
	Power float64
}

// DefaultGuards are the guards tandem uses unless a workspace sets others.
func DefaultGuards() Guards {
	return Guards{MinUnitsPerArm: 1000, MinRuntime: 7 * 24 * time.Hour, Alpha: 0.05, MDE: 0.10, Power: 0.8}
}

// ExperimentStatus is where an experiment stands.
type ExperimentStatus string

// The statuses, as the Experiments tab shows them.
const (
	StatusCollecting   ExperimentStatus = "collecting"
	StatusNeedsData    ExperimentStatus = "needs more data"
	StatusSRM          ExperimentStatus = "SRM!"
	StatusWinner       ExperimentStatus = "winner"
	StatusNoDifference ExperimentStatus = "no difference"
	StatusDeclared     ExperimentStatus = "declared"
)

// MaxArmsForProbabilityBest bounds the Monte Carlo: its cost grows with
// arms × draws, and past a few dozen arms "probability best" is spread too
// thin to guide anyone. Larger experiments show lift and p-values only.
const MaxArmsForProbabilityBest = 24

// ArmStats are one variant's numbers against the control.
type ArmStats struct {
	Variant Variant          `json:"variant"`
	Totals  VariantTotals    `json:"totals"`
	Rate    float64          `json:"rate"`
	RateCI  stats.Interval   `json:"rate_ci"`
	Lift    stats.Comparison `json:"lift"`
	// PHolm is the Holm-adjusted p-value across the treatment arms.
	PHolm          float64           `json:"p_holm"`
	ChanceToBeat   float64           `json:"chance_to_beat"`
	Risk           float64           `json:"risk"`
	ProbBest       float64           `json:"prob_best"`
	RevenuePerUnit float64           `json:"revenue_per_unit"`
	Revenue        stats.WelchResult `json:"revenue"`
}

// Analysis is everything the Experiments tab and `tandem experiment show`
// say about one experiment.
type Analysis struct {
	Experiment Experiment       `json:"experiment"`
	Status     ExperimentStatus `json:"status"`
	// Leader is the best treatment by rate, when there is one.
	Leader string     `json:"leader,omitempty"`
	Arms   []ArmStats `json:"arms"`
	SRMP   float64    `json:"srm_p"`
	// NeededPerArm is the sample per arm to detect the guards' MDE from the
	// control's current rate; DaysLeft estimates when, at current traffic.
	NeededPerArm float64       `json:"needed_per_arm"`
	DaysLeft     float64       `json:"days_left"`
	Runtime      time.Duration `json:"runtime"`
}

// Analyze computes an experiment's statistics and status from its totals.
// The control comes first in Arms.
func Analyze(e Experiment, totals map[string]VariantTotals, now time.Time, g Guards) Analysis {
	a := Analysis{Experiment: e, Runtime: now.Sub(e.Started)}
	var control Variant
	for _, v := range e.Variants {
		if v.Control {
			control = v
		}
	}
	ordered := []Variant{control}
	for _, v := range e.Variants {
		if !v.Control {
			ordered = append(ordered, v)
		}
	}
	base := totals[control.Key]
	baseP := stats.Proportion{Successes: base.Converters, N: base.Exposures}
	props := make([]stats.Proportion, len(ordered))
	exposures := make([]uint64, len(ordered))
	weights := make([]float64, len(ordered))
	pvals := make([]float64, 0, len(ordered))
	a.Arms = make([]ArmStats, 0, len(ordered))
	for i, v := range ordered {
		t := totals[v.Key]
		p := stats.Proportion{Successes: t.Converters, N: t.Exposures}
		props[i], exposures[i], weights[i] = p, t.Exposures, v.Weight
		arm := ArmStats{Variant: v, Totals: t, Rate: p.Rate(), RateCI: stats.Wilson(p.Successes, p.N, 0.95)}
		rev := stats.Sample{N: t.Exposures, Sum: t.Revenue, SumSq: t.RevenueSq}
		arm.RevenuePerUnit = rev.Mean()
		if i > 0 {
			arm.Lift = stats.CompareProportions(baseP, p, 0.95)
			b := stats.ChanceToBeat(stats.Posterior(baseP), stats.Posterior(p))
			arm.ChanceToBeat, arm.Risk = b.ChanceToBeat, b.Risk
			if rev.Sum > 0 || base.Revenue > 0 {
				arm.Revenue = stats.Welch(stats.Sample{N: base.Exposures, Sum: base.Revenue, SumSq: base.RevenueSq}, rev, 0.95)
			}
			pvals = append(pvals, arm.Lift.P)
		}
		a.Arms = append(a.Arms, arm)
	}
	for i, p := range stats.Holm(pvals) {
		a.Arms[i+1].PHolm = p
	}
	if len(props) <= MaxArmsForProbabilityBest {
		post := make([]stats.Beta, len(props))
		for i, p := range props {
			post[i] = stats.Posterior(p)
		}
		for i, p := range stats.ProbabilityBest(post) {
			a.Arms[i].ProbBest = p
		}
	}
	_, a.SRMP = stats.SampleRatio(exposures, weights)

	// The leader is the significant treatment with the best rate, else the
	// best rate.
	best := -1
	for i := 1; i < len(a.Arms); i++ {
		if best < 0 || a.Arms[i].Rate > a.Arms[best].Rate {
			best = i
		}
	}
	// A treatment leads only once it converts better than the control;
	// with no conversions yet nobody leads.
	switch {
	case best > 0 && a.Arms[best].Rate > a.Arms[0].Rate:
		a.Leader = a.Arms[best].Variant.Key
	case a.Arms[0].Rate > 0:
		a.Leader = control.Key
	}
	if r := baseP.Rate(); r > 0 && r < 1 {
		a.NeededPerArm = math.Ceil(stats.SampleSize(r, min(r*(1+g.MDE), 1), g.Alpha, g.Power))
	}
	a.Status = status(a, base.Exposures, best, g)
	if a.Status == StatusWinner && a.Arms[best].Lift.AbsLift < 0 {
		a.Leader = control.Key // every treatment lost: the control wins
	}
	if a.Runtime > 0 && a.NeededPerArm > 0 {
		minArm := minExposures(a.Arms)
		perDay := float64(minArm) / a.Runtime.Hours() * 24
		if remaining := a.NeededPerArm - float64(minArm); remaining > 0 && perDay > 0 {
			a.DaysLeft = remaining / perDay
		}
	}
	return a
}

func minExposures(arms []ArmStats) uint64 {
	m := uint64(math.MaxUint64)
	for _, a := range arms {
		m = min(m, a.Totals.Exposures)
	}
	return m
}

// status applies the guards in order: a declared winner stands; a sample-
// ratio mismatch hides any winner; then runtime, sample, significance.
func status(a Analysis, controlUnits uint64, best int, g Guards) ExperimentStatus {
	switch {
	case a.Experiment.Winner != "":
		return StatusDeclared
	case a.SRMP < stats.SRMThreshold:
		return StatusSRM
	case a.Runtime < g.MinRuntime:
		return StatusCollecting
	case minExposures(a.Arms) < g.MinUnitsPerArm || controlUnits == 0:
		return StatusNeedsData
	case best > 0 && a.Arms[best].PHolm < g.Alpha && a.Arms[best].Lift.AbsLift > 0:
		return StatusWinner
	case best > 0 && allSignificantlyWorse(a.Arms, g.Alpha):
		return StatusWinner
	case a.NeededPerArm > 0 && float64(minExposures(a.Arms)) >= a.NeededPerArm:
		return StatusNoDifference
	}
	return StatusNeedsData
}

func allSignificantlyWorse(arms []ArmStats, alpha float64) bool {
	for _, a := range arms[1:] {
		if a.PHolm >= alpha || a.Lift.AbsLift >= 0 {
			return false
		}
	}
	return true
}
