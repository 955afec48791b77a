package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

const goodLines = `{"ts":"2026-11-01T10:00:00Z","experiment":"spring-email","variant":"a","unit":"u-1","type":"exposure"}
{"ts":"2026-11-01T10:00:01Z","experiment":"spring-email","variant":"b","unit":"u-2","type":"exposure"}

{"ts":"2026-11-01T10:05:00Z","experiment":"spring-email","variant":"b","unit":"u-2","type":"conversion"}
`

// Ensure that ingest stores good lines, names each bad line on stderr,
// exits 2 when any was rejected, and counts nothing twice on a re-run.
func TestIngest(t *testing.T) {
	be := mustOpenBackend(t)
	if code, _, errOut := run(t, be, admin, "experiment", "add", "spring-email", "--variants", "a,b"); code != 0 {
		t.Fatalf("experiment add: %s", errOut)
	}
	path := writeFile(t, "events.jsonl", goodLines+
		`{"ts":"2026-11-01T10:06:00Z","experiment":"spring-email","variant":"c","unit":"u-3","type":"exposure"}`+"\n"+
		`{"ts":"soon","experiment":"spring-email","variant":"a","unit":"u-4","type":"exposure"}`+"\n"+
		"not json at all\n")
	code, out, errOut := run(t, be, admin, "ingest", "--json", path)
	if code != ExitRejected {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	var s IngestSummary
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("%v: %q", err, out)
	}
	if s.Lines != 6 || s.Accepted != 3 || s.Rejected != 3 || s.Duplicates != 0 {
		t.Fatalf("summary = %+v", s)
	}
	for _, want := range []string{`line 5: experiment "spring-email" has no variant "c"`, "line 6: ", "RFC 3339", "line 7: not a JSON event"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr %q lacks %q", errOut, want)
		}
	}
	code, out, _ = run(t, be, admin, "ingest", path)
	if code != ExitRejected || !strings.Contains(out, "0 accepted, 3 duplicates skipped, 3 rejected") {
		t.Fatalf("re-run: %d %q", code, out)
	}
	totals, _ := be.Totals(context.Background(), "spring-email")
	if totals["b"].Exposures != 1 || totals["b"].Converters != 1 || totals["a"].Exposures != 1 {
		t.Fatalf("totals = %+v", totals)
	}
}

func TestIngest_CSVAndStdin(t *testing.T) {
	be := mustOpenBackend(t)
	csvData := "ts,experiment,variant,unit,type,value\n" +
		"2026-11-01T10:00:00Z,autumn,x,u1,exposure,\n" +
		"2026-11-01T10:00:00Z,autumn,y,u2,exposure,\n" +
		"2026-11-01T10:01:00Z,autumn,y,u2,revenue,12.5\n" +
		"2026-11-01T10:01:00Z,autumn,y,u2,revenue,lots\n"
	var out, errOut bytes.Buffer
	code := Run(context.Background(), be, Call{Identity: admin, Dir: t.TempDir(), Args: []string{"ingest", "--format", "csv", "--create", "-"}}, strings.NewReader(csvData), &out, &errOut)
	if code != ExitRejected || !strings.Contains(out.String(), "4 lines: 3 accepted") || !strings.Contains(errOut.String(), `line 5: event value: is not a number`) {
		t.Fatalf("exit %d, out %q, err %q", code, out.String(), errOut.String())
	}
	if !strings.Contains(out.String(), "created autumn, autumn/x, autumn/y") {
		t.Fatalf("created not reported: %q", out.String())
	}
	// A CSV without the needed columns is refused before anything is read.
	path := writeFile(t, "bad.csv", "when,what\n1,2\n")
	if code, _, errOut := run(t, be, admin, "ingest", path); code != ExitFailure || !strings.Contains(errOut, `the header has no "ts" column`) || strings.Contains(errOut, "accepted before") {
		t.Fatalf("bad header: %d %q", code, errOut)
	}
	if code, _, errOut := run(t, be, admin, "ingest", "missing.jsonl"); code != ExitFailure || !strings.Contains(errOut, "no such file") {
		t.Fatalf("missing file: %d %q", code, errOut)
	}
}

// Ensure that hostile values are each one line's error, with its line
// number, and the rest of the file is stored: one NaN or 1e308 used to
// abort the whole ingest.
func TestIngest_HostileValues(t *testing.T) {
	be := mustOpenBackend(t)
	ok := `{"ts":"2026-11-01T10:00:00Z","experiment":"autumn","variant":"x","unit":"u1","type":"revenue","value":5}`
	lines := []string{
		ok,
		`{"ts":"2026-11-01T10:00:00Z","experiment":"autumn","variant":"x","unit":"u2","type":"revenue","value":1e308}`,
		`{"ts":"2026-11-01T10:00:00Z","experiment":"autumn","variant":"x","unit":"u3","type":"revenue","value":1e400}`,
		`{"ts":"2026-11-01T10:00:00Z","experiment":"autumn","variant":"x","unit":"u4","type":"revenue","value":NaN}`,
		`{"id":"\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEXAMPLE\n","ts":"2026-11-01T10:00:00Z","experiment":"autumn","variant":"x","unit":"u5","type":"exposure"}`,
		`{"ts":"1970-01-01T00:00:00Z","experiment":"autumn","variant":"x","unit":"u6","type":"exposure"}`,
		strings.Replace(ok, "u1", "u7", 1),
	}
	path := writeFile(t, "hostile.jsonl", strings.Join(lines, "\n")+"\n")
	code, out, errOut := run(t, be, admin, "ingest", "--create", path)
	if code != ExitRejected || !strings.Contains(out, "2 accepted") {
		t.Fatalf("exit %d, out %q, err %q", code, out, errOut)
	}
	for _, want := range []string{"line 2: event value: is beyond", "line 3: not a JSON event: value: is not a number", "line 4: not a JSON event: invalid JSON", "line 5: event id: has a control character", "line 6: event ts: is outside"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if strings.Contains(errOut, "ssh-ed25519") || strings.Contains(errOut, "1e400") {
		t.Errorf("an error quotes the input:\n%s", errOut)
	}
}

// Ensure that ingesting a file that is not events echoes none of it: an
// attacker ingested /etc/shadow as CSV and read it in the error lines.
func TestIngest_EchoesNoContent(t *testing.T) {
	be := mustOpenBackend(t)
	shadow := "root:$6$saltsalt$secrethash:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n"
	for _, format := range []string{"csv", "jsonl"} {
		path := writeFile(t, "shadow."+format, shadow)
		_, out, errOut := run(t, be, admin, "ingest", "--format", format, path)
		if strings.Contains(out+errOut, "root") || strings.Contains(out+errOut, "secrethash") || strings.Contains(out+errOut, "daemon") {
			t.Errorf("%s: the output quotes the file:\n%s%s", format, out, errOut)
		}
	}
	csvData := "ts,experiment,variant,unit,type,value\n" +
		"2026-11-01T10:00:00Z,autumn,x,u1,exposure,root:secrethash\n" +
		"root:secrethash,autumn,x,u1,exposure,\n" +
		"2026-11-01T10:00:00Z,root:secrethash,x,u1,exposure,\n"
	path := writeFile(t, "fields.csv", csvData)
	code, _, errOut := run(t, be, admin, "ingest", "--create", path)
	if code != ExitRejected || strings.Contains(errOut, "secrethash") || !strings.Contains(errOut, "line 2: event value") || !strings.Contains(errOut, "line 3: event ts") || !strings.Contains(errOut, "line 4: event experiment") {
		t.Fatalf("exit %d, err %q", code, errOut)
	}
}
