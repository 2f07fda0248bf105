package session

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/parser/parsetest"
)

// evalAtSizes evaluates e at n = 1..maxN (x = 0.7) with the numeric
// evaluator, which adds up the terms one by one: the oracle for whether a
// sum or mean over index ranges has a value. ok[k] says whether e has a
// value at n = k + 1.
func evalAtSizes(t *testing.T, e ast.Expr, maxN int) (vals []float64, ok []bool) {
	t.Helper()
	for n := 1; n <= maxN; n++ {
		v, err := ast.EvalContext(context.Background(), e, nil, ast.Bindings{"n": ast.Scalar(float64(n)), "x": ast.Scalar(0.7)})
		var de *ast.DomainError
		if err != nil && !errors.As(err, &de) {
			t.Fatalf("evaluating %s at n = %d: %v", ast.String(e), n, err)
		}
		vals = append(vals, v)
		ok = append(ok, err == nil)
	}
	return vals, ok
}

// execOne runs one statement in a fresh session.
func execOne(t *testing.T, src string) (*Result, error) {
	t.Helper()
	s := New()
	stmts, err := parser.ParseFile("t.sd", src, s.Context())
	if err != nil {
		t.Fatalf("parse %q: %v", src, err)
	}
	return s.Exec(context.Background(), stmts[0])
}

// Means over ranges with names that are empty for every size: simplify
// printed 0 for mean(i=1..n, mean(j=i+1..i, x[j])) (the inner mean has no
// terms at any i) and for mean(i=2*n..n, x[i]) (2*n..n is empty for every
// size, and sizes are whole numbers from 1). The oracle is the numeric
// evaluator at n = 1..6: undefined at every n where an error is wanted,
// and where a result is wanted, defined at some n and equal to the result
// wherever the input is defined.
func TestUndefinedIndexRanges(t *testing.T) {
	cases := []struct {
		src     string
		wantErr string // a prefix; "" when a result is wanted
	}{
		{"mean(i=1..n, mean(j=i+1..i, j*x))", "mean(j=i + 1..i, j*x) is undefined: mean over an empty range i + 1..i"},
		{"mean(i=2*n..n, i*x)", "mean(i=2*n..n, i*x) is undefined: mean over an empty range 2*n..n for every n from 1"},
		{"mean(i=1..n, mean(j=i+1..n, j*x))", "mean(j=i + 1..n, j*x) is undefined: mean over an empty range i + 1..n at i = n"},
		{"sum(i=1..n, mean(j=i+1..n, j*x))", "mean(j=i + 1..n, j*x) is undefined: mean over an empty range i + 1..n at i = n"},
		{"sum(i=1..n, mean(j=3..2, j*x))", "mean(j=3..2, j*x) is undefined: mean over an empty range 3..2"},
		{"sum(i=1..n, 0/(x - x))", "0/(x - x) is undefined: division by zero"},
		{"sum(i=1..n, i*log(x - x))", "log(x - x) is undefined: log(0) is undefined"},
		{"mean(i=1..n, sum(j=1..i, mean(k=j+1..i, k*x)))", "mean(k=j + 1..i, k*x) is undefined: mean over an empty range j + 1..i at j = 1, i = 1"},
		{"x + sum(i=n..n + 2, mean(j=i..n + 1, j))", "mean(j=i..n + 1, j) is undefined: mean over an empty range i..n + 1 at i = n + 2"},
		// Defined for some n, or for all: no error.
		{"mean(i=1..n, mean(j=i..n, j*x))", ""},
		{"sum(i=1..n, mean(j=i+1..n + 1, j*x))", ""},
		{"sum(i=2*n..n, i*x)", ""},
		{"sum(i=1..n - 1, mean(j=i+1..i, j*x))", ""}, // 0 at n = 1
		{"sum(i=2..n, mean(j=1..i - 1, j*x))", ""},
		{"mean(i=1..n, sum(j=i+1..i, j*x))", ""},
		{"mean(i=1..n, mean(j=n - i + 1..n, j*x))", ""},
		{"sum(i=1..n, [i <= n - 1]*mean(j=i+1..n, j*x))", ""},
	}
	for _, c := range cases {
		e, err := parser.ParseExpr(c.src, nil)
		if err != nil {
			t.Fatalf("parse %q: %v", c.src, err)
		}
		in, inOK := evalAtSizes(t, e, 6)
		r, err := execOne(t, c.src)
		if c.wantErr != "" {
			for k, ok := range inOK {
				if ok {
					t.Errorf("%s: the oracle has a value at n = %d; the case is wrong", c.src, k+1)
				}
			}
			if err == nil || !strings.HasPrefix(err.Error(), c.wantErr) {
				t.Errorf("%s: %v (result %v), want an error starting %q", c.src, err, r, c.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.src, err)
			continue
		}
		out, _ := evalAtSizes(t, r.Value, 6)
		some := false
		for k := range in {
			if !inOK[k] {
				continue
			}
			some = true
			if math.Abs(out[k]-in[k]) > 1e-9*(1+math.Abs(in[k])) {
				t.Errorf("%s = %s: at n = %d %v, the input %v", c.src, ast.String(r.Value), k+1, out[k], in[k])
			}
		}
		if !some {
			t.Errorf("%s: the oracle has no value at any n = 1..6; the case is wrong", c.src)
		}
	}
}

// TestUndefinedIndexRangesRandom: random nests of sums and means whose
// bounds are 1, 2, n, n ± 1, 2*n and the enclosing indices ± 1. Whatever
// simplify says is checked against the numeric evaluator at n = 1..5: an
// error only where the input has no value at any n, a result equal to the
// input wherever the input is defined and never a value where the input
// has none at every n (printing 0 for such a mean is the bug).
func TestUndefinedIndexRangesRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	idx := []string{"i", "j", "k"}
	var gen func(depth int, inScope []string) string
	gen = func(depth int, inScope []string) string {
		if depth == 0 || rng.IntN(4) == 0 {
			terms := append([]string{"x"}, inScope...)
			return fmt.Sprintf("%s*x + %d", terms[rng.IntN(len(terms))], rng.IntN(3))
		}
		v := idx[len(inScope)]
		bounds := []string{"1", "2", "n", "n - 1", "n + 1", "2*n"}
		for _, u := range inScope {
			bounds = append(bounds, u, u+" + 1", u+" - 1")
		}
		op := "sum"
		if rng.IntN(2) == 0 {
			op = "mean"
		}
		return fmt.Sprintf("%s(%s=%s..%s, %s)", op, v, bounds[rng.IntN(len(bounds))], bounds[rng.IntN(len(bounds))],
			gen(depth-1, append(inScope, v)))
	}
	const maxN = 5
	errs, results := 0, 0
	for range 300 {
		src := gen(3, nil)
		if !strings.Contains(src, "(") {
			continue
		}
		e, err := parser.ParseExpr(src, nil)
		if err != nil {
			t.Fatalf("parse %q: %v", src, err)
		}
		in, inOK := evalAtSizes(t, e, maxN)
		defined := false
		for _, ok := range inOK {
			defined = defined || ok
		}
		r, err := execOne(t, src)
		if err != nil {
			errs++
			if defined {
				t.Errorf("%s: %v, but it has a value at some n = 1..%d: %v", src, err, maxN, inOK)
			}
			continue
		}
		results++
		out, outOK := evalAtSizes(t, r.Value, maxN)
		for k := range in {
			switch {
			case inOK[k] && (!outOK[k] || math.Abs(out[k]-in[k]) > 1e-9*(1+math.Abs(in[k]))):
				t.Errorf("%s = %s: at n = %d %v (defined %v), the input %v", src, ast.String(r.Value), k+1, out[k], outOK[k], in[k])
			case !defined && outOK[k]:
				t.Errorf("%s = %s: %v at n = %d, where the input has no value at any n = 1..%d", src, ast.String(r.Value), out[k], k+1, maxN)
			}
		}
	}
	if errs < 10 || results < 10 {
		t.Errorf("%d errors and %d results: the generator should make both", errs, results)
	}
}

