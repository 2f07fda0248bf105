package simplify_test

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/simplify"
)

// TestSumsUnderAssumedBounds: a sum whose bounds use a name n the user
// made assumptions about (n < 0, -3 <= n <= 2, n >= -4, n in -5..-1, ...) simplifies
// to an expression equal to the sum added up term by term in Go, at every
// whole n from -9 to 9 that obeys the assumption, empty ranges included
// (an empty range sums to 0), and abs(n) is -n where n < 0. The convention that a bound name is at
// least 1 holds only for a name the user said nothing about: the
// assumption replaces it. Without an assumption n runs over 1..9.
func TestSumsUnderAssumedBounds(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 2))
	n := ast.NewSym("n")
	num := func(v int64) ast.Expr { return ast.NewNum(ast.Int(v)) }
	type bound struct {
		text string
		at   func(n int64) int64
	}
	bounds := []bound{
		{"1", func(int64) int64 { return 1 }}, {"0", func(int64) int64 { return 0 }}, {"-2", func(int64) int64 { return -2 }},
		{"3", func(int64) int64 { return 3 }}, {"n", func(n int64) int64 { return n }}, {"n - 1", func(n int64) int64 { return n - 1 }},
		{"n + 2", func(n int64) int64 { return n + 2 }}, {"2*n", func(n int64) int64 { return 2 * n }}, {"-n", func(n int64) int64 { return -n }},
	}
	bodies := []struct {
		text string
		at   func(i, n int64) *big.Rat
	}{
		{"1", func(i, n int64) *big.Rat { return big.NewRat(1, 1) }},
		{"i", func(i, n int64) *big.Rat { return big.NewRat(i, 1) }},
		{"i^2", func(i, n int64) *big.Rat { return big.NewRat(i*i, 1) }},
		{"i^3 - i", func(i, n int64) *big.Rat { return big.NewRat(i*i*i-i, 1) }},
		{"i*n", func(i, n int64) *big.Rat { return big.NewRat(i*n, 1) }},
		{"(2*i - 3)/5", func(i, n int64) *big.Rat { return big.NewRat(2*i-3, 5) }},
		// The sign of n: under n < 0 a bound name is no size at least 1.
		{"i + abs(n)", func(i, n int64) *big.Rat { return big.NewRat(i+max(n, -n), 1) }},
	}
	type assumption struct {
		stmt []*ast.AssumeStmt
		text string
		ok   func(n int64) bool
	}
	randAssumption := func() assumption {
		c := rng.Int64N(13) - 6
		switch rng.IntN(7) {
		case 0:
			return assumption{nil, "none", func(v int64) bool { return v >= 1 }}
		case 1:
			return assumption{[]*ast.AssumeStmt{{X: n, Ops: []string{"<"}, Rest: []ast.Expr{num(c)}}}, fmt.Sprintf("n < %d", c), func(v int64) bool { return v < c }}
		case 2:
			return assumption{[]*ast.AssumeStmt{{X: n, Ops: []string{"<="}, Rest: []ast.Expr{num(c)}}}, fmt.Sprintf("n <= %d", c), func(v int64) bool { return v <= c }}
		case 3:
			return assumption{[]*ast.AssumeStmt{{X: n, Ops: []string{">"}, Rest: []ast.Expr{num(c)}}}, fmt.Sprintf("n > %d", c), func(v int64) bool { return v > c }}
		case 4:
			return assumption{[]*ast.AssumeStmt{{X: n, Ops: []string{">="}, Rest: []ast.Expr{num(c)}}}, fmt.Sprintf("n >= %d", c), func(v int64) bool { return v >= c }}
		case 5:
			d := c + rng.Int64N(6)
			return assumption{[]*ast.AssumeStmt{{X: n, In: true, Lo: num(c), Hi: num(d)}},
				fmt.Sprintf("n in %d..%d", c, d), func(v int64) bool { return c <= v && v <= d }}
		default:
			d := c + rng.Int64N(6)
			return assumption{[]*ast.AssumeStmt{{X: num(c), Ops: []string{"<=", "<="}, Rest: []ast.Expr{n, num(d)}}},
				fmt.Sprintf("%d <= n <= %d", c, d), func(v int64) bool { return c <= v && v <= d }}
		}
	}
	trials := 300
	if testing.Short() {
		trials = 100
	}
	empty, checked := 0, 0
	for range trials {
		lo, hi := bounds[rng.IntN(len(bounds))], bounds[rng.IntN(len(bounds))]
		body := bodies[rng.IntN(len(bodies))]
		as := randAssumption()
		src := fmt.Sprintf("sum(i=%s..%s, %s)", lo.text, hi.text, body.text)
		outside := rng.IntN(2) == 0 // abs(n) beside the sum: n's sign there
		if outside {
			src += " + abs(n)"
		}
		res, err := simplify.Simplify(bg, mustParse(t, src, nil), simplify.Options{Rules: builtin, Assume: as.stmt})
		if err != nil {
			t.Fatalf("%s under %s: %v", src, as.text, err)
		}
		for v := int64(-9); v <= 9; v++ {
			if !as.ok(v) {
				continue
			}
			want := new(big.Rat)
			if lo.at(v) > hi.at(v) {
				empty++
			}
			for i := lo.at(v); i <= hi.at(v); i++ {
				want.Add(want, body.at(i, v))
			}
			if outside {
				want.Add(want, big.NewRat(max(v, -v), 1))
			}
			at := ast.Bindings{"n": ast.Scalar(float64(v))}
			for _, e := range []ast.Expr{res.Canonical, res.Expr} {
				got, _, err := ast.EvalExact(bg, e, nil, at)
				if err != nil || got == nil || got.Cmp(want) != 0 {
					t.Errorf("simplify --assume '%s' '%s' = %s; at n = %d: %v (%v), want %s", as.text, src, ast.String(e), v, got, err, want.RatString())
				}
			}
			checked++
		}
	}
	t.Logf("%d points checked, %d with an empty range", checked, empty)
	if empty < trials/2 {
		t.Errorf("only %d points with an empty range: the generator does not reach them", empty)
	}
}
