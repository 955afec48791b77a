package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/spf13/cobra"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/sanitize"
)

func backupCommand(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "backup PATH|-",
		Short: "Write a consistent copy of the database while tandem runs (- streams it to stdout)",
		Args:  exactArgs("PATH"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if args[0] == "-" {
				_, err := env.Backend.BackupTo(cmd.Context(), env.Identity, env.RawOut)
				return err
			}
			path, err := env.path(args[0])
			if err != nil {
				return err
			}
			n, err := env.Backend.Backup(cmd.Context(), env.Identity, path)
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(env.Out, "backed up %d bytes to %s\n", n, sanitize.Line(path))
			return err
		},
	}
	return streams(needs(core.ActionBackup, cmd))
}

func statusCommand(env *Env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Summarize the workspace",
		Args:  exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := env.Backend.Status(cmd.Context(), env.Now())
			if err != nil {
				return err
			}
			if env.Remote {
				st.DBPath = ""
			}
			if asJSON {
				return writeJSON(env.Out, st)
			}
			rows := [][]string{{"workspace", st.Workspace}}
			if st.DBPath != "" {
				rows = append(rows, []string{"db", st.DBPath})
			}
			rows = append(rows, [][]string{{"briefs", fmt.Sprint(st.Briefs)}, {"late", fmt.Sprint(st.Late)},
				{"people", fmt.Sprint(st.People)}, {"experiments", fmt.Sprint(st.Experiments)}}...)
			for _, s := range core.AllStages() {
				rows = append(rows, []string{"  " + s.String(), fmt.Sprint(st.ByStage[s.Slug()])})
			}
			for _, src := range st.Sources {
				rows = append(rows, sourceRows(src)...)
			}
			return table(env.Out, []string{"WORKSPACE", ""}, rows)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return needs(core.ActionRead, cmd)
}

// sourceRows are a held stream's lines in `tandem status`: its state,
// lag and records, and its last error with when.
func sourceRows(src backend.SourceStatus) [][]string {
	name := fmt.Sprintf("%s %s (group %s)", src.Kind, src.Topic, src.Group)
	line := fmt.Sprintf("%s, lag %d records, %d stored (%d accepted, %d duplicates, %d rejected)", src.State, src.Lag, src.Records, src.Accepted, src.Duplicates, src.Rejected)
	if src.LastBatch != nil {
		line += ", last batch " + src.LastBatch.Format(time.RFC3339)
	}
	rows := [][]string{{name, line}}
	if src.LastError != "" {
		rows = append(rows, []string{"  last error", src.LastErrorAt.Format(time.RFC3339) + " " + src.LastError})
	}
	return rows
}

// Version returns tandem's module version as the build recorded it.
func Version() string {
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" {
		return info.Main.Version
	}
	return "(devel)"
}

func versionCommand(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print tandem's version",
		Args:  exactArgs(),
		RunE: func(*cobra.Command, []string) error {
			_, err := fmt.Fprintf(env.Out, "tandem %s (%s %s/%s)\n", Version(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return err
		},
	}
}
