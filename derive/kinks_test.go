package derive_test

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/derive"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/simplify"
)

// kink returns a random call of a function with kinks.
func (g *exprGen) kink(depth int) ast.Expr {
	switch g.rng.IntN(7) {
	case 0:
		return ast.NewCall("abs", g.expr(depth-1))
	case 1:
		return ast.NewMul(ast.NewCall("sign", g.expr(depth-1)), g.expr(depth-1))
	case 2:
		return ast.NewMul(ast.NewCall("step", g.expr(depth-1)), g.expr(depth-1))
	case 3:
		return ast.NewCall("relu", g.expr(depth-1))
	case 4:
		return ast.NewCall("max", g.expr(depth-1), g.expr(depth-1))
	case 5:
		return ast.NewCall("min", g.expr(depth-1), g.expr(depth-1))
	}
	return ast.NewCall("clip", g.expr(depth-1), ast.NewNum(ast.Frac(-1, 2)), g.expr(depth-1))
}

// TestDerivPropertyKinks is TestDerivProperty for expressions with kinks:
// the derivative, raw and simplified, agrees with central differences at
// random points away from every kink (no difference quotient converges at
// one).
func TestDerivPropertyKinks(t *testing.T) {
	n := 1500
	if testing.Short() {
		n = 300
	}
	g := &exprGen{rng: rand.New(rand.NewPCG(2026, 12)), kinks: true}
	prng := rand.New(rand.NewPCG(7, 12))
	checkedExprs, checkedPoints, nearKink := 0, 0, 0
	for k := 0; k < n; k++ {
		e := g.kink(4)
		checked := false
		for _, v := range []string{"x", "y"} {
			raw, err := derive.D(bg, e, ast.NewSym(v), derive.Options{Rules: builtin})
			if err != nil {
				t.Fatalf("D(%s, %s): %v", ast.String(e), v, err)
			}
			res, err := simplify.Simplify(bg, raw, simplify.Options{Rules: builtin})
			if err != nil {
				t.Fatalf("Simplify(%s): %v", ast.String(raw), err)
			}
			for p := 0; p < 3; p++ {
				b := ast.Bindings{"x": ast.Scalar(dyadic(-2.5 + 5*prng.Float64())), "y": ast.Scalar(dyadic(-2.5 + 5*prng.Float64()))}
				x0 := b[v].Data[0]
				h := step(x0)
				if dist, err := ast.KinkDistance(context.Background(), e, nil, b); err != nil || dist < 1e-3 {
					nearKink++
					continue
				}
				f := func(s float64) (float64, error) {
					bb := ast.Bindings{"x": b["x"], "y": b["y"]}
					bb[v] = ast.Scalar(s)
					return ast.Eval(e, nil, bb)
				}
				f0, err := f(x0)
				if err != nil || math.Abs(f0) > 1e6 {
					continue
				}
				fd1, err1 := centralDiff(f, x0, h)
				fd2, err2 := centralDiff(f, x0, 2*h)
				if err1 != nil || err2 != nil || !near(fd1, fd2, 1e-5, 1e-8*(1+math.Abs(f0))) || math.Abs(fd1) > 1e6 {
					continue
				}
				for _, d := range []struct {
					what string
					e    ast.Expr
				}{{"D", raw}, {"simplified", res.Expr}} {
					got, err := ast.Eval(d.e, nil, b)
					if err != nil {
						continue
					}
					if !near(got, fd1, 1e-5, 1e-7*(1+math.Abs(f0))+4*math.Abs(fd1-fd2)) {
						t.Errorf("d(%s, %s): %s result %s = %.12g at %v; finite difference %.12g",
							ast.String(e), v, d.what, ast.String(d.e), got, b, fd1)
					}
				}
				checkedPoints++
				checked = true
			}
		}
		if checked {
			checkedExprs++
		}
		if t.Failed() {
			t.FailNow()
		}
	}
	t.Logf("%d expressions, %d checked at %d points; %d points near a kink skipped", n, checkedExprs, checkedPoints, nearKink)
	if checkedExprs < n/2 {
		t.Errorf("only %d of %d expressions were checked at some point", checkedExprs, n)
	}
}

// TestKinkDerivatives: the derivatives of losses with kinks in the form a
// person writes, with the frameworks' convention at the kink.
func TestKinkDerivatives(t *testing.T) {
	tests := []struct{ expr, wrt, want string }{
		{"max(0, 1 - y*f)", "f", "-y*step(1 - f*y)"},
		{"max(0, 1 - y*f)^2", "f", "-2*y*max(0, 1 - f*y)"}, // max(0, u)*step(u) = max(0, u)
		{"abs(x)", "x", "sign(x)"},
		{"relu(x)", "x", "step(x)"},
		{"step(x)", "x", "0"},
		{"sign(x)*3", "x", "0"},
		{"max(a, b)", "a", "1 - step(b - a)"},
		{"max(a, b)", "b", "step(b - a)"},
		{"min(a, b)", "a", "1 - step(a - b)"},
		{"min(a, b)", "b", "step(a - b)"},
		{"clip(x, 0, 1)", "x", "(1 - step(-x))*(1 - step(x - 1))"},
		{"abs(r)^2", "r", "2*r"},
	}
	for _, tt := range tests {
		e, err := parser.ParseExpr(tt.expr, nil)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := derive.D(bg, e, ast.NewSym(tt.wrt), derive.Options{Rules: builtin})
		if err != nil {
			t.Fatal(err)
		}
		res, err := simplify.Simplify(bg, raw, simplify.Options{Rules: builtin})
		if err != nil {
			t.Fatal(err)
		}
		if got := ast.String(res.Expr); got != tt.want {
			t.Errorf("d(%s, %s) = %s, want %s", tt.expr, tt.wrt, got, tt.want)
		}
	}
}

// TestKinkConvention: the values at the kinks are PyTorch's and JAX's:
// d|x| = 0 and d relu = 0 at 0; a tie of max gives the first argument the
// whole derivative, so the parts add up to 1.
func TestKinkConvention(t *testing.T) {
	at := func(src, wrt string, b ast.Bindings) float64 {
		e, err := parser.ParseExpr(src, nil)
		if err != nil {
			t.Fatal(err)
		}
		d, err := derive.D(bg, e, ast.NewSym(wrt), derive.Options{Rules: builtin})
		if err != nil {
			t.Fatal(err)
		}
		v, err := ast.Eval(d, nil, b)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	zero := ast.Bindings{"x": ast.Scalar(0), "a": ast.Scalar(1), "b": ast.Scalar(1)}
	for _, tt := range []struct {
		src, wrt string
		want     float64
	}{
		{"abs(x)", "x", 0}, {"relu(x)", "x", 0}, {"max(0, x)", "x", 0}, {"max(x, 0)", "x", 1},
		{"max(a, b)", "a", 1}, {"max(a, b)", "b", 0}, {"min(a, b)", "a", 1}, {"min(a, b)", "b", 0},
		{"max(x, x)", "x", 1}, {"clip(x, 0, 1)", "x", 1}, {"clip(x, -1, 0)", "x", 1},
	} {
		if got := at(tt.src, tt.wrt, zero); got != tt.want {
			t.Errorf("d(%s, %s) at %v = %g, want %g", tt.src, tt.wrt, zero, got, tt.want)
		}
	}
}
