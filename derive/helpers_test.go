package derive_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/ast/asttest"
)

// The shared helpers live in ast/asttest; these names keep the tests short.
type names = asttest.Names

func namesOf(es ...ast.Expr) names { return asttest.NamesOf(es...) }
func dyadic(v float64) float64     { return asttest.Dyadic(v) }
func point(rng *rand.Rand, nm names, lo, hi float64) ast.Bindings {
	return asttest.Point(rng, nm, lo, hi)
}
func near(a, b, rel, abs float64) bool { return asttest.Near(a, b, rel, abs) }
func mustParse(t testing.TB, src string, defs *ast.Defs) ast.Expr {
	t.Helper()
	return asttest.MustParse(t, src, defs)
}
func logisticDefs(t testing.TB) *ast.Defs { t.Helper(); return asttest.LogisticDefs(t) }
func defsFrom(t testing.TB, src string) *ast.Defs {
	t.Helper()
	return asttest.DefsFrom(t, src)
}

func cos(x float64) float64    { return math.Cos(x) }
func sin(x float64) float64    { return math.Sin(x) }
func pow(x, y float64) float64 { return math.Pow(x, y) }
