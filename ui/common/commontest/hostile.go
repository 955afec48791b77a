package commontest

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/store"
	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/sanitize"
	"github.com/tandem-ops/tandem/ui/sanitize/sanitizetest"
)

// HostileActor is the admin who writes the hostile workspace. A user name
// is an identifier, which core refuses with any control, bidi or invisible
// character in it, so the actor's name is as odd as a valid one gets.
func HostileActor() core.Identity {
	return core.Identity{Name: "ok;'\"<&>`$(x)", Role: core.RoleAdmin}
}

// HostileExperiment is the key of the hostile workspace's experiment.
const HostileExperiment = "hostile"

// HostileTemplate names the hostile workspace's brief and experiment
// templates, whose free text is hostile.
const HostileTemplate = "hostile template"

// HostileWorkspace opens a store in t.TempDir() on a clock fixed at now and
// fills every field a person can write with hostile text from
// sanitizetest.Corpus, through the backend as HostileActor: taxonomy
// terms, a person, briefs in several stages (title, objective, audience,
// channel, campaign, KPI target, asset type, skill, tags, owner), an
// approval flow, a review with its copy and a comment, an experiment with
// traffic, a retro note, the brand guidelines and a user. Names, titles
// and free text hold what core lets in (see hostileName and hostileText);
// copy and time-off reasons hold the corpus whole.
func HostileWorkspace(t testing.TB, now time.Time) *backend.Backend {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "hostile.db"), store.Options{Now: func() time.Time { return now }, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	be := backend.New(st)
	if err := fillHostile(context.Background(), be, now); err != nil {
		t.Fatalf("fill the hostile workspace: %v", err)
	}
	return be
}

// hostile returns corpus entry i, labelled and cut to at most n bytes
// (the field's limit), so that every field holds different hostile text.
func hostile(i, n int) string {
	corpus := sanitizetest.Corpus()
	s := fmt.Sprintf("%d%s", i, corpus[i%len(corpus)])
	if len(s) > n {
		s = s[:n]
	}
	return strings.TrimSpace(s)
}

// hostileName is corpus entry i as a name or term can hold it: core refuses
// controls, bidi and invisible characters in identifiers at the door, so
// what is left is the printable rest (brackets, semicolons, quotes).
func hostileName(i, n int) string {
	s := strings.Join(strings.Fields(sanitize.Line(hostile(i, n))), " ")
	if core.NameProblem(s, n) != "" {
		return fmt.Sprintf("name %d", i)
	}
	return s
}

// hostileText is corpus entry i as free text can hold it: core refuses
// controls and bidi controls there too, so what is left is the rest,
// zero-width characters dropped as printing drops them.
func hostileText(i, n int) string {
	s := sanitize.Text(hostile(i, n))
	if core.TextProblem(s, n) != "" {
		return fmt.Sprintf("text %d", i)
	}
	return s
}

