package backend

import (
	"context"
	"fmt"
	"slices"

	"github.com/tandem-ops/tandem/core"
)

// AddTemplate adds version 1 of a template for who (admins and MOps
// leads, core.ActionEditTemplates).
func (b *Backend) AddTemplate(ctx context.Context, who core.Identity, t core.Template) (core.Template, error) {
	if err := core.Authorize(who, core.ActionEditTemplates); err != nil {
		return core.Template{}, err
	}
	return b.store.AddTemplate(ctx, who.Name, b.withFlowDefaults(t))
}

// EditTemplate stores t as the next version of its template for who,
// made from version from (0: the latest).
func (b *Backend) EditTemplate(ctx context.Context, who core.Identity, t core.Template, from uint64) (core.Template, error) {
	if err := core.Authorize(who, core.ActionEditTemplates); err != nil {
		return core.Template{}, err
	}
	return b.store.EditTemplate(ctx, who.Name, b.withFlowDefaults(t), from)
}

// RetireTemplate retires a template for who: nothing new is made from it.
func (b *Backend) RetireTemplate(ctx context.Context, who core.Identity, kind core.TemplateKind, name string) (core.Template, error) {
	if err := core.Authorize(who, core.ActionEditTemplates); err != nil {
		return core.Template{}, err
	}
	return b.store.RetireTemplate(ctx, who.Name, kind, name)
}

// withFlowDefaults gives a flow template's stages without an SLA the
// workspace's, as AddFlow does.
func (b *Backend) withFlowDefaults(t core.Template) core.Template {
	if t.Flow == nil {
		return t
	}
	flow := *t.Flow
	flow.Stages = slices.Clone(flow.Stages)
	for i := range flow.Stages {
		if flow.Stages[i].SLAHours == 0 {
			flow.Stages[i].SLAHours = b.settings.SLAHours
		}
	}
	t.Flow = &flow
	return t
}

// Template returns a version of a template, the latest for version 0.
func (b *Backend) Template(ctx context.Context, kind core.TemplateKind, name string, version uint64) (core.Template, error) {
	return b.store.Template(ctx, kind, name, version)
}

// TemplateVersions returns every version of a template, oldest first.
func (b *Backend) TemplateVersions(ctx context.Context, kind core.TemplateKind, name string) ([]core.Template, error) {
	return b.store.TemplateVersions(ctx, kind, name)
}

// Templates returns the latest version of every template of kind (every
// kind for ""), without bodies, with its uses, by kind (brief, flow,
// experiment) and then name, as stored (byte order).
func (b *Backend) Templates(ctx context.Context, kind core.TemplateKind) ([]core.TemplateUse, error) {
	all, err := b.store.TemplateUses(ctx)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, u := range all {
		if kind == "" || u.Kind == kind {
			out = append(out, u)
		}
	}
	order := map[core.TemplateKind]int{}
	for i, k := range core.TemplateKinds() {
		order[k] = i
	}
	// The store lists by kind, then name; only the kinds need reordering.
	slices.SortStableFunc(out, func(a, c core.TemplateUse) int { return order[a.Kind] - order[c.Kind] })
	return out, nil
}

// AddBriefFromTemplate files a new brief for who made from the latest
// version of the brief template named name, with what who gave over it.
func (b *Backend) AddBriefFromTemplate(ctx context.Context, who core.Identity, name string, given core.Brief) (core.Brief, error) {
	if err := core.Authorize(who, core.ActionEditBrief); err != nil {
		return core.Brief{}, err
	}
	if err := b.checkOwner(ctx, "", given.Owner); err != nil {
		return core.Brief{}, fmt.Errorf("add brief: %w", err)
	}
	return b.store.AddBriefFromTemplate(ctx, who.Name, name, given)
}

// TickBrief ticks (or unticks) an item of a brief's checklist for who.
func (b *Backend) TickBrief(ctx context.Context, who core.Identity, id uint64, item string, done bool) (core.Brief, error) {
	if err := core.Authorize(who, core.ActionEditBrief); err != nil {
		return core.Brief{}, err
	}
	return b.store.TickBrief(ctx, who.Name, id, item, done)
}

// TemplateRequirements returns the asset types that require a template.
func (b *Backend) TemplateRequirements(ctx context.Context) (core.TemplateRequirements, error) {
	return b.store.TemplateRequirements(ctx)
}

// SetTemplateRequirement makes new briefs of assetType come from the
// brief template named name ("" lifts it), for who: admins only.
func (b *Backend) SetTemplateRequirement(ctx context.Context, who core.Identity, assetType, name string) (core.TemplateRequirements, error) {
	if err := core.Authorize(who, core.ActionAdminister); err != nil {
		return nil, err
	}
	return b.store.SetTemplateRequirement(ctx, who.Name, assetType, name)
}

// AddFlowFromTemplate adds the approval flow the latest version of a flow
// template describes, for who (admins, as AddFlow); the flow records the
// template and version.
func (b *Backend) AddFlowFromTemplate(ctx context.Context, who core.Identity, name string) (core.ApprovalFlow, error) {
	if err := core.Authorize(who, core.ActionAdminister); err != nil {
		return core.ApprovalFlow{}, err
	}
	t, err := b.store.Template(ctx, core.TemplateFlow, name, 0)
	if err != nil {
		return core.ApprovalFlow{}, err
	}
	if t.Retired {
		return core.ApprovalFlow{}, &core.TemplateError{Ref: t.Ref(), Problem: "is retired; add a flow from a template in use"}
	}
	return b.store.AddFlow(ctx, who.Name, t.ApprovalFlow())
}

// AddExperimentFromTemplate adds e for who set up from the latest version
// of the experiment template named name (see core.ApplyExperimentTemplate).
func (b *Backend) AddExperimentFromTemplate(ctx context.Context, who core.Identity, name string, e core.Experiment) (core.Experiment, error) {
	if err := core.Authorize(who, core.ActionEditExperiment); err != nil {
		return core.Experiment{}, err
	}
	t, err := b.store.Template(ctx, core.TemplateExperiment, name, 0)
	if err != nil {
		return core.Experiment{}, err
	}
	if e, err = core.ApplyExperimentTemplate(t, e); err != nil {
		return core.Experiment{}, err
	}
	return b.store.AddExperiment(ctx, who.Name, e)
}
