package session

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/simplify/prove"
)

// TestProveUndefinedSideUnknown: a claim one of whose sides is an if with
// a piece that has no value (log(x - x), 1/(x - x), sqrt(x - x - 1)),
// reached where a condition holds, and that equals the other side
// wherever it has a value: prove 'if(sin(z) < 0, 1/(x - x), 1) == 1' said
// unknown, "numerically equal at 200 random points", all of them where
// sin(z) >= 0, while simplify of the side says it is undefined wherever
// sin(z) < 0. The oracle is mpmath on a grid (mpmathConditions): a claim
// answered without an error (proved, or unknown) needs the condition to
// hold nowhere; "undefined wherever C" needs it to hold somewhere, to
// agree with C, and the point named to satisfy it; no claim is refuted
// (the sides agree wherever both have values). A claim whose sides are
// the one expression is proved, and where it has no value stated
// (Proof.Where), checked by mpmath as an error's condition is.
func TestProveUndefinedSideUnknown(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 1))
	coef := func() string { return []string{"1", "2", "-1", "3", "-2", "1/2"}[rng.IntN(6)] }
	lhss := []func() string{
		func() string { return "sin(z)" },
		func() string { return "cos(z)" },
		func() string { return "exp(z)" },
		func() string { return "sigma(z)" },
		func() string { return "z^2" },
		func() string { return fmt.Sprintf("%s*z^2 + %s*z", coef(), coef()) },
		func() string { return fmt.Sprintf("z^3 - %s*z", coef()) },
		func() string { return "z*w" },
		func() string { return "z + w" },
		func() string { return "sin(z)*cos(w)" },
	}
	rhss := []string{"-2", "-1", "-1/2", "0", "1/2", "1", "2", "3"}
	ops := []string{"<", "<=", ">", ">=", "==", "!="}
	negated := map[string]string{"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}
	parts := []string{"log(x - x)", "1/(x - x)", "sqrt(x - x - 1)"}
	var cases []*nonlinearCase
	sameSides := map[*nonlinearCase]bool{}
	for range 2 {
		for _, l := range lhss {
			lhs, rhs, op := l(), rhss[rng.IntN(len(rhss))], ops[rng.IntN(len(ops))]
			c := &nonlinearCase{lhs: lhs, op: op, rhs: rhs}
			part := parts[rng.IntN(len(parts))]
			var w string
			if rng.IntN(2) == 0 {
				w = fmt.Sprintf("if(%s %s %s, %s, 1)", lhs, op, rhs, part)
			} else {
				w = fmt.Sprintf("if(%s %s %s, 1, %s)", lhs, op, rhs, part)
				c.op = negated[op]
			}
			// The other side is w's value wherever w has one.
			switch rng.IntN(3) {
			case 0:
				c.src = fmt.Sprintf("prove %s == 1", w)
			case 1:
				c.src = fmt.Sprintf("prove y + 1 == %s + y", w)
			default:
				c.src = fmt.Sprintf("prove 2*%s == 2", w)
			}
			cases = append(cases, c)
			// The same side on both sides: proved where it is defined,
			// with where it is not said.
			same := *c
			same.src = fmt.Sprintf("prove %s == %s", w, w)
			sameSides[&same] = true
			cases = append(cases, &same)
		}
	}
	// The brief's case, and a condition that never holds.
	cases = append(cases,
		&nonlinearCase{src: "prove if(sin(z) < 0, 1/(x-x), 1) == 1", lhs: "sin(z)", op: "<", rhs: "0", want: "undefined"},
		&nonlinearCase{src: "prove if(exp(z) < 0, 1/(x-x), 1) == 1", lhs: "exp(z)", op: "<", rhs: "0", want: "defined"},
	)
	where := regexp.MustCompile(`is undefined wherever (.*?) \(where `)
	point := regexp.MustCompile(`; as at (.*?)\): `)
	counts := map[string]int{}
	for _, c := range cases {
		r, err := execOne(t, c.src)
		var u *UndecidedError
		switch {
		case errors.As(err, &u):
			c.status = "undecided"
		case err != nil && strings.Contains(err.Error(), "is undefined wherever"):
			c.status = "undefined"
			if sameSides[c] {
				t.Errorf("%s: %v; want proved where the side is defined", c.src, err)
			}
			if ErrStatus(err) != BadInput {
				t.Errorf("%s: %v: exit status %v, want that of an error (2), as simplify of the side", c.src, err, ErrStatus(err))
			}
			if m := where.FindStringSubmatch(err.Error()); m != nil {
				c.cond = m[1]
			}
			if m := point.FindStringSubmatch(err.Error()); m != nil {
				c.point = m[1]
			}
		case err != nil:
			c.status = "other"
			t.Errorf("%s: %v; want a verdict, an undefined part with its condition, or cannot decide", c.src, err)
		case sameSides[c] && r.Proof.Verdict != prove.Proved:
			c.status = "other"
			t.Errorf("%s: %v, not proved", c.src, r.Proof.Verdict)
		case sameSides[c] && r.Proof.Where != "":
			c.status = "undefined"
			if m := where.FindStringSubmatch(r.Proof.Where); m != nil {
				c.cond = m[1]
			} else {
				t.Errorf("%s: proved %q, without a condition", c.src, r.Proof.Where)
			}
			if m := point.FindStringSubmatch(r.Proof.Where); m != nil {
				c.point = m[1]
			}
			counts["same, where defined"]++
		case r.Proof.Verdict == prove.Refuted:
			c.status = "refuted"
			t.Errorf("%s: refuted, but the sides agree wherever both have values", c.src)
		default:
			c.status = "defined" // proved, or unknown: no part said undefined
		}
		counts[c.status]++
		if c.want != "" && c.status != c.want {
			t.Errorf("%s: %s (%v), want %s", c.src, c.status, err, c.want)
		}
	}
	t.Logf("verdicts: %v", counts)
	if counts["undefined"] == 0 || counts["defined"] == 0 || counts["same, where defined"] == 0 {
		t.Errorf("verdicts %v: the corpus should give both", counts)
	}
	checkConditions(t, cases, "answered without an error", "the side")
}
