package models

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/tandem-ops/tandem/core"
)

// fakeOllama speaks enough of Ollama's API for failure tests; generate
// answers with the lines given.
func fakeOllama(t *testing.T, generate func(w http.ResponseWriter)) *Client {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/api/tags", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, `{"models":[{"name":"tiny:latest","model":"tiny:latest","digest":"abc123","size":1}]}`)
	})
	mux.HandleFunc("/api/show", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, `{"model_info":{"llama.context_length":64}}`)
	})
	mux.HandleFunc("/api/generate", func(w http.ResponseWriter, _ *http.Request) { generate(w) })
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	c, err := New(srv.URL, 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func streamLines(lines ...string) func(w http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/x-ndjson")
		for _, l := range lines {
			fmt.Fprintln(w, l)
			w.(http.Flusher).Flush()
		}
	}
}

const goodCopy = `{"headline":"Save five hours","body":"One plan for the whole team.","cta":"Try it","rationale":"benefit first"}`

func reply(s string) []string {
	return []string{
		fmt.Sprintf(`{"model":"tiny","response":%q,"done":false}`, s[:10]),
		fmt.Sprintf(`{"model":"tiny","response":%q,"done":true,"prompt_eval_count":40,"eval_count":30,"eval_duration":1000000000}`, s[10:]),
	}
}

func request(retries int) VariantRequest {
	return VariantRequest{Options: Options{Model: "tiny", Seed: 7}, N: 1, Retries: retries,
		Brief: core.Brief{ID: 3, Title: "Spring email", Channel: "email"}, Guideline: core.BrandGuideline{Version: 2, Banned: []string{"synergy"}}}
}

func TestVariants_ValidReply(t *testing.T) {
	c := fakeOllama(t, streamLines(reply(goodCopy)...))
	var streamed strings.Builder
	vs, err := c.Variants(context.Background(), request(0), func(_ int, s string) { streamed.WriteString(s) }, nil)
	if err != nil {
		t.Fatal(err)
	}
	v := vs[0]
	if v.Copy.Headline != "Save five hours" || streamed.String() != goodCopy {
		t.Fatalf("variant %+v, streamed %q", v, streamed.String())
	}
	p := v.Provenance
	if p.Digest != "abc123" || p.Seed != 7 || p.GuidelineVersion != 2 || p.TokensIn != 40 || p.TokensOut != 30 || p.PromptHash == "" || p.Attempts != 1 {
		t.Fatalf("provenance %+v", p)
	}
}

// Ensure that a reply breaking the schema or a banned term is retried with
// the problems fed back, and that a model that never complies is an error.
func TestVariants_RetriesWithFeedback(t *testing.T) {
	calls := 0
	bad := `{"headline":"Pure synergy","body":"x","cta":"Go","rationale":"r"}`
	c := fakeOllama(t, func(w http.ResponseWriter) {
		calls++
		if calls == 1 {
			streamLines(reply(bad)...)(w)
			return
		}
		streamLines(reply(goodCopy)...)(w)
	})
	vs, err := c.Variants(context.Background(), request(2), nil, nil)
	if err != nil || vs[0].Provenance.Attempts != 2 {
		t.Fatalf("variants %+v, %v", vs, err)
	}
	c = fakeOllama(t, streamLines(reply(`{"headline":"only a headline, nothing else"}`)...))
	if _, err := c.Variants(context.Background(), request(1), nil, nil); !errors.Is(err, ErrNoValidReply) || !strings.Contains(err.Error(), "body: is required") {
		t.Fatalf("never valid: %v", err)
	}
}

