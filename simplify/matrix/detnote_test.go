package matrix_test

import (
	"context"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/simplify/matrix"
)

// TestDetDerivativeNote: d(det(A), A) is det(A)*inv(A)', which has no
// value where A is singular, though det(A) is differentiable there. A
// result must say where it holds exactly when that is so, which the test
// decides by evaluation of its own (refEval) at a point where the matrix
// is singular (its first row zero): the note is needed where the input
// has a value there and the result has none, and is wrong anywhere else
// (an input with inv(A) or logdet(A) is undefined there already).
func TestDetDerivativeNote(t *testing.T) {
	opt, pctx := invSetup(t)
	rng := rand.New(rand.NewPCG(41, 3))
	for _, src := range []string{
		"d(det(A), A)",
		"d(det(A)^2, A)",
		"d(det(A'), A)",
		"d(det(A*B), A)",
		"d(lam*det(A) + x'*A*x, A)",
		"d(det(x*mu'), x)",
		"d(logdet(A), A)",
		"d(det(A)*sum(inv(A)), A)",
		"d(det(inv(A)), A)",
		"d(lam*det(A) + norm(x)^2, x)",
		"d(x'*inv(A)*x, x)",
	} {
		e, err := parser.ParseExpr(src, pctx)
		if err != nil {
			t.Fatal(err)
		}
		r, err := matrix.Simplify(context.Background(), e, opt)
		if err != nil || r.Value == nil {
			t.Fatalf("%s: %v", src, err)
		}
		var note string
		for _, n := range r.Notes {
			if strings.Contains(n, "holds where") {
				note = n
			}
		}
		env := drawRef(rng, opt.Decls)
		for _, name := range []string{"A", "x"} { // A and x*mu' singular
			m := env[name].clone()
			for j := range m.c {
				m.a[j] = 0
			}
			env[name] = m
		}
		defined := func(x ast.Expr) bool {
			v, err := refEval(x, env)
			if err != nil {
				return false
			}
			for _, a := range v.a {
				if math.IsNaN(a) || math.IsInf(a, 0) {
					return false
				}
			}
			return true
		}
		f := e.(*ast.Deriv).X
		need := defined(f) && !defined(r.Value)
		switch {
		case need && note == "":
			t.Errorf("%s = %s, undefined at a singular point where the input is defined, with no note (%q)", src, ast.String(r.Value), r.Notes)
		case !need && note != "":
			t.Errorf("%s = %s: note %q, but the result has a value wherever the input has", src, ast.String(r.Value), note)
		}
		if strings.Contains(src, "x*mu'") && !strings.Contains(note, "rank 1") {
			t.Errorf("%s: note %q does not say that x*mu' is always singular", src, note)
		}
	}
}
