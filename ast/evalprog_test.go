package ast

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
)

// progGen draws random expressions over x, y, z, n, i, j (i and j also
// indices of sums) and the arrays a[·] and m[·,·], reusing subexpressions
// so that the DAG shares them, inside sums and out.
type progGen struct {
	r    *rand.Rand
	pool []Expr
}

var progFuncs = []string{"exp", "log", "sqrt", "sigma", "softplus", "tanh", "cosh", "sinh", "sin", "cos",
	"Phi", "phi", "abs", "sign", "step", "relu", "max", "min", "clip", "delta", "pi", "nosuch"}

func (g *progGen) leaf() Expr {
	switch g.r.IntN(9) {
	case 0:
		return NewInt(int64(g.r.IntN(7) - 2))
	case 1:
		nums := []Number{Frac(1, 2), Frac(-7, 3), Int(1 << 40), Frac(1, 1<<40)}
		return NewNum(nums[g.r.IntN(len(nums))])
	case 2:
		return NewIndex("a", g.index())
	case 3:
		return NewIndex("m", g.index(), g.index())
	case 4:
		return NewSym("i")
	case 5:
		return NewSym("n")
	default:
		return NewSym([]string{"x", "y", "z", "j"}[g.r.IntN(4)])
	}
}

func (g *progGen) index() Expr {
	switch g.r.IntN(6) {
	case 0:
		return NewInt(int64(g.r.IntN(5)))
	case 1:
		return NewAdd(NewSym("i"), NewInt(1))
	case 2:
		return NewSym("j")
	case 3:
		return NewSym("n")
	case 4:
		return NewSym("x") // mostly not an integer
	}
	return NewSym("i")
}

func (g *progGen) cond(d int) Expr {
	ops := []CondOp{CondLt, CondLe, CondGt, CondGe, CondEq, CondNe}
	if d <= 0 {
		return NewCompare(ops[g.r.IntN(len(ops))], g.leaf(), g.leaf())
	}
	switch g.r.IntN(5) {
	case 0:
		return NewAnd(g.cond(d-1), g.cond(d-1))
	case 1:
		return NewOr(g.cond(d-1), g.cond(d-1))
	case 2:
		return NewNot(g.cond(d - 1))
	case 3:
		return g.expr(d - 1) // a value in a condition's place
	}
	return NewCompare(ops[g.r.IntN(len(ops))], g.expr(d-1), g.expr(d-1))
}

func (g *progGen) expr(d int) Expr {
	if len(g.pool) > 0 && g.r.IntN(4) == 0 {
		return g.pool[g.r.IntN(len(g.pool))]
	}
	if d <= 0 {
		return g.leaf()
	}
	var e Expr
	switch g.r.IntN(16) {
	case 0:
		e = NewNeg(g.expr(d - 1))
	case 1, 2:
		e = NewAdd(g.expr(d-1), g.expr(d-1), g.expr(d-2))
	case 3, 4:
		e = NewMul(g.expr(d-1), g.expr(d-1))
	case 5:
		e = NewDiv(g.expr(d-1), g.expr(d-1))
	case 6:
		e = NewPow(g.expr(d-1), g.expr(d-1))
	case 7:
		f := progFuncs[g.r.IntN(len(progFuncs))]
		switch f {
		case "max", "min":
			e = NewCall(f, g.expr(d-1), g.expr(d-1), g.expr(d-2))
		case "clip":
			e = NewCall(f, g.expr(d-1), g.expr(d-2), g.expr(d-2))
		case "delta":
			e = NewCall(f, g.index(), g.index())
		case "pi":
			e = NewCall(f)
		default:
			e = NewCall(f, g.expr(d-1))
		}
	case 8:
		e = NewCall("log", NewCall("sigma", g.expr(d-1)))
	case 9, 10:
		op := OpSum
		if g.r.IntN(3) == 0 {
			op = OpMean
		}
		v := []string{"i", "j"}[g.r.IntN(2)]
		lo, hi := Expr(NewInt(int64(g.r.IntN(3)))), Expr(NewSym("n"))
		switch g.r.IntN(6) {
		case 0:
			lo = NewSym("i") // the outer index, or the binding i
		case 1:
			hi = NewInt(int64(g.r.IntN(3)))
		case 2:
			hi = NewPow(NewInt(2), NewInt(60)) // beyond 2^53: the tree evaluator's wide ranges
			lo = hi
		case 3:
			hi = NewSym("x")
		}
		e = NewSum(op, v, lo, hi, g.expr(d-1))
	case 11:
		e = NewIverson(g.expr(d-1), g.expr(d-1))
	case 12:
		e = NewMul(NewIverson(g.index(), g.index()), g.expr(d-1))
	case 13:
		e = NewIf(g.cond(d-1), g.expr(d-1), g.expr(d-1))
	case 14:
		switch g.r.IntN(6) {
		case 0:
			e = Undefined()
		case 1:
			e = NewDeriv(NewSym("x"), NewSym("y"))
		default:
			e = g.cond(d - 1)
		}
	default:
		e = NewMul(NewSum(OpSum, "j", NewInt(1), NewSym("n"), g.expr(d-1)), g.expr(d-1))
	}
	g.pool = append(g.pool, e)
	return e
}

