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
type Step struct {
	Rule   *Rule
	Before ast.Expr
	After  ast.Expr
	Sub    []Step
	Uses   []*Rule
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
	var walk func([]Step)
	walk = func(ss []Step) {
		for _, s := range ss {
			add(s.Rule)
			for _, r := range s.Uses {
				add(r)
			}
			walk(s.Sub)
		}
	}
	walk(st.Sub)
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
