package derive_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/derive"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/simplify"
)

// cond returns a random condition on expressions in x and y.
func (g *exprGen) cond(depth int) ast.Expr {
	switch g.rng.IntN(8) {
	case 0:
		return ast.NewAnd(g.cond(depth-1), g.cond(depth-1))
	case 1:
		return ast.NewOr(g.cond(depth-1), g.cond(depth-1))
	case 2:
		return ast.NewNot(g.cond(depth - 1))
	}
	ops := []ast.CondOp{ast.CondLt, ast.CondLe, ast.CondGt, ast.CondGe, ast.CondEq, ast.CondNe}
	return ast.NewCompare(ops[g.rng.IntN(len(ops))], g.expr(depth-1), g.expr(depth-1))
}

// piecewise returns a random expression with an if in it.
func (g *exprGen) piecewise(depth int) ast.Expr {
	p := ast.NewIf(g.cond(depth-1), g.expr(depth-1), g.expr(depth-1))
	switch g.rng.IntN(4) {
	case 0:
		return ast.NewMul(g.expr(depth-1), p)
	case 1:
		return ast.NewCall(genFuncs[g.rng.IntN(len(genFuncs))], p)
	case 2:
		return ast.NewAdd(p, ast.NewIf(g.cond(depth-1), p, g.expr(depth-1)))
	}
	return p
}

// indep is an evaluator of its own for the trees these tests make and
// the simplifier returns, written apart from package ast's, so that a
// mistake in that one (a piece chosen the wrong way round, and or or
// short-circuiting wrongly) cannot hide in both sides of a comparison. It
// also returns the smallest distance from a condition's boundary or a
// kink met on the way; ok is false where e is undefined or unknown here.
func indep(e ast.Expr, b map[string]float64) (v, dist float64, ok bool) {
	dist = math.Inf(1)
	var ev func(e ast.Expr) (float64, bool)
	var holds func(e ast.Expr) (bool, bool)
	note := func(d float64) { dist = math.Min(dist, math.Abs(d)) }
	holds = func(e ast.Expr) (bool, bool) {
		c, isCond := e.(*ast.Condition)
		if !isCond {
			v, ok := ev(e)
			return v != 0, ok
		}
		switch c.Op {
		case ast.CondAnd, ast.CondOr:
			for _, a := range c.Args {
				h, ok := holds(a)
				if !ok {
					return false, false
				}
				if h != (c.Op == ast.CondAnd) {
					return h, true
				}
			}
			return c.Op == ast.CondAnd, true
		case ast.CondNot:
			h, ok := holds(c.Args[0])
			return !h, ok
		}
		l, ok1 := ev(c.Args[0])
		r, ok2 := ev(c.Args[1])
		note(l - r)
		switch c.Op {
		case ast.CondLt:
			return l < r, ok1 && ok2
		case ast.CondLe:
			return l <= r, ok1 && ok2
		case ast.CondGt:
			return l > r, ok1 && ok2
		case ast.CondGe:
			return l >= r, ok1 && ok2
		case ast.CondEq:
			return l == r, ok1 && ok2
		}
		return l != r, ok1 && ok2
	}
	ev = func(e ast.Expr) (float64, bool) {
		switch x := e.(type) {
		case *ast.Num:
			return x.Value.Float64(), true
		case *ast.Sym:
			v, ok := b[x.Name]
			return v, ok
		case *ast.Neg:
			v, ok := ev(x.X)
			return -v, ok
		case *ast.Add:
			s := 0.0
			for _, t := range x.Terms {
				v, ok := ev(t)
				if !ok {
					return 0, false
				}
				s += v
			}
			return s, true
		case *ast.Mul:
			p := 1.0
			for _, f := range x.Factors {
				v, ok := ev(f)
				if !ok {
					return 0, false
				}
				p *= v
			}
			return p, true
		case *ast.Div:
			n, ok1 := ev(x.X)
			d, ok2 := ev(x.Y)
			return n / d, ok1 && ok2 && d != 0
		case *ast.Pow:
			a, ok1 := ev(x.X)
			c, ok2 := ev(x.Y)
			v := math.Pow(a, c)
			return v, ok1 && ok2 && !(a == 0 && c < 0) && !math.IsNaN(v)
		case *ast.If:
			h, ok := holds(x.Cond)
			if !ok {
				return 0, false
			}
			if h {
				return ev(x.Then)
			}
			return ev(x.Else)
		case *ast.Condition:
			h, ok := holds(x)
			if h {
				return 1, ok
			}
			return 0, ok
		case *ast.Call:
			args := make([]float64, len(x.Args))
			for i, a := range x.Args {
				v, ok := ev(a)
				if !ok {
					return 0, false
				}
				args[i] = v
			}
			u := args[0]
			switch x.Fn {
			case "exp":
				return math.Exp(u), true
			case "log":
				return math.Log(u), u > 0
			case "sqrt":
				return math.Sqrt(u), u >= 0
			case "sin":
				return math.Sin(u), true
			case "cos":
				return math.Cos(u), true
			case "tanh":
				return math.Tanh(u), true
			case "sigma":
				return 1 / (1 + math.Exp(-u)), true
			case "softplus":
				return math.Log1p(math.Exp(u)), true
			case "Phi":
				return 0.5 * math.Erfc(-u/math.Sqrt2), true
			case "phi":
				return math.Exp(-u*u/2) / math.Sqrt(2*math.Pi), true
			case "abs", "sign", "step", "relu":
				note(u)
				switch x.Fn {
				case "abs":
					return math.Abs(u), true
				case "relu":
					return math.Max(u, 0), true
				case "step":
					if u > 0 {
						return 1, true
					}
					return 0, true
				}
				switch {
				case u > 0:
					return 1, true
				case u < 0:
					return -1, true
				}
				return 0, true
			case "max", "min":
				if len(args) != 2 {
					return 0, false
				}
				note(args[0] - args[1])
				if x.Fn == "max" {
					return math.Max(args[0], args[1]), true
				}
				return math.Min(args[0], args[1]), true
			}
		}
		return 0, false
	}
	v, ok = ev(e)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		ok = false
	}
	return v, dist, ok
}

