package core

import (
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
