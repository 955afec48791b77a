package cli

import (
	"maps"
	"math"
	"slices"

	"github.com/tandem-ops/tandem/core"
)

// capacityJSON is what `tandem capacity --json` prints: per person and
// per skill, one entry a week, hours in keys that say so.
type capacityJSON struct {
	SchemaVersion int                  `json:"schema_version"`
	Weeks         []core.Week          `json:"weeks"`
	People        []personCapacityJSON `json:"people"`
	Skills        []skillCapacityJSON  `json:"skills"`
	// Briefs left out of demand, by id: no estimate, or no owner.
	UnestimatedBriefIDs []uint64 `json:"unestimated_brief_ids"`
	UnassignedBriefIDs  []uint64 `json:"unassigned_brief_ids"`
}

type personCapacityJSON struct {
	Name  string         `json:"name"`
	Lane  core.LaneKind  `json:"lane"`
	Weeks []loadWeekJSON `json:"weeks"`
}

type loadWeekJSON struct {
	Week        core.Week `json:"week"`
	SupplyHours float64   `json:"supply_hours"`
	DemandHours float64   `json:"demand_hours"`
	// UtilizationPercent is demand over supply; null with a reason when
	// there is demand but no supply.
	UtilizationPercent *float64 `json:"utilization_percent"`
	Note               string   `json:"note,omitempty"`
	BriefIDs           []uint64 `json:"brief_ids,omitempty"`
}

type skillCapacityJSON struct {
	Skill string          `json:"skill"`
	Weeks []skillWeekJSON `json:"weeks"`
}

type skillWeekJSON struct {
	Week           core.Week `json:"week"`
	SupplyHours    float64   `json:"supply_hours"`
	DemandHours    float64   `json:"demand_hours"`
	ShortfallHours float64   `json:"shortfall_hours"`
}

// capacityJSONOf shapes a plan for scripts.
func capacityJSONOf(plan *core.Plan) capacityJSON {
	out := capacityJSON{SchemaVersion: 1, Weeks: plan.Weeks, People: []personCapacityJSON{}, Skills: []skillCapacityJSON{},
		UnestimatedBriefIDs: orEmpty(plan.Unestimated), UnassignedBriefIDs: orEmpty(plan.Unassigned)}
	for _, p := range plan.People {
		pc := personCapacityJSON{Name: p.Name, Lane: p.Lane}
		for i, l := range plan.Load[p.ID] {
			w := loadWeekJSON{Week: plan.Weeks[i], SupplyHours: round2(l.Supply), DemandHours: round2(l.Demand)}
			if u := l.Utilization(); math.IsInf(u, 0) || math.IsNaN(u) {
				w.Note = "demand with no supply (time off, or no hours)"
			} else {
				pct := round2(100 * u)
				w.UtilizationPercent = &pct
			}
			for _, a := range l.Briefs {
				w.BriefIDs = append(w.BriefIDs, a.BriefID)
			}
			pc.Weeks = append(pc.Weeks, w)
		}
		out.People = append(out.People, pc)
	}
	for _, s := range slices.Sorted(maps.Keys(plan.Skills)) {
		sc := skillCapacityJSON{Skill: s}
		for i, sw := range plan.Skills[s] {
			sc.Weeks = append(sc.Weeks, skillWeekJSON{Week: plan.Weeks[i], SupplyHours: round2(sw.Supply), DemandHours: round2(sw.Demand), ShortfallHours: round2(sw.Shortfall)})
		}
		out.Skills = append(out.Skills, sc)
	}
	return out
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }
