// Package prove decides equalities A == B: proved with a chain of named
// steps, refuted with a confirmed counterexample, or unknown with what was
// tried.
//
//   - proved: both sides reach one canonical form, first with the
//     simplification rules, then, if needed, after rewriting functions
//     into a basis (σ into exp, ...) and comparing rational normal forms
//     (poly.go). The proof is the chain of steps from A to that form and
//     back to B. Equality is meant wherever both sides are defined, with
//     sums over positive sizes and free indices inside the ranges they are
//     summed against (the conventions of index notation).
//   - refuted: a point where the two sides differ, found in float64 and
//     confirmed at high precision, clear of a bound on rounding at two
//     precisions (package numcheck).
//   - unknown: neither, with what was tried.
//
// A symbolic proof is also checked numerically at points of its domain
// (package numcheck samples all magnitudes and the bounds logs and roots
// imply); it stands only if the check saw at least one point where both
// sides are defined, and should an engine bug ever let it disagree with
// the numbers, the verdict is unknown, never a wrong proved. Before the
// normal forms, the largest parts both sides share are opaque names
// (shared.go), so that a large common part is never expanded.
package prove

import (
	"context"
	"fmt"
	"slices"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/derive"
	"github.com/symdiff/symdiff/rules"
	"github.com/symdiff/symdiff/simplify"
	"github.com/symdiff/symdiff/simplify/numcheck"
)

// Verdict is the outcome of a proof attempt.
type Verdict uint8

const (
	Unknown Verdict = iota
	Proved
	Refuted
)

func (v Verdict) String() string {
	return [...]string{"unknown", "proved", "refuted"}[v]
}

// The prover's own steps, as named rules.
var (
	RuleBasis = &rules.Rule{Name: "rewrite_in_basis", Kind: rules.Pass, Source: src,
		Doc: "rewrite in the exp/log basis", Text: "functions written with exp, log, sin, cos, Phi and phi (sigma(u) = 1/(1 + exp(-u)), ...), then the canonical passes"}
	RuleRational = &rules.Rule{Name: "rational_normal_form", Kind: rules.Pass, Source: src,
		Doc: "rational normal form: the difference expands to 0", Text: "n1*d2 - n2*d1 expands to the zero polynomial, so n1/d1 = n2/d2 wherever both are defined (a sum is an atom: nested sums are one sum over their indices, in any order of summation their ranges allow, expanded, products of sums multiplied in)"}
)

var src = rules.Source{File: "prove (built in)"}

// Rules lists the prover's own rules.
func Rules() []*rules.Rule { return []*rules.Rule{RuleBasis, RuleRational, RuleCases} }

// A Proof is the outcome of proving A == B, with its evidence.
type Proof struct {
	A, B    ast.Expr
	Verdict Verdict
	// Trace is the chain of steps from A to B (when proved); the step of a
	// derivative holds the steps that differentiated it.
	Trace rules.Trace
	// Method names how the proof closed: "canonical form", "rational
	// normal form".
	Method string
	// Counter is the counterexample (when refuted).
	Counter *numcheck.Counterexample
	// Tried says what was attempted (when unknown), and for proofs the
	// numerical check that was made.
	Tried string
	Stop  simplify.StopReason
	// Ranges are the ranges of the free indices the claim is made for
	// (assumed, or the extents of the arrays they index): "for k = 1..d".
	Ranges map[string]simplify.Range
	// Where says, for a proof whose two sides are one expression with a
	// part that has no value where a condition holds, where that is: the
	// claim holds where the sides are defined, and they are defined at
	// the same points (set by the caller that searches for such parts).
	Where string

	opt   simplify.Options // to show the chain's expressions
	lines []Line
	// opened are A and B with their derivatives taken and every
	// definition opened, as they were compared (see Opened).
	opened [2]ast.Expr
}

// Opened returns A and B with their derivatives taken and every
// definition opened, the user's and the rule files', as the prover
// compared them and checked them at points; nil for a proof that did not
// get that far, or was not made by Prove.
func (pr *Proof) Opened() (a, b ast.Expr) { return pr.opened[0], pr.opened[1] }

// Lines returns the chain as it is shown: each step's result in display
// form, detours cut out. They are computed on first use, from the trace,
// with the simplifier that made it.
func (pr *Proof) Lines() []Line {
	if pr.lines == nil && pr.Verdict == Proved && pr.opt.Rules != nil {
		// Shown as a simplification shows them: not in the prover's
		// normal form, nor under its assumptions.
		pr.lines = lines(pr, simplify.New(pr.opt))
	}
	return pr.lines
}

