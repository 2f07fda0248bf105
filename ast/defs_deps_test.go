package ast

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// depsOracle is deps written independently: a plain recursive walk of the
// tree (shared parts visited again), its names in a map, sorted.
func depsOracle(d *Def) ([]string, bool) {
	names := map[string]bool{}
	matrix := false
	var walk func(e Expr)
	walk = func(e Expr) {
		switch n := e.(type) {
		case *Sym:
			names[n.Name] = true
		case *Index:
			names[n.Name] = true
		case *Call:
			if _, builtin := LookupFunc(n.Fn); !builtin {
				names[n.Fn] = true
			}
		case *MatOp:
			matrix = true
		}
		for _, k := range Children(e) {
			walk(k)
		}
	}
	walk(d.Body)
	var out []string
	for n := range names {
		if !slices.Contains(d.Params, n) {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out, matrix
}

// TestDepsRandom: deps agrees with depsOracle on random bodies, small ones
// (the visited list) and large ones with shared parts (past 64 interior
// nodes, the visited map).
func TestDepsRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 9))
	names := []string{"u", "v", "w", "p", "q", "f", "g", "x_1", "sigma"}
	wide := false // names drawn from many, so that a walk cut short misses some
	var gen func(depth int, pool []Expr) Expr
	gen = func(depth int, pool []Expr) Expr {
		if len(pool) > 0 && r.IntN(4) == 0 {
			return pool[r.IntN(len(pool))] // a shared part
		}
		if depth == 0 || r.IntN(5) == 0 {
			if r.IntN(3) == 0 {
				return NewInt(int64(r.IntN(5)))
			}
			if wide {
				return NewSym(fmt.Sprintf("v%d", r.IntN(500)))
			}
			return NewSym(names[r.IntN(len(names))])
		}
		kid := func() Expr { return gen(depth-1, pool) }
		switch r.IntN(7) {
		case 0:
			return NewAdd(kid(), kid(), kid())
		case 1:
			return NewMul(kid(), kid())
		case 2:
			return NewPow(kid(), kid())
		case 3:
			return NewCall([]string{"log", "sigma", "f", "g"}[r.IntN(4)], kid())
		case 4:
			return NewIndex(names[r.IntN(len(names))], NewSym("i"))
		case 5:
			return NewSum(OpSum, "i", NewInt(1), NewSym("n"), kid())
		default:
			return NewMatOp(MatTranspose, kid())
		}
	}
	for i := range 2000 {
		depth := 2 + r.IntN(3)
		var pool []Expr
		wide = i%6 == 0
		if i%3 == 0 {
			depth = 7 + r.IntN(3)
			for range 4 {
				pool = append(pool, gen(3, nil))
			}
		}
		body := gen(depth, pool)
		if wide {
			// Past deps's plain walk of a tree (256 nodes).
			terms := []Expr{body}
			for range 150 {
				terms = append(terms, NewMul(gen(2, pool), gen(2, pool)))
			}
			body = NewAdd(terms...)
		}
		d := &Def{Name: "h", Kind: DefFunc, Body: body}
		if r.IntN(2) == 0 {
			d.Params = []string{names[r.IntN(len(names))], names[r.IntN(len(names))]}
		}
		got, gotM := deps(d)
		slices.Sort(got)
		want, wantM := depsOracle(d)
		if diff := cmp.Diff(fmt.Sprint(want, wantM), fmt.Sprint(got, gotM)); diff != "" {
			t.Fatalf("deps(%s) (-want +got):\n%s", d, diff)
		}
	}
}

// TestDepsSharedDeep: a body whose tree is 2^60 nodes but whose DAG is 120
// (each level uses the one below twice) is walked once per distinct node.
func TestDepsSharedDeep(t *testing.T) {
	e := Expr(NewSym("u"))
	for k := range 60 {
		e = NewAdd(e, NewMul(e, NewSym(fmt.Sprintf("c%d", k%3))))
	}
	got, _ := deps(&Def{Name: "h", Body: e})
	slices.Sort(got)
	if diff := cmp.Diff([]string{"c0", "c1", "c2", "u"}, got); diff != "" {
		t.Errorf("deps (-want +got):\n%s", diff)
	}
}

// BenchmarkDepsW7 is deps of a definition of W7 (cmd/internal/workload).
func BenchmarkDepsW7(b *testing.B) {
	z := NewAdd(NewMul(NewSym("x_7_1"), NewSym("w1")), NewMul(NewSym("x_7_2"), NewSym("w2")), NewMul(NewSym("x_7_3"), NewSym("w3")))
	y := NewSym("y7")
	body := NewAdd(NewMul(y, NewCall("log", NewCall("sigma", z))),
		NewMul(NewAdd(NewInt(1), NewNeg(y)), NewCall("log", NewAdd(NewInt(1), NewNeg(NewCall("sigma", z))))))
	d := &Def{Name: "a7", Body: body}
	for b.Loop() {
		deps(d)
	}
}

// BenchmarkDefineW7 defines 8,000 definitions shaped as W7's (each body
// uses seven names, none of them defined) into an empty Defs: deps, the
// cycle check's lookups and the table's writes.
func BenchmarkDefineW7(b *testing.B) {
	const n = 8000
	defs := make([]*Def, n)
	for k := range defs {
		z := NewAdd(NewMul(NewSym(fmt.Sprintf("x_%d_1", k)), NewSym("w1")), NewMul(NewSym(fmt.Sprintf("x_%d_2", k)), NewSym("w2")), NewMul(NewSym(fmt.Sprintf("x_%d_3", k)), NewSym("w3")))
		y := NewSym(fmt.Sprintf("y%d", k))
		body := NewAdd(NewMul(y, NewCall("log", NewCall("sigma", z))),
			NewMul(NewAdd(NewInt(1), NewNeg(y)), NewCall("log", NewAdd(NewInt(1), NewNeg(NewCall("sigma", z))))))
		defs[k] = &Def{Name: fmt.Sprintf("a%d", k), Body: body}
	}
	for b.Loop() {
		var ds Defs
		for _, d := range defs {
			if err := ds.Define(d); err != nil {
				b.Fatal(err)
			}
		}
	}
}
