// Package kpi measures the content engine as one system, from the stage
// history, reviews, decisions, experiments and people tandem records. Every
// KPI carries its definition, so MOps and CreativeOps read the numbers the
// same way.
package kpi

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/tandem-ops/tandem/core"
)

// Input is what the KPIs are computed from.
type Input struct {
	Briefs      []core.Brief
	History     []core.StageChange
	Reviews     []core.Review
	Decisions   []core.Decision
	Flows       []core.ApprovalFlow
	Experiments []core.Experiment
	// Evidence is what each experiment says as of the retro, by key (see
	// core.ExperimentResult); an experiment without one (a data error, a
	// sample-ratio mismatch, too little data) is never "what worked".
	Evidence map[string]core.Result
	People   []core.Person
	// Hours and Holidays are the workspace's calendar: SLA clocks run in
	// Hours, and Holidays cut supply, as in the approvals queue and the
	// capacity plan. Zero Hours are 09:00–17:00 on weekdays.
	Hours    core.WorkingHours
	Holidays []time.Time
}

// KPI is one measure over a period.
type KPI struct {
	Key   string  `json:"key"`
	Name  string  `json:"name"`
	Value float64 `json:"value"`
	// Unit is "days", "hours", "%", "per week", "count" or "cost".
	Unit string `json:"unit"`
	// N is how many items the value is computed from; 0 means no data, and
	// Value is then NaN-free 0 but should be read as "none".
	N          int    `json:"n"`
	Definition string `json:"definition"`
	// Better says which way is good: "up", "down", or "near_100" (closer
	// to 100 %, as for utilization, where over 100 % is overbooked).
	Better string `json:"better"`
}

// BetterNear100 is the Better of a KPI whose best value is 100 %.
const BetterNear100 = "near_100"

// Report is every KPI for one period.
type Report struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
	KPIs []KPI     `json:"kpis"`
}

// Get returns the KPI with key.
func (r Report) Get(key string) (KPI, bool) {
	for _, k := range r.KPIs {
		if k.Key == key {
			return k, true
		}
	}
	return KPI{}, false
}

// index holds what the measures need, built once per Input.
type index struct {
	in      Input
	changes map[uint64][]core.StageChange // per brief, in time order
	briefs  map[uint64]*core.Brief        // into in.Briefs: a Brief is large to copy
	people  map[string]core.Person
	flows   map[uint64]core.ApprovalFlow
	byBrief map[uint64][]core.Decision
	// Precomputed from the history, so each period is a scan of flat slices.
	created  map[uint64]time.Time
	live     []liveBrief
	approved map[uint64]time.Time
	stays    []stay
	plan     *core.Plan // capacity over every week a report may ask for
}

// liveBrief is a brief's first move to live.
type liveBrief struct {
	id   uint64
	at   time.Time
	took time.Duration // since filing
}

// stay is a brief's time in one stage, ended by its next move.
type stay struct {
	stage core.Stage
	end   time.Time
	dur   time.Duration
}

