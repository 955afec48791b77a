package board

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/common"
	"github.com/tandem-ops/tandem/ui/sanitize"
)

// formValues are the form's fields as the person types them.
type formValues struct {
	title, objective, audience, channel, campaign, kpi string
	asset, skill, owner, start, due, estimate, tags    string
}

// valuesOf fills the form from b. The inputs show the brief's text
// sanitized, as every view does, so a brief saved from the form is saved
// clean; pick lists keep the stored term as their value.
func valuesOf(b core.Brief) *formValues {
	v := &formValues{
		title: sanitize.Line(b.Title), objective: sanitize.Text(b.Objective), audience: b.Audience, channel: b.Channel,
		campaign: sanitize.Line(b.Campaign), kpi: sanitize.Line(b.KPITarget), asset: b.AssetType, skill: sanitize.Line(b.Skill), owner: b.Owner,
		start: formatDay(b.Start), due: formatDay(b.Due), tags: sanitize.Line(strings.Join(b.Tags, ", ")),
	}
	if b.HasEstimate() {
		v.estimate = strconv.FormatFloat(b.EstimateHours, 'g', -1, 64)
	}
	return v
}

// formField is one field of the form: the brief field it edits, the hint
// shown under its title, and where an error about it is shown instead.
type formField struct {
	name     string
	page     int // the form group it is on
	hint     string
	field    huh.Field
	describe func(string)
	value    func() string
	// shown is the description the field shows now.
	shown string
}

// refreshMsg makes the form's focused group lay out its fields again,
// after showErrors changed what one of them says.
type refreshMsg struct{}

// saveProblem is an error the store returned about a field, shown beside
// it while the field still holds the value it was about.
type saveProblem struct{ value, msg string }

// briefForm files a new brief or edits one, with pick lists from the
// taxonomy and the team. It remembers the version it was opened on, so
// the store can merge its save with changes made meanwhile; a save that
// fails keeps the form open with everything typed and the error beside
// its field.
type briefForm struct {
	common common.Common
	snap   core.Snapshot
	// base is the brief as the form opened it, or as stored when the
	// form last met a conflict; its Version is what the save is made from.
	base   core.Brief
	v      *formValues
	form   *huh.Form
	fields []formField
	// problems are the store's errors about fields; problem one no field
	// explains.
	problems map[string]saveProblem
	problem  string
	conflict *formConflict
	// page is the group fields are added to while the form is built.
	page int
}

func newBriefForm(c common.Common, b core.Brief, snap core.Snapshot) *briefForm {
	f := &briefForm{common: c, snap: snap, base: b, v: valuesOf(b)}
	f.build()
	return f
}

// build makes the huh form over f.v: the conflict choices first when
// there are any, then what MOps knows, then who and when.
func (f *briefForm) build() {
	v, tax := f.v, f.snap.Taxonomy
	f.fields, f.page = nil, 0
	if f.conflict != nil {
		f.page = 1
	}
	heading := "New brief"
	switch {
	case f.base.ID == 0 && f.base.Template != "":
		heading = fmt.Sprintf("New brief from %s (version %d)", sanitize.Line(f.base.Template), f.base.TemplateVersion)
	case f.base.ID != 0:
		heading = fmt.Sprintf("Edit brief #%d (version %d)", f.base.ID, f.base.Version)
	}
	what := huh.NewGroup(
		f.input("title", "Title", bytesHint(core.MaxTitleBytes), &v.title, core.MaxTitleBytes, maxBytes(core.MaxTitleBytes, "a title")),
		f.text("objective", "Objective", "What must this content achieve? "+bytesHint(core.MaxTextBytes), &v.objective, core.MaxTextBytes),
		f.pick("audience", "Audience", tax.Audiences, &v.audience),
		f.pick("channel", "Channel", tax.Channels, &v.channel),
		f.pick("asset_type", "Asset type", tax.AssetTypes, &v.asset),
		f.input("kpi_target", "KPI target", bytesHint(core.MaxNameBytes), &v.kpi, core.MaxNameBytes, maxBytes(core.MaxNameBytes, "")).Placeholder("CTR 3%"),
	).Title(heading).Description("What MOps knows: objective, audience, channel, target.")
	f.page++
	owner := huh.NewSelect[string]().Title("Owner").Options(ownerOptions(f.snap.People, v.owner)...).Value(&v.owner).Inline(true)
	f.add("owner", "", owner, owner.Description, func() string { return v.owner })
	who := huh.NewGroup(
		owner,
		f.input("skill", "Skill", "", &v.skill, core.MaxNameBytes, maxBytes(core.MaxNameBytes, "")).Placeholder("copy, design, video, web"),
		f.input("campaign", "Campaign", "", &v.campaign, core.MaxNameBytes, maxBytes(core.MaxNameBytes, "")),
		f.input("start", "Start", "", &v.start, dateChars, validDate).Placeholder(dateLayout),
		f.input("due", "Due", "", &v.due, dateChars, validDate).Placeholder(dateLayout),
		f.input("estimate_hours", "Estimate (hours)", "", &v.estimate, 12, validHours),
		f.input("tags", "Tags", "each "+bytesHint(core.MaxNameBytes), &v.tags, 40*core.MaxTags, validTags).Placeholder("comma separated"),
	).Title(heading).Description("Who and when: for capacity planning.")
	groups := []*huh.Group{what, who}
	if f.conflict != nil {
		groups = append([]*huh.Group{f.conflict.group(heading)}, groups...)
	}
	f.form = huh.NewForm(groups...).WithShowHelp(true).WithShowErrors(false).WithTheme(huh.ThemeBase())
	f.setSize(f.common.Width, f.common.Height)
	f.showErrors()
}

