package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
)

// The parts of govulncheck's JSON stream (protocol v1.0.0, one message per
// JSON value) that the check reads.
type (
	message struct {
		Config  *config  `json:"config"`
		OSV     *osvInfo `json:"osv"`
		Finding *finding `json:"finding"`
	}
	config struct {
		ScannerVersion string `json:"scanner_version"`
		DB             string `json:"db"`
		GoVersion      string `json:"go_version"`
		ScanLevel      string `json:"scan_level"`
	}
	osvInfo struct {
		ID      string `json:"id"`
		Summary string `json:"summary"`
	}
	finding struct {
		OSV          string   `json:"osv"`
		FixedVersion string   `json:"fixed_version"`
		Trace        []*frame `json:"trace"`
	}
	// frame is one step of a finding's trace; trace[0] is the vulnerable
	// symbol and the last frame is the entry point in the scanned code.
	frame struct {
		Module   string `json:"module"`
		Version  string `json:"version"`
		Package  string `json:"package"`
		Function string `json:"function"`
		Receiver string `json:"receiver"`
		Position *struct {
			Filename string `json:"filename"`
			Line     int    `json:"line"`
			Column   int    `json:"column"`
		} `json:"position"`
	}
)

// advisory is one vulnerability reachable from the main module's code.
type advisory struct {
	ID, Summary            string
	Module, Version, Fixed string
	Paths                  []string // distinct call paths, entry point first
}

// report is what one govulncheck run found.
type report struct {
	Config    config
	Reachable map[string]*advisory
	// Imported counts advisories in packages or modules tandem uses whose
	// vulnerable code it does not call; they are not failures.
	Imported int
}

// errNotGovulncheck is returned for input that is not govulncheck's JSON.
var errNotGovulncheck = errors.New("the input is not `govulncheck -format json` output (no config message)")

// readReport reads govulncheck's JSON stream and keeps the symbol-level
// findings whose trace starts in mainModule's code.
func readReport(r io.Reader, mainModule string) (*report, error) {
	rep := &report{Reachable: map[string]*advisory{}}
	summaries := map[string]string{}
	other := map[string]bool{}
	sawConfig := false
	dec := json.NewDecoder(r)
	for {
		var m message
		err := dec.Decode(&m)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read govulncheck's output: %w", err)
		}
		switch {
		case m.Config != nil:
			rep.Config, sawConfig = *m.Config, true
		case m.OSV != nil:
			summaries[m.OSV.ID] = m.OSV.Summary
		case m.Finding != nil && len(m.Finding.Trace) > 0:
			f := m.Finding
			entry, vuln := f.Trace[len(f.Trace)-1], f.Trace[0]
			if vuln.Function == "" || entry.Module != mainModule {
				other[f.OSV] = true // imported or required, not called
				continue
			}
			a := rep.Reachable[f.OSV]
			if a == nil {
				a = &advisory{ID: f.OSV, Module: vuln.Module, Version: vuln.Version, Fixed: f.FixedVersion}
				rep.Reachable[f.OSV] = a
			}
			if p := callPath(f.Trace, mainModule); !contains(a.Paths, p) {
				a.Paths = append(a.Paths, p)
			}
		}
	}
	if !sawConfig {
		return nil, errNotGovulncheck
	}
	if rep.Config.ScanLevel != "symbol" {
		return nil, fmt.Errorf("govulncheck ran at scan level %q; run it with -scan symbol (the default) so findings carry call paths", rep.Config.ScanLevel)
	}
	for id := range other {
		if rep.Reachable[id] == nil {
			rep.Imported++
		}
	}
	for id, a := range rep.Reachable {
		a.Summary = summaries[id]
		// Shortest paths first: a direct call says more than one that
		// reaches the symbol through an io.Reader's dynamic dispatch.
		sort.Slice(a.Paths, func(i, j int) bool {
			hi, hj := strings.Count(a.Paths[i], "→"), strings.Count(a.Paths[j], "→")
			if hi != hj {
				return hi < hj
			}
			return a.Paths[i] < a.Paths[j]
		})
	}
	return rep, nil
}

// callPath renders a trace from the entry point in mainModule's code to
// the vulnerable symbol: "ui/ssh/server.go:89:20: ui/ssh.Server.Serve →
// github.com/charmbracelet/ssh.Server.Serve → … →
// golang.org/x/crypto/ssh.NewServerConn".
func callPath(trace []*frame, mainModule string) string {
	names := make([]string, 0, len(trace))
	for i := len(trace) - 1; i >= 0; i-- {
		names = append(names, symbol(trace[i], mainModule))
	}
	entry := trace[len(trace)-1]
	where := ""
	if p := entry.Position; p != nil && p.Line > 0 {
		where = fmt.Sprintf("%s:%d:%d: ", p.Filename, p.Line, p.Column)
	}
	return where + strings.Join(names, " → ")
}

