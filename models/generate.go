package models

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/ollama/ollama/api"
)

// Options are what makes a generation repeatable: the same model digest,
// prompt, seed and options give the same output.
type Options struct {
	Model       string  `json:"model"`
	Seed        int     `json:"seed"`
	Temperature float64 `json:"temperature"`
	// NumPredict caps the tokens generated.
	NumPredict int `json:"num_predict"`
}

// Usage is what one generation cost.
type Usage struct {
	PromptTokens int           `json:"prompt_tokens"`
	OutputTokens int           `json:"output_tokens"`
	Duration     time.Duration `json:"duration"`
	// TokensPerSecond is the model's output rate while it generated.
	TokensPerSecond float64 `json:"tokens_per_second"`
	// Truncated is set when the prompt filled the context window, so the
	// model may not have seen all of it.
	Truncated bool `json:"truncated"`
}

// Request is one generation.
type Request struct {
	Options
	Prompt string
	// Format is a JSON schema the reply must follow, or nil for free text.
	Format json.RawMessage
	// NumCtx is the context window to use; 0 lets the server choose.
	NumCtx int
}

// Generate streams a generation, calling onToken with each piece of text as
// it arrives, and returns the whole reply. Cancel ctx to stop it.
func (c *Client) Generate(ctx context.Context, req Request, onToken func(string)) (string, Usage, error) {
	stream := true
	opts := map[string]any{"seed": req.Seed, "temperature": req.Temperature}
	if req.NumPredict > 0 {
		opts["num_predict"] = req.NumPredict
	}
	if req.NumCtx > 0 {
		opts["num_ctx"] = req.NumCtx
	}
	var b strings.Builder
	var usage Usage
	start := time.Now()
	done := false
	err := c.api.Generate(ctx, &api.GenerateRequest{Model: req.Model, Prompt: req.Prompt, Format: req.Format, Stream: &stream, Options: opts},
		func(r api.GenerateResponse) error {
			b.WriteString(r.Response)
			if onToken != nil && r.Response != "" {
				onToken(r.Response)
			}
			if r.Done {
				done = true
				usage.PromptTokens, usage.OutputTokens = tokenCount(r.PromptEvalCount), tokenCount(r.EvalCount)
				if r.EvalDuration > 0 {
					usage.TokensPerSecond = float64(usage.OutputTokens) / r.EvalDuration.Seconds()
				}
			}
			return nil
		})
	usage.Duration = time.Since(start)
	if err != nil {
		return b.String(), usage, c.explain(req.Model, err)
	}
	if !done {
		return b.String(), usage, fmt.Errorf("%w: the stream ended before the model finished; try again", ErrBadReply)
	}
	if req.NumCtx > 0 && usage.PromptTokens >= req.NumCtx {
		usage.Truncated = true
	}
	return b.String(), usage, nil
}

// maxTokenCount bounds a count the server reports: no context window
// holds more, and sums of counts stay far from overflowing.
const maxTokenCount = 1 << 24

// tokenCount is a count the server reported, as a count: one below zero or
// past any context window (a broken or hostile server) is read as 0.
func tokenCount(n int) int {
	if n < 0 || n > maxTokenCount {
		return 0
	}
	return n
}

// PromptHash identifies a prompt in provenance without storing it twice.
func PromptHash(prompt string) string {
	sum := sha256.Sum256([]byte(prompt))
	return hex.EncodeToString(sum[:])
}

// estimateTokens is a cautious count for sizing the context: about four
// bytes a token, rounded up.
func estimateTokens(s string) int { return len(s)/3 + 1 }

// ContextFor picks num_ctx for a prompt: room for the prompt and the reply,
// within the model's window (0 when the window is unknown).
func ContextFor(prompt string, reply, window int) int {
	need := estimateTokens(prompt) + reply
	if window > 0 && need > window {
		return window
	}
	ctx := 2048
	for ctx < need {
		ctx *= 2
	}
	if window > 0 {
		return min(ctx, window)
	}
	return ctx
}
