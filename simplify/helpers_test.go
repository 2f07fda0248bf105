package simplify_test

import (
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/parser/parsetest"
	"github.com/symdiff/symdiff/rules"
	"github.com/symdiff/symdiff/rules/load"
)

// The shared helpers live in ast/asttest; these names keep the tests short.
type names = parsetest.Names

func namesOf(es ...ast.Expr) names { return parsetest.NamesOf(es...) }
func dyadic(v float64) float64     { return parsetest.Dyadic(v) }
func point(rng *rand.Rand, nm names, lo, hi float64) ast.Bindings {
	return parsetest.Point(rng, nm, lo, hi)
}
func mustParse(t testing.TB, src string, defs *ast.Defs) ast.Expr {
	t.Helper()
	return parsetest.MustParse(t, src, defs)
}
func logisticDefs(t testing.TB) *ast.Defs { t.Helper(); return parsetest.LogisticDefs(t) }

func agreeAt(a, b ast.Expr, defs *ast.Defs, pt ast.Bindings, rel float64) (bool, string) {
	return parsetest.AgreeAt(a, b, defs, pt, rel)
}

// parseWith parses src knowing the functions of a rule set.
func parseWith(src string, set *rules.Set, defs *ast.Defs) (ast.Expr, error) {
	return parser.ParseExpr(src, load.Context(set, defs))
}
