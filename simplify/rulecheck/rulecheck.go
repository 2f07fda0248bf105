// Package rulecheck checks rules before they are trusted: a rewrite rule
// is sound if its two sides agree at random points where its conditions
// hold (and a symbolic proof is attempted without the rule itself), a
// derivative rule of a defined function is proved or refuted against the
// derivative of its definition, else compared with extrapolated central
// finite differences of the function, a rule written in Go if it keeps the value of each of its
// examples. Rules that can rewrite forever are reported too. It sits
// above the simplifier and the prover, which it uses.
package rulecheck

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/rules"
	"github.com/symdiff/symdiff/simplify"
	"github.com/symdiff/symdiff/simplify/numcheck"
	"github.com/symdiff/symdiff/simplify/prove"
)

// RuleVerdict is the outcome of checking one rule.
type RuleVerdict uint8

const (
	RuleProved    RuleVerdict = iota // proved symbolically (and sampled)
	RuleSound                        // agreed at every sampled point
	RuleUnsound                      // a confirmed counterexample
	RuleUnchecked                    // nothing to check against (a derivative rule of a function with no definition), or no valid point
)

func (v RuleVerdict) String() string {
	return [...]string{"proved", "sound", "UNSOUND", "unchecked"}[v]
}

// A RuleReport is the check of one rule.
type RuleReport struct {
	Name    string
	Kind    string // simplify, basis, deriv
	Source  string
	Verdict RuleVerdict
	Points  int // points where both sides were compared
	Skipped int // points skipped: a condition failed or a side was undefined
	Time    time.Duration
	Note    string                   // how it was decided, or why it could not be
	Counter *numcheck.Counterexample // when unsound
}

// A Risk is a rule, or a pair of rules, that may rewrite forever.
type Risk struct {
	Rules []string
	Why   string
}

// CheckRule checks a rewrite rule of set.
func CheckRule(ctx context.Context, r *rules.Rule, set *rules.Set) *RuleReport {
	start := time.Now()
	rep := &RuleReport{Name: r.Name, Kind: r.Kind.String(), Source: r.Source.String()}
	defer func() { rep.Time = time.Since(start) }()
	defs := set.Defs()
	lhs, rhs := defs.Expand(r.LHS), defs.Expand(r.RHS)
	opt := simplify.Options{Rules: set.Without(r.Name)}
	ce, valid, skipped, err := numcheck.SampleRule(ctx, lhs, rhs, r.Conds, 300)
	rep.Points, rep.Skipped = valid, skipped
	if err != nil {
		rep.Verdict, rep.Note = RuleUnchecked, err.Error()
		return rep
	}
	if ce != nil {
		rep.Verdict, rep.Counter = RuleUnsound, ce
		rep.Note = "the two sides differ"
		return rep
	}
	if r.Kind == rules.Simplify {
		if ce := NarrowsDomain(ctx, lhs, rhs, r.Conds); ce != nil {
			rep.Verdict, rep.Counter = RuleUnsound, ce
			rep.Note = "the right side is undefined where the left side is defined: the rewrite would narrow the domain"
			return rep
		}
	}
	// With no point sampled (exp(u + 1000) overflows float64 everywhere)
	// the prover is still asked: a proof needs no point.
	if valid == 0 {
		rep.Verdict, rep.Note = RuleUnchecked, "no point was found where the conditions hold and both sides are defined"
	} else {
		rep.Verdict, rep.Note = RuleSound, fmt.Sprintf("equal at %d random points", valid)
	}
	// A symbolic proof, without the rule itself (it would prove itself),
	// with the conditions assumed. The prover also looks where random
	// points do not: on the kinks (sign(u)^2 -> 1 is false at u = 0 only,
	// and step(u) -> 1 if u >= 0 too), and a counterexample it confirms
	// makes the rule unsound. Only an unconditional rule is called proved.
	as, ok := condAssumptions(r.Conds)
	if !ok {
		return rep
	}
	opt.Assume = as
	pr, err := prove.Prove(ctx, lhs, rhs, opt)
	switch {
	case err != nil:
	case pr.Verdict == prove.Refuted && pr.Counter != nil:
		rep.Verdict, rep.Counter = RuleUnsound, pr.Counter
		rep.Note = "the two sides differ (found by the prover)"
	case pr.Verdict == prove.Proved && len(r.Conds) == 0:
		rep.Verdict = RuleProved
		if valid == 0 {
			rep.Note = "proved (" + pr.Method + "); no random point was found where both sides are defined in float64"
		} else {
			rep.Note = "proved (" + pr.Method + ") and " + rep.Note
		}
	}
	return rep
}

