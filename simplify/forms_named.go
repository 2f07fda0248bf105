package simplify

import (
	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/rules"
	"github.com/symdiff/symdiff/simplify/algebra"
)

// Named forms of the log-sigmoid. The canonical form writes log σ(u) as
// u - softplus(u) (rules log_sigma and softplus_neg), which is exact but
// not what a person writes: the focal loss's derivative holds
// log σ(z), not z - softplus(z). namedForm writes softplus(u) as
// u - log σ(u), or as -log σ(-u), wherever that makes a sum cheaper by
// Cost; both are identities for every real u (σ(u) = e^u/(1 + e^u), so
// log σ(u) = u - log(1 + e^u), and σ(-u) = 1/(1 + e^u)).

// FormNamed names the rewriting in a derivation's last line.
var FormNamed = &rules.Rule{Name: "form_named", Kind: rules.Pass, Doc: "write u - softplus(u) as log(sigma(u))", Source: rules.Source{File: goFile}}

// namedForm rewrites the sums of e (innermost first) that are cheaper
// with log σ(u) in place of softplus(u); it reports whether it changed
// anything.
func namedForm(e ast.Expr) (ast.Expr, bool) {
	if !hasCall(e, "softplus") || e.Size() > maxReshape {
		return e, false
	}
	changed := false
	out := ast.Map(e, func(x ast.Expr) ast.Expr {
		a, ok := x.(*ast.Add)
		if !ok || !hasCall(a, "softplus") {
			return x
		}
		best := x
		for _, v := range softplusArgs(a) {
			sp := ast.NewCall("softplus", v)
			for _, by := range []ast.Expr{
				ast.NewAdd(v, ast.NewNeg(logSigma(v))), // u - log σ(u)
				ast.NewNeg(logSigma(minus(v))),         // -log σ(-u)
			} {
				y := replaceNode(best, sp, by)
				if y == best {
					continue
				}
				f, t, x2 := algebra.Forms(y, reshapeWork)
				for _, c := range []ast.Expr{f, t, x2} {
					if c != nil && cheaper(c, best) {
						best = c
					}
				}
			}
		}
		changed = changed || best != x
		return best
	})
	return out, changed
}

// softplusArgs lists the distinct arguments u of the softplus(u) in a
// sum, in the order they occur.
func softplusArgs(e ast.Expr) []ast.Expr {
	var out []ast.Expr
	seen := map[ast.Expr]bool{}
	ast.InspectOnce(e, func(x ast.Expr) bool {
		if c, ok := x.(*ast.Call); ok && c.Fn == "softplus" && len(c.Args) == 1 && !seen[c.Args[0]] {
			seen[c.Args[0]] = true
			out = append(out, c.Args[0])
		}
		return true
	})
	return out
}

func logSigma(u ast.Expr) ast.Expr { return ast.NewCall("log", ast.NewCall("sigma", u)) }

// minus is -u as a person writes it: z for -z, -z for z, 2*z for -2*z.
func minus(u ast.Expr) ast.Expr {
	switch x := u.(type) {
	case *ast.Neg:
		return x.X
	case *ast.Num:
		return ast.NewNum(x.Value.Neg())
	case *ast.Mul:
		if n, ok := x.Factors[0].(*ast.Num); ok {
			if n.Value.Equal(ast.Int(-1)) {
				return ast.NewMul(x.Factors[1:]...)
			}
			return ast.NewMul(append([]ast.Expr{ast.NewNum(n.Value.Neg())}, x.Factors[1:]...)...)
		}
	}
	return ast.NewNeg(u)
}

// replaceNode replaces every occurrence of the node old in e by by.
func replaceNode(e, old, by ast.Expr) ast.Expr {
	return ast.Map(e, func(x ast.Expr) ast.Expr {
		if x == old {
			return by
		}
		return x
	})
}

// hasCall reports whether e calls fn.
func hasCall(e ast.Expr, fn string) bool {
	if e.Size() <= maxReshape {
		return hasFn(e, fn) // a walk of the tree allocates nothing
	}
	found := false
	ast.InspectOnce(e, func(x ast.Expr) bool {
		if c, ok := x.(*ast.Call); ok && c.Fn == fn {
			found = true
		}
		return !found
	})
	return found
}
