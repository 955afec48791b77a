// Package backend is the service layer every interface calls: the cockpit
// views, the CLI, the control socket and SSH. It joins the store (and later
// the model client) and checks each caller's role before it acts, so that
// every transport enforces the same permissions.
package backend

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/store"
)

// Backend runs tandem's operations for an identified caller.
type Backend struct {
	store    *store.Store
	cache    snapshotCache
	retros   retroCache
	daily    dailyCache
	derived  derivedCache
	settings Settings
	// sources are the streams this process reads as the holder.
	sources heldSources
}

// New returns a backend over an open store with the default settings.
func New(st *store.Store) *Backend { return NewWith(st, Settings{}) }

// NewWith returns a backend over an open store with settings.
func NewWith(st *store.Store, settings Settings) *Backend {
	return &Backend{store: st, settings: settings.withDefaults()}
}

// Calendar returns the working hours and holidays in force.
func (b *Backend) Calendar() (core.WorkingHours, []time.Time) {
	return b.settings.Hours, b.settings.Holidays
}

// Path returns the database file the backend works on.
func (b *Backend) Path() string { return b.store.Path() }

// Subscribe starts a change-feed subscription; see store.Subscribe.
func (b *Backend) Subscribe(buffer int) *store.Subscription { return b.store.Subscribe(buffer) }

// AddBrief files a new brief for who. Its owner must be a person or lane
// (see checkOwner); the store checks its fields and terms.
func (b *Backend) AddBrief(ctx context.Context, who core.Identity, br core.Brief) (core.Brief, error) {
	if err := core.Authorize(who, core.ActionEditBrief); err != nil {
		return core.Brief{}, err
	}
	if err := b.checkOwner(ctx, "", br.Owner); err != nil {
		return core.Brief{}, fmt.Errorf("add brief: %w", err)
	}
	return b.store.AddBrief(ctx, who.Name, br)
}

// UpdateBrief saves an edit of a brief for who, made from version
// br.Version: merged with changes made since when they touch other
// fields, refused with a *core.ConflictError when they touch the same
// ones. Merged says what was taken from the others' changes.
func (b *Backend) UpdateBrief(ctx context.Context, who core.Identity, br core.Brief) (core.Brief, core.Merged, error) {
	if err := core.Authorize(who, core.ActionEditBrief); err != nil {
		return core.Brief{}, core.Merged{}, err
	}
	stored, err := b.store.Brief(ctx, br.ID)
	if err != nil {
		return core.Brief{}, core.Merged{}, err
	}
	if err := b.checkOwner(ctx, stored.Owner, strings.TrimSpace(br.Owner)); err != nil {
		return core.Brief{}, core.Merged{}, fmt.Errorf("update brief %d: %w", br.ID, err)
	}
	return b.store.UpdateBrief(ctx, who.Name, br)
}

// BriefVersion returns an earlier version of a brief, as it was saved:
// what an edit made from that version starts from.
func (b *Backend) BriefVersion(ctx context.Context, id, version uint64) (core.Brief, error) {
	return b.store.BriefVersion(ctx, id, version)
}

// MoveBrief moves a brief to another stage for who. A move into a stage
// at its WIP limit is refused with a *core.WIPError unless force says the
// person was asked and confirmed.
func (b *Backend) MoveBrief(ctx context.Context, who core.Identity, id uint64, to core.Stage, force bool) (core.Brief, error) {
	return b.MoveBriefWith(ctx, who, id, to, core.MoveOptions{Force: force})
}

// MoveBriefWith moves a brief to another stage for who, past the holds
// opts says who was asked about and confirmed: a stage at its WIP limit
// (a *core.WIPError otherwise), required checklist items unticked on the
// way into review (a *core.ChecklistError otherwise; the reason given is
// kept on the brief's items and so in its audited record).
func (b *Backend) MoveBriefWith(ctx context.Context, who core.Identity, id uint64, to core.Stage, opts core.MoveOptions) (core.Brief, error) {
	if err := core.Authorize(who, core.ActionMoveBrief); err != nil {
		return core.Brief{}, err
	}
	if err := b.checkApprovalGate(ctx, who, id, to); err != nil {
		return core.Brief{}, err
	}
	return b.store.MoveBriefAs(ctx, who.Name, id, to, opts)
}

// Brief returns one brief.
func (b *Backend) Brief(ctx context.Context, id uint64) (core.Brief, error) {
	return b.store.Brief(ctx, id)
}

// Briefs returns every brief in ID order.
func (b *Backend) Briefs(ctx context.Context) ([]core.Brief, error) { return b.store.Briefs(ctx) }

// People returns every person and lane.
func (b *Backend) People(ctx context.Context) ([]core.Person, error) { return b.store.People(ctx) }

// Experiments returns every experiment.
func (b *Backend) Experiments(ctx context.Context) ([]core.Experiment, error) {
	return b.store.Experiments(ctx)
}

// Totals returns an experiment's per-variant totals.
func (b *Backend) Totals(ctx context.Context, key string) (map[string]core.VariantTotals, error) {
	return b.store.Totals(ctx, key)
}

// Taxonomy returns the shared vocabulary.
func (b *Backend) Taxonomy(ctx context.Context) (core.Taxonomy, error) { return b.store.Taxonomy(ctx) }

