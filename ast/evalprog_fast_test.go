package ast

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
)

// roundToInt is toInt as it was before its shortcut for whole numbers:
// the nearest integer, within 1e-9, of magnitude at most 2^53.
func roundToInt(a float64) (int64, bool) {
	r := math.Round(a)
	if math.Abs(a-r) > 1e-9 || math.Abs(r) > 1<<53 {
		return 0, false
	}
	return int64(r), true
}

// TestToIntMatchesRound: toInt's shortcut for whole numbers gives what
// rounding gives, on whole numbers of every size (about ±2^53, ±2^63 and
// past them), near-integers, halves, signed zeros, NaN and infinities.
func TestToIntMatchesRound(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 3))
	vals := []float64{0, math.Copysign(0, -1), 1, -1, 0.5, -0.5, 1e-10, 1 - 1e-10, -1 + 1e-10,
		1 << 53, -(1 << 53), 1<<53 + 2, -(1<<53 + 2), math.Nextafter(1<<53, 0), 1 << 62, 1 << 63, -(1 << 63),
		math.MaxInt64, math.MinInt64, 1e19, -1e19, 1e300, math.NaN(), math.Inf(1), math.Inf(-1),
		math.SmallestNonzeroFloat64, math.MaxFloat64}
	for range 200000 {
		switch r.IntN(4) {
		case 0:
			vals = append(vals, float64(r.Int64N(1<<20)-1<<19))
		case 1:
			vals = append(vals, math.Ldexp(float64(r.Int64N(1<<52)), r.IntN(20)-5)*float64(1-2*r.IntN(2)))
		case 2:
			vals = append(vals, float64(r.IntN(100))+(r.Float64()-0.5)*1e-8)
		default:
			vals = append(vals, math.Float64frombits(r.Uint64()))
		}
	}
	whole := 0
	for _, v := range vals {
		gi, gok := floatArith{}.toInt(v)
		wi, wok := roundToInt(v)
		if gi != wi || gok != wok {
			t.Fatalf("toInt(%v) = %d, %v; rounding gives %d, %v", v, gi, gok, wi, wok)
		}
		if gok && float64(gi) == v {
			whole++
		}
	}
	if whole < len(vals)/4 {
		t.Fatalf("only %d whole numbers of %d", whole, len(vals))
	}
}

// TestProgramCountsTreeSteps: a Program takes the tree evaluator's steps
// (which bound an evaluation, maxEvalSteps), not only its value: on
// random expressions at random points that both evaluate, the counts are
// equal. Its shortcuts (a sum's index read in place in an indexed name)
// must count the step they skip the call of.
func TestProgramCountsTreeSteps(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 4))
	ctx := context.Background()
	// The tree evaluator keeps tall nodes' values (memoHeight), which a
	// Program does not: the steps compared are those of the tree walked
	// whole.
	defer func(h int) { memoHeight = h }(memoHeight)
	memoHeight = math.MaxInt
	compared, indexed := 0, 0
	for k := range 6000 {
		g := &progGen{r: r}
		e := g.expr(2 + k%5)
		p := Compile(e)
		if p == nil {
			t.Fatalf("no program for %s", String(e))
		}
		for range 8 {
			b := progPoint(r)
			ev := &evaluator[float64]{ar: floatArith{}, b: b, ctx: ctx}
			want, werr := ev.eval(e, nil)
			got, gerr := p.Eval(ctx, b)
			if werr != nil || gerr != nil || p.bail {
				continue
			}
			if math.Float64bits(want) != math.Float64bits(got) || p.steps != ev.steps {
				t.Fatalf("%s at %v: program %v in %d steps, tree %v in %d", String(e), b, got, p.steps, want, ev.steps)
			}
			compared++
			if indexInSum(e, "") {
				indexed++
			}
		}
		p.Release()
	}
	if compared < 2000 || indexed < 500 {
		t.Fatalf("only %d evaluations compared, %d with an array indexed in a sum", compared, indexed)
	}
}

// indexInSum reports whether e reads an array at the index of a sum
// around it (v: the innermost sum's index, "" outside sums).
func indexInSum(e Expr, v string) bool {
	switch x := e.(type) {
	case *Sum:
		return indexInSum(x.Lo, v) || indexInSum(x.Hi, v) || indexInSum(x.Body, x.Var)
	case *Index:
		for _, i := range x.Indices {
			if s, ok := i.(*Sym); ok && v != "" && s.Name == v {
				return true
			}
		}
	}
	for _, c := range Children(e) {
		if indexInSum(c, v) {
			return true
		}
	}
	return false
}
