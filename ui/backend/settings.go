package backend

import (
	"time"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/models"
)

// Settings are what a backend works with beyond its store, fixed when the
// workspace is opened. cmd gathers them from flags, the environment and
// the config file; nothing below it reads either.
type Settings struct {
	Models ModelSettings
	// Hours is when SLA clocks run; zero is 09:00–17:00, Monday to Friday.
	Hours core.WorkingHours
	// Holidays stop SLA clocks and cut capacity.
	Holidays []time.Time
	// SLAHours is the SLA of a new flow's stages that give none; zero is
	// core.DefaultSLAHours.
	SLAHours float64
	// Guards are the default guards and decision rule of experiments that
	// have none of their own; zero is core.DefaultGuards.
	Guards core.Guards
	// MaxIndexBytes bounds the memory of the experiment event index of a
	// workspace opened with these settings (store.Options.MaxIndexBytes);
	// zero is no bound.
	MaxIndexBytes int
}

// ModelSettings say which Ollama server and models generation uses.
type ModelSettings struct {
	// Host is the Ollama server; zero is models.DefaultHost.
	Host string
	// Model generates variants unless a caller names another; zero is
	// DefaultModel.
	Model string
	// EmbedModel embeds briefs to retrieve past winners; zero is the
	// model a run generates with.
	EmbedModel string
	// Remote says the people generating are on other machines (tandem
	// serve's users): model errors name neither the Ollama host nor the
	// server's files, and send them to the server's admin.
	Remote bool
}

// DefaultModel is the model generation uses when none is set: small and
// general.
const DefaultModel = "llama3.2"

// modelTimeout bounds each non-streaming model request and the wait for a
// stream's first byte.
const modelTimeout = 2 * time.Minute

// withDefaults fills what s leaves zero.
func (s Settings) withDefaults() Settings {
	if s.Hours.Start == 0 && s.Hours.End == 0 {
		s.Hours = core.DefaultWorkingHours()
	}
	if s.SLAHours <= 0 {
		s.SLAHours = core.DefaultSLAHours
	}
	if s.Guards == (core.Guards{}) {
		s.Guards = core.DefaultGuards()
	}
	s.Models = s.Models.Or(ModelSettings{})
	return s
}

// Or returns m with what it leaves empty taken from base, then from the
// defaults: a caller's settings over the workspace's.
func (m ModelSettings) Or(base ModelSettings) ModelSettings {
	pick := func(vals ...string) string {
		for _, v := range vals {
			if v != "" {
				return v
			}
		}
		return ""
	}
	return ModelSettings{Host: pick(m.Host, base.Host, models.DefaultHost), Model: pick(m.Model, base.Model, DefaultModel),
		EmbedModel: pick(m.EmbedModel, base.EmbedModel), Remote: m.Remote || base.Remote}
}

// Client returns a client for the settings' Ollama server.
func (m ModelSettings) Client() (*models.Client, error) {
	c, err := models.New(m.Host, modelTimeout)
	if err != nil || !m.Remote {
		return c, err
	}
	return c.ForRemote(), nil
}

// Models returns the workspace's model settings.
func (b *Backend) Models() ModelSettings { return b.settings.Models }

// DefaultGuards returns the guards of experiments without their own.
func (b *Backend) DefaultGuards() core.Guards { return b.settings.Guards }
