package parser_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
)

// The scalar forms of the Unicode printer read back: Σ_{i=1}^{n} body,
// |x|, xᵢⱼ and x₁₂, x², √(x), ∂f/∂x, ∧ ∨ ¬ and = in conditions, δⱼₖ,
// 1e−30, Greek names.

// uniGreek are the names the generator writes @name@, which the Unicode
// printer writes as Greek letters (lambda as λ): the source has each
// spelled either way at random, and the letter reads as the name, so
// the tree read back from the print is held to the one of the plain
// source (it had the letter as the name, another variable).
var uniGreek = map[string]string{"alpha": "α", "lambda": "λ", "mu": "μ", "beta": "β", "delta": "δ", "Sigma": "Σ", "Lambda": "Λ"}

// uniGen writes random scalar expressions in the plain syntax, with
// @greek@ names.
type uniGen struct {
	r    *rand.Rand
	vars []string // the summation indices in scope
}

func (g *uniGen) pick(xs ...string) string { return xs[g.r.IntN(len(xs))] }

// index writes an index: a free one (i, j, k), one in scope, or a whole
// number, which is written as subscripts when it has one or up to three
// digits.
func (g *uniGen) index() string {
	if len(g.vars) > 0 && g.r.IntN(3) > 0 {
		return g.vars[g.r.IntN(len(g.vars))]
	}
	return g.pick("i", "j", "k", "1", "2", "3", "12", "10")
}

func (g *uniGen) atom() string {
	switch g.r.IntN(9) {
	case 0, 1:
		return g.pick("x", "y", "z", "a", "x1", "x_1", "y_hat", "w2_3", "CE", "θ", "ŷ", "@alpha@", "@lambda@", "@mu@", "@delta@", "@Sigma@")
	case 2, 3:
		return g.pick("u", "w", "p", "q1", "r_2", "@beta@", "@Lambda@") + "[" + g.index() + "]"
	case 4:
		return g.pick("v", "s_2") + "[" + g.index() + "," + g.index() + "]"
	case 5:
		return g.pick("2", "3", "0.5", "1e-30", "12", "7/4", "pi")
	case 6:
		return "delta(" + g.index() + "," + g.index() + ")"
	case 7:
		return g.pick("[1 <= k <= n]", "[i <= n]", "[2 <= j]")
	}
	return g.pick("n", "m", "k")
}

func (g *uniGen) expr(d int) string {
	if d <= 0 {
		return g.atom()
	}
	e := func() string { return g.expr(d - 1) }
	switch g.r.IntN(16) {
	case 0:
		return "(" + e() + " + " + e() + ")"
	case 1:
		return "(" + e() + " - " + e() + ")"
	case 2:
		return "(" + e() + ")*(" + e() + ")"
	case 3:
		// Half the divisors are kept from 0 (δ₁₂ is 0): the value of a
		// tree read back otherwise is checked where it is defined.
		num, den := e(), e()
		if g.r.IntN(2) == 0 {
			den = "2 + abs(" + den + ")"
		}
		return "(" + num + ")/(" + den + ")"
	case 4:
		return "-(" + e() + ")"
	case 5:
		return "(" + e() + ")^" + g.pick("2", "3", "-1", "-2", "12", "(1/2)", "0.5")
	case 6:
		return "abs(" + e() + ")" + g.pick("", "", "^2", "^-1")
	case 7:
		return g.pick("sqrt(abs(", "log(1 + abs(", "sigma((", "exp(-abs(", "abs(sign(") + e() + "))"
	case 8:
		return g.pick("max(", "min(") + e() + ", " + e() + g.pick("", ", "+e()) + ")"
	case 9, 10:
		return g.sum(d)
	case 11:
		return "if(" + g.cond(d-1) + ", " + e() + ", " + e() + ")"
	case 12:
		return e() + g.pick(" + ", " - ", "*", "/") + g.sum(d)
	case 13:
		return "(" + g.sum(d) + ")" + g.pick("*", "/", " - ") + e()
	case 14:
		return "d(" + e() + ", " + g.pick("x", "y", "u[j]", "v[i,k]") + ")"
	}
	return g.atom()
}

