package simplify

import (
	"math/big"
	"sync"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/rules"
)

// Rules that are named data like those of the rule files but are written
// in Go, because they compute something a pattern cannot: a closed form
// for a power sum, a multiple angle for any integer. They are rules.Rule
// values like the others, with Apply instead of a right side: traces and
// `symdiff rules list` name them, and `symdiff rules check` tests each on
// its examples.

var (
	RulePowerSum = &rules.Rule{Name: "power_sum", Kind: rules.Simplify, Root: "sum", Source: rules.Source{File: goFile},
		Doc:      "sum(i=a..b, i^k) in closed form (Faulhaber), k = 1..10: (S(b) - S(a-1))*[a <= b], no bracket where b >= a - 1",
		Examples: []string{"sum(i=1..n, i)", "sum(i=1..n, i^2)", "sum(i=1..n, i^5)", "sum(i=3..7, i^3)", "sum(i=1..n, i^10)"}}
	RuleSumOrder = &rules.Rule{Name: "sum_order", Kind: rules.Simplify, Root: "sum", Source: rules.Source{File: goFile},
		Doc:      "nested sums with independent ranges in a canonical order: sum(i, sum(j, f)) = sum(j, sum(i, f))",
		Examples: []string{"sum(i=1..n, sum(j=1..d, x[i,j]))", "sum(j=1..d, sum(i=1..n, x[i,j]))", "sum(i=1..n, sum(j=1..d, x[i,j]*v[j,i]))", "sum(j=1..d, sum(i=1..n, x[i,j]*v[j,i]))"}}
	RulePhiAsExp = &rules.Rule{Name: "phi_as_exp", Kind: rules.Basis, Root: "call phi", Source: rules.Source{File: goFile},
		Doc:      "phi(u) = phi(0)*exp(-u^2/2) for u other than 0",
		Examples: []string{"phi(x)", "phi(x + y)", "phi(2*x)"}}
	RuleSinMultiple = &rules.Rule{Name: "sin_multiple_angle", Kind: rules.Basis, Root: "call sin", Source: rules.Source{File: goFile},
		Doc:      "sin(k*u) = sin((k-1)*u)*cos(u) + cos((k-1)*u)*sin(u) for an integer k >= 2",
		Examples: []string{"sin(2*x)", "sin(3*x)", "sin(5*x*y)"}}
	RuleCosMultiple = &rules.Rule{Name: "cos_multiple_angle", Kind: rules.Basis, Root: "call cos", Source: rules.Source{File: goFile},
		Doc:      "cos(k*u) = cos((k-1)*u)*cos(u) - sin((k-1)*u)*sin(u) for an integer k >= 2",
		Examples: []string{"cos(2*x)", "cos(3*x)", "cos(4*x*y)"}}
)

// goFile is the source the rules written in Go name. Their literals spell
// rules.Source{File: goFile} rather than copy a variable, and call no
// function: the compiler then lays them out as data in the binary, and a
// program's start builds none of them (see TestInitBudget).
const goFile = "simplify (built in)"

// goRuleList returns the rewrite rules written in Go, their Apply set on
// first use rather than at initialisation: a command that simplifies
// nothing (print, eval) does not pay for it. Apply cannot be part of the
// literals, since the rules call back into the canonicaliser, which
// consults this list (an initialisation cycle).
func goRuleList() []*rules.Rule {
	goRules.once.Do(func() {
		RulePowerSum.Apply = withCanon(powerSum)
		RuleSumOrder.Apply = withCanon(sumOrder)
		RulePhiAsExp.Apply = withCanon(phiAsExp)
		RuleSinMultiple.Apply = withCanon(multipleAngle)
		RuleCosMultiple.Apply = withCanon(multipleAngle)
		l := []*rules.Rule{RulePowerSum, RuleSumOrder, RulePhiAsExp, RuleSinMultiple, RuleCosMultiple}
		l = append(l, kinkRules()...)
		l = append(l, piecewiseRules()...)
		l = append(l, trigPiRules()...)
		goRules.list = append(l, sqrtNumberRules()...)
	})
	return goRules.list
}

var goRules struct {
	once sync.Once
	list []*rules.Rule
}

// withCanon adapts a rule that needs the canonicaliser itself; any other
// Env (a checker's) gets a canonicaliser without rules.
func withCanon(f func(c *canon, e ast.Expr) (ast.Expr, bool)) func(rules.Env, ast.Expr) (ast.Expr, bool) {
	return func(env rules.Env, e ast.Expr) (ast.Expr, bool) {
		c, ok := env.(*canon)
		if !ok {
			c = plainCanon(expandNone)
		}
		return f(c, e)
	}
}

