package kpi

import (
	"testing"

	"github.com/tandem-ops/tandem/core"
)

// Ensure that Split gives each group its briefs and what is recorded about
// them, and leaves out records of briefs the input does not hold.
func TestSplit(t *testing.T) {
	in := input()
	in.History = append(in.History, core.StageChange{BriefID: 99, To: core.StageLive, Time: at(5, 0)})
	groups := Split(in, func(b core.Brief) string { return b.Channel })
	email, web := groups["email"], groups["web"]
	if len(groups) != 2 || len(email.Briefs) != 2 || len(web.Briefs) != 1 {
		t.Fatalf("groups = %v", groups)
	}
	if len(email.History) != 5 || len(web.History) != 2 || len(email.Reviews) != 2 || len(email.Decisions) != 2 || len(web.Decisions) != 0 {
		t.Fatalf("email %d changes, %d reviews, %d decisions; web %d changes", len(email.History), len(email.Reviews), len(email.Decisions), len(web.History))
	}
	if len(web.People) != 2 || len(web.Experiments) != 3 || len(web.Evidence) != 2 {
		t.Fatal("people and experiments are not shared")
	}
}
