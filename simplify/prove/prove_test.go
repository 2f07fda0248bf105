package prove_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/derive"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/parser/parsetest"
	"github.com/symdiff/symdiff/simplify"
	"github.com/symdiff/symdiff/simplify/prove"
)

// parseProve parses `prove A == B` or `prove A != B`.
func parseProve(t *testing.T, src string, defs *ast.Defs) *ast.ProveStmt {
	t.Helper()
	stmts, err := parser.ParseFile("", src, &parser.Context{Defs: defs})
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	if len(stmts) != 1 {
		t.Fatalf("%s: %d statements", src, len(stmts))
	}
	ps, ok := stmts[0].Stmt.(*ast.ProveStmt)
	if !ok {
		t.Fatalf("%s is not a prove statement", src)
	}
	return ps
}

// reallyDiffer reports whether a and b differ at the point: clearly in
// float64, or else by the same amount at 256 and 512 bits and again at
// 2048 and 4096 bits (a rounding artefact shrinks as the precision grows,
// a real difference does not; 512 bits may lose a term below 2^-512 of
// the others' size, which 4096 bits see).
func reallyDiffer(a, b ast.Expr, defs *ast.Defs, pt ast.Bindings) (bool, string) {
	differ, why := differAt(a, b, defs, pt, 256, -150)
	if !differ || why != "" {
		return differ, why
	}
	return differAt(a, b, defs, pt, 2048, -1800)
}

// reallyDifferHigh is reallyDiffer at 2048 and 4096 bits only: a
// counterexample the prover found may differ by less than 2^-512.
func reallyDifferHigh(a, b ast.Expr, defs *ast.Defs, pt ast.Bindings) (bool, string) {
	differ, why := differAt(a, b, defs, pt, 2048, -1800)
	if !differ && strings.HasPrefix(why, "equal to within rounding") {
		// e^-1000 next to 962 is 2^-2830 of it: 8192 bits see it.
		return differAt(a, b, defs, pt, 4096, -3900)
	}
	return differ, why
}

func differAt(a, b ast.Expr, defs *ast.Defs, pt ast.Bindings, prec uint, rel int) (bool, string) {
	// Values beyond float64's range are compared at high precision only.
	tooLarge := func(v float64, err error) bool { return err != nil && (math.IsInf(v, 0) || math.IsNaN(v)) }
	va, errA := ast.Eval(a, defs, pt)
	vb, errB := ast.Eval(b, defs, pt)
	switch {
	case tooLarge(va, errA) || tooLarge(vb, errB):
	case errA != nil:
		return false, "left side undefined: " + errA.Error()
	case errB != nil:
		return false, "right side undefined: " + errB.Error()
	case !near(va, vb, 1e-6, 1e-6):
		return true, "clearly"
	}
	var diffs [2]*big.Float
	var scale *big.Float
	for k, prec := range []uint{prec, 2 * prec} {
		ba, err1 := ast.EvalBig(context.Background(), a, defs, pt, prec)
		bb, err2 := ast.EvalBig(context.Background(), b, defs, pt, prec)
		if err1 != nil || err2 != nil {
			return false, "undefined at high precision"
		}
		diffs[k] = new(big.Float).Sub(ba, bb)
		scale = new(big.Float).Abs(ba)
		if s := new(big.Float).Abs(bb); s.Cmp(scale) > 0 {
			scale = s
		}
	}
	d := new(big.Float).Abs(diffs[1])
	if d.Cmp(new(big.Float).SetMantExp(scale, rel)) <= 0 {
		return false, fmt.Sprintf("equal to within rounding at %d bits", 2*prec)
	}
	gap := new(big.Float).Sub(diffs[0], diffs[1])
	if gap.Abs(gap).Cmp(new(big.Float).SetMantExp(d, -30)) > 0 {
		return false, "the difference is rounding (it changes with the precision)"
	}
	return true, ""
}

