package simplify_test

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/simplify"
)

// An independent oracle for the tests below: polynomials in x, y, z, w
// with big integer coefficients, multiplied out here term by term.
type mono [4]int

type poly map[mono]*big.Int

var polyVars = []string{"x", "y", "z", "w"}

// sumPoly is a sum of terms (coefficient, exponents).
func (p poly) mul(q poly) poly {
	r := poly{}
	for a, ca := range p {
		for b, cb := range q {
			var m mono
			for i := range m {
				m[i] = a[i] + b[i]
			}
			v := new(big.Int).Mul(ca, cb)
			if old, ok := r[m]; ok {
				v.Add(v, old)
			}
			r[m] = v
		}
	}
	for m, v := range r {
		if v.Sign() == 0 {
			delete(r, m)
		}
	}
	return r
}

func (p poly) pow(n int) poly {
	r := poly{mono{}: big.NewInt(1)}
	for range n {
		r = r.mul(p)
	}
	return r
}

// String writes p in the input syntax, monomials in a fixed order.
func (p poly) String() string {
	keys := make([]mono, 0, len(p))
	for m := range p {
		keys = append(keys, m)
	}
	slices.SortFunc(keys, func(a, b mono) int { return slices.Compare(a[:], b[:]) })
	var b strings.Builder
	b.WriteString("0")
	for _, m := range keys {
		fmt.Fprintf(&b, " + (%s)", p[m])
		for i, e := range m {
			if e > 0 {
				fmt.Fprintf(&b, "*%s^%d", polyVars[i], e)
			}
		}
	}
	return b.String()
}

// factorSpec is a sum raised to a power: its text and its polynomial.
type factorSpec struct {
	text string
	p    poly
	exp  int
}

func linear(coefs ...int64) factorSpec {
	// coefs: the constant, then the coefficients of x, y, z, w.
	p := poly{}
	var parts []string
	for i, c := range coefs {
		if c == 0 {
			continue
		}
		var m mono
		name := "1"
		if i > 0 {
			m[i-1] = 1
			name = polyVars[i-1]
		}
		p[m] = big.NewInt(c)
		parts = append(parts, fmt.Sprintf("(%d)*%s", c, name))
	}
	return factorSpec{text: "(" + strings.Join(parts, " + ") + ")", p: p, exp: 1}
}

func (f factorSpec) to(n int) factorSpec { f.exp = n; return f }

func product(fs ...factorSpec) (string, poly) {
	p := poly{mono{}: big.NewInt(1)}
	var parts []string
	for _, f := range fs {
		parts = append(parts, fmt.Sprintf("%s^%d", f.text, f.exp))
		p = p.mul(f.p.pow(f.exp))
	}
	return strings.Join(parts, "*"), p
}

func simplifyCanon(t *testing.T, src string) *simplify.Result {
	t.Helper()
	res, err := simplify.Simplify(bg, mustParse(t, src, nil), simplify.Options{Rules: builtin})
	if err != nil {
		t.Fatal(err)
	}
	if res.Stop != simplify.StopFixpoint {
		t.Fatalf("stopped: %v %s", res.Stop, res.Detail)
	}
	return res
}

// TestProductMinusExpansion: P - expand(P) is 0 for products whose
// expansion (computed by the oracle) has 70 to 2,000 terms, beyond the
// bound of the smart expansion; the canonical form is 0, not only the
// display.
func TestProductMinusExpansion(t *testing.T) {
	for _, fs := range [][]factorSpec{
		{linear(1, 1, 1, 1).to(3), linear(2, 1, -1).to(3)},       // the reviewer's case, 70 terms
		{linear(1, 1, 1, 1, 1).to(4), linear(2, 1, 0, -1).to(2)}, // four variables
		{linear(-1, 2, 1, 1, 1).to(6)},                           // one power
		{linear(1, 1, -1, 0, 0), linear(3, 0, 1, 1, 0), linear(1, 1, 1, 1, 1).to(5), linear(0, 1, 0, 0, -2).to(2)},
		{linear(1, 1, 1, -1, 1).to(8)},
		{linear(1, 1, 1, 1, -1).to(12)}, // 1,820 terms
	} {
		text, p := product(fs...)
		t.Run(fmt.Sprintf("%d terms", len(p)), func(t *testing.T) {
			if len(p) < 70 || len(p) > 2000 {
				t.Fatalf("the case has %d terms, want 70..2000", len(p))
			}
			res := simplifyCanon(t, text+" - ("+p.String()+")")
			if got := ast.String(res.Canonical); got != "0" {
				t.Errorf("canonical form is %.300s, want 0", got)
			}
			if got := ast.String(res.Expr); got != "0" {
				t.Errorf("got %.300s, want 0", got)
			}
		})
	}
}

