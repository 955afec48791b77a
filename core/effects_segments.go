package core

// EffectsBreakdown is a factorial test's component effects by one
// attribute of its units: exploratory, like every breakdown.
type EffectsBreakdown struct {
	Attr   string           `json:"attr"`
	Note   string           `json:"note"`
	Levels []SegmentEffects `json:"levels"`
	// Omitted counts the levels past MaxSegmentLevels, left out.
	Omitted int `json:"omitted_levels"`
}

// SegmentEffects are the component effects on the units with one value
// of the attribute.
type SegmentEffects struct {
	Value   string  `json:"value"`
	Units   uint64  `json:"units"`
	Effects Effects `json:"effects"`
}

// FactorialEffectsBy reads a factorial experiment's effects on each value
// of attr (the MaxSegmentLevels largest by units), given each value's
// variant totals, as FactorialEffects reads them on all units. ok is false
// for an experiment that is not factorial.
func FactorialEffectsBy(e Experiment, attr string, levels map[string]map[string]VariantTotals, alpha float64) (EffectsBreakdown, bool, error) {
	b := EffectsBreakdown{Attr: attr, Note: SegmentNote, Levels: make([]SegmentEffects, 0, min(len(levels), MaxSegmentLevels))}
	if len(e.Factors) == 0 {
		return b, false, nil
	}
	var order []segmentLevel
	order, b.Omitted = largestLevels(levels)
	for _, l := range order {
		eff, _, err := FactorialEffects(e, levels[l.value], alpha)
		if err != nil {
			return b, true, err
		}
		b.Levels = append(b.Levels, SegmentEffects{Value: l.value, Units: l.units, Effects: eff})
	}
	return b, true, nil
}
