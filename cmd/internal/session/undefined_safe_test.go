package session

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser/parsetest"
)

// TestAlwaysDefinedAgrees: undefinedPart gives the same error, or none,
// with and without skipping the parts alwaysDefined vouches for, on
// random inputs (the soundness tests' generator) and on small sums,
// products, powers and quotients of numbers and names around parts that
// have no value somewhere or everywhere: p/0, (p - p)^-k, 1/(p - p),
// log(p - p), p^(1/2), numbers that float64 rounds to 0 or infinity,
// 0^-1 written out.
func TestAlwaysDefinedAgrees(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 5))
	g := parsetest.NewGen(rng)
	s := New()
	ctx := context.Background()
	num := func() ast.Expr {
		switch rng.IntN(6) {
		case 0:
			return ast.NewNum(ast.Frac(int64(rng.IntN(7))-3, int64(1+rng.IntN(4))))
		case 1:
			return parsetest.MustParse(t, []string{"1e-400", "1e400", "10^-400", "2^3000"}[rng.IntN(4)], nil)
		}
		return ast.NewInt(int64(rng.IntN(5)) - 1)
	}
	names := []string{"x", "y", "z"}
	var safe func(depth int) ast.Expr
	safe = func(depth int) ast.Expr {
		if depth == 0 || rng.IntN(4) == 0 {
			if rng.IntN(2) == 0 {
				return num()
			}
			return ast.NewSym(names[rng.IntN(len(names))])
		}
		a, b := safe(depth-1), safe(depth-1)
		switch rng.IntN(6) {
		case 0:
			return ast.NewAdd(a, b)
		case 1:
			return ast.NewAdd(a, ast.NewNeg(b))
		case 2:
			return ast.NewMul(a, b)
		case 3:
			return ast.NewPow(a, ast.NewInt(int64(1+rng.IntN(3))))
		case 4:
			return ast.NewDiv(a, num())
		}
		return ast.NewNeg(a)
	}
	bad := func() ast.Expr {
		p := safe(2)
		zero := ast.NewAdd(p, ast.NewNeg(p))
		switch rng.IntN(8) {
		case 0:
			return ast.NewDiv(p, ast.NewInt(0))
		case 1:
			return ast.NewPow(zero, ast.NewInt(-int64(1+rng.IntN(2))))
		case 2:
			return ast.NewDiv(ast.One, zero)
		case 3:
			return ast.NewCall("log", zero)
		case 4:
			return ast.NewPow(p, ast.NewNum(ast.Frac(1, 2)))
		case 5:
			return ast.NewPow(ast.NewInt(0), ast.NewInt(-1))
		case 6:
			return ast.NewDiv(p, safe(1))
		}
		return g.Expr(2)
	}
	skipped, errs := 0, 0
	for i := range 3000 {
		var e ast.Expr
		switch i % 3 {
		case 0:
			e = g.Expr(3)
		case 1:
			e = safe(3)
		default:
			e = ast.NewAdd(safe(2), ast.NewMul(safe(1), bad()))
			if rng.IntN(2) == 0 {
				e = ast.NewPow(ast.NewDiv(e, num()), ast.NewInt(2))
			}
		}
		if alwaysDefined(e) {
			skipped++
		}
		got := undefinedPart(ctx, e, s.evalDefs(), s.options())
		undefinedSafeSkip = false
		want := undefinedPart(ctx, e, s.evalDefs(), s.options())
		undefinedSafeSkip = true
		if (got == nil) != (want == nil) || got != nil && got.Error() != want.Error() {
			t.Fatalf("%d: undefinedPart(%s) is %v with the skip, %v without", i, ast.String(e), got, want)
		}
		if want != nil {
			errs++
		}
	}
	if skipped < 500 || errs < 300 {
		t.Errorf("%d inputs skipped whole, %d with a part undefined: too few", skipped, errs)
	}
}