// checkProof checks the evidence a verdict comes with.
func checkProof(t *testing.T, pr *prove.Proof, defs *ast.Defs) {
	t.Helper()
	switch pr.Verdict {
	case prove.Proved:
		if pr.Method == "" {
			t.Errorf("proved without a method")
		}
		// The steps are a chain from A to B.
		if len(pr.Trace) == 0 {
			if pr.A != pr.B {
				t.Errorf("proved %s == %s with no steps", ast.String(pr.A), ast.String(pr.B))
			}
			break
		}
		if pr.Trace[0].Before != pr.A {
			t.Errorf("the proof starts at %s, not at A = %s", ast.String(pr.Trace[0].Before), ast.String(pr.A))
		}
		if last := pr.Trace[len(pr.Trace)-1].After; last != pr.B {
			t.Errorf("the proof ends at %s, not at B = %s", ast.String(last), ast.String(pr.B))
		}
		for i := 1; i < len(pr.Trace); i++ {
			if pr.Trace[i-1].After != pr.Trace[i].Before {
				t.Errorf("step %d (%s) ends at %s but step %d (%s) starts at %s", i-1, pr.Trace[i-1].Rule,
					ast.String(pr.Trace[i-1].After), i, pr.Trace[i].Rule, ast.String(pr.Trace[i].Before))
			}
		}
	case prove.Refuted:
		ce := pr.Counter
		if ce == nil {
			t.Fatalf("refuted without a counterexample")
		}
		a, _, err1 := derive.Expand(bg, pr.A, derive.Options{Rules: builtin, Defs: defs})
		b, _, err2 := derive.Expand(bg, pr.B, derive.Options{Rules: builtin, Defs: defs})
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		differ, why := reallyDifferHigh(a, b, defs, ce.Bindings)
		if !differ {
			t.Errorf("counterexample %s does not hold up: %s", ce.Point(), why)
		}
		if va, err := ast.Eval(a, defs, ce.Bindings); err == nil && !near(va, ce.LeftF, 1e-12, 0) {
			t.Errorf("the counterexample's left value %v is not A's value %v there", ce.LeftF, va)
		}
		if vb, err := ast.Eval(b, defs, ce.Bindings); err == nil && !near(vb, ce.RightF, 1e-12, 0) {
			t.Errorf("the counterexample's right value %v is not B's value %v there", ce.RightF, vb)
		}
	case prove.Unknown:
		if pr.Tried == "" {
			t.Errorf("unknown without saying what was tried")
		}
	}
}

