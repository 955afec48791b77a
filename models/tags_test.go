package models

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/tandem-ops/tandem/core"
)

func tagRequest() TagRequest {
	return TagRequest{Options: Options{Model: "tiny", Seed: 3}, Brief: core.Brief{ID: 9, Title: "Holiday gift guide"},
		Taxonomy: core.Taxonomy{Channels: []string{"email", "paid social"}, Audiences: []string{"smb owners"}, Tags: []string{"q4", "seasonal"}}}
}

// Ensure that the request carries the taxonomy as the schema's enums, and
// that a reply naming terms the taxonomy lacks keeps only its terms.
func TestSuggestTags_OnlyTaxonomyTerms(t *testing.T) {
	var format json.RawMessage
	mux := http.NewServeMux()
	mux.HandleFunc("/api/tags", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, `{"models":[{"name":"tiny:latest","model":"tiny:latest","digest":"abc123","size":1}]}`)
	})
	mux.HandleFunc("/api/show", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, `{"model_info":{"llama.context_length":4096},"digest":"abc"}`)
	})
	mux.HandleFunc("/api/generate", func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Format json.RawMessage `json:"format"`
		}
		body, _ := io.ReadAll(r.Body)
		_ = json.Unmarshal(body, &req)
		format = req.Format
		reply := `{"channel":"Email","audience":"martians","tags":["q4","invented","seasonal"]}`
		fmt.Fprintf(w, `{"model":"tiny","response":%q,"done":true,"prompt_eval_count":20,"eval_count":12,"eval_duration":1000000}`+"\n", reply)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	c, err := New(srv.URL, 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	s, err := c.SuggestTags(context.Background(), tagRequest())
	if err != nil {
		t.Fatal(err)
	}
	if s.BriefID != 9 || s.Channel != "email" || s.Audience != "" || strings.Join(s.Tags, ",") != "q4,seasonal" {
		t.Fatalf("suggestion = %+v", s)
	}
	if p := s.Provenance; p.Model != "tiny" || p.Seed != 3 || p.TokensOut != 12 || p.PromptHash == "" {
		t.Fatalf("provenance = %+v", p)
	}
	if !strings.Contains(string(format), `"enum":["email","paid social"]`) || !strings.Contains(string(format), `"enum":["q4","seasonal"]`) {
		t.Fatalf("the schema sent lacks the taxonomy's enums: %s", format)
	}
}

// Ensure that a reply that is not JSON is ErrBadReply, and no server is
// ErrNotRunning, which the CLI turns into exit 5.
func TestSuggestTags_Failures(t *testing.T) {
	c := fakeOllama(t, streamLines(reply(`not json at all, sorry`)...))
	if _, err := c.SuggestTags(context.Background(), tagRequest()); !errors.Is(err, ErrBadReply) {
		t.Fatalf("a reply that is not JSON: %v", err)
	}
	down, err := New("127.0.0.1:1", time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := down.SuggestTags(context.Background(), tagRequest()); !errors.Is(err, ErrNotRunning) {
		t.Fatalf("no server: %v", err)
	}
}