// condAssumptions writes a rule's conditions as assumptions for the
// prover; ok is false for a condition it cannot assume (== and !=).
func condAssumptions(conds []ast.Cond) ([]*ast.AssumeStmt, bool) {
	var out []*ast.AssumeStmt
	for _, c := range conds {
		switch c.Op {
		case "<", "<=", ">", ">=":
			out = append(out, &ast.AssumeStmt{X: c.X, Ops: []string{c.Op}, Rest: []ast.Expr{c.Y}})
		default:
			return nil, false
		}
	}
	return out, true
}

// CheckDeriv checks a derivative rule: exactly, by the prover, against the
// derivative of the function's definition in the rule files; where that
// is undecided or there is none, against central finite differences of
// the definition or of the built-in function's numeric implementation
// (sound then means checked numerically, not proved).
func CheckDeriv(ctx context.Context, d *rules.Rule, set *rules.Set) *RuleReport {
	start := time.Now()
	rep := &RuleReport{Name: d.Name, Kind: "deriv", Source: d.Source.String()}
	defer func() { rep.Time = time.Since(start) }()
	_, builtin := ast.LookupFunc(d.Fn)
	_, defined := set.Defs().Lookup(d.Fn)
	if !builtin && !defined {
		rep.Verdict = RuleUnchecked
		rep.Note = fmt.Sprintf("%s has no definition to differentiate numerically (define %s(...) := ... to check it)", d.Fn, d.Fn)
		return rep
	}
	args := make([]ast.Expr, len(d.Params))
	for i, p := range d.Params {
		args[i] = ast.NewSym(p)
	}
	f := ast.NewCall(d.Fn, args...)
	if defined && !numericOnly {
		if proveDeriv(ctx, d, set, f, rep) {
			return rep
		}
	}
	return checkDerivNumerically(ctx, d, set, f, rep)
}

// numericOnly makes CheckDeriv skip the prover, so that the tests reach
// the finite differences with functions that have definitions.
var numericOnly = false

// derivNumPoints is how many points the finite differences compare.
const derivNumPoints = 300

// checkDerivNumerically compares a derivative rule with
// Richardson-extrapolated central differences of f at random points, near
// 0 and far from it. Central differences D(h) have an error c2*h^2 +
// c4*h^4 + ...; (4*D(h/2) - D(h))/3 cancels the h^2 term, and the
// difference of two such extrapolations (from h and from h/2) bounds what
// is left. The tolerance is that estimate, plus rounding: about
// eps*|f|/h for each difference, multiplied by the extrapolation's
// weights. With h = 1e-3*max(1, |u|) that is some 1e-9 relative, where
// plain differences at 1e-5 allowed 1e-4 (hunt6: sin(u) + u/10^4 with
// cos(u) passed).
func checkDerivNumerically(ctx context.Context, d *rules.Rule, set *rules.Set, f ast.Expr, rep *RuleReport) *RuleReport {
	defs := set.Defs()
	rng := rand.New(rand.NewPCG(0xdecaf, uint64(len(d.Fn))))
	n := derivNumPoints
	worst := 0.0
	for attempt := 0; attempt < 4*n && rep.Points < n; attempt++ {
		if ctx.Err() != nil {
			rep.Verdict, rep.Note = RuleUnchecked, ctx.Err().Error()
			return rep
		}
		pt := ast.Bindings{}
		for _, p := range d.Params {
			v := rng.Float64()*8 - 4
			switch attempt % 4 {
			case 0:
				v = rng.Float64()*4 + 0.05
			case 1: // far from 0: 10 to 1000, either sign
				v = math.Exp(math.Log(10) + rng.Float64()*math.Log(100))
				if rng.IntN(2) == 0 {
					v = -v
				}
			}
			pt[p] = ast.Scalar(v)
		}
		u := pt[d.Params[d.Wrt]].Data[0]
		h := 1e-3 * math.Max(1, math.Abs(u))
		// No difference quotient converges across a kink (abs at 0, a tie
		// of max): skip points whose stencil reaches one.
		if dist, err := ast.KinkDistance(ctx, f, defs, pt); err == nil && dist < 4*h {
			rep.Skipped++
			continue
		}
		at := func(x float64) (float64, error) {
			q := ast.Bindings{}
			for k, v := range pt {
				q[k] = v
			}
			q[d.Params[d.Wrt]] = ast.Scalar(x)
			return ast.Eval(f, defs, q)
		}
		want, err := ast.Eval(d.Body, defs, pt)
		if err != nil || math.IsInf(want, 0) || math.IsNaN(want) {
			rep.Skipped++
			continue
		}
		est, tol, ok := richardson(at, u, h)
		if !ok {
			rep.Skipped++
			continue
		}
		tol += 1e-12 * math.Max(1, math.Abs(want)) // the rule's own evaluation
		diff := math.Abs(est - want)
		if diff > tol {
			// Confirm with steps eight times smaller before calling it
			// wrong: the estimates must agree with each other better than
			// with the rule.
			est2, tol2, ok := richardson(at, u, h/8)
			if ok && math.Abs(est2-want) > tol2 && math.Abs(est2-est) < diff/2 {
				rep.Verdict = RuleUnsound
				rep.Counter = &numcheck.Counterexample{Bindings: pt, Left: fmt.Sprintf("%.10g", est2), Right: fmt.Sprintf("%.10g", want), LeftF: est2, RightF: want}
				if rep.Counter.Left == rep.Counter.Right {
					rep.Counter.Diff = fmt.Sprintf("%.6g", est2-want) // as numcheck's counterexamples say it
				}
				rep.Note = fmt.Sprintf("the rule disagrees with the finite difference of %s (left: finite difference, right: the rule)", ast.String(f))
				rep.Points++
				return rep
			}
		}
		worst = math.Max(worst, diff/math.Max(1, math.Abs(want)))
		rep.Points++
	}
	if rep.Points == 0 {
		rep.Verdict, rep.Note = RuleUnchecked, "no point was found where the function and the rule are defined"
		return rep
	}
	rep.Verdict = RuleSound
	rep.Note = fmt.Sprintf("checked numerically, not proved: matches extrapolated central differences at %d points (worst relative difference %.1e)", rep.Points, worst)
	return rep
}

