// Package ollamatest runs a real Ollama server with the project's tiny
// generated model, for end-to-end tests. The server binary comes from
// testdata/ollama/setup.sh (built from the ollama module, cached under
// $HOME); without it, tests skip with a clear message, except in CI.
package ollamatest

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"
)

// Model is the name the tiny model is created under.
const Model = "tiny"

// Binary finds the ollama binary: $TANDEM_OLLAMA, the setup script's cache,
// $HOME/go/bin, then $PATH.
func Binary() (string, bool) {
	home, _ := os.UserHomeDir()
	for _, p := range []string{os.Getenv("TANDEM_OLLAMA"), filepath.Join(home, ".cache", "tandem", "bin", "ollama"), filepath.Join(home, "go", "bin", "ollama")} {
		if p == "" {
			continue
		}
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p, true
		}
	}
	p, err := exec.LookPath("ollama")
	return p, err == nil
}

// repoRoot is the module root, from this file's location.
func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// Start runs `ollama serve` on a free loopback port with the tiny model
// created, and returns its host. The server stops when the test ends.
func Start(t testing.TB) string {
	t.Helper()
	bin, ok := Binary()
	if !ok {
		msg := "no Ollama server binary: run testdata/ollama/setup.sh to build it (about 4 minutes on 2 cores)"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	dir := t.TempDir()
	gguf := filepath.Join(dir, "tiny.gguf")
	gen := exec.Command("go", "run", "./testdata/ollama/tinymodel", gguf)
	gen.Dir = repoRoot()
	if out, err := gen.CombinedOutput(); err != nil {
		t.Fatalf("make the tiny model: %v\n%s", err, out)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	host := ln.Addr().String()
	ln.Close()
	env := append(os.Environ(), "OLLAMA_HOST="+host, "OLLAMA_MODELS="+filepath.Join(dir, "models"), "OLLAMA_NOPRUNE=1")
	serve := exec.Command(bin, "serve")
	serve.Env = env
	// Its own process group, so that stopping it stops the model runners
	// it starts too: killing the server alone leaves them running.
	serve.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	logFile, _ := os.Create(filepath.Join(dir, "serve.log"))
	serve.Stdout, serve.Stderr = logFile, logFile
	if err := serve.Start(); err != nil {
		t.Fatalf("start ollama: %v", err)
	}
	t.Cleanup(func() {
		_ = syscall.Kill(-serve.Process.Pid, syscall.SIGKILL)
		_ = serve.Wait()
		logFile.Close()
	})
	if err := waitReady(host, 30*time.Second); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "serve.log"))
		t.Fatalf("ollama serve: %v\n%s", err, log)
	}
	modelfile := filepath.Join(dir, "Modelfile")
	if err := os.WriteFile(modelfile, []byte(fmt.Sprintf("FROM %s\nTEMPLATE \"{{ .Prompt }}\"\n", gguf)), 0o600); err != nil {
		t.Fatal(err)
	}
	create := exec.Command(bin, "create", Model, "-f", modelfile)
	create.Env = env
	if out, err := create.CombinedOutput(); err != nil {
		t.Fatalf("ollama create: %v\n%s", err, out)
	}
	return host
}

func waitReady(host string, limit time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	for ctx.Err() == nil {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+host+"/api/version", nil)
		if res, err := http.DefaultClient.Do(req); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("not ready within %v", limit)
}
