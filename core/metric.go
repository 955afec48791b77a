package core

import "fmt"

// MetricKind is what a metric measures for each arm.
type MetricKind string

// The metric kinds. Conversion is the rate the decision rule reads;
// revenue is a mean per exposed unit; revenue per converter is a ratio of
// two per-unit means, read with the delta method.
const (
	MetricConversion          MetricKind = "conversion"
	MetricRevenue             MetricKind = "revenue"
	MetricRevenuePerConverter MetricKind = "revenue_per_converter"
)

// MetricRole is what a metric does in the decision.
type MetricRole string

// The roles. The primary metric decides; a guardrail that moves
// significantly the wrong way blocks a winner; a secondary one is shown.
const (
	MetricPrimary   MetricRole = "primary"
	MetricGuardrail MetricRole = "guardrail"
	MetricSecondary MetricRole = "secondary"
)

// Metric is one metric of an experiment. Every kind is better higher.
type Metric struct {
	Kind MetricKind `json:"kind"`
	Role MetricRole `json:"role"`
}

// String names the metric as the panel does, e.g. "revenue per unit".
func (k MetricKind) String() string {
	switch k {
	case MetricConversion:
		return "conversion rate"
	case MetricRevenue:
		return "revenue per unit"
	case MetricRevenuePerConverter:
		return "revenue per converter"
	}
	return string(k)
}

// MetricsOr returns e's metrics: its own, or by default the conversion
// rate as primary and, once any arm has revenue, revenue per unit as a
// secondary metric.
func (e Experiment) MetricsOr(totals map[string]VariantTotals) []Metric {
	if len(e.Metrics) > 0 {
		return e.Metrics
	}
	out := []Metric{{Kind: MetricConversion, Role: MetricPrimary}}
	for _, t := range totals {
		if t.Revenue != 0 {
			return append(out, Metric{Kind: MetricRevenue, Role: MetricSecondary})
		}
	}
	return out
}

// PrimaryMetric is the kind of the metric that decides among metrics:
// the conversion rate unless another is marked primary.
func PrimaryMetric(metrics []Metric) MetricKind {
	for _, m := range metrics {
		if m.Role == MetricPrimary {
			return m.Kind
		}
	}
	return MetricConversion
}

// checkMetrics adds the problems of e's own metrics to f: exactly one
// primary, the conversion rate or revenue per unit (a per-unit quantity
// the rules can read; revenue per converter is a ratio over a subset),
// each kind once, and no Bayesian rule over revenue, whose Beta
// posteriors are for rates.
func (e Experiment) checkMetrics(f *fieldErrors) {
	if len(e.Metrics) == 0 {
		return
	}
	primary := 0
	seen := map[MetricKind]bool{}
	for i, m := range e.Metrics {
		field := fmt.Sprintf("metrics[%d]", i)
		switch m.Kind {
		case MetricConversion, MetricRevenue, MetricRevenuePerConverter:
		default:
			f.add(field+".kind", "is %q; use conversion, revenue or revenue_per_converter", m.Kind)
		}
		switch m.Role {
		case MetricPrimary:
			primary++
			if m.Kind == MetricRevenuePerConverter { // an unknown kind is said above, once
				f.add(field+".kind", "is %q; the primary metric is conversion or revenue, which the decision rules read", m.Kind)
			}
			if m.Kind == MetricRevenue && e.Guards != nil && e.Guards.Policy.Rule == RuleBayesian {
				f.add(field+".kind", "is revenue under the Bayesian rule, which reads conversion rates; use the sequential or fixed rule")
			}
		case MetricGuardrail, MetricSecondary:
		default:
			f.add(field+".role", "is %q; use primary, guardrail or secondary", m.Role)
		}
		if seen[m.Kind] {
			f.add(field+".kind", "%q is listed twice", m.Kind)
		}
		seen[m.Kind] = true
	}
	if primary != 1 {
		f.add("metrics", "has %d primary metrics; an experiment has exactly one", primary)
	}
}
