package core

import (
	"bytes"
	"encoding/json"
	"testing"
)

func TestLint(t *testing.T) {
	g := BrandGuideline{
		Banned:    []string{"synergy", "world-class"},
		Preferred: map[string]string{"utilize": "use"},
		Required:  []string{"Terms apply."},
		MaxLength: map[string]int{"email": 40},
	}
	tests := []struct {
		name, text, channel string
		rules               []string
		score               int
	}{
		{"clean", "Save five hours a week. Terms apply.", "email", nil, 100},
		{"banned twice", "Synergy! More synergy. Terms apply.", "web", []string{"banned", "banned"}, 50},
		{"not a whole word", "Synergyless copy. Terms apply.", "web", nil, 100},
		{"preferred and missing claim", "Utilize our tool", "web", []string{"preferred", "required"}, 75},
		{"too long for email", "This subject line is far too long for an inbox. Terms apply.", "email", []string{"length"}, 85},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Lint(tt.text, tt.channel, g)
			if r.Score != tt.score || len(r.Findings) != len(tt.rules) {
				t.Fatalf("score %d findings %+v, want %d %v", r.Score, r.Findings, tt.score, tt.rules)
			}
			for i, rule := range tt.rules {
				if r.Findings[i].Rule != rule {
					t.Errorf("finding %d = %s, want %s", i, r.Findings[i].Rule, rule)
				}
			}
		})
	}
	r := Lint("Great synergy", "web", BrandGuideline{Banned: []string{"synergy"}})
	if f := r.Findings[0]; f.Pos != 6 || f.Len != 7 {
		t.Fatalf("position %d+%d, want 6+7", f.Pos, f.Len)
	}
}

// Flesch–Kincaid grade of a short plain text stays low; dense prose is high.
func TestReadingGrade(t *testing.T) {
	plain, ok := ReadingGrade("The cat sat on the mat. The dog ran to the park. We had fun.")
	if !ok || plain > 3 {
		t.Fatalf("plain grade = %v, %v", plain, ok)
	}
	dense, _ := ReadingGrade("Organizational transformation necessitates comprehensive stakeholder communication strategies incorporating multidimensional considerations.")
	if dense < 15 {
		t.Fatalf("dense grade = %v", dense)
	}
	if _, ok := ReadingGrade("too short"); ok {
		t.Fatal("graded a two-word text")
	}
}

func TestParseGuideline(t *testing.T) {
	g, err := ParseGuideline([]byte(`{"voice":"plain","banned":["synergy"],"max_length":{"email":60},"version":9}`))
	if err != nil || g.Voice != "plain" || g.Version != 0 || g.MaxLength["email"] != 60 {
		t.Fatalf("parse = %+v, %v", g, err)
	}
	for _, bad := range []string{`{"banned_words":["x"]}`, `{"max_length":{"email":-1}}`, `not json`} {
		if _, err := ParseGuideline([]byte(bad)); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

func FuzzParseGuideline(f *testing.F) {
	f.Add([]byte(`{"voice":"plain","banned":["synergy"],"preferred":{"utilize":"use"},"required":["Terms apply."],"max_length":{"email":60},"reading_level":8}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		g, err := ParseGuideline(data)
		if err == nil {
			_ = Lint("some copy to check", "email", g) // a parsed guideline must lint without panicking
		}
	})
}

// Ensure that a lint result with no findings writes findings as [], never
// null, also when it was read back from a record that stored null.
func TestLintResult_MarshalJSON_NoFindings(t *testing.T) {
	var read LintResult
	if err := json.Unmarshal([]byte(`{"score":100,"findings":null}`), &read); err != nil {
		t.Fatal(err)
	}
	for _, r := range []LintResult{read, Lint("Spring is here.", "email", BrandGuideline{})} {
		got, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(got, []byte(`"findings":[]`)) {
			t.Errorf("%s; want findings: []", got)
		}
	}
}
