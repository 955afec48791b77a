package core

import (
	"math"
	"slices"
	"strings"
	"unicode"
)

// Document is a piece of retrievable context: a guideline chunk or a past
// winner, with the id provenance names it by.
type Document struct {
	ID   string
	Text string
	// Won marks a component that won a test on Channel and Audience (a
	// significant positive Effect): retrieval prefers it for briefs on
	// the same (see PreferWinners).
	Won               bool
	Channel, Audience string
	Effect            float64
}

func terms(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
}

// BM25 ranks docs against query by Okapi BM25 (k1 1.2, b 0.75) and returns
// the indexes of the best k, best first. It is the lexical fallback when no
// embedding model is available.
func BM25(query string, docs []Document, k int) []int {
	const k1, b = 1.2, 0.75
	tokens := make([][]string, len(docs))
	df := map[string]int{}
	total := 0
	for i, d := range docs {
		tokens[i] = terms(d.Text)
		total += len(tokens[i])
		seen := map[string]bool{}
		for _, t := range tokens[i] {
			if !seen[t] {
				df[t]++
				seen[t] = true
			}
		}
	}
	if len(docs) == 0 {
		return nil
	}
	avg := float64(total) / float64(len(docs))
	scores := make([]float64, len(docs))
	for _, q := range terms(query) {
		idf := math.Log(1 + (float64(len(docs))-float64(df[q])+0.5)/(float64(df[q])+0.5))
		for i, toks := range tokens {
			tf := 0
			for _, t := range toks {
				if t == q {
					tf++
				}
			}
			if tf > 0 {
				f := float64(tf)
				scores[i] += idf * f * (k1 + 1) / (f + k1*(1-b+b*float64(len(toks))/avg))
			}
		}
	}
	return topK(scores, k)
}

// Cosine is the cosine similarity of two vectors, 0 when either is zero.
func Cosine(a, b []float32) float64 {
	var dot, na, nb float64
	for i := range min(len(a), len(b)) {
		dot += float64(a[i]) * float64(b[i])
		na += float64(a[i]) * float64(a[i])
		nb += float64(b[i]) * float64(b[i])
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return dot / math.Sqrt(na*nb)
}

// TopByCosine returns the indexes of the k vectors most similar to query.
func TopByCosine(query []float32, vecs [][]float32, k int) []int {
	scores := make([]float64, len(vecs))
	for i, v := range vecs {
		scores[i] = Cosine(query, v)
	}
	return topK(scores, k)
}

func topK(scores []float64, k int) []int {
	idx := make([]int, len(scores))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case scores[a] > scores[b]:
			return -1
		case scores[a] < scores[b]:
			return 1
		}
		return 0
	})
	return idx[:min(k, len(idx))]
}
