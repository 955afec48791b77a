package keymap

import "github.com/charmbracelet/bubbles/key"

// Board is the Board tab's keys.
type Board struct {
	Left, Right, Up, Down key.Binding
	Open                  key.Binding
	New, Edit             key.Binding
	MoveNext              key.Binding
	MoveRight, MoveLeft   key.Binding
	Filter, FilterApply   key.Binding
	Group                 key.Binding
	Undo                  key.Binding
	Confirm, Cancel       key.Binding
	Back                  key.Binding
	// PickUp, PickDown and Pick move in and take from the new-brief
	// template picker, where letters type into its filter.
	PickUp, PickDown, Pick key.Binding
	// Run runs (or resumes) the focused brief's template recipe in the
	// background; SuggestTags asks the local model for its terms.
	Run         key.Binding
	SuggestTags key.Binding
}

func defaultBoard() Board {
	return Board{
		Left:        left("column left"),
		Right:       right("column right"),
		Up:          up("card up"),
		Down:        down("card down"),
		Open:        enter("details"),
		New:         newBinding("n", "new brief", "n"),
		Edit:        newBinding("e", "edit", "e"),
		MoveNext:    newBinding("m", "move to next stage", "m"),
		MoveRight:   newBinding("shift+→/L", "move right", "shift+right", "L"),
		MoveLeft:    newBinding("shift+←/H", "move left", "shift+left", "H"),
		Filter:      newBinding("/", "filter", "/"),
		FilterApply: enter("keep the filter"),
		Group:       newBinding("g", "group by", "g"),
		Undo:        newBinding("u", "undo move", "u"),
		Confirm:     yes("move anyway"),
		Cancel:      no("cancel"),
		Back:        esc("back"),
		PickUp:      newBinding("↑", "previous template", "up"),
		PickDown:    newBinding("↓", "next template", "down"),
		Pick:        enter("pick"),
		Run:         newBinding("R", "run recipe", "R"),
		SuggestTags: newBinding("t", "suggest tags", "t"),
	}
}

func (b *Board) group() Group {
	return Group{Name: "board", Title: "Board", Entries: []Entry{
		nav("left", &b.Left),
		nav("right", &b.Right),
		nav("up", &b.Up, Main, Detail),
		nav("down", &b.Down, Main, Detail),
		entry("open", &b.Open),
		entry("new", &b.New),
		entry("edit", &b.Edit, Main, Detail),
		entry("move_next", &b.MoveNext, Main, Detail),
		entry("move_right", &b.MoveRight, Main, Detail),
		entry("move_left", &b.MoveLeft, Main, Detail),
		entry("filter", &b.Filter),
		entry("group", &b.Group),
		entry("undo", &b.Undo),
		entry("back", &b.Back, Detail, Typing, Picking),
		entry("filter_apply", &b.FilterApply, Typing),
		entry("confirm", &b.Confirm, Confirm),
		entry("cancel", &b.Cancel, Confirm),
		entry("pick_up", &b.PickUp, Picking),
		entry("pick_down", &b.PickDown, Picking),
		entry("pick", &b.Pick, Picking),
		entry("run", &b.Run, Main, Detail),
		entry("suggest_tags", &b.SuggestTags, Detail),
	}}
}

// Capacity is the Capacity tab's keys.
type Capacity struct {
	Left, Right, Up, Down key.Binding
	NextBrief, PrevBrief  key.Binding
	Assign                key.Binding
	Later, Earlier        key.Binding
	WhatIf                key.Binding
	Learning              key.Binding
	// MDEUp and MDEDown try the learning plan at another MDE.
	MDEUp, MDEDown  key.Binding
	Commit, Discard key.Binding
}

