package cli

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/tandem-ops/tandem/ui/sanitize"
)

// goldenJSON is the JSON every command in jsonCommands prints on the demo
// workspace, kept by the JSON contract test: `tandem help json` reads its
// shapes from the same files, so the page cannot drift from the output.
//
//go:embed testdata/json/*.json
var goldenJSON embed.FS

// jsonCommands is every command with a --json form whose output is kept as
// a golden file, as run against the demo workspace.
var jsonCommands = [][]string{
	{"status"},
	{"inbox"},
	{"brief", "list"},
	{"brief", "show", "1"},
	{"board", "wip"},
	{"taxonomy", "show"},
	{"experiment", "list"},
	{"experiment", "show", "spring-email"},
	{"approvals", "list"},
	{"approvals", "due"},
	{"approvals", "flows"},
	{"person", "list"},
	{"capacity", "--weeks", "2"},
	{"report", "kpis"},
	{"report", "recipes"},
	{"plan", "learning"},
	{"component", "list"},
	{"retro", "notes", "2026-W44"},
	{"guideline", "show"},
	{"user", "list"},
	// Writes last, so that the reads above see the demo as it is.
	{"experiment", "add", "help-json", "--variants", "a,b"},
}

// jsonLike names the commands whose --json prints the same shape as a
// command with a golden file.
var jsonLike = map[string]string{
	"brief add":  "brief show",
	"brief edit": "brief show",
	"brief move": "brief show",
}

// jsonElsewhere names the commands with a --json form that has no golden
// file on the demo workspace, and where their shape is documented.
var jsonElsewhere = map[string]string{
	"ingest":                "counts: lines, accepted, duplicates, rejected, and created (the experiments and variants --create made)",
	"audit export":          "an array of audit entries: seq, time, actor, action, subject, before, after, version, from, prev_hash, hash",
	"export":                "versioned JSONL records, one per line (see Export and import); not one JSON document",
	"generate":              "an array of the generated variants, each with its copy, lint and provenance; needs a model server, so no golden",
	"me show":               "an object of your personal settings, setting name to value (theme, keys.ACTION, color.NAME); {} when you set none",
	"models":                "an array of the model server's models: name, digest, size, modified, family, parameters; needs a model server, so no golden",
	"claim list":            "an array of the claims in a review's copy: text, cue, state (supported, unsupported, stale), evidence",
	"component add":         "one component, as an element of `component list`",
	"template list":         "an array of templates' latest versions with their usage counts (golden: testdata/json/templates/template_list.json)",
	"template show":         "one template version: kind, name, version, the kind's fields, retired, author, created (golden: testdata/json/templates/template_show_brief_Spring-email.json); with --versions an array of them",
	"template add":          "the template version stored, as `template show` prints it",
	"template edit":         "the template version stored, as `template show` prints it",
	"template retire":       "the template version retired, as `template show` prints it",
	"template requirements": "an object of asset type to the brief template it requires (golden: testdata/json/templates/template_requirements.json)",
	"brief check":           "the brief, as `brief show` prints it, with its checklist",
	"tag suggest":           "the suggested terms per field (channel, audience, asset_type, tags) with the model's provenance; needs a model server, so no golden",
	"run":                   "the brief's run: step, status, reason, recipe, variant_ids, kept_ids, submitted_ids, experiment, and a log of each step with duration_ms, tokens_in, tokens_out and cost (golden, machine time zeroed: testdata/json/run/run.json)",
	"component show":        "one component, as an element of `component list`",
	"notify list":           "an array of webhooks: id, url (shortened), events, format, signed, author, created, delivery (queued, dropped, delivered, failing_since, failures, last_error, last_status, next_attempt) (golden: testdata/json/notify/notify_list.json)",
	"notify add":            "the webhook added, as an element of `notify list`",
	"notify log":            "an array of delivery log lines: seq, webhook, delivery, event, key, time, outcome (delivered, failed, dropped), attempt, status, error, duration_ms",
	"component generate":    "brief_id, channel, slots (each a slot with its stored components), rejected (slot, generated, problem) and combinations (components: slot to component ID, text, lint, breaks: the rules broken); needs a model server, so no golden",
}

// jsonFlagged names the flags that add keys to a command's --json, and
// what they add.
var jsonFlagged = map[string]string{
	"experiment show --effects": "adds .effects: model, confidence, components (slot, component, effect, ci, lift, significant), interactions, " +
		"interaction_confidence, interaction_tests (slots, chi2, df, p, significant: each slot pair's joint test), interaction_test_confidence, " +
		"interactions_confounded, best_observed and best_predicted (components, rate, rate_ci, confidence, combinations, " +
		"uses_interactions: every term of the pairs whose joint test is significant, arm) (golden: testdata/json/factorial/experiment_show_combo_--effects.json)",
}

// goldenName is the golden file of a command line in jsonCommands.
func goldenName(args []string) string { return strings.Join(args, "_") + ".json" }

