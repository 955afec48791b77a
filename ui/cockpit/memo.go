package cockpit

// memo keeps the last rendering of a part of the screen that rarely
// changes, keyed by everything it shows: the tab bar and the help line look
// the same on most frames, and every session draws a frame on every change.
type memo struct {
	key, out string
	set      bool
}

// get returns the rendering for key, calling render only when key changed.
func (c *memo) get(key string, render func() string) string {
	if !c.set || c.key != key {
		c.key, c.out, c.set = key, render(), true
	}
	return c.out
}
