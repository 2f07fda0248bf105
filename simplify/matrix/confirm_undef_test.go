package matrix_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/simplify/matrix"
	"github.com/symdiff/symdiff/simplify/prove"
)

// TestConfirmCountsUndefinedApart (left7): the matrix prover's check with
// actual matrices counted a point where both sides have no value as one
// where they agree: log(sum(W .* inv(W)') - d) is log(tr(W*inv(W)) - d),
// log(0), at every invertible W, and the message said the sides "agree at
// the 30 of 30 random points where they are defined". Such points are
// counted apart and the message says how many; the verdict stays unknown.
func TestConfirmCountsUndefinedApart(t *testing.T) {
	opt, pctx := setupSource(t, "undef.sd", "W : matrix(d, d)\nS : symmetric(d)\n")
	for _, c := range []struct {
		a, b string
		// want is what the message says of the points; none: no point
		// counted as an agreement.
		want string
		none bool
	}{
		// Undefined on both sides at every point (tr(W*inv(W)) = d).
		{"log(sum(W .* inv(W)') - d)", "2*log(sum(W .* inv(W)') - d)", "both sides are undefined at", true},
		// S[1,2] - S[2,1] is 0 for a symmetric S.
		{"log(S[1,2] - S[2,1])", "2*log(S[1,2] - S[2,1])", "both sides are undefined at", true},
		// Only the left side is undefined (log(0)); the right is 1.
		{"log(S[1,2] - S[2,1])", "S[1,2] - S[2,1] + 1", "one side is undefined at", true},
	} {
		a, err := parser.ParseExpr(c.a, pctx)
		if err != nil {
			t.Fatal(err)
		}
		b, err := parser.ParseExpr(c.b, pctx)
		if err != nil {
			t.Fatal(err)
		}
		pr, err := matrix.Prove(context.Background(), a, b, opt)
		if err != nil {
			t.Fatal(err)
		}
		if pr.Verdict != prove.Unknown {
			t.Errorf("%s == %s: %v, want unknown (%s)", c.a, c.b, pr.Verdict, pr.Tried)
			continue
		}
		i := strings.Index(pr.Tried, c.want)
		if i < 0 {
			t.Errorf("%s == %s: the message does not say %q: %s", c.a, c.b, c.want, pr.Tried)
			continue
		}
		var k int
		if _, err := fmt.Sscanf(pr.Tried[i+len(c.want):], " %d of 30", &k); err != nil || k < 25 {
			t.Errorf("%s == %s: %d of 30 points (%v), want 25 or more: %s", c.a, c.b, k, err, pr.Tried)
		}
		var agree int
		if j := strings.Index(pr.Tried, "agree at the "); j >= 0 {
			fmt.Sscanf(pr.Tried[j:], "agree at the %d", &agree)
		}
		if c.none && agree > 0 {
			t.Errorf("%s == %s: counted %d points as agreeing, where a side has no value at any: %s", c.a, c.b, agree, pr.Tried)
		}
	}
}