// Canonical returns the canonical form of e; it makes a canon an Env for
// the rules written in Go.
func (c *canon) Canonical(e ast.Expr) ast.Expr { return c.expr(e) }

// bernoulli are the numerators and denominators of B_0..B_10 with
// B_1 = +1/2, for Faulhaber's formula (numbers, not ast.Numbers, so that
// the table is data rather than made at start-up).
var bernoulli = [11][2]int64{{1, 1}, {1, 2}, {1, 6}, {0, 1}, {-1, 30}, {0, 1}, {1, 42}, {0, 1}, {-1, 30}, {0, 1}, {5, 66}}

// faulhaber returns sum(i=1..N, i^k) as an expression in N.
func faulhaber(k int, n ast.Expr) ast.Expr {
	var terms []ast.Expr
	for j := 0; j <= k; j++ {
		b := bernoulli[j]
		if b[0] == 0 {
			continue
		}
		binom := ast.FromBigInt(new(big.Int).Binomial(int64(k+1), int64(j)))
		coef := binom.Mul(ast.Frac(b[0], b[1]))
		coef, _ = coef.Quo(ast.Int(int64(k + 1)))
		terms = append(terms, ast.NewMul(ast.NewNum(coef), ast.NewPow(n, ast.NewInt(int64(k+1-j)))))
	}
	return ast.NewAdd(terms...)
}

func powerSum(c *canon, e ast.Expr) (ast.Expr, bool) {
	s := e.(*ast.Sum)
	k := -1
	switch b := s.Body.(type) {
	case *ast.Sym:
		if b.Name == s.Var {
			k = 1
		}
	case *ast.Pow:
		if v, ok := b.X.(*ast.Sym); ok && v.Name == s.Var {
			if n, ok := numOf(b.Y); ok && n.IsInt() {
				if kk, ok := n.Int64(); ok && kk >= 1 && kk <= 10 {
					k = int(kk)
				}
			}
		}
	}
	if k < 0 {
		return nil, false
	}
	// S(hi) - S(lo-1) is the sum only for hi >= lo - 1 (an empty sum is
	// 0, not S(hi) - S(lo-1), which need not be): it holds under the
	// condition [lo <= hi], which the ranges in scope may decide (at
	// hi = lo - 1 both are 0, but the bracket is strongly zero, as the
	// empty sum is where the body is undefined).
	cond := c.cond(s.Lo, s.Hi)
	if cond == ast.Zero {
		return ast.Zero, true
	}
	if cond != ast.One && c.le(c.add([]ast.Expr{s.Lo, ast.MinusOne}), s.Hi) == holds {
		// hi >= lo - 1 (sum(i=1..n-1, i) with n >= 1): where the range
		// is empty, hi = lo - 1 and S(hi) - S(lo-1) is 0, as the empty
		// sum is; the body, a power of the index, has a value
		// everywhere, so no bracket is needed for a strong zero either.
		cond = ast.One
	}
	hi := faulhaber(k, s.Hi)
	if ast.IsNum(s.Lo, 1) {
		return ast.NewMul(hi, cond), true
	}
	lo := faulhaber(k, ast.NewAdd(s.Lo, ast.MinusOne))
	return ast.NewMul(ast.NewAdd(hi, ast.NewNeg(lo)), cond), true
}

// sumOrder swaps two nested sums whose ranges do not depend on each other
// when the swapped form is smaller in the canonical order, so that the two
// orders of summation meet.
func sumOrder(c *canon, e ast.Expr) (ast.Expr, bool) {
	outer := e.(*ast.Sum)
	inner, ok := outer.Body.(*ast.Sum)
	if !ok {
		return nil, false
	}
	if ast.HasFree(inner.Lo, outer.Var) || ast.HasFree(inner.Hi, outer.Var) {
		return triangularOrder(c, outer, inner)
	}
	// sum(i=a..b, sum(j=c..d, f)) = sum(j=c..d, sum(i=a..b, f)); rename to
	// avoid capture first.
	iv, jv := outer.Var, inner.Var
	body := inner.Body
	taken := func(n string) bool {
		return ast.HasFree(body, n) || ast.HasFree(outer.Lo, n) || ast.HasFree(outer.Hi, n) || ast.HasFree(inner.Lo, n) || ast.HasFree(inner.Hi, n)
	}
	if ast.HasFree(outer.Lo, jv) || ast.HasFree(outer.Hi, jv) {
		nj := ast.Fresh(jv, func(n string) bool { return taken(n) || n == iv })
		body, jv = ast.Rename(body, jv, nj), nj
	}
	if c.ordering {
		return nil, false // already comparing orders further out
	}
	c.ordering = true
	swapped := c.expr(ast.NewSum(ast.OpSum, jv, inner.Lo, inner.Hi, ast.NewSum(ast.OpSum, iv, outer.Lo, outer.Hi, body)))
	c.ordering = false
	if Compare(swapped, e) < 0 {
		return swapped, true
	}
	return nil, false
}

