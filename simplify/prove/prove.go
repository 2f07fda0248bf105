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
//     confirmed at high precision (package numcheck).
//   - unknown: neither, with what was tried.
//
// A symbolic proof is also checked numerically at a few points; should an
// engine bug ever let it disagree with the numbers, the verdict is
// unknown, never a wrong proved.
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
		Doc: "rational normal form: the difference expands to 0", Text: "n1*d2 - n2*d1 expands to the zero polynomial, so n1/d1 = n2/d2 wherever both are defined"}
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

	opt   simplify.Options // to show the chain's expressions
	lines []Line
}

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
	pr := &Proof{A: a, B: b}
	dopt := derive.Options{Defs: opt.Defs, Rules: opt.Rules}
	da, diffA, err := derive.ExpandStep(ctx, a, dopt)
	if err != nil {
		return nil, err
	}
	db, diffB, err := derive.ExpandStep(ctx, b, dopt)
	if err != nil {
		return nil, err
	}

	// Stage 1: the simplification rules, fully expanded.
	s := simplify.New(opt)
	s.SetMode(simplify.Mode{Full: true})
	ea, eb := s.ExpandDefs(da), s.ExpandDefs(db)
	s.AssumeDomain(ea, eb)
	ca, stepsA := s.Normalize(ctx, da, true)
	cb, stepsB := s.Normalize(ctx, db, true)
	pr.Stop, _ = s.Stop()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	left := append(append(rules.Trace{}, diffA...), stepsA...)
	right := append(append(rules.Trace{}, diffB...), stepsB...)
	if ca == cb {
		pr.Verdict, pr.Method = Proved, "canonical form"
		pr.Trace = chain(left, right)
		return pr, finish(ctx, pr, s, ea, eb)
	}

	// Stage 2: rewrite into the basis and compare rational normal forms.
	t := simplify.New(opt)
	t.SetMode(simplify.Mode{Full: true, Basis: true})
	t.AssumeDomain(ea, eb)
	na, basisA := t.Normalize(ctx, ca, false)
	nb, basisB := t.Normalize(ctx, cb, false)
	if stop, _ := t.Stop(); stop > pr.Stop {
		pr.Stop = stop
	}
	same := na == nb
	method := "canonical form in the exp/log basis"
	if !same {
		ok, err := sameRational(na, nb)
		if err == nil && ok {
			same, method = true, "rational normal form"
		}
	}
	if same {
		pr.Verdict, pr.Method = Proved, method
		left = append(left, inBasis(basisA, ca, na)...)
		right = append(right, inBasis(basisB, cb, nb)...)
		steps := chain(left, right)
		if na != nb {
			// The algebraic step between the two normal forms.
			i := len(left)
			steps = append(steps[:i], append(rules.Trace{{Rule: RuleRational, Before: na, After: nb}}, steps[i:]...)...)
		}
		pr.Trace = steps
		return pr, finish(ctx, pr, s, ea, eb)
	}

	// Stage 2b: functions with kinks, case by case (cases.go).
	step, zeroSubs := byCases(ctx, t, na, nb)
	if step != nil {
		pr.Verdict, pr.Method = Proved, "rational normal form in each case"
		left = append(left, inBasis(basisA, ca, na)...)
		right = append(right, inBasis(basisB, cb, nb)...)
		i := len(left)
		steps := chain(left, right)
		pr.Trace = append(steps[:i], append(rules.Trace{*step}, steps[i:]...)...)
		return pr, finish(ctx, pr, s, ea, eb)
	}

	// Stage 3: look for a counterexample.
	ce, tried, err := numcheck.Refute(ctx, ea, eb)
	if err != nil {
		return nil, err
	}
	if ce == nil {
		if ce, err = refuteOnZero(ctx, ea, eb, zeroSubs); err != nil {
			return nil, err
		}
	}
	if ce != nil {
		pr.Verdict, pr.Counter = Refuted, ce
		return pr, nil
	}
	pr.Verdict = Unknown
	pr.Tried = "no symbolic proof (the canonical forms differ, also in the exp/log basis and as rational functions); " + tried
	if pr.Stop != simplify.StopFixpoint {
		pr.Tried += fmt.Sprintf("; the simplifier stopped early (%s)", pr.Stop)
	}
	return pr, nil
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
// If the numbers contradict it, the engine has a bug: the verdict becomes
// unknown.
func finish(ctx context.Context, pr *Proof, s *simplify.Simplifier, a, b ast.Expr) error {
	ce, tried, err := numcheck.Check(ctx, a, b)
	if err != nil {
		return err
	}
	if ce != nil {
		pr.Verdict = Unknown
		pr.Tried = fmt.Sprintf("the symbolic argument (%s) claimed equality, but the sides differ at a point (an internal inconsistency; please report it): %s", pr.Method, ce.Summary())
		pr.Trace = nil
		return nil
	}
	pr.Tried = tried
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
