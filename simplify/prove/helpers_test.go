package prove_test

import (
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser/parsetest"
)

// The shared helpers live in ast/asttest; these names keep the tests short.
type names = parsetest.Names

func namesOf(es ...ast.Expr) names { return parsetest.NamesOf(es...) }
func point(rng *rand.Rand, nm names, lo, hi float64) ast.Bindings {
	return parsetest.Point(rng, nm, lo, hi)
}
func near(a, b, rel, abs float64) bool { return parsetest.Near(a, b, rel, abs) }

func agreeAt(a, b ast.Expr, defs *ast.Defs, pt ast.Bindings, rel float64) (bool, string) {
	return parsetest.AgreeAt(a, b, defs, pt, rel)
}

// parseWith parses src knowing the functions of a rule set.

func defsFor(t *testing.T, which string) *ast.Defs { t.Helper(); return parsetest.DefsFor(t, which) }
