package prove_test

import (
	"math/big"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/simplify"
	"github.com/symdiff/symdiff/simplify/prove"
)

// TestExactCounterexamples checks identities that fail only at a fraction
// (x = 1/3, where 3*x - 1 is exactly 0): they must be refuted, and the
// printed point must truly refute, which the test re-checks by evaluating
// both sides at the printed point with big.Rat arithmetic written out by
// hand. Near misses that are true must not be refuted.
func TestExactCounterexamples(t *testing.T) {
	one := big.NewRat(1, 1)
	step := func(u *big.Rat) *big.Rat {
		if u.Sign() > 0 {
			return big.NewRat(1, 1)
		}
		return new(big.Rat) // step(0) = 0
	}
	lin := func(a int64, x *big.Rat, c int64) *big.Rat { // a*x + c
		r := new(big.Rat).Mul(big.NewRat(a, 1), x)
		return r.Add(r, big.NewRat(c, 1))
	}
	iverEq := func(a, b *big.Rat) *big.Rat {
		if a.Cmp(b) == 0 {
			return big.NewRat(1, 1)
		}
		return new(big.Rat)
	}
	add := func(a, b *big.Rat) *big.Rat { return new(big.Rat).Add(a, b) }
	mul := func(a, b *big.Rat) *big.Rat { return new(big.Rat).Mul(a, b) }
	tests := []struct {
		claim   string
		refuted bool
		sides   func(p map[string]*big.Rat) (l, r *big.Rat)
	}{
		{"step(3*x - 1) + step(1 - 3*x) == 1", true, func(p map[string]*big.Rat) (*big.Rat, *big.Rat) {
			return add(step(lin(3, p["x"], -1)), step(lin(-3, p["x"], 1))), one
		}},
		{"if(3*x == 1, 1, 0) == 0", true, func(p map[string]*big.Rat) (*big.Rat, *big.Rat) {
			return iverEq(lin(3, p["x"], 0), one), new(big.Rat)
		}},
		{"step(7*x - 2) + step(2 - 7*x) == 1", true, func(p map[string]*big.Rat) (*big.Rat, *big.Rat) {
			return add(step(lin(7, p["x"], -2)), step(lin(-7, p["x"], 2))), one
		}},
		{"y*step(3*x - y) + y*step(y - 3*x) == y", true, func(p map[string]*big.Rat) (*big.Rat, *big.Rat) {
			d := new(big.Rat).Sub(lin(3, p["x"], 0), p["y"])
			return add(mul(p["y"], step(d)), mul(p["y"], step(new(big.Rat).Neg(d)))), p["y"]
		}},
		// Near misses that hold: the tie is accounted for.
		{"step(3*x - 1) + step(1 - 3*x) + if(3*x == 1, 1, 0) == 1", false, nil},
		{"if(3*x == 1, 1, 0) == if(x == 1/3, 1, 0)", false, nil},
	}
	for _, tc := range tests {
		ps := parseProve(t, "prove "+tc.claim, nil)
		pr, err := prove.Prove(bg, ps.A, ps.B, simplify.Options{Rules: builtin})
		if err != nil {
			t.Fatal(err)
		}
		if !tc.refuted {
			if pr.Verdict == prove.Refuted {
				t.Errorf("%s: refuted at %s, but it holds", tc.claim, pr.Counter.Summary())
			}
			continue
		}
		if pr.Verdict != prove.Refuted {
			t.Errorf("%s: %s, want refuted", tc.claim, pr.Verdict)
			continue
		}
		// Re-check at the point as printed.
		p := map[string]*big.Rat{}
		for _, kv := range strings.Fields(pr.Counter.Point()) {
			name, val, _ := strings.Cut(kv, "=")
			r, ok := new(big.Rat).SetString(val)
			if !ok {
				t.Fatalf("%s: point %q does not read back", tc.claim, pr.Counter.Point())
			}
			p[name] = r
		}
		l, r := tc.sides(p)
		if l.Cmp(r) == 0 {
			t.Errorf("%s: counterexample %s does not refute: both sides are %s", tc.claim, pr.Counter.Point(), l.RatString())
		}
	}
}

// TestExactCounterexampleInsideAssumptions: a counterexample found exactly
// on a kink (x = 1/3) must satisfy the assumptions exactly, and an
// assumption's bound written as an expression (1/3) is honoured by the
// points drawn. Claims true under the assumption are never refuted; the
// refutations left are re-checked by the test against the assumption and
// the claim in big.Rat arithmetic.
func TestExactCounterexampleInsideAssumptions(t *testing.T) {
	third := big.NewRat(1, 3)
	step := func(u *big.Rat) int {
		if u.Sign() > 0 {
			return 1
		}
		return 0
	}
	g := func(x *big.Rat) *big.Rat { // 3*x - 1
		r := new(big.Rat).Mul(big.NewRat(3, 1), x)
		return r.Sub(r, big.NewRat(1, 1))
	}
	tests := []struct {
		assume, claim string
		holds         func(x *big.Rat) bool // the assumption, exactly
		claimAt       func(x *big.Rat) bool // the claim, exactly
		want          prove.Verdict         // Unknown: anything but Refuted
	}{
		{"x < 1/3", "step(3*x - 1) + step(1 - 3*x) == 1",
			func(x *big.Rat) bool { return x.Cmp(third) < 0 },
			func(x *big.Rat) bool { return step(g(x))+step(new(big.Rat).Neg(g(x))) == 1 }, prove.Unknown},
		{"x > 1/3", "step(3*x - 1) + step(1 - 3*x) == 1",
			func(x *big.Rat) bool { return x.Cmp(third) > 0 },
			func(x *big.Rat) bool { return step(g(x))+step(new(big.Rat).Neg(g(x))) == 1 }, prove.Unknown},
		{"x < 1/3", "step(3*x - 1) == 0",
			func(x *big.Rat) bool { return x.Cmp(third) < 0 },
			func(x *big.Rat) bool { return step(g(x)) == 0 }, prove.Proved},
		{"x < 1/3", "step(1 - 3*x) == 0",
			func(x *big.Rat) bool { return x.Cmp(third) < 0 },
			func(x *big.Rat) bool { return step(new(big.Rat).Neg(g(x))) == 0 }, prove.Refuted},
	}
	for _, tc := range tests {
		as, ps := parseClaim(t, tc.assume, tc.claim)
		pr, err := prove.Prove(bg, ps.A, ps.B, simplify.Options{Rules: builtin, Assume: []*ast.AssumeStmt{as}})
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case pr.Verdict == prove.Refuted:
			_, val, _ := strings.Cut(pr.Counter.Point(), "x=")
			x, ok := new(big.Rat).SetString(strings.Fields(val)[0])
			if !ok {
				t.Fatalf("%s: point %q does not read back", tc.claim, pr.Counter.Point())
			}
			if !tc.holds(x) || tc.claimAt(x) {
				t.Errorf("assume %s, %s: refuted at x=%s, where the assumption holds: %v, the claim holds: %v",
					tc.assume, tc.claim, x.RatString(), tc.holds(x), tc.claimAt(x))
			}
			if tc.want != prove.Refuted {
				t.Errorf("assume %s, %s: refuted, but it holds under the assumption", tc.assume, tc.claim)
			}
		case tc.want == prove.Proved && pr.Verdict != prove.Proved:
			t.Errorf("assume %s, %s: %s, want proved", tc.assume, tc.claim, pr.Verdict)
		case tc.want == prove.Refuted:
			t.Errorf("assume %s, %s: %s, want refuted", tc.assume, tc.claim, pr.Verdict)
		}
	}
}
