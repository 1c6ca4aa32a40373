package poller

import (
	"math/rand/v2"
	"time"
)

// Backoff is exponential with jitter, capped: Base, 2×Base, 4×Base, ... up
// to Cap, each spread by Jitter. The zero value waits nothing.
type Backoff struct {
	Base, Cap time.Duration
	n         int
}

// Next returns the pause before the next attempt and counts the attempt.
func (b *Backoff) Next() time.Duration {
	d := b.Base
	for i := 0; i < b.n && d < b.Cap; i++ {
		d *= 2
	}
	b.n++
	return Jitter(min(d, b.Cap))
}

// Reset starts over from Base after a success.
func (b *Backoff) Reset() { b.n = 0 }

// Jitter spreads d over [d/2, d) so nodes do not retry in step.
func Jitter(d time.Duration) time.Duration {
	if d <= 1 {
		return d
	}
	return d/2 + rand.N(d/2)
}