// TestCancellationOfProducts: identities whose two sides cancel only
// after multiplying out, with P a product of powers of sums.
func TestCancellationOfProducts(t *testing.T) {
	P := "((x + y + z + 1)^3*(x - y + 2)^2)"
	for _, c := range []struct{ in, want string }{
		{fmt.Sprintf("(%[1]s + 1)*(%[1]s - 1) - (%[1]s^2 - 1)", P), "0"},
		{fmt.Sprintf("(%[1]s + 1)^2 - (%[1]s^2 + 2*%[1]s + 1)", P), "0"},
		{fmt.Sprintf("(%[1]s - x)^3 - (%[1]s^3 - 3*x*%[1]s^2 + 3*x^2*%[1]s - x^3) + sin(w)", P), "sin(w)"},
		{"(x + y)^5*(x - y)^5 - (x^2 - y^2)^5", "0"},
	} {
		res := simplifyCanon(t, c.in)
		if got := ast.String(res.Expr); got != c.want {
			t.Errorf("%.80s...: got %.300s, want %s", c.in, got, c.want)
		}
	}
}

// TestRandomProductMinusExpansion: for random products S of random sums
// (powers included), simplify(S - expand(S)) is 0 and
// simplify(S - expand(S) + q) is simplify(q), where expand is the oracle.
func TestRandomProductMinusExpansion(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 2026))
	qs := []string{"sin(x) + w", "exp(y)*z", "x*y - 3"}
	for i := range 40 {
		var fs []factorSpec
		for range 1 + rng.IntN(3) {
			coefs := make([]int64, 5)
			for len(linear(coefs...).p) < 2 {
				for j := range coefs {
					coefs[j] = int64(rng.IntN(7) - 3)
					if rng.IntN(3) == 0 {
						coefs[j] = 0
					}
				}
			}
			fs = append(fs, linear(coefs...).to(1+rng.IntN(4)))
		}
		text, p := product(fs...)
		diff := text + " - (" + p.String() + ")"
		if got := ast.String(simplifyCanon(t, diff).Canonical); got != "0" {
			t.Errorf("case %d (%d terms): %s - expand(...) = %.200s, want 0", i, len(p), text, got)
		}
		q := qs[i%len(qs)]
		want := ast.String(simplifyCanon(t, q).Expr)
		if got := ast.String(simplifyCanon(t, diff+" + "+q).Expr); got != want {
			t.Errorf("case %d: %s - expand(...) + %s = %.200s, want %s", i, text, q, got, want)
		}
	}
}

// TestW5StaysFactored: the wider search for a cancellation leaves the
// derivative of (x+1)...(x+100) a sum of products (nothing cancels).
func TestW5StaysFactored(t *testing.T) {
	res := diffSimplify(t, productOfShifts(100))
	text := ast.String(res.Expr)
	if strings.Contains(text, "x^") || !strings.Contains(text, "(x + 100)") {
		t.Errorf("not a sum of products: %.200s", text)
	}
	if a, ok := res.Canonical.(*ast.Add); !ok || len(a.Terms) != 100 {
		t.Errorf("canonical form is not a sum of 100 products: %.200s", ast.String(res.Canonical))
	}
}
