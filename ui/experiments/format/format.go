// Package format renders experiment numbers the way the Experiments tab
// and `tandem experiment show` print them: each to the precision its method
// supports, a number that does not exist as a dash, and every status and
// verdict with a symbol so that none is told by colour alone.
package format

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/tandem-ops/tandem/core"
)

// Missing stands for a number the data does not give; the arm's notes say
// why.
const Missing = "—"

// Rate is a rate with its interval, e.g. "2.64% [2.24, 3.10]".
func Rate(arm core.ArmStats) string {
	if arm.Rate == nil || arm.RateCI == nil {
		return Missing
	}
	return fmt.Sprintf("%.2f%% [%.2f, %.2f]", 100**arm.Rate, 100*arm.RateCI.Low, 100*arm.RateCI.High)
}

// RateCI is a rate's 95 % Wilson interval, e.g. "2.24% to 3.10%".
func RateCI(arm core.ArmStats) string {
	if arm.RateCI == nil {
		return Missing
	}
	return fmt.Sprintf("%.2f%% to %.2f%%", 100*arm.RateCI.Low, 100*arm.RateCI.High)
}

// ShortRate is a rate alone, for narrow screens.
func ShortRate(arm core.ArmStats) string {
	if arm.Rate == nil {
		return Missing
	}
	return fmt.Sprintf("%.2f%%", 100**arm.Rate)
}

// Lift is a relative lift with the rule's interval, e.g.
// "+5.0% [+2.3, +7.7]"; the control shows "control".
func Lift(arm core.ArmStats) string {
	switch {
	case arm.Variant.Control:
		return "control"
	case arm.Lift == nil:
		return Missing
	}
	l := arm.Lift
	return fmt.Sprintf("%+.1f%% [%+.1f, %+.1f]", 100*l.Estimate, 100*l.CI.Low, 100*l.CI.High)
}

// Level is the level of the rule's lift intervals, 1 − α/m over the m
// treatments, e.g. "97.5%".
func Level(a core.Analysis) string {
	m := max(a.Plan.Comparisons, 1)
	level := 100 * (1 - a.Policy.Alpha/float64(m))
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", level), "0"), ".") + "%"
}

// LiftHeader names the lift column with the level of its intervals and
// whether they are always valid, e.g. "LIFT [97.5% AV]".
func LiftHeader(a core.Analysis) string {
	h := "LIFT [" + Level(a)
	if a.Policy.Rule == core.RuleSequential {
		h += " AV"
	}
	return h + "]"
}

// Decides names the primary metric after the rule, as " on revenue per
// unit", when it is not the conversion rate (the default, left unsaid).
func Decides(a core.Analysis) string {
	if k := core.PrimaryMetric(a.Metrics); k != core.MetricConversion {
		return " on " + k.String()
	}
	return ""
}

// PHeader names the p-value column: always valid or Holm-adjusted.
func PHeader(a core.Analysis) string {
	if a.Policy.Rule == core.RuleSequential {
		return "P (AV)"
	}
	return "P (HOLM)"
}

// P is the rule's p-value to three decimals, "<0.001" below that.
func P(arm core.ArmStats) string {
	switch {
	case arm.Lift == nil:
		return Missing
	case arm.Lift.P < 0.001:
		return "<0.001"
	}
	return fmt.Sprintf("%.3f", arm.Lift.P)
}

// Prob is a probability to a tenth of a percent, which the integration
// behind it supports (to 10⁻⁵); it never rounds to a certainty it is not.
func Prob(p *float64) string {
	switch {
	case p == nil:
		return Missing
	case *p < 0.0005 && *p > 0:
		return "<0.1%"
	case *p > 0.9995 && *p < 1:
		return ">99.9%"
	}
	return fmt.Sprintf("%.1f%%", 100**p)
}

// Beat is the chance to beat the control.
func Beat(arm core.ArmStats) string {
	if arm.Bayes == nil {
		return Missing
	}
	return Prob(&arm.Bayes.ChanceToBeat)
}

// Risk is the expected loss of shipping the arm, relative to the
// control's rate.
func Risk(arm core.ArmStats) string {
	if arm.Bayes == nil {
		return Missing
	}
	return fmt.Sprintf("%.2f%%", 100*arm.Bayes.Risk)
}

// Verdict is an arm's verdict with its symbol.
func Verdict(v core.Verdict) string {
	switch v {
	case core.VerdictWins:
		return "▲ wins"
	case core.VerdictLoses:
		return "▼ loses"
	case core.VerdictEquivalent:
		return "= same"
	case core.VerdictInconclusive:
		return "? open"
	case core.VerdictPending:
		return "… wait"
	case core.VerdictInvalid:
		return "✗ bad data"
	case core.VerdictBlocked:
		return "⛔ guardrail"
	}
	return string(v)
}

