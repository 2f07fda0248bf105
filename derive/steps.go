package derive

import (
	"context"
	"fmt"
	"slices"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/rules"
)

// Rounds regroups the step of a derivative (from Step) the way a
// derivation is written: the bookkeeping rules (linearity, product,
// quotient and power rules, the derivative of a variable) are applied as
// far as they go and make one round; each application of the chain rule
// through a function is a round of its own; opening a definition is noted
// on the round that follows it. It replays the recorded steps, each
// d(x, v) replaced by what its step says, and applies no rule itself, so
// the rounds end where the derivative did.
//
// Each round is a step from the whole expression before to the whole
// expression after, whose sub-steps are the recorded steps it used.
func Rounds(st rules.Step) ([]rules.Step, error) { return RoundsContext(context.Background(), st) }

// RoundsContext is Rounds, giving up with ctx's error once ctx is done:
// each round rewrites the whole expression, and a deep one has hundreds.
func RoundsContext(ctx context.Context, st rules.Step) ([]rules.Step, error) {
	d, ok := st.Before.(*ast.Deriv)
	if !ok {
		return nil, fmt.Errorf("derive: not the step of a derivative: %s", ast.String(st.Before))
	}
	v := d.Wrt
	// The recorded steps by the derivative they took, those of the
	// derivatives written inside E (evaluated first, and held by steps
	// of their own) included: a step is keyed by its node d(x, v), so
	// steps of different derivatives cannot be confused.
	byNode := map[ast.Expr]rules.Step{}
	var collect func([]rules.Step)
	collect = func(ss []rules.Step) {
		for _, s := range ss {
			if s.Rule == RuleDifferentiate {
				collect(s.Subs())
				continue
			}
			if _, seen := byNode[s.Before]; !seen {
				byNode[s.Before] = s
			}
		}
	}
	subs := st.Subs() // written out here, when recorded compactly
	collect(subs)
	// The derivatives written inside E were evaluated before E was
	// differentiated: start from d(E', v) with E' their values.
	cur := ast.Expr(d)
	if len(subs) > 0 {
		if inner := innerValue(d, subs); inner != nil {
			cur = inner
		}
	}
	var rounds []rules.Step
	var pendingDefs []*rules.Rule
	for n := 0; ; n++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if n > MaxRounds {
			return nil, &Error{Msg: fmt.Sprintf("the derivation needs more than %d steps", MaxRounds)}
		}
		// Bookkeeping first, as far as it goes.
		var used []rules.Step
		for {
			next, u := replay(cur, v, byNode, func(s rules.Step) bool { return structural(s.Rule) })
			if next == cur {
				break
			}
			cur = next
			used = append(used, u...)
		}
		if len(used) > 0 {
			trivial := !slices.ContainsFunc(used, func(s rules.Step) bool { return s.Rule != RuleVar && s.Rule != RuleConst })
			if k := len(rounds); trivial && k > 0 && len(pendingDefs) == 0 {
				// d(x, x) = 1 and d(c, x) = 0 finish the previous round.
				last := &rounds[k-1]
				last.After = cur
				last.Sub = append(last.Sub, used...)
			} else {
				rounds = append(rounds, round(rounds, st.Before, cur, mainRule(used), used, pendingDefs))
				pendingDefs = nil
			}
		}
		first := firstDeriv(cur, v)
		if first == nil {
			return rounds, nil
		}
		fs, ok := byNode[first]
		if !ok {
			return nil, &Error{Msg: fmt.Sprintf("derivation stuck at %s: no step was recorded for it", ast.String(first))}
		}
		switch fs.Rule {
		case RuleDef:
			// Open every definition that is next in line; say so on the
			// next round.
			next, u := replay(cur, v, byNode, func(s rules.Step) bool { return s.Rule == RuleDef })
			for _, s := range u {
				for _, r := range s.Uses {
					if !slices.Contains(pendingDefs, r) {
						pendingDefs = append(pendingDefs, r)
					}
				}
			}
			cur = next
		case RuleChain:
			fn := first.X.(*ast.Call).Fn
			next, u := replay(cur, v, byNode, func(s rules.Step) bool {
				c, ok := s.Before.(*ast.Deriv).X.(*ast.Call)
				return s.Rule == RuleChain && ok && c.Fn == fn
			})
			cur = next
			rounds = append(rounds, round(rounds, st.Before, cur, RuleChain, u, pendingDefs))
			pendingDefs = nil
		case RulePiecewise, RuleFlatChain:
			// Each piece is differentiated on its own, and a flat part is
			// taken out of a chain rule: a round of its own.
			rule := fs.Rule
			next, u := replay(cur, v, byNode, func(s rules.Step) bool { return s.Rule == rule })
			cur = next
			rounds = append(rounds, round(rounds, st.Before, cur, rule, u, pendingDefs))
			pendingDefs = nil
		default:
			return nil, &Error{Msg: fmt.Sprintf("derivation stuck at %s (rule %s)", ast.String(first), fs.Rule.Name)}
		}
	}
}