// A Line is one equality of a proof's chain as shown: = Expr, by Step.
type Line struct {
	Expr ast.Expr
	Step rules.Step
}

// Prove tries to prove a == b.
func Prove(ctx context.Context, a, b ast.Expr, opt simplify.Options) (*Proof, error) {
	given := simplify.AssumedRanges(opt)
	ranges := simplify.InferRanges(opt.Defs, given, a, b)
	pr, err := proveIn(ctx, a, b, opt, ranges)
	if err != nil || pr.Verdict != Unknown {
		return pr, err
	}
	return proveWider(ctx, a, b, opt, given, ranges, pr) // extent.go
}

// proveIn tries to prove a == b for the free indices' ranges given.
func proveIn(ctx context.Context, a, b ast.Expr, opt simplify.Options, ranges map[string]simplify.Range) (*Proof, error) {
	pr := &Proof{A: a, B: b}
	// The free indices' ranges (assumed, or the extents of the arrays they
	// index) are part of the claim: it is proved for them.
	opt.Ranges = ranges
	pr.Ranges = simplify.RangesOf(opt.Ranges, a, b)
	dopt := derive.Options{Defs: opt.Defs, Rules: opt.Rules}
	da, diffA, err := derive.ExpandStep(ctx, a, dopt)
	if err != nil {
		return nil, err
	}
	db, diffB, err := derive.ExpandStep(ctx, b, dopt)
	if err != nil {
		return nil, err
	}

	s := simplify.New(opt)
	ea, eb := s.ExpandDefs(da), s.ExpandDefs(db)
	pr.opened = [2]ast.Expr{ea, eb}
	// An index that only a definition's body shows (S := sum(j=2..n,
	// delta(j, k))) has its range stated too.
	pr.Ranges = simplify.RangesOf(opt.Ranges, a, b, ea, eb)
	// Counterexamples only where the assumptions hold and the indices lie
	// in their ranges.
	nas := withDeclared(numericAssumptions(opt.Assume, pr.Ranges), opt.Decls, ea, eb, opt.Assume)
	var rep *numcheck.Report // the search for a counterexample, once made

	// First with the largest parts the two sides share as opaque atoms:
	// P + 1 == 1 + P*(sin(y)^2 + cos(y)^2) is decided without expanding P.
	if xa, xb, atoms := shareAtoms(ea, eb); len(atoms) > 0 {
		att, err := decide(ctx, opt, nil, xa, xb, false, nil, nil)
		if err != nil {
			return nil, err
		}
		if att.proved {
			left, right := append(rules.Trace{}, diffA...), append(rules.Trace{}, diffB...)
			if ea != da {
				left = append(left, rules.Step{Rule: simplify.PassExpandDefs, Before: da, After: ea})
			}
			if eb != db {
				right = append(right, rules.Step{Rule: simplify.PassExpandDefs, Before: db, After: eb})
			}
			pr.Verdict, pr.Method, pr.Stop = Proved, att.method+", with shared parts as atoms", att.stop
			pr.Trace = chain(append(left, unshare(att.left, atoms)...), append(right, unshare(att.right, atoms)...))
			if att.between != nil {
				pr.Trace = insertAt(pr.Trace, len(left)+len(att.left), unshare(att.between, atoms))
			}
			return pr, finish(ctx, pr, att.s, ea, eb, nas)
		}
		// Not equal with the shared parts opaque: a counterexample, if
		// there is one, is cheaper than expanding them.
		if rep, err = numcheck.RefuteAssuming(ctx, ea, eb, nas); err != nil {
			return nil, err
		}
		if rep.Counter != nil {
			pr.Verdict, pr.Counter = Refuted, rep.Counter
			return pr, nil
		}
	}

	att, err := decide(ctx, opt, s, da, db, true, ea, eb)
	if err != nil {
		return nil, err
	}
	pr.Stop = att.stop
	if att.proved {
		pr.Verdict, pr.Method = Proved, att.method
		left := append(append(rules.Trace{}, diffA...), att.left...)
		right := append(append(rules.Trace{}, diffB...), att.right...)
		pr.Trace = chain(left, right)
		if att.between != nil {
			pr.Trace = insertAt(pr.Trace, len(left), att.between)
		}
		return pr, finish(ctx, pr, att.s, ea, eb, nas)
	}

	// Stage 3: look for a counterexample.
	if rep == nil {
		if rep, err = numcheck.RefuteAssuming(ctx, ea, eb, nas); err != nil {
			return nil, err
		}
	}
	if rep.Counter == nil && len(att.zeroSubs) > 0 {
		if rep.Counter, err = refuteOnZero(ctx, ea, eb, att.zeroSubs, nas); err != nil {
			return nil, err
		}
		if rep.Counter != nil && !nas.Admits(rep.Counter.Bindings) {
			// Drawn without the assumptions or outside the ranges: it
			// says nothing about the claim.
			rep.Counter = nil
		}
	}
	if rep.Counter != nil {
		pr.Verdict, pr.Counter = Refuted, rep.Counter
		return pr, nil
	}
	pr.Verdict = Unknown
	pr.Tried = "no symbolic proof (the canonical forms differ, also in the exp/log basis and as rational functions); " + rep.Tried
	if pr.Stop != simplify.StopFixpoint {
		pr.Tried += fmt.Sprintf("; the simplifier stopped early (%s)", pr.Stop)
	}
	return pr, nil
}

