package keymap

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/bubbles/key"
)

// Label is how help shows keys: every one, arrows drawn as arrows, so
// that an alias such as k for ↑ is never a secret.
func Label(keys []string) string {
	return strings.Join(shown(keys), "/")
}

// shown is each key as help draws it.
func shown(keys []string) []string {
	arrows := strings.NewReplacer("up", "↑", "down", "↓", "left", "←", "right", "→")
	out := make([]string, len(keys))
	for i, k := range keys {
		switch {
		case k == "pgdown":
			out[i] = "pgdn"
		case strings.HasPrefix(k, "pg"):
			out[i] = k
		default:
			out[i] = arrows.Replace(k)
		}
	}
	return out
}

// pairLabel shows two bindings' keys as one help entry. Keys of one cell
// each go side by side, key by key ("↑↓/kj": ↑ or k, then ↓ or j); one
// key each, a slash between them ("pgup/pgdn"); otherwise each
// binding's keys side by side ("+=/-").
func pairLabel(first, second []string) string {
	a, b := shown(first), shown(second)
	narrow := func(ks []string) bool {
		for _, k := range ks {
			if utf8.RuneCountInString(k) != 1 {
				return false
			}
		}
		return true
	}
	switch {
	case len(a) == 1 && len(b) == 1:
		return a[0] + "/" + b[0]
	case len(a) == len(b) && narrow(a) && narrow(b):
		zipped := make([]string, len(a))
		for i := range a {
			zipped[i] = a[i] + b[i]
		}
		return strings.Join(zipped, "/")
	}
	return strings.Join(a, "") + "/" + strings.Join(b, "")
}

// pair labels first with its own and second's keys, for a view whose help
// shows the two as one entry ("↑↓/kj people"); the group declares second
// pairedWith first, so help leaves it out while that label stands.
func pair(first, second *key.Binding) {
	first.SetHelp(pairLabel(first.Keys(), second.Keys()), first.Help().Desc)
}

// Primary is b labelled with its first key alone, for the one-line help
// under every tab, where room is short; full help shows every key.
func Primary(b key.Binding) key.Binding {
	if keys := b.Keys(); len(keys) > 0 {
		b.SetHelp(Label(keys[:1]), b.Help().Desc)
	}
	return b
}