func newIndex(in Input) *index {
	ix := &index{in: in, changes: make(map[uint64][]core.StageChange, len(in.Briefs)), briefs: make(map[uint64]*core.Brief, len(in.Briefs)),
		people: map[string]core.Person{}, flows: map[uint64]core.ApprovalFlow{}, byBrief: map[uint64][]core.Decision{}}
	// One sort by brief and time, then each brief's changes are a window of
	// it: no per-brief slices to grow.
	sorted := slices.Clone(in.History)
	slices.SortStableFunc(sorted, func(a, b core.StageChange) int {
		if a.BriefID != b.BriefID {
			return cmp.Compare(a.BriefID, b.BriefID)
		}
		return a.Time.Compare(b.Time)
	})
	for i := 0; i < len(sorted); {
		j := i + 1
		for j < len(sorted) && sorted[j].BriefID == sorted[i].BriefID {
			j++
		}
		ix.changes[sorted[i].BriefID] = sorted[i:j:j]
		i = j
	}
	ix.created, ix.approved = make(map[uint64]time.Time, len(ix.changes)), map[uint64]time.Time{}
	ix.stays = make([]stay, 0, len(sorted))
	for id, cs := range ix.changes {
		ix.created[id] = cs[0].Time
		seenLive, seenApproved := false, false
		for i, c := range cs {
			if c.To == core.StageLive && !seenLive {
				ix.live, seenLive = append(ix.live, liveBrief{id: id, at: c.Time, took: c.Time.Sub(cs[0].Time)}), true
			}
			if c.To == core.StageApproved && !seenApproved {
				ix.approved[id], seenApproved = c.Time, true
			}
			if i+1 < len(cs) {
				ix.stays = append(ix.stays, stay{stage: c.To, end: cs[i+1].Time, dur: cs[i+1].Time.Sub(c.Time)})
			}
		}
	}
	for i := range in.Briefs {
		ix.briefs[in.Briefs[i].ID] = &in.Briefs[i]
	}
	for _, p := range in.People {
		ix.people[strings.ToLower(p.Name)] = p
	}
	for _, f := range in.Flows {
		ix.flows[f.ID] = f
	}
	for _, d := range in.Decisions {
		ix.byBrief[d.BriefID] = append(ix.byBrief[d.BriefID], d)
	}
	return ix
}

// noBrief stands in for a brief the history names but the store no longer
// has.
var noBrief core.Brief

// brief returns the brief with id, or an empty one.
func (ix *index) brief(id uint64) *core.Brief {
	if b, ok := ix.briefs[id]; ok {
		return b
	}
	return &noBrief
}

// Compute returns every KPI over [from, to).
func Compute(in Input, from, to time.Time) Report {
	ix := newIndex(in)
	ix.planWeeks(from, to)
	return ix.report(from, to)
}

// planWeeks plans capacity once over every week of [from, to), for the
// utilization of any period inside it.
func (ix *index) planWeeks(from, to time.Time) {
	n := max(int(to.Sub(from).Hours()/(24*7)+0.999), 1) + 1
	ix.plan = core.PlanCapacity(ix.in.People, ix.in.Briefs, core.Weeks(from, n), ix.in.Holidays)
}

// Trend is a KPI now, in the period before, and week by week.
type Trend struct {
	KPI
	Previous KPI       `json:"previous"`
	Weekly   []float64 `json:"weekly"`
}

// Trends computes every KPI over [from, to), the same KPIs over the period
// of equal length before it, and a weekly series across [from, to).
func Trends(in Input, from, to time.Time) []Trend {
	ix := newIndex(in)
	ix.planWeeks(from.Add(-to.Sub(from)), to)
	now := ix.report(from, to)
	prev := ix.report(from.Add(-to.Sub(from)), from)
	var weeks []Report
	for w := from; w.Before(to); w = w.AddDate(0, 0, 7) {
		end := w.AddDate(0, 0, 7)
		if end.After(to) {
			end = to
		}
		weeks = append(weeks, ix.report(w, end))
	}
	out := make([]Trend, len(now.KPIs))
	for i, k := range now.KPIs {
		out[i] = Trend{KPI: k, Previous: prev.KPIs[i], Weekly: make([]float64, 0, len(weeks))}
		for _, w := range weeks {
			out[i].Weekly = append(out[i].Weekly, w.KPIs[i].Value)
		}
	}
	return out
}

func within(t, from, to time.Time) bool { return !t.Before(from) && t.Before(to) }

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func ratio(num, den int) float64 {
	if den == 0 {
		return 0
	}
	return 100 * float64(num) / float64(den)
}

func days(d time.Duration) float64 { return d.Hours() / 24 }

// stageAt returns the stage brief id was in at t, and whether it existed.
func (ix *index) stageAt(id uint64, t time.Time) (core.Stage, bool) {
	var st core.Stage
	ok := false
	for _, c := range ix.changes[id] {
		if c.Time.After(t) {
			break
		}
		st, ok = c.To, true
	}
	return st, ok
}

func round1(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0
	}
	return math.Round(x*10) / 10
}
