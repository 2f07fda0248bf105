package derive_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/derive"
	"github.com/symdiff/symdiff/simplify"
)

// TestFlatPieceDerivative: f(kink(g)) with f' undefined at the kink's flat
// value (sqrt, fractional powers), and with f itself undefined there (log,
// 1/u), where the derivative must have no value either. Where the function is constant around
// the point (its values at x ± h are the same: an oracle that reads only
// the function), the derivative, raw and simplified, must be defined and
// 0; elsewhere away from the kinks it must match a central difference; at
// the kink itself, when f' is infinite there, it must stay undefined. The
// chain rule's f'(relu(u))*step(u) was 0 times undefined on the whole flat
// half-line (hunt6); so it was for max(x, c) with a name c at c = 0, and
// for sqrt(2*relu(x)), a kink inside the argument (left7).
func TestFlatPieceDerivative(t *testing.T) {
	rng := rand.New(rand.NewPCG(2026, 1201))
	outers := []func(u ast.Expr) ast.Expr{
		func(u ast.Expr) ast.Expr { return ast.NewCall("sqrt", u) },
		func(u ast.Expr) ast.Expr { return ast.NewPow(u, ast.NewNum(ast.Frac(1, 3))) },
		func(u ast.Expr) ast.Expr { return ast.NewPow(u, ast.NewNum(ast.Frac(3, 4))) },
		func(u ast.Expr) ast.Expr {
			return ast.NewMul(ast.NewNum(ast.Int(3)), ast.NewPow(u, ast.NewNum(ast.Frac(2, 5))))
		},
		func(u ast.Expr) ast.Expr { return ast.NewCall("log", ast.NewAdd(ast.One, ast.NewCall("sqrt", u))) },
		func(u ast.Expr) ast.Expr { return ast.NewPow(u, ast.Two) }, // f' defined at 0: left as the chain rule has it
		// f itself undefined at 0: so is its derivative on the flat part.
		func(u ast.Expr) ast.Expr { return ast.NewCall("log", u) },
		func(u ast.Expr) ast.Expr { return ast.NewPow(u, ast.MinusOne) },
	}
	x, y := ast.NewSym("x"), ast.NewSym("y")
	inners := []ast.Expr{
		x,
		ast.NewAdd(ast.NewMul(ast.Two, x), ast.MinusOne),
		ast.NewAdd(ast.NewPow(x, ast.Two), ast.MinusOne),
		ast.NewCall("sin", x),
		ast.NewAdd(ast.NewMul(x, y), ast.MinusOne),
	}
	half := ast.NewNum(ast.Frac(1, 2))
	c := ast.NewSym("c") // 0 at half the points: a flat value that is a name
	type kinkShape struct {
		mk func(g ast.Expr) ast.Expr
		// infinite: at x = 0 (c = 0) the kink is 0 with slope 1 on one
		// side, so f(kink(x)) has an infinite one-sided derivative there
		// for every outer f but the square.
		infinite bool
	}
	kinks := []kinkShape{
		{func(g ast.Expr) ast.Expr { return ast.NewCall("relu", g) }, true},
		{func(g ast.Expr) ast.Expr { return ast.NewCall("max", g, ast.Zero) }, true},
		{func(g ast.Expr) ast.Expr { return ast.NewCall("max", ast.Zero, g) }, true},
		{func(g ast.Expr) ast.Expr { return ast.NewCall("clip", g, ast.Zero, ast.One) }, true},
		{func(g ast.Expr) ast.Expr { return ast.NewCall("min", g, half) }, false}, // flat at 1/2, where f' is defined
		// left7: a flat value that is a name, not a number.
		{func(g ast.Expr) ast.Expr { return ast.NewCall("max", g, c) }, true},
		{func(g ast.Expr) ast.Expr { return ast.NewCall("max", c, g) }, true},
		{func(g ast.Expr) ast.Expr { return ast.NewCall("clip", g, c, ast.One) }, true},
		{func(g ast.Expr) ast.Expr { return ast.NewCall("min", c, ast.NewNeg(g)) }, true},
		// left7: the kink inside the argument, not the argument itself.
		{func(g ast.Expr) ast.Expr { return ast.NewMul(ast.Two, ast.NewCall("relu", g)) }, true},
		{func(g ast.Expr) ast.Expr { return ast.NewDiv(ast.NewCall("max", g, ast.Zero), ast.NewNum(ast.Int(3))) }, true},
		{func(g ast.Expr) ast.Expr { return ast.NewMul(y, ast.NewCall("relu", g)) }, true},
		{func(g ast.Expr) ast.Expr { return ast.NewNeg(ast.NewCall("min", g, ast.Zero)) }, true},
		{func(g ast.Expr) ast.Expr { return ast.NewAdd(ast.NewCall("relu", g), half) }, false}, // flat at 1/2
	}
	flatChecked, slopeChecked, kinkChecked, undefChecked := 0, 0, 0, 0
	for _, outer := range outers {
		for _, inner := range inners {
			for _, ks := range kinks {
				kink := ks.mk
				e := outer(kink(inner))
				raw, err := derive.D(bg, e, x, derive.Options{Rules: builtin})
				if err != nil {
					t.Fatalf("D(%s): %v", ast.String(e), err)
				}
				res, err := simplify.Simplify(bg, raw, simplify.Options{Rules: builtin})
				if err != nil {
					t.Fatalf("Simplify(%s): %v", ast.String(raw), err)
				}
				views := []struct {
					what string
					d    ast.Expr
				}{{"raw", raw}, {"simplified", res.Expr}}
				for p := 0; p < 40; p++ {
					cv := 0.0
					if rng.IntN(2) == 0 {
						cv = dyadic(-1 + 2*rng.Float64())
					}
					b := ast.Bindings{"x": ast.Scalar(dyadic(-3 + 6*rng.Float64())), "y": ast.Scalar(dyadic(0.25 + 2*rng.Float64())), "c": ast.Scalar(cv)}
					x0 := b["x"].Data[0]
					f := func(s float64) (float64, error) {
						return ast.Eval(e, nil, ast.Bindings{"x": ast.Scalar(s), "y": b["y"], "c": b["c"]})
					}
					h := 1e-4 * (1 + math.Abs(x0))
					fm, err1 := f(x0 - h)
					f0, err0 := f(x0)
					fp, err2 := f(x0 + h)
					if err0 != nil {
						// No value on the flat part (the kink is 0 there),
						// so no derivative: never a 0 made up for it. (Off
						// the flat part, log(u)' = 1/u has a value at u < 0
						// as it always had: derivatives do not carry their
						// function's domain.)
						if kv, err := ast.Eval(kink(inner), nil, b); err != nil || kv != 0 {
							continue
						}
						for _, v := range views {
							if got, err := ast.Eval(v.d, nil, b); err == nil {
								t.Errorf("d(%s, x) = %s is %g at %v, where the function is undefined (%v)", ast.String(e), ast.String(v.d), got, b, err0)
							}
						}
						undefChecked++
						continue
					}
					if err1 != nil || err2 != nil {
						continue
					}
					flat := fm == f0 && f0 == fp
					fd := (fp - fm) / (2 * h)
					if !flat {
						// Near a root's infinite slope (x*y - 1 near 0)
						// the difference quotient at h is off by more than
						// the tolerance: compare only where it has
						// converged, at h and h/8 alike.
						gm, errm := f(x0 - h/8)
						gp, errp := f(x0 + h/8)
						if errm != nil || errp != nil {
							continue
						}
						fd8 := (gp - gm) / (h / 4)
						if !near(fd, fd8, 1e-4, 1e-8) {
							continue
						}
						fd = fd8
					}
					if dist, err := ast.KinkDistance(bg, e, nil, b); !flat && (err != nil || dist < 1e-2) {
						continue // no difference quotient converges at a kink
					}
					for _, v := range views {
						got, err := ast.Eval(v.d, nil, b)
						switch {
						case flat && err != nil:
							t.Errorf("d(%s, x) = %s is undefined at %v (%v), where the function is constant", ast.String(e), ast.String(v.d), b, err)
						case flat && got != 0:
							t.Errorf("d(%s, x) = %s is %g at %v, where the function is constant", ast.String(e), ast.String(v.d), got, b)
						case !flat && err == nil && math.Abs(fd) < 1e4 && !near(got, fd, 1e-3, 1e-6):
							t.Errorf("d(%s, x) = %s is %g at %v; central difference %g", ast.String(e), ast.String(v.d), got, b, fd)
						}
					}
					if flat {
						flatChecked++
					} else {
						slopeChecked++
					}
				}
				// At the kink of relu(x), max(x, 0), clip(x, 0, 1) with a
				// root outside: the right derivative is infinite.
				if inner == x && !ast.IsNum(outerExp(outer), 2) {
					if !ks.infinite {
						continue // min(x, 1/2) has no kink at 0
					}
					for _, v := range views {
						if got, err := ast.Eval(v.d, nil, ast.Bindings{"x": ast.Scalar(0), "y": ast.Scalar(1), "c": ast.Scalar(0)}); err == nil {
							t.Errorf("d(%s, x) = %s is %g at x = 0, where the right derivative is infinite", ast.String(e), ast.String(v.d), got)
						}
					}
					kinkChecked++
				}
			}
		}
	}
	t.Logf("%d flat points, %d sloped points, %d undefined points, %d kinks checked", flatChecked, slopeChecked, undefChecked, kinkChecked)
	if flatChecked < 200 || slopeChecked < 200 || undefChecked < 200 {
		t.Errorf("too few points checked: %d flat, %d sloped", flatChecked, slopeChecked)
	}
}

// outerExp returns the exponent when outer is u^c, else nil.
func outerExp(outer func(u ast.Expr) ast.Expr) ast.Expr {
	if p, ok := outer(ast.NewSym("u")).(*ast.Pow); ok {
		return p.Y
	}
	return nil
}
