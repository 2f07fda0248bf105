package simplify

import (
	"fmt"
	"time"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/derive"
)

// Proving. prove A == B has three outcomes:
//
//   - proved: both sides reach one canonical form, first with the
//     simplification rules, then, if needed, after rewriting functions
//     into a basis (σ into exp, ...) and comparing rational normal forms.
//     The proof is the chain of steps from A to that form and back to B.
//     Equality is meant wherever both sides are defined, with sums over
//     positive sizes and free indices inside the ranges they are summed
//     against (the conventions of index notation).
//   - refuted: a point where the two sides differ, found in float64 and
//     confirmed by evaluating at 256 and 512 bits: the difference must be
//     large and the same at both precisions, so rounding cannot fake it.
//   - unknown: neither, with what was tried.
//
// A symbolic proof is also checked numerically at a few points; should an
// engine bug ever let it disagree with the numbers, the verdict is
// unknown, never a wrong proved.

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

// A Proof is the outcome of proving A == B, with its evidence.
type Proof struct {
	A, B    ast.Expr
	Verdict Verdict
	// Steps is the chain of equalities from A to B (when proved).
	Steps []Step
	// Method names how the proof closed: "canonical form", "rational
	// normal form".
	Method string
	// Counter is the counterexample (when refuted).
	Counter *Counterexample
	// Tried says what was attempted (when unknown), and for proofs the
	// numerical check that was made.
	Tried string
	Stop  StopReason
}

// Prove tries to prove a == b.
func Prove(a, b ast.Expr, opt Options) (*Proof, error) {
	pr := &Proof{A: a, B: b}
	dopt := derive.Options{Defs: opt.Defs, Rules: opt.Rules, Ctx: opt.Ctx}
	da, err := derive.Expand(a, dopt)
	if err != nil {
		return nil, err
	}
	db, err := derive.Expand(b, dopt)
	if err != nil {
		return nil, err
	}
	var diffSteps []Step
	if da != a {
		diffSteps = append(diffSteps, Step{Rule: "differentiate", Before: a, After: da})
	}
	var backSteps []Step
	if db != b {
		backSteps = append(backSteps, Step{Rule: "differentiate", Before: b, After: db})
	}

	// Stage 1: the simplification rules, fully expanded.
	s := New(opt)
	s.full = true
	ea, eb := s.expandDefs(da), s.expandDefs(db)
	s.assumeDomain(ea, eb)
	ca, stepsA := s.normalize(da, true)
	cb, stepsB := s.normalize(db, true)
	pr.Stop = s.stop
	if err := s.opt.Ctx.Err(); err != nil {
		return nil, err
	}
	if ca == cb {
		pr.Verdict, pr.Method = Proved, "canonical form"
		pr.Steps = chain(append(diffSteps, stepsA...), append(backSteps, stepsB...))
		return pr, s.check(pr, ea, eb)
	}

	// Stage 2: rewrite into the basis and compare rational normal forms.
	t := New(opt)
	t.full, t.basis = true, true
	t.assumeDomain(ea, eb)
	na, basisA := t.normalize(ca, false)
	nb, basisB := t.normalize(cb, false)
	if t.stop > pr.Stop {
		pr.Stop = t.stop
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
		left := append(append(diffSteps, stepsA...), relabel(basisA, "rewrite in the exp/log basis")...)
		right := append(append(backSteps, stepsB...), relabel(basisB, "rewrite in the exp/log basis")...)
		steps := chain(left, right)
		if na != nb {
			// Insert the algebraic step between the two normal forms.
			i := len(left)
			steps = append(steps[:i], append([]Step{{Rule: "rational normal form: the difference expands to 0", Before: na, After: nb}}, steps[i:]...)...)
		}
		pr.Steps = steps
		return pr, s.check(pr, ea, eb)
	}

	// Stage 3: look for a counterexample.
	ce, tried, err := s.refute(ea, eb)
	if err != nil {
		return nil, err
	}
	if ce != nil {
		pr.Verdict, pr.Counter = Refuted, ce
		return pr, nil
	}
	pr.Verdict = Unknown
	pr.Tried = "no symbolic proof (the canonical forms differ, also in the exp/log basis and as rational functions); " + tried
	if pr.Stop != StopFixpoint {
		pr.Tried += fmt.Sprintf("; the simplifier stopped early (%s)", pr.Stop)
	}
	return pr, nil
}

// chain joins the steps from A to the common form with the steps from B
// to it, reversed, into one chain from A to B.
func chain(fromA, fromB []Step) []Step {
	out := append([]Step(nil), fromA...)
	for i := len(fromB) - 1; i >= 0; i-- {
		st := fromB[i]
		rule := st.Rule
		if rule == "expand definitions" {
			rule = "fold definitions" // read backwards
		}
		out = append(out, Step{Rule: rule, Before: st.After, After: st.Before, Micro: st.Micro})
	}
	return out
}

func relabel(steps []Step, prefix string) []Step {
	out := make([]Step, len(steps))
	for i, st := range steps {
		st.Rule = prefix + " (" + st.Rule + ")"
		out[i] = st
	}
	return out
}

// assumeDomain records what both sides' being defined implies (log's
// argument is positive, ...): the identity is claimed only there.
func (s *Simplifier) assumeDomain(a, b ast.Expr) {
	raw := domainFacts(a, nil)
	for k, v := range domainFacts(b, nil) {
		if old, ok := raw[k]; ok {
			v = intersect(old, v)
		}
		raw[k] = v
	}
	s.noteSizes(a)
	s.noteSizes(b)
	c := s.canon(expandFull)
	for k, v := range raw {
		key := c.expr(k)
		if old, ok := s.assume[key]; ok {
			v = intersect(old, v)
		}
		s.assume[key] = v
	}
	s.signMemo = map[ast.Expr]interval{}
	s.takeMicro()
}

// check evaluates a symbolic proof at a few points. If the numbers
// contradict it, the engine has a bug: the verdict becomes unknown.
func (s *Simplifier) check(pr *Proof, a, b ast.Expr) error {
	ce, tried, err := s.sample(a, b, 24, false, 2*time.Second)
	if err != nil {
		return err
	}
	if ce != nil {
		pr.Verdict = Unknown
		pr.Tried = fmt.Sprintf("the symbolic argument (%s) claimed equality, but the sides differ at a point (an internal inconsistency; please report it): %s", pr.Method, ce.Summary())
		pr.Steps = nil
		return nil
	}
	pr.Tried = tried
	return nil
}
