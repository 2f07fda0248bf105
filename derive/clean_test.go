package derive_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/derive"
)

// refClean is Clean written as the plain recursion over the tree that
// its rules state (no memo, no shortcut for nodes of height 2): zero
// terms and unit factors dropped, a product with a zero factor, -0, 0/y
// and a sum of zero over an index are 0, y/1 and y^1 are y, the inside of
// a derivative is left as it is.
func refClean(e ast.Expr) ast.Expr {
	if _, ok := e.(*ast.Deriv); ok {
		return e
	}
	kids := ast.Children(e)
	if len(kids) > 0 {
		nk := make([]ast.Expr, len(kids))
		for i, k := range kids {
			nk[i] = refClean(k)
		}
		if !slices.Equal(nk, kids) {
			e = ast.WithChildren(e, nk)
		}
	}
	switch x := e.(type) {
	case *ast.Add:
		ts := slices.DeleteFunc(slices.Clone(x.Terms), func(t ast.Expr) bool { return t == ast.Zero })
		if len(ts) != len(x.Terms) {
			return ast.NewAdd(ts...)
		}
	case *ast.Mul:
		if slices.Contains(x.Factors, ast.Expr(ast.Zero)) {
			return ast.Zero
		}
		fs := slices.DeleteFunc(slices.Clone(x.Factors), func(f ast.Expr) bool { return f == ast.One })
		if len(fs) != len(x.Factors) {
			return ast.NewMul(fs...)
		}
	case *ast.Neg:
		if x.X == ast.Zero {
			return ast.Zero
		}
	case *ast.Div:
		if x.X == ast.Zero {
			return ast.Zero
		}
		if x.Y == ast.One {
			return x.X
		}
	case *ast.Sum:
		if x.Body == ast.Zero {
			return ast.Zero
		}
	case *ast.Pow:
		if x.Y == ast.One {
			return x.X
		}
	}
	return e
}

// TestCleanAgrees: Clean gives the node refClean gives on random
// expressions full of zeros and ones at every height, shared subtrees
// and derivatives among them.
func TestCleanAgrees(t *testing.T) {
	x, y := ast.NewSym("x"), ast.NewSym("y")
	rng := rand.New(rand.NewPCG(8, 8))
	leaves := []ast.Expr{ast.Zero, ast.One, ast.Zero, ast.One, x, y, ast.NewInt(2)}
	var gen func(depth int) ast.Expr
	gen = func(depth int) ast.Expr {
		if depth == 0 || rng.IntN(4) == 0 {
			return leaves[rng.IntN(len(leaves))]
		}
		a, b := gen(depth-1), gen(depth-1)
		switch rng.IntN(8) {
		case 0:
			return ast.NewAdd(a, b, gen(depth-1))
		case 1:
			return ast.NewMul(a, b, gen(depth-1))
		case 2:
			return ast.NewNeg(a)
		case 3:
			return ast.NewDiv(a, b)
		case 4:
			return ast.NewPow(a, b)
		case 5:
			return ast.NewCall("sin", a)
		case 6:
			return ast.NewDeriv(ast.NewMul(a, ast.One), x)
		}
		return ast.NewSum(ast.OpSum, "k", ast.One, ast.NewSym("n"), a)
	}
	small, large := 0, 0 // Clean walks a tree of up to 1024 nodes without its memo
	for i := range 4000 {
		e := gen(1 + rng.IntN(5))
		if i%4 == 1 { // larger than 1024 nodes as a tree
			ts := []ast.Expr{gen(5)}
			for size := int64(0); size <= 1100; size += ts[len(ts)-1].Size() {
				ts = append(ts, ast.NewMul(gen(5), gen(5)))
			}
			e = ast.NewAdd(ts...)
		}
		if e.Size() <= 1024 {
			small++
		} else {
			large++
		}
		if got, want := derive.Clean(e), refClean(e); got != want {
			t.Fatalf("Clean(%s) = %s, want %s", ast.String(e), ast.String(got), ast.String(want))
		}
		if got, want := derive.IsClean(e), refClean(e) == e; got != want {
			t.Fatalf("IsClean(%s) = %v, Clean changes it: %v", ast.String(e), got, want)
		}
	}
	if small < 500 || large < 500 {
		t.Errorf("%d small expressions and %d large: both ways of walking need checking", small, large)
	}
}
