package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/control"
	"github.com/tandem-ops/tandem/ui/sanitize"
)

// completions reads what a shell can complete from the workspace (brief
// ids with their titles, experiment keys, people), each list only when a
// completion asks for it.
type completions struct {
	ctx context.Context
	env *Env

	Briefs []struct {
		ID    uint64 `json:"id"`
		Title string `json:"title"`
	}
	Experiments []struct {
		Experiment struct {
			Key  string `json:"key"`
			Name string `json:"name"`
		} `json:"experiment"`
	}
	People []struct {
		Name string `json:"name"`
		Lane string `json:"lane"`
	}
}

// attachCompletions gives the commands that take ids, keys, people or
// stages their shell completions (`tandem completion bash|zsh|fish`).
func attachCompletions(root *cobra.Command, env *Env) {
	briefs := func(c *completions) []string {
		c.load(&c.Briefs, "brief", "list", "--json")
		out := make([]string, len(c.Briefs))
		for i, b := range c.Briefs {
			out[i] = fmt.Sprintf("%d\t%s", b.ID, completionText(b.Title))
		}
		return out
	}
	experiments := func(c *completions) []string {
		c.load(&c.Experiments, "experiment", "list", "--json")
		out := make([]string, len(c.Experiments))
		for i, e := range c.Experiments {
			out[i] = e.Experiment.Key + "\t" + completionText(e.Experiment.Name)
		}
		return out
	}
	people := func(c *completions) []string {
		c.load(&c.People, "person", "list", "--json")
		out := make([]string, len(c.People))
		for i, p := range c.People {
			out[i] = completionText(p.Name) + "\t" + p.Lane
		}
		return out
	}
	stages := func(*completions) []string {
		var out []string
		for _, s := range core.AllStages() {
			out = append(out, s.Slug())
		}
		return out
	}
	args := map[string][]func(*completions) []string{
		"brief show":                {briefs},
		"brief move":                {briefs, stages},
		"brief edit":                {briefs},
		"approve":                   {briefs},
		"approvals submit":          {briefs},
		"approvals approve":         {briefs},
		"approvals request-changes": {briefs},
		"approvals reject":          {briefs},
		"approvals comment":         {briefs},
		"experiment show":           {experiments},
		"experiment declare":        {experiments},
		"person timeoff":            {people},
	}
	flags := map[string]func(*completions) []string{"owner": people, "stage": stages, "brief": briefs}
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			path := strings.TrimPrefix(sub.CommandPath(), "tandem ")
			if list, ok := args[path]; ok {
				sub.ValidArgsFunction = func(cmd *cobra.Command, done []string, _ string) ([]string, cobra.ShellCompDirective) {
					if len(done) >= len(list) {
						return nil, cobra.ShellCompDirectiveNoFileComp
					}
					return list[len(done)](&completions{ctx: cmd.Context(), env: env}), cobra.ShellCompDirectiveNoFileComp
				}
			}
			for name, values := range flags {
				if sub.Flags().Lookup(name) != nil {
					_ = sub.RegisterFlagCompletionFunc(name, func(cmd *cobra.Command, _ []string, _ string) ([]string, cobra.ShellCompDirective) {
						return values(&completions{ctx: cmd.Context(), env: env}), cobra.ShellCompDirectiveNoFileComp
					})
				}
			}
			walk(sub)
		}
	}
	walk(root)
}

// completionText is a title or name as one shell-safe line.
func completionText(s string) string {
	return strings.Join(strings.Fields(sanitize.Line(s)), " ")
}

// load runs a list command with --json and decodes its output into v: in
// the backend when one is open, else in the process holding the database
// (over its socket), else on the file opened read-only. Anything that
// fails completes nothing.
func (c *completions) load(v any, args ...string) {
	var out bytes.Buffer
	env := c.env
	sub := &Env{Identity: env.Identity, Out: &out, Err: io.Discard, Now: env.Now, Backend: env.Backend, DBPath: env.DBPath}
	if sub.Backend == nil {
		if sock := backend.SocketPath(env.DBPath); fileExists(sock) {
			req := control.Request{Args: append([]string{"--db", env.DBPath}, args...)}
			if code, err := control.Forward(c.ctx, sock, req, nil, &out, io.Discard); err == nil && code == 0 {
				_ = json.Unmarshal(out.Bytes(), v)
				return
			}
			out.Reset()
		}
		be, err := openLocalReadOnly(env.DBPath, env.Settings)
		if err != nil {
			return
		}
		defer be.Close()
		sub.Backend = be
	}
	if Execute(c.ctx, NewRoot(sub), sub, args) == ExitOK {
		_ = json.Unmarshal(out.Bytes(), v)
	}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