// add keeps a field of the form for showing errors beside it.
func (f *briefForm) add(name, hint string, field huh.Field, describe func(string) *huh.Select[string], value func() string) {
	f.fields = append(f.fields, formField{name: name, page: f.page, hint: hint, field: field, value: value,
		describe: func(s string) { describe(s) }})
}

// input is a one-line field whose limit is in bytes, as stored; the
// character limit only stops typing far past it.
func (f *briefForm) input(name, title, hint string, value *string, limit int, validate func(string) error) *huh.Input {
	in := huh.NewInput().Title(title).Value(value).CharLimit(limit).Validate(validate)
	f.fields = append(f.fields, formField{name: name, page: f.page, hint: hint, field: in, value: func() string { return *value },
		describe: func(s string) { in.Description(s) }})
	return in
}

// text is a multi-line field limited in bytes.
func (f *briefForm) text(name, title, hint string, value *string, limit int) *huh.Text {
	t := huh.NewText().Title(title).Value(value).CharLimit(limit).Lines(3).Validate(maxBytes(limit, ""))
	f.fields = append(f.fields, formField{name: name, page: f.page, hint: hint, field: t, value: func() string { return *value },
		describe: func(s string) { t.Description(s) }})
	return t
}

// pick is a select over the taxonomy's terms (see termOptions); a free
// input where the taxonomy has none.
func (f *briefForm) pick(name, title string, terms []string, value *string) huh.Field {
	if len(terms) == 0 {
		*value = sanitize.Line(*value)
		return f.input(name, title, bytesHint(core.MaxNameBytes), value, core.MaxNameBytes, maxBytes(core.MaxNameBytes, ""))
	}
	s := huh.NewSelect[string]().Title(title).Options(termOptions(terms, *value)...).Value(value).Inline(true)
	f.add(name, "", s, s.Description, func() string { return *value })
	return s
}

// showErrors puts each field's error, from its validator or from the
// store, beside it in place of its hint, and reports whether any field
// now says something else.
func (f *briefForm) showErrors() bool {
	changed := false
	for i := range f.fields {
		ff := &f.fields[i]
		say := ff.hint
		if err := ff.field.Error(); err != nil {
			say = "✗ " + sanitize.Line(err.Error())
		} else if p, ok := f.problems[ff.name]; ok && p.value == ff.value() {
			say = "✗ " + sanitize.Line(p.msg)
		}
		if say != ff.shown {
			ff.describe(say)
			ff.shown, changed = say, true
		}
	}
	return changed
}

func (f *briefForm) init() tea.Cmd { return f.form.Init() }

func (f *briefForm) setSize(width, height int) {
	f.common.SetSize(width, height)
	height -= len(f.problemLines())
	f.form = f.form.WithWidth(max(width, 20)).WithHeight(max(height, 8))
}

// maxProblemLines is how many lines the problem above the form may take:
// a conflict names who changed the brief, and ends with what to do.
const maxProblemLines = 3

