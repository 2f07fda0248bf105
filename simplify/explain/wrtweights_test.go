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
)

// TestWrtWeightsExplainsThroughThePredictor: naming the weights w of
// z[i] := sum(j, x[i,j]*w[j]) as the predictor (--wrt w) explains the
// loss through z, as matrix notation does, and not about w itself, where
// the feature index would stand for the sample index (x[m,m]) and a
// residual-form loss would be called "not residual form". The oracle is
// the explanation found with no --wrt.
func TestWrtWeightsExplainsThroughThePredictor(t *testing.T) {
	for _, c := range cases {
		if !strings.Contains(c.defs, "x[i,j]*w[j]") && !strings.Contains(c.defs, "x[i,j]*W[j,l]") {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			weights := "w"
			if strings.Contains(c.defs, "W[j,l]") {
				weights = "W"
			}
			want, defs, l := explainCase(t, c.defs, c.loss, c.assume)
			got, err := explain.Explain(context.Background(), l, explain.Options{Simplify: simplify.Options{Defs: defs, Rules: load.Builtin()}, Assume: c.assume, Wrt: weights})
			if err != nil {
				t.Fatalf("explain --wrt %s: %v", weights, err)
			}
			if got.Verdict != want.Verdict || got.Verdict != c.verdict {
				t.Errorf("--wrt %s: verdict %v, without --wrt %v, want %v", weights, got.Verdict, want.Verdict, c.verdict)
			}
			if got.Z != want.Z || got.Grad != want.Grad || got.Cross != want.Cross {
				t.Errorf("--wrt %s: z, ∂ℓ/∂z, ∂²ℓ/∂z∂y = %v, %v, %v; without --wrt %v, %v, %v", weights, got.Z, got.Grad, got.Cross, want.Z, want.Grad, want.Cross)
			}
			if (got.Weights == nil) != (want.Weights == nil) {
				t.Errorf("--wrt %s: weight gradient %v, without --wrt %v", weights, got.Weights, want.Weights)
			}
			if !slices.ContainsFunc(got.Notes, func(n string) bool { return strings.HasPrefix(n, weights+" are the weights of the linear predictor") }) {
				t.Errorf("--wrt %s: no note that the weights were explained through their predictor: %q", weights, got.Notes)
			}
		})
	}
	// A name that weighs no predictor is taken as the predictor, as before.
	defs := parsetest.DefsFrom(t, predictor)
	l := parsetest.MustParse(t, "mean(i=1..n, (y[i] - u[i])^2)", defs)
	e, err := explain.Explain(context.Background(), l, explain.Options{Simplify: simplify.Options{Defs: defs, Rules: load.Builtin()}, Wrt: "u"})
	if err != nil || e.Verdict != explain.Residual || len(e.Notes) > 0 && strings.Contains(strings.Join(e.Notes, " "), "weights of the linear predictor") {
		t.Errorf("--wrt u on a loss of u: %v, %v, notes %q", e, err, e.Notes)
	}
}
