package simplify_test

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser/parsetest"
	"github.com/symdiff/symdiff/rules/load"
	"github.com/symdiff/symdiff/simplify"
)

// The named forms: each derivative is shown in the form a person writes
// (the printed form is asserted), and that form is compared at random
// points, near and far from 0, with central finite differences of the
// function differentiated (float64 evaluation of the input with the
// definitions opened: neither the differentiator nor the simplifier is
// involved).
var namedForms = []struct {
	defs, fn, wrt, want string
}{
	// Swish.
	{"", "x*sigma(x)", "x", "sigma(x)*(x*(1 - sigma(x)) + 1)"},
	// Log-cosh, with cosh written out and built in.
	{"", "log((exp(r) + exp(-r))/2)", "r", "tanh(r)"},
	{"", "log(cosh(x))", "x", "tanh(x)"},
	// Softmax of three classes written out.
	{softmax3, "p1", "z1", "p1*(1 - p1)"},
	{softmax3, "p1", "z2", "-p1*p2"},
	{softmax3, "p3", "z1", "-p1*p3"},
	{softmax3, "-(y1*log(p1) + y2*log(p2) + y3*log(p3))", "z1", "p1*(y1 + y2 + y3) - y1"},
	{softmax3, "-log(p2)", "z2", "p2 - 1"},
	// The KL divergence between two softmaxes, in index notation, in both
	// directions.
	{softmaxK, "sum(k=1..K, p[k]*log(p[k]/q[k]))", "v[l]", "q[l] - p[l]"},
	{softmaxK, "sum(k=1..K, q[k]*log(q[k]/p[k]))", "v[l]", "q[l]*(log(q[l]/p[l]) - sum(i=1..K, q[i]*log(q[i]/p[i])))"},
	{softmaxK, "-sum(k=1..K, t[k]*log(q[k]))", "v[l]", "q[l]*sum(i=1..K, t[i]) - t[l]"},
}

const (
	softmax3 = `p1 := exp(z1)/(exp(z1) + exp(z2) + exp(z3))
p2 := exp(z2)/(exp(z1) + exp(z2) + exp(z3))
p3 := exp(z3)/(exp(z1) + exp(z2) + exp(z3))`
	softmaxK = `p[k] := exp(z[k])/sum(i=1..K, exp(z[i]))
q[k] := exp(v[k])/sum(i=1..K, exp(v[i]))`
)

func TestNamedForms(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(14, 2))
	for _, tt := range namedForms {
		defs := &ast.Defs{}
		if tt.defs != "" {
			defs = parsetest.DefsFrom(t, tt.defs)
		}
		fn := parsetest.MustParse(t, tt.fn, defs)
		wrt := parsetest.MustParse(t, tt.wrt, defs)
		res, err := simplify.Simplify(ctx, ast.NewDeriv(fn, wrt), simplify.Options{Rules: load.Builtin(), Defs: defs})
		if err != nil {
			t.Errorf("d(%s, %s): %v", tt.fn, tt.wrt, err)
			continue
		}
		if got := ast.String(res.Expr); got != tt.want {
			t.Errorf("d(%s, %s) = %s, want %s", tt.fn, tt.wrt, got, tt.want)
		}
		nm := parsetest.NamesOf(defs.Expand(fn), wrt, defs.Expand(res.Expr))
		checked := 0
		for i := range 40 {
			lo, hi := -2.0, 2.0
			if i%4 == 3 {
				lo, hi = -9, 9 // far from 0
			}
			pt := parsetest.Point(rng, nm, lo, hi)
			want, ok := centralDiff(fn, wrt, defs, pt)
			if !ok {
				continue
			}
			got, err := ast.Eval(res.Expr, defs, pt)
			if err != nil {
				t.Errorf("d(%s, %s) = %s: undefined at %v: %v", tt.fn, tt.wrt, tt.want, pt, err)
				break
			}
			if !parsetest.Near(got, want, 1e-5, 1e-7) {
				t.Errorf("d(%s, %s) = %s is %.10g at %v; finite differences give %.10g", tt.fn, tt.wrt, ast.String(res.Expr), got, pt, want)
				break
			}
			checked++
		}
		if checked < 20 {
			t.Errorf("d(%s, %s): only %d points checked", tt.fn, tt.wrt, checked)
		}
	}
}

// centralDiff is (f(v + h) - f(v - h))/(2h) for a scalar or an entry of
// an array, evaluated in float64.
func centralDiff(f, wrt ast.Expr, defs *ast.Defs, pt ast.Bindings) (float64, bool) {
	bump := func(d float64) (float64, bool) {
		b := ast.Bindings{}
		for k, v := range pt {
			b[k] = ast.Value{Shape: v.Shape, Data: slices.Clone(v.Data)}
		}
		switch w := wrt.(type) {
		case *ast.Sym:
			b[w.Name].Data[0] += d
		case *ast.Index:
			i := int(pt[w.Indices[0].(*ast.Sym).Name].Data[0]) - 1
			b[w.Name].Data[i] += d
		}
		v, err := ast.Eval(f, defs, b)
		return v, err == nil && !math.IsNaN(v) && !math.IsInf(v, 0)
	}
	h := 1e-5
	a, ok1 := bump(h)
	c, ok2 := bump(-h)
	return (a - c) / (2 * h), ok1 && ok2
}

// TestSoftmaxFormProperty: random polynomials in the softmaxes p1, p2, p3
// (and labels y1, y2) are differentiated by a logit; the result must be
// written without exponentials (in the p's) and agree with central finite
// differences at random points.
func TestSoftmaxFormProperty(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(3, 14))
	defs := parsetest.DefsFrom(t, softmax3)
	atoms := []string{"p1", "p2", "p3", "y1", "y2", "log(p1)", "log(p2)"}
	n := 40
	if testing.Short() {
		n = 10
	}
	for i := range n {
		var terms []string
		for range 1 + rng.IntN(3) {
			term := []string{[]string{"1", "2", "-3", "1/2"}[rng.IntN(4)]}
			for range 1 + rng.IntN(3) {
				term = append(term, atoms[rng.IntN(len(atoms))])
			}
			terms = append(terms, strings.Join(term, "*"))
		}
		src := strings.Join(terms, " + ")
		fn := parsetest.MustParse(t, src, defs)
		wrt := ast.NewSym([]string{"z1", "z2", "z3"}[rng.IntN(3)])
		res, err := simplify.Simplify(ctx, ast.NewDeriv(fn, wrt), simplify.Options{Rules: load.Builtin(), Defs: defs})
		if err != nil {
			t.Fatalf("%d: d(%s, %s): %v", i, src, wrt.Name, err)
		}
		if strings.Contains(ast.String(res.Expr), "exp") {
			t.Errorf("%d: d(%s, %s) = %s: not in terms of the softmax", i, src, wrt.Name, ast.String(res.Expr))
		}
		nm := parsetest.NamesOf(defs.Expand(fn), wrt)
		for j := range 10 {
			lo, hi := -3.0, 3.0
			if j%3 == 2 {
				lo, hi = -12, 12
			}
			pt := parsetest.Point(rng, nm, lo, hi)
			want, ok := centralDiff(fn, wrt, defs, pt)
			if !ok {
				continue
			}
			got, err := ast.Eval(res.Expr, defs, pt)
			if err != nil || !parsetest.Near(got, want, 1e-5, 1e-7) {
				t.Errorf("%d: d(%s, %s) = %s is %v (%v) at %v; finite differences give %v", i, src, wrt.Name, ast.String(res.Expr), got, err, pt, want)
				break
			}
		}
	}
}
