package httpapi

import (
	"context"
	"fmt"
	"time"
)

// gate bounds how many requests do expensive work at once. Verification
// canonicalizes JSON-LD, which costs milliseconds of CPU and cannot be
// interrupted; without a bound, a flood of requests would queue unbounded
// work and starve every other request, health checks included.
type gate struct {
	slots chan struct{}
	wait  time.Duration
}

func newGate(slots int, wait time.Duration) *gate {
	return &gate{slots: make(chan struct{}, slots), wait: wait}
}

// enter takes a slot, waiting at most g.wait for one. It returns an error
// wrapping ErrBusy when none came free, or the context's error when the
// client went away first. A caller that entered must leave.
func (g *gate) enter(ctx context.Context) error {
	select {
	case g.slots <- struct{}{}:
		return nil
	default:
	}

	timer := time.NewTimer(g.wait)
	defer timer.Stop()
	select {
	case g.slots <- struct{}{}:
		return nil
	case <-timer.C:
		return fmt.Errorf("%w: all %d verification slots stayed taken for %v",
			ErrBusy, cap(g.slots), g.wait)
	case <-ctx.Done():
		return fmt.Errorf("waiting for a verification slot: %w", ctx.Err())
	}
}

// leave gives the slot back.
func (g *gate) leave() { <-g.slots }
