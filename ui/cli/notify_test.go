package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/tandem-ops/tandem/core"
)

// notifySecret is the secret the tests sign with, which no output shows.
const notifySecret = "notify-secret-0123456789"

// Ensure that `notify list --json` keeps its shape: URLs shortened past
// their first path segment, no secret and no fired keys.
func TestJSON_Contract_Notify(t *testing.T) {
	be := mustOpenBackend(t)
	mustRun(t, be, admin, "notify", "add", "--webhook", "https://hooks.slack.com/services/T0/B0/XYZ", "--on", "sla-breach,srm", "--format", "slack", "--secret", notifySecret)
	mustRun(t, be, admin, "notify", "add", "--webhook", "https://alerts.example.com/tandem?token=abc", "--on", "decision,review-assigned")
	checkJSONGolden(t, be, []string{"notify", "list"}, filepath.Join("testdata", "json", "notify", "notify_list.json"))
}

// Ensure that a webhook is added, listed and removed, that the secret
// (given on stdin too) and the URL's token are never printed, and that a
// remote admin may manage webhooks.
func TestNotify_AddListRemove(t *testing.T) {
	be := mustOpenBackend(t)
	out := mustRun(t, be, admin, "notify", "add", "--webhook", "https://hooks.slack.com/services/T0/B0/XYZ", "--on", "srm", "--secret", notifySecret)
	if !strings.Contains(out, "added webhook 1: srm alerts to https://hooks.slack.com/services/… (json, signed)") {
		t.Errorf("add said %q", out)
	}
	code, out, errOut := runIn(t, be, admin, notifySecret+"\n", "notify", "add", "--webhook", "https://alerts.example.com/in", "--on", "decision", "--secret", "-", "--json")
	if code != ExitOK || !strings.Contains(out, `"signed": true`) {
		t.Fatalf("add over SSH with --secret -: exit %d: %s%s", code, out, errOut)
	}
	for _, args := range [][]string{{"notify", "list"}, {"notify", "list", "--json"}, {"notify", "log"}, {"notify", "log", "--json"}} {
		out := mustRun(t, be, admin, args...)
		if strings.Contains(out, notifySecret) || strings.Contains(out, "XYZ") {
			t.Errorf("%v shows the secret or the token: %s", args, out)
		}
	}
	if out := mustRun(t, be, admin, "notify", "list"); !strings.Contains(out, "nothing sent yet") || !strings.Contains(out, "decision") {
		t.Errorf("list = %s", out)
	}
	mustRun(t, be, admin, "notify", "remove", "1")
	if out := mustRun(t, be, admin, "notify", "list", "--json"); strings.Contains(out, `"id": 1,`) {
		t.Errorf("removed webhook still listed: %s", out)
	}
	if code, _, errOut := run(t, be, admin, "notify", "remove", "1"); code != ExitFailure || !strings.Contains(errOut, "not found") {
		t.Errorf("removing it again: exit %d: %s", code, errOut)
	}
}

// Ensure that hostile or mistaken input is refused with exit 2 and one
// line that says what to do, before anything is stored, and that only
// admins may manage webhooks (exit 4).
func TestNotify_Hostile(t *testing.T) {
	be := mustOpenBackend(t)
	add := func(args ...string) []string { return append([]string{"notify", "add"}, args...) }
	ok := "https://hooks.example/in"
	for name, args := range map[string][]string{
		"no URL":           add("--on", "srm"),
		"ftp URL":          add("--webhook", "ftp://hooks.example/in", "--on", "srm"),
		"file URL":         add("--webhook", "file:///etc/passwd", "--on", "srm"),
		"credentials":      add("--webhook", "https://root:hunter2@hooks.example/in", "--on", "srm"),
		"escape in URL":    add("--webhook", "https://hooks.example/\x1b[2J", "--on", "srm"),
		"bidi in URL":      add("--webhook", "https://hooks.example/\u202ein", "--on", "srm"),
		"huge URL":         add("--webhook", "https://hooks.example/"+strings.Repeat("a", 5000), "--on", "srm"),
		"no events":        add("--webhook", ok),
		"unknown event":    add("--webhook", ok, "--on", "srm,everything"),
		"escape event":     add("--webhook", ok, "--on", "\x1b]0;pwned\x07"),
		"bad format":       add("--webhook", ok, "--on", "srm", "--format", "xml"),
		"short secret":     add("--webhook", ok, "--on", "srm", "--secret", "abc"),
		"empty secret":     add("--webhook", ok, "--on", "srm", "--secret", ""),
		"control secret":   add("--webhook", ok, "--on", "srm", "--secret", "0123456789abcdef\x00\x1b"),
		"huge secret":      add("--webhook", ok, "--on", "srm", "--secret", strings.Repeat("s", 300)),
		"remove not an ID": {"notify", "remove", "../../etc"},
		"remove zero":      {"notify", "remove", "0"},
		"remove negative":  {"notify", "remove", "-1"},
		"log bad ID":       {"notify", "log", "--id", "x"},
		"log zero limit":   {"notify", "log", "--limit", "0"},
	} {
		code, out, errOut := run(t, be, admin, args...)
		if code != ExitUsage || strings.Count(strings.TrimSpace(errOut), "\n") != 0 || strings.ContainsRune(errOut, 0x1b) {
			t.Errorf("%s: exit %d, stderr %q, stdout %q; want exit 2 and one clean line", name, code, errOut, out)
		}
		if strings.Contains(errOut, "hunter2") {
			t.Errorf("%s: the password is printed back: %s", name, errOut)
		}
	}
	if out := mustRun(t, be, admin, "notify", "list", "--json"); strings.TrimSpace(out) != "[]" {
		t.Errorf("a refused webhook was stored: %s", out)
	}
	mops := core.Identity{Name: "mo", Role: core.RoleMOps}
	for _, args := range [][]string{add("--webhook", ok, "--on", "srm"), {"notify", "list"}, {"notify", "log"}, {"notify", "remove", "1"}} {
		if code, _, _ := run(t, be, mops, args...); code != ExitPermission {
			t.Errorf("%v as mops: exit %d, want %d", args, code, ExitPermission)
		}
	}
}
