package simplify

import (
	"context"
	"fmt"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser/parsetest"
	"github.com/symdiff/symdiff/rules/load"
)

// TestDivByNumAgrees: canonical forms of quotients by numbers made by
// divByNum are those mul makes: the same result, canonical form and
// trace (differentiated or not), and the same normal form in each mode,
// on random sums of quotients of monomials (coefficients and divisors
// near 0, ±1, fractions, numbers of hundreds of bits and
// of 40,000, whose quotients exceed the limit; exponents 0, 1,
// negative, fractional) and of other expressions by numbers.
func TestDivByNumAgrees(t *testing.T) {
	defer func() { divFastOff = false }()
	set := load.Builtin()
	rng := rand.New(rand.NewPCG(9, 4))
	g := parsetest.NewGen(rng)
	huge := ast.NewNum(ast.FromBigInt(new(big.Int).Lsh(big.NewInt(1), 300)))
	// Near the size limit: a quotient of two of them exceeds it.
	bigPow := new(big.Int).Lsh(big.NewInt(3), 40000)
	nearLimit := []ast.Expr{ast.NewNum(ast.FromBigInt(bigPow)), ast.NewNum(ast.FromRat(new(big.Rat).SetFrac(big.NewInt(1), bigPow)))}
	nums := []ast.Expr{ast.Zero, ast.One, ast.MinusOne, ast.NewInt(2), ast.NewInt(3), ast.NewInt(-6), ast.NewNum(ast.Frac(2, 3)),
		ast.NewNum(ast.Frac(-1, 2)), ast.NewInt(7), huge, ast.NewNum(ast.Frac(1, 1<<62))}
	num := func() ast.Expr { return nums[rng.IntN(len(nums))] }
	sym := func() ast.Expr { return ast.NewSym([]string{"x", "y", "z"}[rng.IntN(3)]) }
	mono := func() ast.Expr {
		switch rng.IntN(6) {
		case 0:
			return sym()
		case 1:
			return ast.NewPow(sym(), num())
		case 2:
			return ast.NewMul(num(), sym())
		case 3:
			return ast.NewMul(num(), ast.NewPow(sym(), num()))
		case 4:
			return ast.NewMul(num(), g.Expr(1))
		}
		return g.Expr(2)
	}
	run := func(e ast.Expr) (string, int) {
		var b strings.Builder
		hits := 0
		for _, full := range []bool{false, true} {
			s := New(Options{Rules: set})
			if full {
				s.SetMode(Mode{Full: true})
				n, _ := s.Normalize(context.Background(), e, true)
				fmt.Fprintf(&b, "full: %s\n", ast.String(n))
			} else {
				res, err := s.Simplify(context.Background(), e)
				if err != nil {
					return "error: " + err.Error(), 0
				}
				fmt.Fprintf(&b, "%s\n%s\n%v %s\n", ast.String(res.Expr), ast.String(res.Canonical), res.Stop, res.Detail)
				fullTrace(&b, res.Trace, 0)
			}
			for _, c := range s.canons {
				hits += c.divHits
			}
		}
		return b.String(), hits
	}
	hits := 0
	for n := range 3000 {
		var ts []ast.Expr
		for range 1 + rng.IntN(4) {
			ts = append(ts, ast.NewDiv(mono(), num()))
		}
		e := ast.NewAdd(ts...)
		if n%3 == 0 {
			e = ast.NewDeriv(ast.NewMul(e, mono()), ast.NewSym("x"))
		}
		divFastOff = true
		want, _ := run(e)
		divFastOff = false
		got, h := run(e)
		if got != want {
			t.Fatalf("%s: with divByNum\n%s\nwith mul\n%s", ast.String(e), got, want)
		}
		hits += h
	}
	for _, a := range nearLimit {
		for _, b := range nearLimit {
			for _, f := range []ast.Expr{ast.NewSym("x"), ast.NewPow(ast.NewSym("y"), ast.NewInt(2))} {
				e := ast.NewAdd(ast.NewDiv(ast.NewMul(a, f), b), ast.NewDiv(f, ast.NewInt(3)))
				divFastOff = true
				want, _ := run(e)
				divFastOff = false
				if got, _ := run(e); got != want {
					t.Fatalf("%s: with divByNum\n%s\nwith mul\n%s", ast.String(e), got, want)
				}
			}
		}
	}
	if hits < 3000 {
		t.Errorf("divByNum made only %d quotients", hits)
	}
}
