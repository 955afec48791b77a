package common

import (
	"strings"

	"github.com/tandem-ops/tandem/ui/backend"
)

// sparkBlocks are the eight heights a sparkline cell can take.
const sparkBlocks = "▁▂▃▄▅▆▇█"

// CumulativeRates turns hourly points into the running conversion rate.
func CumulativeRates(points []backend.SeriesPoint) []float64 {
	out := make([]float64, 0, len(points))
	var n, c uint64
	for _, p := range points {
		n += p.Exposures
		c += p.Converters
		if n > 0 {
			out = append(out, float64(c)/float64(n))
		}
	}
	return out
}

// Sparkline draws the last width values scaled between lo and hi, so that
// several lines can share one scale (SparklineOf scales one to its own range). A hand-rolled line of block
// runes: a charting library would cost more than these dozen lines.
func Sparkline(values []float64, width int, lo, hi float64) string {
	if len(values) > width {
		values = values[len(values)-width:]
	}
	blocks := []rune(sparkBlocks)
	var b strings.Builder
	for _, v := range values {
		i := 0
		if hi > lo {
			i = int((v - lo) / (hi - lo) * float64(len(blocks)-1))
		}
		b.WriteRune(blocks[max(0, min(i, len(blocks)-1))])
	}
	return b.String()
}

// SparklineOf draws values scaled to their own range.
func SparklineOf(values []float64) string {
	if len(values) == 0 {
		return ""
	}
	lo, hi := values[0], values[0]
	for _, v := range values {
		lo, hi = min(lo, v), max(hi, v)
	}
	return Sparkline(values, len(values), lo, hi)
}
