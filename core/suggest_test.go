package core

import (
	"slices"
	"strings"
	"testing"
)

func TestSuggest(t *testing.T) {
	names := []string{"Ana Ruiz", "Ben Okafor", "Local model", "email", "paid social"}
	tests := []struct {
		in   string
		want []string
	}{
		{"Ana Ruis", []string{"Ana Ruiz"}},
		{"ana ruiz", []string{"Ana Ruiz"}},
		{"emial", []string{"email"}},
		{"social", []string{"paid social"}},
		{"zzzzzzzz", nil},
		{"", nil},
	}
	for _, tt := range tests {
		if got := Suggest(tt.in, names); !slices.Equal(got, tt.want) && !(len(got) == 0 && len(tt.want) == 0) {
			t.Errorf("Suggest(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if d := editDistance("kitten", "sitting"); d != 3 {
		t.Errorf("editDistance(kitten, sitting) = %d, want 3", d)
	}
}

func TestCheckOwner(t *testing.T) {
	people := []Person{{Name: "Ana Ruiz"}, {Name: "Local model", Lane: LaneAI}}
	for _, ok := range []string{"", "Ana Ruiz", "Local model"} {
		if err := CheckOwner(ok, people); err != nil {
			t.Errorf("CheckOwner(%q) = %v", ok, err)
		}
	}
	err := CheckOwner("Ana Ruis", people)
	if Field(err) != "owner" || !strings.Contains(err.Error(), `did you mean "Ana Ruiz"?`) {
		t.Errorf("CheckOwner(Ana Ruis) = %v", err)
	}
}

// Ensure that an edit is checked only for the terms it sets: a retired
// term stays, a new unknown one (tags included) is refused with a
// suggestion.
func TestTaxonomy_CheckBriefEdit(t *testing.T) {
	tax := Taxonomy{Channels: []string{"email", "web"}, Tags: []string{"q4", "launch"}}
	old := Brief{Channel: "events", Tags: []string{"legacy"}}
	kept := old
	kept.Title = "Retitled"
	if err := tax.CheckBriefEdit(old, kept); err != nil {
		t.Errorf("keeping retired terms: %v", err)
	}
	changed := old
	changed.Channel = "emial"
	if err := tax.CheckBriefEdit(old, changed); Field(err) != "channel" || !strings.Contains(err.Error(), `did you mean "email"?`) {
		t.Errorf("an unknown channel: %v", err)
	}
	tagged := old
	tagged.Tags = []string{"legacy", "lauch"}
	if err := tax.CheckBriefEdit(old, tagged); Field(err) != "tags" || !strings.Contains(err.Error(), `"launch"`) {
		t.Errorf("an unknown tag: %v", err)
	}
	missing := tax.Missing(Brief{Channel: "print", Audience: "anyone", Tags: []string{"q4", "new"}})
	if !slices.Equal(missing.Channels, []string{"print"}) || len(missing.Audiences) != 0 || !slices.Equal(missing.Tags, []string{"new"}) {
		t.Errorf("Missing = %+v", missing)
	}
}
