package prove

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/rules"
	"github.com/symdiff/symdiff/simplify"
	"github.com/symdiff/symdiff/simplify/numcheck"
)

// Case splits. In the basis, relu, max, min and clip are written with abs
// (basis.rules), which leaves abs, sign and step. Two sides that differ as
// rational functions may still be equal case by case: pick the argument g
// of one of them (one with no kink inside), and decide the identity
// separately where g > 0 (abs(g) = g, sign(g) = 1, step(g) = 1), where
// g < 0 (abs(g) = -g, sign(g) = -1, step(g) = 0) and where g = 0, each
// case by the rational normal form again, splitting further while kinks
// remain. Arguments that are negatives of g take the opposite case.
//
// The case g = 0 is needed only when sign or step of g occurs: at a point
// where g = 0, abs(g) = g, so the expression of the case g > 0 has the
// same value there as the original, and its proof covers the point. When
// it is needed, g = 0 is solved for a name v in which g is linear with a
// numeric coefficient, and v is replaced by the solution; if there is no
// such name, the proof is unknown. A case whose inequalities no point
// satisfies (a > b, b > c, c > a) claims nothing, whatever the forms
// (feasible.go).
//
// The conditions of if(c, a, b) split the same way: a comparison l op r
// is decided by the sign of g = l - r, so in each case every comparison
// of g (or of -g) becomes true or false, the piecewise forms it decides
// become the piece chosen (the other piece, which may be undefined there,
// is gone), and the case is decided as before. A comparison always needs
// the case g = 0 (x >= 0 and x > 0 differ only there).

// RuleCases is the prover's step that closes a proof by cases.
var RuleCases = &rules.Rule{Name: "case_split", Kind: rules.Pass, Source: src,
	Doc:  "split into cases by the sign of each kink's argument",
	Text: "abs(g), sign(g), step(g) and the comparisons of g with 0 (the conditions of if) replaced by their values where g > 0, g < 0 and (for sign, step and comparisons) g = 0; in each case the rational normal forms agree"}

const (
	maxCaseDepth  = 8
	maxCaseLeaves = 256
)

type caseOutcome uint8

const (
	caseProved caseOutcome = iota
	caseDiffers
	caseUnknown
)

// A zeroSub solves g = 0 for a name: name = value.
type zeroSub struct {
	name  string
	value ast.Expr
}

type caseSplitter struct {
	t      *simplify.Simplifier // the basis simplifier
	leaves int
	args   []string  // the arguments split on, for the step's text
	subs   []zeroSub // the substitutions of the case being decided
	// differs holds the substitutions of a case whose forms differ, for
	// the search for a counterexample on it.
	differs []zeroSub
	// cons are the strict inequalities of the case being decided.
	cons []strict
	// names are the free names of the two sides.
	names map[string]bool
}

// byCases tries to prove a == b (in basis normal form) by cases. It
// returns the step that closes the proof, or nil with the substitutions
// of a case g = 0 that did not close (if any), for a counterexample.
func byCases(ctx context.Context, t *simplify.Simplifier, a, b ast.Expr) (*rules.Step, []zeroSub) {
	if !ast.HasKinks(a) && !ast.HasKinks(b) {
		return nil, nil
	}
	cs := &caseSplitter{t: t, cons: assumed(t.Options().Assume), names: map[string]bool{}}
	for _, n := range append(ast.FreeNames(a), ast.FreeNames(b)...) {
		cs.names[n] = true
	}
	nAssumed := len(cs.cons)
	if cs.decide(ctx, a, b, 0) != caseProved {
		return nil, cs.differs
	}
	text := "split by the sign of " + strings.Join(cs.args, ", ") + fmt.Sprintf(" (%d cases); in each the rational normal forms agree", cs.leaves)
	r := *RuleCases
	r.Doc, r.Text = "cases by the sign of "+strings.Join(cs.args, ", "), text
	var uses []*rules.Rule
	if nAssumed > 0 {
		r.Doc += ", under the assumptions" // they may exclude cases
		// The assumptions of order about the claim's names may have
		// excluded a case: the step names them, and so does the verdict.
		for _, as := range t.Options().Assume {
			if as.In || !slices.ContainsFunc(ast.FreeNames(as.X), func(n string) bool { return cs.names[n] }) &&
				!slices.ContainsFunc(as.Rest, func(e ast.Expr) bool {
					return slices.ContainsFunc(ast.FreeNames(e), func(n string) bool { return cs.names[n] })
				}) {
				continue
			}
			uses = append(uses, simplify.AssumptionRule(as))
		}
	}
	return &rules.Step{Rule: &r, Before: a, After: b, Uses: uses}, nil
}

