package cli

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/ui/backend"
)

// fakeTagServer answers generate with reply, as Ollama would under the
// schema it was given (or not: the reply may name anything).
func fakeTagServer(t *testing.T, reply string) string {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/api/tags", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, `{"models":[{"name":"tiny:latest","model":"tiny:latest","digest":"abc123","size":1}]}`)
	})
	mux.HandleFunc("/api/show", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, `{"model_info":{"llama.context_length":4096}}`)
	})
	mux.HandleFunc("/api/generate", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintf(w, `{"model":"tiny","response":%q,"done":true,"prompt_eval_count":20,"eval_count":12,"eval_duration":1000000}`+"\n", reply)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL
}

// Ensure that `tag suggest` shows only taxonomy terms, changes nothing
// until --accept, and that --accept saves them on the brief.
func TestTagSuggest(t *testing.T) {
	host := fakeTagServer(t, `{"channel":"email","audience":"martians","asset_type":"banner","tags":["q4","made-up"]}`)
	be := mustOpenBackendWith(t, backend.Settings{Models: backend.ModelSettings{Host: host}})
	for _, args := range [][]string{{"channel", "email"}, {"asset-type", "banner"}, {"tag", "q4"}, {"audience", "smb owners"}} {
		mustRun(t, be, admin, "taxonomy", "add", args[0], args[1])
	}
	mustRun(t, be, admin, "brief", "add", "--title", "Holiday gift guide")
	out := mustRun(t, be, admin, "tag", "suggest", "--brief", "1", "--model", "tiny")
	if !regexpLine(out, `channel\s+email`) || !regexpLine(out, `asset type\s+banner`) || !regexpLine(out, `tags\s+q4$`) || strings.Contains(out, "martians") || strings.Contains(out, "made-up") {
		t.Fatalf("suggest:\n%s", out)
	}
	if b := decodeBrief(t, mustRun(t, be, admin, "brief", "show", "1", "--json")); b.Channel != "" || b.Version != 1 {
		t.Fatalf("a suggestion changed the brief: %+v", b)
	}
	creative := core.Identity{Name: "bo", Role: core.RoleCreative}
	if out := mustRun(t, be, creative, "tag", "suggest", "--brief", "1", "--model", "tiny", "--accept"); !strings.Contains(out, "saved on brief 1 (version 2)") {
		t.Fatalf("accept: %s", out)
	}
	b := decodeBrief(t, mustRun(t, be, admin, "brief", "show", "1", "--json"))
	if b.Channel != "email" || b.AssetType != "banner" || b.Audience != "" || strings.Join(b.Tags, ",") != "q4" {
		t.Fatalf("accepted brief = %+v", b)
	}
	viewer := core.Identity{Name: "vi", Role: core.RoleViewer}
	if code, _, _ := run(t, be, viewer, "tag", "suggest", "--brief", "1"); code != ExitPermission {
		t.Fatalf("a viewer asking: exit %d, want %d", code, ExitPermission)
	}
}

// Ensure that without Ollama it says so on one line (exit 5) and nothing
// changes.
func TestTagSuggest_OllamaDown(t *testing.T) {
	be := mustOpenBackendWith(t, backend.Settings{Models: backend.ModelSettings{Host: "127.0.0.1:1"}})
	mustRun(t, be, admin, "taxonomy", "add", "channel", "email")
	mustRun(t, be, admin, "brief", "add", "--title", "x")
	code, _, errOut := run(t, be, admin, "tag", "suggest", "--brief", "1", "--model", "tiny", "--accept")
	if code != ExitUnavailable || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, "ollama serve") {
		t.Fatalf("exit %d, %q", code, errOut)
	}
	if b := decodeBrief(t, mustRun(t, be, admin, "brief", "show", "1", "--json")); b.Version != 1 {
		t.Fatalf("the brief changed: %+v", b)
	}
}
