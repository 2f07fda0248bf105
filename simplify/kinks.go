package simplify

import (
	"math"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/rules"
)

// Functions with kinks whose argument has a known sign: abs(exp(u)) is
// exp(u), step(-u^2 - 1) is 0, max(u, u + 1) is u + 1. The sign comes from
// the simplifier's interval analysis (sign.go), so these are rules
// written in Go; one rule per function, so that a trace names the one
// that applied.
var (
	RuleAbsKnown = &rules.Rule{Name: "abs_of_known_sign", Kind: rules.Simplify, Root: "call abs", Source: rules.Source{File: goFile},
		Doc:      "abs(u) = u where u >= 0 and -u where u <= 0, by sign analysis",
		Examples: []string{"abs(exp(x))", "abs(-x^2 - 1)", "abs(3)", "abs(-1/2)"}}
	RuleSignKnown = &rules.Rule{Name: "sign_of_known_sign", Kind: rules.Simplify, Root: "call sign", Source: rules.Source{File: goFile},
		Doc:      "sign(u) = 1, -1 or 0 where u is known to be positive, negative or zero",
		Examples: []string{"sign(exp(x))", "sign(-sigma(x))", "sign(0)", "sign(-2)"}}
	RuleStepKnown = &rules.Rule{Name: "step_of_known_sign", Kind: rules.Simplify, Root: "call step", Source: rules.Source{File: goFile},
		Doc:      "step(u) = 1 where u > 0 and 0 where u <= 0 (step(0) = 0)",
		Examples: []string{"step(exp(x))", "step(-x^2)", "step(0)", "step(1/3)"}}
	RuleReluKnown = &rules.Rule{Name: "relu_of_known_sign", Kind: rules.Simplify, Root: "call relu", Source: rules.Source{File: goFile},
		Doc:      "relu(u) = u where u >= 0 and 0 where u <= 0",
		Examples: []string{"relu(x^2)", "relu(-exp(x))", "relu(-2)"}}
	RuleMaxKnown = &rules.Rule{Name: "max_of_known_order", Kind: rules.Simplify, Root: "call max", Source: rules.Source{File: goFile},
		Doc:      "max(a, b) = a where a - b >= 0 and b where a - b <= 0",
		Examples: []string{"max(x, x + 1)", "max(x^2 + 1, 0)", "max(2, 3)"}}
	RuleMinKnown = &rules.Rule{Name: "min_of_known_order", Kind: rules.Simplify, Root: "call min", Source: rules.Source{File: goFile},
		Doc:      "min(a, b) = a where a - b <= 0 and b where a - b >= 0",
		Examples: []string{"min(x, x + 1)", "min(x^2 + 1, 0)", "min(2, 3)"}}
)

// kinkRules are registered with the other rules written in Go.
func kinkRules() []*rules.Rule {
	for _, r := range []*rules.Rule{RuleAbsKnown, RuleSignKnown, RuleStepKnown, RuleReluKnown, RuleMaxKnown, RuleMinKnown} {
		r.Apply = withCanon(knownSign)
	}
	return []*rules.Rule{RuleAbsKnown, RuleSignKnown, RuleStepKnown, RuleReluKnown, RuleMaxKnown, RuleMinKnown}
}

// knownSign rewrites a kink function of an argument whose sign the
// interval analysis knows.
func knownSign(c *canon, e ast.Expr) (ast.Expr, bool) {
	call := e.(*ast.Call)
	switch call.Fn {
	case "max", "min":
		if len(call.Args) != 2 {
			return nil, false
		}
		a, b := call.Args[0], call.Args[1]
		d := c.s.sign(c.expr(ast.NewAdd(a, ast.NewNeg(b))))
		first := d.nonneg()
		if call.Fn == "min" {
			first = d.nonpos()
		}
		switch {
		case first:
			return a, true
		case d.nonpos() && call.Fn == "max", d.nonneg() && call.Fn == "min":
			return b, true
		}
		return nil, false
	}
	if len(call.Args) != 1 {
		return nil, false
	}
	u := call.Args[0]
	iv := c.s.sign(u)
	switch call.Fn {
	case "abs":
		switch {
		case iv.nonneg():
			return u, true
		case iv.nonpos():
			return ast.NewNeg(u), true
		}
	case "sign":
		switch {
		case iv.positive():
			return ast.One, true
		case iv.negative():
			return ast.MinusOne, true
		case iv.zero():
			return ast.Zero, true
		}
	case "step":
		switch {
		case iv.positive():
			return ast.One, true
		case iv.nonpos():
			return ast.Zero, true
		}
	case "relu":
		switch {
		case iv.nonneg():
			return u, true
		case iv.nonpos():
			return ast.Zero, true
		}
	}
	return nil, false
}

// kinkSign bounds the functions with kinks more tightly than their image
// in the function table can: they are not increasing in the table's sense
// (relu and step are constant on a half-line, so an open end of the
// argument's interval does not give an open end of theirs), and max, min
// and clip have several arguments.
func (s *Simplifier) kinkSign(x *ast.Call) (interval, bool) {
	arg := func(i int) interval { return s.sign(x.Args[i]) }
	switch {
	case x.Fn == "pi" && len(x.Args) == 0:
		return interval{lo: down(math.Pi), hi: up(math.Pi)}, true
	case len(x.Args) == 1:
		switch x.Fn {
		case "abs":
			return absInterval(arg(0)), true
		case "sign":
			a := arg(0)
			switch {
			case a.positive():
				return point(1), true
			case a.negative():
				return point(-1), true
			case a.zero():
				return point(0), true
			case a.nonneg():
				return interval{lo: 0, hi: 1}, true
			case a.nonpos():
				return interval{lo: -1, hi: 0}, true
			}
			return interval{lo: -1, hi: 1}, true
		case "step":
			a := arg(0)
			switch {
			case a.positive():
				return point(1), true
			case a.nonpos():
				return point(0), true
			}
			return interval{lo: 0, hi: 1}, true
		case "relu":
			return maxInterval(point(0), arg(0)), true
		}
	case len(x.Args) == 2 && x.Fn == "max":
		return maxInterval(arg(0), arg(1)), true
	case len(x.Args) == 2 && x.Fn == "min":
		return maxInterval(arg(0).neg(), arg(1).neg()).neg(), true
	case len(x.Args) == 3 && x.Fn == "clip":
		return maxInterval(maxInterval(arg(0), arg(1)).neg(), arg(2).neg()).neg(), true
	}
	return interval{}, false
}

// absInterval is the set of |v| for v in a.
func absInterval(a interval) interval {
	switch {
	case a.nonneg():
		return a
	case a.nonpos():
		return a.neg()
	}
	// a contains 0 inside: |v| ranges over 0..the larger end.
	hi, open := -a.lo, a.loOpen
	if a.hi > hi || a.hi == hi && !a.hiOpen {
		hi, open = a.hi, a.hiOpen
	}
	return interval{lo: 0, hi: hi, hiOpen: open}.sane()
}

// maxInterval is the set of max(u, v) for u in a and v in b.
func maxInterval(a, b interval) interval {
	r := a
	// max(u, v) > a.lo when u > a.lo: the larger lower end, open if it
	// is open where it comes from.
	if b.lo > r.lo || b.lo == r.lo && b.loOpen {
		r.lo, r.loOpen = b.lo, b.loOpen
	}
	// The upper end is the larger one, closed if either reaches it.
	if b.hi > a.hi {
		r.hi, r.hiOpen = b.hi, b.hiOpen
	} else if b.hi == a.hi {
		r.hiOpen = a.hiOpen && b.hiOpen
	}
	return r.sane()
}
