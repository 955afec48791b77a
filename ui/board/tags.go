package board

import (
	"context"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/sanitize"
)

// tagsMsg carries the local model's taxonomy terms for a brief, or why
// there are none.
type tagsMsg struct {
	brief      core.Brief // as it was when asked: the edit is made from it
	suggestion core.TagSuggestion
	err        error
}

// tagPrompt is a suggestion waiting for the person to accept, edit or
// dismiss it.
type tagPrompt struct {
	brief      core.Brief
	suggestion core.TagSuggestion
}

// suggestTags asks the local model, as `tandem tag suggest` does, which
// taxonomy terms fit b. Nothing changes until the person accepts.
func (m *Model) suggestTags(b core.Brief) tea.Cmd {
	settings := m.common.Backend.Models()
	m.setNotice(false, "asking %s for #%d's terms…", sanitize.Line(settings.Model), b.ID)
	return suggestTagsCmd(m.common.Ctx, m.common.Backend, m.common.Identity, settings, b)
}

func suggestTagsCmd(ctx context.Context, be *backend.Backend, who core.Identity, settings backend.ModelSettings, b core.Brief) tea.Cmd {
	return func() tea.Msg {
		client, err := settings.Client()
		if err != nil {
			return tagsMsg{brief: b, err: err}
		}
		s, err := be.SuggestTags(ctx, who, client, b.ID, settings.Model, 1)
		return tagsMsg{brief: b, suggestion: s, err: err}
	}
}

// showTags puts a suggestion up for the person, or says why there is
// none (no Ollama, no taxonomy).
func (m *Model) showTags(msg tagsMsg) {
	if msg.err != nil {
		m.setNotice(true, "suggest tags: %v", msg.err)
		return
	}
	m.notice = ""
	m.tags = &tagPrompt{brief: msg.brief, suggestion: msg.suggestion}
}

// handleTagsKey accepts the suggestion (an audited edit merged with any
// made since), opens it in the form to edit, or dismisses it.
func (m *Model) handleTagsKey(msg tea.KeyMsg) tea.Cmd {
	p := m.tags
	switch {
	case key.Matches(msg, m.keys.Confirm):
		m.tags = nil
		m.detail = nil // it shows the brief before the edit
		edit := p.suggestion.Accept(p.brief)
		return saveCmd(m.common.Ctx, m.common.Backend, m.common.Identity, edit)
	case key.Matches(msg, m.keys.Edit):
		m.tags, m.detail = nil, nil
		m.form = newBriefForm(m.common, p.suggestion.Accept(p.brief), m.snap)
		return m.form.init()
	case key.Matches(msg, m.keys.Cancel):
		m.tags = nil
		m.setNotice(false, "dismissed the suggested terms for #%d", p.brief.ID)
	}
	return nil
}

// tagsQuestion shows the suggestion and what each key does with it.
func (m *Model) tagsQuestion() string {
	s := m.tags.suggestion
	var parts []string
	for _, f := range []struct{ label, v string }{{"channel", s.Channel}, {"audience", s.Audience}, {"asset type", s.AssetType}, {"tags", strings.Join(s.Tags, ", ")}} {
		if f.v != "" {
			parts = append(parts, f.label+" "+f.v)
		}
	}
	if len(parts) == 0 {
		parts = []string{"no terms fit"}
	}
	return fmt.Sprintf("suggested for #%d: %s. %s accepts, %s edits, %s dismisses",
		s.BriefID, sanitize.Line(strings.Join(parts, " · ")), m.keys.Confirm.Help().Key, m.keys.Edit.Help().Key, m.keys.Cancel.Help().Key)
}

// tagsHelp is the suggestion's keys, from the registry, saying what they
// do here.
func (m *Model) tagsHelp() []key.Binding {
	return []key.Binding{relabel(m.keys.Confirm, "accept terms"), relabel(m.keys.Edit, "edit"), relabel(m.keys.Cancel, "dismiss")}
}