// A sum over a long range of numbers is decided from its body, not by
// adding up 10^8 terms (68 s for sum(i=1..100000000, i)). The oracle is
// the evaluator at the points that matter, worked out by hand: (i - 5) is
// 0 at i = 5, i^2 - 49 at i = 7, i - 5.5 at no whole number, log(i - 3)
// has no value at i = 1, 2, 3, and so on; and the clock.
func TestUndefinedLongSums(t *testing.T) {
	cases := []struct {
		src     string
		wantErr string
	}{
		{"sum(i=1..100000000, i)", ""},
		{"sum(i=1..100000000, (i - 5)/(i - 5))", "sum(i=1..100000000, (i - 5)/(i - 5)) is undefined: division by zero at i = 5"},
		{"sum(i=1..10^8, 1/(i - 5.5))", ""},
		{"sum(i=1..10^8, 1/(i^2 - 49))", "sum(i=1..10^8, 1/(i^2 - 49)) is undefined: division by zero at i = 7"},
		{"sum(i=1..10^8, 1/(i^2 - 50))", ""},
		{"sum(i=-10^8..10^8, 1/(3*i^2 + i - 2))", "sum(i=-10^8..10^8, 1/(3*i^2 + i - 2)) is undefined: division by zero at i = -1"},
		{"sum(i=1..10^8, log(i - 3))", "sum(i=1..10^8, log(i - 3)) is undefined: log(-2) is undefined at i = 1"},
		{"sum(i=4..10^8, log(i - 3))", ""},
		{"sum(i=1..10^8, log(i^2 - 20*i + 101))", ""},
		{"sum(i=1..10^8, log(i^2 - 20*i + 100))", "sum(i=1..10^8, log(i^2 - 20*i + 100)) is undefined: log(0) is undefined at i = 10"},
		{"sum(i=1..10^8, sqrt(i - 1))", ""},
		{"sum(i=1..10^8, sqrt(10^7 - i))", "sum(i=1..10^8, sqrt(10^7 - i)) is undefined"},
		{"sum(i=1..10^8, exp(-i)*sin(i)/(i + 1)^2)", ""},
		{"sum(i=1..10^8, 1/(i - 99999999))", "sum(i=1..10^8, 1/(i - 99999999)) is undefined: division by zero at i = 99999999"},
		{"1 + sum(i=1..10^8, i)/sum(i=1..10^8, 1)", ""},
		{"1/sum(i=1..10^8, i - i)", "1/sum(i=1..10^8, i - i) divides by zero"},
		{"sum(i=1..10^8, 1/(i - 5)) + 1", "sum(i=1..10^8, 1/(i - 5)) is undefined: division by zero at i = 5"},
	}
	for _, c := range cases {
		var r *Result
		var err error
		took := parsetest.MeasureStop(func() { r, err = execOne(t, c.src) })
		if took.Over(5 * time.Second) { // a hang guard: the clock alone stretches under load
			t.Errorf("%s took %v", c.src, took)
		}
		if c.wantErr == "" {
			if err != nil {
				t.Errorf("%s: %v", c.src, err)
			}
			continue
		}
		if err == nil || !strings.HasPrefix(err.Error(), c.wantErr) {
			t.Errorf("%s: %v (result %v), want an error starting %q", c.src, err, r, c.wantErr)
		}
	}
	// The oracle for the candidates: each claimed point has no value, and
	// the same sums over short ranges, added up term by term, agree.
	for _, c := range []struct {
		body string
		bad  bool
	}{
		{"(i - 5)/(i - 5)", true}, {"1/(i - 5.5)", false}, {"1/(i^2 - 49)", true}, {"1/(i^2 - 50)", false},
		{"log(i - 3)", true}, {"log(i^2 - 20*i + 101)", false}, {"log(i^2 - 20*i + 100)", true},
		{"1/(3*i^2 + i - 2)", false}, {"sqrt(7 - i)", true}, {"1/(2*i^2 - 9*i + 4)", true}, {"1/(2*i^2 - 9*i + 5)", false},
	} {
		e, err := parser.ParseExpr(fmt.Sprintf("sum(i=1..20, %s)", c.body), nil)
		if err != nil {
			t.Fatal(err)
		}
		_, err = ast.EvalContext(context.Background(), e, nil, nil)
		if (err != nil) != c.bad {
			t.Errorf("oracle: sum(i=1..20, %s): %v, want undefined %v", c.body, err, c.bad)
		}
		long := fmt.Sprintf("sum(i=1..10^8, %s)", c.body)
		if _, err := execOne(t, long); (err != nil) != c.bad {
			t.Errorf("%s: %v, want undefined %v (as over 1..20)", long, err, c.bad)
		}
	}
}

