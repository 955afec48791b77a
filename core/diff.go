package core

import "strings"

// DiffOp says what happened to a run of words between two revisions.
type DiffOp int

// The diff operations.
const (
	DiffEqual DiffOp = iota
	DiffDelete
	DiffInsert
)

// DiffChunk is a run of words with one operation.
type DiffChunk struct {
	Op   DiffOp
	Text string
}

// maxDiffWords bounds the quadratic table; past it the diff is the whole
// old text deleted and the whole new text inserted.
const maxDiffWords = 4000

// WordDiff compares two texts word by word (longest common subsequence),
// so a reviewer sees what changed in the copy between rounds.
func WordDiff(old, new string) []DiffChunk {
	a, b := strings.Fields(old), strings.Fields(new)
	if len(a) > maxDiffWords || len(b) > maxDiffWords {
		return compact([]DiffChunk{{DiffDelete, old}, {DiffInsert, new}})
	}
	// lcs[i][j] is the LCS length of a[i:] and b[j:].
	lcs := make([][]int32, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int32, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []DiffChunk
	add := func(op DiffOp, word string) {
		if n := len(out); n > 0 && out[n-1].Op == op {
			out[n-1].Text += " " + word
			return
		}
		out = append(out, DiffChunk{op, word})
	}
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			add(DiffEqual, a[i])
			i, j = i+1, j+1
		case lcs[i+1][j] >= lcs[i][j+1]:
			add(DiffDelete, a[i])
			i++
		default:
			add(DiffInsert, b[j])
			j++
		}
	}
	for ; i < len(a); i++ {
		add(DiffDelete, a[i])
	}
	for ; j < len(b); j++ {
		add(DiffInsert, b[j])
	}
	return out
}

func compact(chunks []DiffChunk) []DiffChunk {
	out := chunks[:0]
	for _, c := range chunks {
		if c.Text != "" {
			out = append(out, c)
		}
	}
	return out
}

// FormatDiff renders chunks as plain text: [-deleted-] and {+inserted+}.
func FormatDiff(chunks []DiffChunk) string {
	parts := make([]string, len(chunks))
	for i, c := range chunks {
		switch c.Op {
		case DiffDelete:
			parts[i] = "[-" + c.Text + "-]"
		case DiffInsert:
			parts[i] = "{+" + c.Text + "+}"
		default:
			parts[i] = c.Text
		}
	}
	return strings.Join(parts, " ")
}
