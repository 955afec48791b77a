package kpi

import (
	"strings"
	"time"

	"github.com/tandem-ops/tandem/core"
)

// report computes every KPI over [from, to), in a fixed order.
func (ix *index) report(from, to time.Time) Report {
	r := Report{From: from, To: to}
	add := func(k KPI) { k.Value = round1(k.Value); r.KPIs = append(r.KPIs, k) }
	add(ix.cycleTime(from, to))
	for _, s := range []core.Stage{core.StageIntake, core.StagePlanned, core.StageInProduction, core.StageReview, core.StageApproved} {
		add(ix.timeIn(s, from, to))
	}
	add(ix.onTime(from, to))
	add(ix.throughput(from, to))
	add(ix.wip(to))
	add(ix.approvalTime(from, to))
	add(ix.firstPass(from, to))
	add(ix.revisions(from, to))
	add(ix.rework(from, to))
	add(ix.slaBreaches(from, to))
	add(ix.learningSpeed(from, to))
	add(ix.winRate(from, to))
	add(ix.responsiveness(from, to))
	add(ix.reuse())
	add(ix.costPerAsset(from, to))
	add(ix.utilization(from, to))
	return r
}

// shipped calls fn for each brief that first went live in [from, to).
func (ix *index) shipped(from, to time.Time, fn func(b *core.Brief, l liveBrief)) {
	for _, l := range ix.live {
		if within(l.at, from, to) {
			fn(ix.brief(l.id), l)
		}
	}
}

func (ix *index) cycleTime(from, to time.Time) KPI {
	var xs []float64
	ix.shipped(from, to, func(_ *core.Brief, l liveBrief) { xs = append(xs, days(l.took)) })
	return KPI{Key: "cycle_time", Name: "Cycle time, intake → live", Value: median(xs), Unit: "days", N: len(xs), Better: "down",
		Definition: "Median days from a brief's filing to its first move to live, over briefs that went live in the period."}
}

func (ix *index) timeIn(stage core.Stage, from, to time.Time) KPI {
	var xs []float64
	for _, s := range ix.stays {
		if s.stage == stage && within(s.end, from, to) {
			xs = append(xs, days(s.dur))
		}
	}
	return KPI{Key: "time_in_" + strings.ReplaceAll(stage.String(), " ", "_"), Name: "Time in " + strings.TrimPrefix(stage.String(), "in "), Value: median(xs), Unit: "days", N: len(xs), Better: "down",
		Definition: "Median days a brief stayed in " + stage.String() + ", over stays that ended in the period."}
}

func (ix *index) onTime(from, to time.Time) KPI {
	n, ok := 0, 0
	ix.shipped(from, to, func(b *core.Brief, l liveBrief) {
		if b.Due.IsZero() {
			return
		}
		n++
		if !l.at.After(b.Due.AddDate(0, 0, 1)) { // due dates are whole days
			ok++
		}
	})
	return KPI{Key: "on_time", Name: "On-time delivery", Value: ratio(ok, n), Unit: "%", N: n, Better: "up",
		Definition: "Share of briefs that went live in the period by the end of their due date."}
}

func (ix *index) throughput(from, to time.Time) KPI {
	n := 0
	ix.shipped(from, to, func(*core.Brief, liveBrief) { n++ })
	weeks := max(to.Sub(from).Hours()/(24*7), 1.0/7)
	return KPI{Key: "throughput", Name: "Throughput", Value: float64(n) / weeks, Unit: "per week", N: n, Better: "up",
		Definition: "Briefs that went live in the period, per week."}
}

func (ix *index) wip(at time.Time) KPI {
	n := 0
	for id := range ix.changes {
		if st, ok := ix.stageAt(id, at); ok && st >= core.StagePlanned && st <= core.StageApproved {
			n++
		}
	}
	return KPI{Key: "wip", Name: "Work in progress", Value: float64(n), Unit: "count", N: n, Better: "down",
		Definition: "Briefs between planned and approved at the end of the period."}
}

