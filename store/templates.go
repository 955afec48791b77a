package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/tandem-ops/tandem/core"
)

// Templates are kept under kind NUL name NUL version (big-endian), every
// version of every template, so a cursor walks a template's versions in
// order and the last is the latest. Names hold no NUL (core.NameProblem).
// Version 0 of each is its head: what a list shows of the latest version
// (encodeHead), so a list of a thousand reads no bodies.

// templateKey is the key of one version of a template.
func templateKey(kind core.TemplateKind, name string, version uint64) []byte {
	return append(templatePrefix(kind, name), itob(version)...)
}

// templatePrefix is what every version of a template's key starts with.
func templatePrefix(kind core.TemplateKind, name string) []byte {
	k := make([]byte, 0, len(kind)+len(name)+10)
	k = append(k, kind...)
	k = append(k, 0)
	k = append(k, name...)
	return append(k, 0)
}

// AddTemplate stores version 1 of a new template by actor. A name taken by
// a template of the same kind, in any case, is refused: edit that one.
func (s *Store) AddTemplate(ctx context.Context, actor string, t core.Template) (core.Template, error) {
	err := s.update(ctx, actor, func(w *writeTx) error {
		if existing, err := latestTemplate(w.tx, t.Kind, t.Name); err == nil {
			return &core.FieldError{Record: "template", Field: "name", Problem: fmt.Sprintf(
				"is taken by %s template %q; change that one with `tandem template edit %s NAME`", existing.Kind, existing.Name, existing.Kind)}
		} else if !errors.Is(err, ErrNotFound) {
			return err
		}
		t.Version, t.Retired, t.Author, t.Created = 1, false, actor, w.now
		return w.putTemplate(nil, t, "template.add")
	})
	if err != nil {
		return core.Template{}, fmt.Errorf("add %s template: %w", t.Kind, err)
	}
	return t, nil
}

// EditTemplate stores t as the next version of the template of its kind
// and name, made from version from (0: from the latest). An edit made
// from an older version than the latest is refused with a
// *core.ConflictError: a template is one whole, not merged field by field.
// An edit that changes nothing writes nothing; an edit of a retired
// template brings it back into use.
func (s *Store) EditTemplate(ctx context.Context, actor string, t core.Template, from uint64) (core.Template, error) {
	var saved core.Template
	err := s.update(ctx, actor, func(w *writeTx) error {
		old, err := latestTemplate(w.tx, t.Kind, t.Name)
		if err != nil {
			return err
		}
		if from != 0 && from != old.Version {
			return &core.ConflictError{Record: "template " + string(old.Kind) + "/" + old.Name, From: from, Current: old.Version, By: []string{old.Author},
				Hint: fmt.Sprintf("show it again (`tandem template show %s %q`) and edit version %d", old.Kind, old.Name, old.Version)}
		}
		t.Name = old.Name // the stored spelling
		if !old.Retired && sameBody(old, t) {
			saved = old
			return nil
		}
		t.Version, t.Retired, t.Author, t.Created = old.Version+1, false, actor, w.now
		saved = t
		return w.putTemplate(&old, t, "template.edit")
	})
	if err != nil {
		return core.Template{}, fmt.Errorf("edit %s template %q: %w", t.Kind, t.Name, err)
	}
	return saved, nil
}

// RetireTemplate stores a retired version of a template: it and its
// versions are kept, and what was made from it still names it, but nothing
// new is. Retiring a retired template writes nothing.
func (s *Store) RetireTemplate(ctx context.Context, actor string, kind core.TemplateKind, name string) (core.Template, error) {
	var saved core.Template
	err := s.update(ctx, actor, func(w *writeTx) error {
		old, err := latestTemplate(w.tx, kind, name)
		if err != nil {
			return err
		}
		saved = old
		if old.Retired {
			return nil
		}
		if kind == core.TemplateBrief {
			// A required template retired would leave its asset type with
			// no way to file a brief.
			req, err := readTemplateRequirements(w.tx)
			if err != nil {
				return err
			}
			for asset, tmpl := range req {
				if strings.EqualFold(tmpl, old.Name) {
					return &core.TemplateError{Ref: old.Ref(), Problem: fmt.Sprintf("is required for %s briefs; lift that first (`tandem template require %q --clear`)", asset, asset)}
				}
			}
		}
		saved.Version, saved.Retired, saved.Author, saved.Created = old.Version+1, true, actor, w.now
		return w.putTemplate(&old, saved, "template.retire")
	})
	if err != nil {
		return core.Template{}, fmt.Errorf("retire %s template %q: %w", kind, name, err)
	}
	return saved, nil
}

// Template returns version of the template of kind named name (in any
// case), the latest when version is 0; ErrNotFound when there is none.
func (s *Store) Template(ctx context.Context, kind core.TemplateKind, name string, version uint64) (core.Template, error) {
	var t core.Template
	err := s.view(ctx, func(tx *bolt.Tx) error {
		var err error
		if t, err = latestTemplate(tx, kind, name); err != nil || version == 0 || version == t.Version {
			return err
		}
		return get(tx, bucketTemplates, templateKey(kind, t.Name, version), &t)
	})
	if err != nil {
		return core.Template{}, fmt.Errorf("%s template %q: %w", kind, name, err)
	}
	return t, nil
}