// TestProveContract: proofs with the verdict each must get. For a
// `prove A != B` the assertion holds exactly when A == B is refuted.
func TestProveContract(t *testing.T) {
	cases := []struct {
		src  string
		defs string
		want prove.Verdict
		// alsoOK is a verdict that would be acceptable too: a true
		// identity the prover cannot do today may become proved.
		alsoOK prove.Verdict
		holds  bool // for !=: whether the assertion holds
	}{
		{src: "prove x*(y + z) == x*y + x*z", want: prove.Proved},
		{src: "prove (a + b)^2 == a^2 + 2*a*b + b^2", want: prove.Proved},
		{src: "prove sigma(-x) == 1 - sigma(x)", want: prove.Proved},
		{src: "prove d(sigma(x), x) == sigma(x)*(1 - sigma(x))", want: prove.Proved},
		{src: "prove tanh(x) == 2*sigma(2*x) - 1", want: prove.Proved},
		{src: "prove sin(2*x) == 2*sin(x)*cos(x)", want: prove.Proved},
		{src: "prove log(x*y) == log(x) + log(y)", want: prove.Proved},
		{src: "prove sqrt(x)*sqrt(x) == x", want: prove.Proved},
		{src: "prove softplus(x) - softplus(-x) == x", want: prove.Proved},
		{src: "prove d(w[j], w[k]) == delta(j, k)", want: prove.Proved},
		{src: "prove sum(j=1..d, x[i,j]*delta(j,k)) == x[i,k]", want: prove.Proved},
		{src: "prove d(CE, z[m]) == (p[m] - y[m])/n", defs: "logistic", want: prove.Proved},
		{src: "prove d(CE, w[k]) == mean(i=1..n, x[i,k]*(p[i] - y[i]))", defs: "logistic", want: prove.Proved},
		{src: "prove d(MSE, w[k]) == 2*mean(i=1..n, x[i,k]*(q[i] - y[i]))", defs: "logistic", want: prove.Proved},
		{src: "prove (a + b)^2 == a^2 + b^2", want: prove.Refuted},
		{src: "prove sqrt(x^2) == x", want: prove.Refuted},
		{src: "prove (x^2)^(1/2) == x", want: prove.Refuted},
		{src: "prove sigma(x) == tanh(x)", want: prove.Refuted},
		{src: "prove Phi(x) == 0.5*(1 + tanh(x))", want: prove.Refuted},
		{src: "prove sigma(x) == sigma(x) + 1e-20", want: prove.Refuted},
		{src: "prove d(SQ, w[k]) == 2*mean(i=1..n, x[i,k]*(p[i] - y[i]))", defs: "logistic", want: prove.Refuted},
		// Assertions of difference.
		{src: "prove sigma(x) != tanh(x)", want: prove.Refuted, holds: true},
		{src: "prove d(CE, w[k]) != d(MSE, w[k])/2", defs: "logistic", want: prove.Refuted, holds: true},
		{src: "prove d(SQ, w[k]) != 2*mean(i=1..n, x[i,k]*(p[i] - y[i]))", defs: "logistic", want: prove.Refuted, holds: true},
		{src: "prove x + x != 2*x", want: prove.Proved, holds: false},
		// Unknown: defined nowhere, so neither provable by sampling nor
		// refutable; and true identities beyond the prover today.
		{src: "prove log(-x^2 - 1) == 0", want: prove.Unknown},
		{src: "prove sqrt(-1 - x^2) == sqrt(-2 - x^2)", want: prove.Unknown},
		{src: "prove sum(i=1..2*n, a[i]) == sum(i=1..n, a[i]) + sum(i=n+1..2*n, a[i])", want: prove.Unknown, alsoOK: prove.Proved},
		{src: "prove log(exp(x) + exp(y)) == x + log(1 + exp(y - x))", want: prove.Unknown, alsoOK: prove.Proved},
	}
	for _, c := range cases {
		t.Run(c.src, func(t *testing.T) {
			defs := defsFor(t, c.defs)
			ps := parseProve(t, c.src, defs)
			pr, err := prove.Prove(bg, ps.A, ps.B, simplify.Options{Rules: builtin, Defs: defs})
			if err != nil {
				t.Fatal(err)
			}
			if pr.Verdict != c.want && (c.alsoOK == prove.Unknown || pr.Verdict != c.alsoOK) {
				t.Errorf("verdict %s, want %s (%s)", pr.Verdict, c.want, pr.Tried)
			}
			if ps.Neq {
				if holds := pr.Verdict == prove.Refuted; holds != c.holds {
					t.Errorf("the assertion != holds: %v, want %v", holds, c.holds)
				}
			}
			checkProof(t, pr, defs)
			if pr.Verdict == prove.Proved {
				// Our own numerical check, independent of the prover's:
				// equal wherever both sides are defined.
				a, _, _ := derive.Expand(bg, ps.A, derive.Options{Rules: builtin, Defs: defs})
				b, _, _ := derive.Expand(bg, ps.B, derive.Options{Rules: builtin, Defs: defs})
				rng := rand.New(rand.NewPCG(7, 7))
				nm := namesOf(defs.Expand(a), defs.Expand(b))
				both := 0
				for k := 0; k < 300 && both < 50; k++ {
					pt := point(rng, nm, -3, 3)
					if _, err := ast.Eval(b, defs, pt); err != nil {
						continue
					}
					checked, complaint := agreeAt(a, b, defs, pt, 1e-9)
					if complaint != "" {
						t.Fatalf("proved, but at %v: %s", pt, complaint)
					}
					if checked {
						both++
					}
				}
				if both < 20 {
					t.Errorf("only %d points where both sides are defined", both)
				}
			}
		})
	}
}

