package store

import (
	"fmt"
	"regexp"
	"strings"
)

// misplacedPage is bbolt's assertion that a page read is not the page its
// parent points to.
var misplacedPage = regexp.MustCompile(`[Pp]age expected to be: (\d+), but self identifies as (\d+)`)

// pageProblem words what bbolt found wrong in a page, from an error of its
// consistency check or a panic it raised reading the page, for a person:
// without bbolt's "panic: assertion failed" framing, and naming the page
// where bbolt does.
func pageProblem(cause any) string {
	text := fmt.Sprint(cause)
	if m := misplacedPage.FindStringSubmatch(text); m != nil {
		return fmt.Sprintf("page %s holds something else (it says it is page %s)", m[1], m[2])
	}
	for _, frame := range []string{"panic: ", "assertion failed: ", "runtime error: "} {
		text = strings.TrimPrefix(text, frame)
	}
	if strings.HasPrefix(strings.ToLower(text), "page ") {
		return text
	}
	return "a page does not decode (" + text + ")"
}

// pageError is a problem bbolt's consistency check found in the file's
// pages: the file is damaged.
type pageError struct{ problem string }

func (e *pageError) Error() string { return ErrDamaged.Error() + ": " + e.problem }

// Unwrap returns ErrDamaged.
func (e *pageError) Unwrap() error { return ErrDamaged }
