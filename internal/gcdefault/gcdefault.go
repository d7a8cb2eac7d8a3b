// Package gcdefault gives a Laurel server process its garbage collector
// settings: a less eager collector than the Go runtime's default, bounded by
// a soft memory limit. An operator overrides either with the Go runtime's own
// environment variables, GOGC and GOMEMLIMIT.
//
// Why: a badge office keeps a small live heap (about 10 MB: the processed
// JSON-LD contexts, the compiled JSON Schemas) while every verification
// allocates about 150 KB and frees it at once. With the runtime's default
// (GOGC=100) the heap may grow only by the live heap's size before the next
// collection, so under load the collector runs dozens of times a second
// and takes about a tenth of the CPU, mostly marking the same long-lived
// caches again. GCPercent lets the heap grow four times as far between
// collections; MemoryLimit keeps that from multiplying a large live heap.
package gcdefault

import "runtime/debug"

// The defaults Apply sets.
const (
	// GCPercent is the GOGC value a server runs with: the heap may grow by
	// four times the live heap before a collection, a few tens of MB for a
	// badge office.
	GCPercent = 400
	// MemoryLimit is the GOMEMLIMIT value a server runs with (512 MiB).
	// It is a soft limit on all the memory the Go runtime holds: close to
	// it the collector runs as often as it must, whatever GCPercent says.
	// Set GOMEMLIMIT below the memory of a smaller machine or container.
	MemoryLimit = 512 << 20
)

// Applied records what Apply changed, so that Restore can undo it.
type Applied struct {
	// GCPercent is the GOGC value Apply set, or zero when the GOGC
	// environment variable is set and the runtime applied it instead.
	GCPercent int
	// MemoryLimit is the limit Apply set, in bytes, or zero when the
	// GOMEMLIMIT environment variable is set.
	MemoryLimit int64

	previousPercent int
	previousLimit   int64
}

// Apply sets GCPercent and MemoryLimit, each unless its environment
// variable (GOGC, GOMEMLIMIT) is set: the Go runtime has then applied the
// operator's value at start-up. getenv is os.Getenv outside tests.
func Apply(getenv func(string) string) Applied {
	var a Applied
	if getenv("GOGC") == "" {
		a.GCPercent = GCPercent
		a.previousPercent = debug.SetGCPercent(GCPercent)
	}
	if getenv("GOMEMLIMIT") == "" {
		a.MemoryLimit = MemoryLimit
		a.previousLimit = debug.SetMemoryLimit(MemoryLimit)
	}
	return a
}

// Restore puts back the settings Apply replaced. A server process never
// needs it; tests and benchmarks that share a process with others do.
func (a Applied) Restore() {
	if a.GCPercent != 0 {
		debug.SetGCPercent(a.previousPercent)
	}
	if a.MemoryLimit != 0 {
		debug.SetMemoryLimit(a.previousLimit)
	}
}
