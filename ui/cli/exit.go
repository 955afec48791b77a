package cli

import (
	"errors"
	"strings"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/models"
	"github.com/tandem-ops/tandem/ui/backend"
)

// The exit codes every command keeps, so scripts can tell what happened
// without reading the message.
const (
	ExitOK      = 0
	ExitFailure = 1
	// ExitUsage is for a call that cannot be run as given: an unknown
	// command or flag, wrong arguments, or a bad value (a flag's, or a
	// field that fails validation), or a database file (--db) that is not
	// a tandem database.
	ExitUsage = 2
	// ExitRejected is for an ingest that stored what it could but refused
	// some lines: their values were bad.
	ExitRejected = ExitUsage
	// ExitConflict is for an edit made from a version someone else has
	// changed since.
	ExitConflict = 3
	// ExitPermission is for an action the caller's role may not take, or
	// one that may not be taken from where they are, or a session whose
	// access was removed or whose role changed while it ran.
	ExitPermission = 4
	// ExitUnavailable is for a request that cannot be served now: the
	// database is held by a process that does not answer, the model server
	// is down or lacks the model, the caller is over a limit, an approval
	// is held until its claims have evidence, or a move is held by a WIP
	// limit (--force passes it) or a checklist not ticked.
	ExitUnavailable = 5
)

// exitCode classifies err by the contract above.
func exitCode(err error) int {
	var (
		usage    *usageError
		rejected *rejectedError
		field    *core.FieldError
		perm     *core.PermissionError
		revoked  *core.RevokedError
		local    *localOnlyError
		held     *backend.HeldError
		gate     *backend.NotApprovedError
		claims   *backend.UnsupportedClaimsError
		conflict *core.ConflictError
		required *core.RequiredTemplateError
		tmpl     *core.TemplateError
		list     *core.ChecklistError
		wip      *core.WIPError
		waiting  *core.RunWaitingError
	)
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &rejected):
		return ExitRejected
	case backend.IsRuleError(err):
		return ExitFailure // a stored record, found by check: not how the command was called
	case errors.As(err, &conflict):
		return ExitConflict
	case errors.As(err, &usage) || isCobraUsage(err) || errors.Is(err, backend.ErrNotDatabase) || errors.As(err, &field) || errors.As(err, &required) || errors.As(err, &tmpl):
		return ExitUsage
	case errors.As(err, &perm) || errors.As(err, &revoked) || errors.As(err, &local) || errors.As(err, &gate):
		return ExitPermission
	case errors.As(err, &held) || errors.As(err, &claims) || errors.As(err, &list) || errors.As(err, &wip) || errors.As(err, &waiting) || errors.Is(err, models.ErrNotRunning) || errors.Is(err, models.ErrModelMissing):
		return ExitUnavailable
	}
	return ExitFailure
}

// oneLine makes err's message one line for stderr: the problems a joined
// error holds are separated by "; ".
func oneLine(err error) string {
	lines := strings.FieldsFunc(err.Error(), func(r rune) bool { return r == '\n' || r == '\r' })
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	return strings.Join(lines, "; ")
}
