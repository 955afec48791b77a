package core

import (
	"strconv"
	"strings"
	"time"
)

// BriefFields are the fields of a brief a person edits, in the order the
// form shows them, with Stage last: the three-way merge of concurrent
// edits works field by field over them. ID, Version and the timestamps are
// the store's.
func BriefFields() []FieldOf[Brief] {
	text := func(name string, get func(*Brief) *string) FieldOf[Brief] {
		return FieldOf[Brief]{Name: name,
			Text: func(b Brief) string { return *get(&b) },
			Take: func(dst *Brief, src Brief) { *get(dst) = *get(&src) }}
	}
	day := func(name string, get func(*Brief) *time.Time) FieldOf[Brief] {
		return FieldOf[Brief]{Name: name,
			Text: func(b Brief) string { return dayText(*get(&b)) },
			Take: func(dst *Brief, src Brief) { *get(dst) = *get(&src) }}
	}
	return []FieldOf[Brief]{
		text("title", func(b *Brief) *string { return &b.Title }),
		text("objective", func(b *Brief) *string { return &b.Objective }),
		text("audience", func(b *Brief) *string { return &b.Audience }),
		text("channel", func(b *Brief) *string { return &b.Channel }),
		text("asset_type", func(b *Brief) *string { return &b.AssetType }),
		text("kpi_target", func(b *Brief) *string { return &b.KPITarget }),
		text("owner", func(b *Brief) *string { return &b.Owner }),
		text("skill", func(b *Brief) *string { return &b.Skill }),
		text("campaign", func(b *Brief) *string { return &b.Campaign }),
		day("start", func(b *Brief) *time.Time { return &b.Start }),
		day("due", func(b *Brief) *time.Time { return &b.Due }),
		{Name: "estimate_hours",
			Text: func(b Brief) string { return strconv.FormatFloat(b.EstimateHours, 'g', -1, 64) },
			Take: func(dst *Brief, src Brief) { dst.EstimateHours = src.EstimateHours }},
		{Name: "tags",
			Text: func(b Brief) string { return strings.Join(b.Tags, ", ") },
			Take: func(dst *Brief, src Brief) { dst.Tags = src.Tags }},
		{Name: "stage",
			Text: func(b Brief) string { return b.Stage.String() },
			Take: func(dst *Brief, src Brief) { dst.Stage = src.Stage }},
	}
}

// dayText shows a date as the CLI takes it, "" for none; a time of day,
// which briefs do not carry, is kept so that no two instants compare
// equal.
func dayText(t time.Time) string {
	switch {
	case t.IsZero():
		return ""
	case t.Equal(t.Truncate(24 * time.Hour)):
		return t.Format(time.DateOnly)
	}
	return t.Format(time.RFC3339Nano)
}
