package matrix_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/rules"
	"github.com/symdiff/symdiff/simplify/matrix"
	"github.com/symdiff/symdiff/simplify/prove"
)

// conditions lists the conditions a proof's trace rests on: its rules of
// kind rules.Assumption that start "where " (what a proof prints under
// its verdict, as it prints "by assumption ...").
func conditions(tr rules.Trace) []string {
	var out []string
	for _, st := range tr {
		st.VisitRules(func(r *rules.Rule) {
			if r != nil && r.Kind == rules.Assumption && strings.HasPrefix(r.Doc, "where ") && !slices.Contains(out, r.Doc) {
				out = append(out, r.Doc)
			}
		})
	}
	return out
}

// TestProofStatesInvertibility (left7): a proof that cancels an inverse
// against its matrix (inv_cancel, inv_transpose_cancel, inv_inv, and the
// same in index form) holds where the matrix is invertible, and says so;
// it printed "proved: inv(W)*W == eye(d)" with no condition. The oracle
// is numeric: at a singular W, the side with the inverse has no value
// while the other side has one, so the condition is needed, and a claim
// whose both sides keep the inverse (no value on either side there) gets
// no condition.
func TestProofStatesInvertibility(t *testing.T) {
	opt, pctx := setupSource(t, "inv.sd", "W : matrix(d, d)\nX : matrix(n, d)\nx : vector(d)\n")
	ctx := context.Background()
	singular := ast.Bindings{
		"W": {Shape: []int{2, 2}, Data: []float64{1, 2, 2, 4}},
		"X": {Shape: []int{3, 2}, Data: []float64{1, 2, 2, 4, 3, 6}}, // X'*X singular
		"x": {Shape: []int{2}, Data: []float64{1, -3}},
		"d": ast.Scalar(2), "n": ast.Scalar(3),
	}
	for _, c := range []struct {
		a, b string
		want []string
	}{
		{"inv(W)*W", "eye(d)", []string{"where W is invertible"}},
		{"W*inv(W)*x", "x", []string{"where W is invertible"}},
		{"W'*inv(W)'", "eye(d)", []string{"where W is invertible"}},
		{"inv(inv(W))", "W", []string{"where W is invertible"}},
		{"inv(X'*X)*X'*X", "eye(d)", []string{"where X'*X is invertible"}},
		{"tr(W*inv(W))", "d", []string{"where W is invertible"}},
		// Index form: the entries' sums cancel the inverse.
		{"sum(W .* inv(W)')", "d", []string{"where W is invertible"}},
		{"dot(inv(W)'*x, W*x)", "dot(x, x)", []string{"where W is invertible"}},
		// Both sides keep inv(W): no value on either where W is singular.
		{"inv(W)*W*inv(W)", "inv(W)", nil},
	} {
		a, err := parser.ParseExpr(c.a, pctx)
		if err != nil {
			t.Fatal(err)
		}
		b, err := parser.ParseExpr(c.b, pctx)
		if err != nil {
			t.Fatal(err)
		}
		pr, err := matrix.Prove(ctx, a, b, opt)
		if err != nil {
			t.Fatal(err)
		}
		if pr.Verdict != prove.Proved {
			t.Errorf("%s == %s: %v (%s)", c.a, c.b, pr.Verdict, pr.Tried)
			continue
		}
		if got := conditions(pr.Trace); !slices.Equal(got, c.want) {
			t.Errorf("%s == %s: conditions %q, want %q", c.a, c.b, got, c.want)
		}
		// The oracle: at a singular matrix, is exactly one side defined?
		_, errA := matrix.Eval(ctx, a, singular, opt, opt.Simplify.Rules.Defs())
		_, errB := matrix.Eval(ctx, b, singular, opt, opt.Simplify.Rules.Defs())
		if needed := (errA == nil) != (errB == nil); needed != (len(c.want) > 0) {
			t.Errorf("%s == %s: at a singular matrix the left side's error is %v, the right's %v: a condition is needed: %v, stated: %q", c.a, c.b, errA, errB, needed, c.want)
		}
	}
}
