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
	"github.com/tandem-ops/tandem/ui/keymap"
	"github.com/tandem-ops/tandem/ui/styles"
)

// Config is what the file can set.
type Config struct {
	// Theme is dark, light or high-contrast; "" follows the terminal.
	Theme string
	// Model is the default generation model.
	Model string
	// Keys remaps keys: registry name ("global.quit", "board.move_next")
	// → keys. The global keys' bare names of older files ("quit") are read
	// as their registry names.
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
	// IndexMaxMB bounds the in-memory event index of a workspace this
	// process holds; past it, units spill to a scratch file. 0: no bound.
	IndexMaxMB int
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

// maxIndexMB bounds index_max_mb: a terabyte.
const maxIndexMB = 1 << 20

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
	// Key remaps by registry name: the line and field that set each, so a
	// conflict names the line to change.
	registry := keymap.DefaultKeyMap()
	keyLines, keyFields := map[string]int{}, map[string]string{}
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
		case k == "index_max_mb":
			mb, err := strconv.Atoi(v)
			if err != nil || mb < 1 || mb > maxIndexMB {
				bad(n, k, "%q; use megabytes from 1 to %d, such as 512", v, maxIndexMB)
				continue
			}
			cfg.IndexMaxMB = mb
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
			name, ok := registry.Canonical(strings.TrimPrefix(k, "keys."))
			if !ok {
				bad(n, k, "unknown key binding; use a name from `tandem config init`, such as keys.quit or keys.board.move_next")
				continue
			}
			if first, dup := keyLines[name]; dup {
				bad(n, k, "sets %s again (first on line %d)", name, first)
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
			cfg.Keys[name], keyLines[name], keyFields[name] = keys, n, k
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
	problems = append(problems, conflicts(file, cfg.Keys, keyLines, keyFields)...)
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
	s.MaxIndexBytes = c.IndexMaxMB << 20
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

// conflicts reports a key the remaps bind to two actions live at once (two
// global keys, a global key and a view's, two keys of one view), on the
// line of the remap that made it.
func conflicts(file string, keys map[string][]string, lines map[string]int, fields map[string]string) []Problem {
	km := keymap.DefaultKeyMap()
	km.Remap(keys)
	type clash struct{ name, key string }
	var order []clash
	others := map[clash][]string{}
	for _, c := range km.Conflicts() {
		name, other := c.Name, c.Other
		if lines[other] > lines[name] {
			name, other = other, name
		}
		k := clash{name, c.Key}
		if _, seen := others[k]; !seen {
			order = append(order, k)
		}
		others[k] = append(others[k], other)
	}
	out := make([]Problem, len(order))
	for i, k := range order {
		out[i] = Problem{File: file, Line: lines[k.name], Field: fields[k.name],
			Err: fmt.Sprintf("%q is also %s; give one of them another key", k.key, strings.Join(others[k], ", "))}
	}
	slices.SortStableFunc(out, func(a, b Problem) int { return a.Line - b.Line })
	return out
}

// Default is the commented file `tandem config init` writes, every key
// binding listed from the registry with its default keys.
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

# Memory for the experiment event index of a workspace this process holds;
# past it, units spill to a scratch file beside the workspace (slower).
# index_max_mb = 512

` + keysSection() + `
# Override theme colours with #RRGGBB.
# color.primary = #A78BFA
`
}

// keysSection is the key remaps part of Default: every binding of the
// registry, commented out at its default.
func keysSection() string {
	var b strings.Builder
	b.WriteString("# Remap any key (comma-separated keys); remaps show in ? help, and\n")
	b.WriteString("# `tandem config check` finds a key bound twice where both are live.\n")
	b.WriteString("# The global keys' short names (keys.quit) still work.\n")
	for _, g := range keymap.DefaultKeyMap().Groups() {
		fmt.Fprintf(&b, "\n# %s\n", g.Title)
		for _, e := range g.Entries {
			fmt.Fprintf(&b, "# %-40s # %s\n", fmt.Sprintf("keys.%s.%s = %s", g.Name, e.Name, strings.Join(e.Binding.Keys(), ", ")), e.Binding.Help().Desc)
		}
	}
	return b.String()
}
