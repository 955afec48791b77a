package ssh

import (
	"errors"
	"fmt"
	"strings"
)

// MaxCommandBytes is the longest command line a session may send. Longer
// ones are refused before they are parsed: no tandem command needs more,
// and input belongs on stdin.
const MaxCommandBytes = 16 << 10

// Errors from splitCommand.
var (
	// errCommandTooLong is returned for a command line over MaxCommandBytes.
	errCommandTooLong = fmt.Errorf("the command line is longer than %d bytes; send input on stdin instead (`ssh HOST ingest - < FILE`)", MaxCommandBytes)
	// errUnterminatedQuote is returned when a quote is opened and not closed.
	errUnterminatedQuote = errors.New("the command line has a quote that is not closed")
)

// splitCommand splits a command line into words the way a POSIX shell
// does for plain words: blanks separate words, single quotes keep
// everything literally, double quotes keep everything but a backslash
// before `"`, `\` or a newline, and a backslash outside quotes keeps the
// next character. It runs in one pass, linear in the line's length.
func splitCommand(line string) ([]string, error) {
	if len(line) > MaxCommandBytes {
		return nil, errCommandTooLong
	}
	var (
		words  []string
		word   strings.Builder
		inWord bool
	)
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			if inWord {
				words = append(words, word.String())
				word.Reset()
				inWord = false
			}
		case c == '\'':
			end := strings.IndexByte(line[i+1:], '\'')
			if end < 0 {
				return nil, errUnterminatedQuote
			}
			word.WriteString(line[i+1 : i+1+end])
			i += end + 1
			inWord = true
		case c == '"':
			j, err := readDoubleQuoted(line, i+1, &word)
			if err != nil {
				return nil, err
			}
			i = j
			inWord = true
		case c == '\\':
			if i+1 < len(line) {
				i++
				if line[i] != '\n' { // backslash-newline continues the line
					word.WriteByte(line[i])
				}
			}
			inWord = true
		default:
			word.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, word.String())
	}
	return words, nil
}

// readDoubleQuoted copies the double-quoted text starting at line[start]
// into word and returns the index of the closing quote.
func readDoubleQuoted(line string, start int, word *strings.Builder) (int, error) {
	for i := start; i < len(line); i++ {
		switch c := line[i]; c {
		case '"':
			return i, nil
		case '\\':
			if i+1 < len(line) && strings.IndexByte("\"\\$`\n", line[i+1]) >= 0 {
				i++
				if line[i] != '\n' {
					word.WriteByte(line[i])
				}
				continue
			}
			word.WriteByte(c)
		default:
			word.WriteByte(c)
		}
	}
	return 0, errUnterminatedQuote
}
