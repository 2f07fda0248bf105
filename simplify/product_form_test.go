package simplify_test

import (
	"context"
	"errors"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/rules/load"
	"github.com/symdiff/symdiff/simplify"
)

// productRule is d/dx (x+1)...(x+n) at x, computed here with exact
// rationals and nothing of the engine: Σ_k Π_{j≠k} (x + j).
func productRule(x *big.Rat, n int) *big.Rat {
	sum := new(big.Rat)
	for k := 1; k <= n; k++ {
		p := big.NewRat(1, 1)
		for j := 1; j <= n; j++ {
			if j != k {
				p.Mul(p, new(big.Rat).Add(x, big.NewRat(int64(j), 1)))
			}
		}
		sum.Add(sum, p)
	}
	return sum
}

// TestProductDerivativeForm: d/dx (x+1)...(x+n) prints, past the
// threshold, as prefix and suffix products named once (linear in n, not
// quadratic); the text parses back, and both it and the result have the
// exact value of the product rule everywhere, at every root x = -k
// (where Π(x+k)·Σ 1/(x+k) would be undefined) and far from them.
func TestProductDerivativeForm(t *testing.T) {
	ctx := load.Context(builtin, nil)
	rng := rand.New(rand.NewPCG(15, 5))
	for _, n := range []int{4, 20, 60} {
		res := diffSimplify(t, productOfShifts(n))
		text, err := ast.FormatWhere(res.Expr, ast.Plain)
		if err != nil {
			t.Fatal(err)
		}
		named := strings.Contains(text, " where p2 = (x + 1)*(x + 2), p3 = p2*(x + 3), ")
		if named != (n >= 20) {
			t.Errorf("n = %d: named prefixes %v: %.300s", n, named, text)
		}
		if n >= 20 && len(text) > 60*n {
			t.Errorf("n = %d: %d bytes, not linear in n: %.300s", n, len(text), text)
		}
		if tex, _ := ast.FormatWhere(res.Expr, ast.LaTeX); n >= 20 && !strings.Contains(tex, `\quad \text{where } p_{2} = \left(x + 1\right) \left(x + 2\right),\ p_{3} = p_{2} \left(x + 3\right)`) {
			t.Errorf("n = %d: LaTeX %.300s", n, tex)
		}
		back, err := parser.ParseExpr(text, ctx)
		if err != nil {
			t.Fatalf("n = %d: %.300s\ndoes not parse: %v", n, text, err)
		}
		if a, b := simplify.PlainCanonical(back), simplify.PlainCanonical(res.Expr); a != b {
			t.Errorf("n = %d: read back, the canonical form is another: %.200s\nnot %.200s", n, ast.String(a), ast.String(b))
		}
		var xs []*big.Rat
		for k := 0; k <= n+1; k++ {
			if n <= 20 || k <= 2 || k >= n-1 || k%17 == 0 {
				xs = append(xs, big.NewRat(int64(-k), 1)) // roots, and next to them
			}
		}
		for range 4 {
			xs = append(xs, big.NewRat(int64(rng.IntN(2048*(n+4)))-2048*int64(n+2), 2048))
		}
		xs = append(xs, big.NewRat(1000, 1), big.NewRat(-100000, 3*1024))
		for _, x := range xs {
			want := productRule(x, n)
			f, _ := x.Float64()
			if new(big.Rat).SetFloat64(f).Cmp(x) != 0 {
				continue // not exact in binary: the point cannot be bound exactly
			}
			for what, e := range map[string]ast.Expr{"result": res.Expr, "printed and read back": back} {
				got, _, err := ast.EvalExact(context.Background(), e, nil, ast.Bindings{"x": ast.Scalar(f)})
				if err != nil || got == nil || got.Cmp(want) != 0 {
					t.Errorf("n = %d, x = %s: the %s is %v (%v), want %s", n, x.RatString(), what, got, err, want.RatString())
				}
			}
		}
	}
}

// TestProductCancel: d/dx (x+1)...(x+5000), 25 million factors written
// out, answers a cancelled context at once (within 100 ms; the test
// allows twice that on a shared machine) and says so.
func TestProductCancel(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a large product")
	}
	e := ast.NewDeriv(productOfShifts(5000), ast.NewSym("x"))
	for _, after := range []time.Duration{0, 20 * time.Millisecond, 200 * time.Millisecond} {
		ctx, cancel := context.WithCancel(context.Background())
		fired := make(chan time.Time, 1)
		timer := time.AfterFunc(after, func() { fired <- time.Now(); cancel() })
		_, err := simplify.Simplify(ctx, e, simplify.Options{Rules: builtin})
		end := time.Now()
		timer.Stop()
		cancel()
		var at time.Time
		select {
		case at = <-fired:
		default:
			t.Errorf("cancelled after %v: finished before the cancellation (%v)", after, err)
			continue
		}
		if !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled after %v: err = %v, want context.Canceled", after, err)
			continue
		}
		if late := end.Sub(at); late > 200*time.Millisecond {
			t.Errorf("cancelled after %v: returned %v later", after, late)
		} else {
			t.Logf("cancelled after %v: returned %v later", after, late)
		}
	}
}
