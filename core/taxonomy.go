package core

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Taxonomy is the shared vocabulary that briefs, variants and events use, so
// that MOps' results and CreativeOps' briefs link up by the same words.
type Taxonomy struct {
	Channels   []string `json:"channels"`
	Audiences  []string `json:"audiences"`
	AssetTypes []string `json:"asset_types"`
	Tags       []string `json:"tags"`
}

// Validate returns an error naming every list with an empty or repeated term.
func (t Taxonomy) Validate() error {
	f := fieldErrors{record: "taxonomy"}
	for name, terms := range map[string][]string{"channels": t.Channels, "audiences": t.Audiences, "asset_types": t.AssetTypes, "tags": t.Tags} {
		seen := make(map[string]bool, len(terms))
		for _, term := range terms {
			k := strings.ToLower(strings.TrimSpace(term))
			switch {
			case k == "":
				f.add(name, "has an empty term")
			case seen[k]:
				f.add(name, "has a term twice")
			}
			if k != "" {
				f.name(name, term, maxName, true)
			}
			seen[k] = true
		}
	}
	return f.err()
}

// CheckBrief returns an error naming each field of b that uses a term the
// taxonomy does not have, tags included. An empty taxonomy list accepts
// anything.
func (t Taxonomy) CheckBrief(b Brief) error {
	return t.CheckBriefEdit(Brief{}, b)
}

// CheckBriefEdit is CheckBrief for the values b sets that old did not
// have: a term retired since it was chosen stays on the brief until
// someone changes it.
func (t Taxonomy) CheckBriefEdit(old, b Brief) error {
	var fields []termField
	for _, f := range []struct {
		termField
		was string
	}{
		{termField{"channel", b.Channel, t.Channels}, old.Channel},
		{termField{"audience", b.Audience, t.Audiences}, old.Audience},
		{termField{"asset_type", b.AssetType, t.AssetTypes}, old.AssetType},
	} {
		if f.value != f.was {
			fields = append(fields, f.termField)
		}
	}
	for _, tag := range b.Tags {
		if !slices.Contains(old.Tags, tag) && tag != TagRetroAction {
			fields = append(fields, termField{"tags", tag, t.Tags})
		}
	}
	return checkTerms("brief", fields)
}

// Missing returns b's terms that the taxonomy's non-empty lists lack, as
// a taxonomy of just those: what `--new-term` adds.
func (t Taxonomy) Missing(b Brief) Taxonomy {
	var m Taxonomy
	add := func(list *[]string, terms []string, v string) {
		if v != "" && len(terms) > 0 && !containsFold(terms, v) && !containsFold(*list, v) {
			*list = append(*list, v)
		}
	}
	add(&m.Channels, t.Channels, b.Channel)
	add(&m.Audiences, t.Audiences, b.Audience)
	add(&m.AssetTypes, t.AssetTypes, b.AssetType)
	for _, tag := range b.Tags {
		add(&m.Tags, t.Tags, tag)
	}
	return m
}

// Empty reports whether t has no terms at all.
func (t Taxonomy) Empty() bool {
	return len(t.Channels)+len(t.Audiences)+len(t.AssetTypes)+len(t.Tags) == 0
}

// CheckExperiment returns an error naming each field of e that uses a term
// the taxonomy does not have.
func (t Taxonomy) CheckExperiment(e Experiment) error {
	return checkTerms("experiment", []termField{
		{"channel", e.Channel, t.Channels},
		{"audience", e.Audience, t.Audiences},
	})
}

// termField is one field checked against one taxonomy list.
type termField struct {
	name, value string
	terms       []string
}

func checkTerms(record string, fields []termField) error {
	f := fieldErrors{record: record}
	for _, tf := range fields {
		if tf.value == "" || len(tf.terms) == 0 || containsFold(tf.terms, tf.value) {
			continue
		}
		f.add(tf.name, "%q is not in the taxonomy;%s use one of %s, or add it (admins: --new-term, or `tandem taxonomy add`)",
			tf.value, didYouMean(tf.value, tf.terms), strings.Join(tf.terms, ", "))
	}
	return f.err()
}

func containsFold(terms []string, s string) bool {
	return slices.ContainsFunc(terms, func(t string) bool { return strings.EqualFold(t, s) })
}

// BrandGuideline is the workspace's brand rules, versioned: each saved
// change gets the next version so generated variants can name the rules
// they were checked against.
type BrandGuideline struct {
	Version      uint64            `json:"version"`
	Voice        string            `json:"voice"`
	Banned       []string          `json:"banned,omitempty"`
	Preferred    map[string]string `json:"preferred,omitempty"`
	Required     []string          `json:"required,omitempty"`
	MaxLength    map[string]int    `json:"max_length,omitempty"`
	ReadingLevel float64           `json:"reading_level,omitempty"`
}

// ParseGuideline reads brand guidelines from one JSON object, refusing
// unknown fields so a misspelt rule is caught rather than silently
// ignored, and null, which holds no rules by accident.
func ParseGuideline(data []byte) (BrandGuideline, error) {
	var read *BrandGuideline
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	err := dec.Decode(&read)
	switch {
	case errors.Is(err, io.EOF):
		return BrandGuideline{}, errors.New("guideline: the input is empty; give the guideline as JSON (see `tandem guideline show --json`)")
	case err != nil:
		return BrandGuideline{}, fmt.Errorf("guideline: %s; see `tandem guideline show --json` for the shape", JSONProblem(err))
	case dec.More():
		return BrandGuideline{}, errors.New("guideline: the input holds more than one JSON value; give one object (see `tandem guideline show --json`)")
	case read == nil:
		// null would save a guideline with no rules, wiping them all by
		// accident; an explicit {} still does that on purpose.
		return BrandGuideline{}, errors.New("guideline: the input is null; give the guideline as a JSON object, {} for no rules (see `tandem guideline show --json`)")
	}
	g := *read
	g.Version = 0 // the store assigns versions
	return g, g.Validate()
}
