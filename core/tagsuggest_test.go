package core

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func tagTaxonomy() Taxonomy {
	return Taxonomy{Channels: []string{"email", "paid social"}, Audiences: []string{"smb owners"}, AssetTypes: []string{"email", "banner"}, Tags: []string{"q4", "seasonal"}}
}

// Ensure that the schema lists only the taxonomy's terms, as enums, and
// leaves out a kind with none.
func TestTagSchema(t *testing.T) {
	var s struct {
		Properties map[string]struct {
			Enum  []string `json:"enum"`
			Items struct {
				Enum []string `json:"enum"`
			} `json:"items"`
		} `json:"properties"`
		Required []string `json:"required"`
	}
	tax := tagTaxonomy()
	tax.Audiences = nil
	if err := json.Unmarshal(TagSchema(tax), &s); err != nil {
		t.Fatal(err)
	}
	if got := s.Properties["channel"].Enum; !reflect.DeepEqual(got, tax.Channels) {
		t.Errorf("channel enum = %q", got)
	}
	if got := s.Properties["tags"].Items.Enum; !reflect.DeepEqual(got, tax.Tags) {
		t.Errorf("tags enum = %q", got)
	}
	if _, ok := s.Properties["audience"]; ok || strings.Join(s.Required, ",") != "asset_type,channel,tags" {
		t.Errorf("a kind without terms is in the schema: %+v", s)
	}
}

// Ensure that Keep drops every term the taxonomy lacks, and that Accept
// fills the brief with the terms kept.
func TestTaxonomy_Keep_Accept(t *testing.T) {
	s := tagTaxonomy().Keep(TagSuggestion{Channel: "EMAIL", Audience: "aliens", AssetType: "banner\x1b[2J", Tags: []string{"q4", "made-up", "Q4", "seasonal"}})
	want := TagSuggestion{Channel: "email", Tags: []string{"q4", "seasonal"}}
	if !reflect.DeepEqual(s, want) {
		t.Fatalf("kept %+v, want %+v", s, want)
	}
	b := s.Accept(Brief{Title: "x", Channel: "sms", Audience: "smb owners", Tags: []string{"vip"}})
	if b.Channel != "email" || b.Audience != "smb owners" || strings.Join(b.Tags, ",") != "q4,seasonal,vip" {
		t.Fatalf("accepted = %+v", b)
	}
}
