// Package models talks to a local Ollama server: it lists models, streams
// generations, asks for structured copy variants (validated and retried,
// because schema adherence is not guaranteed) and records exactly how each
// variant was made. It stores nothing; callers persist what it returns.
package models

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/ollama/ollama/api"
)

var (
	// ErrNotRunning is returned when nothing answers at the Ollama host.
	ErrNotRunning = errors.New("Ollama is not running")
	// ErrModelMissing is returned when the server does not have the model.
	ErrModelMissing = errors.New("model not found")
	// ErrBadReply is returned when the server answers with something that is
	// not what its API promises.
	ErrBadReply = errors.New("unexpected reply from Ollama")
)

// Client is an Ollama client with tandem's error messages.
type Client struct {
	api  *api.Client
	host string
	// remote is set when the people the client answers are on other
	// machines (tandem serve's users).
	remote bool
}

// DefaultHost is where Ollama listens unless OLLAMA_HOST says otherwise.
const DefaultHost = "127.0.0.1:11434"

// New returns a client for host ("127.0.0.1:11434" or a URL).
func New(host string, timeout time.Duration) (*Client, error) {
	raw := host
	if !strings.Contains(raw, "://") {
		raw = "http://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("OLLAMA_HOST %q: %w", host, err)
	}
	transport := &http.Transport{ResponseHeaderTimeout: timeout, DialContext: (&net.Dialer{Timeout: 2 * time.Second}).DialContext}
	return &Client{api: api.NewClient(u, &http.Client{Transport: transport}), host: u.Host}, nil
}

// Host returns the server's address.
func (c *Client) Host() string { return c.host }

// ForRemote returns a client whose errors are for people on other
// machines (tandem serve's users): they name neither the Ollama host nor
// what Ollama says of the server's files, and send people to the server's
// admin, the one who can start Ollama or pull a model.
func (c *Client) ForRemote() *Client {
	r := *c
	r.remote = true
	return &r
}

// explain turns transport and API errors into ones that say what to do,
// to the person the client answers.
func (c *Client) explain(model string, err error) error {
	err = c.explainHere(model, err)
	if !c.remote || err == nil || errors.Is(err, context.Canceled) {
		return err
	}
	return explainRemote(model, err)
}

// explainRemote is an explained error said to a person on another
// machine, who can ask the server's admin and do no more.
func explainRemote(model string, err error) error {
	var netErr net.Error
	switch {
	case errors.Is(err, ErrNotRunning):
		return fmt.Errorf("%w on the server; ask its admin to start it (`ollama serve`)", ErrNotRunning)
	case errors.Is(err, ErrModelMissing):
		return fmt.Errorf("%w: %q is not on the server; ask its admin to run `ollama pull %s`", ErrModelMissing, model, model)
	case errors.Is(err, ErrBadReply):
		return fmt.Errorf("%w on the server; try again, or ask its admin, whose Ollama log says why", ErrBadReply)
	case errors.As(err, &netErr) && netErr.Timeout():
		return fmt.Errorf("Ollama on the server did not answer in time; try again, or ask its admin: %w", os.ErrDeadlineExceeded)
	}
	return fmt.Errorf("%w on the server; ask its admin, whose Ollama log says why", ErrBadReply)
}