func (g *uniGen) sum(d int) string {
	v := g.pick("i", "j", "@alpha@")
	for _, u := range g.vars {
		if u == v {
			v = "l"
		}
	}
	lo, hi := g.pick("1", "2", "k"), g.pick("n", "m", "n - 1", "4")
	g.vars = append(g.vars, v)
	body := g.pick("u", "w", "@beta@") + "[" + v + "]"
	switch g.r.IntN(4) {
	case 0:
		body += "*(" + g.expr(d-1) + ")"
	case 1:
		body = "(" + g.expr(d-1) + ")*" + body + g.pick("", "^2", "/p["+v+"]")
	case 2:
		if d > 1 {
			body = g.sum(d - 1)
		}
	}
	g.vars = g.vars[:len(g.vars)-1]
	return g.pick("sum", "sum", "mean") + "(" + v + "=" + lo + ".." + hi + ", " + body + ")"
}

func (g *uniGen) cond(d int) string {
	cmp := func() string {
		return g.expr(d) + g.pick(" < ", " <= ", " > ", " >= ", " == ", " != ") + g.expr(d)
	}
	switch g.r.IntN(4) {
	case 0:
		return cmp() + " and " + cmp()
	case 1:
		return cmp() + " or not (" + cmp() + ")"
	}
	return cmp()
}

// uniBindings binds every name the generator writes, Latin and Greek
// spellings alike: scalars, entries 1..12 of vectors and matrices, and
// small whole numbers for the indices and bounds.
func uniBindings(r *rand.Rand) ast.Bindings {
	b := ast.Bindings{}
	for _, n := range []string{"x", "y", "z", "a", "x1", "x_1", "y_hat", "w2_3", "CE", "theta", "ŷ", "alpha", "lambda", "mu", "delta", "Sigma"} {
		v := ast.Scalar(0.5 + 2*r.Float64())
		b[n] = v
		if g, ok := uniGreek[n]; ok {
			b[g] = v
		}
	}
	vec := func(n int) ast.Value {
		data := make([]float64, n)
		for i := range data {
			data[i] = 0.5 + 2*r.Float64()
		}
		return ast.Value{Shape: []int{n}, Data: data}
	}
	for _, n := range []string{"u", "w", "p", "q1", "r_2", "beta", "Lambda"} {
		b[n] = vec(12)
		if g, ok := uniGreek[n]; ok {
			b[g] = b[n]
		}
	}
	for _, n := range []string{"v", "s_2"} {
		m := vec(144)
		m.Shape = []int{12, 12}
		b[n] = m
	}
	// Every range of the generator's is non-empty: k <= 2 < 3 <= n - 1.
	for n, v := range map[string]int{"i": 1 + r.IntN(3), "j": 1 + r.IntN(3), "k": 1 + r.IntN(2), "n": 4 + r.IntN(2), "m": 4 + r.IntN(2)} {
		b[n] = ast.Scalar(float64(v))
	}
	return b
}

