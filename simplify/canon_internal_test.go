package simplify

import (
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/ast"
)

// TestSmallPrimitive: the allocation-free check agrees with the content
// computed in big arithmetic: it answers "primitive" only for sums whose
// content is 1, on sums with integer, negative, large and fractional
// coefficients.
func TestSmallPrimitive(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	coefs := []ast.Number{ast.Int(1), ast.Int(-1), ast.Int(2), ast.Int(-6), ast.Int(9), ast.Int(15), ast.Int(1 << 62), ast.Frac(1, 2), ast.Frac(-3, 7)}
	monos := []ast.Expr{ast.NewSym("x"), ast.NewSym("y"), ast.NewPow(ast.NewSym("x"), ast.Two), ast.NewCall("sin", ast.NewSym("z"))}
	checked := map[bool]int{}
	for range 2000 {
		var terms []ast.Expr
		if rng.IntN(2) == 0 {
			terms = append(terms, ast.NewNum(coefs[rng.IntN(len(coefs))]))
		}
		for _, i := range rng.Perm(len(monos))[:1+rng.IntN(len(monos)-1)] {
			terms = append(terms, withCoeff(coefs[rng.IntN(len(coefs))], monos[i]))
		}
		a, ok := ast.NewAdd(terms...).(*ast.Add)
		if !ok {
			continue
		}
		k, prim := primitiveBig(a)
		want := k.IsOne() && prim == a
		if got := smallPrimitive(a); got && !want {
			t.Fatalf("%s: smallPrimitive says primitive, but the content is %s", ast.String(a), k)
		}
		checked[want]++
	}
	if checked[true] < 100 || checked[false] < 100 {
		t.Errorf("too few cases of each kind: %v", checked)
	}
}

// TestRebuildsTo: where collect keeps a term instead of rebuilding it,
// rebuilding gives the very same node.
func TestRebuildsTo(t *testing.T) {
	x, y := ast.NewSym("x"), ast.NewSym("y")
	for _, e := range []ast.Expr{
		x, ast.One, ast.Zero, ast.NewNum(ast.Int(3)), ast.NewMul(x, y), ast.NewMul(ast.NewNum(ast.Int(2)), x),
		ast.NewMul(ast.NewNum(ast.Int(2)), x, y), ast.NewMul(ast.NewNum(ast.Int(1)), x, y), ast.NewMul(ast.NewNum(ast.Frac(-1, 3)), x, ast.NewCall("sin", y)),
		ast.NewMul(ast.NewNum(ast.Int(2)), ast.NewMul(x, y)), ast.NewAdd(x, y), ast.NewPow(x, ast.NewNum(ast.Int(2))),
	} {
		k, m := splitCoeff(e)
		if rebuildsTo(e, k) && withCoeff(k, m) != e {
			t.Errorf("%s: kept, but rebuilt it is %s", ast.String(e), ast.String(withCoeff(k, m)))
		}
	}
}
