package ast_test

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"

	"github.com/symdiff/symdiff/ast"
)

// freeRef is the free names of e by their definition, recursively and
// without any cache: the oracle of FreeNames's walk.
func freeRef(e ast.Expr, bound map[string]int, out map[string]bool) {
	switch e := e.(type) {
	case *ast.Sym:
		if bound[e.Name] == 0 {
			out[e.Name] = true
		}
		return
	case *ast.Index:
		out[e.Name] = true
	case *ast.Sum:
		freeRef(e.Lo, bound, out)
		freeRef(e.Hi, bound, out)
		bound[e.Var]++
		freeRef(e.Body, bound, out)
		bound[e.Var]--
		return
	}
	for _, k := range ast.Children(e) {
		freeRef(k, bound, out)
	}
}

// genFresh builds a random tree of every kind of node over names of its
// own (suffix), so that no node of it has its free names known yet.
func genFresh(r *rand.Rand, depth int, suffix string, bound []string) ast.Expr {
	name := func() string { return []string{"x", "y", "i", "j", "n"}[r.IntN(5)] + suffix }
	if depth == 0 || r.IntN(7) == 0 {
		switch r.IntN(5) {
		case 0:
			return ast.NewInt(int64(r.IntN(5)))
		case 1:
			if len(bound) > 0 {
				return ast.NewSym(bound[r.IntN(len(bound))])
			}
		case 2:
			return ast.NewIndex("w"+suffix, ast.NewSym(name()))
		}
		return ast.NewSym(name())
	}
	sub := func() ast.Expr { return genFresh(r, depth-1, suffix, bound) }
	switch r.IntN(12) {
	case 0:
		return ast.NewAdd(sub(), sub(), sub())
	case 1:
		return ast.NewMul(sub(), sub())
	case 2:
		return ast.NewDiv(sub(), sub())
	case 3:
		return ast.NewNeg(sub())
	case 4:
		return ast.NewPow(sub(), sub())
	case 5:
		return ast.NewCall("max", sub(), sub())
	case 6:
		return ast.NewIndex("v"+suffix, sub(), sub())
	case 7, 8:
		v := []string{"i", "j"}[r.IntN(2)] + suffix
		body := genFresh(r, depth-1, suffix, append(bound[:len(bound):len(bound)], v))
		return ast.NewSum(ast.OpSum, v, sub(), sub(), body)
	case 9:
		return ast.NewIf(ast.NewCompare(ast.CondLt, sub(), sub()), sub(), sub())
	case 10:
		return ast.NewDeriv(sub(), ast.NewSym(name()))
	}
	return ast.NewCall("exp", sub())
}

// TestFreeNamesWalk: the free names FreeNames finds by its loop, over
// random trees whose nodes are new to it, are those of the definition,
// at the root and at every node below.
func TestFreeNamesWalk(t *testing.T) {
	for seed := range uint64(400) {
		r := rand.New(rand.NewPCG(seed, 9))
		e := genFresh(r, 2+r.IntN(6), fmt.Sprintf("_f%d", seed), nil)
		ast.Inspect(e, func(x ast.Expr) bool {
			ref := map[string]bool{}
			freeRef(x, map[string]int{}, ref)
			want := make([]string, 0, len(ref))
			for n := range ref {
				want = append(want, n)
			}
			slices.Sort(want)
			if got := ast.FreeNames(x); !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
				t.Fatalf("seed %d: FreeNames(%s) = %v, want %v", seed, ast.String(x), got, want)
			}
			return true
		})
	}
}

// TestFreeNamesDeep: a chain 200,000 deep (a where clause's parts,
// sin(u1 + c) with u1 = sin(u2 + c), ...) has its free names, and its
// parts theirs, found without a stack as deep as the chain (the
// recursion grew it to tens of megabytes, a doubling at a time).
func TestFreeNamesDeep(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 400,000 nodes")
	}
	names := []ast.Expr{ast.NewSym("u0_deep"), ast.NewSym("u1_deep"), ast.NewSym("u2_deep")}
	e := ast.Expr(ast.NewSym("x_deep"))
	var mid ast.Expr
	for i := range 200_000 {
		e = ast.NewCall("sin", ast.NewAdd(e, names[i%3]))
		if i == 100_000 {
			mid = e
		}
	}
	var got []string
	var before, after runtime.MemStats
	done := make(chan struct{})
	go func() { // a goroutine of its own, with a small stack
		defer close(done)
		runtime.ReadMemStats(&before)
		got = ast.FreeNames(e)
		runtime.ReadMemStats(&after)
	}()
	<-done
	if !slices.Equal(got, []string{"u0_deep", "u1_deep", "u2_deep", "x_deep"}) {
		t.Errorf("FreeNames = %v", got)
	}
	if grown := int64(after.StackInuse) - int64(before.StackInuse); grown > 4<<20 {
		t.Errorf("the stacks grew by %d MB", grown>>20)
	}
	if got := ast.FreeNames(mid); len(got) != 4 {
		t.Errorf("FreeNames of a part = %v", got)
	}
}

// TestHasFreeNamesMatchesRef: HasFreeNames answers as the free names by
// their definition do (freeRef), asked before FreeNames lists them, on
// random trees of every kind of node, shallow ones (often closed: sums
// binding every name they use, numbers) included.
func TestHasFreeNamesMatchesRef(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 0xf4ee))
	closed, open := 0, 0
	for i := range 4000 {
		e := genFresh(r, i%5, fmt.Sprintf("_h%d", i), nil)
		ref := map[string]bool{}
		freeRef(e, map[string]int{}, ref)
		if got := ast.HasFreeNames(e); got != (len(ref) > 0) {
			t.Fatalf("HasFreeNames(%s) = %v; its free names are %v", ast.String(e), got, ref)
		}
		if len(ref) == 0 {
			closed++
		} else {
			open++
		}
	}
	if closed < 200 || open < 200 {
		t.Fatalf("%d closed and %d open trees: the generator does not test both", closed, open)
	}
}
