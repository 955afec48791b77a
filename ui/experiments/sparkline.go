package experiments

import (
	"strings"

	"github.com/tandem-ops/tandem/store"
)

// sparkBlocks are the eight heights a sparkline cell can take.
const sparkBlocks = "▁▂▃▄▅▆▇█"

// cumulativeRates turns hourly points into the running conversion rate.
func cumulativeRates(points []store.SeriesPoint) []float64 {
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

// sparkline draws the last width values scaled between lo and hi, so that
// lines for several variants share one scale. A hand-rolled line of block
// runes: a charting library would cost more than these dozen lines.
func sparkline(values []float64, width int, lo, hi float64) string {
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
