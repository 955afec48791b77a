package models_test

import (
	"context"
	"testing"
	"time"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/models"
	"github.com/tandem-ops/tandem/models/ollamatest"
)

// TestEndToEnd runs against a real Ollama server with the tiny model:
// structured variants that validate and lint, the same seed giving the
// same output, and cancel mid-stream.
func TestEndToEnd(t *testing.T) {
	host := ollamatest.Start(t)
	c, err := models.New(host, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	list, err := c.Models(ctx)
	if err != nil || len(list) != 1 || list[0].Digest == "" {
		t.Fatalf("models = %+v, %v", list, err)
	}
	req := models.VariantRequest{
		Options:   models.Options{Model: ollamatest.Model, Seed: 42, Temperature: 0.8},
		Brief:     core.Brief{ID: 1, Title: "Spring email", Channel: "email", Objective: "sign-ups"},
		Guideline: core.BrandGuideline{Version: 1, Voice: "plain", Banned: []string{"synergy"}},
		N:         2, Retries: 3,
	}
	tokens := 0
	vs, err := c.Variants(ctx, req, func(int, string) { tokens++ }, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 2 || tokens == 0 {
		t.Fatalf("%d variants from %d streamed pieces", len(vs), tokens)
	}
	for _, v := range vs {
		if err := v.Copy.Validate(); err != nil {
			t.Fatalf("variant does not validate: %v", err)
		}
		if v.Provenance.Digest != list[0].Digest || v.Provenance.TokensOut == 0 || v.Lint.Score < 0 {
			t.Fatalf("provenance %+v lint %+v", v.Provenance, v.Lint)
		}
	}
	// Same seed, digest and prompt: the same output.
	again, err := c.Variants(ctx, req, nil, nil)
	if err != nil || again[0].Copy != vs[0].Copy || again[1].Copy != vs[1].Copy {
		t.Fatalf("the same seed gave different copy (%v)", err)
	}
	// The tiny model's 64-token window cannot hold the prompt: that is
	// reported, not hidden.
	if !vs[0].Provenance.Truncated {
		t.Error("a prompt longer than the context window was not flagged")
	}
	// Cancel mid-stream.
	cctx, cancel := context.WithCancel(ctx)
	start := time.Now()
	_, _, err = c.Generate(cctx, models.Request{Options: models.Options{Model: ollamatest.Model, Seed: 1, NumPredict: 5000}, Prompt: "go on"},
		func(string) { cancel() })
	if err == nil || time.Since(start) > 10*time.Second {
		t.Fatalf("cancel: %v after %v", err, time.Since(start))
	}
}

// BenchmarkGenerationOverhead compares tandem's variant path (schema,
// validation, lint, provenance) with raw streaming generation of the same
// prompt on the same model and seed, in one run: output tokens per second
// for each, and tandem's overhead in percent.
func BenchmarkGenerationOverhead(b *testing.B) {
	host := ollamatest.Start(b)
	c, err := models.New(host, time.Minute)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	req := models.VariantRequest{Options: models.Options{Model: ollamatest.Model, Seed: 11, Temperature: 0.8},
		Brief: core.Brief{ID: 1, Title: "Spring email", Channel: "email"}, Guideline: core.BrandGuideline{Version: 1}, N: 1, Retries: 0}
	var rawTokens, ourTokens int
	var rawTime, ourTime time.Duration
	for b.Loop() {
		start := time.Now()
		_, usage, err := c.Generate(ctx, models.Request{Options: models.Options{Model: ollamatest.Model, Seed: 11, Temperature: 0.8, NumPredict: 512},
			Prompt: models.Prompt(req, 0, nil), Format: models.CopySchema()}, nil)
		if err != nil {
			b.Fatal(err)
		}
		rawTime += time.Since(start)
		rawTokens += usage.OutputTokens

		start = time.Now()
		vs, err := c.Variants(ctx, req, nil, nil)
		if err != nil {
			b.Fatal(err)
		}
		ourTime += time.Since(start)
		ourTokens += vs[0].Provenance.TokensOut
	}
	raw := float64(rawTokens) / rawTime.Seconds()
	ours := float64(ourTokens) / ourTime.Seconds()
	b.ReportMetric(raw, "raw-tokens/s")
	b.ReportMetric(ours, "tandem-tokens/s")
	b.ReportMetric(100*(raw-ours)/raw, "overhead-%")
}
