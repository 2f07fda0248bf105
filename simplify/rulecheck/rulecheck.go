// Package rulecheck checks rules before they are trusted: a rewrite rule
// is sound if its two sides agree at random points where its conditions
// hold (and a symbolic proof is attempted without the rule itself), a
// derivative rule if it agrees with central finite differences of the
// function, a rule written in Go if it keeps the value of each of its
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
		if ce := narrowsDomain(ctx, lhs, rhs, r.Conds); ce != nil {
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

// CheckDeriv checks a derivative rule against central finite differences
// of the function: its definition in the rule files, or the built-in
// function's numeric implementation.
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
	defs := set.Defs()
	rng := rand.New(rand.NewPCG(0xdecaf, uint64(len(d.Fn))))
	const n = 300
	worst := 0.0
	for attempt := 0; attempt < 4*n && rep.Points < n; attempt++ {
		if ctx.Err() != nil {
			rep.Verdict, rep.Note = RuleUnchecked, ctx.Err().Error()
			return rep
		}
		pt := ast.Bindings{}
		for _, p := range d.Params {
			v := rng.Float64()*8 - 4
			if attempt%3 == 0 {
				v = rng.Float64()*4 + 0.05
			}
			pt[p] = ast.Scalar(v)
		}
		u := pt[d.Params[d.Wrt]].Data[0]
		h := 1e-5 * math.Max(1, math.Abs(u))
		// No difference quotient converges at a kink (abs at 0, a tie of
		// max): skip points near one.
		if dist, err := ast.KinkDistance(ctx, f, defs, pt); err == nil && dist < 1e3*h {
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
		fp, err1 := at(u + h)
		fm, err2 := at(u - h)
		want, err3 := ast.Eval(d.Body, defs, pt)
		if err1 != nil || err2 != nil || err3 != nil || math.IsInf(want, 0) {
			rep.Skipped++
			continue
		}
		fd := (fp - fm) / (2 * h)
		// Central differences are accurate to O(h^2 f''') plus rounding
		// of order eps*|f|/h; allow both, the rounding some 4500 times
		// over (1e-9*|f|/h, about 1e-4*|f|, let foo'(u) = 2*u pass for
		// foo(u) = u^2 + u/1000).
		f0, _ := at(u)
		tol := 1e-5*math.Max(1, math.Abs(want)) + 1e-12*math.Max(1, math.Abs(f0))/h
		diff := math.Abs(fd - want)
		if diff > tol {
			// Confirm with a step ten times smaller before calling it wrong.
			h2 := h / 10
			fp2, _ := at(u + h2)
			fm2, _ := at(u - h2)
			fd2 := (fp2 - fm2) / (2 * h2)
			if math.Abs(fd2-want) > tol*10 && math.Abs(fd2-fd) < math.Abs(fd-want)/2 {
				rep.Verdict = RuleUnsound
				rep.Counter = &numcheck.Counterexample{Bindings: pt, Left: fmt.Sprintf("%.10g", fd2), Right: fmt.Sprintf("%.10g", want), LeftF: fd2, RightF: want}
				if rep.Counter.Left == rep.Counter.Right {
					rep.Counter.Diff = fmt.Sprintf("%.6g", fd2-want) // as numcheck's counterexamples say it
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
	rep.Note = fmt.Sprintf("matches central differences at %d points (worst relative difference %.1e)", rep.Points, worst)
	return rep
}

// Risks reports rules that can rewrite forever: a rule whose right side
// contains an instance of its left side, and pairs of rules that undo each
// other.
func Risks(set *rules.Set) []Risk {
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
			if x.r.Kind != y.r.Kind && (x.r.Kind == rules.Basis || y.r.Kind == rules.Basis) {
				continue // basis rules run without the simplification rules they invert
			}
			if undoes(x.rhs, x.lhs, y.r) && undoes(y.rhs, y.lhs, x.r) {
				out = append(out, Risk{Rules: []string{x.r.Name, y.r.Name}, Why: "each undoes the other: applying one and then the other gives back the start"})
			}
		}
	}
	return out
}

// undoes reports whether rule b, applied to rhs (what a rule made of its
// own left side lhs), gives lhs back.
func undoes(rhs, lhs ast.Expr, b *rules.Rule) bool {
	blhs := simplify.PlainCanonical(b.LHS)
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
