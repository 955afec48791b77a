package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/common/commontest"
)

var updateJSON = flag.Bool("update", false, "rewrite the JSON golden files")

// Ensure that every command's JSON keeps the contract scripts rely on
// (snake_case keys, ISO times and weeks, units in duration keys) and its
// shape: a change of shape shows as a diff of its golden file.
func TestJSON_Contract(t *testing.T) {
	_, be := commontest.Workspace(t, testNow)
	for _, args := range jsonCommands {
		name := strings.Join(args, "_")
		t.Run(name, func(t *testing.T) {
			checkJSONGolden(t, be, args, filepath.Join("testdata", "json", name+".json"))
		})
	}
}

// checkJSONGolden runs args with --json as a remote admin would (no
// server path in the output), checks the output against the JSON contract
// and compares it with the golden file at path (rewritten with -update).
func checkJSONGolden(t *testing.T, be *backend.Backend, args []string, path string) {
	t.Helper()
	var out, errOut bytes.Buffer
	call := Call{Identity: admin, Args: append(append([]string{}, args...), "--json"), Now: func() time.Time { return testNow }, Remote: true}
	if code := Run(context.Background(), be, call, nil, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var v any
	if err := json.Unmarshal(out.Bytes(), &v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out.String())
	}
	for _, problem := range contractProblems("$", v) {
		t.Error(problem)
	}
	if *updateJSON {
		if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./ui/cli -run JSON_Contract -update)", err)
	}
	if !bytes.Equal(want, out.Bytes()) {
		t.Errorf("the JSON changed shape or content; if that is meant, run go test ./ui/cli -run JSON_Contract -update and review the diff")
	}
}

var (
	snakeKey  = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)
	timeLike  = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T`)
	weekLike  = regexp.MustCompile(`^\d{4}-W\d{2}$`)
	durations = regexp.MustCompile(`(^|_)(duration|left|elapsed|age|wait|runtime)$`)
	unitInKey = regexp.MustCompile(`(^|_)(ms|seconds|minutes|hours|days|weeks)(_|$)`)
)

// contractProblems walks a decoded JSON value and names every place that
// breaks the JSON contract.
func contractProblems(path string, v any) []string {
	var out []string
	switch v := v.(type) {
	case map[string]any:
		for k, child := range v {
			at := path + "." + k
			// Keys that are data (stage names, people, weeks) are values,
			// not field names: maps keyed by them are allowed any text.
			if !snakeKey.MatchString(k) && !dataKey(path, k) {
				out = append(out, fmt.Sprintf("%s: key is not snake_case", at))
			}
			if durations.MatchString(k) && !unitInKey.MatchString(k) {
				out = append(out, fmt.Sprintf("%s: a duration needs its unit in the key (e.g. %s_hours, %s_ms)", at, k, k))
			}
			out = append(out, contractProblems(at, child)...)
		}
	case []any:
		for i, child := range v {
			out = append(out, contractProblems(fmt.Sprintf("%s[%d]", path, i), child)...)
		}
	case string:
		if timeLike.MatchString(v) {
			if _, err := time.Parse(time.RFC3339Nano, v); err != nil {
				out = append(out, fmt.Sprintf("%s: %q is not an ISO 8601 time", path, v))
			}
		}
	}
	return out
}

// dataKey reports whether key k under path is data rather than a field
// name: ISO weeks, CLI stage names, and the keys of maps documented as
// keyed by names (people, skills, channels, groups).
func dataKey(path, k string) bool {
	if weekLike.MatchString(k) {
		return true
	}
	for _, suffix := range []string{".by_stage", ".limits", ".by_person", ".by_skill", ".max_length", ".preferred", ".groups", ".people", ".skills"} {
		if strings.HasSuffix(path, suffix) {
			return true
		}
	}
	return false
}
