package derive_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/derive"
	"github.com/symdiff/symdiff/parser/parsetest"
	"github.com/symdiff/symdiff/simplify"
)

// exprGen builds random expressions in x and y.
type exprGen struct {
	rng   *rand.Rand
	kinks bool // also abs, sign, step, relu, max, min, clip (kinks_test.go)
}

var genFuncs = []string{"exp", "log", "sin", "cos", "sigma", "softplus", "tanh", "Phi", "phi", "sqrt"}

func (g *exprGen) leaf() ast.Expr {
	switch r := g.rng.IntN(10); {
	case r < 4:
		return ast.NewSym("x")
	case r < 7:
		return ast.NewSym("y")
	case r < 9:
		return ast.NewInt(int64(g.rng.IntN(7) - 3))
	default:
		return ast.NewNum(ast.Frac(int64(g.rng.IntN(9)-4), int64(2+g.rng.IntN(3))))
	}
}

func (g *exprGen) expr(depth int) ast.Expr {
	if depth <= 0 || g.rng.IntN(8) == 0 {
		return g.leaf()
	}
	switch g.rng.IntN(9) {
	case 0:
		return ast.NewAdd(g.expr(depth-1), g.expr(depth-1))
	case 1:
		return ast.NewAdd(g.expr(depth-1), ast.NewNeg(g.expr(depth-1)))
	case 2, 3:
		return ast.NewMul(g.expr(depth-1), g.expr(depth-1))
	case 4:
		return ast.NewDiv(g.expr(depth-1), g.expr(depth-1))
	case 5:
		exps := []int64{-2, -1, 2, 2, 3, 4}
		return ast.NewPow(g.expr(depth-1), ast.NewInt(exps[g.rng.IntN(len(exps))]))
	case 6:
		return ast.NewNeg(g.expr(depth - 1))
	default:
		if g.kinks && g.rng.IntN(2) == 0 {
			return g.kink(depth)
		}
		return ast.NewCall(genFuncs[g.rng.IntN(len(genFuncs))], g.expr(depth-1))
	}
}

// TestDerivProperty differentiates thousands of random expressions with D,
// simplifies the result, and compares both with central differences of
// the original function at random points. Points where the function is
// undefined near the point, or where the finite difference is
// ill-conditioned (two step sizes disagree), are skipped; most
// expressions must get checked.
func TestDerivProperty(t *testing.T) {
	n := 2500
	if testing.Short() {
		n = 500
	}
	g := &exprGen{rng: rand.New(rand.NewPCG(2024, 7))}
	prng := rand.New(rand.NewPCG(99, 1))
	vars := []string{"x", "y"}
	checkedExprs, checkedPoints, illCond, undefDeriv := 0, 0, 0, 0
	for k := 0; k < n; k++ {
		e := g.expr(4)
		exprChecked := false
		for _, v := range vars {
			wrt := ast.NewSym(v)
			raw, err := derive.D(bg, e, wrt, derive.Options{Rules: builtin})
			if err != nil {
				t.Fatalf("D(%s, %s): %v", ast.String(e), v, err)
			}
			res, err := simplify.Simplify(bg, raw, simplify.Options{Rules: builtin})
			if err != nil {
				t.Fatalf("Simplify(%s): %v", ast.String(raw), err)
			}
			for p := 0; p < 3; p++ {
				b := ast.Bindings{
					"x": ast.Scalar(dyadic(-2.5 + 5*prng.Float64())),
					"y": ast.Scalar(dyadic(-2.5 + 5*prng.Float64())),
				}
				x0 := b[v].Data[0]
				f := func(s float64) (float64, error) {
					bb := ast.Bindings{"x": b["x"], "y": b["y"]}
					bb[v] = ast.Scalar(s)
					return ast.Eval(e, nil, bb)
				}
				f0, err := f(x0)
				if err != nil || math.Abs(f0) > 1e6 {
					continue
				}
				h := step(x0)
				fd1, err1 := centralDiff(f, x0, h)
				fd2, err2 := centralDiff(f, x0, 2*h)
				if err1 != nil || err2 != nil {
					continue // undefined near the point
				}
				if !near(fd1, fd2, 1e-5, 1e-8*(1+math.Abs(f0))) || math.Abs(fd1) > 1e6 {
					illCond++
					continue
				}
				tol := func(got float64) bool {
					return near(got, fd1, 1e-5, 1e-7*(1+math.Abs(f0))+4*math.Abs(fd1-fd2))
				}
				for _, d := range []struct {
					what string
					e    ast.Expr
				}{{"D", raw}, {"simplified", res.Expr}} {
					got, err := ast.Eval(d.e, nil, b)
					if err != nil {
						// The function is smooth here (the two finite
						// differences agree) but the formula does not
						// evaluate: count it; too many is a failure below.
						undefDeriv++
						if undefDeriv <= 5 {
							t.Logf("%s of d(%s, %s) = %s undefined at %v: %v", d.what, ast.String(e), v, ast.String(d.e), b, err)
						}
						continue
					}
					if !tol(got) {
						t.Errorf("d(%s, %s): %s result %s = %.12g at x=%v y=%v; finite difference %.12g",
							ast.String(e), v, d.what, ast.String(d.e), got, b["x"], b["y"], fd1)
					}
				}
				checkedPoints++
				exprChecked = true
			}
		}
		if exprChecked {
			checkedExprs++
		}
		if t.Failed() {
			t.FailNow()
		}
	}
	t.Logf("%d expressions, %d checked at %d points; %d ill-conditioned points skipped; %d points where a derivative did not evaluate", n, checkedExprs, checkedPoints, illCond, undefDeriv)
	if checkedExprs < n*7/10 {
		t.Errorf("only %d of %d expressions were checked at some point", checkedExprs, n)
	}
	if undefDeriv > checkedPoints/100 {
		t.Errorf("%d points where the derivative did not evaluate, of %d", undefDeriv, checkedPoints)
	}
}

