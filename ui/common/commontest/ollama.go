package commontest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

// CopyReply is a reply under the copy schema, for FakeOllama.
const CopyReply = `{"headline":"Boots are back","body":"Warm, dry feet all winter long.","cta":"Shop boots","rationale":"seasonal"}`

// FakeOllama starts a server speaking the Ollama API's model list, show
// and generate as a model named tiny would, answering every generation
// with reply, and returns its address. From the failFrom'th generation on (when failFrom
// holds more than 0) it fails as a crashed model runner does, so a test
// can break a run mid-way and mend it.
func FakeOllama(t testing.TB, reply string, failFrom *atomic.Int64) string {
	t.Helper()
	var calls atomic.Int64
	mux := http.NewServeMux()
	mux.HandleFunc("/api/tags", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, `{"models":[{"name":"tiny:latest","model":"tiny:latest","digest":"abc123","size":1}]}`)
	})
	mux.HandleFunc("/api/show", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, `{"model_info":{"llama.context_length":4096}}`)
	})
	mux.HandleFunc("/api/generate", func(w http.ResponseWriter, _ *http.Request) {
		if n := calls.Add(1); failFrom != nil && failFrom.Load() > 0 && n >= failFrom.Load() {
			http.Error(w, `{"error":"model runner crashed"}`, http.StatusInternalServerError)
			return
		}
		fmt.Fprintf(w, `{"model":"tiny","response":%q,"done":true,"prompt_eval_count":20,"eval_count":12,"eval_duration":1000000}`+"\n", reply)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL
}
