package parser_test

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
)

// A treeGen builds random trees of the kind the parser produces. Names are
// used consistently, as the parser requires: each scalar name is always
// scalar, each indexed name always has the same number of indices, and
// functions get their arity. Sum variables come from the scalar names, so
// they are never indexed.
type treeGen struct {
	r *rand.Rand
}

var (
	genScalars = []string{"a", "b", "c", "x", "y", "z", "n", "m", "t", "d", "e", "i", "j", "k",
		"lambda", "ŷ", "theta", "y_hat", "x1", "x_2", "CE", "alpha", "w\u0302",
		"sigma", "phi", "abs"} // built-in functions' names, not applied: variables
	genIndexVars = []string{"i", "j", "k", "n", "m", "t"}
	genIndexed   = []struct {
		name  string
		arity int
	}{{"w", 1}, {"v", 1}, {"p", 1}, {"ŵ", 1}, {"y_bar", 1}, {"X", 2}, {"K", 2}, {"T", 3}}
	genFuncs = []struct {
		name  string
		arity int
	}{
		{"exp", 1}, {"log", 1}, {"sqrt", 1}, {"sigma", 1}, {"softplus", 1}, {"tanh", 1}, {"cosh", 1}, {"sinh", 1},
		{"sin", 1}, {"cos", 1}, {"Phi", 1}, {"phi", 1},
		{"abs", 1}, {"sign", 1}, {"step", 1}, {"relu", 1}, {"max", 2}, {"min", 2}, {"clip", 3}, {"pi", 0},
		{"g", 1}, {"h", 2}, // user functions, known through userFuncs()
	}
)

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// num returns a non-negative number as a literal can write it: integers
// small and large, decimals, and tiny or huge values that print in
// exponent form.
func (g *treeGen) num() ast.Expr {
	r := g.r
	pow10 := func(k int) *big.Int { return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(k)), nil) }
	switch r.IntN(10) {
	case 0, 1, 2, 3:
		return ast.NewInt(r.Int64N(13))
	case 4:
		return ast.NewInt(r.Int64N(1_000_000))
	case 5: // beyond int64
		v := new(big.Int).Mul(big.NewInt(r.Int64N(1<<62)), pow10(5+r.IntN(20)))
		return ast.NewNum(ast.FromBigInt(v.Add(v, big.NewInt(r.Int64N(1000)))))
	case 6, 7: // a decimal: 0.5, 12.25, 0.001
		k := 1 + r.IntN(4)
		return ast.NewNum(ast.FromRat(new(big.Rat).SetFrac(big.NewInt(r.Int64N(100_000)), pow10(k))))
	case 8: // tiny: 1.5e-30
		k := 21 + r.IntN(60)
		return ast.NewNum(ast.FromRat(new(big.Rat).SetFrac(big.NewInt(1+r.Int64N(10_000)), pow10(k))))
	default: // huge, with trailing zeros
		return ast.NewNum(ast.FromBigInt(new(big.Int).Mul(big.NewInt(1+r.Int64N(999)), pow10(r.IntN(60)))))
	}
}

// index returns an index: a name or a non-negative integer.
func (g *treeGen) index(bound []string) ast.Expr {
	switch g.r.IntN(4) {
	case 0:
		return ast.NewInt(g.r.Int64N(20))
	case 1:
		if len(bound) > 0 {
			return ast.NewSym(pick(g.r, bound))
		}
	}
	return ast.NewSym(pick(g.r, genIndexVars))
}

func (g *treeGen) indexed(bound []string) ast.Expr {
	in := pick(g.r, genIndexed)
	idx := make([]ast.Expr, in.arity)
	for k := range idx {
		idx[k] = g.index(bound)
	}
	return ast.NewIndex(in.name, idx...)
}

func (g *treeGen) leaf(bound []string) ast.Expr {
	switch g.r.IntN(6) {
	case 0, 1:
		return g.num()
	case 2:
		if len(bound) > 0 {
			return ast.NewSym(pick(g.r, bound))
		}
		fallthrough
	case 3:
		return ast.NewSym(pick(g.r, genScalars))
	default:
		return g.indexed(bound)
	}
}