// TestUnicodeScalarRoundTrip: a random scalar expression printed by the
// Unicode printer parses back to the same tree, lambda printed λ as
// lambda. Where the printer is not one to one the tree read back is
// another with the same value, checked at random points; that happens
// only for (a) a mean, which prints as (1/n)·Σ…, read back as a product
// with a sum; (b) a sum divided by what does not use its index,
// Σᵢ xᵢ/c, read back as the sum of the quotients; (c) a sum multiplied
// likewise, where the printer folds the factor into the body.
func TestUnicodeScalarRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 5))
	exact, valued, skipped, unchecked := 0, 0, 0, 0
	for n := range 3000 {
		g := &uniGen{r: r}
		tmpl := g.expr(1 + n%4)
		plain, mixed := tmpl, tmpl
		for latin, letter := range uniGreek {
			plain = strings.ReplaceAll(plain, "@"+latin+"@", latin)
			parts := strings.Split(mixed, "@"+latin+"@")
			mixed = parts[0]
			for _, p := range parts[1:] {
				mixed += []string{latin, letter}[r.IntN(2)] + p
			}
		}
		e, err := parser.ParseExpr(plain, nil)
		if err != nil {
			skipped++ // a name used two ways, an index clash: not what is tested
			continue
		}
		want := e
		if m, err := parser.ParseExpr(mixed, nil); err != nil || m != e {
			t.Errorf("%s, with names spelled in Greek, %s, reads as another tree: %v", plain, mixed, err)
		}
		u := ast.UnicodeString(e)
		got, err := parser.ParseExpr(u, nil)
		if err != nil {
			t.Errorf("%s prints as\n\t%s\nwhich does not parse: %v", plain, u, err)
			continue
		}
		if got == want {
			exact++
			continue
		}
		msg := sameValue(r, got, want)
		if msg == noPoint {
			unchecked++ // (−x)^0.5, and the like, everywhere: rare
			continue
		}
		if msg != "" {
			t.Errorf("%s prints as\n\t%s\nwhich parses to another tree:\n\t%s\nwant\t%s\n%s", plain, u, ast.String(got), ast.String(want), msg)
			continue
		}
		if !strings.Contains(u, "Σ") {
			t.Errorf("%s prints as\n\t%s\nwhich reads back as another tree of the same value, %s: only sums should", plain, u, ast.String(got))
		}
		valued++
	}
	t.Logf("%d read back as the same tree, %d as another of the same value, %d skipped, %d without a point to compare", exact, valued, skipped, unchecked)
	if exact < 1500 || valued < 500 || skipped > 300 || unchecked > 60 {
		t.Errorf("%d exact, %d of the same value, %d skipped, %d unchecked: the generator should make many of the first two, few of the others", exact, valued, skipped, unchecked)
	}
}

const noPoint = "no point where both evaluate"

// sameValue returns "" when a and b have the same value at a few random
// points, else what differs.
func sameValue(r *rand.Rand, a, b ast.Expr) string {
	// A derivative has no value until it is taken: ∂x/∂y stands as x + 2y
	// here, the same in both trees (that the reading of ∂x/∂y is right is
	// for the trees without a mean to show, which compare whole). So that
	// a quotient has a value, δⱼₖ and [a ≤ b], mostly 0, stand as
	// 2 + j + k and 3 + a + b: a map of nodes applied to both trees, which
	// keeps them apart unless one has 2 + j + k where the other has δⱼₖ.
	two, three := ast.NewNum(ast.Int(2)), ast.NewNum(ast.Int(3))
	noDeriv := func(e ast.Expr) ast.Expr {
		return ast.Map(e, func(x ast.Expr) ast.Expr {
			switch x := x.(type) {
			case *ast.Deriv:
				return ast.NewAdd(x.X, x.Wrt, x.Wrt)
			case *ast.Iverson:
				return ast.NewAdd(append([]ast.Expr{three}, x.Args...)...)
			case *ast.Call:
				if x.Fn == "delta" {
					return ast.NewAdd(two, x.Args[0], x.Args[1])
				}
			}
			return x
		})
	}
	a, b = noDeriv(a), noDeriv(b)
	agree := 0
	for range 8 {
		bind := uniBindings(r)
		x, errA := ast.Eval(a, nil, bind)
		y, errB := ast.Eval(b, nil, bind)
		switch {
		case errA != nil || errB != nil:
			if (errA == nil) != (errB == nil) {
				return fmt.Sprintf("one evaluates and the other does not: %v, %v", errA, errB)
			}
			continue
		case math.IsNaN(x) && math.IsNaN(y):
			continue
		case math.Abs(x-y) > 1e-9*(1+math.Abs(x)+math.Abs(y)):
			return fmt.Sprintf("at %v: %v, want %v", bind, x, y)
		}
		agree++
	}
	if agree == 0 {
		return noPoint
	}
	return ""
}
