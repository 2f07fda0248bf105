//go:build !linux

package parser

import "time"

// threadCPU cannot be read here: TestParseStopsInTime measures wall time.
func threadCPU() (d time.Duration, ok bool) { return 0, false }
