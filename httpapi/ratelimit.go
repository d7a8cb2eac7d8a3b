package httpapi

import (
	"sync"
	"time"
)

// attemptLimiter counts failed attempts per key (a client address, an
// email) over a sliding window, to slow down password guessing. It lives
// in memory: a restart forgives everyone, which is acceptable for a
// limiter whose job is to make guessing slow, not impossible.
type attemptLimiter struct {
	limit  int
	window time.Duration
	now    func() time.Time

	mu       sync.Mutex
	failures map[string][]time.Time
}

// maxLimiterKeys bounds the limiter's memory under a flood of distinct
// keys; past it, the oldest knowledge is dropped wholesale.
const maxLimiterKeys = 100_000

func newAttemptLimiter(limit int, window time.Duration, now func() time.Time) *attemptLimiter {
	return &attemptLimiter{limit: limit, window: window, now: now, failures: map[string][]time.Time{}}
}

// allowed reports whether every key may try again; when one may not, it
// also says how long until it may.
func (l *attemptLimiter) allowed(keys ...string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()

	now := l.now()
	for _, key := range keys {
		recent := l.recent(key, now)
		if len(recent) >= l.limit {
			return false, recent[0].Add(l.window).Sub(now)
		}
	}
	return true, 0
}

// fail records one failed attempt for each key.
func (l *attemptLimiter) fail(keys ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()

	if len(l.failures) > maxLimiterKeys {
		clear(l.failures)
	}
	now := l.now()
	for _, key := range keys {
		l.failures[key] = append(l.recent(key, now), now)
	}
}

// recent drops key's failures older than the window and returns the rest.
func (l *attemptLimiter) recent(key string, now time.Time) []time.Time {
	list := l.failures[key]
	i := 0
	for i < len(list) && now.Sub(list[i]) >= l.window {
		i++
	}
	list = list[i:]
	if len(list) == 0 {
		delete(l.failures, key)
		return nil
	}
	l.failures[key] = list
	return list
}
