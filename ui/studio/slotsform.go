package studio

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/common"
	"github.com/tandem-ops/tandem/ui/sanitize"
)

// slotsAsked are the slots generation by slot fills, in copy order, with
// what the form and the notice call a count of them and how many the form
// starts with: a few headlines to choose among, fewer bodies and CTAs.
var slotsAsked = [...]struct {
	slot, one, many, title string
	start                  int
}{
	{"headline", "headline", "headlines", "Headlines", 3},
	{"body", "body", "bodies", "Bodies", 2},
	{"cta", "CTA", "CTAs", "CTAs", 2},
}

// errNoSlot is returned by slotCounts when every count is 0.
var errNoSlot = errors.New("ask for at least one component: set a count above 0")

// slotCounts are the counts above 0 as the backend takes them; an error
// says, in one line, why the studio cannot generate them (none asked, or
// more combinations than are assembled).
func slotCounts(n [len(slotsAsked)]int) ([]core.SlotCount, error) {
	var counts []core.SlotCount
	for i, s := range slotsAsked {
		if n[i] > 0 {
			counts = append(counts, core.SlotCount{Slot: s.slot, N: n[i]})
		}
	}
	if len(counts) == 0 {
		return nil, errNoSlot
	}
	if err := core.CheckSlotCounts(counts); err != nil {
		return nil, errors.New(strings.ReplaceAll(err.Error(), "\n", "; "))
	}
	return counts, nil
}

// slotsForm asks how many components of each slot to generate for a
// brief. Each count is picked from 0 to core.MaxSlotComponents, so none is
// out of bounds; the line above the form says how many combinations they
// make, or why they cannot be generated, as they change.
type slotsForm struct {
	common common.Common
	brief  core.Brief
	n      [len(slotsAsked)]int
	form   *huh.Form
	// said is the line above the form; refused marks it a problem.
	said    string
	refused bool
}

func newSlotsForm(c common.Common, br core.Brief) *slotsForm {
	f := &slotsForm{common: c, brief: br}
	for i, s := range slotsAsked {
		f.n[i] = s.start
	}
	f.build()
	return f
}

// build makes the huh form over f.n.
func (f *slotsForm) build() {
	options := make([]huh.Option[int], core.MaxSlotComponents+1)
	for n := range options {
		options[n] = huh.NewOption(strconv.Itoa(n), n)
	}
	fields := make([]huh.Field, len(slotsAsked))
	for i, s := range slotsAsked {
		fields[i] = huh.NewSelect[int]().Title(s.title).Options(options...).Value(&f.n[i]).Inline(true)
	}
	group := huh.NewGroup(fields...).Title(fmt.Sprintf("Generate by slot for #%d %s", f.brief.ID, sanitize.Line(f.brief.Title))).
		Description(fmt.Sprintf("How many of each slot the model writes, 0 to %d; 0 leaves a slot out.", core.MaxSlotComponents))
	f.form = huh.NewForm(group).WithShowHelp(true).WithShowErrors(false).WithTheme(huh.ThemeBase()).WithKeyMap(slotsFormKeys())
	f.setSize(f.common.Width, f.common.Height)
	f.say()
}

// say puts what the counts make, or why they cannot be generated, above
// the form.
func (f *slotsForm) say() {
	counts, err := slotCounts(f.n)
	f.refused = err != nil
	if err != nil {
		f.said = "✗ " + err.Error()
		return
	}
	combos := 1
	for _, c := range counts {
		combos *= c.N
	}
	f.said = fmt.Sprintf("%s, each linted for %s · enter on the last count generates",
		common.Plural(combos, "combination"), sanitize.Line(channelOr(f.brief.Channel)))
}

// slotsFormKeys are huh's keys with help that says what they do here;
// filtering a list of 0 to 10 is no use.
func slotsFormKeys() *huh.KeyMap {
	km := huh.NewDefaultKeyMap()
	km.Select.Filter.SetEnabled(false)
	km.Select.Left.SetHelp("←", "fewer")
	km.Select.Right.SetHelp("→", "more")
	km.Select.Next.SetHelp("enter", "next slot")
	km.Select.Submit.SetHelp("enter", "generate")
	return km
}

func (f *slotsForm) init() tea.Cmd { return f.form.Init() }

// setSize fits the form, the line above it and its help in width×height.
func (f *slotsForm) setSize(width, height int) {
	f.common.SetSize(width, height)
	f.form = f.form.WithWidth(max(width, 20)).WithHeight(max(height-2, 8))
}

// update passes msg to the form. Once the form is submitted with counts
// the studio can generate it returns them; submitted with counts it
// cannot, it opens again with the counts as picked, the line above it
// saying why.
func (f *slotsForm) update(msg tea.Msg) ([]core.SlotCount, tea.Cmd) {
	model, cmd := f.form.Update(msg)
	if form, ok := model.(*huh.Form); ok {
		f.form = form
	}
	f.say()
	if f.form.State != huh.StateCompleted {
		return nil, cmd
	}
	counts, err := slotCounts(f.n)
	if err != nil {
		f.build()
		return nil, f.init()
	}
	return counts, nil
}

func (f *slotsForm) view() string {
	st := f.common.Styles
	line := st.App.Muted.Render(common.Truncate(f.said, max(f.common.Width, 1), "…"))
	if f.refused {
		line = st.Studio.Error.Render(common.Truncate(f.said, max(f.common.Width, 1), "…"))
	}
	return line + "\n" + f.form.View()
}

// channelOr is the channel, or says there is none.
func channelOr(channel string) string {
	if channel == "" {
		return "no channel"
	}
	return channel
}
