package core

import (
	"fmt"
	"strings"
)

// PersonalSettings are one person's own settings for the cockpit, kept in
// the workspace so they follow the person over SSH: setting name (theme,
// keys.NAME, color.NAME) → value, as the config file writes them.
type PersonalSettings map[string]string

// maxPersonalSettings bounds how many settings one person keeps.
const maxPersonalSettings = 64

// PersonalSettingKey reports what is wrong with a personal setting's name,
// or "" when it is one a person may set: their theme, a key or a colour.
// Workspace settings (model, calendar, SLA) are the server's.
func PersonalSettingKey(key string) string {
	switch {
	case key == "theme":
	case strings.HasPrefix(key, "keys.") || strings.HasPrefix(key, "color."):
		if p := IDProblem(key); p != "" {
			return p
		}
	default:
		return "is not a personal setting; use theme, keys.NAME or color.NAME (the model and calendar are the workspace's, set in the server's config)"
	}
	return ""
}

// Validate checks every name and value.
func (s PersonalSettings) Validate() error {
	f := fieldErrors{record: "personal settings"}
	if len(s) > maxPersonalSettings {
		f.add("settings", "are %d; at most %d are kept", len(s), maxPersonalSettings)
	}
	for k, v := range s {
		if p := PersonalSettingKey(k); p != "" {
			f.add(k, "%s", p)
			continue
		}
		if p := NameProblem(v, 100); p != "" {
			f.add(k, "%s", p)
		}
	}
	return f.err()
}

// String writes the settings as config lines, in name order.
func (s PersonalSettings) String() string {
	var b strings.Builder
	for _, k := range sortedKeys(s) {
		fmt.Fprintf(&b, "%s = %s\n", k, s[k])
	}
	return b.String()
}
