package derive_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/derive"
	"github.com/symdiff/symdiff/simplify"
)

// TestThinPieceDerivative: a piece that holds on a single point does not
// decide the derivative there. d(if(x == 0, 0, x), x) was if(x == 0, 0, 1),
// 0 at x = 0 where the function is x everywhere. At the point the
// derivative must be the central difference of the function (which sees
// the neighbouring piece on both sides) where the function is continuous,
// and undefined (a DomainError) where it jumps; nowhere a value the
// difference contradicts. Both the derivative as taken and its simplified
// form are evaluated.
func TestThinPieceDerivative(t *testing.T) {
	for _, c := range []struct {
		expr string
		at   map[string]float64
		jump bool // the function is not continuous at the point
	}{
		{"if(x == 0, 0, x)", map[string]float64{"x": 0}, false},
		{"if(x != 0, x^2 + x, 0)", map[string]float64{"x": 0}, false},
		{"if(not (x != 1), 1, x^3)", map[string]float64{"x": 1}, false},
		{"if(x^3 == 8, 8, x^3)", map[string]float64{"x": 2}, false},
		{"if(x == 0 or x == 2, 2*x, x^2)", map[string]float64{"x": 2}, false},
		{"if(x == 0 or x == 2, 2*x, x^2)", map[string]float64{"x": 0}, false},
		{"if(x == y and y > 0, y^2, x*y)", map[string]float64{"x": 1.5, "y": 1.5}, false},
		{"if(x != y or y <= 0, x*y, y^2)", map[string]float64{"x": 1.5, "y": 1.5}, false},
		{"if(x == 0, 1, x)", map[string]float64{"x": 0}, true},
		{"if(x == 1, 0, exp(x))", map[string]float64{"x": 1}, true},
		{"if(x != 0, x, 1)", map[string]float64{"x": 0}, true},
	} {
		e := mustParse(t, c.expr, nil)
		raw, err := derive.D(bg, e, ast.NewSym("x"), derive.Options{Rules: builtin})
		if err != nil {
			t.Fatal(err)
		}
		res, err := simplify.Simplify(bg, raw, simplify.Options{Rules: builtin})
		if err != nil {
			t.Fatal(err)
		}
		b := ast.Bindings{}
		for n, v := range c.at {
			b[n] = ast.Scalar(v)
		}
		fd := thinDiff(t, e, c.at, "x")
		for _, d := range []ast.Expr{raw, res.Expr} {
			got, err := ast.Eval(d, nil, b)
			var de *ast.DomainError
			switch {
			case c.jump && !errors.As(err, &de):
				t.Errorf("d(%s, x) = %s at %v: %v, %v; want undefined (the function jumps there)", c.expr, ast.String(d), c.at, got, err)
			case !c.jump && (err != nil || math.Abs(got-fd) > 1e-6*(1+math.Abs(fd))):
				t.Errorf("d(%s, x) = %s at %v: %v, %v; the central difference is %v", c.expr, ast.String(d), c.at, got, err, fd)
			}
		}
	}
}

// thinDiff is the central difference of e in v at the point, with
// the function evaluated by indep (written apart from package ast).
func thinDiff(t *testing.T, e ast.Expr, at map[string]float64, v string) float64 {
	t.Helper()
	f := func(s float64) float64 {
		b := map[string]float64{}
		for n, x := range at {
			b[n] = x
		}
		b[v] = s
		y, _, ok := indep(e, b)
		if !ok {
			t.Fatalf("%s is undefined near %v", ast.String(e), at)
		}
		return y
	}
	const h = 1e-6
	return (f(at[v]+h) - f(at[v]-h)) / (2 * h)
}