func fillHostile(ctx context.Context, be *backend.Backend, now time.Time) error {
	who := HostileActor()
	const name, title, text = 80, 200, 4000 // core's limits
	tax := core.Taxonomy{Channels: []string{hostileName(1, name)}, Audiences: []string{hostileName(2, name)},
		AssetTypes: []string{hostileName(3, name)}, Tags: []string{hostileName(4, name), hostileName(5, name)}}
	if err := be.SetTaxonomy(ctx, who, tax); err != nil {
		return err
	}
	person := core.Person{Name: hostileName(6, name), Lane: core.LaneInHouse, Skills: []string{hostileName(7, name)}, WeeklyHours: 10, Allocation: 1,
		TimeOff: []core.TimeOff{{From: now.AddDate(0, 0, 9), To: now.AddDate(0, 0, 10), Reason: hostile(8, name)}}}
	if _, err := be.AddPerson(ctx, who, person); err != nil {
		return err
	}
	flow, err := be.AddFlow(ctx, who, core.ApprovalFlow{Name: hostileName(9, name), AssetType: tax.AssetTypes[0], AllowSelfApproval: true,
		Stages: []core.ApprovalStage{{Name: hostileName(10, name), Mode: core.ModeSequential, Approvers: []string{who.Name}, Rule: core.RuleAll, SLAHours: 8}}})
	if err != nil {
		return err
	}
	var briefs []core.Brief
	for i, stage := range []core.Stage{core.StageIntake, core.StageInProduction, core.StageReview, core.StageLive} {
		b, err := be.AddBrief(ctx, who, core.Brief{Title: hostileName(11+i, title), Objective: hostileText(len(sanitizetest.Corpus())-1, text),
			Audience: tax.Audiences[0], Channel: tax.Channels[0], Campaign: hostileName(15+i%2, name), KPITarget: hostileName(17, name),
			AssetType: tax.AssetTypes[0], Skill: person.Skills[0], Tags: tax.Tags, Owner: person.Name,
			Start: now.AddDate(0, 0, -3), Due: now.AddDate(0, 0, 1+7*i), EstimateHours: 30})
		if err != nil {
			return err
		}
		if b, err = be.MoveBrief(ctx, who, b.ID, stage, true); err != nil {
			return err
		}
		briefs = append(briefs, b)
	}
	review := briefs[2].ID
	if _, err := be.Submit(ctx, who, review, flow.ID, hostile(18, text), true); err != nil {
		return err
	}
	if _, err := be.Decide(ctx, who, core.Decision{BriefID: review, Kind: core.DecisionComment, Comment: hostileText(19, text)}); err != nil {
		return err
	}
	exp := core.Experiment{Key: HostileExperiment, Name: hostileName(20, name), BriefID: briefs[1].ID, Audience: tax.Audiences[0], Channel: tax.Channels[0],
		Started: now.AddDate(0, 0, -7), Variants: []core.Variant{{Key: "a", Name: hostileName(21, name), Copy: hostile(22, text), Weight: 1, Control: true},
			{Key: "b", Name: hostileName(23, name), Copy: hostile(24, text), Weight: 1}}}
	if _, err := be.AddExperiment(ctx, who, exp); err != nil {
		return err
	}
	var events []core.Event
	for i := range 40 {
		v := exp.Variants[i%2].Key
		unit := fmt.Sprintf("u%d", i)
		events = append(events, core.Event{TS: now.Add(-time.Duration(i) * time.Hour), Experiment: exp.Key, Variant: v, Unit: unit, Type: core.EventExposure})
		if i%3 == 0 {
			events = append(events, core.Event{TS: now.Add(-time.Duration(i) * time.Hour), Experiment: exp.Key, Variant: v, Unit: unit, Type: core.EventConversion})
		}
	}
	if _, err := be.Ingest(ctx, who, events, store.IngestOptions{}); err != nil {
		return err
	}
	year, week := now.ISOWeek()
	if _, err := be.AddRetroNote(ctx, who, fmt.Sprintf("%d-W%02d", year, week), hostileText(25, text)); err != nil {
		return err
	}
	g := core.BrandGuideline{Voice: hostileText(26, text), Banned: []string{hostileName(27, name)}, Preferred: map[string]string{hostileName(28, name): hostileName(29, name)},
		Required: []string{hostileName(30, name)}}
	if _, _, err := be.SaveGuideline(ctx, who, g); err != nil {
		return err
	}
	if _, err := be.AddTemplate(ctx, who, core.Template{Kind: core.TemplateBrief, Name: HostileTemplate, Brief: &core.BriefTemplate{
		Objective: hostileText(31, text), Campaign: hostileName(32, name), Checklist: []core.ChecklistItem{{Name: hostileName(33, name), Required: true}}}}); err != nil {
		return err
	}
	if _, err := be.AddTemplate(ctx, who, core.Template{Kind: core.TemplateExperiment, Name: HostileTemplate, Experiment: &core.ExperimentTemplate{
		Hypothesis: hostileText(34, text)}}); err != nil {
		return err
	}
	key, err := gossh.NewPublicKey(ed25519.PublicKey(make([]byte, ed25519.PublicKeySize)))
	if err != nil {
		return err
	}
	_, err = be.AddUser(ctx, who, core.User{Name: who.Name, Role: core.RoleAdmin, Keys: []string{string(gossh.MarshalAuthorizedKey(key))}})
	return err
}