// progPoint draws a point: scalars from tiny to huge, near domain edges,
// whole numbers for the names used as indices and bounds, and arrays of
// random sizes.
func progPoint(r *rand.Rand) Bindings {
	scalar := func() float64 {
		switch r.IntN(8) {
		case 0:
			return float64(r.IntN(5) - 1)
		case 1:
			return math.Ldexp(r.Float64(), r.IntN(2000)-1000)
		case 2:
			return -math.Ldexp(r.Float64(), r.IntN(60)-30)
		case 3:
			return math.Nextafter(0, float64(r.IntN(3)-1))
		case 4:
			return 1 + (r.Float64()-0.5)*1e-12
		case 5:
			return 745 + r.Float64()*10
		}
		return (r.Float64() - 0.5) * 8
	}
	b := Bindings{}
	for _, n := range []string{"x", "y", "z"} {
		if r.IntN(30) > 0 {
			b[n] = Scalar(scalar())
		}
	}
	b["n"] = Scalar(float64(r.IntN(5)))
	if r.IntN(8) == 0 {
		b["n"] = Scalar(scalar())
	}
	for _, n := range []string{"i", "j"} {
		if r.IntN(3) > 0 {
			b[n] = Scalar(float64(r.IntN(4)))
		}
	}
	if r.IntN(20) > 0 {
		k := 1 + r.IntN(5)
		v := Value{Shape: []int{k}}
		for range k {
			v.Data = append(v.Data, scalar())
		}
		b["a"] = v
	}
	if r.IntN(20) > 0 {
		k, l := 1+r.IntN(4), 1+r.IntN(4)
		v := Value{Shape: []int{k, l}}
		for range k * l {
			v.Data = append(v.Data, scalar())
		}
		b["m"] = v
	} else if r.IntN(2) == 0 {
		b["m"] = Scalar(1) // bound to a scalar where read with indices
	}
	if r.IntN(10) == 0 {
		b["y"] = RatScalar(Frac(1, 3).Rat()) // read from Exact
	}
	return b
}

// TestProgramMatchesEvalBound: a Program gives EvalBound's value bit for
// bit, and its error, on random expressions at random points.
func TestProgramMatchesEvalBound(t *testing.T) {
	exprs, points := 3000, 12
	if testing.Short() {
		exprs = 600
	}
	r := rand.New(rand.NewPCG(1, 2))
	ctx := context.Background()
	okVals, errs, made, shared := 0, 0, 0, 0
	for k := range exprs {
		g := &progGen{r: r}
		e := g.expr(2 + k%5)
		p := Compile(e)
		if p == nil {
			t.Fatalf("no program for %s", String(e))
		}
		for _, n := range p.nodes {
			if n.memo {
				shared++
				break
			}
		}
		for range points {
			b := progPoint(r)
			want, werr := EvalBound(ctx, e, nil, b)
			got, gerr := p.Eval(ctx, b)
			if math.Float64bits(want) != math.Float64bits(got) || (werr == nil) != (gerr == nil) ||
				werr != nil && werr.Error() != gerr.Error() {
				t.Fatalf("%s at %v: program %v (%v), EvalBound %v (%v)", String(e), b, got, gerr, want, werr)
			}
			switch {
			case werr == nil:
				okVals++
			case p.err != nil && !p.bail:
				made++ // by the program, not by EvalBound after it
				fallthrough
			default:
				errs++
			}
		}
	}
	// The test means something only if both outcomes are common and the
	// memo is used.
	if okVals < exprs || errs < exprs || made < exprs/2 || shared < exprs/4 {
		t.Fatalf("too few cases: %d values, %d errors (%d made by the program), %d programs with a memo", okVals, errs, made, shared)
	}
	t.Logf("%d values, %d errors (%d made by the program), %d programs with a memo", okVals, errs, made, shared)
}

// TestProgramErrorFromMemo: a failure swallowed by a bracket that is 0
// (x/(y - y) * [1 <= 0]) leaves another error behind; the shared part
// failing again later gives its own error, from the memo.
func TestProgramErrorFromMemo(t *testing.T) {
	x, y := NewSym("x"), NewSym("y")
	zero := NewIverson(NewInt(1), NewInt(0))
	divZero := NewDiv(x, NewAdd(y, NewNeg(y)))
	powZero := NewPow(NewAdd(y, NewNeg(y)), NewInt(-1))
	e := NewAdd(NewMul(divZero, zero), NewMul(powZero, zero), divZero)
	b := Bindings{"x": Scalar(1), "y": Scalar(2)}
	want, werr := EvalBound(context.Background(), e, nil, b)
	p := Compile(e)
	got, gerr := p.Eval(context.Background(), b)
	if werr == nil || gerr == nil || werr.Error() != gerr.Error() || got != want || p.bail {
		t.Fatalf("%s: program %v (%v), EvalBound %v (%v)", String(e), got, gerr, want, werr)
	}
}
