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

// briefForm files a new brief or edits one, with pick lists from the
// taxonomy and the team.
type briefForm struct {
	common common.Common
	base   core.Brief
	v      *formValues
	form   *huh.Form
}

// The inputs show the brief's text sanitized, as every view does, so a
// brief saved from the form is saved clean; pick lists keep the stored
// term as their value and show it sanitized.
func newBriefForm(c common.Common, b core.Brief, snap common.Snapshot) *briefForm {
	v := &formValues{
		title: sanitize.Line(b.Title), objective: sanitize.Text(b.Objective), audience: b.Audience, channel: b.Channel,
		campaign: sanitize.Line(b.Campaign), kpi: sanitize.Line(b.KPITarget), asset: b.AssetType, skill: sanitize.Line(b.Skill), owner: b.Owner,
		start: formatDay(b.Start), due: formatDay(b.Due), tags: sanitize.Line(strings.Join(b.Tags, ", ")),
	}
	if b.HasEstimate() {
		v.estimate = strconv.FormatFloat(b.EstimateHours, 'g', -1, 64)
	}
	var people []string
	for _, p := range snap.People {
		if p.Lane != core.LaneAI {
			people = append(people, p.Name)
		}
	}
	tax := snap.Taxonomy
	heading := "New brief"
	if b.ID != 0 {
		heading = fmt.Sprintf("Edit brief #%d", b.ID)
	}
	what := huh.NewGroup(
		huh.NewInput().Title("Title").Value(&v.title).CharLimit(200).Validate(required("a title")),
		huh.NewText().Title("Objective").Description("What must this content achieve?").Value(&v.objective).CharLimit(4000).Lines(3),
		pick("Audience", tax.Audiences, &v.audience),
		pick("Channel", tax.Channels, &v.channel),
		pick("Asset type", tax.AssetTypes, &v.asset),
		huh.NewInput().Title("KPI target").Placeholder("CTR 3%").Value(&v.kpi).CharLimit(80),
	).Title(heading).Description("What MOps knows: objective, audience, channel, target.")
	who := huh.NewGroup(
		pick("Owner", people, &v.owner),
		huh.NewInput().Title("Skill").Placeholder("copy, design, video, web").Value(&v.skill).CharLimit(80),
		huh.NewInput().Title("Campaign").Value(&v.campaign).CharLimit(80),
		huh.NewInput().Title("Start").Placeholder("YYYY-MM-DD").Value(&v.start).Validate(validDate),
		huh.NewInput().Title("Due").Placeholder("YYYY-MM-DD").Value(&v.due).Validate(validDate),
		huh.NewInput().Title("Estimate (hours)").Value(&v.estimate).Validate(validHours),
		huh.NewInput().Title("Tags").Placeholder("comma separated").Value(&v.tags).CharLimit(300),
	).Title(heading).Description("Who and when: for capacity planning.")
	f := &briefForm{common: c, base: b, v: v, form: huh.NewForm(what, who).WithShowHelp(true).WithTheme(huh.ThemeBase())}
	f.setSize(c.Width, c.Height)
	return f
}

// pick is a select over terms, with a "none" choice; a free input where the
// list is empty.
func pick(title string, terms []string, value *string) huh.Field {
	if len(terms) == 0 {
		*value = sanitize.Line(*value)
		return huh.NewInput().Title(title).Value(value).CharLimit(80)
	}
	opts := []huh.Option[string]{huh.NewOption("(none)", "")}
	for _, t := range terms {
		opts = append(opts, huh.NewOption(sanitize.Line(t), t))
	}
	return huh.NewSelect[string]().Title(title).Options(opts...).Value(value).Inline(true)
}

func required(what string) func(string) error {
	return func(s string) error {
		if strings.TrimSpace(s) == "" {
			return fmt.Errorf("enter %s", what)
		}
		return nil
	}
}

func validDate(s string) error {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	if _, err := time.Parse(time.DateOnly, strings.TrimSpace(s)); err != nil {
		return errors.New("use a date like 2026-12-01")
	}
	return nil
}

func validHours(s string) error {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	h, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || h < 0 {
		return errors.New("use a number of hours, like 6 or 2.5")
	}
	return nil
}

func formatDay(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

func (f *briefForm) init() tea.Cmd { return f.form.Init() }

func (f *briefForm) setSize(width, height int) {
	f.form = f.form.WithWidth(max(width, 20)).WithHeight(max(height, 8))
}

func (f *briefForm) view() string { return f.form.View() }

// update passes msg to the form; once the form completes it returns the
// command that saves the brief.
func (f *briefForm) update(msg tea.Msg) tea.Cmd {
	model, cmd := f.form.Update(msg)
	if form, ok := model.(*huh.Form); ok {
		f.form = form
	}
	if f.form.State != huh.StateCompleted {
		return cmd
	}
	return tea.Batch(cmd, saveCmd(f.common.Ctx, f.common.Backend, f.common.Identity, f.brief()))
}

// brief is the edited brief; the form's validators have checked the dates
// and hours already.
func (f *briefForm) brief() core.Brief {
	v, b := f.v, f.base
	b.Title, b.Objective, b.Audience, b.Channel = v.title, v.objective, v.audience, v.channel
	b.Campaign, b.KPITarget, b.AssetType, b.Skill, b.Owner = v.campaign, v.kpi, v.asset, v.skill, v.owner
	b.Start, _ = time.Parse(time.DateOnly, strings.TrimSpace(v.start))
	b.Due, _ = time.Parse(time.DateOnly, strings.TrimSpace(v.due))
	b.EstimateHours, _ = strconv.ParseFloat(strings.TrimSpace(v.estimate), 64)
	b.Tags = strings.Split(v.tags, ",")
	return b
}
