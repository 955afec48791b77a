package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Ensure that `config check` exits 0 on a good file and 2 on a key bound
// twice where both are live, naming the line: `keys.quit = x` would
// otherwise pass and then quit where Approvals rejects.
func TestConfigCheck_Conflicts(t *testing.T) {
	be := mustOpenBackend(t)
	tests := []struct {
		name, text string
		code       int
		want       string
	}{
		{"good", "keys.board.move_next = M\nkeys.quit = q\n", ExitOK, "is fine"},
		{"global over a view key", "theme = dark\nkeys.quit = x\n", ExitUsage, `config:2: keys.quit: "x" is also approvals.reject`},
		{"two keys of a view", "keys.board.undo = e\n", ExitUsage, `config:1: keys.board.undo: "e" is also board.edit`},
		{"unknown binding", "keys.board.fly = f\n", ExitUsage, "unknown key binding"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "config")
			if err := os.WriteFile(path, []byte(tt.text), 0o600); err != nil {
				t.Fatal(err)
			}
			var out, errOut bytes.Buffer
			env := &Env{Identity: admin, Out: &out, Err: &errOut, Now: time.Now, Backend: be, Dir: t.TempDir(), ConfigPath: path}
			code := Execute(context.Background(), NewRoot(env), env, []string{"config", "check"})
			if code != tt.code || !strings.Contains(out.String()+errOut.String(), tt.want) {
				t.Fatalf("exit %d, want %d; out %q err %q, want %q", code, tt.code, out.String(), errOut.String(), tt.want)
			}
		})
	}
}
