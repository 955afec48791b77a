package core

import (
	"fmt"
	"math"

	"github.com/tandem-ops/tandem/core/stats"
)

// MetricResult is one arm's guardrail or secondary metric: its value and,
// for a treatment, its difference from the control with an interval and
// p-value of the same kind as the rule's lift.
type MetricResult struct {
	Kind MetricKind `json:"kind"`
	Role MetricRole `json:"role"`
	// Value is the arm's revenue per unit, or revenue per converter; nil
	// while it has no units (or no converters).
	Value *float64 `json:"value"`
	// Diff is the treatment's value minus the control's; nil for the
	// control, and while either side lacks the units or the variance.
	Diff *MeanLift `json:"diff"`
	// Moved is "up" or "down" once the interval excludes 0, else "".
	Moved string `json:"moved,omitempty"`
}

// Directions a metric moved, significantly.
const (
	MovedUp   = "up"
	MovedDown = "down"
)

// compareMetrics sets every arm's guardrail and secondary metrics.
// Differences use the interval of the rule, at 1 − α/m like the lift's:
// always valid under the sequential rule, fixed-horizon otherwise (Welch
// for revenue per unit, the normal interval of the delta method for
// revenue per converter).
func compareMetrics(arms []ArmStats, metrics []Metric, d DecisionPolicy) {
	m := len(arms) - 1
	alpha := d.Alpha / float64(max(m, 1))
	seq := stats.NewSequential(alpha, d.Tuning)
	c := arms[0].Totals
	for i := range arms {
		arm := &arms[i]
		if arm.Verdict == VerdictInvalid {
			continue
		}
		for _, metric := range metrics {
			if metric.Role == MetricPrimary {
				continue
			}
			r := MetricResult{Kind: metric.Kind, Role: metric.Role}
			switch metric.Kind {
			case MetricRevenue:
				r.Value = arm.RevenuePerUnit
				if i > 0 {
					r.Diff = arm.Revenue
				}
			case MetricRevenuePerConverter:
				if t := arm.Totals; t.Converters > 0 {
					r.Value = ptr(ratioSample(t).Ratio())
				}
				if i > 0 {
					r.Diff = ratioDiff(c, arm.Totals, d.Rule, seq, alpha)
				}
			}
			if r.Diff != nil {
				switch {
				case r.Diff.CI.Low > 0:
					r.Moved = MovedUp
				case r.Diff.CI.High < 0:
					r.Moved = MovedDown
				}
			}
			arm.Metrics = append(arm.Metrics, r)
		}
	}
}

// ratioSample is revenue per converter as a ratio of per-unit means:
// revenue over whether the unit converted (a 0/1 value, its own square).
func ratioSample(t VariantTotals) stats.RatioSample {
	return stats.RatioSample{
		X:     stats.Sample{N: t.Exposures, Sum: t.Revenue, SumSq: t.RevenueSq},
		Y:     stats.Sample{N: t.Exposures, Sum: float64(t.Converters), SumSq: float64(t.Converters)},
		SumXY: t.ConverterRevenue,
	}
}

// ratioDiff is the difference in revenue per converter, treatment minus
// control, with the delta method's standard error; nil below two units
// or without converters or variance on either side.
func ratioDiff(c, t VariantTotals, rule DecisionRule, seq stats.Sequential, alpha float64) *MeanLift {
	if c.Exposures < 2 || t.Exposures < 2 || c.Converters == 0 || t.Converters == 0 {
		return nil
	}
	rc, rt := ratioSample(c), ratioSample(t)
	diff := rt.Ratio() - rc.Ratio()
	se := math.Hypot(rc.SE(), rt.SE())
	if se == 0 || !finite(diff, se) {
		return nil
	}
	var r MeanLift
	if rule == RuleSequential {
		n := float64(c.Exposures + t.Exposures)
		r = MeanLift{Diff: diff, CI: seq.Interval(diff, se, n), P: seq.P(diff, se, n)}
	} else {
		z := stats.NormalQuantile(1 - alpha/2)
		r = MeanLift{Diff: diff, CI: stats.Interval{Low: diff - z*se, High: diff + z*se}, P: 2 * stats.NormalCDF(-math.Abs(diff/se))}
	}
	if !finite(r.CI.Low, r.CI.High, r.P) {
		return nil
	}
	return &r
}

// blockedBy names the guardrails that moved significantly the wrong way
// for arm, with their difference and interval; none when it may win.
func blockedBy(arm ArmStats) []string {
	var out []string
	for _, r := range arm.Metrics {
		if r.Role == MetricGuardrail && r.Moved == MovedDown {
			out = append(out, fmt.Sprintf("guardrail %s moved the wrong way: %+.2f [%+.2f, %+.2f]", r.Kind, r.Diff.Diff, r.Diff.CI.Low, r.Diff.CI.High))
		}
	}
	return out
}
