package backend

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strings"

	"github.com/tandem-ops/tandem/core"
)

// DefaultKafkaColumns are the CSV columns a Kafka record carries when
// KafkaSource.Columns names none: records have no header row.
func DefaultKafkaColumns() []string {
	return []string{"ts", "experiment", "variant", "unit", "type", "value", "id"}
}

// recordDecoder turns a Kafka record's value into events: each non-empty
// line is one event, as a line of a JSONL or CSV file.
type recordDecoder struct {
	json   core.EventDecoder
	csv    core.CSVHeader
	header string // the columns joined by commas: a record that repeats them is skipped
}

func newRecordDecoder(format string, columns []string) (*recordDecoder, error) {
	switch format {
	case "", "jsonl", "json":
		return &recordDecoder{}, nil
	case "csv":
		if len(columns) == 0 {
			columns = DefaultKafkaColumns()
		}
		h, err := core.ParseCSVHeader(columns)
		if err != nil {
			return nil, &core.FieldError{Record: "kafka source", Field: "columns", Problem: err.Error()}
		}
		return &recordDecoder{csv: h, header: strings.Join(columns, ",")}, nil
	}
	return nil, &core.FieldError{Record: "kafka source", Field: "format", Problem: fmt.Sprintf("is %q; use jsonl or csv", format)}
}

// decode calls fn with each event of value, or with the reason a line was
// refused.
func (d *recordDecoder) decode(value []byte, fn func(core.Event, error)) {
	for line := range bytes.SplitSeq(value, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		if d.csv == nil {
			fn(d.json.Decode(string(line)))
			continue
		}
		if string(line) == d.header {
			continue
		}
		r := csv.NewReader(bytes.NewReader(line))
		r.FieldsPerRecord = -1
		record, err := r.Read()
		if err != nil {
			fn(core.Event{}, fmt.Errorf("not a CSV record: %w", err))
			continue
		}
		fn(d.csv.Event(record))
	}
}
