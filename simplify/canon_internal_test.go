package simplify

import (
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/rules/load"
)

// TestSmallPrimitive: the allocation-free check agrees with the content
// computed in big arithmetic: it answers "primitive" only for sums whose
// content is 1, on sums with integer, negative, large and fractional
// coefficients.
func TestSmallPrimitive(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	coefs := []ast.Number{ast.Int(1), ast.Int(-1), ast.Int(2), ast.Int(-6), ast.Int(9), ast.Int(15), ast.Int(1 << 62), ast.Frac(1, 2), ast.Frac(-3, 7)}
	monos := []ast.Expr{ast.NewSym("x"), ast.NewSym("y"), ast.NewPow(ast.NewSym("x"), ast.Two), ast.NewCall("sin", ast.NewSym("z"))}
	checked := map[bool]int{}
	for range 2000 {
		var terms []ast.Expr
		if rng.IntN(2) == 0 {
			terms = append(terms, ast.NewNum(coefs[rng.IntN(len(coefs))]))
		}
		for _, i := range rng.Perm(len(monos))[:1+rng.IntN(len(monos)-1)] {
			terms = append(terms, withCoeff(coefs[rng.IntN(len(coefs))], monos[i]))
		}
		a, ok := ast.NewAdd(terms...).(*ast.Add)
		if !ok {
			continue
		}
		k, prim := primitiveBig(a)
		want := k.IsOne() && prim == a
		if got := smallPrimitive(a); got && !want {
			t.Fatalf("%s: smallPrimitive says primitive, but the content is %s", ast.String(a), k)
		}
		checked[want]++
	}
	if checked[true] < 100 || checked[false] < 100 {
		t.Errorf("too few cases of each kind: %v", checked)
	}
}

// TestRebuildsTo: where collect keeps a term instead of rebuilding it,
// rebuilding gives the very same node.
func TestRebuildsTo(t *testing.T) {
	x, y := ast.NewSym("x"), ast.NewSym("y")
	for _, e := range []ast.Expr{
		x, ast.One, ast.Zero, ast.NewNum(ast.Int(3)), ast.NewMul(x, y), ast.NewMul(ast.NewNum(ast.Int(2)), x),
		ast.NewMul(ast.NewNum(ast.Int(2)), x, y), ast.NewMul(ast.NewNum(ast.Int(1)), x, y), ast.NewMul(ast.NewNum(ast.Frac(-1, 3)), x, ast.NewCall("sin", y)),
		ast.NewMul(ast.NewNum(ast.Int(2)), ast.NewMul(x, y)), ast.NewAdd(x, y), ast.NewPow(x, ast.NewNum(ast.Int(2))),
	} {
		k, m := splitCoeff(e)
		if rebuildsTo(e, k) && withCoeff(k, m) != e {
			t.Errorf("%s: kept, but rebuilt it is %s", ast.String(e), ast.String(withCoeff(k, m)))
		}
	}
}

// mulPool is a pool of factors for the tests of mul's fast paths: numbers
// (zero, fractions, one beyond int64), names, powers with numeric and
// symbolic exponents, sums with content 1 and without, powers of sums,
// exp and other calls, products, and sums of products.
func mulPool() []ast.Expr {
	x, y, z := ast.NewSym("x"), ast.NewSym("y"), ast.NewSym("z")
	n := func(v int64) ast.Expr { return ast.NewInt(v) }
	half := ast.NewNum(ast.Frac(1, 2))
	big := ast.NewPow(n(2), n(70))
	xp1, yp2 := ast.NewAdd(x, n(1)), ast.NewAdd(y, n(2))
	return []ast.Expr{
		n(0), n(1), n(-1), n(2), n(3), half, big,
		x, y, z, ast.NewPow(x, n(2)), ast.NewPow(x, n(-1)), ast.NewPow(y, half), ast.NewPow(x, y), ast.NewPow(ast.NewPow(x, n(2)), half),
		xp1, yp2, ast.NewAdd(n(2), ast.NewMul(n(2), x)), ast.NewAdd(x, n(-1)), ast.NewAdd(x, y), ast.NewAdd(x, ast.NewNeg(y)),
		ast.NewPow(xp1, n(2)), ast.NewPow(xp1, n(-1)), ast.NewPow(xp1, half), ast.NewPow(ast.NewAdd(n(4), ast.NewMul(n(4), y)), half),
		ast.NewCall("exp", x), ast.NewCall("exp", ast.NewNeg(x)), ast.NewCall("sin", x), ast.NewCall("cos", y), ast.NewCall("abs", z),
		ast.NewCall("sigma", x), ast.NewPow(ast.NewCall("sigma", x), n(-2)), ast.NewAdd(ast.NewPow(ast.NewCall("sigma", x), n(2)), ast.NewMul(x, ast.NewCall("sigma", x))),
		ast.NewDeriv(ast.NewCall("g", y), y), ast.NewCall("delta", x, y), ast.NewCall("sin", ast.NewAdd(ast.NewMul(n(2), x), n(2))),
		ast.NewMul(x, y), ast.NewMul(n(2), x), ast.NewDiv(y, x), ast.NewAdd(ast.NewMul(x, y), n(1)), ast.NewMul(xp1, yp2),
	}
}

