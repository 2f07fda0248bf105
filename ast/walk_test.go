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

// TestSharedEnds: the common front and back of two lists are those the
// plain comparison of nodes finds, front first, on random lists over a few
// nodes of every kind of type (so that equal type words with different
// nodes, and different types, both occur), of lengths 0 to 12 and 0 to
// 150 (several blocks compared at once).
func TestSharedEnds(t *testing.T) {
	x := NewSym("x")
	pool := []Expr{x, NewSym("y"), NewInt(1), NewInt(2), NewAdd(x, One), NewAdd(x, Two), NewMul(x, Two), NewCall("sin", x), NewPow(x, Two)}
	plain := func(a, b []Expr) (int, int) {
		n := min(len(a), len(b))
		p := 0
		for p < n && a[p] == b[p] {
			p++
		}
		s := 0
		for s < n-p && a[len(a)-1-s] == b[len(b)-1-s] {
			s++
		}
		return p, s
	}
	seed := uint64(1)
	rnd := func(n int) int { // a small LCG: the test needs no more
		seed = seed*6364136223846793005 + 1442695040888963407
		return int(seed>>33) % n
	}
	kinds := map[[2]bool]int{}
	for i := range 20000 {
		a := make([]Expr, rnd(13))
		if i%2 == 1 {
			a = make([]Expr, rnd(150)) // several blocks of sharedBlock nodes
		}
		for i := range a {
			a[i] = pool[rnd(3)+rnd(len(pool)-2)]
		}
		b := append([]Expr(nil), a...)
		switch rnd(3) { // b like a, with a change or two, or unrelated
		case 0:
			b = make([]Expr, rnd(13))
			for i := range b {
				b[i] = pool[rnd(len(pool))]
			}
		default:
			for range 1 + rnd(2) {
				if len(b) > 0 && rnd(4) == 0 {
					b[rnd(len(b))] = pool[rnd(len(pool))] // one node replaced
					continue
				}
				if len(b) > 0 && rnd(2) == 0 {
					i := rnd(len(b))
					b = append(b[:i], b[i+1:]...)
				} else {
					i := rnd(len(b) + 1)
					b = append(b[:i], append([]Expr{pool[rnd(len(pool))]}, b[i:]...)...)
				}
			}
		}
		gp, gs := SharedEnds(a, b)
		wp, ws := plain(a, b)
		if gp != wp || gs != ws {
			t.Fatalf("SharedEnds(%v, %v) = %d, %d; want %d, %d", a, b, gp, gs, wp, ws)
		}
		kinds[[2]bool{gp > 0, gs > 0}]++
	}
	if len(kinds) != 4 {
		t.Errorf("cases by (front, back) shared: %v: not every kind was met", kinds)
	}
}

// runLists makes long lists of nodes one after another, each from the
// last or from a base by leaving nodes out, putting them back, swapping
// or replacing them (W5's products are the base with one node left out),
// for the tests of the walks that compare a list with the last one.
func runLists(seed uint64, count int, pool []Expr) [][]Expr {
	rnd := func(n int) int {
		seed = seed*6364136223846793005 + 1442695040888963407
		return int(seed>>33) % n
	}
	base := make([]Expr, minRun+rnd(20))
	for i := range base {
		base[i] = pool[rnd(len(pool))]
	}
	cur := append([]Expr(nil), base...)
	var out [][]Expr
	for step := range count {
		next := append([]Expr(nil), cur...)
		switch rnd(6) {
		case 0:
			i := step % len(base)
			next = append(append([]Expr(nil), base[:i]...), base[i+1:]...)
		case 1:
			i := rnd(len(next))
			next = append(next[:i], next[i+1:]...)
		case 2:
			i := rnd(len(next) + 1)
			next = append(next[:i], append([]Expr{pool[rnd(len(pool))]}, next[i:]...)...)
		case 3:
			i, j := rnd(len(next)), rnd(len(next))
			next[i], next[j] = next[j], next[i]
		case 4:
			next[rnd(len(next))] = pool[rnd(len(pool))]
		default:
			next = append([]Expr(nil), base...)
		}
		if len(next) < minRun {
			next = append([]Expr(nil), base...)
		}
		cur = next
		out = append(out, cur)
	}
	return out
}