// Ensure that each failure says what to do: to a person on this machine
// with the host and what Ollama said, and, from a client ForRemote, to a
// person on another machine without either, sending them to the server's
// admin. The errors stay what they are.
func TestClient_Failures(t *testing.T) {
	tests := []struct {
		name         string
		generate     func(w http.ResponseWriter)
		want         error
		text, remote string
	}{
		{"model not found", func(w http.ResponseWriter) {
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"error":"model 'tiny' not found"}`)
		}, ErrModelMissing, "ollama pull tiny", "ask its admin to run `ollama pull tiny`"},
		{"server error", func(w http.ResponseWriter) {
			w.WriteHeader(http.StatusInternalServerError)
			fmt.Fprint(w, `{"error":"out of memory loading /srv/ollama/models/blobs/sha256-1"}`)
		}, ErrBadReply, "out of memory", "ask its admin"},
		{"malformed JSON", streamLines(`{"response": "half`), ErrBadReply, "", "ask its admin"},
		{"stream cut midway", streamLines(`{"model":"tiny","response":"{\"head","done":false}`), ErrBadReply, "ended before", "ended before"},
		{"slow server", func(w http.ResponseWriter) { time.Sleep(3 * time.Second) }, nil, "did not answer in time", "did not answer in time; try again, or ask its admin"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := fakeOllama(t, tt.generate)
			for _, c := range []*Client{c, c.ForRemote()} {
				text := tt.text
				if c.remote {
					text = tt.remote
				}
				_, err := c.Variants(context.Background(), request(0), nil, nil)
				if err == nil || (tt.want != nil && !errors.Is(err, tt.want)) || !strings.Contains(err.Error(), text) {
					t.Fatalf("remote %v: err = %v, want %v containing %q", c.remote, err, tt.want, text)
				}
				if c.remote && (strings.Contains(err.Error(), c.Host()) || strings.Contains(err.Error(), "/srv/")) {
					t.Fatalf("remote: err = %v names the host or the server's files", err)
				}
			}
		})
	}
}

func TestClient_NotRunning(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens here now
	c, _ := New(addr, time.Second)
	_, err = c.Models(context.Background())
	if !errors.Is(err, ErrNotRunning) || !strings.Contains(err.Error(), "ollama serve") {
		t.Fatalf("err = %v", err)
	}
	_, err = c.ForRemote().Models(context.Background())
	if !errors.Is(err, ErrNotRunning) || strings.Contains(err.Error(), addr) || !strings.Contains(err.Error(), "ask its admin to start it") {
		t.Fatalf("remote: err = %v", err)
	}
}

func TestClient_Cancel(t *testing.T) {
	started := make(chan struct{})
	c := fakeOllama(t, func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/x-ndjson")
		fmt.Fprintln(w, `{"model":"tiny","response":"{","done":false}`)
		w.(http.Flusher).Flush()
		close(started)
		time.Sleep(5 * time.Second)
	})
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-started; cancel() }()
	start := time.Now()
	_, err := c.Variants(ctx, request(0), nil, nil)
	if err == nil || time.Since(start) > 3*time.Second {
		t.Fatalf("cancel: %v after %v", err, time.Since(start))
	}
}

func TestContextFor(t *testing.T) {
	if got := ContextFor(strings.Repeat("x", 300), 512, 0); got != 2048 {
		t.Errorf("small prompt = %d", got)
	}
	if got := ContextFor(strings.Repeat("x", 30000), 512, 0); got != 16384 {
		t.Errorf("large prompt = %d", got)
	}
	if got := ContextFor(strings.Repeat("x", 30000), 512, 4096); got != 4096 {
		t.Errorf("capped by the window = %d", got)
	}
}

// Ensure that token counts a broken or hostile server reports (below zero,
// or past any context window) are read as 0, so no cost built on them is
// negative or overflows.
func TestGenerate_HostileTokenCounts(t *testing.T) {
	for _, counts := range []string{`"prompt_eval_count":-7,"eval_count":-1`, `"prompt_eval_count":9223372036854775807,"eval_count":9223372036854775807`} {
		c := fakeOllama(t, streamLines(`{"model":"tiny","response":"hi","done":true,`+counts+`,"eval_duration":1000000000}`))
		_, usage, err := c.Generate(context.Background(), Request{Options: Options{Model: "tiny"}, Prompt: "x"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if usage.PromptTokens != 0 || usage.OutputTokens != 0 || usage.TokensPerSecond != 0 {
			t.Errorf("%s: usage %+v, want zero counts", counts, usage)
		}
	}
}
