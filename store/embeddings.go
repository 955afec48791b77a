package store

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// embeddingKey is a cached embedding's key: the model, NUL, the text's hash.
func embeddingKey(model, text string) []byte {
	sum := sha256.Sum256([]byte(text))
	return append(append([]byte(model), 0), sum[:]...)
}

// Embeddings returns cached embeddings of texts under model; a nil entry
// means not cached yet.
func (s *Store) Embeddings(ctx context.Context, model string, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	err := s.view(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketEmbeddings)
		for i, t := range texts {
			if raw := b.Get(embeddingKey(model, t)); raw != nil {
				if err := json.Unmarshal(raw, &out[i]); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read embeddings: %w", err)
	}
	return out, nil
}

// CacheEmbeddings stores embeddings of texts under model. They are derived
// data, recomputable from the texts, so they are neither audited nor
// published: a cache, not a write anyone made.
func (s *Store) CacheEmbeddings(ctx context.Context, model string, texts []string, vecs [][]float32) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if s.readOnly {
		return nil
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketEmbeddings)
		for i, t := range texts {
			v, err := json.Marshal(vecs[i])
			if err != nil {
				return err
			}
			if err := b.Put(embeddingKey(model, t), v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("cache embeddings: %w", explainWrite(err))
	}
	return nil
}
