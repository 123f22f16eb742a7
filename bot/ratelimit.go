package bot

import (
	"sync"
	"time"
)

// rateLimiter is a token bucket per owner. allow reports whether an update
// may proceed and, when it may not, whether this is the first refusal since the
// owner was last allowed (so the polite warning is sent once, not per update).
type rateLimiter struct {
	mu      sync.Mutex
	burst   float64
	every   time.Duration
	now     func() time.Time
	buckets map[int64]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
	warned bool
}

func newRateLimiter(burst int, every time.Duration, now func() time.Time) *rateLimiter {
	return &rateLimiter{burst: float64(burst), every: every, now: now, buckets: make(map[int64]*bucket)}
}

func (r *rateLimiter) allow(id int64) (ok, warn bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.now()
	bk := r.buckets[id]
	if bk == nil {
		if len(r.buckets) > 10000 {
			r.sweep(now)
		}
		bk = &bucket{tokens: r.burst, last: now}
		r.buckets[id] = bk
	}
	bk.tokens += float64(now.Sub(bk.last)) / float64(r.every)
	if bk.tokens > r.burst {
		bk.tokens = r.burst
	}
	bk.last = now
	if bk.tokens >= 1 {
		bk.tokens--
		bk.warned = false
		return true, false
	}
	warn = !bk.warned
	bk.warned = true
	return false, warn
}

// sweep drops buckets that have refilled completely: they carry no state.
func (r *rateLimiter) sweep(now time.Time) {
	full := time.Duration(r.burst) * r.every
	for id, bk := range r.buckets {
		if now.Sub(bk.last) >= full {
			delete(r.buckets, id)
		}
	}
}