// TestThinPieceProperty: for random smooth b and a random dyadic point c,
// if(x == c, B, b) with B the value of b at c is b everywhere, so its
// derivative at c is the central difference of b there; with B + 1 it
// jumps at c and the derivative there is undefined. Elsewhere both are
// b's derivative.
func TestThinPieceProperty(t *testing.T) {
	g := &exprGen{rng: rand.New(rand.NewPCG(7, 2026))}
	prng := rand.New(rand.NewPCG(3, 5))
	checked := 0
	for k := 0; k < 400; k++ {
		body := g.expr(3)
		c := dyadic(-2 + 4*prng.Float64())
		y := dyadic(-2 + 4*prng.Float64())
		at := map[string]float64{"x": c, "y": y}
		bv, _, ok := indep(body, at)
		if !ok || math.Abs(bv) > 1e6 || bv != math.Trunc(bv*1024)/1024 {
			continue // undefined, or not a number to write exactly
		}
		// The difference must be well conditioned: two step sizes agree.
		f := func(s float64) (float64, bool) {
			v, _, ok := indep(body, map[string]float64{"x": s, "y": y})
			return v, ok
		}
		fp, ok1 := f(c + 1e-5)
		fm, ok2 := f(c - 1e-5)
		fp2, ok3 := f(c + 2e-5)
		fm2, ok4 := f(c - 2e-5)
		if !ok1 || !ok2 || !ok3 || !ok4 {
			continue
		}
		fd1, fd2 := (fp-fm)/2e-5, (fp2-fm2)/4e-5
		if !near(fd1, fd2, 1e-4, 1e-7) || math.Abs(fd1) > 1e5 {
			continue
		}
		b := ast.Bindings{"x": ast.Scalar(c), "y": ast.Scalar(y)}
		for _, jump := range []bool{false, true} {
			val := bv
			if jump {
				val++
			}
			e := ast.NewIf(ast.NewCompare(ast.CondEq, ast.NewSym("x"), ast.NewNum(ast.Frac(int64(c*1024), 1024))),
				ast.NewNum(ast.Frac(int64(val*1024), 1024)), body)
			raw, err := derive.D(bg, e, ast.NewSym("x"), derive.Options{Rules: builtin})
			if err != nil {
				t.Fatal(err)
			}
			got, err := ast.Eval(raw, nil, b)
			var de *ast.DomainError
			if jump {
				if !errors.As(err, &de) {
					t.Errorf("d(%s, x) at x = %v, y = %v: %v, %v; want undefined (the function jumps there)", ast.String(e), c, y, got, err)
				}
				continue
			}
			if err != nil || !near(got, fd1, 1e-4, 1e-6+4*math.Abs(fd1-fd2)) {
				t.Errorf("d(%s, x) at x = %v, y = %v: %v, %v; the central difference is %v", ast.String(e), c, y, got, err, fd1)
			}
			checked++
		}
		if t.Failed() {
			t.FailNow()
		}
	}
	if checked < 100 {
		t.Errorf("only %d expressions were checked", checked)
	}
}

// TestThinPieceIndexed: a condition on w[k] differentiated by w[j] is
// thin only where k = j; elsewhere it does not change with w[j] and the
// chosen piece's derivative stands. d(sum(k, if(w[k] == 0, 1, w[k]^2)),
// w[1]) was undefined wherever any w[k] was 0, as at w = (1, 0, 2), where
// it is 2. The values are worked out by hand: the terms with k != 1 do
// not depend on w[1], and the term k = 1 jumps at w[1] = 0 (first
// function) or is w^2 + w, slope 1 there (second).
func TestThinPieceIndexed(t *testing.T) {
	for _, c := range []struct {
		expr string
		w    []float64
		want float64 // NaN: undefined
	}{
		{"sum(k=1..3, if(w[k] == 0, 1, w[k]^2))", []float64{1, 0, 2}, 2},
		{"sum(k=1..3, if(w[k] == 0, 1, w[k]^2))", []float64{0, 0, 2}, math.NaN()},
		{"sum(k=1..3, if(w[k] == 0, 1, w[k]^2))", []float64{3, 0, 0}, 6},
		{"sum(k=1..3, if(w[k] == 0, 0, w[k]^2 + w[k]))", []float64{1, 0, 2}, 3},
		{"sum(k=1..3, if(w[k] == 0, 0, w[k]^2 + w[k]))", []float64{0, 0, 2}, 1},
		{"sum(k=1..3, if(w[k] != 0, w[k]^2 + w[k], 0))", []float64{0, 1, 0}, 1},
	} {
		e := mustParse(t, c.expr, nil)
		raw, err := derive.D(bg, e, ast.NewIndex("w", ast.NewInt(1)), derive.Options{Rules: builtin})
		if err != nil {
			t.Fatal(err)
		}
		got, err := ast.Eval(raw, nil, ast.Bindings{"w": ast.Value{Shape: []int{3}, Data: c.w}})
		var de *ast.DomainError
		switch {
		case math.IsNaN(c.want) && !errors.As(err, &de):
			t.Errorf("d(%s, w[1]) at w = %v: %v, %v; want undefined", c.expr, c.w, got, err)
		case !math.IsNaN(c.want) && (err != nil || got != c.want):
			t.Errorf("d(%s, w[1]) at w = %v: %v, %v; want %v", c.expr, c.w, got, err, c.want)
		}
	}
}
