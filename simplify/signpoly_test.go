package simplify

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/rules/load"
)

// TestPolySignOracle: the sign the interval analysis gives a polynomial
// in one name under an assumption x > a (>=, <, <=) holds at exact
// rational points of the region: just inside the bound (2^-k away, k to
// 60), in the middle and far out (10^k). The polynomials are random,
// some built with a root at or near the bound, so that Horner's scheme
// and the shift to the bound (signpoly.go) decide many of them; the
// test fails if they decide too few to be a test.
func TestPolySignOracle(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 0x5167))
	x := ast.NewSym("x")
	rs := load.Builtin()
	decided, total := 0, 0
	for trial := range 3000 {
		a := big.NewRat(int64(r.IntN(9)-4), int64(1+r.IntN(3)))
		ops := []string{">", ">=", "<", "<="}
		op := ops[r.IntN(4)]
		deg := 2 + r.IntN(5)
		coefs := make([]*big.Rat, deg+1)
		for k := range coefs {
			coefs[k] = big.NewRat(int64(r.IntN(11)-5), int64(1+r.IntN(2)))
		}
		if coefs[deg].Sign() == 0 {
			coefs[deg].SetInt64(1)
		}
		if trial%2 == 0 {
			// A root at the bound: p(x) = (x - a) q(x).
			coefs = mulLinear(coefs[:deg], a)
		}
		terms := []ast.Expr{}
		for k, c := range coefs {
			term := ast.Expr(ast.NewNum(ast.FromRat(c)))
			if k > 0 {
				term = ast.NewMul(term, ast.NewPow(x, ast.NewInt(int64(k))))
			}
			terms = append(terms, term)
		}
		as := []*ast.AssumeStmt{{X: x, Ops: []string{op}, Rest: []ast.Expr{ast.NewNum(ast.FromRat(a))}}}
		s := New(Options{Rules: rs, Assume: as})
		c := &canon{s: s}
		p := c.expr(ast.NewAdd(terms...))
		iv := s.sign(p)
		total++
		if !iv.nonneg() && !iv.nonpos() {
			continue
		}
		decided++
		for _, pt := range regionPoints(r, a, op) {
			v := evalPoly(coefs, pt)
			ok := true
			switch {
			case iv.positive():
				ok = v.Sign() > 0
			case iv.negative():
				ok = v.Sign() < 0
			case iv.nonneg():
				ok = v.Sign() >= 0
			case iv.nonpos():
				ok = v.Sign() <= 0
			}
			if !ok {
				t.Fatalf("%s with x %s %s: sign %+v, but at x = %s it is %s", ast.String(p), op, a.RatString(), iv, pt.RatString(), v.FloatString(20))
			}
		}
	}
	t.Logf("%d of %d polynomials decided", decided, total)
	if decided < total/4 {
		t.Fatalf("only %d of %d polynomials decided: the test does not exercise the sign", decided, total)
	}
}

// mulLinear returns the coefficients of (x - a) q(x).
func mulLinear(q []*big.Rat, a *big.Rat) []*big.Rat {
	out := make([]*big.Rat, len(q)+1)
	for k := range out {
		out[k] = new(big.Rat)
	}
	for k, c := range q {
		out[k+1].Add(out[k+1], c)
		out[k].Sub(out[k], new(big.Rat).Mul(a, c))
	}
	return out
}

func evalPoly(c []*big.Rat, x *big.Rat) *big.Rat {
	v := new(big.Rat)
	for k := len(c) - 1; k >= 0; k-- {
		v.Mul(v, x)
		v.Add(v, c[k])
	}
	return v
}

// regionPoints are exact points where x op a holds.
func regionPoints(r *rand.Rand, a *big.Rat, op string) []*big.Rat {
	dir := int64(1)
	if op == "<" || op == "<=" {
		dir = -1
	}
	var out []*big.Rat
	if op == ">=" || op == "<=" {
		out = append(out, new(big.Rat).Set(a))
	}
	for k := 1; k <= 60; k += 3 {
		d := new(big.Rat).SetFrac(big.NewInt(dir), new(big.Int).Lsh(big.NewInt(1), uint(k)))
		out = append(out, d.Add(d, a))
	}
	for k := range 12 {
		d, _ := new(big.Rat).SetString(fmt.Sprintf("%de%d", dir*int64(1+r.IntN(9)), k))
		out = append(out, d.Add(d, a))
	}
	return out
}
