package cli

import (
	"context"
	"strings"
	"testing"

	"github.com/tandem-ops/tandem/core"
)

// Ensure that briefs are checked at the door: an owner who is no person
// or lane, and a term the taxonomy lacks, are refused with the nearest
// names; --new-term lets an admin add the term; nothing is stored on a
// refusal.
func TestBriefAdd_Door(t *testing.T) {
	be := mustOpenBackend(t)
	ctx := context.Background()
	if _, err := be.AddPerson(ctx, admin, core.Person{Name: "Ana Ruiz", Lane: core.LaneInHouse, WeeklyHours: 40}); err != nil {
		t.Fatal(err)
	}
	if err := be.SetTaxonomy(ctx, admin, core.Taxonomy{Channels: []string{"email", "web"}, Tags: []string{"q4"}}); err != nil {
		t.Fatal(err)
	}
	mops := core.Identity{Name: "mo", Role: core.RoleMOps}
	refusals := []struct {
		args []string
		want string
	}{
		{[]string{"--owner", "Ana Ruis", "--estimate", "30"}, `"Ana Ruis" is not a person or lane; did you mean "Ana Ruiz"?`},
		{[]string{"--channel", "emial"}, `did you mean "email"?`},
		{[]string{"--tag", "q5"}, `"q5" is not in the taxonomy; did you mean "q4"?`},
	}
	for _, r := range refusals {
		code, _, errOut := run(t, be, mops, append([]string{"brief", "add", "--title", "Win-back"}, r.args...)...)
		if code != ExitUsage || !strings.Contains(errOut, r.want) {
			t.Errorf("%v: exit %d, %q; want it to say %q", r.args, code, errOut, r.want)
		}
	}
	if briefs, _ := be.Briefs(ctx); len(briefs) != 0 {
		t.Fatalf("refused briefs were stored: %+v", briefs)
	}
	if code, _, _ := run(t, be, mops, "brief", "add", "--title", "Print ad", "--channel", "print", "--new-term"); code == ExitOK {
		t.Error("a non-admin added a term with --new-term")
	}
	code, _, errOut := run(t, be, admin, "brief", "add", "--title", "Print ad", "--channel", "print", "--new-term")
	if code != ExitOK || !strings.Contains(errOut, `added channel "print" to the taxonomy`) {
		t.Fatalf("admin --new-term: exit %d, %q", code, errOut)
	}
	if code, _, errOut := run(t, be, mops, "brief", "edit", "1", "--owner", "Ana Ruiz", "--title", "Print ad, v2"); code != ExitOK {
		t.Fatalf("edit with a known owner: exit %d, %q", code, errOut)
	}
}
