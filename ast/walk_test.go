package ast

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// naiveRewrite is an independent oracle for Rewrite: the plain recursion,
// without memo or lazy copying.
func naiveRewrite(e Expr, f func(Expr) (Expr, bool)) Expr {
	if r, ok := f(e); ok {
		return r
	}
	kids := Children(e)
	if len(kids) == 0 {
		return e
	}
	nk := make([]Expr, len(kids))
	for i, k := range kids {
		nk[i] = naiveRewrite(k, f)
	}
	return WithChildren(e, nk)
}

func TestRewrite(t *testing.T) {
	x, y := NewSym("x"), NewSym("y")
	sinx := NewCall("sin", x)
	// sin(u) → cos(u): the result is not walked again, so sin(sin(x))
	// becomes cos(sin(x)), not cos(cos(x)).
	sinToCos := func(e Expr) (Expr, bool) {
		if c, ok := e.(*Call); ok && c.Fn == "sin" {
			return NewCall("cos", c.Args...), true
		}
		return nil, false
	}
	// x → y everywhere, under a sum binder too (binders are not special).
	xToY := func(e Expr) (Expr, bool) {
		if e == x {
			return y, true
		}
		return nil, false
	}
	never := func(Expr) (Expr, bool) { return nil, false }
	tests := []struct {
		name string
		in   Expr
		f    func(Expr) (Expr, bool)
		want string
	}{
		{"pre-order stops at a match", NewCall("sin", sinx), sinToCos, Sexpr(NewCall("cos", sinx))},
		{"shared subtree", NewAdd(NewMul(sinx, y), NewPow(sinx, NewInt(2)), sinx), sinToCos,
			Sexpr(NewAdd(NewMul(NewCall("cos", x), y), NewPow(NewCall("cos", x), NewInt(2)), NewCall("cos", x)))},
		{"leaf", x, xToY, "y"},
		{"under binders", NewSum(OpSum, "i", NewInt(1), x, NewMul(x, NewIndex("a", NewSym("i")))), xToY,
			Sexpr(NewSum(OpSum, "i", NewInt(1), y, NewMul(y, NewIndex("a", NewSym("i")))))},
		{"no match", NewDiv(sinx, NewNeg(y)), never, Sexpr(NewDiv(sinx, NewNeg(y)))},
		{"root match", NewAdd(x, y), func(e Expr) (Expr, bool) { return NewInt(0), true }, "0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Rewrite(tc.in, tc.f)
			if diff := cmp.Diff(tc.want, Sexpr(got)); diff != "" {
				t.Errorf("Rewrite(%s) (-want +got):\n%s", Sexpr(tc.in), diff)
			}
			if oracle := naiveRewrite(tc.in, tc.f); got != oracle {
				t.Errorf("Rewrite(%s) = %s, plain recursion gives %s", Sexpr(tc.in), Sexpr(got), Sexpr(oracle))
			}
		})
	}
}

// TestRewriteOnce checks that a shared node is offered to f once and that
// an untouched expression comes back as the same node.
func TestRewriteOnce(t *testing.T) {
	x := NewSym("x")
	e := NewCall("g", x)
	for i := 0; i < 40; i++ { // 2^40 paths to x; fine only with the memo
		e = NewCall("h", e, e)
	}
	calls := 0
	got := Rewrite(e, func(Expr) (Expr, bool) { calls++; return nil, false })
	if got != e {
		t.Errorf("Rewrite with no match returned a new node %s", Sexpr(got))
	}
	if want := 42; calls != want { // 40 h nodes, g(x), x
		t.Errorf("f called %d times, want %d", calls, want)
	}
}