// approvedAt is when a review's brief entered approved, if it has.
func (ix *index) approvedAt(r core.Review) (time.Time, bool) {
	if r.Status != core.ReviewApproved {
		return time.Time{}, false
	}
	t, ok := ix.approved[r.BriefID]
	return t, ok
}

func (ix *index) approvalTime(from, to time.Time) KPI {
	var xs []float64
	for _, r := range ix.in.Reviews {
		if t, ok := ix.approvedAt(r); ok && within(t, from, to) && len(r.Copies) > 0 {
			xs = append(xs, t.Sub(r.Copies[0].Submitted).Hours())
		}
	}
	return KPI{Key: "approval_time", Name: "Approval time", Value: median(xs), Unit: "hours", N: len(xs), Better: "down",
		Definition: "Median hours from a brief's first submission for review to its approval, over approvals in the period."}
}

func (ix *index) firstPass(from, to time.Time) KPI {
	n, first := 0, 0
	for _, r := range ix.in.Reviews {
		if t, ok := ix.approvedAt(r); ok && within(t, from, to) {
			n++
			if r.Round == 1 {
				first++
			}
		}
	}
	return KPI{Key: "first_pass", Name: "First-pass approval", Value: ratio(first, n), Unit: "%", N: n, Better: "up",
		Definition: "Share of approvals in the period that needed no request for changes (approved in round 1)."}
}

// decidedIn reports whether a review's last decision falls in [from, to).
func (ix *index) decidedIn(r core.Review, from, to time.Time) bool {
	ds := ix.byBrief[r.BriefID]
	return len(ds) > 0 && within(ds[len(ds)-1].Time, from, to)
}

func (ix *index) revisions(from, to time.Time) KPI {
	n, rounds := 0, 0
	for _, r := range ix.in.Reviews {
		if ix.decidedIn(r, from, to) {
			n++
			rounds += r.Round - 1
		}
	}
	v := 0.0
	if n > 0 {
		v = float64(rounds) / float64(n)
	}
	return KPI{Key: "revisions", Name: "Revisions per asset", Value: v, Unit: "count", N: n, Better: "down",
		Definition: "Mean extra review rounds per asset, over reviews with a decision in the period."}
}

func (ix *index) rework(from, to time.Time) KPI {
	n, re := 0, 0
	for _, r := range ix.in.Reviews {
		if !ix.decidedIn(r, from, to) {
			continue
		}
		n++
		for _, d := range ix.byBrief[r.BriefID] {
			if d.Kind == core.DecisionRequestChanges {
				re++
				break
			}
		}
	}
	return KPI{Key: "rework", Name: "Rework rate", Value: ratio(re, n), Unit: "%", N: n, Better: "down",
		Definition: "Share of reviews with a decision in the period that had changes requested at least once."}
}

func (ix *index) slaBreaches(from, to time.Time) KPI {
	wh := ix.in.Hours
	n, late := 0, 0
	for _, r := range ix.in.Reviews {
		fl, ok := ix.flows[r.FlowID]
		if !ok || len(fl.Stages) == 0 {
			continue
		}
		for _, c := range r.Copies {
			if !within(c.Submitted, from, to) {
				continue
			}
			due := wh.Add(c.Submitted, fl.Stages[0].SLAHours)
			var first time.Time
			for _, d := range ix.byBrief[r.BriefID] {
				if d.Round == c.Round && d.Kind != core.DecisionComment {
					first = d.Time
					break
				}
			}
			switch {
			case !first.IsZero():
				n++
				if first.After(due) {
					late++
				}
			case to.After(due): // undecided and already past due
				n++
				late++
			}
		}
	}
	return KPI{Key: "sla_breach", Name: "SLA breach rate", Value: ratio(late, n), Unit: "%", N: n, Better: "down",
		Definition: "Share of review rounds submitted in the period whose first decision came after the first stage's SLA (working hours), undecided rounds past due included."}
}

func (ix *index) learningSpeed(from, to time.Time) KPI {
	var xs []float64
	for _, e := range ix.in.Experiments {
		if e.Winner != "" && within(e.Decided, from, to) {
			xs = append(xs, days(e.Decided.Sub(e.Started)))
		}
	}
	return KPI{Key: "learning_speed", Name: "Learning speed", Value: median(xs), Unit: "days", N: len(xs), Better: "down",
		Definition: "Median days from an experiment's launch to its declared decision, over decisions in the period."}
}