// TemplateVersions returns every version of a template, oldest first.
func (s *Store) TemplateVersions(ctx context.Context, kind core.TemplateKind, name string) ([]core.Template, error) {
	var out []core.Template
	err := s.view(ctx, func(tx *bolt.Tx) error {
		latest, err := latestTemplate(tx, kind, name)
		if err != nil {
			return err
		}
		prefix := templatePrefix(kind, latest.Name)
		c := tx.Bucket(bucketTemplates).Cursor()
		for k, v := c.Seek(templateKey(kind, latest.Name, 1)); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var t core.Template
			if err := json.Unmarshal(v, &t); err != nil {
				return damaged("template "+keyString(k)+" does not decode", err)
			}
			out = append(out, t)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%s template %q: %w", kind, name, err)
	}
	return out, nil
}

// latestTemplate returns the latest version of the template of kind named
// name; when no name matches exactly, the one whose name matches in
// another case.
func latestTemplate(tx *bolt.Tx, kind core.TemplateKind, name string) (core.Template, error) {
	c := tx.Bucket(bucketTemplates).Cursor()
	prefix := templatePrefix(kind, name)
	var found []byte
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		found = v
	}
	if found == nil {
		kindPrefix := append([]byte(kind), 0)
		for k, v := c.Seek(kindPrefix); k != nil && bytes.HasPrefix(k, kindPrefix); k, v = c.Next() {
			if rest := k[len(kindPrefix):]; len(rest) > 9 && strings.EqualFold(string(rest[:len(rest)-9]), name) {
				found = v
			}
		}
	}
	if found == nil {
		return core.Template{}, fmt.Errorf("no %s template is named that; see `tandem template list`: %w", kind, ErrNotFound)
	}
	var t core.Template
	if err := json.Unmarshal(found, &t); err != nil {
		return t, damaged("template does not decode", err)
	}
	return t, nil
}

// putTemplate validates and writes a version of a template after old (nil
// for a new one), and records the write.
func (w *writeTx) putTemplate(old *core.Template, t core.Template, action string) error {
	if err := t.Validate(); err != nil {
		return err
	}
	v, err := json.Marshal(t)
	if err != nil {
		return err
	}
	bucket := w.tx.Bucket(bucketTemplates)
	if err := bucket.Put(templateKey(t.Kind, t.Name, t.Version), v); err != nil {
		return fmt.Errorf("put template: %w", err)
	}
	if err := bucket.Put(templateKey(t.Kind, t.Name, 0), encodeHead(t)); err != nil {
		return fmt.Errorf("put template head: %w", err)
	}
	var before []byte
	if old != nil {
		if before, err = json.Marshal(old); err != nil {
			return err
		}
	}
	return w.recordVersion(KindTemplate, action, string(t.Kind)+"/"+t.Name, t.Version, 0, before, v)
}

// sameBody reports whether two versions of a template say the same: their
// bodies encode alike (an empty list and none are the same).
func sameBody(a, b core.Template) bool {
	body := func(t core.Template) string {
		v, _ := json.Marshal(struct {
			B *core.BriefTemplate
			F *core.FlowTemplate
			E *core.ExperimentTemplate
		}{t.Brief, t.Flow, t.Experiment})
		return string(v)
	}
	return body(a) == body(b)
}

// checkTemplate checks a stored template: its key is its kind, name and
// version, and it passes the rules a write applies.
func checkTemplate(k, v []byte) error {
	if len(k) >= 8 && btoi(k[len(k)-8:]) == 0 {
		h, err := decodeHead(k, v)
		if err != nil {
			return err
		}
		if _, err := core.ParseTemplateKind(string(h.Kind)); err != nil || h.Version > maxRecordID ||
			core.NameProblem(h.Name, core.MaxNameLen) != "" || (h.Author != "" && core.NameProblem(h.Author, core.MaxNameLen) != "") {
			return errors.New("the template head holds a kind, name, version or author no write makes")
		}
		return nil
	}
	var t core.Template
	if err := decodeStrict(v, &t); err != nil {
		return err
	}
	if t.Version == 0 || t.Version > maxRecordID || !bytes.Equal(k, templateKey(t.Kind, t.Name, t.Version)) {
		return errors.New("the template is not stored under its kind, name and version")
	}
	return t.Validate()
}

// encodeHead is a template's head: its version (big-endian), 1 when it
// is retired (else 0), and its author. The kind and name are its key's.
// Not JSON: decoding a thousand JSON heads was most of a list's cost.
func encodeHead(t core.Template) []byte {
	v := make([]byte, 9, 9+len(t.Author))
	copy(v, itob(t.Version))
	if t.Retired {
		v[8] = 1
	}
	return append(v, t.Author...)
}

// decodeHead reads the head stored under k.
func decodeHead(k, v []byte) (core.TemplateUse, error) {
	kind, rest, ok := bytes.Cut(k, []byte{0})
	if !ok || len(rest) < 9 || len(v) < 9 || v[8] > 1 || btoi(v[:8]) == 0 {
		return core.TemplateUse{}, errors.New("the template head is malformed")
	}
	return core.TemplateUse{Kind: core.TemplateKind(kind), Name: string(rest[:len(rest)-9]), Version: btoi(v[:8]),
		Retired: v[8] == 1, Author: string(v[9:])}, nil
}
