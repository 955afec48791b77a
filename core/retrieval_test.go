package core

import (
	"math"
	"testing"
)

func TestBM25(t *testing.T) {
	docs := []Document{
		{ID: "voice", Text: "Warm, plain and specific. Lead with the benefit."},
		{ID: "winner", Text: "Save five hours a week: won +48% on email for smb owners"},
		{ID: "legal", Text: "Terms apply."},
	}
	got := BM25("email for smb owners: save hours", docs, 2)
	if len(got) != 2 || docs[got[0]].ID != "winner" {
		t.Fatalf("ranking = %v", got)
	}
	if BM25("anything", nil, 3) != nil {
		t.Fatal("no documents, no ranking")
	}
}

func TestCosine(t *testing.T) {
	if c := Cosine([]float32{1, 0}, []float32{1, 0}); math.Abs(c-1) > 1e-12 {
		t.Fatalf("same direction = %v", c)
	}
	if c := Cosine([]float32{1, 0}, []float32{0, 1}); c != 0 {
		t.Fatalf("orthogonal = %v", c)
	}
	if c := Cosine([]float32{0, 0}, []float32{1, 1}); c != 0 {
		t.Fatalf("zero vector = %v", c)
	}
	if got := TopByCosine([]float32{1, 0}, [][]float32{{0, 1}, {1, 0.1}, {-1, 0}}, 1); got[0] != 1 {
		t.Fatalf("top = %v", got)
	}
}