// TestMulFastPathAgrees: mul with its fast paths (factors already sorted
// with distinct bases; the sort skipped) gives the very node the general
// path gives (canon.reference), on random products of canonical factors,
// sorted and not, in every expansion mode, with and without the rules;
// and canonicalising whole products (calls and derivatives among the
// factors) gives the node it gives without the fast paths and without
// the shortcut that returns a node whose parts did not change. The
// oracle is the general path, run by a canonicaliser of its own.
func TestMulFastPathAgrees(t *testing.T) {
	// Constants go first in a product (2*pi*x, sqrt(2)*pi*x), whatever
	// Compare says of them: the fast path checks the order mul sorts by.
	pi := ast.NewCall("pi")
	pool := append(mulPool(), pi, ast.NewPow(pi, ast.NewInt(2)), ast.NewCall("sqrt", ast.NewInt(2)), ast.NewCall("sqrt", pi))
	for _, withRules := range []bool{false, true} {
		for _, mode := range []expandMode{expandNone, expandSmart, expandFull} {
			mk := func(reference bool) *canon {
				var c *canon
				if withRules {
					c = New(Options{Rules: load.Builtin()}).canon(mode)
				} else {
					c = plainCanon(mode)
				}
				c.reference = reference
				return c
			}
			fast, ref := mk(false), mk(true)
			canonical := make([]ast.Expr, len(pool))
			for i, e := range pool {
				canonical[i] = ref.expr(e)
			}
			// Two factors that are not canonical, whose base pow changes
			// (x^6 for (x^2)^3), for mul's check that the order still holds.
			canonical = append(canonical, ast.NewPow(ast.NewPow(ast.NewSym("x"), ast.NewInt(2)), ast.NewInt(3)),
				ast.NewPow(ast.NewPow(ast.NewSym("z"), ast.NewInt(3)), ast.NewInt(2)))
			rng := rand.New(rand.NewPCG(uint64(mode), 7))
			taken := map[bool]int{}
			for range 1500 {
				k := 1 + rng.IntN(6)
				fs := make([]ast.Expr, k)
				for i := range fs {
					fs[i] = canonical[rng.IntN(len(canonical))]
				}
				if rng.IntN(3) > 0 {
					slices.SortFunc(fs, factorOrder)
					if rng.IntN(4) == 0 {
						fs = append([]ast.Expr{canonical[rng.IntN(7)]}, fs...) // a number in front
					}
				}
				taken[sortedDistinct(fs)]++
				got, want := fast.mul(slices.Clone(fs)), ref.mul(slices.Clone(fs))
				if got != want {
					t.Fatalf("rules %v, mode %d, mul of %v:\nfast path %s\ngeneral   %s", withRules, mode, exprStrings(fs), ast.String(got), ast.String(want))
				}
				// And whole products, canonicalised from the top.
				e := ast.NewMul(fs...)
				if got, want := fast.expr(e), ref.expr(e); got != want {
					t.Fatalf("rules %v, mode %d, canonical form of %s:\nfast path %s\ngeneral   %s", withRules, mode, ast.String(e), ast.String(got), ast.String(want))
				}
			}
			if taken[true] < 300 || taken[false] < 300 {
				t.Errorf("rules %v, mode %d: too few cases of each kind (fast path taken: %v)", withRules, mode, taken)
			}
		}
	}
}

// TestMulLongSortedProduct: the products of W5, 999 sums (x + k) in
// order, with and without a number in front, and with two factors
// swapped, come out of the fast path as the general path makes them.
func TestMulLongSortedProduct(t *testing.T) {
	x := ast.NewSym("x")
	for _, mode := range []expandMode{expandNone, expandSmart} {
		fast, ref := plainCanon(mode), plainCanon(mode)
		ref.reference = true
		fs := make([]ast.Expr, 999)
		for k := range fs {
			fs[k] = ref.expr(ast.NewAdd(x, ast.NewInt(int64(k+1))))
		}
		swapped := slices.Clone(fs)
		swapped[3], swapped[700] = swapped[700], swapped[3]
		for _, in := range [][]ast.Expr{fs, append([]ast.Expr{ast.NewInt(-3)}, fs...), swapped, append(slices.Clone(fs), fs[10])} {
			got, want := fast.mul(slices.Clone(in)), ref.mul(slices.Clone(in))
			if got != want {
				t.Fatalf("mode %d: fast path and general path differ on a product of %d factors", mode, len(in))
			}
		}
	}
}

