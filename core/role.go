package core

import (
	"fmt"
	"strings"
)

// Role is what a person may do in the workspace.
type Role string

// The roles, from least to most power.
const (
	RoleViewer   Role = "viewer"
	RoleCreative Role = "creative"
	RoleMOps     Role = "mops"
	RoleApprover Role = "approver"
	RoleAdmin    Role = "admin"
)

// ParseRole accepts a role name in any case.
func ParseRole(s string) (Role, error) {
	r := Role(strings.ToLower(strings.TrimSpace(s)))
	switch r {
	case RoleViewer, RoleCreative, RoleMOps, RoleApprover, RoleAdmin:
		return r, nil
	}
	return "", fmt.Errorf("unknown role %q: use viewer, creative, mops, approver or admin", s)
}

// Action is something a role may or may not be allowed to do.
type Action string

// The actions that permissions are checked on.
const (
	ActionRead           Action = "read"
	ActionEditBrief      Action = "edit briefs"
	ActionMoveBrief      Action = "move briefs"
	ActionEditPeople     Action = "edit people"
	ActionDecide         Action = "decide approvals"
	ActionComment        Action = "comment on approvals"
	ActionIngest         Action = "ingest events"
	ActionEditExperiment Action = "edit experiments"
	ActionDeclareWinner  Action = "declare winners"
	ActionGenerate       Action = "generate variants"
	ActionBackup         Action = "back up the workspace"
	ActionAdminister     Action = "administer the workspace"
	ActionNote           Action = "write retro notes"
	// ActionEditTemplates adds, edits and retires templates: what the
	// leads who design the work do (MOps) and admins. Requiring a template
	// for an asset type stays an admin's (ActionAdminister).
	ActionEditTemplates Action = "edit templates"
	// ActionPullModels fetches a model into the Ollama server, which fills
	// its disk and network for everyone: admins only.
	ActionPullModels Action = "pull models"
)

// permissions lists the actions each role has, beyond reading, which all
// roles have.
var permissions = map[Role][]Action{
	RoleViewer:   nil,
	RoleCreative: {ActionEditBrief, ActionMoveBrief, ActionComment, ActionGenerate, ActionNote},
	RoleMOps:     {ActionEditBrief, ActionMoveBrief, ActionComment, ActionEditPeople, ActionIngest, ActionEditExperiment, ActionDeclareWinner, ActionBackup, ActionNote, ActionEditTemplates},
	RoleApprover: {ActionMoveBrief, ActionComment, ActionDecide, ActionNote},
}

// Can reports whether role may perform action. Admins may do everything;
// every known role may read; an unknown role may do nothing.
func Can(role Role, action Action) bool {
	if role == RoleAdmin {
		return true
	}
	actions, known := permissions[role]
	if !known {
		return false
	}
	if action == ActionRead {
		return true
	}
	for _, a := range actions {
		if a == action {
			return true
		}
	}
	return false
}

// Identity is who is acting: a name for the audit trail and a role for
// permission checks.
type Identity struct {
	Name string `json:"name"`
	Role Role   `json:"role"`
}

// PermissionError says that an identity may not perform an action.
type PermissionError struct {
	Identity Identity
	Action   Action
}

// Error implements error.
func (e *PermissionError) Error() string {
	return fmt.Sprintf("%s (%s) may not %s; ask an admin for a role that can", e.Identity.Name, e.Identity.Role, e.Action)
}

// Authorize returns a *PermissionError when id may not perform action.
func Authorize(id Identity, action Action) error {
	if Can(id.Role, action) {
		return nil
	}
	return &PermissionError{Identity: id, Action: action}
}

// RevokedError says that a session's identity no longer holds: since it
// was resolved, when the session began, the user was removed, lost the
// key the session proved, or was given another role.
type RevokedError struct {
	Name string
	// Role is the user's role now; "" when they were removed or lost the
	// key.
	Role Role
}

// Error implements error.
func (e *RevokedError) Error() string {
	if e.Role == "" {
		return "your access to this workspace was removed"
	}
	return fmt.Sprintf("your role changed to %s; reconnect", e.Role)
}
