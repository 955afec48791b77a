package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/tandem-ops/tandem/core"
)

// TemplateUses returns the latest version of every template, without its
// body, with how many briefs, flows or experiments (by its kind) name it,
// in key order (kind, then name), from one read.
func (s *Store) TemplateUses(ctx context.Context) ([]core.TemplateUse, error) {
	var out []core.TemplateUse
	err := s.view(ctx, func(tx *bolt.Tx) error {
		briefs, err := countTemplateField(tx, bucketBriefs)
		if err != nil {
			return err
		}
		flows, err := countTemplateField(tx, bucketFlows)
		if err != nil {
			return err
		}
		exps, err := countTemplateField(tx, bucketExperiments)
		if err != nil {
			return err
		}
		uses := map[core.TemplateKind]map[string]int{core.TemplateBrief: briefs, core.TemplateFlow: flows, core.TemplateExperiment: exps}
		c := tx.Bucket(bucketTemplates).Cursor()
		for k, v := c.First(); k != nil; {
			if len(k) < 10 || btoi(k[len(k)-8:]) != 0 {
				return damaged("a template has no head", fmt.Sprintf("%x", k))
			}
			u, err := decodeHead(k, v)
			if err != nil {
				return damaged("a template head does not decode", err)
			}
			u.Uses = uses[u.Kind][u.Name]
			out = append(out, u)
			// Past this template's versions: its prefix ends in NUL, and
			// no key of the next one sorts before the prefix ending in 1.
			next := bytes.Clone(k[:len(k)-8])
			next[len(next)-1] = 1
			k, v = c.Seek(next)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("count template uses: %w", err)
	}
	return out, nil
}

// templateFieldKey is how a brief or flow names its template in its JSON. The
// bytes cannot occur inside a JSON string, where every quote is escaped,
// so finding them finds the key.
var templateFieldKey = []byte(`"template":"`)

// countTemplateField counts the records of bucket by the template they
// name, reading only that string of each: decoding 2,000 whole briefs to
// count them took most of a listing's time.
func countTemplateField(tx *bolt.Tx, bucket []byte) (map[string]int, error) {
	counts := map[string]int{}
	err := tx.Bucket(bucket).ForEach(func(k, v []byte) error {
		i := bytes.LastIndex(v, templateFieldKey)
		if i < 0 {
			return nil
		}
		start := i + len(templateFieldKey) - 1 // the opening quote
		end := start + 1
		for end < len(v) && v[end] != '"' {
			if v[end] == '\\' {
				end++
			}
			end++
		}
		if end >= len(v) {
			return damaged(fmt.Sprintf("%s record %s names a template it does not end", bucket, keyString(k)), "unterminated string")
		}
		quoted := v[start : end+1]
		if bytes.IndexByte(quoted, '\\') < 0 {
			counts[string(quoted[1:len(quoted)-1])]++
			return nil
		}
		var name string
		if err := json.Unmarshal(quoted, &name); err != nil {
			return damaged(fmt.Sprintf("%s record %s names a template that does not decode", bucket, keyString(k)), err)
		}
		counts[name]++
		return nil
	})
	return counts, err
}
