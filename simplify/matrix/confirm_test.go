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

// TestConfirmTinyDifferences: the matrix prover decides at high precision
// with exact inverses and determinants, not with a float64 tolerance: a
// side that differs from the other by 10^-k of an exact rational (k up to
// 40) is refuted, and a true identity that the symbolic argument cannot
// see (det(2*B) against 8*det(B): two unknowns of their own) is never
// refuted. The oracle is the construction: eps > 0 makes the sides differ
// at every point, eps = 0 makes them equal.
func TestConfirmTinyDifferences(t *testing.T) {
	opt, pctx := setupSource(t, "confirm.sd", "B : matrix(3, 3)\nA : matrix(2, 2)\nx : vector(3)\nx2 : vector(2)\n")
	type pair struct{ a, b string }
	perturbed := func(eps string) []pair {
		return []pair{
			{"inv(B)", "inv(B) + " + eps + "*eye(3)"},
			{"det(B)", "det(B) + " + eps},
			{"inv(B)*x", "inv(B)*x + " + eps + "*x"},
			{"det(inv(A))", "1/det(A) + " + eps},
			{"logdet(A'*A + eye(2))", "logdet(A'*A + eye(2)) + " + eps},
			{"inv(A'*A + eye(2))", "inv(A'*A + eye(2)) - " + eps + "*eye(2)"},
		}
	}
	prove1 := func(p pair) *prove.Proof {
		t.Helper()
		a, err := parser.ParseExpr(p.a, pctx)
		if err != nil {
			t.Fatal(err)
		}
		b, err := parser.ParseExpr(p.b, pctx)
		if err != nil {
			t.Fatal(err)
		}
		pr, err := matrix.Prove(context.Background(), a, b, opt)
		if err != nil {
			t.Fatal(err)
		}
		return pr
	}
	for _, eps := range []string{"10^-3", "10^-9", "10^-16", "10^-40"} {
		for _, p := range perturbed(eps) {
			if pr := prove1(p); pr.Verdict != prove.Refuted || pr.Counter == nil {
				t.Errorf("%s == %s: %v (%s), want refuted", p.a, p.b, pr.Verdict, pr.Tried)
			}
		}
	}
	// A matrix whose entries are not rational (exp(A), element-wise): its
	// inverse and determinant are taken from its entries at 512 bits,
	// and a difference counts above 2^-100 of 1 + the sides (so 10^-40
	// is beyond it); one that is singular in fact (exp(A) at
	// A = [[0,-2],[1,-1]]) gives no evidence, not an inverse of 2^400.
	for _, eps := range []string{"10^-3", "10^-9", "10^-16", "10^-25"} {
		for _, p := range []pair{
			{"det(exp(A))", "det(exp(A)) + " + eps},
			{"inv(exp(A))*x2", "inv(exp(A))*x2 + " + eps + "*x2"},
			{"det(exp(A))", "exp(A[1,1])*exp(A[2,2]) - exp(A[1,2])*exp(A[2,1]) - " + eps},
		} {
			if pr := prove1(p); pr.Verdict != prove.Refuted || pr.Counter == nil {
				t.Errorf("%s == %s: %v (%s), want refuted", p.a, p.b, pr.Verdict, pr.Tried)
			}
		}
	}
	for _, p := range append(perturbed("0"),
		pair{"inv(exp(A))*exp(A)", "eye(2)"},
		pair{"det(exp(A))", "exp(A[1,1])*exp(A[2,2]) - exp(A[1,2])*exp(A[2,1])"},
		pair{"exp(A)*inv(exp(A))*x2", "x2"},
		pair{"det(2*B)", "8*det(B)"},
		pair{"inv(2*B)", "inv(B)/2"},
		pair{"det(A'*A + eye(2))*det(inv(A'*A + eye(2)))", "1"},
		pair{"logdet(2*(A'*A + eye(2)))", "logdet(A'*A + eye(2)) + 2*log(2)"},
		pair{"inv(B)*B*x", "x"},
	) {
		if pr := prove1(p); pr.Verdict == prove.Refuted {
			t.Errorf("%s == %s: refuted at %s, but it holds", p.a, p.b, pr.Counter.Summary())
		}
	}
}

// TestConfirmUnresolvedSaysSo (review3): where the sides differ by less
// than what an approximated inverse or determinant can resolve at every
// point, the message said they "agree at the 0 of 30 random points where
// they are defined"; and a point where one entry was within that
// resolution was given up whole: inv(exp(A))*exp(A) == eye(n) agreed at 3
// of 30 points. The points are counted, and the message says what
// happened.
func TestConfirmUnresolvedSaysSo(t *testing.T) {
	opt, pctx := setupSource(t, "confirm.sd", "A : matrix(n, n)\n")
	for _, c := range []struct{ a, b, want string }{
		{"det(exp(A))", "det(exp(A)) + 10^-40", "they differ by less than the check can resolve (2^-100 of 1 + their size"},
		// Not inv(exp(A))*exp(A) == eye(n), which inv_cancel proves.
		{"inv(exp(A))*(exp(A) + A)", "eye(n) + inv(exp(A))*A", "only to within what the check can resolve"},
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
			t.Errorf("%s == %s: %v, want unknown", c.a, c.b, pr.Verdict)
			continue
		}
		var n int
		if i := strings.Index(pr.Tried, "at the "); i < 0 {
			t.Errorf("%s == %s: %s", c.a, c.b, pr.Tried)
		} else if _, err := fmt.Sscanf(pr.Tried[i:], "at the %d of 30", &n); err != nil || n < 25 || !strings.Contains(pr.Tried, c.want) {
			t.Errorf("%s == %s: %d of 30 points (%v), want 25 or more and %q: %s", c.a, c.b, n, err, c.want, pr.Tried)
		}
	}
}
