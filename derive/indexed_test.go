package derive_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/derive"
	"github.com/symdiff/symdiff/simplify"
)

// indexGen builds random expressions over an indexed variable w, other
// arrays (a[.], c[.,.]), a scalar y and sums from 1 to n or m. The bound
// variables are drawn from i, j and k, so sums over k, which shadow the
// free k of the variable w[k], occur often.
type indexGen struct {
	rng   *rand.Rand
	scope []string
}

func (g *indexGen) index() ast.Expr {
	opts := append([]string{"k"}, g.scope...)
	return ast.NewSym(opts[g.rng.IntN(len(opts))])
}

func (g *indexGen) leaf() ast.Expr {
	switch r := g.rng.IntN(10); {
	case r < 4:
		return ast.NewIndex("w", g.index())
	case r < 5:
		return ast.NewIndex("a", g.index())
	case r < 6:
		return ast.NewIndex("c", g.index(), g.index())
	case r < 7:
		return ast.NewSym("y")
	default:
		return ast.NewInt(int64(g.rng.IntN(5) - 2))
	}
}

func (g *indexGen) expr(depth int) ast.Expr {
	if depth <= 0 || g.rng.IntN(6) == 0 {
		return g.leaf()
	}
	switch g.rng.IntN(10) {
	case 0, 1:
		return ast.NewAdd(g.expr(depth-1), g.expr(depth-1))
	case 2, 3:
		return ast.NewMul(g.expr(depth-1), g.expr(depth-1))
	case 4:
		return ast.NewDiv(g.expr(depth-1), ast.NewAdd(ast.NewInt(2), ast.NewCall("sigma", g.expr(depth-1))))
	case 5:
		return ast.NewPow(g.expr(depth-1), ast.NewInt(int64(2+g.rng.IntN(2))))
	case 6:
		return ast.NewCall([]string{"sigma", "tanh", "sin", "exp", "softplus"}[g.rng.IntN(5)], g.expr(depth-1))
	default:
		v := []string{"i", "j", "k"}[g.rng.IntN(3)]
		if slices.Contains(g.scope, v) {
			return g.leaf()
		}
		hi := ast.NewSym([]string{"n", "m"}[g.rng.IntN(2)])
		g.scope = append(g.scope, v)
		body := g.expr(depth - 1)
		g.scope = g.scope[:len(g.scope)-1]
		op := ast.OpSum
		if g.rng.IntN(3) == 0 {
			op = ast.OpMean
		}
		return ast.NewSum(op, v, ast.One, hi, body)
	}
}

// TestDerivIndexedProperty differentiates random expressions with sums
// and indexed names with respect to w[k] and compares D's result, raw and
// simplified, with central differences in the entry w[k] of the array,
// for k inside every range (index notation's convention).
func TestDerivIndexedProperty(t *testing.T) {
	n := 1500
	if testing.Short() {
		n = 300
	}
	g := &indexGen{rng: rand.New(rand.NewPCG(8, 8))}
	prng := rand.New(rand.NewPCG(9, 9))
	wk := ast.NewIndex("w", ast.NewSym("k"))
	checked := 0
	for e := 0; e < n; e++ {
		f := g.expr(4)
		raw, err := derive.D(bg, f, wk, derive.Options{Rules: builtin})
		if err != nil {
			t.Fatalf("D(%s, w[k]): %v", ast.String(f), err)
		}
		res, err := simplify.Simplify(bg, raw, simplify.Options{Rules: builtin})
		if err != nil {
			t.Fatalf("Simplify(%s): %v", ast.String(raw), err)
		}
		// n and m are sizes even where f does not sum to them.
		nm := namesOf(f, raw, res.Expr, wk,
			ast.NewSum(ast.OpSum, "i", ast.One, ast.NewSym("n"), ast.Zero),
			ast.NewSum(ast.OpSum, "i", ast.One, ast.NewSym("m"), ast.Zero))
		for p := 0; p < 2; p++ {
			pt := point(prng, nm, -2, 2)
			kv := int(pt["k"].Data[0])
			w := pt["w"]
			x0 := w.Data[kv-1]
			at := func(s float64) (float64, error) {
				data := slices.Clone(w.Data)
				data[kv-1] = s
				b := ast.Bindings{}
				for name, val := range pt {
					b[name] = val
				}
				b["w"] = ast.Value{Shape: w.Shape, Data: data}
				return ast.Eval(f, nil, b)
			}
			f0, err := at(x0)
			if err != nil || math.Abs(f0) > 1e6 {
				continue
			}
			h := step(x0)
			fd1, err1 := centralDiff(at, x0, h)
			fd2, err2 := centralDiff(at, x0, 2*h)
			if err1 != nil || err2 != nil || !near(fd1, fd2, 1e-5, 1e-8*(1+math.Abs(f0))) {
				continue
			}
			for _, d := range []struct {
				what string
				e    ast.Expr
			}{{"D", raw}, {"simplified", res.Expr}} {
				got, err := ast.Eval(d.e, nil, pt)
				if err != nil {
					t.Fatalf("d(%s, w[k]): %s result %s undefined at %v: %v", ast.String(f), d.what, ast.String(d.e), pt, err)
				}
				if !near(got, fd1, 1e-5, 1e-7*(1+math.Abs(f0))+4*math.Abs(fd1-fd2)) {
					t.Fatalf("d(%s, w[k]): %s result %s = %.12g at k=%d n=%v m=%v; finite difference %.12g",
						ast.String(f), d.what, ast.String(d.e), got, kv, pt["n"], pt["m"], fd1)
				}
			}
			checked++
		}
	}
	t.Logf("%d expressions, %d points checked", n, checked)
	if checked < n {
		t.Errorf("only %d points checked for %d expressions", checked, n)
	}
}
