package models

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tandem-ops/tandem/core"
)

// copySchema is the JSON schema variants are asked for. Lengths are bounded
// so a model cannot ramble past the reply budget and truncate the JSON.
const copySchema = `{"type":"object","properties":{
"headline":{"type":"string","maxLength":60},
"body":{"type":"string","maxLength":200},
"cta":{"type":"string","maxLength":30},
"rationale":{"type":"string","maxLength":120}},
"required":["headline","body","cta","rationale"]}`

// CopySchema returns the JSON schema variants are asked for.
func CopySchema() json.RawMessage { return json.RawMessage(copySchema) }

// replyBudget is the tokens a structured reply may take: enough for the
// schema's lengths with room for the JSON around them.
const replyBudget = 512

// VariantRequest asks for copy variants for a brief.
type VariantRequest struct {
	Options
	Brief     core.Brief
	Guideline core.BrandGuideline
	// Context is retrieved material (guideline chunks, past winners) with
	// the ids of its sources.
	Context []Source
	N       int
	// First is the index of the first variant to make: a run resumed
	// after making some asks for the rest, each with the seed it would
	// have had.
	First int
	// Retries is how many times a reply that breaks the schema or a brand
	// error rule is asked for again, with the problems fed back.
	Retries int
	// CostPerHour is the AI lane's rate, for the cost in provenance.
	CostPerHour float64
}

// Source is one piece of retrieved context.
type Source struct {
	ID   string
	Text string
}

// Prompt builds the prompt for one variant.
func Prompt(req VariantRequest, i int, problems []string) string {
	var b strings.Builder
	b.WriteString("You write marketing copy. Reply with JSON only: headline, body, cta, rationale.\n")
	fmt.Fprintf(&b, "Brand voice: %s\n", req.Guideline.Voice)
	if len(req.Guideline.Banned) > 0 {
		fmt.Fprintf(&b, "Never use: %s\n", strings.Join(req.Guideline.Banned, ", "))
	}
	if len(req.Guideline.Required) > 0 {
		fmt.Fprintf(&b, "Always include: %s\n", strings.Join(req.Guideline.Required, " "))
	}
	br := req.Brief
	fmt.Fprintf(&b, "Brief: %s\nObjective: %s\nAudience: %s\nChannel: %s\nKPI: %s\n", br.Title, br.Objective, br.Audience, br.Channel, br.KPITarget)
	for _, s := range req.Context {
		fmt.Fprintf(&b, "Context [%s]: %s\n", s.ID, s.Text)
	}
	fmt.Fprintf(&b, "Write variant %d of %d, different from the others.\n", i+1, req.N)
	if len(problems) > 0 {
		fmt.Fprintf(&b, "Your last reply had problems; fix them: %s\n", strings.Join(problems, "; "))
	}
	return b.String()
}

// Variants asks the model for req.N variants, one at a time, each validated
// against the schema and linted against the brand; a reply with problems is
// asked for again up to req.Retries times with the problems fed back. Each
// variant's seed is the request's seed plus its index, so a run repeats
// exactly. onToken sees the text as it streams; onVariant each variant as
// it is accepted.
func (c *Client) Variants(ctx context.Context, req VariantRequest, onToken func(i int, s string), onVariant func(core.GeneratedVariant)) ([]core.GeneratedVariant, error) {
	info, err := c.Show(ctx, req.Model)
	if err != nil {
		return nil, err
	}
	var out []core.GeneratedVariant
	for i := req.First; i < req.N; i++ {
		v, err := c.variant(ctx, req, info, i, onToken)
		if err != nil {
			return out, fmt.Errorf("variant %d of %d: %w", i+1, req.N, err)
		}
		out = append(out, v)
		if onVariant != nil {
			onVariant(v)
		}
	}
	return out, nil
}

// ErrNoValidReply is returned when every attempt broke the schema or the
// brand's error rules.
var ErrNoValidReply = errors.New("the model gave no valid reply")

func (c *Client) variant(ctx context.Context, req VariantRequest, info Info, i int, onToken func(int, string)) (core.GeneratedVariant, error) {
	var problems []string
	var total time.Duration
	for attempt := 1; attempt <= req.Retries+1; attempt++ {
		prompt := Prompt(req, i, problems)
		opts := req.Options
		opts.Seed = req.Seed + i
		if opts.NumPredict == 0 {
			opts.NumPredict = replyBudget
		}
		numCtx := ContextFor(prompt, opts.NumPredict, info.ContextLength)
		reply, usage, err := c.Generate(ctx, Request{Options: opts, Prompt: prompt, Format: json.RawMessage(copySchema), NumCtx: numCtx},
			func(s string) {
				if onToken != nil {
					onToken(i, s)
				}
			})
		total += usage.Duration
		if err != nil {
			return core.GeneratedVariant{}, err
		}
		cp, problems2 := check(reply, req)
		if len(problems2) == 0 {
			lint := core.Lint(cp.Text(), req.Brief.Channel, req.Guideline)
			sources := make([]string, len(req.Context))
			for j, s := range req.Context {
				sources[j] = s.ID
			}
			return core.GeneratedVariant{BriefID: req.Brief.ID, Copy: cp, Lint: lint, Provenance: core.Provenance{
				Model: opts.Model, Digest: info.Digest, Seed: opts.Seed, Temperature: opts.Temperature, NumCtx: numCtx,
				PromptHash: PromptHash(prompt), GuidelineVersion: req.Guideline.Version, Sources: sources,
				TokensIn: usage.PromptTokens, TokensOut: usage.OutputTokens, Attempts: attempt, Duration: total, Truncated: usage.Truncated,
				Cost: total.Hours() * req.CostPerHour,
			}}, nil
		}
		problems = problems2
	}
	return core.GeneratedVariant{}, fmt.Errorf("%w after %d attempts: %s", ErrNoValidReply, req.Retries+1, strings.Join(problems, "; "))
}

// check decodes a reply and lists what is wrong with it: schema problems,
// and brand-lint errors (warnings do not block).
func check(reply string, req VariantRequest) (core.Copy, []string) {
	var cp core.Copy
	dec := json.NewDecoder(strings.NewReader(reply))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cp); err != nil {
		return cp, []string{"reply is not the JSON object asked for: " + err.Error()}
	}
	var problems []string
	if err := cp.Validate(); err != nil {
		for _, line := range strings.Split(err.Error(), "\n") {
			problems = append(problems, line)
		}
	}
	for _, f := range core.Lint(cp.Text(), req.Brief.Channel, req.Guideline).Findings {
		if f.Severity == core.LintError && f.Rule == "banned" {
			problems = append(problems, f.Message)
		}
	}
	return cp, problems
}
