package prove_test

import (
	"math/big"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/simplify"
	"github.com/symdiff/symdiff/simplify/prove"
)

// TestNegativeBasePowers: identities of powers that fail only at a
// negative base with a fractional exponent whose product with another is
// whole are refuted ((x^y)^z == x^(y*z) at x = -1, y = 2, z = 1/2 was
// unknown), and the true ones, which hold wherever both sides are real,
// are never refuted. Every counterexample is checked by an evaluator of
// its own (powEval, 512 bits, written here apart from package ast): the
// two sides must be real and differ there.
func TestNegativeBasePowers(t *testing.T) {
	for _, c := range []struct {
		a, b  string
		wrong bool
	}{
		{"(x^y)^z", "x^(y*z)", true},
		{"x^(2*y)", "(x^2)^y", true},
		{"(x^2)^(1/2)", "x", true},
		{"(x^y)^(1/2)", "x^(y/2)", true},
		{"(x^4)^y", "x^(4*y)", true},
		{"(x^y)^2", "x^(2*y)", false},
		{"x^(y + z)", "x^y*x^z", false},
		{"(x*y)^z", "x^z*y^z", false},
		{"(x^y)^z", "(x^z)^y", false},
		{"(x^2)^(1/2)", "abs(x)", false},
		{"x^y*x", "x^(y + 1)", false},
		{"((-1)^y)^2", "1", false},
		{"(x^(1/2))^2", "x", false},
		{"(-x)^2", "x^2", false},
		{"x^(1/2)*x^(1/2)", "x", false},
	} {
		a, err := parser.ParseExpr(c.a, nil)
		if err != nil {
			t.Fatal(err)
		}
		b, err := parser.ParseExpr(c.b, nil)
		if err != nil {
			t.Fatal(err)
		}
		pr, err := prove.Prove(bg, a, b, simplify.Options{Rules: builtin})
		if err != nil {
			t.Fatal(err)
		}
		if !c.wrong {
			if pr.Verdict == prove.Refuted {
				t.Errorf("%s == %s holds wherever both sides are real, refuted at %s", c.a, c.b, pr.Counter.Point())
			}
			continue
		}
		if pr.Verdict != prove.Refuted {
			t.Errorf("%s == %s: %v (%s), want refuted", c.a, c.b, pr.Verdict, pr.Tried)
			continue
		}
		l, okL := powEval(a, pr.Counter.Bindings)
		r, okR := powEval(b, pr.Counter.Bindings)
		if !okL || !okR || l.Cmp(r) == 0 {
			t.Errorf("%s == %s refuted at %s, where the independent evaluator gives %v (%v) and %v (%v)", c.a, c.b, pr.Counter.Point(), l, okL, r, okR)
		}
	}
}

// powEval evaluates numbers, names, sums, products, negation, abs and
// powers at 512 bits, where every value bound and every exponent is a
// dyadic rational p/2^k: a power with a whole exponent is multiplied out,
// any other takes k square roots of x^p and is real only for x >= 0. ok
// is false where e is not real (or has anything else in it).
func powEval(e ast.Expr, b ast.Bindings) (*big.Float, bool) {
	const prec = 512
	nf := func() *big.Float { return new(big.Float).SetPrec(prec) }
	switch x := e.(type) {
	case *ast.Num:
		r := x.Value.Rat()
		return nf().SetRat(r), true
	case *ast.Sym:
		v, ok := b[x.Name]
		if !ok || v.Shape != nil {
			return nil, false
		}
		return nf().SetFloat64(v.Data[0]), true
	case *ast.Neg:
		v, ok := powEval(x.X, b)
		if !ok {
			return nil, false
		}
		return nf().Neg(v), true
	case *ast.Add, *ast.Mul:
		acc := nf()
		if _, isMul := x.(*ast.Mul); isMul {
			acc.SetInt64(1)
		}
		for _, k := range ast.Children(x) {
			v, ok := powEval(k, b)
			if !ok {
				return nil, false
			}
			if _, isMul := x.(*ast.Mul); isMul {
				acc = nf().Mul(acc, v)
			} else {
				acc = nf().Add(acc, v)
			}
		}
		return acc, true
	case *ast.Div:
		n, ok1 := powEval(x.X, b)
		d, ok2 := powEval(x.Y, b)
		if !ok1 || !ok2 || d.Sign() == 0 {
			return nil, false
		}
		return nf().Quo(n, d), true
	case *ast.Call:
		if x.Fn != "abs" && x.Fn != "sqrt" || len(x.Args) != 1 {
			return nil, false
		}
		v, ok := powEval(x.Args[0], b)
		if !ok {
			return nil, false
		}
		if x.Fn == "abs" {
			return nf().Abs(v), true
		}
		if v.Sign() < 0 {
			return nil, false
		}
		return nf().Sqrt(v), true
	case *ast.Pow:
		base, ok1 := powEval(x.X, b)
		ex, ok2 := powEval(x.Y, b)
		if !ok1 || !ok2 {
			return nil, false
		}
		// ex = p/2^k exactly.
		k := 0
		p := nf().Set(ex)
		for !p.IsInt() {
			if k > 64 {
				return nil, false // not dyadic
			}
			p.SetMantExp(p, 1)
			k++
		}
		pi, _ := p.Int(nil)
		if !pi.IsInt64() {
			return nil, false
		}
		n := pi.Int64()
		if k > 0 && base.Sign() < 0 {
			return nil, false
		}
		if base.Sign() == 0 && n < 0 {
			return nil, false
		}
		r := nf().SetInt64(1)
		m := n
		if m < 0 {
			m = -m
		}
		if m > 4096 {
			return nil, false
		}
		for range m {
			r = nf().Mul(r, base)
		}
		if n < 0 {
			r = nf().Quo(nf().SetInt64(1), r)
		}
		for range k {
			r = nf().Sqrt(r)
		}
		return r, true
	}
	return nil, false
}
