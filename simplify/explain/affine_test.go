package explain_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/parser/parsetest"
	"github.com/symdiff/symdiff/rules/load"
	"github.com/symdiff/symdiff/simplify"
	"github.com/symdiff/symdiff/simplify/explain"
	"github.com/symdiff/symdiff/simplify/prove"
)

// TestAffinePredictor: z[i] := sum(j, x[i,j]*w[j]) plus terms without w
// (an intercept b, an offset o[i]) is a linear predictor in w, found
// without --wrt and through --wrt w alike: the verdict, the family and the
// weight gradient are those of z = Xw, every claim holds, and the numbers
// agree with finite differences of the loss (checkNumbers, which checks
// the weight gradient with z computed from x, w and the offset). A term
// with w in it (w[1]², or a definition q := w[1]²) makes z no linear
// predictor in w: --wrt w then explains through z, says so, and derives
// no weight gradient, where it used to take w[m] for the predictor.
func TestAffinePredictor(t *testing.T) {
	const ce = "-mean(i=1..n, y[i]*log(sigma(z[i])) + (1 - y[i])*log(1 - sigma(z[i])))"
	for _, c := range []struct {
		name, defs, loss, family string
		linear                   bool
	}{
		{"intercept", "z[i] := sum(j=1..d, x[i,j]*w[j]) + b", ce, "Bernoulli", true},
		{"intercept first", "z[i] := b + sum(j=1..d, w[j]*x[i,j])", ce, "Bernoulli", true},
		{"offset", "z[i] := sum(j=1..d, x[i,j]*w[j]) + o[i]", "mean(i=1..n, exp(z[i]) - y[i]*z[i])", "Poisson", true},
		{"offset and intercept, least squares", "z[i] := sum(j=1..d, x[i,j]*w[j]) + o[i] + b", "mean(i=1..n, (z[i] - y[i])^2)", "Gaussian", true},
		{"w squared added", "z[i] := sum(j=1..d, x[i,j]*w[j]) + w[1]^2", ce, "Bernoulli", false},
		{"defined term in w", "q := w[1]^2\nz[i] := sum(j=1..d, x[i,j]*w[j]) + q", ce, "Bernoulli", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, wrt := range []string{"", "w"} {
				if wrt == "" && !c.linear {
					continue
				}
				defs := parsetest.DefsFrom(t, c.defs)
				l := parsetest.MustParse(t, c.loss, defs)
				e, err := explain.Explain(context.Background(), l, explain.Options{Simplify: simplify.Options{Defs: defs, Rules: load.Builtin()}, Wrt: wrt})
				if err != nil {
					t.Fatalf("--wrt %q: %v", wrt, err)
				}
				if e.Verdict != explain.Residual || e.Family == nil || e.Family.Name != c.family || name(e.Z) != "z" {
					t.Fatalf("--wrt %q: verdict %s, family %+v, predictor %v; claims:\n%s", wrt, e.Verdict, e.Family, e.Z, claims(e))
				}
				for _, cl := range e.Claims {
					if !cl.Holds() {
						t.Errorf("--wrt %q: claim %q: %s, needed %s", wrt, cl.Say, cl.Proof.Verdict, cl.Want)
					}
				}
				if c.linear != (e.Weights != nil && has(e, explain.PartWeights, prove.Proved)) {
					t.Errorf("--wrt %q: weight gradient %+v, want one: %v:\n%s", wrt, e.Weights, c.linear, claims(e))
				}
				if !c.linear && !slices.ContainsFunc(e.Notes, func(n string) bool { return strings.HasPrefix(n, "z is not a linear predictor sum(j, x[i,j]*w[j])") }) {
					t.Errorf("no note that z is not linear in w: %q", e.Notes)
				}
				checkNumbers(t, e, defs, l, real)
			}
		})
	}
}