// polyCandidates against brute force: for random quadratics with small
// integer coefficients, every whole number of -30..30 where p = 0, p <= 0
// or p < 0 has a candidate (or an end) in the same set.
func TestPolyCandidates(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	for range 2000 {
		a, b, c := rng.IntN(7)-3, rng.IntN(41)-20, rng.IntN(201)-100
		lo, hi := rng.IntN(61)-30, rng.IntN(61)-30
		if lo > hi {
			lo, hi = hi, lo
		}
		src := fmt.Sprintf("%d*i^2 + %d*i + %d", a, b, c)
		e, err := parser.ParseExpr(src, nil)
		if err != nil {
			t.Fatal(err)
		}
		cands, ok := polyCandidates(e, "i")
		if !ok {
			t.Fatalf("%s: not a polynomial", src)
		}
		set := map[int]bool{lo: true, hi: true}
		for _, x := range cands {
			if x.IsInt64() {
				set[int(x.Int64())] = true
			}
		}
		p := func(x int) int { return a*x*x + b*x + c }
		for name, bad := range map[string]func(int) bool{
			"= 0": func(x int) bool { return p(x) == 0 }, "<= 0": func(x int) bool { return p(x) <= 0 }, "< 0": func(x int) bool { return p(x) < 0 },
		} {
			any, hit := false, false
			for x := lo; x <= hi; x++ {
				if bad(x) {
					any = true
					hit = hit || set[x]
				}
			}
			if any && !hit {
				t.Errorf("%s %s on %d..%d: no candidate among %v", src, name, lo, hi, cands)
			}
		}
	}
}
