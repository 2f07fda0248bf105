package rules

import "github.com/symdiff/symdiff/ast"

// A Step is one justified equality Before = After: the one trace type of
// symdiff. derive, simplify and prove each record the steps they take as
// they take them, and store them with their result; a derivation in
// Unicode, a LaTeX document, a proof's chain, JSON and the REPL's :steps
// are renderings of the same steps, never a second run of the engine.
//
// A step of a Pass rule (differentiate, collect and cancel) holds the
// steps it is made of in Sub; they apply to subexpressions of Before.
// Uses lists the rules a step relied on besides its own, such as the
// derivative rules the chain rule took and the definitions it opened.
//
// A step may hold its sub-steps deferred (Lazy) rather than in Sub: derive
// records the rules it applies compactly and writes them out as steps only
// when a view asks for them. Read sub-steps with Subs, which makes them.
type Step struct {
	Rule   *Rule
	Before ast.Expr
	After  ast.Expr
	Sub    []Step
	Uses   []*Rule
	Lazy   Lazy // when not nil, makes the sub-steps in place of Sub, which is nil
}

// A Lazy makes the sub-steps of a step when they are first asked for.
type Lazy interface {
	// Steps returns the sub-steps, made on the first call and the same
	// ones after; it is safe for concurrent use.
	Steps() []Step
	// VisitRules calls visit with the rule and the uses of each
	// sub-step, and of their sub-steps, in the order a walk of Steps
	// would meet them, without making the steps.
	VisitRules(visit func(*Rule))
}

// Subs returns the step's sub-steps: Sub, or those Lazy makes.
func (st Step) Subs() []Step {
	if st.Lazy != nil {
		return st.Lazy.Steps()
	}
	return st.Sub
}

// VisitRules calls visit with the step's rule, its uses, and those of its
// sub-steps, in order, without making deferred sub-steps.
func (st Step) VisitRules(visit func(*Rule)) {
	visit(st.Rule)
	for _, r := range st.Uses {
		visit(r)
	}
	st.visitSubRules(visit)
}

func (st Step) visitSubRules(visit func(*Rule)) {
	if st.Lazy != nil {
		st.Lazy.VisitRules(visit)
		return
	}
	for _, s := range st.Sub {
		s.VisitRules(visit)
	}
}

// A Trace is a chain of steps, each starting where the one before ended.
type Trace []Step

// Rules lists the distinct rules of a step's sub-steps and uses, in order
// of first use (the rules a reader is told about).
func (st Step) Rules() []*Rule {
	var out []*Rule
	seen := map[*Rule]bool{}
	add := func(r *Rule) {
		if r != nil && !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	for _, r := range st.Uses {
		add(r)
	}
	st.visitSubRules(add)
	return out
}

// Reversed returns the trace read backwards, from the last After to the
// first Before, as a proof reads the steps from its right side.
func (t Trace) Reversed() Trace {
	out := make(Trace, len(t))
	for i, st := range t {
		st.Before, st.After = st.After, st.Before
		out[len(t)-1-i] = st
	}
	return out
}
