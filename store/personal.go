package store

import (
	"context"
	"errors"
	"fmt"
	"maps"

	bolt "go.etcd.io/bbolt"

	"github.com/tandem-ops/tandem/core"
)

// personalPrefix starts the meta key of a person's own settings.
const personalPrefix = "person_settings/"

func personalKey(name string) []byte { return []byte(personalPrefix + name) }

// PersonalSettings returns name's own settings; none is an empty map.
func (s *Store) PersonalSettings(ctx context.Context, name string) (core.PersonalSettings, error) {
	out := core.PersonalSettings{}
	err := s.view(ctx, func(tx *bolt.Tx) error { return get(tx, bucketMeta, personalKey(name), &out) })
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("read %s's settings: %w", name, err)
	}
	return out, nil
}

// SetPersonalSetting sets one of name's own settings (value "" removes it)
// in one audited write, and returns them all.
func (s *Store) SetPersonalSetting(ctx context.Context, name, key, value string) (core.PersonalSettings, error) {
	var out core.PersonalSettings
	err := s.update(ctx, name, func(w *writeTx) error {
		current := core.PersonalSettings{}
		if err := get(w.tx, bucketMeta, personalKey(name), &current); err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		out = maps.Clone(current)
		if value == "" {
			delete(out, key)
		} else {
			out[key] = value
		}
		if err := out.Validate(); err != nil {
			return err
		}
		return w.putMeta(personalKey(name), KindSettings, "me.set", name, out)
	})
	if err != nil {
		return nil, fmt.Errorf("set %s's %s: %w", name, key, err)
	}
	return out, nil
}