// TestChildRun: ChildRun.MapChildren gives the node MapChildren gives,
// node after node, on runs of long sums, products and calls made from one
// another, for a function that changes some children and not others
// (so that results are the node itself, the node rebuilt, or some of
// each), and that maps a long child's own children through the same run
// (a nested call takes the run while the outer one is in use).
func TestChildRun(t *testing.T) {
	x := NewSym("x")
	var pool []Expr
	for k := range 24 {
		pool = append(pool, NewAdd(x, NewInt(int64(k+1))), NewSym(string(rune('a'+k))))
	}
	// Sums are changed (x + k to x + k + 1), names kept.
	plainF := func(e Expr) Expr {
		if a, ok := e.(*Add); ok {
			return NewAdd(append(append([]Expr(nil), a.Terms...), One)...)
		}
		return e
	}
	for _, keepAll := range []bool{false, true} {
		for seed := range uint64(20) {
			var run ChildRun
			f := plainF
			if keepAll {
				f = func(e Expr) Expr { return e }
			}
			var nested func(e Expr) Expr
			nested = func(e Expr) Expr {
				if c, ok := e.(*Call); ok && len(c.Args) >= minRun {
					return run.MapChildren(e, nested) // a long call inside: the same run, re-entered
				}
				return f(e)
			}
			wantNested := func(e Expr) Expr {
				if c, ok := e.(*Call); ok && len(c.Args) >= minRun {
					return MapChildren(e, f)
				}
				return f(e)
			}
			lists := runLists(seed+1, 60, pool)
			for i, l := range lists {
				var e Expr
				switch i % 3 {
				case 0:
					e = NewMul(l...)
				case 1:
					e = NewAdd(l...)
				default:
					e = NewCall("g", l...)
				}
				if i%7 == 3 {
					// A long call among the children.
					l2 := append([]Expr{NewCall("h", lists[(i+5)%len(lists)]...)}, l...)
					e = NewCall("g", l2...)
				}
				got := run.MapChildren(e, nested)
				want := MapChildren(e, wantNested)
				if got != want {
					t.Fatalf("seed %d, list %d (keep all %v): ChildRun gives %s, MapChildren %s", seed, i, keepAll, String(got), String(want))
				}
			}
		}
	}
}

// TestInspectOnceRuns: InspectOnce visits the nodes, in the order, that a
// walk with a plain set of visited nodes visits, on sums of long products
// made from one another (it passes over the children a product shares at
// its ends with the last long list), with f cutting the walk below some
// nodes.
func TestInspectOnceRuns(t *testing.T) {
	x := NewSym("x")
	var pool []Expr
	for k := range 24 {
		pool = append(pool, NewAdd(x, NewInt(int64(k+1))), NewCall("sin", NewAdd(x, NewInt(int64(k+1)))), NewSym(string(rune('a'+k))))
	}
	plain := func(e Expr, f func(Expr) bool) []Expr {
		seen := map[Expr]bool{}
		var order []Expr
		var walk func(Expr)
		walk = func(e Expr) {
			if seen[e] {
				return
			}
			seen[e] = true
			order = append(order, e)
			if !f(e) {
				return
			}
			for _, k := range Children(e) {
				walk(k)
			}
		}
		walk(e)
		return order
	}
	for seed := range uint64(20) {
		lists := runLists(seed+1, 40, pool)
		var terms []Expr
		for i, l := range lists {
			if i%5 == 4 {
				// A product with a long call inside, itself a long list.
				l = append([]Expr{NewCall("g", lists[(i+3)%len(lists)]...)}, l...)
			}
			terms = append(terms, NewMul(l...))
		}
		e := NewAdd(terms...)
		for _, cut := range []bool{false, true} {
			f := func(x Expr) bool {
				// Cutting below calls of sin: their arguments are then
				// visited only if met elsewhere.
				c, ok := x.(*Call)
				return !cut || !ok || c.Fn != "sin"
			}
			var got []Expr
			InspectOnce(e, func(x Expr) bool { got = append(got, x); return f(x) })
			want := plain(e, f)
			if i := firstDiff(got, want, 0, min(len(got), len(want))); i >= 0 || len(got) != len(want) {
				t.Fatalf("seed %d, cut %v: InspectOnce visits %d nodes, the plain walk %d; first difference at %d", seed, cut, len(got), len(want), i)
			}
		}
	}
}
