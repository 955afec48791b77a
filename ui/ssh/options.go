package ssh

import (
	"fmt"
	"log/slog"
	"time"
)

// DefaultOptions returns the limits and timeouts `tandem serve` starts
// with, and its address; New gives a zero limit or timeout its value
// from here.
func DefaultOptions() Options {
	return Options{
		Listen:            "127.0.0.1:2323",
		MaxSessions:       100,
		IdleTimeout:       30 * time.Minute,
		HandshakeTimeout:  10 * time.Second,
		MaxWaitingPerAddr: 16,
		MaxWaiting:        256,
		CommandsPerPerson: 4,
		CommandRate:       5,
		CommandBurst:      20,
		CockpitsPerPerson: 8,
	}
}

// setDefaults gives every zero limit and timeout its default, and the
// clock and log theirs. A negative value is left for Validate to refuse.
func (o *Options) setDefaults() {
	d := DefaultOptions()
	setInt := func(v *int, def int) {
		if *v == 0 {
			*v = def
		}
	}
	setInt(&o.MaxSessions, d.MaxSessions)
	setInt(&o.MaxWaitingPerAddr, d.MaxWaitingPerAddr)
	setInt(&o.MaxWaiting, d.MaxWaiting)
	setInt(&o.CommandsPerPerson, d.CommandsPerPerson)
	setInt(&o.CommandBurst, d.CommandBurst)
	setInt(&o.CockpitsPerPerson, d.CockpitsPerPerson)
	if o.CommandRate == 0 {
		o.CommandRate = d.CommandRate
	}
	if o.IdleTimeout == 0 {
		o.IdleTimeout = d.IdleTimeout
	}
	if o.HandshakeTimeout == 0 {
		o.HandshakeTimeout = d.HandshakeTimeout
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
}

// Validate returns an error naming the first limit or timeout out of its
// range, by its `tandem serve` flag where it has one, with the range
// allowed. A zero limit or timeout is refused too: New gives those their
// defaults before it validates, and a flag given as zero is a mistake,
// not a request for the default.
func (o Options) Validate() error {
	ints := []struct {
		name     string
		v        int
		min, max int
	}{
		{"--max-sessions", o.MaxSessions, 1, 100_000},
		{"--commands-per-person", o.CommandsPerPerson, 1, 1000},
		{"MaxWaitingPerAddr", o.MaxWaitingPerAddr, 1, 100_000},
		{"MaxWaiting", o.MaxWaiting, 1, 1_000_000},
		{"CommandBurst", o.CommandBurst, 1, 100_000},
		{"CockpitsPerPerson", o.CockpitsPerPerson, 1, 1000},
	}
	for _, n := range ints {
		if n.v < n.min || n.v > n.max {
			return fmt.Errorf("%s %d: use %d to %d", n.name, n.v, n.min, n.max)
		}
	}
	// Written so that NaN fails too.
	if !(o.CommandRate > 0 && o.CommandRate <= 10_000) {
		return fmt.Errorf("--command-rate %v: use more than 0 and at most 10000 commands a second", o.CommandRate)
	}
	durations := []struct {
		name    string
		v       time.Duration
		min     time.Duration
		max     time.Duration
		allowed string
	}{
		{"--idle-timeout", o.IdleTimeout, time.Second, 7 * 24 * time.Hour, "1s to 168h (a week)"},
		{"--handshake-timeout", o.HandshakeTimeout, time.Second, 10 * time.Minute, "1s to 10m"},
	}
	for _, d := range durations {
		if d.v < d.min || d.v > d.max {
			return fmt.Errorf("%s %v: use %s", d.name, d.v, d.allowed)
		}
	}
	if o.CommandDeadline < 0 || o.StreamDeadline < 0 {
		return fmt.Errorf("command deadlines %v and %v: use 0 (the defaults) or more", o.CommandDeadline, o.StreamDeadline)
	}
	return nil
}