// Backup writes a consistent copy of the database to path for who. It
// never writes over the live database or its companion files, nor over a
// file that is not itself a tandem database (an earlier backup).
func (b *Backend) Backup(ctx context.Context, who core.Identity, path string) (int64, error) {
	if err := core.Authorize(who, core.ActionBackup); err != nil {
		return 0, err
	}
	if err := backupTarget(b.store.Path(), path); err != nil {
		return 0, err
	}
	return b.store.BackupFile(ctx, path)
}

// BackupTo streams a consistent copy of the database to w for who: what
// `backup -` sends to a remote caller's standard output.
func (b *Backend) BackupTo(ctx context.Context, who core.Identity, w io.Writer) (int64, error) {
	if err := core.Authorize(who, core.ActionBackup); err != nil {
		return 0, err
	}
	return b.store.Backup(ctx, w)
}

// Status is a one-glance summary of the workspace.
type Status struct {
	// Workspace is the database's file name; DBPath its full path, for
	// callers on this machine only (a remote person never sees server
	// paths).
	Workspace   string         `json:"workspace"`
	DBPath      string         `json:"db_path,omitempty"`
	Briefs      int            `json:"briefs"`
	ByStage     map[string]int `json:"by_stage"`
	People      int            `json:"people"`
	Experiments int            `json:"experiments"`
	Late        int            `json:"late"`
	// Sources are the streams the process holding the workspace reads
	// (`serve --kafka`), with their lag and last error.
	Sources []SourceStatus `json:"sources,omitempty"`
}

// Status summarizes the workspace as of now.
func (b *Backend) Status(ctx context.Context, now time.Time) (Status, error) {
	briefs, err := b.store.Briefs(ctx)
	if err != nil {
		return Status{}, err
	}
	people, err := b.store.People(ctx)
	if err != nil {
		return Status{}, err
	}
	exps, err := b.store.Experiments(ctx)
	if err != nil {
		return Status{}, err
	}
	st := Status{Workspace: filepath.Base(b.store.Path()), DBPath: b.store.Path(), Briefs: len(briefs), ByStage: map[string]int{}, People: len(people), Experiments: len(exps), Sources: b.sources.list()}
	for _, br := range briefs {
		st.ByStage[br.Stage.Slug()]++
		if br.Late(now) {
			st.Late++
		}
	}
	return st, nil
}

// WIPLimits returns the board's work-in-progress limits.
func (b *Backend) WIPLimits(ctx context.Context) (core.WIPLimits, error) {
	return b.store.WIPLimits(ctx)
}

// SetWIPLimits replaces the board's limits for who.
func (b *Backend) SetWIPLimits(ctx context.Context, who core.Identity, limits core.WIPLimits) error {
	if err := core.Authorize(who, core.ActionEditBrief); err != nil {
		return err
	}
	return b.store.SetWIPLimits(ctx, who.Name, limits)
}

// SetTaxonomy replaces the shared vocabulary for who.
func (b *Backend) SetTaxonomy(ctx context.Context, who core.Identity, t core.Taxonomy) error {
	if err := core.Authorize(who, core.ActionEditExperiment); err != nil {
		return err
	}
	return b.store.SetTaxonomy(ctx, who.Name, t)
}

// History returns the audit entries about one brief and its run, oldest
// first.
func (b *Backend) History(ctx context.Context, briefID uint64) ([]core.AuditEntry, error) {
	return b.store.AuditOf(ctx, fmt.Sprintf("brief/%d", briefID), fmt.Sprintf("run/%d", briefID))
}

// StageChanges returns a brief's stage changes, oldest first: the from and
// to of each move its history lists.
func (b *Backend) StageChanges(ctx context.Context, briefID uint64) ([]core.StageChange, error) {
	all, err := b.store.StageHistory(ctx)
	if err != nil {
		return nil, err
	}
	var out []core.StageChange
	for _, c := range all {
		if c.BriefID == briefID {
			out = append(out, c)
		}
	}
	return out, nil
}

// Decisions returns every approval decision.
func (b *Backend) Decisions(ctx context.Context) ([]core.Decision, error) {
	return b.store.Decisions(ctx)
}

// Export writes the whole workspace as JSONL for who.
func (b *Backend) Export(ctx context.Context, who core.Identity, w io.Writer) error {
	if err := core.Authorize(who, core.ActionBackup); err != nil {
		return err
	}
	return b.store.Export(ctx, w)
}

// Import loads an export into this empty workspace for who.
func (b *Backend) Import(ctx context.Context, who core.Identity, r io.Reader) (int, error) {
	if err := core.Authorize(who, core.ActionAdminister); err != nil {
		return 0, err
	}
	return b.store.Import(ctx, r)
}

// IsRuleError reports whether a Check error is only a record breaking a
// rule today's writes follow (one an earlier tandem wrote): the workspace
// is whole, and the record is to edit, not a backup to restore.
func IsRuleError(err error) bool { return store.IsRuleError(err) }

// Check verifies the file, the stage index, the variant totals and the
// audit chain, then the records against today's write rules: damage is
// reported before a record that only breaks a rule.
func (b *Backend) Check(ctx context.Context) error {
	err := b.store.Check(ctx)
	if err != nil && !store.IsRuleError(err) {
		return err
	}
	if audit := b.store.VerifyAudit(ctx); audit != nil {
		return audit
	}
	return err
}