// richardson estimates f'(u) from central differences with steps h, h/2
// and h/4, extrapolated twice, and returns the estimate with a bound on
// its error: the distance between the two extrapolations, plus the
// rounding of the differences.
func richardson(f func(float64) (float64, error), u, h float64) (est, tol float64, ok bool) {
	var d [3]float64
	scale := 0.0
	for i := range d {
		hi := h / float64(int(1)<<i)
		fp, err1 := f(u + hi)
		fm, err2 := f(u - hi)
		if err1 != nil || err2 != nil || math.IsInf(fp, 0) || math.IsInf(fm, 0) || math.IsNaN(fp) || math.IsNaN(fm) {
			return 0, 0, false
		}
		scale = math.Max(scale, math.Max(math.Abs(fp), math.Abs(fm)))
		d[i] = (fp - fm) / (2 * hi)
	}
	r1 := (4*d[1] - d[0]) / 3
	r2 := (4*d[2] - d[1]) / 3
	// Rounding: each f value is off by a few eps*|f| (more for functions
	// evaluated through others), each difference by that over its step;
	// the extrapolation weights (4/3 and 1/3, twice) add up to below 3,
	// and the smallest step is h/4.
	const eps = 0x1p-52
	round := 64 * eps * scale / (h / 4) * 3
	return r2, 4*math.Abs(r2-r1) + round, true
}

// proveDeriv decides a derivative rule of a defined function exactly:
// the prover compares the derivative of the definition with the rule. A
// counterexample on a kink of the function is not taken (the rule may
// choose another value there, as the finite differences skip kinks), nor
// is an unknown: the finite differences decide then. It reports whether
// rep was decided.
func proveDeriv(ctx context.Context, d *rules.Rule, set *rules.Set, f ast.Expr, rep *RuleReport) bool {
	defs := set.Defs()
	wrt := ast.NewSym(d.Params[d.Wrt])
	lhs, rhs := ast.NewDeriv(defs.Expand(f), wrt), defs.Expand(d.Body)
	pr, err := prove.Prove(ctx, lhs, rhs, simplify.Options{Rules: set})
	switch {
	case err != nil:
		return false
	case pr.Verdict == prove.Proved:
		rep.Verdict = RuleProved
		rep.Note = fmt.Sprintf("proved equal to the derivative of the definition of %s (%s)", d.Fn, pr.Method)
		return true
	case pr.Verdict == prove.Refuted && pr.Counter != nil:
		if dist, err := ast.KinkDistance(ctx, f, defs, pr.Counter.Bindings); err != nil || dist < 1e-6 {
			return false
		}
		rep.Verdict, rep.Counter, rep.Points = RuleUnsound, pr.Counter, 1
		rep.Note = fmt.Sprintf("the rule differs from the derivative of the definition of %s, found by the prover (left: the derivative of the definition, right: the rule)", d.Fn)
		return true
	}
	return false
}

// Risks reports rules that can rewrite forever: a rule whose right side
// contains an instance of its left side, and pairs of rules that undo each
// other: one applied to what the other made gives back its start, where
// neither rewrites a node to itself.
func Risks(set *rules.Set) []Risk {
	out, _ := RisksContext(context.Background(), set)
	return out
}