// problemLines is the problem above the form wrapped to its width, none
// when there is no problem.
func (f *briefForm) problemLines() []string {
	if f.problem == "" {
		return nil
	}
	return common.Wrap("✗ "+sanitize.Line(f.problem), f.common.Width, maxProblemLines)
}

func (f *briefForm) view() string {
	lines := f.problemLines()
	if len(lines) == 0 {
		return f.form.View()
	}
	for i, l := range lines {
		lines[i] = f.common.Styles.App.Error.Render(l)
	}
	return strings.Join(lines, "\n") + "\n" + f.form.View()
}

// update passes msg to the form, what it types cleaned first (the form's
// inputs draw it as it is); once the form completes it returns the
// command that saves the brief.
func (f *briefForm) update(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyMsg); ok {
		msg = common.CleanKey(k)
	}
	model, cmd := f.form.Update(msg)
	if form, ok := model.(*huh.Form); ok {
		f.form = form
	}
	if f.showErrors() {
		f.form.Update(refreshMsg{}) // huh lays a group out only in Update
	}
	if f.form.State != huh.StateCompleted {
		return cmd
	}
	return tea.Batch(cmd, saveCmd(f.common.Ctx, f.common.Backend, f.common.Identity, f.brief()))
}

// failed reopens the form after a save the store refused, with every
// value as typed: a conflict asks per field whether to keep mine or take
// theirs; an error about a field is shown beside it; any other error
// above the form.
func (f *briefForm) failed(msg saveFailedMsg) tea.Cmd {
	f.problems, f.problem = map[string]saveProblem{}, ""
	var conflict *core.ConflictError
	var fieldErr *core.FieldError
	switch {
	case errors.As(msg.err, &conflict) && msg.current != nil:
		f.meet(conflict, *msg.current)
	case errors.As(msg.err, &fieldErr):
		for _, fe := range fieldErrors(msg.err) {
			name := strings.SplitN(fe.Field, "[", 2)[0]
			for _, ff := range f.fields {
				if ff.name == name {
					f.problems[name] = saveProblem{value: ff.value(), msg: fe.Problem}
				}
			}
			if _, ok := f.problems[name]; !ok {
				f.problem = fe.Error()
			}
		}
		if f.problem == "" {
			f.problem = "not saved: fix the fields marked ✗ and save again"
		}
	default:
		f.problem = "not saved: " + msg.err.Error()
	}
	f.build()
	cmds := []tea.Cmd{f.init()}
	// Open the page of the first field in error; a conflict's choices
	// come first.
	if page, ok := f.firstProblemPage(); ok && f.conflict == nil {
		for range page {
			cmds = append(cmds, f.form.NextGroup())
		}
	}
	return tea.Batch(cmds...)
}

// firstProblemPage is the form group of the first field the store
// found a problem with.
func (f *briefForm) firstProblemPage() (int, bool) {
	for _, ff := range f.fields {
		if _, ok := f.problems[ff.name]; ok {
			return ff.page, true
		}
	}
	return 0, false
}

// fieldErrors unpacks the field errors of a validation error, however
// they were joined and wrapped.
func fieldErrors(err error) []*core.FieldError {
	var fe *core.FieldError
	if errors.As(err, &fe) && fe == err {
		return []*core.FieldError{fe}
	}
	var out []*core.FieldError
	switch e := err.(type) {
	case interface{ Unwrap() []error }:
		for _, inner := range e.Unwrap() {
			out = append(out, fieldErrors(inner)...)
		}
	case interface{ Unwrap() error }:
		out = fieldErrors(e.Unwrap())
	}
	return out
}

// brief is the edited brief: the base with the form's values, and the
// stored values of conflicting fields where the person took theirs. The
// validators have checked the dates and hours already.
func (f *briefForm) brief() core.Brief {
	v, b := f.v, f.base
	b.Title, b.Objective, b.Audience, b.Channel = v.title, v.objective, v.audience, v.channel
	b.Campaign, b.KPITarget, b.AssetType, b.Skill, b.Owner = v.campaign, v.kpi, v.asset, v.skill, v.owner
	b.Start, _ = time.Parse(time.DateOnly, strings.TrimSpace(v.start))
	b.Due, _ = time.Parse(time.DateOnly, strings.TrimSpace(v.due))
	b.EstimateHours, _ = strconv.ParseFloat(strings.TrimSpace(v.estimate), 64)
	b.Tags = strings.Split(v.tags, ",")
	if f.conflict != nil {
		f.conflict.apply(&b)
	}
	return b
}
