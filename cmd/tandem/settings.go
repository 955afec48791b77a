package main

import (
	"github.com/tandem-ops/tandem/ui/backend"
	"github.com/tandem-ops/tandem/ui/config"
)

// localConfig is what this process reads once, at start, from the
// environment and the config file: every interface below gets it as
// values, and none reads either itself.
type localConfig struct {
	path string
	cfg  config.Config
	// problems are what was wrong with the file; tandem then runs on
	// defaults and says so.
	problems []config.Problem
	// models are the caller's own model settings ($OLLAMA_HOST,
	// $TANDEM_MODEL over the config's model, $TANDEM_EMBED_MODEL), which a
	// forwarded command carries to the process holding the workspace.
	models backend.ModelSettings
	// settings are what a workspace opened here works with.
	settings backend.Settings
}

func loadLocalConfig(getenv func(string) string) localConfig {
	lc := localConfig{path: config.Path(getenv)}
	lc.cfg, lc.problems = config.Load(lc.path)
	if len(lc.problems) > 0 {
		lc.cfg = config.Config{}
	}
	lc.models = backend.ModelSettings{Host: getenv("OLLAMA_HOST"), Model: getenv("TANDEM_MODEL"), EmbedModel: getenv("TANDEM_EMBED_MODEL")}
	lc.settings = lc.cfg.Apply(backend.Settings{Models: lc.models})
	lc.models = lc.settings.Models
	return lc
}
