// Command tinymodel writes a tiny random-weight llama model as GGUF, small
// enough to ship nothing and build in a second, so tests can run a real
// Ollama server without downloading weights. Its words are random; the
// plumbing (tokenizer, generation, JSON-schema formats, embeddings) is real.
//
// Usage: go run ./testdata/ollama/tinymodel OUT.gguf
package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math/rand/v2"
	"os"

	"github.com/ollama/ollama/fs/ggml"
)

const (
	nCtx   = 64
	nEmbd  = 64
	nBlock = 2
	nFF    = 128
	nHead  = 4
	nRope  = 16
)

// words are whole-word pieces beside the byte tokens, so output has some
// shape and JSON punctuation is cheap to produce.
func words() []string {
	return []string{"▁the", "▁a", "▁save", "▁time", "▁team", "▁plan", "▁week", "▁new", "▁spring", "▁offer",
		"{", "}", "\"", ":", ",", "▁headline", "▁body", "▁cta", "▁rationale", "▁now", "▁try", "▁free", "."}
}

// floats is a tensor's little-endian float32 data.
type floats []float32

func (f floats) WriteTo(w io.Writer) (int64, error) {
	var buf bytes.Buffer
	if err := binary.Write(&buf, binary.LittleEndian, []float32(f)); err != nil {
		return 0, err
	}
	return buf.WriteTo(w)
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: tinymodel OUT.gguf")
		os.Exit(2)
	}
	if err := write(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "tinymodel:", err)
		os.Exit(1)
	}
}

func write(path string) error {
	tokens := []string{"<unk>", "<s>", "</s>"}
	types := []int32{2, 3, 3} // unknown, control, control
	for b := range 256 {
		tokens = append(tokens, fmt.Sprintf("<0x%02X>", b))
		types = append(types, 6) // byte
	}
	for _, w := range words() {
		tokens = append(tokens, w)
		types = append(types, 1) // normal
	}
	scores := make([]float32, len(tokens))
	for i := range scores {
		scores[i] = -float32(i)
	}
	nVocab := uint64(len(tokens))
	kv := ggml.KV{
		"general.architecture":                   "llama",
		"general.name":                           "tandem-tiny",
		"general.file_type":                      uint32(0),
		"llama.context_length":                   uint32(nCtx),
		"llama.embedding_length":                 uint32(nEmbd),
		"llama.block_count":                      uint32(nBlock),
		"llama.feed_forward_length":              uint32(nFF),
		"llama.attention.head_count":             uint32(nHead),
		"llama.attention.head_count_kv":          uint32(nHead),
		"llama.rope.dimension_count":             uint32(nRope),
		"llama.attention.layer_norm_rms_epsilon": float32(1e-5),
		"tokenizer.ggml.model":                   "llama",
		"tokenizer.ggml.tokens":                  tokens,
		"tokenizer.ggml.scores":                  scores,
		"tokenizer.ggml.token_type":              types,
		"tokenizer.ggml.bos_token_id":            uint32(1),
		"tokenizer.ggml.eos_token_id":            uint32(2),
		"tokenizer.ggml.unknown_token_id":        uint32(0),
	}
	rng := rand.New(rand.NewPCG(7, 7))
	random := func(shape ...uint64) ggml.Tensor {
		n := uint64(1)
		for _, s := range shape {
			n *= s
		}
		f := make(floats, n)
		for i := range f {
			f[i] = float32(rng.NormFloat64() * 0.02)
		}
		return ggml.Tensor{Kind: 0, Shape: shape, WriterTo: f}
	}
	ones := func(n uint64) ggml.Tensor {
		f := make(floats, n)
		for i := range f {
			f[i] = 1
		}
		return ggml.Tensor{Kind: 0, Shape: []uint64{n}, WriterTo: f}
	}
	named := func(name string, t ggml.Tensor) ggml.Tensor { t.Name = name; return t }
	// Shapes in PyTorch order (rows, columns), as ollama's converters pass them.
	ts := []ggml.Tensor{
		named("token_embd.weight", random(nVocab, nEmbd)),
		named("output_norm.weight", ones(nEmbd)),
		named("output.weight", random(nVocab, nEmbd)),
	}
	for i := range nBlock {
		p := fmt.Sprintf("blk.%d.", i)
		ts = append(ts,
			named(p+"attn_norm.weight", ones(nEmbd)),
			named(p+"attn_q.weight", random(nEmbd, nEmbd)),
			named(p+"attn_k.weight", random(nEmbd, nEmbd)),
			named(p+"attn_v.weight", random(nEmbd, nEmbd)),
			named(p+"attn_output.weight", random(nEmbd, nEmbd)),
			named(p+"ffn_norm.weight", ones(nEmbd)),
			named(p+"ffn_gate.weight", random(nFF, nEmbd)),
			named(p+"ffn_up.weight", random(nFF, nEmbd)),
			named(p+"ffn_down.weight", random(nEmbd, nFF)),
		)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := ggml.WriteGGUF(f, kv, ts); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Close()
}
