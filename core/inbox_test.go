package core

import (
	"strings"
	"testing"
	"time"
)

func TestInbox(t *testing.T) {
	now := time.Date(2026, 11, 4, 12, 0, 0, 0, time.UTC)
	ana := Identity{Name: "Ana", Role: RoleMOps}
	briefs := []Brief{
		{ID: 1, Title: "Mine", Owner: "ana", Stage: StagePlanned, Due: now.AddDate(0, 0, 3)},
		{ID: 2, Title: "Mine, late", Owner: "Ana", Stage: StageInProduction, Due: now.AddDate(0, 0, -1)},
		{ID: 3, Title: "Shipped", Owner: "Ana", Stage: StageLive},
		{ID: 4, Title: "Bo's", Owner: "Bo", Stage: StagePlanned},
	}
	queue := []QueueEntry{
		{Brief: Brief{ID: 5, Title: "Waiting on Ana"}, Waiting: []string{"Ana"}, SLA: SLA{Risk: RiskBreached}},
		{Brief: Brief{ID: 6, Title: "Waiting on Cy"}, Waiting: []string{"Cy"}},
	}
	analyses := []Analysis{
		{Experiment: Experiment{Key: "x", Name: "X"}, Status: StatusWinner, Leader: "b"},
		{Experiment: Experiment{Key: "y", Name: "Y"}, Status: StatusCollecting},
	}
	items := Inbox(ana, briefs, queue, analyses, now)
	if len(items) != 4 {
		t.Fatalf("inbox = %+v", items)
	}
	if !items[0].Urgent || !items[1].Urgent || items[2].Urgent {
		t.Fatalf("urgent items are not first: %+v", items)
	}
	// A creative cannot declare winners, so experiments are not theirs.
	if got := Inbox(Identity{Name: "Ana", Role: RoleCreative}, briefs, queue, analyses, now); len(got) != 3 {
		t.Fatalf("creative's inbox = %+v", got)
	}
}

// Ensure that the inbox asks to declare only what the rule decided, with
// the interval it read, and flags experiments that count as no evidence.
func TestInbox_Evidence(t *testing.T) {
	ana := Identity{Name: "Ana", Role: RoleMOps}
	at := func(days int) time.Time { return analysisStart.AddDate(0, 0, days) }
	named := func(key string) Experiment { e := twoArms(); e.Key, e.Name = key, strings.ToUpper(key); return e }
	guarded, undone := named("guarded"), named("undone")
	undone.Winner = "b"
	guarded.Metrics = []Metric{{Kind: MetricConversion, Role: MetricPrimary}, {Kind: MetricRevenue, Role: MetricGuardrail}}
	analyses := []Analysis{
		Analyze(named("won"), totals2(10000, 400, 10000, 520), at(10), DefaultGuards()),
		Analyze(named("lead"), totals2(1000, 133, 1000, 140), at(2), DefaultGuards()),
		Analyze(named("flat"), totals2(5000, 200, 5000, 205), at(10), DefaultGuards()),
		Analyze(named("srm"), totals2(10000, 400, 11000, 600), at(10), DefaultGuards()),
		Analyze(named("broken"), totals2(1200, 1620, 1200, 100), at(10), DefaultGuards()),
		Analyze(undone, totals2(10000, 400, 11000, 600), at(10), DefaultGuards()),
		Analyze(guarded, map[string]VariantTotals{
			"a": {Exposures: 10000, Converters: 400, Revenue: 20000, RevenueSq: 10000 * (25 + 4)},
			"b": {Exposures: 10000, Converters: 520, Revenue: 15000, RevenueSq: 10000 * (25 + 2.25)},
		}, at(10), DefaultGuards()),
	}
	items := Inbox(ana, nil, nil, analyses, at(10))
	got := map[string]InboxItem{}
	for _, it := range items {
		got[it.Subject] = it
	}
	if len(items) != 5 {
		t.Fatalf("inbox = %+v", items)
	}
	if u := got["experiment/undone"]; !u.Urgent || !strings.Contains(u.Text, "the declared winner b no longer holds") {
		t.Errorf("declared winner with an SRM = %+v", u)
	}
	if g := got["experiment/guarded"]; !strings.Contains(g.Text, "b beat the control, but a guardrail moved the wrong way") || strings.Contains(g.Text, "declare") {
		t.Errorf("guardrail item = %+v", g)
	}
	won := got["experiment/won"].Text
	if !strings.Contains(won, "(b, +30.0% [") || !strings.Contains(won, "under the sequential rule") {
		t.Errorf("winner prompt = %q", won)
	}
	if !got["experiment/srm"].Urgent || !got["experiment/broken"].Urgent || !strings.Contains(got["experiment/broken"].Text, "no evidence") {
		t.Errorf("SRM and data error items = %+v", items)
	}
}

// Ensure that runs ready to start their experiment are listed, with the
// command that starts it, to those who may edit experiments and to no
// one else, and that runs at other steps are not.
func TestRunInbox(t *testing.T) {
	runs := []Run{
		{BriefID: 1, Step: RunApproval, Status: RunWaiting},
		{BriefID: 2, Step: RunExperiment, Status: RunWaiting, Reason: "approved, ready to start"},
		{BriefID: 3, Step: RunExperiment, Status: RunFailed, Reason: "key brief-3-run is taken"},
		{BriefID: 4, Step: RunDone, Status: RunFinished},
	}
	for _, tt := range []struct {
		role Role
		want []string
	}{
		{RoleMOps, []string{"brief/2", "brief/3"}},
		{RoleAdmin, []string{"brief/2", "brief/3"}},
		{RoleApprover, nil},
		{RoleCreative, nil},
	} {
		t.Run(string(tt.role), func(t *testing.T) {
			items := RunInbox(Identity{Name: "x", Role: tt.role}, runs)
			var got []string
			for _, it := range items {
				got = append(got, it.Subject)
				id := strings.TrimPrefix(it.Subject, "brief/")
				if it.Kind != "run" || !strings.Contains(it.Text, "`tandem run --brief "+id+" --resume`") {
					t.Errorf("item %+v; want kind run with the command to resume brief %s", it, id)
				}
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Fatalf("listed %v; want %v", got, tt.want)
			}
			if len(items) == 2 && !strings.Contains(items[1].Text, "is taken") {
				t.Errorf("a run that stopped at its experiment does not say why: %q", items[1].Text)
			}
		})
	}
}
