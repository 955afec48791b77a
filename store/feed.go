package store

import (
	"sync"

	"github.com/tandem-ops/tandem/core"
)

// Kind and Change are core's: the types a write publishes, which every
// interface reads without importing the store.
type (
	Kind   = core.Kind
	Change = core.Change
)

// The kinds of change published on the feed.
const (
	KindBrief      = core.KindBrief
	KindPerson     = core.KindPerson
	KindExperiment = core.KindExperiment
	KindEvents     = core.KindEvents
	KindFlow       = core.KindFlow
	KindDecision   = core.KindDecision
	KindReview     = core.KindReview
	KindUser       = core.KindUser
	KindGenerated  = core.KindGenerated
	KindTaxonomy   = core.KindTaxonomy
	KindGuideline  = core.KindGuideline
	KindSettings   = core.KindSettings
	KindRetroNote  = core.KindRetroNote
	KindComponent  = core.KindComponent
	KindTemplate   = core.KindTemplate
	KindWebhook    = core.KindWebhook
	KindRun        = core.KindRun
	KindWorkspace  = core.KindWorkspace
)

// DefaultSubscriptionBuffer is how many changes a subscriber may fall behind
// before it is dropped.
const DefaultSubscriptionBuffer = 256

// Subscription receives every change committed after it was made, in commit
// order. A subscriber that falls more than its buffer behind is dropped: its
// channel closes and Dropped reports true, so it can reload and subscribe
// again. Writers never wait for subscribers.
type Subscription struct {
	c       chan Change
	feed    *feed
	dropped bool // guarded by feed.mu
}

// C returns the channel changes arrive on. It closes when the subscription
// ends: by Close, by the store closing, or by falling behind.
func (sub *Subscription) C() <-chan Change { return sub.c }

// Dropped reports whether the subscription ended because it fell behind.
func (sub *Subscription) Dropped() bool {
	sub.feed.mu.Lock()
	defer sub.feed.mu.Unlock()
	return sub.dropped
}

// Close ends the subscription. It is safe to call more than once.
func (sub *Subscription) Close() {
	sub.feed.mu.Lock()
	defer sub.feed.mu.Unlock()
	sub.feed.remove(sub)
}

type feed struct {
	mu     sync.Mutex
	subs   map[*Subscription]struct{}
	closed bool
	// latest is the sequence number of each kind's latest change.
	latest map[Kind]uint64
}

func newFeed() *feed {
	return &feed{subs: make(map[*Subscription]struct{}), latest: make(map[Kind]uint64)}
}

// note records changes as the latest of their kinds. A write notes its
// changes before it moves the store's sequence number, so whoever sees the
// new number sees them too.
func (f *feed) note(changes []Change) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, c := range changes {
		f.latest[c.Kind] = c.Seq
	}
}

// LatestOf returns the sequence number of the latest write this process
// committed that touched any of kinds (an import touches every kind), 0
// when there was none: a reader holding data as of sequence n re-reads a
// part only when LatestOf its kinds is past n.
func (s *Store) LatestOf(kinds ...Kind) uint64 {
	s.feed.mu.Lock()
	defer s.feed.mu.Unlock()
	latest := s.feed.latest[KindWorkspace]
	for _, k := range kinds {
		latest = max(latest, s.feed.latest[k])
	}
	return latest
}

// Subscribe starts a subscription with room for buffer changes (at least 1).
func (s *Store) Subscribe(buffer int) *Subscription {
	sub := &Subscription{c: make(chan Change, max(buffer, 1)), feed: s.feed}
	s.feed.mu.Lock()
	defer s.feed.mu.Unlock()
	if s.feed.closed {
		close(sub.c)
		return sub
	}
	s.feed.subs[sub] = struct{}{}
	return sub
}

func (f *feed) publish(changes []Change) {
	if len(changes) == 0 {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for sub := range f.subs {
		for _, c := range changes {
			select {
			case sub.c <- c:
			default:
				sub.dropped = true
				f.remove(sub)
			}
			if sub.dropped {
				break
			}
		}
	}
}

// remove ends sub; f.mu must be held.
func (f *feed) remove(sub *Subscription) {
	if _, ok := f.subs[sub]; ok {
		delete(f.subs, sub)
		close(sub.c)
	}
}

func (f *feed) close() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.closed = true
	for sub := range f.subs {
		f.remove(sub)
	}
}
