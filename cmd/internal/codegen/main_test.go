package codegen

import (
	"os"
	"testing"
)

// TestMain removes the Go drivers built for the tests (goDriver).
func TestMain(m *testing.M) {
	code := m.Run()
	if goBuilds.dir != "" {
		os.RemoveAll(goBuilds.dir)
	}
	os.Exit(code)
}
