package simplify

import (
	"fmt"
	"math"
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

// TestIntervalArithmeticSound: add and mul of intervals contain every
// exact sum and product of their ends (mul is bilinear: its range is
// reached at the corners), closed where the corner is reached, over ends
// chosen to catch rounding: thirds and their neighbours, subnormals,
// products that underflow or tie with an exact corner, huge values and
// infinities. The exactness shortcuts (two-sum, an FMA residual) once
// kept -(1+2^-53) as -1, 3*2^-1075 as 2^-1073 and an underflow as 0.
func TestIntervalArithmeticSound(t *testing.T) {
	third := 1.0 / 3
	pool := []float64{0, math.Copysign(0, -1), 1, -1, 3, -3, 0.5, third, -third,
		math.Nextafter(third, 1), -math.Nextafter(third, 1), math.Nextafter(third, 0),
		5e-324, -5e-324, 3 * 0x1p-1000, 0x1p-75, -0x1p-1073, 1e-200, -1e-170, 1e-170,
		0x1p-969, 0x1p-970, 1e300, -1e300, 1 + 0x1p-52, -(1 + 0x1p-52),
		math.Inf(1), math.Inf(-1)}
	r := rand.New(rand.NewPCG(5, 9))
	exactOf := func(v float64) *big.Float { return new(big.Float).SetPrec(4400).SetFloat64(v) }
	pick := func() interval {
		a, b := pool[r.IntN(len(pool))], pool[r.IntN(len(pool))]
		if a > b {
			a, b = b, a
		}
		if a == b && !math.IsInf(a, 0) {
			return point(a) // (a, a] is empty
		}
		return interval{lo: a, hi: b, loOpen: r.IntN(3) == 0 || math.IsInf(a, 0), hiOpen: r.IntN(3) == 0 || math.IsInf(b, 0)}
	}
	for range 200_000 {
		i, j := pick(), pick()
		for _, op := range []string{"add", "mul"} {
			var got interval
			if op == "add" {
				got = i.add(j)
			} else {
				got = i.mul(j)
			}
			for _, c := range [][2]int{{0, 0}, {0, 1}, {1, 0}, {1, 1}} {
				a, ao := i.lo, i.loOpen
				if c[0] == 1 {
					a, ao = i.hi, i.hiOpen
				}
				b, bo := j.lo, j.loOpen
				if c[1] == 1 {
					b, bo = j.hi, j.hiOpen
				}
				if math.IsInf(a, 0) || math.IsInf(b, 0) {
					continue // an open end: approached, not reached
				}
				var v *big.Float
				if op == "add" {
					v = new(big.Float).SetPrec(4400).Add(exactOf(a), exactOf(b))
				} else {
					v = new(big.Float).SetPrec(4400).Mul(exactOf(a), exactOf(b))
				}
				reached := !ao && !bo
				lo, hi := exactOf(got.lo), exactOf(got.hi)
				if v.Cmp(lo) < 0 || v.Cmp(hi) > 0 ||
					reached && (v.Cmp(lo) == 0 && got.loOpen || v.Cmp(hi) == 0 && got.hiOpen) {
					t.Fatalf("%+v %s %+v = %+v, which misses the corner %g %s %g = %s (reached: %v)", i, op, j, got, a, op, b, v.Text('g', 30), reached)
				}
			}
		}
	}
}