// attempt is the outcome of the symbolic stages.
type attempt struct {
	proved bool
	method string
	// left and right lead from each side to the common form; between,
	// when not nil, is the step that joins two normal forms.
	left, right, between rules.Trace
	stop                 simplify.StopReason
	s                    *simplify.Simplifier
	zeroSubs             []zeroSub // where the kinks' arguments vanish, to look for a counterexample there
}

// decide runs the symbolic stages on a and b, with s for the first if it
// is not nil. ea and eb, when not nil, are s.ExpandDefs of a and b, which
// the caller has: an expansion walks the whole side with a memo of its
// own, and was made three times per side (a fifth of W8's allocation;
// TestDecideExpandedAgrees).
//
// Stage 1: the simplification rules, fully expanded. Stage 2: rewrite into
// the basis and compare rational normal forms.
func decide(ctx context.Context, opt simplify.Options, s *simplify.Simplifier, a, b ast.Expr, withDefs bool, ea, eb ast.Expr) (attempt, error) {
	var att attempt
	if s == nil {
		s = simplify.New(opt)
	}
	s.SetMode(simplify.Mode{Full: true})
	if ea == nil || eb == nil {
		ea, eb = s.ExpandDefs(a), s.ExpandDefs(b)
	}
	s.AssumeDomain(ea, eb)
	ca, stepsA := normalize(ctx, s, a, ea, withDefs)
	cb, stepsB := normalize(ctx, s, b, eb, withDefs)
	att.stop, _ = s.Stop()
	att.s = s
	if err := ctx.Err(); err != nil {
		return att, err
	}
	att.left, att.right = stepsA, stepsB
	if ca == cb {
		att.proved, att.method = true, "canonical form"
		return att, nil
	}

	t := simplify.New(opt)
	t.SetMode(simplify.Mode{Full: true, Basis: true})
	t.AssumeDomain(ea, eb)
	na, basisA := t.Normalize(ctx, ca, false)
	nb, basisB := t.Normalize(ctx, cb, false)
	if stop, _ := t.Stop(); stop > att.stop {
		att.stop = stop
	}
	if err := ctx.Err(); err != nil {
		return att, err
	}
	same := na == nb
	method := "canonical form in the exp/log basis"
	if !same {
		ok, err := sameRational(ctx, na, nb)
		if err := ctx.Err(); err != nil {
			return att, err
		}
		if err == nil && ok {
			same, method = true, "rational normal form"
		}
	}
	if same {
		att.proved, att.method = true, method
		att.left = append(att.left, inBasis(basisA, ca, na)...)
		att.right = append(att.right, inBasis(basisB, cb, nb)...)
		if na != nb {
			// The algebraic step between the two normal forms.
			att.between = rules.Trace{{Rule: RuleRational, Before: na, After: nb}}
		}
		return att, nil
	}
	// Stage 2b: functions with kinks, case by case (cases.go).
	step, zeroSubs := byCases(ctx, t, na, nb)
	att.zeroSubs = zeroSubs
	if step != nil {
		att.proved, att.method = true, "rational normal form in each case"
		att.left = append(att.left, inBasis(basisA, ca, na)...)
		att.right = append(att.right, inBasis(basisB, cb, nb)...)
		att.between = rules.Trace{*step}
	}
	return att, nil
}

// normalize is s.Normalize(ctx, e, withDefs) for x = s.ExpandDefs(e):
// with the definitions, the driver's first step opens them, which x has
// done already.
func normalize(ctx context.Context, s *simplify.Simplifier, e, x ast.Expr, withDefs bool) (ast.Expr, rules.Trace) {
	if !withDefs {
		return s.Normalize(ctx, e, false)
	}
	c, steps := s.Normalize(ctx, x, false)
	if x == e {
		return c, steps
	}
	return c, append(rules.Trace{{Rule: simplify.PassExpandDefs, Before: e, After: x}}, steps...)
}