func defaultCapacity() Capacity {
	c := Capacity{
		Left:      left("weeks"),
		Right:     right("next week"),
		Up:        up("people"),
		Down:      down("next person"),
		NextBrief: newBinding("]/J", "pick a brief in the cell", "]", "J"),
		PrevBrief: newBinding("[/K", "previous brief", "[", "K"),
		Assign:    newBinding("a", "reassign to the least loaded", "a"),
		Later:     newBinding(">", "a week later/earlier", ">"),
		Earlier:   newBinding("<", "a week earlier", "<"),
		WhatIf:    newBinding("w", "what-if mode", "w"),
		Learning:  newBinding("L", "learning plan / skills", "L"),
		MDEUp:     newBinding("+/=", "try another MDE (learning plan)", "+", "="),
		MDEDown:   newBinding("-", "a smaller MDE", "-"),
		Commit:    enter("commit what-if"),
		Discard:   esc("discard what-if"),
	}
	pair(&c.Left, &c.Right)
	pair(&c.Up, &c.Down)
	pair(&c.NextBrief, &c.PrevBrief)
	pair(&c.Later, &c.Earlier)
	pair(&c.MDEUp, &c.MDEDown)
	return c
}

func (c *Capacity) group() Group {
	return Group{Name: "capacity", Title: "Capacity", Entries: []Entry{
		nav("left", &c.Left),
		pairedWith(&c.Left, nav("right", &c.Right)),
		nav("up", &c.Up),
		pairedWith(&c.Up, nav("down", &c.Down)),
		entry("next_brief", &c.NextBrief),
		pairedWith(&c.NextBrief, entry("prev_brief", &c.PrevBrief)),
		entry("assign", &c.Assign),
		entry("later", &c.Later),
		pairedWith(&c.Later, entry("earlier", &c.Earlier)),
		entry("what_if", &c.WhatIf),
		entry("learning", &c.Learning),
		entry("mde_up", &c.MDEUp),
		pairedWith(&c.MDEUp, entry("mde_down", &c.MDEDown)),
		entry("commit", &c.Commit),
		entry("discard", &c.Discard),
	}}
}

// Approvals is the Approvals tab's keys.
type Approvals struct {
	Up, Down        key.Binding
	Toggle          key.Binding
	Approve         key.Binding
	Request, Reject key.Binding
	Comment         key.Binding
	Send, Cancel    key.Binding
}

func defaultApprovals() Approvals {
	return Approvals{
		Up:      up("up"),
		Down:    down("down"),
		Toggle:  newBinding("t", "mine/team", "t"),
		Approve: newBinding("a", "approve", "a"),
		Request: newBinding("r", "request changes", "r"),
		Reject:  newBinding("x", "reject", "x"),
		Comment: newBinding("c", "comment", "c"),
		Send:    enter("send"),
		Cancel:  esc("cancel"),
	}
}

func (a *Approvals) group() Group {
	return Group{Name: "approvals", Title: "Approvals", Lists: true, Entries: []Entry{
		nav("up", &a.Up),
		nav("down", &a.Down),
		entry("toggle", &a.Toggle),
		entry("approve", &a.Approve),
		entry("request", &a.Request),
		entry("reject", &a.Reject),
		entry("comment", &a.Comment),
		entry("send", &a.Send, Typing),
		entry("cancel", &a.Cancel, Typing),
	}}
}

// Experiments is the Experiments tab's keys.
type Experiments struct {
	Up, Down        key.Binding
	Open, Back      key.Binding
	Explain         key.Binding
	Declare         key.Binding
	Confirm, Cancel key.Binding
	// By cycles the breakdown through the units' attributes, then off.
	By key.Binding
}

func defaultExperiments() Experiments {
	return Experiments{
		Up:      up("up"),
		Down:    down("down"),
		Open:    enter("open"),
		Back:    esc("back"),
		Explain: newBinding("x", "explain", "x"),
		Declare: newBinding("d", "declare winner", "d"),
		Confirm: yes("declare"),
		Cancel:  no("cancel"),
		By:      newBinding("b", "by attribute", "b"),
	}
}

func (e *Experiments) group() Group {
	return Group{Name: "experiments", Title: "Experiments", Lists: true, Entries: []Entry{
		nav("up", &e.Up),
		nav("down", &e.Down),
		entry("open", &e.Open),
		entry("back", &e.Back),
		entry("explain", &e.Explain),
		entry("by", &e.By),
		entry("declare", &e.Declare),
		entry("confirm", &e.Confirm, Typing),
		entry("cancel", &e.Cancel, Typing),
	}}
}