func exprStrings(es []ast.Expr) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = ast.String(e)
	}
	return out
}

// TestMulFixedAcrossModes: a product that one mode's canonicaliser
// entered in the shared mulFixed set is canonicalised by the other mode
// (which then skips mul) to the node that mode's general path gives, run
// by a simplifier of its own; in both orders (none, then smart; smart,
// then none), with the rules, on random products of canonical factors
// sorted and not, and on W5's long products. Some products must be found
// in the set, or the test would not test it (products of minMulFixed
// factors or more).
func TestMulFixedAcrossModes(t *testing.T) {
	pool := mulPool()
	x := ast.NewSym("x")
	var long []ast.Expr
	for _, name := range []string{"a", "b", "c", "d", "e", "f", "g", "h", "x", "y", "z"} {
		v := ast.NewSym(name)
		long = append(long, v, ast.NewPow(v, ast.NewInt(-1)), ast.NewPow(v, ast.NewInt(3)), ast.NewAdd(v, ast.NewInt(1)),
			ast.NewAdd(ast.NewMul(v, x), ast.NewInt(2)), ast.NewCall("sin", v))
	}
	for _, order := range [][2]expandMode{{expandNone, expandSmart}, {expandSmart, expandNone}} {
		s := New(Options{Rules: load.Builtin()})
		first, second := s.canon(order[0]), s.canon(order[1])
		ref := New(Options{Rules: load.Builtin()}).canon(order[1])
		ref.reference = true
		rng := rand.New(rand.NewPCG(uint64(order[0]), 11))
		var products []ast.Expr
		for range 1500 {
			// Up to 20 distinct factors (mulFixed keeps products of
			// minMulFixed factors or more), half of the products from
			// factors that mulFixed may take (with x^-1 and sums of x
			// among them, which smart mode distributes).
			src := pool
			if rng.IntN(2) == 0 {
				src = long
			}
			fs := make([]ast.Expr, 2+rng.IntN(min(19, len(src)-1)))
			for i, j := range rng.Perm(len(src))[:len(fs)] {
				fs[i] = first.expr(src[j])
			}
			if rng.IntN(3) > 0 {
				slices.SortFunc(fs, factorOrder)
			}
			products = append(products, ast.NewMul(fs...))
		}
		shifts := make([]ast.Expr, 999)
		for k := range shifts {
			shifts[k] = ast.NewAdd(x, ast.NewInt(int64(k+1)))
		}
		products = append(products, ast.NewMul(shifts...), ast.NewMul(append([]ast.Expr{ast.NewInt(5)}, shifts[1:]...)...))
		// Long products that smart mode distributes (one sum, and a
		// denominator whose base is in its terms), on names and on calls.
		y, sx := ast.NewSym("y"), ast.NewCall("sigma", x)
		names := []ast.Expr{ast.NewSym("a"), ast.NewSym("b"), ast.NewSym("c"), ast.NewSym("d"), ast.NewSym("e"), ast.NewSym("f"), ast.NewSym("g")}
		for _, pair := range [][2]ast.Expr{
			{ast.NewPow(x, ast.NewInt(-1)), ast.NewAdd(x, ast.NewInt(1))},
			{ast.NewPow(x, ast.NewInt(-1)), ast.NewAdd(ast.NewMul(x, y), ast.NewInt(1))},
			{ast.NewPow(sx, ast.NewInt(-1)), ast.NewAdd(sx, y)},
			{ast.NewPow(sx, ast.NewInt(-2)), ast.NewAdd(ast.NewPow(sx, ast.NewInt(2)), ast.NewMul(x, sx))},
		} {
			products = append(products, ast.NewMul(append(slices.Clone(names), pair[0], pair[1])...))
		}
		// (1 + abcdefg)/(abcdefg): distributed, it is smaller; and the
		// same over sigma(a)...sigma(g).
		for _, wrap := range []func(ast.Expr) ast.Expr{func(e ast.Expr) ast.Expr { return e }, func(e ast.Expr) ast.Expr { return ast.NewCall("sigma", e) }} {
			var fs, vs []ast.Expr
			for _, v := range names {
				fs = append(fs, ast.NewPow(wrap(v), ast.NewInt(-1)))
				vs = append(vs, wrap(v))
			}
			products = append(products, ast.NewMul(append(fs, ast.NewAdd(ast.NewInt(1), ast.NewMul(vs...)))...))
		}
		for _, e := range products {
			p := first.expr(e)
			if got, want := second.expr(p), ref.expr(p); got != want {
				t.Fatalf("modes %v: %s, canonical in the first mode as %s:\nafter the first mode %s\ngeneral path        %s",
					order, ast.String(e), ast.String(p), ast.String(got), ast.String(want))
			}
		}
		t.Logf("modes %v: %d products found in the shared set", order, second.mulFixedHits)
		if second.mulFixedHits < 50 {
			t.Errorf("modes %v: only %d products found in the shared set", order, second.mulFixedHits)
		}
	}
}

