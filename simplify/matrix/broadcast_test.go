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

// broadcastPreamble declares the names of the broadcast tests.
const broadcastPreamble = `w : vector(d)
v : vector(d)
W : matrix(d, d)
X : matrix(n, d)
lam : scalar
mu : scalar
`

// randomBroadcast writes a random sum of vector (or matrix) terms and
// scalars, in which the array terms often cancel (w - w, 0*v, zeros(d)):
// the scalars are then broadcast by a sum whose array part is zero. It
// returns the sum, its array-free part (the scalars alone, what a rule
// that drops the zero matrix leaves) and whether the sum is a matrix.
func randomBroadcast(rng *rand.Rand) (sum, scalars string, isMatrix bool) {
	isMatrix = rng.IntN(3) == 0
	arrays := []string{"w", "v", "W*w", "X'*X*v"}
	zeros := []string{"zeros(d)", "0*v", "w*0"}
	if isMatrix {
		arrays = []string{"W", "W'", "w*v'", "X'*X"}
		zeros = []string{"zeros(d, d)", "0*W", "W'*0"}
	}
	scalarPool := []string{"lam", "mu", "1", "lam^2", "2*mu", "lam*mu"}
	var terms, sc []string
	for range 1 + rng.IntN(2) {
		a := arrays[rng.IntN(len(arrays))]
		switch rng.IntN(4) {
		case 0: // cancels
			terms = append(terms, a, "-"+a)
		case 1:
			terms = append(terms, "2*"+a, "-"+a, "-"+a)
		case 2:
			terms = append(terms, zeros[rng.IntN(len(zeros))])
		default: // stays
			terms = append(terms, a)
		}
	}
	for range 1 + rng.IntN(2) {
		s := scalarPool[rng.IntN(len(scalarPool))]
		if rng.IntN(2) == 0 {
			s = "-" + s
		}
		terms = append(terms, s)
		sc = append(sc, s)
	}
	rng.Shuffle(len(terms), func(i, j int) { terms[i], terms[j] = terms[j], terms[i] })
	return "(" + strings.Join(terms, " + ") + ")", "(" + strings.Join(sc, " + ") + ")", isMatrix
}

// wrapBroadcast makes a scalar of a random broadcast sum s, by an
// operation that reads every entry.
func wrapBroadcast(rng *rand.Rand, s string, isMatrix bool) string {
	wraps := []string{"sum(%)", "mean(%)", "norm(%)^2", "%'*v", "sum(% .* v)", "v'*%"}
	if isMatrix {
		wraps = []string{"sum(%)", "tr(%)", "sum(%*w)", "v'*%*w", "tr(%'*W)", "sum(% .* W)"}
	}
	return strings.ReplaceAll(wraps[rng.IntN(len(wraps))], "%", s)
}

// TestZeroMatrixBroadcast: a scalar added to a vector or matrix whose
// array terms cancel keeps the shape (zeros(d) + lam is lam in each of
// d entries). The rules zero_matrix and matrix_like_terms dropped the
// zero matrix and left the scalar lam alone, which changed values:
// sum(w - w + lam) was simplified to lam, and sum(zeros(d) + lam) == lam
// was proved. The oracle is refEval, the test's own evaluator, operation
// by operation with broadcasting, at random sizes from 2 to 4:
//   - a simplified (or derived by lam) result has the input's value;
//   - a claim proved holds at every point drawn, and a claim refuted
//     fails at one of them (each claim compares a random broadcast with
//     its scalars alone, false unless the sizes cancel, or with the
//     simplified form).
func TestZeroMatrixBroadcast(t *testing.T) {
	opt, pctx := setupSource(t, "preamble", broadcastPreamble)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(5, 17))
	parse := func(src string) ast.Expr {
		e, err := parser.ParseExpr(src, pctx)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		return e
	}
	// same reports whether a and b have the same value at 6 random
	// points, and the first point where they differ.
	same := func(a, b ast.Expr) (bool, map[string]refMat) {
		for range 6 {
			env := drawRef(rng, opt.Decls)
			x, err1 := refEval(a, env)
			y, err2 := refEval(b, env)
			if err1 != nil || err2 != nil {
				t.Fatalf("refEval %s, %s: %v, %v", ast.String(a), ast.String(b), err1, err2)
			}
			if len(x.a) != len(y.a) {
				return false, env
			}
			for i := range x.a {
				if math.Abs(x.a[i]-y.a[i]) > 1e-9*(1+math.Abs(x.a[i])) {
					return false, env
				}
			}
		}
		return true, nil
	}
	counts := map[string]int{}
	for range 60 {
		s, scalars, isMatrix := randomBroadcast(rng)
		src := wrapBroadcast(rng, s, isMatrix)
		if rng.IntN(4) == 0 {
			src = s // the vector or matrix itself
		}
		e := parse(src)
		r, err := matrix.Simplify(ctx, e, opt)
		if err != nil {
			t.Errorf("simplify %s: %v", src, err)
			continue
		}
		if r.Value != nil {
			if ok, env := same(e, r.Value); !ok {
				t.Errorf("simplify %s = %s: a different value at %v", src, ast.String(r.Value), env)
			}
			counts["simplified"]++
		}
		if src == s {
			continue
		}
		// The derivative by lam, against refEval's central differences.
		d := parse("d(" + src + ", lam)")
		if rd, err := matrix.Simplify(ctx, d, opt); err != nil || rd.Value == nil {
			t.Errorf("d(%s, lam): %v", src, err)
		} else {
			env := drawRef(rng, opt.Decls)
			at := func(h float64) float64 {
				e2 := map[string]refMat{}
				for k, v := range env {
					e2[k] = v
				}
				e2["lam"] = scalarRef(env["lam"].a[0] + h)
				v, err := refEval(e, e2)
				if err != nil {
					t.Fatal(err)
				}
				return v.a[0]
			}
			const h = 1e-6
			want := (at(h) - at(-h)) / (2 * h)
			got, err := refEval(rd.Value, env)
			if err != nil || math.Abs(got.a[0]-want) > 1e-5*(1+math.Abs(want)) {
				t.Errorf("d(%s, lam) = %s = %v (%v), finite differences %v", src, ast.String(rd.Value), got.a, err, want)
			}
			counts["derived"]++
		}
		// Claims: with the scalars alone (what dropping the zero matrix
		// gives), and with the simplified form.
		rhs := []string{strings.ReplaceAll(src, s, scalars)}
		if strings.HasPrefix(src, "sum(") && !isMatrix {
			rhs = append(rhs, "d*"+scalars)
		}
		if r.Value != nil {
			rhs = append(rhs, ast.String(r.Value))
		}
		for _, b := range rhs {
			be, err := parser.ParseExpr(b, pctx)
			if err != nil {
				continue // norm(lam), lam': not a claim
			}
			pr, err := matrix.Prove(ctx, e, be, opt)
			if err != nil {
				continue // different shapes
			}
			equal, env := same(e, be)
			switch v := pr.Verdict.String(); {
			case v == "proved" && !equal:
				t.Errorf("proved %s == %s, which differ at %v", src, b, env)
			case v == "refuted" && equal:
				t.Errorf("refuted %s == %s, which agree at 6 random points (%s)", src, b, pr.Tried)
			default:
				counts[v]++
			}
		}
	}
	// The test must have tested something of each kind.
	for _, k := range []string{"simplified", "derived", "proved", "refuted"} {
		if counts[k] < 5 {
			t.Errorf("only %d %s in %v", counts[k], k, counts)
		}
	}
	t.Logf("%v", counts)
}
