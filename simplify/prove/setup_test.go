package prove_test

import (
	"context"

	"github.com/symdiff/symdiff/rules/load"
)

// bg and builtin are what most tests run the engine with.
var (
	bg      = context.Background()
	builtin = load.Builtin()
)