// expr returns a random tree of height at most depth+1; bound lists the
// sum variables in scope.
func (g *treeGen) expr(depth int, bound []string) ast.Expr {
	r := g.r
	if depth <= 0 || r.IntN(5) == 0 {
		return g.leaf(bound)
	}
	sub := func() ast.Expr { return g.expr(depth-1, bound) }
	list := func() []ast.Expr {
		out := make([]ast.Expr, 2+r.IntN(3))
		for k := range out {
			out[k] = sub()
		}
		return out
	}
	switch r.IntN(14) {
	case 0, 1:
		// Negation, also of numbers: -2 is the number -2, as when parsed.
		return ast.NewNeg(sub())
	case 2, 3:
		return ast.NewAdd(list()...)
	case 4, 5:
		return ast.NewMul(list()...)
	case 6:
		return ast.NewDiv(sub(), sub())
	case 7, 8:
		return ast.NewPow(sub(), sub())
	case 9:
		f := pick(r, genFuncs)
		args := make([]ast.Expr, f.arity)
		for k := range args {
			args[k] = sub()
		}
		return ast.NewCall(f.name, args...)
	case 10:
		// delta takes indices; a negative whole number is allowed too.
		a := g.index(bound)
		if r.IntN(4) == 0 {
			a = ast.NewInt(-r.Int64N(5))
		}
		return ast.NewCall("delta", a, g.index(bound))
	case 11, 12:
		op := ast.OpSum
		if r.IntN(2) == 0 {
			op = ast.OpMean
		}
		v := pick(r, genIndexVars)
		lo, hi := sub(), sub()
		body := g.expr(depth-1, append(bound[:len(bound):len(bound)], v))
		return ast.NewSum(op, v, lo, hi, body)
	default:
		var wrt ast.Expr
		if r.IntN(2) == 0 {
			wrt = ast.NewSym(pick(r, genScalars))
		} else {
			wrt = g.indexed(bound)
		}
		return ast.NewDeriv(sub(), wrt)
	}
}

// roundTripError returns why e does not survive printing and parsing, or "".
func roundTripError(e ast.Expr) string {
	s := ast.String(e)
	got, err := parser.ParseExpr(s, userFuncs())
	if err != nil {
		return fmt.Sprintf("String gives %q, which does not parse:\n%v", s, err)
	}
	if got != e {
		return fmt.Sprintf("String gives %q, which parses to another tree (-want +got):\n%s", s, cmp.Diff(ast.Sexpr(e), ast.Sexpr(got)))
	}
	if s2 := ast.String(got); s2 != s {
		return fmt.Sprintf("printing again gives %q, not %q", s2, s)
	}
	return ""
}

// smallestFailure returns the smallest subtree of e that fails the round
// trip, by descending into a failing child while there is one.
func smallestFailure(e ast.Expr) (ast.Expr, string) {
	msg := roundTripError(e)
	for {
		descended := false
		for _, k := range ast.Children(e) {
			if m := roundTripError(k); m != "" {
				e, msg, descended = k, m, true
				break
			}
		}
		if !descended {
			return e, msg
		}
	}
}

// TestRoundTrip checks parse(String(e)) == e, as the same node, and
// String(parse(String(e))) == String(e), for thousands of random trees.
func TestRoundTrip(t *testing.T) {
	const seeds, perSeed = 12, 500
	total := 0
	for seed := uint64(1); seed <= seeds; seed++ {
		g := &treeGen{r: rand.New(rand.NewPCG(seed, 0x5eed))}
		for n := 0; n < perSeed; n++ {
			e := g.expr(1+n%7, nil)
			total++
			if msg := roundTripError(e); msg != "" {
				small, smallMsg := smallestFailure(e)
				t.Fatalf("seed %d, tree %d: %s\nsmallest failing subtree %s: %s", seed, n, msg, ast.Sexpr(small), smallMsg)
			}
			// The other printers must cope with whatever the parser builds.
			if ast.UnicodeString(e) == "" || ast.LaTeXString(e) == "" {
				t.Fatalf("seed %d, tree %d: empty Unicode or LaTeX output for %s", seed, n, ast.String(e))
			}
		}
	}
	if total < 5000 {
		t.Errorf("only %d trees checked", total)
	}
}

// TestRoundTripGenerator checks that the generator reaches every kind of
// node and the awkward cases, so that TestRoundTrip means something.
func TestRoundTripGenerator(t *testing.T) {
	g := &treeGen{r: rand.New(rand.NewPCG(1, 0x5eed))}
	seen := map[string]int{}
	for n := 0; n < 500; n++ {
		ast.Inspect(g.expr(1+n%7, nil), func(e ast.Expr) bool {
			seen[fmt.Sprintf("%T", e)]++
			switch e := e.(type) {
			case *ast.Num:
				if e.Value.Sign() < 0 {
					seen["negative number"]++
				}
				if s := e.Value.String(); strings.Contains(s, "e") {
					seen["exponent form"]++
				} else if strings.Contains(s, ".") {
					seen["decimal"]++
				}
			case *ast.Add:
				if _, ok := e.Terms[0].(*ast.Add); ok {
					seen["nested sum"]++
				}
			case *ast.Sum:
				if e.Op == ast.OpMean {
					seen["mean"]++
				}
			case *ast.Call:
				seen["call "+e.Fn]++
			}
			return true
		})
	}
	for _, k := range []string{"*ast.Num", "*ast.Sym", "*ast.Index", "*ast.Neg", "*ast.Add", "*ast.Mul",
		"*ast.Div", "*ast.Pow", "*ast.Call", "*ast.Sum", "*ast.Deriv", "negative number", "exponent form",
		"decimal", "nested sum", "mean", "call delta", "call h", "call sigma"} {
		if seen[k] == 0 {
			t.Errorf("the generator never made a %s", k)
		}
	}
}

