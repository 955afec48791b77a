// Package config reads tandem's config file: a plain `key = value` file in
// the XDG config dir. A bad file never stops tandem: Load reports every
// problem with its file, line and field, and the caller starts on defaults.
package config

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/styles"
)

// Config is what the file can set.
type Config struct {
	// Theme is dark, light or high-contrast; "" follows the terminal.
	Theme string
	// Model is the default generation model.
	Model string
	// Keys remaps global keys: binding name → keys.
	Keys map[string][]string
	// Colors overrides theme colours: name → #RRGGBB.
	Colors map[string]string
	// WorkingHours is when SLA clocks run; the zero value means 09–17.
	WorkingHours core.WorkingHours
	// Holidays are days nobody supplies hours and SLA clocks stop.
	Holidays []time.Time
	// SLAHours is the SLA of new approval stages that set none; 0 means
	// tandem's default.
	SLAHours float64
}

// Problem is one thing wrong with a config file.
type Problem struct {
	File  string
	Line  int
	Field string
	Err   string
}

// Error implements error.
func (p Problem) Error() string {
	return fmt.Sprintf("%s:%d: %s: %s", p.File, p.Line, p.Field, p.Err)
}

// Bindings are the global keys the file can remap.
func Bindings() []string { return []string{"next_tab", "prev_tab", "palette", "inbox", "help", "quit"} }

var hexColor = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

// Path is the config file: $XDG_CONFIG_HOME/tandem/config, else
// ~/.config/tandem/config.
func Path(getenv func(string) string) string {
	if d := getenv("XDG_CONFIG_HOME"); d != "" {
		return filepath.Join(d, "tandem", "config")
	}
	return filepath.Join(getenv("HOME"), ".config", "tandem", "config")
}

// Load reads the file at path. A missing file is no problem; a bad one
// returns what could be read and every problem found.
func Load(path string) (Config, []Problem) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return Config{}, nil
	}
	if err != nil {
		return Config{}, []Problem{{File: path, Field: "file", Err: err.Error()}}
	}
	return Parse(path, data)
}

// Parse reads config text; file names it in problems.
func Parse(file string, data []byte) (Config, []Problem) {
	cfg := Config{Keys: map[string][]string{}, Colors: map[string]string{}}
	var problems []Problem
	bad := func(line int, field, format string, args ...any) {
		problems = append(problems, Problem{File: file, Line: line, Field: field, Err: fmt.Sprintf(format, args...)})
	}
	seen := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(stripComment(sc.Text()))
		if line == "" {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || k == "" {
			bad(n, "line", "%q is not `key = value`", line)
			continue
		}
		if first, dup := seen[k]; dup {
			bad(n, k, "set again (first on line %d)", first)
			continue
		}
		seen[k] = n
		switch {
		case k == "theme":
			if !slices.Contains([]string{"dark", "light", "high-contrast"}, v) {
				bad(n, k, "%q; use dark, light or high-contrast", v)
				continue
			}
			cfg.Theme = v
		case k == "model":
			cfg.Model = v
		case k == "working_hours":
			var from, to int
			if _, err := fmt.Sscanf(v, "%d-%d", &from, &to); err != nil || from < 0 || to > 24 || from >= to {
				bad(n, k, "%q; use start-end hours such as 9-17", v)
				continue
			}
			cfg.WorkingHours.Start, cfg.WorkingHours.End = from, to
		case k == "timezone":
			loc, err := time.LoadLocation(v)
			if err != nil {
				bad(n, k, "%q is not a time zone; use a name such as Europe/Paris", v)
				continue
			}
			cfg.WorkingHours.Location = loc
		case k == "sla_hours":
			h, err := strconv.ParseFloat(v, 64)
			if err != nil || h <= 0 || h > 1000 {
				bad(n, k, "%q; use a number of working hours such as 8", v)
				continue
			}
			cfg.SLAHours = h
		case k == "holidays":
			for _, d := range strings.Split(v, ",") {
				day, err := time.Parse(time.DateOnly, strings.TrimSpace(d))
				if err != nil {
					bad(n, k, "%q is not a date; use YYYY-MM-DD, comma-separated", strings.TrimSpace(d))
					continue
				}
				cfg.Holidays = append(cfg.Holidays, day)
			}
		case strings.HasPrefix(k, "keys."):
			name := strings.TrimPrefix(k, "keys.")
			if !slices.Contains(Bindings(), name) {
				bad(n, k, "unknown key binding; use one of %s", strings.Join(Bindings(), ", "))
				continue
			}
			var keys []string
			for _, key := range strings.Split(v, ",") {
				if key = strings.TrimSpace(key); key != "" {
					keys = append(keys, key)
				}
			}
			if len(keys) == 0 {
				bad(n, k, "no keys given")
				continue
			}
			cfg.Keys[name] = keys
		case strings.HasPrefix(k, "color."):
			name := strings.TrimPrefix(k, "color.")
			if !slices.Contains(styles.ColorNames(), name) {
				bad(n, k, "unknown colour; use one of %s", strings.Join(styles.ColorNames(), ", "))
				continue
			}
			if !hexColor.MatchString(v) {
				bad(n, k, "%q is not a colour; use #RRGGBB", v)
				continue
			}
			cfg.Colors[name] = v
		default:
			bad(n, k, "unknown field; see `tandem config init` for the fields")
		}
	}
	problems = append(problems, conflicts(file, cfg.Keys, seen)...)
	if cfg.WorkingHours.Location != nil && cfg.WorkingHours.End == 0 {
		cfg.WorkingHours.Start, cfg.WorkingHours.End = 9, 17
	}
	return cfg, problems
}