// RisksContext is Risks that stops when ctx is done, returning ctx's
// error: 400 rules are 79,800 pairs, some 25 s of matching, and Ctrl-C
// must not wait for them. It polls ctx before every rule and every pair.
func RisksContext(ctx context.Context, set *rules.Set) ([]Risk, error) {
	var out []Risk
	canon := simplify.PlainCanonical
	all := set.AllRules()
	type inst struct {
		r        *rules.Rule
		lhs, rhs ast.Expr // canonical, pattern variables as symbols
	}
	var insts []inst
	for _, r := range all {
		insts = append(insts, inst{r, canon(r.LHS), canon(r.RHS)})
	}
	for _, x := range insts {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if x.lhs == x.rhs {
			// u/u -> 1: the canonical form already makes the left side
			// the right, so the rule rewrites a node to itself, which the
			// driver counts as no change; it cannot loop.
			continue
		}
		found := false
		ast.InspectOnce(x.rhs, func(sub ast.Expr) bool {
			if found {
				return false
			}
			if _, ok := rules.MatchRoot(x.lhs, sub, x.r.Vars); ok {
				found = true
			}
			return !found
		})
		if found {
			out = append(out, Risk{Rules: []string{x.r.Name}, Why: "its right side contains an instance of its left side, so it can apply again and again"})
		}
	}
	for i, x := range insts {
		for _, y := range insts[i+1:] {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			if x.r.Kind != y.r.Kind && (x.r.Kind == rules.Basis || y.r.Kind == rules.Basis) {
				continue // basis rules run without the simplification rules they invert
			}
			if x.lhs == x.rhs || y.lhs == y.rhs {
				// A rule the canonical form already makes an identity
				// (u*v/v -> u if v > 0) rewrites a node to itself, so no
				// pair with it can cycle: two such rules under exclusive
				// conditions "undid" each other only in that both are
				// the identity here.
				continue
			}
			if undoes(x.rhs, x.lhs, y.r, y.lhs) && undoes(y.rhs, y.lhs, x.r, x.lhs) {
				out = append(out, Risk{Rules: []string{x.r.Name, y.r.Name}, Why: "each undoes the other: applying one and then the other gives back the start"})
			}
		}
	}
	return out, nil
}

// undoes reports whether rule b, whose left side in canonical form is
// blhs, applied to rhs (what a rule made of its own left side lhs), gives
// lhs back.
func undoes(rhs, lhs ast.Expr, b *rules.Rule, blhs ast.Expr) bool {
	m, ok := rules.MatchRoot(blhs, rhs, b.Vars)
	if !ok || len(m.Rest) > 0 {
		return false
	}
	return simplify.PlainCanonical(rules.Instantiate(b.RHS, m.Bindings)) == lhs
}

// CheckBuiltin checks the engine's own rules that have examples: a rule
// written in Go is applied once to each example (in canonical form) and
// the rewrite compared with it at random points; a rule of the canonical
// form is checked by simplifying each example with set and comparing.
func CheckBuiltin(ctx context.Context, all []*rules.Rule, set *rules.Set, parse func(string) (ast.Expr, error)) []*RuleReport {
	var out []*RuleReport
	for _, g := range all {
		if len(g.Examples) == 0 {
			continue
		}
		start := time.Now()
		rep := &RuleReport{Name: g.Name, Kind: g.Kind.String(), Source: g.Source.String()}
		rep.Verdict = RuleSound
		applied := 0
		for _, src := range g.Examples {
			e, err := parse(src)
			if err != nil {
				rep.Verdict, rep.Note = RuleUnchecked, err.Error()
				break
			}
			var r ast.Expr
			if g.Apply != nil {
				e = simplify.PlainCanonical(e)
				var ok bool
				if r, ok = g.Apply(nil, e); !ok {
					continue
				}
			} else {
				res, err := simplify.Simplify(ctx, e, simplify.Options{Rules: set})
				if err != nil {
					rep.Verdict, rep.Note = RuleUnchecked, err.Error()
					break
				}
				r = res.Canonical
			}
			applied++
			ce, valid, skipped, err := numcheck.SampleRule(ctx, e, r, nil, 100)
			rep.Points += valid
			rep.Skipped += skipped
			if err != nil {
				rep.Verdict, rep.Note = RuleUnchecked, err.Error()
				break
			}
			if ce != nil {
				rep.Verdict, rep.Counter = RuleUnsound, ce
				rep.Note = fmt.Sprintf("on %s the rewrite %s differs", src, ast.String(r))
				break
			}
		}
		if rep.Verdict == RuleSound {
			if applied == 0 || rep.Points == 0 {
				rep.Verdict, rep.Note = RuleUnchecked, "the rule applied to none of its examples"
			} else {
				rep.Note = fmt.Sprintf("equal on %d examples at %d random points", applied, rep.Points)
			}
		}
		rep.Time = time.Since(start)
		out = append(out, rep)
	}
	return out
}