// symbol names a frame's function as import/path.Type.Func, with the
// main module's packages relative to it: the last element alone would give
// tandem's ui/ssh and the SSH libraries the same name.
func symbol(f *frame, mainModule string) string {
	name := f.Function
	if f.Receiver != "" {
		name = strings.TrimPrefix(f.Receiver, "*") + "." + name
	}
	pkg := f.Package
	if f.Module == mainModule {
		pkg = strings.TrimPrefix(strings.TrimPrefix(pkg, mainModule), "/")
	}
	return pkg + "." + name
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// maxPaths bounds the call paths printed per advisory; standard-library
// advisories can have dozens, most through io interfaces.
const maxPaths = 3

// check compares the reachable advisories with the exception list: it
// prints every accepted one with its reason, reports exceptions that no
// longer match a finding, and fails naming each advisory that is neither.
func check(rep *report, list map[string]exception, listPath string, out, errOut io.Writer) int {
	fmt.Fprintf(out, "govulncheck %s, %s, database %s: %d advisories reachable from tandem's code, %d more in code it imports but does not call\n",
		rep.Config.ScannerVersion, rep.Config.GoVersion, rep.Config.DB, len(rep.Reachable), rep.Imported)
	ids := make([]string, 0, len(rep.Reachable))
	for id := range rep.Reachable {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var failed []string
	for _, id := range ids {
		a := rep.Reachable[id]
		ex, ok := list[id]
		if ok && ex.Module == a.Module {
			fmt.Fprintf(out, "  accepted %s in %s, fixed in %s (%s:%d)\n", id, a.Module, fixedOrNone(a), listPath, ex.Line)
			continue
		}
		failed = append(failed, id)
		printFailure(errOut, a, ex, ok, listPath)
	}
	var stale []exception
	for id, ex := range list {
		if rep.Reachable[id] == nil {
			stale = append(stale, ex)
		}
	}
	sort.Slice(stale, func(i, j int) bool { return stale[i].Line < stale[j].Line })
	for _, ex := range stale {
		fmt.Fprintf(out, "  stale exception %s (%s, %s line %d): no longer reachable; remove its line\n", ex.ID, ex.Module, listPath, ex.Line)
	}
	if len(failed) > 0 {
		fmt.Fprintf(errOut, "vulncheck: reachable and not on %s: %s\n", listPath, strings.Join(failed, ", "))
		return exitFindings
	}
	fmt.Fprintf(out, "vulncheck: every reachable advisory is on %s\n", listPath)
	return exitOK
}

func fixedOrNone(a *advisory) string {
	if a.Fixed == "" {
		return "no release yet"
	}
	return versionOf(a.Module, a.Fixed)
}

// versionOf names a version the way a person types it: go1.26.9 for the
// standard library, module@v1.2.3 otherwise.
func versionOf(module, version string) string {
	if module == "stdlib" || module == "toolchain" {
		return "go" + strings.TrimPrefix(version, "v")
	}
	return module + "@" + version
}

// printFailure explains one advisory that is not accepted: what it is,
// where tandem reaches it, and what to do.
func printFailure(w io.Writer, a *advisory, ex exception, listed bool, listPath string) {
	fmt.Fprintf(w, "\nFAIL %s: %s\n", a.ID, a.Summary)
	fmt.Fprintf(w, "  found in:  %s\n", versionOf(a.Module, a.Version))
	fmt.Fprintf(w, "  fixed in:  %s\n", fixedOrNone(a))
	fmt.Fprintf(w, "  more info: https://pkg.go.dev/vuln/%s\n", a.ID)
	n := min(len(a.Paths), maxPaths)
	fmt.Fprintf(w, "  reached from tandem's code (%d of %d call paths):\n", n, len(a.Paths))
	for _, p := range a.Paths[:n] {
		fmt.Fprintf(w, "    %s\n", p)
	}
	if listed {
		fmt.Fprintf(w, "  %s line %d lists %s for module %s, but govulncheck finds it in %s: fix the module on that line if the reason still holds.\n",
			listPath, ex.Line, a.ID, ex.Module, a.Module)
		return
	}
	switch {
	case a.Module == "stdlib" || a.Module == "toolchain":
		fmt.Fprintf(w, "  what to do: tandem stays on the Go version in go.mod. Read the advisory and the paths above; if tandem is not exposed, or you accept the risk until Go is upgraded, add a line\n")
		fmt.Fprintf(w, "    %s %s <which tandem function reaches it, and why tandem is or is not exposed>\n", a.ID, a.Module)
		fmt.Fprintf(w, "  to %s. Otherwise stop calling the vulnerable code.\n", listPath)
	case a.Fixed != "":
		fmt.Fprintf(w, "  what to do: go get %s && go mod tidy, check that go.mod still says the same go version, then run .ci/run again.\n", versionOf(a.Module, a.Fixed))
	default:
		fmt.Fprintf(w, "  what to do: no fixed release exists. Stop calling the vulnerable code, or read the advisory and add a line\n")
		fmt.Fprintf(w, "    %s %s <why tandem is or is not exposed>\n", a.ID, a.Module)
		fmt.Fprintf(w, "  to %s.\n", listPath)
	}
}
