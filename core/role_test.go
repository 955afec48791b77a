package core

import (
	"errors"
	"testing"
)

func TestCan(t *testing.T) {
	all := []Action{ActionRead, ActionEditBrief, ActionMoveBrief, ActionEditPeople, ActionDecide, ActionComment, ActionIngest, ActionEditExperiment, ActionDeclareWinner, ActionGenerate, ActionBackup, ActionAdminister, ActionNote, ActionEditTemplates}
	allowed := map[Role]map[Action]bool{
		RoleViewer:    {ActionRead: true},
		RoleCreative:  {ActionRead: true, ActionEditBrief: true, ActionMoveBrief: true, ActionComment: true, ActionGenerate: true, ActionNote: true},
		RoleMOps:      {ActionRead: true, ActionEditBrief: true, ActionMoveBrief: true, ActionComment: true, ActionEditPeople: true, ActionIngest: true, ActionEditExperiment: true, ActionDeclareWinner: true, ActionBackup: true, ActionNote: true, ActionEditTemplates: true},
		RoleApprover:  {ActionRead: true, ActionMoveBrief: true, ActionComment: true, ActionDecide: true, ActionNote: true},
		RoleAdmin:     nil, // everything
		Role("ghost"): {},
	}
	for role, want := range allowed {
		for _, a := range all {
			exp := want[a] || role == RoleAdmin
			if got := Can(role, a); got != exp {
				t.Errorf("Can(%s, %s) = %v, want %v", role, a, got, exp)
			}
		}
	}
}

func TestAuthorize(t *testing.T) {
	err := Authorize(Identity{Name: "vic", Role: RoleViewer}, ActionDecide)
	var pe *PermissionError
	if !errors.As(err, &pe) || pe.Action != ActionDecide {
		t.Fatalf("viewer deciding: %v", err)
	}
	if err := Authorize(Identity{Name: "ada", Role: RoleApprover}, ActionDecide); err != nil {
		t.Fatal(err)
	}
	if _, err := ParseRole("Boss"); err == nil {
		t.Fatal("unknown role parsed")
	}
}