// Status is an experiment's status with its symbol and what it names:
// the winners, or the days still needed, e.g. "★ winner: c" or
// "? inconclusive ~12 days".
func Status(a core.Analysis) string {
	switch a.Status {
	case core.StatusWinner:
		if len(a.Winners) == 0 {
			return "★ control wins"
		}
		return "★ winner: " + strings.Join(a.Winners, ", ")
	case core.StatusDeclared:
		return "★ declared"
	case core.StatusVoid:
		if len(a.Problems) > 0 {
			return "✗ void: data error"
		}
		return "✗ void: SRM!"
	case core.StatusSRM:
		return "⚠ SRM!"
	case core.StatusDataError:
		return "✗ data error"
	case core.StatusGuardrail:
		return "⛔ guardrail: " + strings.Join(a.Blocked, ", ")
	case core.StatusNoDifference:
		return "= no difference"
	case core.StatusInconclusive:
		return "? inconclusive" + daysLeft(a)
	case core.StatusNeedsData:
		return "… needs more data" + daysLeft(a)
	}
	return "… " + string(a.Status)
}

// daysLeft is " ~N days" when the plan says so.
func daysLeft(a core.Analysis) string {
	d := a.Plan.DaysLeft
	if d == nil || *d <= 0 {
		return ""
	}
	return " " + Days(*d)
}

// Days is an estimate of days, rounded up: "~12 days", "under a day", or
// "over a year" past 365.
func Days(d float64) string {
	switch {
	case d > 365:
		return "over a year"
	case d < 1:
		return "under a day"
	}
	if n := math.Ceil(d); n > 1 {
		return fmt.Sprintf("~%.0f days", n)
	}
	return "~1 day"
}

// Units is a count of units with thousands separators.
func Units(n float64) string {
	s := fmt.Sprintf("%.0f", n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// MetricValue is a guardrail or secondary metric's value to two decimals.
func MetricValue(r core.MetricResult) string {
	if r.Value == nil {
		return Missing
	}
	return fmt.Sprintf("%.2f", *r.Value)
}

// MetricDiff is a treatment's difference from the control with the
// rule's interval and, once significant, which way it moved, e.g.
// "-0.50 [-0.72, -0.28] ▼".
func MetricDiff(r core.MetricResult) string {
	if r.Diff == nil {
		return Missing
	}
	s := fmt.Sprintf("%+.2f [%+.2f, %+.2f]", r.Diff.Diff, r.Diff.CI.Low, r.Diff.CI.High)
	switch r.Moved {
	case core.MovedUp:
		s += " ▲"
	case core.MovedDown:
		s += " ▼"
	}
	return s
}

// MetricP is a metric difference's p-value, like P.
func MetricP(r core.MetricResult) string {
	switch {
	case r.Diff == nil:
		return Missing
	case r.Diff.P < 0.001:
		return "<0.001"
	}
	return fmt.Sprintf("%.3f", r.Diff.P)
}

// MetricRows are the guardrail and secondary metrics as table rows, one
// per metric and arm, under a header naming the interval's level; nil
// when the experiment has none.
func MetricRows(a core.Analysis) [][]string {
	var rows [][]string
	for _, metric := range a.Metrics {
		if metric.Role == core.MetricPrimary {
			continue
		}
		for _, arm := range a.Arms {
			i := slices.IndexFunc(arm.Metrics, func(r core.MetricResult) bool { return r.Kind == metric.Kind })
			if i < 0 {
				continue // an arm with bad data has no metrics
			}
			r := arm.Metrics[i]
			diff, p := MetricDiff(r), MetricP(r)
			if arm.Variant.Control {
				diff, p = "control", ""
			}
			rows = append(rows, []string{metric.Kind.String(), string(metric.Role), arm.Variant.Key, MetricValue(r), diff, p})
		}
	}
	if len(rows) == 0 {
		return nil
	}
	h := strings.Replace(LiftHeader(a), "LIFT", "DIFF", 1)
	return append([][]string{{"METRIC", "ROLE", "VARIANT", "VALUE", h, PHeader(a)}}, rows...)
}

// SegmentRows are a breakdown as table rows, one per level and arm, under
// a header naming the attribute and the lift's level and kind.
func SegmentRows(a core.Analysis, b core.Breakdown) [][]string {
	rows := [][]string{{strings.ToUpper(b.Attr), "VARIANT", "UNITS", "RATE", LiftHeader(a), PHeader(a)}}
	for _, s := range b.Levels {
		for _, arm := range s.Arms {
			st := core.ArmStats{Variant: core.Variant{Key: arm.Variant, Control: arm.Control}, Rate: arm.Rate, Lift: arm.Lift}
			p := P(st)
			if arm.Control {
				p = ""
			}
			rows = append(rows, []string{s.Value, arm.Variant, fmt.Sprint(arm.Units), ShortRate(st), Lift(st), p})
		}
	}
	return rows
}