// Studio is the Studio tab's keys.
type Studio struct {
	Up, Down         key.Binding
	Generate, Stop   key.Binding
	Next             key.Binding
	Submit           key.Binding
	Model            key.Binding
	More, Fewer      key.Binding
	Confirm, Decline key.Binding
	// Components shows the component library in place of the briefs;
	// there GenerateSlots opens the form that generates components by
	// slot for the focused brief, and Discard closes it unsent.
	Components    key.Binding
	GenerateSlots key.Binding
	Discard       key.Binding
}

func defaultStudio() Studio {
	s := Studio{
		Up:            up("brief"),
		Down:          down("next brief"),
		Generate:      newBinding("g", "generate", "g"),
		Stop:          esc("stop generating"),
		Next:          newBinding("]", "next variant", "]"),
		Submit:        newBinding("s", "send variant to approvals", "s"),
		Model:         newBinding("m", "model", "m"),
		More:          newBinding("+/=", "variants", "+", "="),
		Fewer:         newBinding("-", "fewer variants", "-"),
		Confirm:       yes("send anyway"),
		Decline:       no("keep it"),
		Components:    newBinding("c", "components", "c"),
		GenerateSlots: newBinding("g", "generate by slot", "g"),
		Discard:       esc("discard the form"),
	}
	pair(&s.Up, &s.Down)
	pair(&s.More, &s.Fewer)
	return s
}

func (s *Studio) group() Group {
	return Group{Name: "studio", Title: "Studio", Lists: true, Entries: []Entry{
		nav("up", &s.Up, Main, Detail),
		pairedWith(&s.Up, nav("down", &s.Down, Main, Detail)),
		entry("generate", &s.Generate),
		entry("next", &s.Next),
		entry("submit", &s.Submit),
		entry("model", &s.Model),
		entry("more", &s.More),
		pairedWith(&s.More, entry("fewer", &s.Fewer)),
		entry("stop", &s.Stop, Main, Detail),
		entry("components", &s.Components, Main, Detail),
		entry("generate_slots", &s.GenerateSlots, Detail),
		entry("discard", &s.Discard, Typing),
		entry("confirm", &s.Confirm, Confirm),
		entry("decline", &s.Decline, Confirm),
	}}
}

// Retro is the Retro tab's keys.
type Retro struct {
	Up, Down           key.Binding
	PageUp, PageDown   key.Binding
	Period, Campaign   key.Binding
	Explain            key.Binding
	Action             key.Binding
	Note, Save, Cancel key.Binding
}

func defaultRetro() Retro {
	r := Retro{
		Up:       up("move"),
		Down:     down("down"),
		PageUp:   newBinding("pgup", "scroll", "pgup"),
		PageDown: newBinding("pgdn", "scroll down", "pgdown"),
		Period:   newBinding("p", "week/month/quarter", "p"),
		Campaign: newBinding("c", "campaign", "c"),
		Explain:  newBinding("x", "explain KPI", "x"),
		Action:   newBinding("b", "stalled item → action brief", "b"),
		Note:     newBinding("n", "add a note", "n"),
		Save:     enter("save note"),
		Cancel:   esc("cancel"),
	}
	pair(&r.Up, &r.Down)
	pair(&r.PageUp, &r.PageDown)
	return r
}

func (r *Retro) group() Group {
	return Group{Name: "retro", Title: "Retro", Entries: []Entry{
		nav("up", &r.Up),
		pairedWith(&r.Up, nav("down", &r.Down)),
		nav("page_up", &r.PageUp),
		pairedWith(&r.PageUp, nav("page_down", &r.PageDown)),
		entry("period", &r.Period),
		entry("campaign", &r.Campaign),
		entry("explain", &r.Explain),
		entry("action", &r.Action),
		entry("note", &r.Note),
		entry("save", &r.Save, Typing),
		entry("cancel", &r.Cancel, Typing),
	}}
}