// triangularOrder swaps sum(i=a..b, sum(j=lo(i)..hi(i), f)) whose inner
// bounds are i plus a constant or constant: j then runs over
// lo(a)..hi(b) and i over the i in a..b with lo(i) <= j <= hi(i), so
// sum(i=1..n, sum(j=1..i, f)) = sum(j=1..n, sum(i=j..n, f)). The swapped
// form is kept when it is smaller and every condition went into a range.
func triangularOrder(c *canon, outer, inner *ast.Sum) (ast.Expr, bool) {
	iv, jv := outer.Var, inner.Var
	if c.ordering || iv == jv {
		return nil, false
	}
	span := func(b ast.Expr, end ast.Expr) (ast.Expr, bool) {
		if !ast.HasFree(b, iv) {
			return b, true
		}
		coef, _, ok := linear(c.expr(b), iv)
		if !ok || coef.Cmp(ast.Int(1)) != 0 {
			return nil, false
		}
		return c.expr(ast.Subst(b, map[string]ast.Expr{iv: end})), true
	}
	jlo, ok1 := span(inner.Lo, outer.Lo)
	jhi, ok2 := span(inner.Hi, outer.Hi)
	if !ok1 || !ok2 || ast.HasFree(jlo, jv) || ast.HasFree(jhi, jv) || ast.HasFree(outer.Lo, jv) || ast.HasFree(outer.Hi, jv) {
		return nil, false
	}
	body := ast.NewMul(inner.Body, ast.NewIverson(inner.Lo, ast.NewSym(jv), inner.Hi))
	c.ordering = true
	swapped := c.expr(ast.NewSum(ast.OpSum, jv, jlo, jhi, ast.NewSum(ast.OpSum, iv, outer.Lo, outer.Hi, body)))
	c.ordering = false
	if ast.HasIverson(swapped) && !ast.HasIverson(outer) {
		return nil, false
	}
	if s, o := swapped.Size(), outer.Size(); s < o || s == o && Compare(swapped, outer) < 0 {
		return swapped, true
	}
	return nil, false
}

// multipleAngle expands sin(k*u) and cos(k*u) for integers k >= 2 one step.
func multipleAngle(c *canon, e ast.Expr) (ast.Expr, bool) {
	call := e.(*ast.Call)
	m, ok := call.Args[0].(*ast.Mul)
	if !ok {
		return nil, false
	}
	k, ok := numOf(m.Factors[0])
	if !ok || !k.IsInt() || k.Cmp(ast.Int(2)) < 0 || k.Cmp(ast.Int(64)) > 0 {
		return nil, false
	}
	u := ast.NewMul(m.Factors[1:]...)
	rest := ast.NewMul(ast.NewNum(k.Sub(ast.Int(1))), u)
	sin := func(x ast.Expr) ast.Expr { return ast.NewCall("sin", x) }
	cos := func(x ast.Expr) ast.Expr { return ast.NewCall("cos", x) }
	if call.Fn == "sin" {
		return ast.NewAdd(ast.NewMul(sin(rest), cos(u)), ast.NewMul(cos(rest), sin(u))), true
	}
	return ast.NewAdd(ast.NewMul(cos(rest), cos(u)), ast.NewNeg(ast.NewMul(sin(rest), sin(u)))), true
}

func phiAsExp(c *canon, e ast.Expr) (ast.Expr, bool) {
	u := e.(*ast.Call).Args[0]
	if u == ast.Zero {
		return nil, false
	}
	return ast.NewMul(ast.NewCall("phi", ast.Zero), ast.NewCall("exp", ast.NewNeg(ast.NewDiv(ast.NewPow(u, ast.Two), ast.Two)))), true
}
