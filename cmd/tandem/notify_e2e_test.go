package main

import (
	"bufio"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Ensure, from the built binary, that a webhook added from the command
// line (forwarded to `tandem serve`, which holds the workspace) is sent
// the demo's SRM by the server, signed, and that the server still stops
// promptly on SIGTERM.
func TestBinary_NotifyFromServe(t *testing.T) {
	dir, bin := buildBinary(t)
	ws := newBinaryWorkspace(dir, bin)
	tandem := func(args ...string) string { t.Helper(); return ws.run(t, args...) }
	tandem("demo", "seed")

	type post struct {
		header http.Header
		body   []byte
	}
	got := make(chan post, 16)
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got <- post{r.Header.Clone(), body}
	}))
	defer receiver.Close()

	serve := ws.command("serve", "--listen", "127.0.0.1:0")
	stdout, err := serve.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	t.Cleanup(func() {
		_ = serve.Process.Kill()
		<-exited
	})
	lines := bufio.NewScanner(stdout)
	if !lines.Scan() || !strings.HasPrefix(lines.Text(), "serving ") {
		t.Fatalf("serve said %q", lines.Text())
	}
	go func() {
		for lines.Scan() {
		}
		exited <- serve.Wait()
	}()

	const secret = "e2e-secret-0123456789"
	tandem("notify", "add", "--webhook", receiver.URL+"/tandem", "--on", "srm", "--secret", secret)
	select {
	case p := <-got:
		mac := hmac.New(sha256.New, []byte(secret))
		mac.Write([]byte(p.header.Get("X-Tandem-Timestamp") + "."))
		mac.Write(p.body)
		if want := "sha256=" + hex.EncodeToString(mac.Sum(nil)); p.header.Get("X-Tandem-Signature") != want {
			t.Errorf("signature %q, want %q", p.header.Get("X-Tandem-Signature"), want)
		}
		var body struct{ Event, Key string }
		if err := json.Unmarshal(p.body, &body); err != nil || body.Event != "srm" || !strings.HasPrefix(body.Key, "srm/") {
			t.Errorf("body %s: %v", p.body, err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the server sent nothing within 30 s")
	}
	// The server records the delivery once the receiver has answered.
	for deadline := time.Now().Add(10 * time.Second); ; {
		out := tandem("notify", "log")
		if strings.Contains(out, "delivered") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no delivery logged:\n%s", out)
		}
	}
	if err := serve.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("serve exited: %v", err)
		}
		exited <- nil // for the cleanup
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop within 15 s of SIGTERM")
	}
}
