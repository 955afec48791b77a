package models

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/tandem-ops/tandem/core"
)

// TagRequest asks for a brief's taxonomy terms.
type TagRequest struct {
	Options
	Brief    core.Brief
	Taxonomy core.Taxonomy
	// CostPerHour is the AI lane's rate, for the cost in provenance.
	CostPerHour float64
}

// TagPrompt builds the prompt for a tag suggestion.
func TagPrompt(req TagRequest) string {
	var b strings.Builder
	b.WriteString("You file marketing briefs. Pick the channel, audience, asset type and up to 5 tags that fit this brief, from the allowed values only. Reply with JSON only.\n")
	br := req.Brief
	fmt.Fprintf(&b, "Brief: %s\nObjective: %s\nCampaign: %s\nKPI: %s\n", br.Title, br.Objective, br.Campaign, br.KPITarget)
	return b.String()
}

// SuggestTags asks the model for the brief's taxonomy terms under a schema
// whose enums are the taxonomy's (core.TagSchema), and keeps only terms
// the taxonomy has, should the server not enforce the schema.
func (c *Client) SuggestTags(ctx context.Context, req TagRequest) (core.TagSuggestion, error) {
	info, err := c.Show(ctx, req.Model)
	if err != nil {
		return core.TagSuggestion{}, err
	}
	prompt := TagPrompt(req)
	opts := req.Options
	if opts.NumPredict == 0 {
		opts.NumPredict = replyBudget
	}
	numCtx := ContextFor(prompt, opts.NumPredict, info.ContextLength)
	reply, usage, err := c.Generate(ctx, Request{Options: opts, Prompt: prompt, Format: core.TagSchema(req.Taxonomy), NumCtx: numCtx}, nil)
	if err != nil {
		return core.TagSuggestion{}, err
	}
	var s core.TagSuggestion
	if err := json.Unmarshal([]byte(reply), &s); err != nil {
		return core.TagSuggestion{}, fmt.Errorf("%w: the reply is not the JSON asked for (%v); try again or another --seed", ErrBadReply, err)
	}
	s = req.Taxonomy.Keep(s)
	s.BriefID = req.Brief.ID
	s.Provenance = core.Provenance{Model: opts.Model, Digest: info.Digest, Seed: opts.Seed, Temperature: opts.Temperature, NumCtx: numCtx,
		PromptHash: PromptHash(prompt), TokensIn: usage.PromptTokens, TokensOut: usage.OutputTokens, Attempts: 1,
		Duration: usage.Duration, Truncated: usage.Truncated, Cost: usage.Duration.Hours() * req.CostPerHour}
	return s, nil
}