// winRate counts only decisions whose data still holds (ix.in.Evidence):
// a winner declared before a sample-ratio mismatch or a data error showed
// up is no longer a win, nor a decision to count.
func (ix *index) winRate(from, to time.Time) KPI {
	n, won := 0, 0
	for _, e := range ix.in.Experiments {
		r, holds := ix.in.Evidence[e.Key]
		if e.Winner == "" || !within(e.Decided, from, to) || !holds || r.Evidence != core.EvidenceDeclared {
			continue
		}
		n++
		if v, ok := e.Variant(e.Winner); ok && !v.Control {
			won++
		}
	}
	return KPI{Key: "win_rate", Name: "Experiment win rate", Value: ratio(won, n), Unit: "%", N: n, Better: "up",
		Definition: "Share of experiments decided in the period where a new variant beat the control, over decisions whose data still holds (no sample-ratio mismatch or data error)."}
}

func (ix *index) responsiveness(from, to time.Time) KPI {
	var xs []float64
	for _, e := range ix.in.Experiments {
		if e.Winner == "" || !within(e.Decided, from, to) {
			continue
		}
		best := time.Duration(-1)
		for id, created := range ix.created {
			b := ix.brief(id)
			if !created.After(e.Decided) || !(strings.EqualFold(b.Channel, e.Channel) || strings.EqualFold(b.Audience, e.Audience)) {
				continue
			}
			if d := created.Sub(e.Decided); best < 0 || d < best {
				best = d
			}
		}
		if best >= 0 {
			xs = append(xs, days(best))
		}
	}
	return KPI{Key: "responsiveness", Name: "System responsiveness", Value: median(xs), Unit: "days", N: len(xs), Better: "down",
		Definition: "Median days from a declared winner to the next brief filed on its channel or audience, which carries it as context."}
}

func (ix *index) costPerAsset(from, to time.Time) KPI {
	n, cost := 0, 0.0
	ix.shipped(from, to, func(b *core.Brief, _ liveBrief) {
		p, ok := ix.people[strings.ToLower(b.Owner)]
		if !ok || !b.HasEstimate() {
			return
		}
		hours := b.EstimateHours
		if p.Lane == core.LaneAI {
			speed := p.Speedup
			if speed == 0 {
				speed = core.DefaultAISpeedup
			}
			hours /= speed // the model's machine hours
		}
		n++
		cost += hours * p.CostPerHour
	})
	v := 0.0
	if n > 0 {
		v = cost / float64(n)
	}
	return KPI{Key: "cost_per_asset", Name: "Cost per asset", Value: v, Unit: "cost", N: n, Better: "down",
		Definition: "Mean estimated hours × the owner's cost per hour (the AI lane at its machine hours), over briefs that went live in the period."}
}

// utilization is demand over supply in the period's weeks, from the same
// plan as the Capacity tab; its n is the briefs whose planned hours fall
// in those weeks, so a period with no planned work reads as no data, not
// as 0 %.
func (ix *index) utilization(from, to time.Time) KPI {
	var supply, demand float64
	briefs := map[uint64]bool{}
	for w, week := range ix.plan.Weeks {
		if mon := week.Monday(); mon.Before(core.WeekOf(from).Monday()) || !mon.Before(to) {
			continue
		}
		for _, loads := range ix.plan.Load {
			supply += loads[w].Supply
			demand += loads[w].Demand
			for _, a := range loads[w].Briefs {
				briefs[a.BriefID] = true
			}
		}
	}
	return KPI{Key: "utilization", Name: "Capacity utilization", Value: ratio(int(demand*100), int(supply*100)), Unit: "%", N: len(briefs), Better: BetterNear100,
		Definition: "Planned demand over supply across everyone in the period's weeks, as the Capacity tab plans it (100 % is fully booked; nearer 100 % is better, over it is overbooked)."}
}