// round makes the step from the previous round's end to after.
func round(prev []rules.Step, start, after ast.Expr, main *rules.Rule, used []rules.Step, defs []*rules.Rule) rules.Step {
	before := start
	if k := len(prev); k > 0 {
		before = prev[k-1].After
	}
	return rules.Step{Rule: main, Before: before, After: after, Sub: used, Uses: defs}
}

// mainRule names a round of bookkeeping by the first rule it used that is
// more than taking a constant's or a variable's derivative.
func mainRule(used []rules.Step) *rules.Rule {
	for _, s := range used {
		if s.Rule != RuleVar && s.Rule != RuleConst {
			return s.Rule
		}
	}
	return used[0].Rule
}

// innerValue is d(E', v) where E' is E with the derivatives written in it
// replaced by the values their steps recorded.
func innerValue(d *ast.Deriv, sub []rules.Step) ast.Expr {
	vals := map[ast.Expr]ast.Expr{}
	for _, s := range sub {
		if s.Rule == RuleDifferentiate {
			vals[s.Before] = s.After
		}
	}
	if len(vals) == 0 {
		return nil
	}
	x, _ := rewriteDerivs(d.X, true, func(dd *ast.Deriv) (ast.Expr, error) {
		if r, ok := vals[dd]; ok {
			return r, nil
		}
		return nil, nil
	})
	return ast.NewDeriv(x, d.Wrt)
}

// replay replaces every d(x, v) in e whose recorded step pick accepts by
// that step's result, and returns the new expression and the steps used.
func replay(e, v ast.Expr, byNode map[ast.Expr]rules.Step, pick func(rules.Step) bool) (ast.Expr, []rules.Step) {
	var used []rules.Step
	r, _ := rewriteDerivs(e, false, func(d *ast.Deriv) (ast.Expr, error) {
		if d.Wrt != v {
			return nil, nil
		}
		s, ok := byNode[d]
		if !ok || !pick(s) {
			return d, nil
		}
		used = append(used, s)
		return s.After, nil
	})
	return Clean(r), used
}

// MaxRounds bounds a derivation's rounds.
const MaxRounds = 500

// firstDeriv returns the first derivative with respect to v in e, in
// reading order.
func firstDeriv(e, v ast.Expr) *ast.Deriv {
	var found *ast.Deriv
	ast.Inspect(e, func(x ast.Expr) bool {
		if found != nil || !ast.HasDeriv(x) {
			return false
		}
		if d, ok := x.(*ast.Deriv); ok && d.Wrt == v {
			found = d
			return false
		}
		return true
	})
	return found
}

// Clean removes what the rules leave behind without changing the shape a
// person wrote: zero terms, unit factors, products with a zero factor,
// sums of nothing. It leaves the inside of a derivative d(x, v) as it is:
// x is what a recorded step is about.
func Clean(e ast.Expr) ast.Expr {
	if e.Size() <= cleanTreeSize {
		return cleanTree(e)
	}
	var memo ast.NodeMap[ast.Expr] // by ID: the factors of a big product rule are met a million times
	var run ast.ChildRun           // and each term shares most of them with the last
	var walk func(ast.Expr) ast.Expr
	// child cleans one operand. Names and numbers are not looked up, and
	// an operand whose own operands are leaves is cleaned without the
	// memo (the factors (x + k) of the product rule's terms are met a
	// million times): a sum of a thousand products of a thousand factors
	// is read once, not rebuilt.
	child := func(k ast.Expr) ast.Expr {
		switch k.(type) {
		case *ast.Num, *ast.Sym:
			return k
		case *ast.Deriv:
			return walk(k)
		}
		if k.Height() <= 2 {
			return clean(k)
		}
		return walk(k)
	}
	walk = func(x ast.Expr) ast.Expr {
		if r, ok := memo.Get(x); ok {
			return r
		}
		r := x
		if _, isD := x.(*ast.Deriv); !isD {
			r = clean(run.MapChildren(x, child))
		}
		memo.Put(x, r)
		return r
	}
	return walk(e)
}

// cleanTreeSize is the size (as a tree) up to which Clean walks an
// expression without its memo: a small derivative is read once either
// way, and the memo's table costs more than the walk.
const cleanTreeSize = 1024

// isClean reports whether Clean(e) is e: no node outside a derivative is
// one that clean changes. It walks e as a tree, and answers false past
// maxCleanCheck nodes.
func isClean(e ast.Expr) bool {
	n := 0
	return cleanWalk(e, &n)
}

