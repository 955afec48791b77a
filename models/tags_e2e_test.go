package models_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/models"
	"github.com/tandem-ops/tandem/models/ollamatest"
)

// TestEndToEnd_TagSuggest asks the real server with the tiny model for a
// brief's terms: the raw reply, before any filtering, holds only the
// taxonomy's terms, because the schema's enums bind the model.
func TestEndToEnd_TagSuggest(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a real Ollama server (a minute or more on a loaded machine)")
	}
	host := ollamatest.Start(t)
	c, err := models.New(host, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	tax := core.Taxonomy{Channels: []string{"email", "paid social"}, Audiences: []string{"smb owners", "enterprise it"},
		AssetTypes: []string{"banner", "newsletter"}, Tags: []string{"q4", "seasonal", "launch"}}
	req := models.TagRequest{Options: models.Options{Model: ollamatest.Model, Seed: 5}, Brief: core.Brief{ID: 4, Title: "Holiday gift guide"}, Taxonomy: tax}
	reply, _, err := c.Generate(ctx, models.Request{Options: models.Options{Model: ollamatest.Model, Seed: 5, NumPredict: 256},
		Prompt: models.TagPrompt(req), Format: core.TagSchema(tax)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var raw core.TagSuggestion
	if err := json.Unmarshal([]byte(reply), &raw); err != nil {
		t.Fatalf("the reply is not the schema's JSON: %v\n%s", err, reply)
	}
	if raw.Channel == "" || !slices.Contains(tax.Channels, raw.Channel) || !slices.Contains(tax.Audiences, raw.Audience) || !slices.Contains(tax.AssetTypes, raw.AssetType) {
		t.Fatalf("the model named a term outside the taxonomy: %+v", raw)
	}
	for _, tag := range raw.Tags {
		if !slices.Contains(tax.Tags, tag) {
			t.Fatalf("the model invented tag %q", tag)
		}
	}
	s, err := c.SuggestTags(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if s.BriefID != 4 || s.Channel == "" || s.Provenance.Digest == "" || s.Provenance.TokensOut == 0 {
		t.Fatalf("suggestion = %+v", s)
	}
}
