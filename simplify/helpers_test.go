package simplify_test

import (
	"context"
	"fmt"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/ast/asttest"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/rules"
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

// agreeAt compares a (the input) and b (what the engine made of it) at
// pt. It returns checked=false when a is undefined there, and a non-empty
// complaint when b is undefined where a is defined, or the values differ.
// A float64 difference beyond rel, or b undefined in float64 only, is
// looked at again at 256 and then 1024 bits, so that rounding (1 - Phi(9)
// is 0 in float64) is not taken for a wrong result.
func agreeAt(a, b ast.Expr, defs *ast.Defs, pt ast.Bindings, rel float64) (checked bool, complaint string) {
	va, err := ast.Eval(a, defs, pt)
	if err != nil {
		return false, ""
	}
	vb, err := ast.Eval(b, defs, pt)
	if err == nil && near(va, vb, rel, 0) {
		return true, ""
	}
	floatErr := err
	ctx := context.Background()
	for _, prec := range []uint{256, 1024} {
		ba, err := ast.EvalBig(ctx, a, defs, pt, prec)
		if err != nil {
			return false, "" // the input is not defined at high precision: no evidence
		}
		bb, err := ast.EvalBig(ctx, b, defs, pt, prec)
		if err != nil {
			complaint = fmt.Sprintf("undefined at %d bits (%v) where the input is defined (%.17g)", prec, err, va)
			continue
		}
		diff := new(big.Float).Sub(ba, bb)
		diff.Abs(diff)
		scale := new(big.Float).Abs(ba)
		if s := new(big.Float).Abs(bb); s.Cmp(scale) > 0 {
			scale = s
		}
		limit := new(big.Float).Mul(scale, big.NewFloat(rel))
		limit.Add(limit, big.NewFloat(1e-40))
		if diff.Cmp(limit) <= 0 {
			return true, ""
		}
		complaint = fmt.Sprintf("values differ: %.17g vs %.17g (float64 error: %v; at %d bits %s vs %s)", va, vb, floatErr, prec, ba.Text('g', 20), bb.Text('g', 20))
	}
	return true, complaint
}

// parseWith parses src knowing the functions of a rule set.
func parseWith(src string, set *rules.Set, defs *ast.Defs) (ast.Expr, error) {
	return parser.ParseExpr(src, set.Context(defs))
}
