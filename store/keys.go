package store

import (
	"encoding/binary"
	"fmt"
	"strconv"
)

// Bucket names. Records are keyed by big-endian sequence numbers, so a
// cursor walks them in creation order; experiments are keyed by their key.
var (
	bucketMeta        = []byte("meta")
	bucketBriefs      = []byte("briefs")
	bucketBriefStage  = []byte("briefs_by_stage")
	bucketPeople      = []byte("people")
	bucketExperiments = []byte("experiments")
	bucketTotals      = []byte("variant_totals")
	bucketEventLog    = []byte("event_log")
	bucketSeries      = []byte("series")
	bucketFlows       = []byte("approval_flows")
	bucketDecisions   = []byte("decisions")
	bucketReviews     = []byte("reviews")
	bucketUsers       = []byte("users")
	bucketHistory     = []byte("stage_history")
	bucketGenerated   = []byte("generated")
	bucketEmbeddings  = []byte("embeddings")
	bucketAudit       = []byte("audit")
	bucketGuidelines  = []byte("guidelines")
	bucketRetroNotes  = []byte("retro_notes")
	// bucketRevisions keeps recent versions of versioned records, the
	// bases of edits made from older versions (revisions.go). It is not
	// exported: an imported workspace starts its history afresh.
	bucketRevisions = []byte("revisions")
	// bucketComponents holds reusable copy components by ID.
	bucketComponents = []byte("components")
	// bucketSourceOffsets keeps, for each stream ingest reads (a Kafka
	// topic for a consumer group), the next offset of each partition,
	// written in the transaction that stores what came before it
	// (sources.go). It is not exported: it belongs to this file's totals.
	bucketSourceOffsets = []byte("source_offsets")
	// bucketAggregates keeps daily per-variant aggregates a warehouse
	// query sent (aggregates.go), added to the variants' totals on read.
	bucketAggregates = []byte("aggregates")
	// bucketWebhooks holds alert subscriptions by ID, with their fired
	// alerts and delivery status (webhooks.go).
	bucketWebhooks = []byte("webhooks")
	// bucketWebhookSecrets holds each signed webhook's secret by ID. It
	// is not exported: an export never holds a secret in clear.
	bucketWebhookSecrets = []byte("webhook_secrets")
	// bucketWebhookQueue holds the alerts waiting for each webhook, keyed
	// by webhook ID and queue sequence, oldest first.
	bucketWebhookQueue = []byte("webhook_queue")
	// bucketWebhookLog holds the latest delivery attempts and drops by
	// sequence number, at most webhookLogLimit of them.
	bucketWebhookLog = []byte("webhook_log")
	// bucketTemplates keeps every version of every template (templates.go).
	bucketTemplates = []byte("templates")
	// bucketRuns keeps each brief's run of its template's recipe, by
	// brief ID (runs.go).
	bucketRuns = []byte("runs")

	keySchema   = []byte("schema")
	keyTaxonomy = []byte("taxonomy")
	// keyTemplateRequirements holds the asset types that require a template.
	keyTemplateRequirements = []byte("template_requirements")
)

func itob(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
}

func btoi(b []byte) uint64 { return binary.BigEndian.Uint64(b) }

// keyString names a record key in a message: its number when it is a
// sequence key, else its bytes in hex, as a damaged key may be any length.
func keyString(k []byte) string {
	if len(k) == 8 {
		return strconv.FormatUint(btoi(k), 10)
	}
	return fmt.Sprintf("%x", k)
}

// stageKey is the by-stage index key: the stage byte, then the brief ID.
func stageKey(stage uint8, id uint64) []byte {
	k := make([]byte, 9)
	k[0] = stage
	binary.BigEndian.PutUint64(k[1:], id)
	return k
}

// totalsKey is the per-variant totals key: experiment key, NUL, variant key.
func totalsKey(experiment, variant string) []byte {
	k := make([]byte, 0, len(experiment)+1+len(variant))
	k = append(k, experiment...)
	k = append(k, 0)
	return append(k, variant...)
}

// seriesKey is a variant's hourly bucket: the totals key, NUL, the hour
// since the Unix epoch, big-endian so hours sort in time order.
func seriesKey(experiment, variant string, hour int64) []byte {
	k := totalsKey(experiment, variant)
	k = append(k, 0)
	return append(k, itob(uint64(hour))...)
}