// TestRoundsReplayTheStep: for random expressions, with sums, indices and
// deltas (parsetest.Gen), the rounds of a derivation chain from d(E, v)
// to exactly the derivative's value, each round starting where the one
// before ended, and every sub-step a recorded step of the derivative: the
// rounds only regroup what was recorded.
func TestRoundsReplayTheStep(t *testing.T) {
	g := parsetest.NewGen(rand.New(rand.NewPCG(2024, 11)))
	vars := []ast.Expr{ast.NewSym("x"), ast.NewIndex("a", ast.NewSym("k")), ast.NewIndex("c", ast.NewSym("k"), ast.One)}
	checked := 0
	for n := 0; n < 1500; n++ {
		e := g.Expr(4)
		v := vars[n%len(vars)]
		st, err := derive.Step(bg, e, v, derive.Options{Rules: builtin})
		if err != nil {
			continue // e.g. a sum bound that depends on v
		}
		rounds, err := derive.Rounds(st)
		if err != nil {
			t.Fatalf("Rounds(d(%s, %s)): %v", ast.String(e), ast.String(v), err)
		}
		recorded := map[ast.Expr]bool{}
		for _, s := range st.Subs() {
			recorded[s.Before] = true
		}
		last := ast.Expr(ast.NewDeriv(e, v))
		for i, r := range rounds {
			if i > 0 && r.Before != rounds[i-1].After {
				t.Fatalf("d(%s, %s): round %d starts at %s, round %d ended at %s", ast.String(e), ast.String(v), i, ast.String(r.Before), i-1, ast.String(rounds[i-1].After))
			}
			for _, s := range r.Sub {
				if !recorded[s.Before] {
					t.Fatalf("d(%s, %s): round %d applies %s to %s, which the derivative did not record", ast.String(e), ast.String(v), i, s.Rule.Name, ast.String(s.Before))
				}
			}
			last = r.After
		}
		if last != st.After {
			t.Fatalf("d(%s, %s): the rounds end at %s, the derivative is %s", ast.String(e), ast.String(v), ast.String(last), ast.String(st.After))
		}
		checked++
	}
	if checked < 1000 {
		t.Errorf("only %d of 1500 derivatives were checked", checked)
	}
	t.Logf("%d derivatives replayed round by round", checked)
}
