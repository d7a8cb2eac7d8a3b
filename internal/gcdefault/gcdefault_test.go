package gcdefault_test

import (
	"runtime/debug"
	"testing"

	"github.com/laurel-badges/laurel/internal/gcdefault"
)

// gcPercent reads the current GOGC value; the runtime has no getter.
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

func memoryLimit() int64 { return debug.SetMemoryLimit(-1) }

func TestApplySetsDefaults(t *testing.T) {
	percent, limit := gcPercent(), memoryLimit()

	a := gcdefault.Apply(func(string) string { return "" })
	if a.GCPercent != gcdefault.GCPercent || a.MemoryLimit != gcdefault.MemoryLimit {
		t.Errorf("Apply reports %+v", a)
	}
	if got := gcPercent(); got != gcdefault.GCPercent {
		t.Errorf("GOGC is %d, want %d", got, gcdefault.GCPercent)
	}
	if got := memoryLimit(); got != gcdefault.MemoryLimit {
		t.Errorf("memory limit is %d, want %d", got, gcdefault.MemoryLimit)
	}

	a.Restore()
	if gcPercent() != percent || memoryLimit() != limit {
		t.Errorf("Restore left GOGC %d and limit %d, want %d and %d",
			gcPercent(), memoryLimit(), percent, limit)
	}
}

// An operator's GOGC or GOMEMLIMIT, which the runtime has applied, stays.
func TestApplyKeepsTheOperatorsSettings(t *testing.T) {
	env := map[string]string{"GOGC": "150", "GOMEMLIMIT": "2GiB"}
	for name := range env {
		t.Run(name, func(t *testing.T) {
			percent, limit := gcPercent(), memoryLimit()
			a := gcdefault.Apply(func(key string) string {
				if key == name {
					return env[key]
				}
				return ""
			})
			defer a.Restore()

			switch name {
			case "GOGC":
				if a.GCPercent != 0 || gcPercent() != percent {
					t.Errorf("GOGC changed to %d (Apply reports %+v)", gcPercent(), a)
				}
			case "GOMEMLIMIT":
				if a.MemoryLimit != 0 || memoryLimit() != limit {
					t.Errorf("memory limit changed to %d (Apply reports %+v)", memoryLimit(), a)
				}
			}
		})
	}
}