func (cs *caseSplitter) decide(ctx context.Context, a, b ast.Expr, depth int) caseOutcome {
	if ctx.Err() != nil {
		return caseUnknown
	}
	if a == b {
		cs.leaves++
		return caseProved
	}
	if ok, err := sameRational(ctx, a, b); err == nil && ok || depth > 0 && errors.Is(err, errZeroDenominator) {
		// Equal, or a side is defined nowhere in this case (abs(x)/x
		// where x = 0), where the identity claims nothing.
		cs.leaves++
		return caseProved
	}
	g := splitArg(a, b)
	if g == nil && infeasible(cs.cons) {
		// No point is in this case (a > b, b > c, c > a): it claims
		// nothing (feasible.go).
		cs.leaves++
		return caseProved
	}
	if g == nil {
		cs.leaves++
		if cs.differs == nil {
			cs.differs = append([]zeroSub{}, cs.subs...)
			// A point of the case, for the counterexample search: its
			// names are set last, after the substitutions that solved
			// g = 0 (whose values may use them).
			if w, ok := witness(cs.cons, ast.Frac(1, 2)); ok {
				names := make([]string, 0, len(w))
				for n := range w {
					names = append(names, n)
				}
				slices.Sort(names)
				for _, n := range names {
					// Only the names of the identity: an assumption about
					// another (delta > 0) constrains it but is no part of
					// a counterexample.
					if cs.names[n] {
						cs.differs = append(cs.differs, zeroSub{n, ast.NewNum(w[n])})
					}
				}
			}
		}
		return caseDiffers
	}
	if depth >= maxCaseDepth || cs.leaves >= maxCaseLeaves {
		return caseUnknown
	}
	if s := ast.String(simplify.Tidy(g)); !containsStr(cs.args, s) {
		cs.args = append(cs.args, s)
	}
	worst := caseProved
	for _, sign := range []int{1, -1} {
		ca, _ := cs.t.Normalize(ctx, cs.replace(a, g, sign), false)
		cb, _ := cs.t.Normalize(ctx, cs.replace(b, g, sign), false)
		cs.cons = append(cs.cons, linearForm(g, sign))
		r := cs.decide(ctx, ca, cb, depth+1)
		cs.cons = cs.cons[:len(cs.cons)-1]
		if r > worst {
			worst = r
		}
		if worst == caseUnknown {
			return worst
		}
	}
	if !discontinuousAt(a, b, g) {
		return worst
	}
	v, value, ok := solveZero(g)
	if !ok {
		return caseUnknown
	}
	sub := map[string]ast.Expr{v: value}
	cs.subs = append(cs.subs, zeroSub{v, value})
	ca, _ := cs.t.Normalize(ctx, ast.Subst(a, sub), false)
	cb, _ := cs.t.Normalize(ctx, ast.Subst(b, sub), false)
	r := cs.decide(ctx, ca, cb, depth+1)
	cs.subs = cs.subs[:len(cs.subs)-1]
	return max(worst, r)
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// isKink reports whether e is abs, sign or step of one argument.
func isKink(e ast.Expr) (*ast.Call, bool) {
	c, ok := e.(*ast.Call)
	if !ok || len(c.Args) != 1 {
		return nil, false
	}
	switch c.Fn {
	case "abs", "sign", "step":
		return c, true
	}
	return nil, false
}

// isComparison reports whether e is a comparison l op r.
func isComparison(e ast.Expr) (*ast.Condition, bool) {
	c, ok := e.(*ast.Condition)
	return c, ok && c.Op.IsComparison()
}

// cmpDiff is l - r for the comparison l op r, in canonical form: the
// comparison holds or fails by its sign.
func cmpDiff(c *ast.Condition) ast.Expr {
	return simplify.PlainCanonical(ast.NewAdd(c.Args[0], ast.NewNeg(c.Args[1])))
}

// walkOutsideSums visits e's nodes that are not inside a sum (a kink of
// a summation index is not one case but one per term).
func walkOutsideSums(e ast.Expr, f func(ast.Expr) bool) {
	ast.InspectOnce(e, func(x ast.Expr) bool {
		if _, ok := x.(*ast.Sum); ok {
			return false
		}
		return f(x)
	})
}

// splitArg returns the argument of the first kink of a or b (outside
// sums) that has no kink inside it, or nil.
func splitArg(a, b ast.Expr) ast.Expr {
	var g ast.Expr
	kinked := map[ast.Expr]bool{} // memo of ast.HasKinks: linear in a deep nest of abs
	var has func(ast.Expr) bool
	has = func(e ast.Expr) bool {
		if r, ok := kinked[e]; ok {
			return r
		}
		c, r := e.(*ast.Call)
		r = r && ast.IsKinkFunc(c.Fn)
		if _, isCond := e.(*ast.Condition); isCond {
			r = true
		}
		for _, k := range ast.Children(e) {
			r = has(k) || r
		}
		kinked[e] = r
		return r
	}
	for _, e := range []ast.Expr{a, b} {
		walkOutsideSums(e, func(x ast.Expr) bool {
			if g != nil {
				return false
			}
			if c, ok := isKink(x); ok && !has(c.Args[0]) {
				g = c.Args[0]
				return false
			}
			if c, ok := isComparison(x); ok && !has(c.Args[0]) && !has(c.Args[1]) {
				g = cmpDiff(c)
				return false
			}
			return true
		})
	}
	return g
}

// opposite reports whether h = -g.
func opposite(h, g ast.Expr) bool {
	return simplify.PlainCanonical(ast.NewAdd(h, g)) == ast.Zero
}

// replace writes the kinks of g (and of -g) in e as their values where g
// has the given sign.
func (cs *caseSplitter) replace(e, g ast.Expr, sign int) ast.Expr {
	memo := map[ast.Expr]ast.Expr{}
	var walk func(ast.Expr) ast.Expr
	walk = func(x ast.Expr) ast.Expr {
		if r, ok := memo[x]; ok {
			return r
		}
		r := x
		if _, isSum := x.(*ast.Sum); isSum {
			memo[x] = r
			return r
		}
		if c, ok := isKink(x); ok && (c.Args[0] == g || opposite(c.Args[0], g)) {
			s := sign
			if c.Args[0] != g {
				s = -s
			}
			r = kinkValue(c.Fn, c.Args[0], s)
		} else if c, ok := isComparison(x); ok && (cmpDiff(c) == g || opposite(cmpDiff(c), g)) {
			s := sign
			if cmpDiff(c) != g {
				s = -s
			}
			r = ast.Zero
			if c.Op.Holds(s) {
				r = ast.One
			}
		} else if kids := ast.Children(x); len(kids) > 0 {
			nk := make([]ast.Expr, len(kids))
			changed := false
			for i, k := range kids {
				nk[i] = walk(k)
				changed = changed || nk[i] != k
			}
			if changed {
				r = ast.WithChildren(x, nk)
			}
		}
		memo[x] = r
		return r
	}
	return walk(e)
}

// kinkValue is fn(h) where h has the sign s (1 or -1).
func kinkValue(fn string, h ast.Expr, s int) ast.Expr {
	switch fn {
	case "abs":
		if s > 0 {
			return h
		}
		return ast.NewNeg(h)
	case "sign":
		return ast.NewInt(int64(s))
	}
	if s > 0 { // step
		return ast.One
	}
	return ast.Zero
}

// discontinuousAt reports whether sign or step of g (or of -g) occurs.
func discontinuousAt(a, b, g ast.Expr) bool {
	found := false
	for _, e := range []ast.Expr{a, b} {
		walkOutsideSums(e, func(x ast.Expr) bool {
			if c, ok := isKink(x); ok && c.Fn != "abs" && (c.Args[0] == g || opposite(c.Args[0], g)) {
				found = true
			}
			if c, ok := isComparison(x); ok && (cmpDiff(c) == g || opposite(cmpDiff(c), g)) {
				found = true
			}
			return !found
		})
	}
	return found
}

// solveZero solves g = 0 for a scalar name in which g is linear with a
// numeric coefficient: g = c*v + r, v = -r/c.
func solveZero(g ast.Expr) (string, ast.Expr, bool) {
	for _, v := range ast.FreeNames(g) {
		if !ast.HasFree(g, v) || !scalarName(g, v) {
			continue
		}
		r := simplify.PlainCanonical(ast.Subst(g, map[string]ast.Expr{v: ast.Zero}))
		c := simplify.PlainCanonical(ast.NewAdd(ast.Subst(g, map[string]ast.Expr{v: ast.One}), ast.NewNeg(r)))
		k, ok := c.(*ast.Num)
		if !ok || k.Value.IsZero() {
			continue
		}
		rest := simplify.PlainCanonical(ast.NewAdd(g, ast.NewNeg(ast.NewMul(k, ast.NewSym(v))), ast.NewNeg(r)))
		if rest != ast.Zero {
			continue // not linear in v
		}
		return v, simplify.PlainCanonical(ast.NewNeg(ast.NewDiv(r, k))), true
	}
	return "", nil, false
}

// scalarName reports whether v occurs in e only as a scalar name (not as
// an indexed name or an index).
func scalarName(e ast.Expr, v string) bool {
	ok := true
	ast.InspectOnce(e, func(x ast.Expr) bool {
		switch x := x.(type) {
		case *ast.Index:
			if x.Name == v || ast.HasFree(x, v) {
				ok = false
			}
		case *ast.Sum:
			if x.Var == v {
				ok = false
			}
		}
		return ok
	})
	return ok
}

// refuteOnZero looks for a counterexample on the set where the solved
// arguments are zero (and at the point chosen inside a case whose forms
// differ): random points for the other names where the assumptions hold,
// the solved names computed from them, the difference confirmed on the
// original sides. A point where a solved name breaks an assumption is no
// counterexample.
func refuteOnZero(ctx context.Context, a, b ast.Expr, subs []zeroSub, as *numcheck.Assumptions) (*numcheck.Counterexample, error) {
	if len(subs) == 0 {
		return nil, nil
	}
	sa, sb := a, b
	for _, s := range subs {
		m := map[string]ast.Expr{s.name: s.value}
		sa, sb = ast.Subst(sa, m), ast.Subst(sb, m)
	}
	// First exactly, at a few plain decimal points for the other names:
	// on the set where a kink's argument is zero the sides may differ
	// only exactly there (step(3*x - 1) at x = 1/3), where float64 and
	// even 512-bit evaluation land off the kink.
	if ce, err := exactOnZero(ctx, a, b, sa, sb, subs, as); ce != nil || err != nil {
		return ce, err
	}
	rep, err := numcheck.SampleAssuming(ctx, sa, sb, 100, false, 5*time.Second, as)
	if err != nil || rep.Counter == nil {
		return nil, err
	}
	pt := ast.Bindings{}
	for k, v := range rep.Counter.Bindings {
		pt[k] = v
	}
	return checkOnZero(ctx, a, b, subs, as, pt)
}

// zeroPoints are the values tried exactly for the names a case split did
// not solve for: plain decimals, so that a counterexample prints exactly.
var zeroPoints = []float64{0.5, -1.25, 2, 0.75, -3.5, 1.5, 0.25, 4}

// exactOnZero tries the points of zeroPoints for the names left free by
// the substitutions, with the solved names computed exactly.
func exactOnZero(ctx context.Context, a, b, sa, sb ast.Expr, subs []zeroSub, as *numcheck.Assumptions) (*numcheck.Counterexample, error) {
	var free []string
	for _, n := range append(ast.FreeNames(sa), ast.FreeNames(sb)...) {
		if !slices.Contains(free, n) {
			free = append(free, n)
		}
	}
	slices.Sort(free)
	for _, n := range free {
		if !scalarName(sa, n) || !scalarName(sb, n) {
			// An array (w[k]) and its indices need values of their kind,
			// which the random points after this draw: a number for w
			// made prove abs(d)*w == d*w (w : vector(d)) fail with "w[k]
			// has 1 indices but its value has 0 dimensions".
			return nil, nil
		}
	}
	tries := len(zeroPoints)
	if len(free) == 0 {
		tries = 1
	}
try:
	for i := range tries {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		pt := ast.Bindings{}
		for k, n := range free {
			v := zeroPoints[(i+k)%len(zeroPoints)]
			if !as.Holds(n, v) {
				continue try
			}
			pt[n] = ast.Scalar(v)
		}
		if ce, err := checkOnZero(ctx, a, b, subs, as, pt); ce != nil || err != nil {
			return ce, err
		}
	}
	return nil, nil
}

// checkOnZero completes pt with the solved names and checks the sides
// there: exactly when every value is exact, else at high precision.
func checkOnZero(ctx context.Context, a, b ast.Expr, subs []zeroSub, as *numcheck.Assumptions, pt ast.Bindings) (*numcheck.Counterexample, error) {
	allExact := true
	for i := len(subs) - 1; i >= 0; i-- {
		// The solved name is computed exactly where it can be (x = 1/3 from
		// 3*x - 1 = 0): its float64 value is off the kink, and a point off
		// the kink is not the point the case split found.
		r, v, err := ast.EvalExact(ctx, subs[i].value, nil, pt)
		if err != nil {
			return nil, nil
		}
		if r != nil {
			pt[subs[i].name] = ast.RatScalar(r)
			if !as.HoldsExact(subs[i].name, r) { // x = 1/3 against assume x < 1/3
				return nil, nil
			}
		} else {
			allExact = false
			pt[subs[i].name] = ast.Scalar(v)
			if !as.Holds(subs[i].name, v) {
				return nil, nil
			}
		}
	}
	if allExact {
		if ce, decided, err := exactCounter(ctx, a, b, pt); err != nil || decided {
			return ce, err
		}
	}
	return numcheck.Confirm(ctx, a, b, pt, as)
}

// exactCounter checks a point exactly: when both sides evaluate to exact
// rationals there (every operation on the way exact, the bindings read as
// the decimals or fractions they print as), they differ or not for
// certain. decided is false when a side is not exact.
func exactCounter(ctx context.Context, a, b ast.Expr, pt ast.Bindings) (ce *numcheck.Counterexample, decided bool, err error) {
	ra, fa, errA := ast.EvalExact(ctx, a, nil, pt)
	rb, fb, errB := ast.EvalExact(ctx, b, nil, pt)
	if err := ctx.Err(); err != nil {
		return nil, false, err
	}
	if errA != nil || errB != nil || ra == nil || rb == nil {
		return nil, false, nil
	}
	if ra.Cmp(rb) == 0 {
		return nil, true, nil
	}
	return &numcheck.Counterexample{Bindings: pt, Left: ra.RatString(), Right: rb.RatString(), LeftF: fa, RightF: fb}, true, nil
}
