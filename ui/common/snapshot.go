package common

// Same reports whether a and b are the same slice, not just equal ones: a
// part of the snapshot that was not re-read. Views skip recomputing what
// they derive from parts that did not change.
func Same[T any](a, b []T) bool { return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0]) }