// insertAt inserts steps into a trace at i.
func insertAt(t rules.Trace, i int, steps rules.Trace) rules.Trace {
	return append(t[:i:i], append(steps, t[i:]...)...)
}

// inBasis makes the basis passes one step, from c to n, holding them.
func inBasis(passes rules.Trace, c, n ast.Expr) rules.Trace {
	if len(passes) == 0 {
		return nil
	}
	return rules.Trace{{Rule: RuleBasis, Before: c, After: n, Sub: passes}}
}

// chain joins the steps from A to the common form with the steps from B
// to it, read backwards, into one chain from A to B.
func chain(fromA, fromB rules.Trace) rules.Trace {
	out := append(rules.Trace(nil), fromA...)
	for _, st := range fromB.Reversed() {
		if st.Rule == simplify.PassExpandDefs {
			st.Rule = simplify.PassFoldDefs // read backwards
		}
		out = append(out, st)
	}
	return out
}

// finish checks a symbolic proof at a few points and computes its lines.
// A proof stands only if the check saw the domain: with no point where
// both sides are defined (sqrt(x - 7) is defined for x >= 7 only, and the
// sampler looks there, but the domain may be empty or too thin to hit)
// the verdict is unknown, with that reason. A confirmed difference, clear
// of the rounding bound at two precisions, means the engine has a bug:
// the verdict becomes unknown and says so.
//
// nas are the numeric assumptions of the proof's assumptions and ranges
// (s's, and pr.Ranges), made once for the proof.
func finish(ctx context.Context, pr *Proof, s *simplify.Simplifier, a, b ast.Expr, nas *numcheck.Assumptions) error {
	rep, err := numcheck.CheckAssuming(ctx, a, b, nas)
	if err != nil {
		return err
	}
	if rep.Counter != nil {
		pr.Verdict = Unknown
		pr.Tried = fmt.Sprintf("the symbolic argument (%s) claimed equality, but the sides differ at a point (an internal inconsistency; please report it): %s", pr.Method, rep.Counter.Summary())
		pr.Trace = nil
		return nil
	}
	if rep.Valid == 0 && a != b { // a == a needs no point
		pr.Verdict = Unknown
		pr.Tried = fmt.Sprintf("the symbolic argument (%s) claimed equality, but it could not be checked: %s; a proof is reported only where the numbers confirm it", pr.Method, rep.Tried)
		pr.Trace = nil
		return nil
	}
	pr.Tried = rep.Tried
	pr.opt = s.Options()
	return nil
}

// lines shows the chain from A to B: each step's result as displayed,
// a derivative's rounds as the lines of its derivation, steps that do not
// change what is displayed merged into the one before, detours (a form
// seen before) cut out, and B closing the chain.
func lines(pr *Proof, s *simplify.Simplifier) []Line {
	prefer := simplify.Preferred(s.Defs(), pr.A, pr.B)
	show := func(e ast.Expr) ast.Expr { return s.Show(e, prefer) }
	// Lines are compared as they read (in LaTeX, where -(2*x) and -2*x
	// are the same): a line that reads like an earlier one closes a
	// detour.
	end := show(pr.B)
	endTeX := ast.LaTeXString(end)
	out := []Line{{Expr: show(pr.A)}}
	texts := []string{ast.LaTeXString(out[0].Expr)}
	push := func(e ast.Expr, st rules.Step) bool {
		if texts[len(texts)-1] == endTeX {
			return false // the rest of the chain only leads back to B
		}
		t := ast.LaTeXString(e)
		if i := slices.Index(texts, t); i >= 0 {
			out, texts = out[:i+1], texts[:i+1]
			return true
		}
		out, texts = append(out, Line{Expr: e, Step: st}), append(texts, t)
		return true
	}
	for _, st := range pr.Trace {
		if d, ok := st.Before.(*ast.Deriv); ok && st.Rule == derive.RuleDifferentiate && d != nil {
			if rounds, err := derive.Rounds(st); err == nil {
				for _, r := range rounds {
					push(s.ShowRaw(r.After), r)
				}
				continue
			}
		}
		if !push(show(st.After), st) {
			break
		}
	}
	if texts[len(texts)-1] != endTeX {
		out = append(out, Line{Expr: end})
	}
	return out[1:]
}
