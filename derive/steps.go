package derive

import (
	"fmt"
	"slices"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/rules"
)

// Steps differentiates a layer at a time, the way a derivation is written:
// the bookkeeping rules (linearity, product, quotient and power rules, the
// derivative of a variable) are applied as far as they go and make one
// step; each application of the chain rule through a function is a step
// of its own; opening a definition is noted on the step that follows it.
// The rules are the very functions D uses, so the steps end where D does.

// A Round is one step of a derivation.
type Round struct {
	Rules []string       // the rules applied, in order of first use
	Chain []*rules.Deriv // derivative rules used by the chain rule
	Defs  []string       // definitions opened on the way to this step
	Expr  ast.Expr       // the whole expression after the step
}

// structural rules are applied together, as bookkeeping.
var structural = map[string]bool{
	RuleConst: true, RuleVar: true, RuleLinear: true, RuleProduct: true, RuleQuotient: true,
	RulePower: true, RuleExpRule: true, RuleGenPower: true, RuleNestedDiff: true,
}

// MaxRounds bounds a derivation's steps.
const MaxRounds = 500

// Steps returns the rounds of differentiating e with respect to v, from
// d(e, v) to an expression without derivatives (not yet simplified).
func Steps(e, v ast.Expr, opt Options) ([]Round, error) {
	dv, err := newDeriver(v, opt)
	if err != nil {
		return nil, err
	}
	e, err = Expand(e, opt)
	if err != nil {
		return nil, err
	}
	cur := ast.Expr(ast.NewDeriv(e, v))
	var rounds []Round
	var pendingDefs []string
	for n := 0; ; n++ {
		if n > MaxRounds {
			return nil, &Error{Msg: fmt.Sprintf("the derivation needs more than %d steps", MaxRounds)}
		}
		if err := dv.opt.Ctx.Err(); err != nil {
			return nil, err
		}
		// Bookkeeping first, as far as it goes.
		var used []string
		for {
			next, names, err := dv.round(cur, func(rule string, _ *ast.Deriv) bool { return structural[rule] })
			if err != nil {
				return nil, err
			}
			if next == cur {
				break
			}
			cur = next
			for _, r := range names {
				if !slices.Contains(used, r) {
					used = append(used, r)
				}
			}
		}
		if len(used) > 0 {
			trivial := !slices.ContainsFunc(used, func(r string) bool { return r != RuleVar && r != RuleConst })
			if n := len(rounds); trivial && n > 0 && len(pendingDefs) == 0 {
				// d(x, x) = 1 and d(c, x) = 0 finish the previous step.
				last := &rounds[n-1]
				last.Expr = cur
				for _, r := range used {
					if !slices.Contains(last.Rules, r) {
						last.Rules = append(last.Rules, r)
					}
				}
			} else {
				rounds = append(rounds, Round{Rules: used, Defs: pendingDefs, Expr: cur})
				pendingDefs = nil
			}
		}
		first := dv.firstDeriv(cur)
		if first == nil {
			return rounds, nil
		}
		_, rule, err := dv.layer(first.X)
		if err != nil {
			return nil, err
		}
		switch rule {
		case RuleDef:
			// Open every definition that is next in line; say so on the
			// next step.
			next, _, err := dv.round(cur, func(r string, _ *ast.Deriv) bool { return r == RuleDef })
			if err != nil {
				return nil, err
			}
			for _, name := range dv.opened(cur) {
				if !slices.Contains(pendingDefs, name) {
					pendingDefs = append(pendingDefs, name)
				}
			}
			cur = next
		case RuleChain:
			fn := first.X.(*ast.Call).Fn
			next, _, err := dv.round(cur, func(r string, d *ast.Deriv) bool {
				c, ok := d.X.(*ast.Call)
				return r == RuleChain && ok && c.Fn == fn
			})
			if err != nil {
				return nil, err
			}
			var chain []*rules.Deriv
			for k := range first.X.(*ast.Call).Args {
				if r, ok := dv.rules.Deriv(fn, k); ok {
					chain = append(chain, r)
				}
			}
			cur = next
			rounds = append(rounds, Round{Rules: []string{RuleChain}, Chain: chain, Defs: pendingDefs, Expr: cur})
			pendingDefs = nil
		default:
			return nil, &Error{Msg: fmt.Sprintf("derivation stuck at %s (rule %s)", ast.String(first), rule)}
		}
	}
}

// firstDeriv returns the first derivative with respect to v in e, in
// reading order.
func (dv *deriver) firstDeriv(e ast.Expr) *ast.Deriv {
	var found *ast.Deriv
	ast.Inspect(e, func(x ast.Expr) bool {
		if found != nil || !ast.HasDeriv(x) {
			return false
		}
		if d, ok := x.(*ast.Deriv); ok && d.Wrt == dv.v {
			found = d
			return false
		}
		return true
	})
	return found
}

// opened lists the defined names at the derivatives the definition rule
// opens.
func (dv *deriver) opened(e ast.Expr) []string {
	var names []string
	ast.InspectOnce(e, func(x ast.Expr) bool {
		d, ok := x.(*ast.Deriv)
		if !ok || d.Wrt != dv.v {
			return ast.HasDeriv(x)
		}
		var name string
		switch y := d.X.(type) {
		case *ast.Sym:
			name = y.Name
		case *ast.Index:
			name = y.Name
		case *ast.Call:
			name = y.Fn
		}
		if _, ok := dv.lookupDef(name); ok && !slices.Contains(names, name) {
			if _, rule, err := dv.layer(d.X); err == nil && rule == RuleDef {
				names = append(names, name)
			}
		}
		return false
	})
	return names
}

// round applies one layer to every derivative with respect to v that
// pick accepts, and returns the new expression and the rules used.
func (dv *deriver) round(e ast.Expr, pick func(rule string, d *ast.Deriv) bool) (ast.Expr, []string, error) {
	var used []string
	r, err := rewriteDerivs(e, false, func(d *ast.Deriv) (ast.Expr, error) {
		if d.Wrt != dv.v {
			return nil, nil
		}
		out, rule, err := dv.layer(d.X)
		if err != nil || !pick(rule, d) {
			return d, err
		}
		if !slices.Contains(used, rule) {
			used = append(used, rule)
		}
		return out, nil
	})
	if err != nil {
		return nil, nil, err
	}
	return Clean(r), used, nil
}

// Clean removes what the rules leave behind without changing the shape a
// person wrote: zero terms, unit factors, products with a zero factor,
// sums of nothing.
func Clean(e ast.Expr) ast.Expr {
	return ast.Map(e, func(x ast.Expr) ast.Expr {
		switch y := x.(type) {
		case *ast.Add:
			var ts []ast.Expr
			for _, t := range y.Terms {
				if t != ast.Zero {
					ts = append(ts, t)
				}
			}
			if len(ts) == len(y.Terms) {
				return x
			}
			return ast.NewAdd(ts...)
		case *ast.Mul:
			var fs []ast.Expr
			for _, f := range y.Factors {
				if f == ast.Zero {
					return ast.Zero
				}
				if f != ast.One {
					fs = append(fs, f)
				}
			}
			if len(fs) == len(y.Factors) {
				return x
			}
			return ast.NewMul(fs...)
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
	})
}
