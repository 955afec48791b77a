package backend

import (
	"context"
	"sync"
	"time"

	"github.com/tandem-ops/tandem/core"
	"github.com/tandem-ops/tandem/core/kpi"
	"github.com/tandem-ops/tandem/store"
)

// RetroView is what the Retro tab shows for one period and campaign: every
// KPI against the period before, what stalled, what worked, the notes,
// and the most used templates with how their briefs did.
type RetroView struct {
	Trends    []kpi.Trend
	Stalled   []kpi.Stall
	Wins      []string
	Notes     []core.RetroNote
	Templates []kpi.TemplateResult
}

// retroTemplates is how many templates the Retro lists.
const retroTemplates = 5

// RetroQuery names one Retro: the period [From, To), a campaign ("" for
// all), and the time Stalled counts to (callers round it, so that
// sessions share one).
type RetroQuery struct {
	From, To time.Time
	Campaign string
	Day      time.Time
}

// retroCache keeps the Retros computed at the latest write, so that when a
// write wakes every session the KPIs over the whole history are computed
// once per period asked for, not once per session.
type retroCache struct {
	mu      sync.Mutex
	seq     uint64
	entries map[RetroQuery]*retroEntry
}

type retroEntry struct {
	once sync.Once
	view RetroView
	err  error
}

// maxRetroEntries bounds the cache: a handful of periods and campaigns
// per write.
const maxRetroEntries = 32

// retroKinds are the records a Retro reads: a write of anything else (an
// event batch) leaves every cached Retro as it is.
var retroKinds = []store.Kind{store.KindBrief, store.KindPerson, store.KindExperiment, store.KindReview,
	store.KindDecision, store.KindFlow, store.KindRetroNote}

// Retro returns the Retro for q as of the latest write it reads, computing
// it only when no session has asked for the same since that write.
func (b *Backend) Retro(ctx context.Context, q RetroQuery) (RetroView, error) {
	seq := b.store.LatestOf(retroKinds...)
	b.retros.mu.Lock()
	if b.retros.entries == nil || b.retros.seq != seq || len(b.retros.entries) >= maxRetroEntries {
		b.retros.seq, b.retros.entries = seq, map[RetroQuery]*retroEntry{}
	}
	e := b.retros.entries[q]
	if e == nil {
		e = &retroEntry{}
		b.retros.entries[q] = e
	}
	b.retros.mu.Unlock()
	e.once.Do(func() { e.view, e.err = b.computeRetro(ctx, q) })
	if e.err != nil {
		// Not kept: the error may be the asking session's own (it left).
		b.retros.mu.Lock()
		if b.retros.entries[q] == e {
			delete(b.retros.entries, q)
		}
		b.retros.mu.Unlock()
	}
	return e.view, e.err
}

func (b *Backend) computeRetro(ctx context.Context, q RetroQuery) (RetroView, error) {
	in, err := b.KPIInput(ctx, q.Day)
	if err != nil {
		return RetroView{}, err
	}
	if q.Campaign != "" {
		in = kpi.Split(in, func(br core.Brief) string { return br.Campaign })[q.Campaign]
	}
	notes, err := b.RetroNotes(ctx)
	if err != nil {
		return RetroView{}, err
	}
	wins, err := b.WhatWorked(ctx, in, q.From, q.To, q.Day)
	if err != nil {
		return RetroView{}, err
	}
	return RetroView{Trends: kpi.Trends(in, q.From, q.To), Stalled: kpi.Stalled(in, q.Day, 5), Wins: wins, Notes: notes,
		Templates: kpi.TemplateResults(in, q.From, q.To, retroTemplates)}, nil
}