// corpusLines reads an identity file: `LHS == RHS  # comment` per line.
func corpusLines(t *testing.T, file string) []string {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestIdentityCorpus runs the prover over testdata/identities: at least
// 95% of the true lines proved and none refuted; at least 95% of the
// false lines refuted (with counterexamples that hold up) and none proved.
// A wrong verdict on any line fails the test.
func TestIdentityCorpus(t *testing.T) {
	for _, tc := range []struct {
		file   string
		want   prove.Verdict
		never  prove.Verdict
		minPct int
	}{
		{"../../testdata/identities/true.txt", prove.Proved, prove.Refuted, 95},
		{"../../testdata/identities/false.txt", prove.Refuted, prove.Proved, 95},
	} {
		t.Run(tc.file[strings.LastIndexByte(tc.file, '/')+1:], func(t *testing.T) {
			lines := corpusLines(t, tc.file)
			if len(lines) < 100 {
				t.Fatalf("only %d lines in %s", len(lines), tc.file)
			}
			counts := map[prove.Verdict]int{}
			for _, line := range lines {
				ps := parseProve(t, "prove "+line, nil)
				pr, err := prove.Prove(bg, ps.A, ps.B, simplify.Options{Rules: builtin})
				if err != nil {
					t.Errorf("%s: %v", line, err)
					continue
				}
				counts[pr.Verdict]++
				switch pr.Verdict {
				case tc.never:
					t.Errorf("%s: %s (%s)", line, pr.Verdict, summary(pr))
				case prove.Unknown:
					t.Logf("unknown: %s", line)
				}
				checkProof(t, pr, nil)
			}
			t.Logf("%s: %d lines: %d proved, %d refuted, %d unknown", tc.file, len(lines),
				counts[prove.Proved], counts[prove.Refuted], counts[prove.Unknown])
			if got := counts[tc.want]; got*100 < tc.minPct*len(lines) {
				t.Errorf("%d of %d lines %s, want at least %d%%", got, len(lines), tc.want, tc.minPct)
			}
		})
	}
}

func summary(pr *prove.Proof) string {
	if pr.Counter != nil {
		return pr.Counter.Summary()
	}
	if pr.Method != "" {
		return pr.Method
	}
	return pr.Tried
}

// TestCorpusNumerically: every identity of the true corpus that
// holds at random points by our own sampling (a check of the corpus
// itself, independent of the prover).
func TestCorpusNumerically(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	rng := rand.New(rand.NewPCG(12, 34))
	for _, file := range []string{"../../testdata/identities/true.txt", "../../testdata/identities/false.txt"} {
		isTrue := strings.HasSuffix(file, "true.txt")
		for _, line := range corpusLines(t, file) {
			ps := parseProve(t, "prove "+line, nil)
			a, _, err1 := derive.Expand(bg, ps.A, derive.Options{Rules: builtin})
			b, _, err2 := derive.Expand(bg, ps.B, derive.Options{Rules: builtin})
			if err1 != nil || err2 != nil {
				t.Fatalf("%s: %v %v", line, err1, err2)
			}
			nm := namesOf(a, b)
			both, differ := 0, 0
			for k := 0; k < 400 && both < 30; k++ {
				// Near 0 first; then, for the lines defined only far
				// away (log(w - 10^5)), anywhere up to 10^9.
				lo, hi, far := -3.0, 3.0, k >= 200
				if far {
					lo, hi = -1e9, 1e9
				}
				pt := point(rng, nm, lo, hi)
				va, err1 := ast.Eval(a, nil, pt)
				_, err2 := ast.Eval(b, nil, pt)
				if err1 != nil || err2 != nil || !far && math.Abs(va) > 1e12 {
					continue
				}
				both++
				if d, _ := reallyDiffer(a, b, nil, pt); d {
					differ++
				}
			}
			switch {
			case both == 0:
				t.Errorf("%s: no point where both sides are defined", line)
			case isTrue && differ > 0:
				t.Errorf("true line %s differs at %d of %d points", line, differ, both)
			case !isTrue && differ == 0:
				t.Logf("false line %s agrees at %d random points of this sampler", line, both)
			}
		}
	}
}

// TestProveRegressions: proofs the prover got wrong before they were
// fixed. Each identity holds under the prover's stated conventions.
func TestProveRegressions(t *testing.T) {
	cases := []struct {
		bug, src string
		want     prove.Verdict
	}{
		{"with k assumed in 1..2 (assume k in 1..2), the identity is proved; the sampler keeps k there (not k=3 for sum(i=1..2, ...))",
			"prove sum(i=1..2, delta(k, i)) == 1", prove.Proved},
		{"the prover's sampler must keep a free index inside a numeric sum range",
			"prove sum(i=1..2, delta(k, i)*a[i]) == a[k]", prove.Proved},
	}
	for _, c := range cases {
		t.Run(c.src, func(t *testing.T) {
			ps := parseProve(t, c.src, nil)
			// The identity holds for every k in 1..2 (checked here).
			for kv := 1.0; kv <= 2; kv++ {
				pt := ast.Bindings{"k": ast.Scalar(kv), "a": {Shape: []int{2}, Data: []float64{0.5, -1.25}}}
				va, err1 := ast.Eval(ps.A, nil, pt)
				vb, err2 := ast.Eval(ps.B, nil, pt)
				if err1 != nil || err2 != nil || va != vb {
					t.Fatalf("test is wrong at k=%v: %v (%v) vs %v (%v)", kv, va, err1, vb, err2)
				}
			}
			ranges := map[string]simplify.Range{"k": {Lo: ast.One, Hi: ast.Two}}
			pr, err := prove.Prove(bg, ps.A, ps.B, simplify.Options{Rules: builtin, Ranges: ranges})
			if err != nil {
				t.Fatal(err)
			}
			checkProof(t, pr, nil)
			if pr.Verdict != c.want {
				t.Errorf("%s: %s: %s (%s)", c.bug, c.src, pr.Verdict, pr.Tried)
			}
		})
	}
}

// TestProveVerdictClasses: the verdict classes of issue 10. A symbolic
// proof stands only where the numbers have seen the domain; a difference
// below the rounding bound of the evaluation is no refutation.
func TestProveVerdictClasses(t *testing.T) {
	for _, c := range []struct {
		src    string
		want   prove.Verdict
		reason string // in Tried, when unknown
	}{
		// The domain is far from 0: checked there, and proved.
		{"prove sqrt(x - 7)^2 == x - 7", prove.Proved, ""},
		{"prove exp(log(w - 10^5)) == w - 10^5", prove.Proved, ""},
		{"prove log(w - 10^5) - log(w - 10^5) == 0", prove.Proved, ""},
		// Defined nowhere: a canonical form alone proves nothing.
		{"prove 0*sqrt(-x^2 - 1) == 0", prove.Unknown, "could not be checked"},
		{"prove 0*log(-1 - w^2) == 0", prove.Unknown, "no point was found"},
		// The same expression on both sides needs no point (its values are
		// beyond what is evaluated).
		{"prove exp(10^6) == exp(10^6)", prove.Proved, ""},
		{"prove exp(10^6)*0 == 0", prove.Unknown, "could not be checked"},
		// Far-away counterexamples.
		{"prove log(w - 10^5) == log(w) - log(10^5)", prove.Refuted, ""},
		{"prove sqrt(x - 10^6) == sqrt(x) - 10^3", prove.Refuted, ""},
		// Agreement within less than 2^-512 of the terms' size: not refuted.
		{"prove log(exp(x) + exp(-500)) - x == softplus(-x - 500)", prove.Proved, ""},
		{"prove softplus(u) == log(1 + exp(u))", prove.Proved, ""},
		{"prove softplus(u - 800) == log(1 + exp(u - 800))", prove.Proved, ""},
		// A real difference of that size: refuted.
		{"prove log(exp(x) + exp(-1000)) - x == 0", prove.Refuted, ""},
	} {
		t.Run(c.src, func(t *testing.T) {
			ps := parseProve(t, c.src, nil)
			pr, err := prove.Prove(bg, ps.A, ps.B, simplify.Options{Rules: builtin})
			if err != nil {
				t.Fatal(err)
			}
			checkProof(t, pr, nil)
			if strings.Contains(pr.Tried, "internal inconsistency") {
				t.Errorf("internal inconsistency for a valid input: %s", pr.Tried)
			}
			if pr.Verdict != c.want && !(c.want == prove.Proved && pr.Verdict == prove.Unknown) {
				t.Fatalf("%s, want %s (%s)", pr.Verdict, c.want, summary(pr))
			}
			if pr.Verdict != c.want {
				t.Logf("%s, want %s (%s)", pr.Verdict, c.want, summary(pr))
			}
			if c.reason != "" && !strings.Contains(pr.Tried, c.reason) {
				t.Errorf("tried %q, want it to say %q", pr.Tried, c.reason)
			}
		})
	}
}

// nestedSquare is ((((x+1)^2+1)^2+1)^2 ...) with levels squarings: a
// polynomial of degree 2^levels.
func nestedSquare(levels int) string {
	p := "x"
	for i := 0; i < levels; i++ {
		p = "(" + p + "+1)^2"
	}
	return p
}

// TestSharedParts: a part both sides share is an atom, so an identity
// around a polynomial of degree 4096 is decided without expanding it (it
// ran 79 s before).
func TestSharedParts(t *testing.T) {
	p, p5 := nestedSquare(12), nestedSquare(5)
	for _, c := range []struct {
		src  string
		want prove.Verdict
	}{
		{"prove " + p + " + 1 == 1 + " + p + "*(sin(y)^2 + cos(y)^2)", prove.Proved},
		// exp of a degree-32 polynomial: its values are within reach of
		// the numeric check (exp(P) of degree 4096 is not, anywhere).
		{"prove exp(" + p5 + ")*exp(y) == exp(" + p5 + " + y)", prove.Proved},
		{"prove sigma(" + p5 + ") == 1/(1 + exp(-" + p5 + "))", prove.Proved},
		{"prove sum(i=1..n, " + p + "*a[i]) == " + p + "*sum(i=1..n, a[i])", prove.Proved},
		{"prove " + p + " + 1 == 1 + " + p + "*(sin(y)^2 + cos(y)^2 + 10^-30)", prove.Refuted},
	} {
		ctx, cancel := context.WithTimeout(bg, 60*time.Second)
		var pr *prove.Proof
		var err error
		took := parsetest.MeasureStop(func() {
			ps := parseProve(t, c.src, nil)
			pr, err = prove.Prove(ctx, ps.A, ps.B, simplify.Options{Rules: builtin})
		})
		cancel()
		if err != nil {
			t.Fatalf("%s: %v", c.src, err)
		}
		if pr.Verdict != c.want {
			t.Errorf("%s: %s, want %s (%s)", c.src[:40], pr.Verdict, c.want, summary(pr))
		}
		checkProof(t, pr, nil) // the chain runs from A to B, with the shared parts back in place
		for _, l := range pr.Lines() {
			if strings.Contains(ast.String(l.Expr), "#") {
				t.Errorf("a line shows an atom's name: %s", ast.String(l.Expr))
			}
		}
		if took.Over(5 * time.Second) { // a hang guard, not a benchmark: the clock alone stretches under load
			t.Errorf("%s: took %v", c.src[:40], took)
		}
	}
}

// TestProveCancel: canceling a proof whose normal forms are huge (no part
// is shared here that would make them small: the two sides spell the
// polynomial differently) returns the context's error promptly, from
// inside the expansion.
func TestProveCancel(t *testing.T) {
	p, q := nestedSquare(12), "x"
	for i := 0; i < 12; i++ {
		q = "(1 + " + q + ")^2"
	}
	for _, src := range []string{
		"prove " + p + " == " + q,
		"prove (" + p + ")*(y + 1) == (y + 1)*" + q,
		"prove (" + p + ")*(sin(y)^2 + cos(y)^2) == " + q,
	} {
		ps := parseProve(t, src, nil)
		for _, after := range []time.Duration{time.Millisecond, 50 * time.Millisecond, 300 * time.Millisecond, 1500 * time.Millisecond} {
			ctx, cancel := context.WithCancel(bg)
			timer := time.AfterFunc(after, cancel)
			var pr *prove.Proof
			var err error
			took := parsetest.MeasureStop(func() { pr, err = prove.Prove(ctx, ps.A, ps.B, simplify.Options{Rules: builtin}) })
			timer.Stop()
			cancel()
			if err == nil {
				// It may finish first; then the verdict must not be wrong.
				if pr.Verdict == prove.Refuted {
					t.Errorf("%s: refuted", src)
				}
				continue
			}
			if !errors.Is(err, context.Canceled) {
				t.Errorf("canceled after %v: err = %v, want context.Canceled", after, err)
			}
			if late := took.Late(after); late != "" {
				t.Errorf("canceled after %v: returned late: %s", after, late)
			}
		}
	}
}
