package ssh

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// Ensure that command lines split as a POSIX shell splits plain words.
func TestSplitCommand(t *testing.T) {
	for _, tc := range []struct {
		line string
		want []string
	}{
		{"", nil},
		{"  status  ", []string{"status"}},
		{"brief add --title 'Spring launch'", []string{"brief", "add", "--title", "Spring launch"}},
		{`brief add --title "Say \"hi\" \\ now"`, []string{"brief", "add", "--title", `Say "hi" \ now`}},
		{`retro note 2026-W49 it\'s\ done`, []string{"retro", "note", "2026-W49", "it's done"}},
		{`a"b"'c'd`, []string{"abcd"}},
		{`''`, []string{""}},
		{"a\tb\nc", []string{"a", "b", "c"}},
		{`"a\$b"`, []string{"a$b"}},
		{`"a\xb"`, []string{`a\xb`}},
	} {
		got, err := splitCommand(tc.line)
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("splitCommand(%q) = %q, %v; want %q", tc.line, got, err, tc.want)
		}
	}
	for _, bad := range []string{`'open`, `"open`, `a "b\"`} {
		if _, err := splitCommand(bad); err != errUnterminatedQuote {
			t.Errorf("splitCommand(%q): %v, want an unclosed-quote error", bad, err)
		}
	}
	if _, err := splitCommand(strings.Repeat("a", MaxCommandBytes+1)); err != errCommandTooLong {
		t.Errorf("an over-long line: %v", err)
	}
}

// Ensure that a person's commands are bounded at once and over time, and
// that one person's use leaves another's budget alone.
func TestPersonLimits(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	l := newPersonLimits(2, 1, 3, 1)
	var releases []func()
	for i := range 3 {
		release, err := l.startCommand("ana", now)
		if i < 2 && err != nil || i == 2 && err == nil {
			t.Fatalf("command %d: %v", i, err)
		}
		if release != nil {
			releases = append(releases, release)
		}
	}
	for _, r := range releases {
		r()
	}
	// One token left of the burst of 3; then the rate of 1/s.
	if _, err := l.startCommand("ana", now); err != nil {
		t.Fatal(err)
	}
	if _, err := l.startCommand("ana", now); err == nil || !strings.Contains(err.Error(), "try again in") {
		t.Fatalf("over the rate: %v", err)
	}
	if _, err := l.startCommand("bo", now); err != nil {
		t.Fatalf("another person: %v", err)
	}
	if _, err := l.startCommand("ana", now.Add(1100*time.Millisecond)); err != nil {
		t.Fatalf("after a second: %v", err)
	}
	release, err := l.startSession("ana", now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.startSession("ana", now); err == nil {
		t.Fatal("a second cockpit over the limit of 1")
	}
	release()
	if _, err := l.startSession("ana", now); err != nil {
		t.Fatal(err)
	}
}

func BenchmarkSplitCommand_Limit(b *testing.B) {
	line := strings.Repeat(`'a' "b" `, MaxCommandBytes/8)[:MaxCommandBytes]
	b.ReportAllocs()
	b.SetBytes(int64(len(line)))
	for b.Loop() {
		_, _ = splitCommand(line)
	}
}

// FuzzSplitCommand checks that any line splits without panicking, and that
// words quoted back as a shell would split to the same words.
func FuzzSplitCommand(f *testing.F) {
	for _, seed := range []string{"brief add --title 'a b'", `a"b\"c"'d'`, `\`, "'", "a\tb\nc"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, line string) {
		words, err := splitCommand(line)
		if err != nil {
			return
		}
		quoted := make([]string, len(words))
		for i, w := range words {
			quoted[i] = "'" + strings.ReplaceAll(w, "'", `'\''`) + "'"
		}
		again, err := splitCommand(strings.Join(quoted, " "))
		if len(strings.Join(quoted, " ")) <= MaxCommandBytes && (err != nil || !slices.Equal(again, words)) {
			t.Fatalf("%q split to %q, quoted back to %q: %v", line, words, again, err)
		}
	})
}
