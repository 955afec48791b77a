package cli

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// Ensure that `tandem help json` accounts for every command with a --json
// flag, and only those: a new --json output fails here until it has a
// golden file (or says where its shape is documented).
func TestHelpJSON_EveryCommand(t *testing.T) {
	documented := map[string]bool{}
	for _, args := range jsonCommands {
		documented[commandOf(args)] = true
	}
	for c := range jsonLike {
		documented[c] = true
	}
	for c := range jsonElsewhere {
		documented[c] = true
	}
	var withJSON []string
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		if c.LocalFlags().Lookup("json") != nil {
			withJSON = append(withJSON, strings.TrimPrefix(c.CommandPath(), "tandem "))
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(NewRoot(&Env{}))
	for _, c := range withJSON {
		if !documented[c] {
			t.Errorf("tandem %s has --json but tandem help json does not show its shape: add it to jsonCommands (with a golden file) or jsonElsewhere", c)
		}
		delete(documented, c)
	}
	for c := range documented {
		t.Errorf("tandem help json documents %q, which has no --json flag", c)
	}
	for c := range jsonFlagged {
		path, flag, _ := strings.Cut(c, " --")
		cmd, _, err := NewRoot(&Env{}).Find(strings.Fields(path))
		if err != nil || cmd.LocalFlags().Lookup(flag) == nil || cmd.LocalFlags().Lookup("json") == nil {
			t.Errorf("tandem help json documents %q, which is not a flag of a command with --json", c)
		}
	}
}

// Ensure that every golden file is one help json reads: none is left
// behind when a command leaves jsonCommands.
func TestHelpJSON_NoStrayGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "json", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, args := range jsonCommands {
		want = append(want, goldenName(args))
	}
	for _, f := range files {
		if !slices.Contains(want, filepath.Base(f)) {
			t.Errorf("%s is no command's golden file; remove it", f)
		}
	}
}

// Ensure that help json prints each command's shape from its golden file:
// key paths with the kinds of value, times and weeks named, and that the
// rest of help still works.
func TestHelpJSON_Output(t *testing.T) {
	be := mustOpenBackend(t)
	code, out, errOut := run(t, be, admin, "help", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"tandem brief show 1 --json\n",
		"  .version ", "  .due ", " time\n",
		"tandem capacity --weeks 2 --json\n",
		" week\n",
		"tandem brief list --json\n  .  ", "\n  .[]  ", "\n  .[].tags[]  ",
		"tandem brief move --json: as tandem brief show\n",
		"tandem ingest --json: counts",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("help json lacks %q", want)
		}
	}
	if code, out, _ := run(t, be, admin, "help", "brief"); code != 0 || !strings.Contains(out, "Available Commands") {
		t.Errorf("help brief: exit %d\n%s", code, out)
	}
	if code, _, errOut := run(t, be, admin, "help", "nonsense"); code != 2 || strings.Count(errOut, "\n") != 1 {
		t.Errorf("help nonsense: exit %d, %q", code, errOut)
	}
}

// Ensure that a shape lists each path once, in the order it first
// appears, with every kind of value seen there.
func TestShapeOf(t *testing.T) {
	s, err := shapeOf([]byte(`[{"a":1,"t":"2026-11-02T09:00:00Z","w":"2026-W45","n":null,"xs":["x"]},{"a":2,"n":"later","extra":true}]`))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	s.write(&b)
	want := `  .          array
  .[]        object
  .[].a      number
  .[].t      time
  .[].w      week
  .[].n      null or string
  .[].xs     array
  .[].xs[]   string
  .[].extra  boolean
`
	if b.String() != want {
		t.Errorf("shape:\n%s\nwant:\n%s", b.String(), want)
	}
}

// commandOf is the command path of a jsonCommands entry: its words up to
// the first argument.
func commandOf(args []string) string {
	root := NewRoot(&Env{})
	c, _, err := root.Find(args)
	if err != nil {
		return strings.Join(args, " ")
	}
	return strings.TrimPrefix(c.CommandPath(), "tandem ")
}
