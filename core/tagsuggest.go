package core

import (
	"encoding/json"
	"slices"
	"strings"
)

// TagSuggestion is what the model suggests for a brief's taxonomy terms,
// with the provenance of the generation, as variants carry theirs. Every
// term is one of the taxonomy's: the schema the model answers under lists
// only those, and Keep drops any other.
type TagSuggestion struct {
	BriefID    uint64     `json:"brief_id"`
	Channel    string     `json:"channel,omitempty"`
	Audience   string     `json:"audience,omitempty"`
	AssetType  string     `json:"asset_type,omitempty"`
	Tags       []string   `json:"tags,omitempty"`
	Provenance Provenance `json:"provenance"`
}

// maxSuggestedTags bounds the tags a suggestion holds.
const maxSuggestedTags = 5

// TagSchema returns the JSON schema a tag suggestion is asked for under:
// each field an enum of the taxonomy's terms, so a model that follows it
// cannot invent one. A kind with no terms is left out of the schema.
func TagSchema(t Taxonomy) json.RawMessage {
	props := map[string]any{}
	var required []string
	one := func(name string, terms []string) {
		if len(terms) > 0 {
			props[name] = map[string]any{"type": "string", "enum": terms}
			required = append(required, name)
		}
	}
	one("channel", t.Channels)
	one("audience", t.Audiences)
	one("asset_type", t.AssetTypes)
	if len(t.Tags) > 0 {
		props["tags"] = map[string]any{"type": "array", "items": map[string]any{"type": "string", "enum": t.Tags}, "maxItems": maxSuggestedTags}
		required = append(required, "tags")
	}
	slices.Sort(required)
	v, _ := json.Marshal(map[string]any{"type": "object", "properties": props, "required": required}) // maps of strings always encode
	return v
}

// Keep returns s with only the taxonomy's terms (in its spelling), each
// tag once and at most maxSuggestedTags: what a reply that strayed from
// its schema still offers.
func (t Taxonomy) Keep(s TagSuggestion) TagSuggestion {
	pick := func(v string, terms []string) string {
		for _, term := range terms {
			if strings.EqualFold(strings.TrimSpace(v), term) {
				return term
			}
		}
		return ""
	}
	s.Channel, s.Audience, s.AssetType = pick(s.Channel, t.Channels), pick(s.Audience, t.Audiences), pick(s.AssetType, t.AssetTypes)
	var tags []string
	for _, tag := range s.Tags {
		if term := pick(tag, t.Tags); term != "" && !slices.Contains(tags, term) && len(tags) < maxSuggestedTags {
			tags = append(tags, term)
		}
	}
	s.Tags = tags
	return s
}

// Accept returns b with the suggestion's terms: each field the suggestion
// fills replaces b's, and its tags join b's.
func (s TagSuggestion) Accept(b Brief) Brief {
	for _, f := range []struct {
		dst *string
		v   string
	}{{&b.Channel, s.Channel}, {&b.Audience, s.Audience}, {&b.AssetType, s.AssetType}} {
		if f.v != "" {
			*f.dst = f.v
		}
	}
	b.Tags = append(slices.Clone(b.Tags), s.Tags...)
	b.Normalize()
	return b
}
