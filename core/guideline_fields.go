package core

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// GuidelineFields are the brand guidelines' fields, for the three-way
// merge of a save made from an older version.
func GuidelineFields() []FieldOf[BrandGuideline] {
	return []FieldOf[BrandGuideline]{
		{Name: "voice", Text: func(g BrandGuideline) string { return g.Voice },
			Take: func(dst *BrandGuideline, src BrandGuideline) { dst.Voice = src.Voice }},
		{Name: "banned", Text: func(g BrandGuideline) string { return strings.Join(g.Banned, ", ") },
			Take: func(dst *BrandGuideline, src BrandGuideline) { dst.Banned = src.Banned }},
		{Name: "preferred", Text: func(g BrandGuideline) string { return mapText(g.Preferred) },
			Take: func(dst *BrandGuideline, src BrandGuideline) { dst.Preferred = src.Preferred }},
		{Name: "required", Text: func(g BrandGuideline) string { return strings.Join(g.Required, ", ") },
			Take: func(dst *BrandGuideline, src BrandGuideline) { dst.Required = src.Required }},
		{Name: "max_length", Text: func(g BrandGuideline) string { return mapText(g.MaxLength) },
			Take: func(dst *BrandGuideline, src BrandGuideline) { dst.MaxLength = src.MaxLength }},
		{Name: "reading_level", Text: func(g BrandGuideline) string { return strconv.FormatFloat(g.ReadingLevel, 'g', -1, 64) },
			Take: func(dst *BrandGuideline, src BrandGuideline) { dst.ReadingLevel = src.ReadingLevel }},
	}
}

// mapText shows a map as "k=v" pairs in key order.
func mapText[V any](m map[string]V) string {
	parts := make([]string, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%s=%v", k, m[k]))
	}
	return strings.Join(parts, ", ")
}