// TestRoundTripCases are trees that need care when printed: each must come
// back as itself.
func TestRoundTripCases(t *testing.T) {
	x, y, a, b := ast.NewSym("x"), ast.NewSym("y"), ast.NewSym("a"), ast.NewSym("b")
	neg2 := ast.NewInt(-2)
	tiny := ast.NewNum(ast.FromRat(new(big.Rat).SetFrac(big.NewInt(15), new(big.Int).Exp(big.NewInt(10), big.NewInt(31), nil))))
	huge := ast.NewNum(ast.FromBigInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(10000), nil)))
	tests := []struct {
		e    ast.Expr
		want string
	}{
		{ast.NewAdd(a, neg2), "a - 2"},
		{ast.NewAdd(a, ast.NewMul(neg2, b)), "a + -2*b"},
		{ast.NewAdd(a, ast.NewNeg(ast.NewNeg(b))), "a - -b"},
		{ast.NewAdd(ast.NewAdd(a, b), x), "(a + b) + x"},
		{ast.NewAdd(a, ast.NewAdd(b, x)), "a + (b + x)"},
		{ast.NewAdd(a, ast.NewNeg(ast.NewAdd(b, x))), "a - (b + x)"},
		{ast.NewMul(ast.NewMul(a, b), x), "(a*b)*x"},
		{ast.NewMul(a, ast.NewMul(b, x)), "a*(b*x)"},
		{ast.NewMul(ast.NewDiv(a, b), x), "a/b*x"},
		{ast.NewDiv(a, ast.NewMul(b, x)), "a/(b*x)"},
		{ast.NewDiv(ast.NewMul(a, b), x), "a*b/x"},
		{ast.NewDiv(a, ast.NewDiv(b, x)), "a/(b/x)"},
		{ast.NewMul(x, neg2), "x*-2"},
		{ast.NewMul(neg2, x), "-2*x"},
		{ast.NewNeg(ast.NewMul(neg2, x)), "-(-2*x)"},
		{ast.NewNeg(ast.NewMul(x, y)), "-(x*y)"},
		{ast.NewMul(ast.NewNeg(x), y), "-x*y"},
		{ast.NewPow(neg2, x), "(-2)^x"},
		{ast.NewPow(x, neg2), "x^-2"},
		{ast.NewPow(ast.NewNeg(x), y), "(-x)^y"},
		{ast.NewNeg(ast.NewPow(x, y)), "-x^y"},
		{ast.NewPow(x, ast.NewPow(y, a)), "x^y^a"},
		{ast.NewPow(ast.NewPow(x, y), a), "(x^y)^a"},
		{ast.NewPow(x, ast.NewNeg(ast.NewPow(y, a))), "x^-y^a"},
		{ast.NewPow(ast.NewPow(x, ast.NewNeg(y)), a), "(x^-y)^a"},
		{ast.NewNeg(ast.NewNeg(x)), "--x"},
		{ast.NewPow(ast.Half, x), "0.5^x"},
		{ast.NewPow(x, ast.Half), "x^0.5"},
		{tiny, "1.5e-30"},
		{ast.NewNeg(tiny), "-1.5e-30"},
		{ast.NewPow(tiny, x), "1.5e-30^x"},
		{ast.NewAdd(x, ast.NewNeg(tiny)), "x - 1.5e-30"},
		{huge, "1e10000"},
		{ast.NewSum(ast.OpSum, "i", ast.Half, neg2, ast.NewSym("i")), "sum(i=0.5..-2, i)"},
		{ast.NewSum(ast.OpMean, "i", ast.NewAdd(a, b), ast.NewMul(a, b), ast.NewSym("i")), "mean(i=a + b..a*b, i)"},
		{ast.NewCall("delta", neg2, ast.NewSym("j")), "delta(-2, j)"},
		{ast.NewDeriv(ast.NewAdd(x, y), ast.NewIndex("w", ast.NewSym("j"))), "d(x + y, w[j])"},
		{ast.NewMul(ast.NewSum(ast.OpSum, "i", ast.One, a, ast.NewSym("i")), x), "sum(i=1..a, i)*x"},
		{ast.NewCall("max", a, ast.NewCall("max", b, x)), "max(a, b, x)"},
		{ast.NewCall("max", ast.NewCall("max", a, b), x), "max(max(a, b), x)"},
		{ast.NewCall("min", a, ast.NewCall("max", b, ast.NewCall("max", x, y))), "min(a, max(b, x, y))"},
		{ast.NewMul(ast.NewCall("pi"), ast.NewPow(ast.NewSym("sigma"), ast.Two)), "pi*sigma^2"},
		{ast.NewCall("sigma", ast.NewSym("sigma")), "sigma(sigma)"},
		{ast.NewIndex("pi", ast.NewSym("k")), "pi[k]"},
		{ast.NewCall("clip", x, ast.Zero, ast.One), "clip(x, 0, 1)"},
	}
	for _, tt := range tests {
		if got := ast.String(tt.e); got != tt.want {
			t.Errorf("String(%s) = %q, want %q", ast.Sexpr(tt.e), got, tt.want)
		}
		if msg := roundTripError(tt.e); msg != "" {
			t.Errorf("%s: %s", ast.Sexpr(tt.e), msg)
		}
	}
}