// explainHere is explain for a person on the machine that runs Ollama or
// points at it, who can start it, pull a model or set OLLAMA_HOST.
func (c *Client) explainHere(model string, err error) error {
	if err == nil || errors.Is(err, ErrNotRunning) || errors.Is(err, ErrModelMissing) || errors.Is(err, ErrBadReply) {
		return err // explained already
	}
	var status api.StatusError
	var netErr net.Error
	var opErr *net.OpError
	switch {
	case errors.As(err, &status) && status.StatusCode == http.StatusNotFound:
		return fmt.Errorf("%w: %q is not on %s; run `ollama pull %s`", ErrModelMissing, model, c.host, model)
	case errors.As(err, &status):
		return fmt.Errorf("%w: %s (%d): %s", ErrBadReply, c.host, status.StatusCode, status.ErrorMessage)
	case errors.As(err, &opErr) && opErr.Op == "dial":
		return fmt.Errorf("%w at %s; start it with `ollama serve` (or set OLLAMA_HOST)", ErrNotRunning, c.host)
	case errors.As(err, &netErr) && netErr.Timeout():
		return fmt.Errorf("Ollama at %s did not answer in time: %w", c.host, err)
	case errors.Is(err, context.Canceled):
		return err
	}
	// A streaming reply reports errors as text in the stream, not a status.
	if model != "" && strings.Contains(err.Error(), "not found") {
		return fmt.Errorf("%w: %q is not on %s (%v); run `ollama pull %s`", ErrModelMissing, model, c.host, err, model)
	}
	if strings.Contains(err.Error(), "connection refused") {
		return fmt.Errorf("%w at %s; start it with `ollama serve` (or set OLLAMA_HOST)", ErrNotRunning, c.host)
	}
	return fmt.Errorf("%w: %v", ErrBadReply, err)
}

// Model is a model the server has.
type Model struct {
	Name     string    `json:"name"`
	Digest   string    `json:"digest"`
	Size     int64     `json:"size"`
	Modified time.Time `json:"modified"`
	Family   string    `json:"family,omitempty"`
	Params   string    `json:"parameters,omitempty"`
}

// Models lists the server's local models.
func (c *Client) Models(ctx context.Context) ([]Model, error) {
	res, err := c.api.List(ctx)
	if err != nil {
		return nil, c.explain("", err)
	}
	out := make([]Model, len(res.Models))
	for i, m := range res.Models {
		out[i] = Model{Name: m.Name, Digest: m.Digest, Size: m.Size, Modified: m.ModifiedAt, Family: m.Details.Family, Params: m.Details.ParameterSize}
	}
	return out, nil
}

// Info is what generation needs to know about a model.
type Info struct {
	Digest string
	// ContextLength is the model's trained context window, 0 when unknown.
	ContextLength int
}

// Show returns a model's digest and context length.
func (c *Client) Show(ctx context.Context, model string) (Info, error) {
	models, err := c.Models(ctx)
	if err != nil {
		return Info{}, err
	}
	var info Info
	for _, m := range models {
		if m.Name == model || strings.TrimSuffix(m.Name, ":latest") == model {
			info.Digest = m.Digest
		}
	}
	if info.Digest == "" {
		return info, c.explain(model, fmt.Errorf("%w: %q is not on %s; run `ollama pull %s`", ErrModelMissing, model, c.host, model))
	}
	res, err := c.api.Show(ctx, &api.ShowRequest{Model: model})
	if err != nil {
		return info, c.explain(model, err)
	}
	for k, v := range res.ModelInfo {
		if strings.HasSuffix(k, ".context_length") {
			if f, ok := v.(float64); ok {
				info.ContextLength = int(f)
			}
		}
	}
	return info, nil
}

// Pull fetches a model, reporting progress as completed and total bytes.
func (c *Client) Pull(ctx context.Context, model string, progress func(status string, completed, total int64)) error {
	err := c.api.Pull(ctx, &api.PullRequest{Model: model}, func(p api.ProgressResponse) error {
		progress(p.Status, p.Completed, p.Total)
		return nil
	})
	if err != nil {
		return fmt.Errorf("pull %s (it needs network access to the model registry): %w", model, c.explain(model, err))
	}
	return nil
}

// Embed returns one embedding per text from an embedding-capable model.
func (c *Client) Embed(ctx context.Context, model string, texts []string) ([][]float32, error) {
	res, err := c.api.Embed(ctx, &api.EmbedRequest{Model: model, Input: texts})
	if err != nil {
		return nil, c.explain(model, err)
	}
	if len(res.Embeddings) != len(texts) {
		return nil, fmt.Errorf("%w: %d embeddings for %d texts", ErrBadReply, len(res.Embeddings), len(texts))
	}
	return res.Embeddings, nil
}
