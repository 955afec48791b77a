package config

import (
	"strconv"
	"strings"
	"testing"

	"github.com/tandem-ops/tandem/ui/backend"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name, text string
		problems   []string // "line:field"
	}{
		{"empty", "", nil},
		{"default file", Default(), nil},
		{"good", "theme = light\nmodel = tiny\nkeys.help = F1, ctrl+h\ncolor.primary = #FF00FF # pink\n", nil},
		{"unknown field", "colour = red\n", []string{"1:colour"}},
		{"bad theme", "\n\ntheme = neon\n", []string{"3:theme"}},
		{"bad colour", "color.primary = pink\n", []string{"1:color.primary"}},
		{"unknown colour", "color.sky = #000000\n", []string{"1:color.sky"}},
		{"unknown binding", "keys.fly = f\n", []string{"1:keys.fly"}},
		{"conflict", "keys.help = F2\nkeys.quit = F2\n", []string{"2:keys.quit"}},
		{"global key a view uses", "\nkeys.quit = x\n", []string{"2:keys.quit"}},
		{"view binding", "keys.board.move_next = M\nkeys.studio.generate = G\n", nil},
		{"view conflict", "keys.board.undo = e\n", []string{"1:keys.board.undo"}},
		{"other modes", "keys.board.confirm = e\nkeys.approvals.send = q\n", nil},
		{"old and new name", "keys.quit = F3\nkeys.global.quit = F4\n", []string{"2:keys.global.quit"}},
		{"unknown view binding", "keys.board.fly = f\n", []string{"1:keys.board.fly"}},
		{"not key value", "just words\n", []string{"1:line"}},
		{"set twice", "theme = dark\ntheme = light\n", []string{"2:theme"}},
		{"calendar", "working_hours = 8-16\ntimezone = UTC\nholidays = 2026-12-24, 2026-12-25\n", nil},
		{"bad hours", "working_hours = 17-9\n", []string{"1:working_hours"}},
		{"bad zone", "timezone = Mars/Olympus\n", []string{"1:timezone"}},
		{"bad holiday", "holidays = 2026-12-24, xmas\n", []string{"1:holidays"}},
		{"sla", "sla_hours = 4.5\n", nil},
		{"bad sla", "sla_hours = soon\n", []string{"1:sla_hours"}},
		{"negative sla", "sla_hours = -2\n", []string{"1:sla_hours"}},
		{"index budget", "index_max_mb = 512\n", nil},
		{"index budget not a number", "index_max_mb = lots\n", []string{"1:index_max_mb"}},
		{"index budget of zero", "index_max_mb = 0\n", []string{"1:index_max_mb"}},
		{"index budget past a terabyte", "index_max_mb = 9999999999\n", []string{"1:index_max_mb"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, problems := Parse("cfg", []byte(tt.text))
			var got []string
			for _, p := range problems {
				got = append(got, strconv.Itoa(p.Line)+":"+p.Field)
				if !strings.HasPrefix(p.Error(), "cfg:") {
					t.Errorf("problem %q does not name the file", p.Error())
				}
			}
			if strings.Join(got, ",") != strings.Join(tt.problems, ",") {
				t.Fatalf("problems = %v, want %v", got, tt.problems)
			}
		})
	}
	cal, _ := Parse("cfg", []byte("working_hours = 8-16\nholidays = 2026-12-25\n"))
	if wh, hol := cal.Calendar(); wh.Start != 8 || wh.End != 16 || len(hol) != 1 {
		t.Fatalf("calendar = %+v %v", wh, hol)
	}
	if wh, _ := (Config{}).Calendar(); wh.Start != 9 || wh.End != 17 {
		t.Fatalf("default calendar = %+v", wh)
	}
	cfg, _ := Parse("cfg", []byte("theme = light\nkeys.help = F1, ctrl+h\ncolor.primary = #FF00FF\nsla_hours = 4.5\nindex_max_mb = 64\n"))
	if s := cfg.Apply(backend.Settings{}); s.MaxIndexBytes != 64<<20 {
		t.Fatalf("index budget = %d bytes, want 64 MiB", s.MaxIndexBytes)
	}
	if cfg.Theme != "light" || cfg.SLAHours != 4.5 || strings.Join(cfg.Keys["global.help"], "|") != "F1|ctrl+h" || cfg.Colors["primary"] != "#FF00FF" {
		t.Fatalf("config = %+v", cfg)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(Default()))
	f.Add([]byte("theme = light\nkeys.help = h\nkeys.board.undo = e\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = Parse("fuzz", data) // never panics
	})
}

// Ensure that a global key bound to a key a view uses is one problem on the
// remap's line that names every binding it takes over: `keys.quit = x`
// would quit where Approvals rejects.
func TestParse_ConflictMessage(t *testing.T) {
	_, problems := Parse("cfg", []byte("keys.quit = x\n"))
	if len(problems) != 1 {
		t.Fatalf("problems = %v", problems)
	}
	for _, want := range []string{`cfg:1: keys.quit: "x" is also`, "approvals.reject", "retro.explain", "another key"} {
		if !strings.Contains(problems[0].Error(), want) {
			t.Errorf("%q lacks %q", problems[0].Error(), want)
		}
	}
}
