package derive_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser/parsetest"
)

// The shared helpers live in ast/asttest; these names keep the tests short.
type names = parsetest.Names

func namesOf(es ...ast.Expr) names { return parsetest.NamesOf(es...) }
func dyadic(v float64) float64     { return parsetest.Dyadic(v) }
func point(rng *rand.Rand, nm names, lo, hi float64) ast.Bindings {
	return parsetest.Point(rng, nm, lo, hi)
}
func near(a, b, rel, abs float64) bool { return parsetest.Near(a, b, rel, abs) }
func mustParse(t testing.TB, src string, defs *ast.Defs) ast.Expr {
	t.Helper()
	return parsetest.MustParse(t, src, defs)
}
func logisticDefs(t testing.TB) *ast.Defs { t.Helper(); return parsetest.LogisticDefs(t) }
func defsFrom(t testing.TB, src string) *ast.Defs {
	t.Helper()
	return parsetest.DefsFrom(t, src)
}

func cos(x float64) float64    { return math.Cos(x) }
func sin(x float64) float64    { return math.Sin(x) }
func pow(x, y float64) float64 { return math.Pow(x, y) }