// Calendar returns the working hours and holidays the config sets, with
// tandem's defaults where it sets none.
func (c Config) Calendar() (core.WorkingHours, []time.Time) {
	wh := c.WorkingHours
	if wh.End == 0 {
		wh = core.DefaultWorkingHours()
	}
	if wh.Location == nil {
		wh.Location = time.UTC
	}
	wh.Holidays = c.Holidays
	return wh, c.Holidays
}

// Apply returns s with what the config decides for every interface: the
// calendar SLAs and capacity use, the SLA of new approval stages, and the
// model, unless s names one already (the environment's $TANDEM_MODEL wins).
func (c Config) Apply(s backend.Settings) backend.Settings {
	s.Hours, s.Holidays = c.Calendar()
	if c.SLAHours > 0 {
		s.SLAHours = c.SLAHours
	}
	if c.Model != "" && s.Models.Model == "" {
		s.Models.Model = c.Model
	}
	return s
}

// stripComment drops a # comment, unless the # starts a colour value.
func stripComment(line string) string {
	for i := 0; i < len(line); i++ {
		if line[i] == '#' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t') && !hexColor.MatchString(strings.Fields(line[i:] + " ")[0]) {
			return line[:i]
		}
	}
	return line
}

// conflicts reports a key bound to two global actions.
func conflicts(file string, keys map[string][]string, lines map[string]int) []Problem {
	owner := map[string]string{}
	var out []Problem
	for _, name := range Bindings() {
		for _, k := range keys[name] {
			if other, taken := owner[k]; taken {
				out = append(out, Problem{File: file, Line: lines["keys."+name], Field: "keys." + name,
					Err: fmt.Sprintf("%q is already bound to %s", k, other)})
				continue
			}
			owner[k] = name
		}
	}
	return out
}

// Default is the commented file `tandem config init` writes.
func Default() string {
	return `# tandem config: key = value; lines starting with # are comments.

# theme = dark            # dark, light or high-contrast (default: follow the terminal)
# model = llama3.2        # default Ollama model for the studio and tandem generate

# When SLA clocks run, and days off for everyone (capacity and SLAs).
# working_hours = 9-17
# timezone = UTC
# holidays = 2026-12-24, 2026-12-25

# Working hours allowed for a new approval stage that gives no SLA.
# sla_hours = 8

# Remap the global keys (comma-separated); remaps show in ? help.
# keys.next_tab = tab
# keys.prev_tab = shift+tab
# keys.palette = :, ctrl+p
# keys.inbox = i
# keys.help = ?
# keys.quit = q, ctrl+c

# Override theme colours with #RRGGBB.
# color.primary = #A78BFA
`
}
