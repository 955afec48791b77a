package config

import (
	"github.com/tandem-ops/tandem/core"
)

// Personal reads a person's own settings as a config (theme, keys,
// colours), with the problems a config file would have.
func Personal(s core.PersonalSettings) (Config, []Problem) {
	return Parse("your settings", []byte(s.String()))
}

// Over returns c with what over sets taken from over: the local config
// file over a person's own settings, for the local terminal.
func (c Config) Over(over Config) Config {
	if over.Theme != "" {
		c.Theme = over.Theme
	}
	c.Keys, c.Colors = merged(c.Keys, over.Keys), merged(c.Colors, over.Colors)
	return c
}

func merged[V any](base, over map[string]V) map[string]V {
	out := make(map[string]V, len(base)+len(over))
	for k, v := range base {
		out[k] = v
	}
	for k, v := range over {
		out[k] = v
	}
	return out
}