// TestDerivPropertyPiecewise: random expressions with if and conditions,
// differentiated and simplified, agree with central differences of the
// original at random points away from every boundary of a condition (and
// every kink), all evaluated by indep.
func TestDerivPropertyPiecewise(t *testing.T) {
	n := 1200
	if testing.Short() {
		n = 250
	}
	g := &exprGen{rng: rand.New(rand.NewPCG(2026, 1130))}
	prng := rand.New(rand.NewPCG(12, 30))
	checkedExprs, checkedPoints, nearBoundary := 0, 0, 0
	for k := 0; k < n; k++ {
		e := g.piecewise(4)
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
			for p := 0; p < 4; p++ {
				b := map[string]float64{"x": dyadic(-2.5 + 5*prng.Float64()), "y": dyadic(-2.5 + 5*prng.Float64())}
				x0 := b[v]
				f := func(s float64) (float64, float64, bool) {
					bb := map[string]float64{"x": b["x"], "y": b["y"]}
					bb[v] = s
					return indep(e, bb)
				}
				f0, dist, ok := f(x0)
				if !ok || math.Abs(f0) > 1e6 {
					continue
				}
				h := step(x0)
				if dist < 1e-3 {
					nearBoundary++
					continue
				}
				fp, dp, ok1 := f(x0 + 2*h)
				fm, dm, ok2 := f(x0 - 2*h)
				fp1, _, ok3 := f(x0 + h)
				fm1, _, ok4 := f(x0 - h)
				if !ok1 || !ok2 || !ok3 || !ok4 || dp < 1e-4 || dm < 1e-4 {
					continue // undefined nearby, or a boundary within reach
				}
				fd1, fd2 := (fp1-fm1)/(2*h), (fp-fm)/(4*h)
				if !near(fd1, fd2, 1e-5, 1e-8*(1+math.Abs(f0))) || math.Abs(fd1) > 1e6 {
					continue
				}
				for _, d := range []struct {
					what string
					e    ast.Expr
				}{{"D", raw}, {"simplified", res.Expr}} {
					got, _, ok := indep(d.e, b)
					if !ok {
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
	t.Logf("%d expressions, %d checked at %d points; %d points near a boundary skipped", n, checkedExprs, checkedPoints, nearBoundary)
	if checkedExprs < n/3 {
		t.Errorf("only %d of %d expressions were checked at some point", checkedExprs, n)
	}
}

// TestPiecewiseDerivatives: d if(c, a, b) = if(c, a', b'), in the form a
// person writes, and the derivation names the rule.
func TestPiecewiseDerivatives(t *testing.T) {
	tests := []struct{ expr, wrt, want string }{
		{"if(x > 0, x^2, -x)", "x", "if(x > 0, 2*x, -1)"},
		{"if(x > 0 and y <= 1, x*y, 0)", "x", "if(x > 0 and y <= 1, y, 0)"},
		{"if(x > 0, log(x), 0)", "x", "if(x > 0, 1/x, 0)"},
		{"if(y > 0, x, 2*x)", "x", "if(y > 0, 1, 2)"},
		{"if(x > 0, y, 3)", "x", "0"},                                                // both pieces constant
		{"if(exp(x) > 0, x^3, 1/x)", "x", "3*x^2"},                                   // a condition that always holds
		{"if(abs(r) <= 1, r^2/2, abs(r) - 1/2)", "r", "if(abs(r) <= 1, r, sign(r))"}, // Huber
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
	// The derivation names the rule, in a round of its own.
	e, err := parser.ParseExpr("if(x > 0, x^2, -x)", nil)
	if err != nil {
		t.Fatal(err)
	}
	st, err := derive.Step(bg, e, ast.NewSym("x"), derive.Options{Rules: builtin})
	if err != nil {
		t.Fatal(err)
	}
	r, err := derive.Rounds(st)
	if err != nil {
		t.Fatal(err)
	}
	if len(r) == 0 || r[0].Rule != derive.RulePiecewise {
		t.Errorf("the first round of d(if(x > 0, x^2, -x), x) is %v, want the rule %s", r, derive.RulePiecewise.Name)
	}
}

// TestSimplifyPropertyPiecewise: simplifying random expressions with if
// keeps their values, by indep at random points away from every boundary
// (where the simplified form may pick the other piece of equal value).
func TestSimplifyPropertyPiecewise(t *testing.T) {
	n := 1500
	if testing.Short() {
		n = 300
	}
	g := &exprGen{rng: rand.New(rand.NewPCG(1130, 2026))}
	prng := rand.New(rand.NewPCG(30, 12))
	checked := 0
	for k := 0; k < n; k++ {
		e := g.piecewise(4)
		res, err := simplify.Simplify(bg, e, simplify.Options{Rules: builtin})
		if err != nil {
			t.Fatalf("Simplify(%s): %v", ast.String(e), err)
		}
		for p := 0; p < 4; p++ {
			b := map[string]float64{"x": dyadic(-3 + 6*prng.Float64()), "y": dyadic(-3 + 6*prng.Float64())}
			want, dist, ok := indep(e, b)
			if !ok || dist < 1e-6 || math.Abs(want) > 1e8 {
				continue
			}
			// Ill-conditioned points (sin of a huge number) are skipped:
			// a relative change of 1e-13 in the inputs moves the value.
			w2, _, ok2 := indep(e, map[string]float64{"x": b["x"] * (1 + 1e-13), "y": b["y"] * (1 - 1e-13)})
			if !ok2 || !near(w2, want, 1e-10, 1e-12) {
				continue
			}
			got, _, ok := indep(res.Expr, b)
			if !ok {
				// Undefined where the original is defined: only a value
				// out of float64's range may do that.
				if !math.IsInf(got, 0) {
					t.Errorf("Simplify(%s) = %s is undefined at %v, where the original is %g", ast.String(e), ast.String(res.Expr), b, want)
				}
				continue
			}
			if !near(got, want, 1e-8, 1e-10) {
				t.Fatalf("Simplify(%s) = %s: %.15g at %v, want %.15g", ast.String(e), ast.String(res.Expr), got, b, want)
			}
			checked++
		}
	}
	t.Logf("%d expressions, %d points checked", n, checked)
	if checked < n {
		t.Errorf("only %d points checked", checked)
	}
}
