package ssh

import (
	"fmt"
	"sync"
	"time"
)

// personLimits bounds what one person can make the server do: how many
// commands they run at once, how fast they start new ones (a token bucket),
// and how many cockpits they keep open. A person is their name, so every
// key of theirs shares the same budget.
type personLimits struct {
	commands int     // at once
	rate     float64 // new commands per second, sustained
	burst    float64 // new commands at once after a pause
	sessions int     // cockpits at once

	mu     sync.Mutex
	people map[string]*personBudget
}

type personBudget struct {
	commands int
	sessions int
	tokens   float64
	refilled time.Time
}

func newPersonLimits(commands int, rate float64, burst, sessions int) *personLimits {
	return &personLimits{commands: commands, rate: rate, burst: float64(burst), sessions: sessions, people: map[string]*personBudget{}}
}

// limitError says which of a person's limits a request went over.
type limitError struct{ msg string }

func (e *limitError) Error() string { return e.msg }

func (l *personLimits) budget(name string, now time.Time) *personBudget {
	b := l.people[name]
	if b == nil {
		b = &personBudget{tokens: l.burst, refilled: now}
		l.people[name] = b
	}
	b.tokens = min(l.burst, b.tokens+now.Sub(b.refilled).Seconds()*l.rate)
	b.refilled = now
	return b
}

// startCommand takes a command slot for name, or says why not; release
// gives it back.
func (l *personLimits) startCommand(name string, now time.Time) (release func(), err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.budget(name, now)
	switch {
	case b.commands >= l.commands:
		return nil, &limitError{fmt.Sprintf("you are running %d commands on this server already; wait for one to finish", b.commands)}
	case b.tokens < 1:
		wait := time.Duration((1 - b.tokens) / l.rate * float64(time.Second)).Round(100 * time.Millisecond)
		return nil, &limitError{fmt.Sprintf("too many commands in a short time; try again in %v", max(wait, 100*time.Millisecond))}
	}
	b.tokens--
	b.commands++
	return func() { l.done(name, func(b *personBudget) { b.commands-- }) }, nil
}

// startSession takes a cockpit slot for name, or says why not.
func (l *personLimits) startSession(name string, now time.Time) (release func(), err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.budget(name, now)
	if b.sessions >= l.sessions {
		return nil, &limitError{fmt.Sprintf("you have %d cockpits open on this server already; close one first", b.sessions)}
	}
	b.sessions++
	return func() { l.done(name, func(b *personBudget) { b.sessions-- }) }, nil
}

// done applies release to name's budget and forgets a person with nothing
// running and a full bucket, so the map does not grow with every name ever
// seen.
func (l *personLimits) done(name string, release func(*personBudget)) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.people[name]
	if b == nil {
		return
	}
	release(b)
	if b.commands == 0 && b.sessions == 0 && b.tokens >= l.burst {
		delete(l.people, name)
	}
}
