package main

import (
	"os"
	"testing"
)

// TestMain lets a test run this very binary as the laurel command (with
// LAUREL_RUN_MAIN=1), so tests can start real laurel processes, and kill
// them, without a separate build.
func TestMain(m *testing.M) {
	if os.Getenv("LAUREL_RUN_MAIN") == "1" {
		os.Args = append([]string{"laurel"}, os.Args[1:]...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}