// cleanWalk is isCleanBut's walk with nothing to skip, without its
// closure and with the zeros and ones compared in place: it reads every
// node of a derivative whose input was unclean (derive.Step), a hundred
// terms for W4.
func cleanWalk(e ast.Expr, n *int) bool {
	if *n++; *n > maxCleanCheck {
		return false
	}
	switch x := e.(type) {
	case *ast.Num, *ast.Sym, *ast.Deriv:
		return true
	case *ast.Neg:
		return x.X != ast.Zero && cleanWalk(x.X, n)
	case *ast.Div:
		return x.X != ast.Zero && x.Y != ast.One && cleanWalk(x.X, n) && cleanWalk(x.Y, n)
	case *ast.Pow:
		return x.Y != ast.One && cleanWalk(x.X, n) && cleanWalk(x.Y, n)
	case *ast.Add:
		for _, t := range x.Terms {
			if t == ast.Zero || !cleanWalk(t, n) {
				return false
			}
		}
		return true
	case *ast.Mul:
		for _, f := range x.Factors {
			if f == ast.Zero || f == ast.One || !cleanWalk(f, n) {
				return false
			}
		}
		return true
	}
	if clean(e) != e {
		return false
	}
	for _, k := range ast.Children(e) {
		if !cleanWalk(k, n) {
			return false
		}
	}
	return true
}

// isCleanBut is isClean for the nodes of e outside the subtrees skip
// (known to be clean): a rule's right side filled in with the arguments
// of a call is checked without them, not once more at each of 10,000
// nested calls.
func isCleanBut(e ast.Expr, skip []ast.Expr) bool {
	n := 0
	var walk func(ast.Expr) bool
	walk = func(e ast.Expr) bool {
		if n++; n > maxCleanCheck {
			return false
		}
		if slices.Contains(skip, e) {
			return true
		}
		switch x := e.(type) {
		case *ast.Num, *ast.Sym, *ast.Deriv:
			return true
		case *ast.Neg:
			return x.X != ast.Zero && walk(x.X)
		case *ast.Div:
			return x.X != ast.Zero && x.Y != ast.One && walk(x.X) && walk(x.Y)
		case *ast.Pow:
			return x.Y != ast.One && walk(x.X) && walk(x.Y)
		}
		if clean(e) != e {
			return false
		}
		for _, k := range ast.Children(e) {
			if !walk(k) {
				return false
			}
		}
		return true
	}
	return walk(e)
}

// maxCleanCheck bounds isClean's walk.
const maxCleanCheck = 4096

// cleanTree is Clean by plain recursion, for a small e.
func cleanTree(e ast.Expr) ast.Expr {
	switch x := e.(type) {
	case *ast.Num, *ast.Sym, *ast.Deriv:
		return e
	case *ast.Neg: // as MapChildren, without a list of one child
		if u := cleanTree(x.X); u != x.X {
			e = ast.NewNeg(u)
		}
	case *ast.Div:
		if a, b := cleanTree(x.X), cleanTree(x.Y); a != x.X || b != x.Y {
			e = ast.NewDiv(a, b)
		}
	case *ast.Pow:
		if a, b := cleanTree(x.X), cleanTree(x.Y); a != x.X || b != x.Y {
			e = ast.NewPow(a, b)
		}
	default:
		e = ast.MapChildren(e, cleanTree)
	}
	return clean(e)
}

func clean(x ast.Expr) ast.Expr {
	switch y := x.(type) {
	case *ast.Add:
		if !slices.Contains(y.Terms, ast.Expr(ast.Zero)) {
			return x // most sums: no copy
		}
		return ast.NewAdd(slices.DeleteFunc(slices.Clone(y.Terms), func(t ast.Expr) bool { return t == ast.Zero })...)
	case *ast.Mul:
		if slices.Contains(y.Factors, ast.Expr(ast.Zero)) {
			return ast.Zero
		}
		if !slices.Contains(y.Factors, ast.Expr(ast.One)) {
			return x
		}
		return ast.NewMul(slices.DeleteFunc(slices.Clone(y.Factors), func(f ast.Expr) bool { return f == ast.One })...)
	case *ast.Neg:
		if y.X == ast.Zero {
			return ast.Zero
		}
	case *ast.Div:
		if y.X == ast.Zero {
			return ast.Zero
		}
		if y.Y == ast.One {
			return y.X
		}
	case *ast.Sum:
		if y.Body == ast.Zero {
			return ast.Zero
		}
	case *ast.Pow:
		if y.Y == ast.One {
			return y.X
		}
	}
	return x
}
