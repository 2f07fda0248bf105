package ast

import (
	"context"
	"math"
	"math/rand"
	"testing"
)

// TestEvalDeepDerivativeShape evaluates the shape of the derivative of a
// sine nested 20,000 deep: a product of cosines of ever deeper arguments,
// 40,000 nodes whose tree has 200 million. Evaluated as a tree it stops at
// the step limit; each tall node's value is kept, so it takes a step per
// node. The oracle is the same product in plain Go.
func TestEvalDeepDerivativeShape(t *testing.T) {
	const depth = 20000
	var s Expr = NewSym("x")
	factors := make([]Expr, 0, depth)
	for k := 0; k < depth; k++ {
		factors = append(factors, NewCall("cos", s))
		s = NewCall("sin", s)
	}
	e := NewAdd(NewMul(factors...), s)
	x := 0.3
	got, err := EvalContext(context.Background(), e, nil, Bindings{"x": Scalar(x)})
	if err != nil {
		t.Fatal(err)
	}
	p, v := 1.0, x
	for k := 0; k < depth; k++ {
		p *= math.Cos(v)
		v = math.Sin(v)
	}
	want := p + v
	if math.Abs(got-want) > 1e-12*math.Abs(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

// TestEvalMemoAgrees compares evaluation with the memo of tall nodes and
// without it on random expressions with much sharing (definitions, sums
// whose bodies use shared parts, kinks, parts without a value): the same
// value bit for bit, or the same error.
func TestEvalMemoAgrees(t *testing.T) {
	r := rand.New(rand.NewSource(11))
	defer func(h int) { memoHeight = h }(memoHeight)
	for trial := 0; trial < 300; trial++ {
		pool := []Expr{NewSym("x"), NewSym("y"), NewInt(2), NewNum(Frac(1, 3))}
		for len(pool) < 60 {
			a, b := pool[r.Intn(len(pool))], pool[r.Intn(len(pool))]
			var n Expr
			switch r.Intn(9) {
			case 0:
				n = NewAdd(a, b)
			case 1:
				n = NewMul(a, b)
			case 2:
				n = NewCall("sin", a)
			case 3:
				n = NewCall("log", a)
			case 4:
				n = NewDiv(a, b)
			case 5:
				n = NewCall("relu", NewAdd(a, NewNeg(b)))
			case 6:
				n = NewCall("sqrt", a)
			case 7:
				n = NewSum(OpSum, "i", NewInt(1), NewInt(3), NewMul(NewIndex("v", NewSym("i")), a))
			default:
				n = NewCall("exp", NewMul(a, NewNum(Frac(1, 10))))
			}
			pool = append(pool, n)
		}
		e := NewAdd(pool[len(pool)-1], pool[len(pool)-2], pool[len(pool)/2])
		b := Bindings{
			"x": Scalar(r.Float64()*4 - 1),
			"y": Scalar(r.Float64()*3 + 0.1),
			"v": {Shape: []int{3}, Data: []float64{r.Float64(), -r.Float64(), 2}},
		}
		memoHeight = 8
		v1, err1 := EvalContext(context.Background(), e, nil, b)
		memoHeight = math.MaxInt
		v2, err2 := EvalContext(context.Background(), e, nil, b)
		if (err1 == nil) != (err2 == nil) || (err1 != nil && err1.Error() != err2.Error()) {
			t.Fatalf("%s: with the memo %v, %v; without %v, %v", String(e), v1, err1, v2, err2)
		}
		if err1 == nil && math.Float64bits(v1) != math.Float64bits(v2) && !(math.IsNaN(v1) && math.IsNaN(v2)) {
			t.Fatalf("%s: with the memo %v, without %v", String(e), v1, v2)
		}
	}
}
