package backend

import (
	"context"

	"github.com/tandem-ops/tandem/core"
)

// PersonalSettings returns who's own cockpit settings.
func (b *Backend) PersonalSettings(ctx context.Context, who core.Identity) (core.PersonalSettings, error) {
	return b.store.PersonalSettings(ctx, who.Name)
}

// SetPersonalSetting sets one of who's own settings (value "" removes it):
// anyone may set their own theme, keys and colours, a viewer too.
func (b *Backend) SetPersonalSetting(ctx context.Context, who core.Identity, key, value string) (core.PersonalSettings, error) {
	if err := core.Authorize(who, core.ActionRead); err != nil {
		return nil, err
	}
	if p := core.PersonalSettingKey(key); p != "" {
		return nil, &core.FieldError{Record: "setting", Field: key, Problem: p}
	}
	return b.store.SetPersonalSetting(ctx, who.Name, key, value)
}