// helpCommand is `tandem help`: cobra's, plus the `json` topic.
func helpCommand(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "help [command | json]",
		Short: "Help about any command; `help json` lists the shape of every --json output",
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 && args[0] == "json" {
				return writeJSONShapes(env.Out)
			}
			target, rest, err := cmd.Root().Find(args)
			if err != nil || target == nil || (target == cmd.Root() && len(rest) > 0) {
				return usageErrorf("no help topic %q; run tandem help", strings.Join(args, " "))
			}
			target.InitDefaultHelpFlag()
			return target.Help()
		},
		ValidArgsFunction: func(cmd *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			topics := []string{"json"}
			for _, sub := range cmd.Root().Commands() {
				if sub.IsAvailableCommand() {
					topics = append(topics, sub.Name())
				}
			}
			return topics, cobra.ShellCompDirectiveNoFileComp
		},
	}
}

// writeJSONShapes writes every --json shape: each key path with the kinds
// of value it holds, from the golden files.
func writeJSONShapes(w io.Writer) error {
	var b strings.Builder
	b.WriteString("The shape of every --json output: each key path (.key, [] for the items of\n" +
		"an array) and the kinds of value it holds, read from the JSON the command\n" +
		"prints on the demo workspace (`tandem demo`). Keys are snake_case, times\n" +
		"ISO 8601, weeks ISO (2026-W49), durations carry their unit in the key;\n" +
		"keys can be added, never renamed or removed. Maps keyed by data (stages,\n" +
		"people, weeks) show the keys the demo has.\n")
	for _, args := range jsonCommands {
		raw, err := goldenJSON.ReadFile("testdata/json/" + goldenName(args))
		if err != nil {
			return fmt.Errorf("help json: %w", err)
		}
		s, err := shapeOf(raw)
		if err != nil {
			return fmt.Errorf("help json: %s: %w", goldenName(args), err)
		}
		fmt.Fprintf(&b, "\ntandem %s --json\n", strings.Join(args, " "))
		s.write(&b)
	}
	b.WriteString("\nThe same shape as another command:\n")
	for _, c := range sortedKeys(jsonLike) {
		fmt.Fprintf(&b, "  tandem %s --json: as tandem %s\n", c, jsonLike[c])
	}
	b.WriteString("\nWith a flag that adds keys:\n")
	for _, c := range sortedKeys(jsonFlagged) {
		fmt.Fprintf(&b, "  tandem %s --json: %s\n", c, jsonFlagged[c])
	}
	b.WriteString("\nWithout a golden file:\n")
	for _, c := range sortedKeys(jsonElsewhere) {
		fmt.Fprintf(&b, "  tandem %s --json: %s\n", c, jsonElsewhere[c])
	}
	for line := range strings.Lines(b.String()) {
		if _, err := io.WriteString(w, sanitize.Line(strings.TrimSuffix(line, "\n"))+"\n"); err != nil {
			return err
		}
	}
	return nil
}

// shape is the key paths of a JSON document in the order they first
// appear, each with the kinds of value seen there.
type shape struct {
	paths []string
	kinds map[string][]string
}

// shapeOf reads the shape of one JSON document.
func shapeOf(raw []byte) (*shape, error) {
	s := &shape{kinds: map[string][]string{}}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := s.walk(dec, "."); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *shape) add(path, kind string) {
	kinds, seen := s.kinds[path]
	if !seen {
		s.paths = append(s.paths, path)
	}
	for _, k := range kinds {
		if k == kind {
			return
		}
	}
	s.kinds[path] = append(kinds, kind)
}

// join makes the path of key under path.
func join(path, key string) string {
	if path == "." {
		return "." + key
	}
	return path + "." + key
}

func (s *shape) walk(dec *json.Decoder, path string) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			s.add(path, "object")
			for dec.More() {
				key, err := dec.Token()
				if err != nil {
					return err
				}
				if err := s.walk(dec, join(path, key.(string))); err != nil {
					return err
				}
			}
		case '[':
			s.add(path, "array")
			item := path + "[]"
			if path == "." {
				item = ".[]"
			}
			for dec.More() {
				if err := s.walk(dec, item); err != nil {
					return err
				}
			}
		}
		_, err := dec.Token() // the closing delimiter
		return err
	case string:
		s.add(path, stringKind(t))
	case json.Number:
		s.add(path, "number")
	case bool:
		s.add(path, "boolean")
	case nil:
		s.add(path, "null")
	}
	return nil
}

var isoWeek = regexp.MustCompile(`^\d{4}-W\d{2}$`)

// stringKind names what a string holds when it is a time or a week.
func stringKind(v string) string {
	if _, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return "time"
	}
	if isoWeek.MatchString(v) {
		return "week"
	}
	return "string"
}

func (s *shape) write(b *strings.Builder) {
	width := 0
	for _, p := range s.paths {
		width = max(width, len(p))
	}
	for _, p := range s.paths {
		fmt.Fprintf(b, "  %-*s  %s\n", width, p, strings.Join(s.kinds[p], " or "))
	}
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