// TestContentSmall: the content of a sum's coefficients computed in int64
// arithmetic (contentSmall) is the one big arithmetic computes, on sums
// with coefficients near ±2^63, fractions with large denominators and
// rationals beyond int64 (where it must decline); primitiveBig then takes
// out that content, sign of the leading term included.
func TestContentSmall(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 63))
	huge, _ := new(big.Int).SetString("170141183460469231731687303715884105727", 10)
	coefs := []ast.Number{ast.Int(1), ast.Int(-1), ast.Int(6), ast.Int(-10), ast.Int(math.MaxInt64), ast.Int(math.MinInt64),
		ast.Int(math.MinInt64 + 1), ast.Int(1 << 62), ast.Frac(2, 3), ast.Frac(-5, 12), ast.Frac(1, math.MaxInt64),
		ast.Frac(3, 1<<62), ast.Frac(math.MaxInt64, 1<<61), ast.FromBigInt(huge), ast.FromRat(new(big.Rat).SetFrac(big.NewInt(7), huge))}
	monos := []ast.Expr{ast.NewSym("x"), ast.NewSym("y"), ast.NewPow(ast.NewSym("x"), ast.Two), ast.NewCall("sin", ast.NewSym("z"))}
	declined, small := 0, 0
	for range 3000 {
		var terms []ast.Expr
		if rng.IntN(3) == 0 {
			terms = append(terms, ast.NewNum(coefs[rng.IntN(len(coefs))]))
		}
		for _, i := range rng.Perm(len(monos))[:1+rng.IntN(len(monos)-1)] {
			c := coefs[rng.IntN(len(coefs))]
			if rng.IntN(4) == 0 {
				c = ast.Frac(rng.Int64N(1<<40)-1<<39, 1+rng.Int64N(1<<30))
			}
			terms = append(terms, withCoeff(c, monos[i]))
		}
		a, ok := ast.NewAdd(terms...).(*ast.Add)
		if !ok {
			continue
		}
		g, l := new(big.Int), big.NewInt(1)
		for _, t := range a.Terms {
			r := coeffOf(t).Rat()
			g.GCD(nil, nil, g, new(big.Int).Abs(r.Num()))
			l.Mul(l, new(big.Int).Quo(r.Denom(), new(big.Int).GCD(nil, nil, l, r.Denom())))
		}
		want := new(big.Rat).SetFrac(g, l)
		k, ok := contentSmall(a)
		if !ok {
			declined++
		} else {
			small++
			if k.Rat().Cmp(want) != 0 {
				t.Fatalf("content of %s: %v, want %s", ast.String(a), k, want.RatString())
			}
		}
		kp, p := primitiveBig(a)
		wantK := new(big.Rat).Set(want)
		if coeffOf(a.Terms[0]).Sign() < 0 {
			wantK.Neg(wantK)
		}
		if kp.Rat().Cmp(wantK) != 0 {
			t.Fatalf("primitive(%s): factor %v, want %s", ast.String(a), kp, wantK.RatString())
		}
		pa, ok := p.(*ast.Add)
		if !ok || len(pa.Terms) != len(a.Terms) {
			t.Fatalf("primitive(%s) = %s", ast.String(a), ast.String(p))
		}
		for i, t2 := range pa.Terms {
			if got, want := coeffOf(t2).Mul(kp), coeffOf(a.Terms[i]); !got.Equal(want) {
				t.Fatalf("primitive(%s): term %d is %s", ast.String(a), i, ast.String(t2))
			}
		}
	}
	if declined < 300 || small < 300 {
		t.Errorf("%d contents in int64, %d declined: the inputs do not exercise both", small, declined)
	}
}
