package common

import "github.com/tandem-ops/tandem/core"

// ClaimMark names a claim's state with a symbol, so it reads without colour.
func ClaimMark(s core.ClaimState) string {
	switch s {
	case core.ClaimSupported:
		return "✓ supported"
	case core.ClaimStale:
		return "! stale"
	}
	return "✗ unsupported"
}
