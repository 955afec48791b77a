package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

// exception is one accepted advisory: its ID, the module govulncheck names
// for it ("stdlib" for the standard library) and why it is accepted.
type exception struct {
	ID, Module, Reason string
	Line               int
}

// validID reports whether id has the form of a Go vulnerability database
// ID, GO-YYYY-NNNN.
func validID(id string) bool {
	parts := strings.Split(id, "-")
	if len(parts) != 3 || parts[0] != "GO" || len(parts[1]) != 4 || len(parts[2]) < 4 {
		return false
	}
	for _, r := range parts[1] + parts[2] {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// readExceptions parses the exception list: one advisory a line,
// "ID MODULE REASON", with blank lines and lines starting with # ignored.
// Every entry needs a reason: the list is where the project says why it
// lives with a vulnerability.
func readExceptions(path string) (map[string]exception, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read the exception list: %w", err)
	}
	defer f.Close()
	list := map[string]exception{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) < 3 {
			return nil, fmt.Errorf("%s:%d: want \"ID MODULE REASON\", got %q", path, n, line)
		}
		id, module := fields[0], fields[1]
		if !validID(id) {
			return nil, fmt.Errorf("%s:%d: %q is not an advisory ID like GO-2025-1234", path, n, id)
		}
		if prev, ok := list[id]; ok {
			return nil, fmt.Errorf("%s:%d: %s is listed already on line %d", path, n, id, prev.Line)
		}
		reason := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(strings.TrimPrefix(line, id)), module))
		list[id] = exception{ID: id, Module: module, Reason: reason, Line: n}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return list, nil
}
