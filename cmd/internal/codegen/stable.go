package codegen

import (
	"fmt"
	"slices"
	"sort"

	"github.com/symdiff/symdiff/ast"
)

// Rewrites for numerical stability. A loss written as the formula reads,
// y*log(sigma(z)) + (1 - y)*log(1 - sigma(z)), gives log(0) = -Inf in
// floating point once |z| passes about 37 (1 - sigma(z) rounds to 0) and
// NaN beyond; the same quantity written with softplus, which the generated
// code computes as max(u, 0) + log1p(exp(-|u|)), is exact to rounding for
// every z. Each rewrite is an identity of real numbers, so the code
// computes the loss the user wrote.

// A stabilizer rewrites an expression and remembers what it rewrote.
type stabilizer struct {
	made map[string]int // rewrite → times applied
}

// The rewrites, as the header comment of generated code lists them.
const (
	rwLogSigma    = "log(sigma(u)) -> -softplus(-u)"
	rwLogOneSigma = "log(1 - sigma(u)) -> -softplus(u)"
	rwLogOnePlus  = "log(1 + exp(u)) -> softplus(u)"
	rwLogExp      = "log(exp(u)) -> u"
	rwLogExpQuo   = "log(exp(u)/v) -> u - log(v)"
	rwLogSumExp   = "log(sum(m, exp(u))) -> M + log(sum(m, exp(u - M))) with M = max over m of u"
	rwSoftmax     = "exp(v)/sum(m, exp(u)) -> exp(v - M)/sum(m, exp(u - M)) with M = max over m of u"
	rwOnePhi      = "1 - Phi(u) -> Phi(-u)"
	rwPhiOne      = "Phi(u) - 1 -> -Phi(-u)"
	rwSoftmaxSum  = "sum(i, a*exp(u))/sum(m, exp(u)) -> sum(i, a*exp(u - M))/sum(m, exp(u - M)) with M = max over m of u"
	rwSoftmaxLin  = "N/sum(m, exp(u))^p -> N'/sum(m, exp(u - M))^p with M = max over m of u, for N homogeneous of degree p in the exp(u) (each term has p of them), N' the same with exp(u - M)"
	rwLogAddExp   = "log(exp(a) + exp(b)) -> max(a, b) + softplus(-abs(a - b))"
	rwExpShare    = "exp(v)/(exp(a) + exp(b) + ...) -> exp(v - M)/(exp(a - M) + exp(b - M) + ...) with M = max(a, b, ...); exp(a)/(exp(a) + exp(b)) -> sigma(a - b)"
	rwLogPhi      = "log(Phi(u)) -> lognormcdf(u), below u = -15 from Phi(u) = phi(u)/(-u)*(1 - 1/u^2 + 3/u^4 - ...)"
	rwMills       = "phi(u)/Phi(u) -> normmills(u), below u = -15 from -u/(1 - 1/u^2 + 3/u^4 - ...)"
	rwLogCosh     = "log(cosh(u)) -> softplus(2*u) - u - log(2)"
)

// logPhiFn and millsFn name log(Phi(u)) and phi(u)/Phi(u) computed
// without underflow: Phi(u) is below the smallest double from about
// u = -38.5 (and loses digits as a subnormal from -37.5), where
// log(Phi(u)) is a moderate number (about -u^2/2) and phi(u)/Phi(u) about
// -u. Functions of the generated code only, not of the language.
const (
	logPhiFn = "$logPhi"
	millsFn  = "$mills"
)

// maxFn names the reduction max(sum(m=lo..hi, u)), the largest u over the
// range: not a function of the language, only of the generated code.
const maxFn = "$max"

// maxOf returns the node for the largest u over a sum's range.
func maxOf(s *ast.Sum) ast.Expr { return ast.NewCall(maxFn, s) }

// isMax matches a max node and returns the sum it ranges over.
func isMax(e ast.Expr) (*ast.Sum, bool) {
	c, ok := e.(*ast.Call)
	if !ok || c.Fn != maxFn {
		return nil, false
	}
	return c.Args[0].(*ast.Sum), true
}

// sumOfExp matches sum(m=lo..hi, exp(u)), or mean(m=lo..hi, exp(u)):
// shifting its terms by exp(-M) scales a mean as it does a sum.
func sumOfExp(e ast.Expr) (*ast.Sum, ast.Expr, bool) {
	s, ok := e.(*ast.Sum)
	if !ok || (s.Op != ast.OpSum && s.Op != ast.OpMean) {
		return nil, nil, false
	}
	u, ok := call1(s.Body, "exp")
	return s, u, ok
}

// shifted returns sum(m, exp(u - M)) and M for sum(m, exp(u)) (a mean
// stays a mean).
func shifted(s *ast.Sum, u ast.Expr) (ast.Expr, ast.Expr) {
	m := maxOf(ast.NewSum(ast.OpSum, s.Var, s.Lo, s.Hi, u))
	return ast.NewSum(s.Op, s.Var, s.Lo, s.Hi, ast.NewCall("exp", ast.NewAdd(u, neg(m)))), m
}

// expAtIndex returns a matcher of exp(v) where v is the exponent u of the
// sum s with s's index renamed to a name not free in s (u at another
// index); it returns v.
func expAtIndex(s *ast.Sum, u ast.Expr) func(ast.Expr) (ast.Expr, bool) {
	return func(f ast.Expr) (ast.Expr, bool) {
		v, ok := call1(f, "exp")
		if !ok {
			return nil, false
		}
		for _, e := range ast.FreeNames(v) {
			if ast.HasFree(s, e) {
				continue
			}
			if ast.Rename(u, s.Var, e) == v {
				return v, true
			}
		}
		return nil, false
	}
}

// shiftSoftmax rewrites a quotient exp(v)/sum(m, exp(u)) where v is u at
// another index (the softmax), also when exp(v) is one factor of the
// numerator; ok is false when the quotient is not of that form.
func shiftSoftmax(q *ast.Div) (ast.Expr, bool) {
	s, u, ok := sumOfExp(q.Y)
	if !ok {
		return nil, false
	}
	if _, done := isMaxShifted(u); done {
		return nil, false
	}
	matches := expAtIndex(s, u)
	sum, m := shifted(s, u)
	if v, ok := matches(q.X); ok {
		return ast.NewDiv(ast.NewCall("exp", ast.NewAdd(v, neg(m))), sum), true
	}
	if mul, ok := q.X.(*ast.Mul); ok {
		for i, f := range mul.Factors {
			if v, ok := matches(f); ok {
				fs := append([]ast.Expr(nil), mul.Factors...)
				fs[i] = ast.NewCall("exp", ast.NewAdd(v, neg(m)))
				return ast.NewDiv(ast.NewMul(fs...), sum), true
			}
		}
	}
	return nil, false
}

// shiftSoftmaxSum rewrites a quotient sum(i, a*exp(u_i))/sum(m, exp(u_m))
// of a weighted sum of the denominator's exponentials (the gradient of a
// log-sum-exp, sum(i, X[i,k]*exp(z[i]))/sum(i, exp(z[i]))), shifting
// both by the largest u: unshifted, exp overflows to inf once a u passes
// about 709 and the quotient is NaN where the loss is finite. ok is false
// when the quotient is not of that form.
func shiftSoftmaxSum(q *ast.Div) (ast.Expr, bool) {
	s, u, ok := sumOfExp(q.Y)
	if !ok {
		return nil, false
	}
	if _, done := isMaxShifted(u); done {
		return nil, false
	}
	ns, ok := q.X.(*ast.Sum)
	if !ok || ns.Op != ast.OpSum {
		return nil, false
	}
	sum, m := shifted(s, u)
	if ast.HasFree(m, ns.Var) {
		return nil, false // M would read the numerator's index
	}
	want := ast.Rename(u, s.Var, ns.Var)
	shift := func(f ast.Expr) (ast.Expr, bool) {
		if v, ok := call1(f, "exp"); ok && v == want {
			return ast.NewCall("exp", ast.NewAdd(v, neg(m))), true
		}
		return nil, false
	}
	body, ok := shift(ns.Body)
	if mul, isMul := ns.Body.(*ast.Mul); !ok && isMul {
		for i, f := range mul.Factors {
			if r, hit := shift(f); hit {
				fs := append([]ast.Expr(nil), mul.Factors...)
				fs[i] = r
				body, ok = ast.NewMul(fs...), true
				break
			}
		}
	}
	if !ok {
		return nil, false
	}
	return ast.NewDiv(ast.NewSum(ast.OpSum, ns.Var, ns.Lo, ns.Hi, body), sum), true
}

// expTerms matches exp(u1) + exp(u2) + ..., two terms or more, and
// returns the u's.
func expTerms(e ast.Expr) ([]ast.Expr, bool) {
	a, ok := e.(*ast.Add)
	if !ok {
		return nil, false
	}
	us := make([]ast.Expr, len(a.Terms))
	for i, t := range a.Terms {
		if us[i], ok = call1(t, "exp"); !ok {
			return nil, false
		}
	}
	return us, true
}

// expShare rewrites a quotient c*exp(v)/(exp(u1) + ... + exp(un)), the
// share of one exponential in a written-out sum of them (the gradient of
// log(exp(a) + exp(b))), as c*exp(v - M)/(exp(u1 - M) + ... + exp(un - M))
// with M the largest u: unshifted, both sides overflow to inf once a u
// passes about 709 and the quotient is NaN (Python's math.exp raises);
// shifted, no exponential exceeds 1 and the denominator is at least 1.
// With two terms and v one of them it is c*sigma(v - other), which the
// generated code computes without overflow. ok is false when the quotient
// is not of that form.
func expShare(q *ast.Div) (ast.Expr, bool) {
	if n, ok := q.X.(*ast.Neg); ok {
		// -exp(v)/(exp(a) + exp(b) + ...), as d/db of log(exp(a)/(exp(a) +
		// exp(b))) reads: the share negated (it was left as written, NaN
		// where the exponentials overflow or underflow).
		r, ok := expShare(ast.NewDiv(n.X, q.Y))
		if !ok {
			return nil, false
		}
		return neg(r), true
	}
	us, ok := expTerms(q.Y)
	if !ok || slices.ContainsFunc(us, shiftedByMax) {
		return nil, false
	}
	var v ast.Expr
	var rest []ast.Expr
	if v, ok = call1(q.X, "exp"); !ok {
		mul, isMul := q.X.(*ast.Mul)
		if !isMul {
			return nil, false
		}
		for i, f := range mul.Factors {
			if u, hit := call1(f, "exp"); hit {
				if v != nil {
					return nil, false // two exponentials: not a share
				}
				v = u
				rest = append(append(rest, mul.Factors[:i]...), mul.Factors[i+1:]...)
			}
		}
		if v == nil {
			return nil, false
		}
	}
	c := ast.NewMul(rest...)
	if len(us) == 2 && (us[0] == v || us[1] == v) {
		other := us[0]
		if other == v {
			other = us[1]
		}
		s := ast.NewCall("sigma", ast.NewAdd(v, neg(other)))
		if len(rest) == 0 {
			return s, true
		}
		return ast.NewMul(c, s), true
	}
	m := ast.NewCall("max", us...)
	den := make([]ast.Expr, len(us))
	for i, u := range us {
		den[i] = ast.NewCall("exp", ast.NewAdd(u, neg(m)))
	}
	var num ast.Expr = ast.NewCall("exp", ast.NewAdd(v, neg(m)))
	if len(rest) > 0 {
		num = ast.NewMul(c, num)
	}
	return ast.NewDiv(num, ast.NewAdd(den...)), true
}

// shiftedByMax reports whether u is w - max(...), an exponent expShare
// has shifted already (apply makes two passes).
func shiftedByMax(u ast.Expr) bool {
	a, ok := u.(*ast.Add)
	if !ok {
		return false
	}
	return slices.ContainsFunc(a.Terms, func(t ast.Expr) bool {
		n, ok := t.(*ast.Neg)
		if !ok {
			return false
		}
		c, ok := n.X.(*ast.Call)
		return ok && c.Fn == "max"
	})
}

func (st *stabilizer) note(rw string) {
	if st.made == nil {
		st.made = map[string]int{}
	}
	st.made[rw]++
}

// rawNote is the header's honest note on the exp(u), cosh(u) and sinh(u)
// left as written: none of the rewrites above matched them, so they may
// overflow where the result they feed is finite. How they overflow is the
// language's: plain Python's math raises OverflowError, the others give
// Inf (and then NaN or Inf downstream).
func rawNote(n int, lang Lang) string {
	what := fmt.Sprintf("%d exp(u), cosh(u) or sinh(u) computed as written", n)
	if lang == Python {
		return "NOT rewritten: " + what + "; math.exp, math.cosh and math.sinh raise OverflowError once |u| passes about 710, where the math may be finite"
	}
	return "NOT rewritten: " + what + "; they overflow to Inf once |u| passes about 710 and the result may then be NaN or Inf where the math is finite"
}

// rawExps counts the exp(u), cosh(u) and sinh(u) calls in the loss,
// gradient and Hessian that no rewrite shifted by a max and whose argument
// is not a constant: each can overflow for large inputs (1/cosh(z)^2, the
// derivative of a tanh written with exps, is 0 in the math at z = 800).
func rawExps(p *problem) int {
	n := 0
	// Calls are counted at every place they occur, as the tree reads, but
	// each distinct node is looked at once: a node's count is memoised.
	memo := map[ast.Expr]int{}
	var places func(x ast.Expr) int
	places = func(x ast.Expr) int {
		if k, ok := memo[x]; ok {
			return k
		}
		k := 0
		if c, ok := x.(*ast.Call); ok && (c.Fn == "exp" || c.Fn == "cosh" || c.Fn == "sinh") && len(c.Args) == 1 {
			u := c.Args[0]
			if ast.HasFreeNames(u) && !shiftedByMax(u) {
				if _, ok := isMaxShifted(u); !ok {
					k = 1
				}
			}
		}
		for _, kid := range ast.Children(x) {
			k += places(kid)
		}
		memo[x] = k
		return k
	}
	count := func(e ast.Expr) {
		if e != nil {
			n += places(e)
		}
	}
	count(p.loss)
	for _, g := range p.grads {
		count(g)
	}
	for a := range p.hess {
		for b := a; b < len(p.hess[a]); b++ {
			count(p.hess[a][b])
		}
	}
	return n
}

// rwExpLogistic names the logistic written out: exp(u) overflows to Inf
// once u passes about 709, and Inf/Inf is NaN where sigma(u) is 1.
const rwExpLogistic = "exp(u)/(1 + exp(u)) -> sigma(u)"

// expOverOnePlus matches exp(u)/(1 + exp(u)).
func expOverOnePlus(q *ast.Div) (ast.Expr, bool) {
	u, ok := call1(q.X, "exp")
	if !ok {
		return nil, false
	}
	a, ok := q.Y.(*ast.Add)
	if !ok || len(a.Terms) != 2 {
		return nil, false
	}
	for k := 0; k < 2; k++ {
		if !ast.IsNum(a.Terms[k], 1) {
			continue
		}
		if v, ok := call1(a.Terms[1-k], "exp"); ok && u == v {
			return u, true
		}
	}
	return nil, false
}

// rwExpOneSigma names the logistic as the derivative of a softplus
// written out, log(1 + exp(u)), takes it in a sum: exp(u) overflows to
// Inf once u passes about 709, and Inf*0 is NaN where sigma(u) is 1.
const rwExpOneSigma = "exp(u)*(1 - sigma(u)) -> sigma(u)"

// expOneMinusSigma matches a product with the factors exp(u) and
// 1 - sigma(u) (= 1/(1 + exp(u))) and returns it with the two replaced
// by sigma(u).
func expOneMinusSigma(m *ast.Mul) (ast.Expr, bool) {
	for i, f := range m.Factors {
		u, ok := call1(f, "exp")
		if !ok {
			continue
		}
		for j, g := range m.Factors {
			a, ok := g.(*ast.Add)
			if j == i || !ok || len(a.Terms) != 2 {
				continue
			}
			match := false
			for k := 0; k < 2; k++ {
				if n, ok := a.Terms[1-k].(*ast.Neg); ok && ast.IsNum(a.Terms[k], 1) {
					if v, ok := call1(n.X, "sigma"); ok && v == u {
						match = true
					}
				}
			}
			if !match {
				continue
			}
			return mergeFactors(m.Factors, i, j, ast.NewCall("sigma", u)), true
		}
	}
	return nil, false
}

// report lists the rewrites made, with how often each was made.
func (st *stabilizer) report() []string {
	var out []string
	for rw, n := range st.made {
		times := "once"
		if n > 1 {
			times = fmt.Sprintf("%d times", n)
		}
		out = append(out, fmt.Sprintf("%s (%s)", rw, times))
	}
	sort.Strings(out)
	return out
}

// apply makes the rewrites everywhere in e, in two passes: the second
// takes the log(v) that log(exp(u)/v) leaves.
func (st *stabilizer) apply(e ast.Expr) ast.Expr {
	return st.pass(st.pass(e))
}

// divRewrites and mulRewrites are the rewrites of a quotient and of a
// product, in the order they are tried: the first that matches is made.
var divRewrites = []struct {
	rw    string
	apply func(*ast.Div) (ast.Expr, bool)
}{
	{rwExpShare, expShare},
	{rwSoftmax, shiftSoftmax},
	{rwSoftmaxSum, shiftSoftmaxSum},
	{rwSoftmaxLin, shiftLinear},
	{rwExpLogistic, func(q *ast.Div) (ast.Expr, bool) {
		u, ok := expOverOnePlus(q)
		if !ok {
			return nil, false
		}
		return ast.NewCall("sigma", u), true
	}},
	{rwMills, millsQuo},
	{rwOnePlusExp, onePlusExpQuo},
	{rwExpQuo, expQuo},
	{rwOneSigmaDen, oneSigmaDen},
	{rwHypotQuo, hypotQuo},
}

var mulRewrites = []struct {
	rw    string
	apply func(*ast.Mul) (ast.Expr, bool)
}{
	{rwMills, millsMul},
	{rwExpOneSigma, expOneMinusSigma},
	{rwHypotQuo, hypotMul},
}

func (st *stabilizer) pass(e ast.Expr) ast.Expr {
	return ast.Map(e, func(x ast.Expr) ast.Expr {
		if q, ok := x.(*ast.Div); ok {
			for _, w := range divRewrites {
				if r, ok := w.apply(q); ok {
					st.note(w.rw)
					return r
				}
			}
			return x
		}
		if m, ok := x.(*ast.Mul); ok {
			for _, w := range mulRewrites {
				if r, ok := w.apply(m); ok {
					st.note(w.rw)
					return r
				}
			}
			return x
		}
		if r, ok := hypotOf(x); ok {
			st.note(rwHypot)
			return r
		}
		if u, ok := onePhi(x); ok {
			// 1 - Phi(u) rounds to 0 once u passes about 8.3 (Phi(u) rounds
			// to 1), and the probit loss's log(1 - Phi(z)) is then -Inf;
			// Phi(-u) is the same number, computed without cancellation.
			st.note(rwOnePhi)
			return ast.NewCall("Phi", neg(u))
		}
		if u, ok := phiMinusOne(x); ok {
			// The same cancellation, in the gradient of log(1 - Phi(z)):
			// phi(z)/(Phi(z) - 1).
			st.note(rwPhiOne)
			return neg(ast.NewCall("Phi", neg(u)))
		}
		c, ok := x.(*ast.Call)
		if !ok || c.Fn != "log" {
			return x
		}
		arg := c.Args[0]
		if s, u, ok := sumOfExp(arg); ok {
			if _, already := isMaxShifted(u); !already {
				sum, m := shifted(s, u)
				st.note(rwLogSumExp)
				return ast.NewAdd(m, ast.NewCall("log", sum))
			}
		}
		if r, ok := logScaledSumExp(arg); ok {
			// log(sum(m, exp(u))/n), a mean's log-sum-exp as written
			// out: the same shift, the scale left as it is.
			st.note(rwLogSumExp)
			return r
		}
		if us, ok := expTerms(arg); ok {
			// exp(a) + exp(b) overflows once a passes about 709, and is 0
			// once both are below about -745, where the log is a moderate
			// number: log(e^a + e^b) = max(a, b) + log(1 + e^(-|a - b|)),
			// and softplus computes the second term without overflow; each
			// further term joins the same way. Led by the larger score, the
			// sum does not cancel: a + softplus(b - a) with a far below b
			// lost b (-1e17 + (1.5 + 1e17) is 0 in float64, not 1.5).
			st.note(rwLogAddExp)
			t := us[0]
			for _, u := range us[1:] {
				d := ast.NewAdd(u, neg(t))
				t = ast.NewAdd(ast.NewCall("max", t, u), ast.NewCall("softplus", neg(ast.NewCall("abs", d))))
			}
			return t
		}
		if u, ok := call1(arg, "Phi"); ok {
			st.note(rwLogPhi)
			return ast.NewCall(logPhiFn, u)
		}
		if u, ok := call1(arg, "cosh"); ok {
			// The log-cosh loss: cosh(u) overflows once |u| passes about
			// 710, where log(cosh(u)) is about |u| - log(2).
			st.note(rwLogCosh)
			return ast.NewAdd(ast.NewCall("softplus", ast.NewMul(ast.NewInt(2), u)), neg(u), neg(ast.NewCall("log", ast.NewInt(2))))
		}
		if u, ok := call1(arg, "sigma"); ok {
			st.note(rwLogSigma)
			return neg(ast.NewCall("softplus", neg(u)))
		}
		if u, ok := call1(arg, "exp"); ok {
			st.note(rwLogExp)
			return u
		}
		if q, ok := arg.(*ast.Div); ok {
			if u, ok := call1(q.X, "exp"); ok {
				st.note(rwLogExpQuo)
				return ast.NewAdd(u, neg(ast.NewCall("log", q.Y)))
			}
		}
		if a, ok := arg.(*ast.Add); ok && len(a.Terms) == 2 {
			for k := 0; k < 2; k++ {
				one, other := a.Terms[k], a.Terms[1-k]
				if !ast.IsNum(one, 1) {
					continue
				}
				if n, ok := other.(*ast.Neg); ok {
					if u, ok := call1(n.X, "sigma"); ok {
						st.note(rwLogOneSigma)
						return neg(ast.NewCall("softplus", u))
					}
				}
				if u, ok := call1(other, "exp"); ok {
					st.note(rwLogOnePlus)
					return ast.NewCall("softplus", u)
				}
			}
		}
		return x
	})
}

// call1 matches fn(u).
func call1(e ast.Expr, fn string) (ast.Expr, bool) {
	c, ok := e.(*ast.Call)
	if !ok || c.Fn != fn || len(c.Args) != 1 {
		return nil, false
	}
	return c.Args[0], true
}

// neg returns -x without double negations.
func neg(x ast.Expr) ast.Expr {
	if n, ok := x.(*ast.Neg); ok {
		return n.X
	}
	return ast.NewNeg(x)
}

// isNegated reports whether x is a negation or a negative number, and
// returns its opposite.
func isNegated(x ast.Expr) (ast.Expr, bool) {
	switch x := x.(type) {
	case *ast.Neg:
		return x.X, true
	case *ast.Num:
		if x.Value.Sign() < 0 {
			return ast.NewNum(x.Value.Neg()), true
		}
	}
	return nil, false
}

// tidySigns moves minus signs outwards, where they cost nothing and read
// better: y*(-a) is -(y*a), -a/b is -(a/b), a sum of negated terms is the
// negated sum, sum(i, -f) is -sum(i, f), and --a is a. Negation is exact in
// floating point, so these change no result.
func tidySigns(e ast.Expr) ast.Expr {
	return ast.Map(e, func(x ast.Expr) ast.Expr {
		switch x := x.(type) {
		case *ast.Neg:
			if y, ok := x.X.(*ast.Neg); ok {
				return y.X
			}
		case *ast.Mul:
			flips := 0
			fs := make([]ast.Expr, len(x.Factors))
			for i, f := range x.Factors {
				if g, ok := isNegated(f); ok {
					flips++
					f = g
				}
				fs[i] = f
			}
			if flips == 0 {
				return x
			}
			fs = dropOnes(fs)
			m := ast.NewMul(fs...)
			if flips%2 == 1 {
				return neg(m)
			}
			return m
		case *ast.Div:
			nx, a := isNegated(x.X)
			ny, b := isNegated(x.Y)
			if !a && !b {
				return x
			}
			if !a {
				nx = x.X
			}
			if !b {
				ny = x.Y
			}
			d := ast.Expr(ast.NewDiv(nx, ny))
			if a != b {
				return neg(d)
			}
			return d
		case *ast.Add:
			ts := make([]ast.Expr, len(x.Terms))
			for i, t := range x.Terms {
				g, ok := isNegated(t)
				if !ok {
					return x
				}
				ts[i] = g
			}
			return neg(ast.NewAdd(ts...))
		case *ast.Sum:
			if b, ok := x.Body.(*ast.Neg); ok {
				return neg(ast.NewSum(x.Op, x.Var, x.Lo, x.Hi, b.X))
			}
		}
		return x
	})
}

// dropOnes removes factors 1 from a product.
func dropOnes(fs []ast.Expr) []ast.Expr {
	out := fs[:0]
	for _, f := range fs {
		if !ast.IsNum(f, 1) {
			out = append(out, f)
		}
	}
	return out
}

// isMaxShifted reports whether u is already v - M.
func isMaxShifted(u ast.Expr) (ast.Expr, bool) {
	a, ok := u.(*ast.Add)
	if !ok || len(a.Terms) != 2 {
		return nil, false
	}
	if n, ok := a.Terms[1].(*ast.Neg); ok {
		if _, ok := isMax(n.X); ok {
			return a.Terms[0], true
		}
	}
	return nil, false
}

// onePhi matches 1 - Phi(u).
func onePhi(e ast.Expr) (ast.Expr, bool) {
	a, ok := e.(*ast.Add)
	if !ok || len(a.Terms) != 2 {
		return nil, false
	}
	for k := 0; k < 2; k++ {
		if !ast.IsNum(a.Terms[k], 1) {
			continue
		}
		if n, ok := a.Terms[1-k].(*ast.Neg); ok {
			if u, ok := call1(n.X, "Phi"); ok {
				return u, true
			}
		}
	}
	return nil, false
}

// millsQuo rewrites c*phi(v)/Phi(u) with v = ±u (phi is even) as
// c*mills(u): the gradient of log(Phi(u)), 0/0 in floating point once
// both underflow (u below about -38), where it is about -u. ok is false
// when the quotient is not of that form.
func millsQuo(q *ast.Div) (ast.Expr, bool) {
	if n, ok := q.Y.(*ast.Neg); ok {
		// c*phi(v)/(-Phi(u)), from phi(v)/(Phi(v) - 1).
		r, ok := millsQuo(ast.NewDiv(q.X, n.X))
		if !ok {
			return nil, false
		}
		return neg(r), true
	}
	u, ok := call1(q.Y, "Phi")
	if !ok {
		return nil, false
	}
	isPhi := func(f ast.Expr) bool {
		v, ok := call1(f, "phi")
		return ok && (v == u || v == neg(u) || neg(v) == u)
	}
	if isPhi(q.X) {
		return ast.NewCall(millsFn, u), true
	}
	mul, ok := q.X.(*ast.Mul)
	if !ok {
		return nil, false
	}
	for i, f := range mul.Factors {
		if isPhi(f) {
			fs := append(append([]ast.Expr(nil), mul.Factors[:i]...), mul.Factors[i+1:]...)
			return ast.NewMul(append(fs, ast.NewCall(millsFn, u))...), true
		}
	}
	return nil, false
}

// millsMul rewrites a product with the factors phi(v) and a sum of
// quotients c/Phi(±v), ±c/Phi(±v) (the probit gradient,
// phi(z)*((1 - y)/Phi(-z) - y/Phi(z))), by taking phi(v) into each
// quotient: c*mills(±v). ok is false when the product is not of that form.
func millsMul(m *ast.Mul) (ast.Expr, bool) {
	for i, f := range m.Factors {
		if _, ok := call1(f, "phi"); !ok {
			continue
		}
		for j, g := range m.Factors {
			a, ok := g.(*ast.Add)
			if !ok || j == i {
				continue
			}
			terms := make([]ast.Expr, len(a.Terms))
			for k, t := range a.Terms {
				n, negated := t.(*ast.Neg)
				if negated {
					t = n.X
				}
				q, ok := t.(*ast.Div)
				if !ok {
					break
				}
				r, ok := millsQuo(ast.NewDiv(ast.NewMul(q.X, f), q.Y))
				if !ok {
					break
				}
				if negated {
					r = neg(r)
				}
				terms[k] = r
			}
			if terms[len(terms)-1] == nil {
				continue
			}
			return mergeFactors(m.Factors, i, j, ast.NewAdd(terms...)), true
		}
	}
	return nil, false
}

// phiMinusOne matches Phi(u) - 1.
func phiMinusOne(e ast.Expr) (ast.Expr, bool) {
	a, ok := e.(*ast.Add)
	if !ok || len(a.Terms) != 2 {
		return nil, false
	}
	for k := 0; k < 2; k++ {
		if !ast.IsNum(a.Terms[k], -1) {
			continue
		}
		if u, ok := call1(a.Terms[1-k], "Phi"); ok {
			return u, true
		}
	}
	return nil, false
}

// shiftLinear rewrites N/sum(m, exp(u))^p where every term of N holds
// exactly p factors exp(u at some index) (N is homogeneous of degree p
// in them, p = 1 for the softmax cross-entropy's gradient,
// sum(i, y[i]*(sum(j, x[j,k]*exp(z[j])) - x[i,k]*sum(j, exp(z[j]))))/
// sum(j, exp(z[j]))): multiplying every exp(u) by exp(-M) leaves the
// quotient as it is, and keeps each exp at or below 1, where unshifted
// they overflow to inf once a u passes about 709 and the quotient is NaN.
// ok is false when N is not of that form.
func shiftLinear(q *ast.Div) (ast.Expr, bool) {
	// The denominator may be a power S^p of the sum (a Hessian's S^2),
	// the numerator then of degree p.
	den, p := q.Y, int64(1)
	if pw, ok := q.Y.(*ast.Pow); ok {
		if n, ok := pw.Y.(*ast.Num); ok {
			if k, ok := n.Value.Int64(); ok && n.Value.IsInt() && k >= 1 && k <= 8 {
				den, p = pw.X, k
			}
		}
	}
	s, u, ok := sumOfExp(den)
	if !ok {
		return nil, false
	}
	if _, done := isMaxShifted(u); done {
		return nil, false
	}
	sum, m := shifted(s, u)
	isExpU := expAtIndex(s, u)
	// degree is the degree of e in the exp(u), -1 when e is not a
	// polynomial in them with every term of one degree.
	var degree func(e ast.Expr) int
	degree = func(e ast.Expr) int {
		if _, ok := isExpU(e); ok {
			return 1
		}
		switch x := e.(type) {
		case *ast.Num, *ast.Sym:
			return 0
		case *ast.Index:
			return 0
		case *ast.Neg:
			return degree(x.X)
		case *ast.Add:
			d := degree(x.Terms[0])
			for _, t := range x.Terms[1:] {
				if degree(t) != d {
					return -1
				}
			}
			return d
		case *ast.Mul:
			d := 0
			for _, f := range x.Factors {
				k := degree(f)
				if k < 0 {
					return -1
				}
				d += k
			}
			return d
		case *ast.Sum:
			if x.Op != ast.OpSum || ast.HasFree(m, x.Var) || degree(x.Lo) != 0 || degree(x.Hi) != 0 {
				return -1
			}
			return degree(x.Body)
		case *ast.Div:
			if degree(x.Y) != 0 {
				return -1
			}
			return degree(x.X)
		}
		// Anything else (a call, a power) is of degree 0 only if no
		// exp(u) is inside it.
		found := false
		ast.InspectOnce(e, func(n ast.Expr) bool {
			if _, ok := isExpU(n); ok {
				found = true
			}
			return !found
		})
		if found {
			return -1
		}
		return 0
	}
	if int64(degree(q.X)) != p {
		return nil, false
	}
	num := ast.Map(q.X, func(x ast.Expr) ast.Expr {
		if v, ok := isExpU(x); ok {
			return ast.NewCall("exp", ast.NewAdd(v, neg(m)))
		}
		return x
	})
	if p > 1 {
		sum = ast.NewPow(sum, ast.NewInt(p))
	}
	return ast.NewDiv(num, sum), true
}

// logScaledSumExp rewrites the argument of log(S/c) or log(c*S), for S =
// sum(m, exp(u)) and c free of S's index, to M + log(S'/c) (M + log(c*S'))
// with S' = sum(m, exp(u - M)). ok is false for any other argument.
func logScaledSumExp(arg ast.Expr) (ast.Expr, bool) {
	shift := func(f ast.Expr) (ast.Expr, ast.Expr, bool) {
		s, u, ok := sumOfExp(f)
		if !ok {
			return nil, nil, false
		}
		if _, already := isMaxShifted(u); already {
			return nil, nil, false
		}
		sum, m := shifted(s, u)
		return sum, m, true
	}
	switch x := arg.(type) {
	case *ast.Div:
		if sum, m, ok := shift(x.X); ok && !hasExp(x.Y) {
			return ast.NewAdd(m, ast.NewCall("log", ast.NewDiv(sum, x.Y))), true
		}
	case *ast.Mul:
		for i, f := range x.Factors {
			sum, m, ok := shift(f)
			if !ok {
				continue
			}
			rest := slices.Delete(slices.Clone(x.Factors), i, i+1)
			if slices.ContainsFunc(rest, hasExp) {
				return nil, false
			}
			fs := append(rest, sum)
			return ast.NewAdd(m, ast.NewCall("log", ast.NewMul(fs...))), true
		}
	}
	return nil, false
}

// hasExp reports whether e calls exp anywhere.
func hasExp(e ast.Expr) bool {
	found := false
	ast.InspectOnce(e, func(n ast.Expr) bool {
		if c, ok := n.(*ast.Call); ok && c.Fn == "exp" {
			found = true
		}
		return !found
	})
	return found
}

// rwOnePlusExp and rwExpQuo name the quotients by an exponential that
// overflow where the quotient is moderate or 0: 1/(1 + exp(-x)) at
// x = -800 is exp(800) = Inf in the denominator (Python's math.exp raises
// OverflowError) where the value is sigma(-800), about 4e-348, and
// -2*x/exp(x^2), the derivative of exp(-x^2), is Inf in the denominator
// from |x| = 26.7 where the value is 0 or tiny. Both are written as
// products, exactly the same numbers in the math.
const (
	rwOnePlusExp = "a/(1 + exp(u)) -> a*sigma(-u)"
	rwExpQuo     = "a/exp(u) -> a*exp(-u), a/(exp(u)*w) -> a*exp(-u)/w"
)

// onePlusExpQuo rewrites a/(1 + exp(u)) as a*sigma(-u) (1 alone when a is
// 1): sigma is computed without overflow.
func onePlusExpQuo(q *ast.Div) (ast.Expr, bool) {
	a, ok := q.Y.(*ast.Add)
	if !ok || len(a.Terms) != 2 {
		return nil, false
	}
	for k := 0; k < 2; k++ {
		if !ast.IsNum(a.Terms[k], 1) {
			continue
		}
		if u, ok := call1(a.Terms[1-k], "exp"); ok {
			s := ast.NewCall("sigma", neg(u))
			if ast.IsNum(q.X, 1) {
				return s, true
			}
			return ast.NewMul(q.X, s), true
		}
	}
	return nil, false
}

// expQuo rewrites a/exp(u) as a*exp(-u), and a/(exp(u)*w) as
// a*exp(-u)/w: exp(-u) underflows to 0 where exp(u) overflows. An
// exponential among the factors of a takes the shift into its exponent:
// exp(x)/exp(2*x) is exp(x - 2*x), where exp(x)*exp(-2*x) would be
// Inf*0 = NaN at x = 800.
func expQuo(q *ast.Div) (ast.Expr, bool) {
	num := func(u ast.Expr) ast.Expr {
		if v, ok := call1(q.X, "exp"); ok {
			return ast.NewCall("exp", ast.NewAdd(v, neg(u)))
		}
		if m, ok := q.X.(*ast.Mul); ok {
			for i, f := range m.Factors {
				if v, ok := call1(f, "exp"); ok {
					fs := slices.Clone(m.Factors)
					fs[i] = ast.NewCall("exp", ast.NewAdd(v, neg(u)))
					return ast.NewMul(fs...)
				}
			}
		}
		e := ast.NewCall("exp", neg(u))
		if ast.IsNum(q.X, 1) {
			return e
		}
		return ast.NewMul(q.X, e)
	}
	if u, ok := call1(q.Y, "exp"); ok {
		return num(u), true
	}
	m, ok := q.Y.(*ast.Mul)
	if !ok {
		return nil, false
	}
	for i, f := range m.Factors {
		if u, ok := call1(f, "exp"); ok {
			rest := slices.Delete(slices.Clone(m.Factors), i, i+1)
			return ast.NewDiv(num(u), ast.NewMul(rest...)), true
		}
	}
	return nil, false
}

// mergeFactors is the product of fs with the factors i and j replaced by
// the one factor with, at j's place.
func mergeFactors(fs []ast.Expr, i, j int, with ast.Expr) ast.Expr {
	out := make([]ast.Expr, 0, len(fs)-1)
	for k, f := range fs {
		switch k {
		case i:
		case j:
			out = append(out, with)
		default:
			out = append(out, f)
		}
	}
	return ast.NewMul(out...)
}

// rwOneSigmaDen names 1 - sigma(u) in a denominator: it rounds to 0 once
// u passes about 37, and the quotient is Inf (Python raises
// ZeroDivisionError) where it is finite, as in 4*sigma(2*y)/(1 -
// sigma(2*y))^2, the gradient of sigma(-2*y)^-2. sigma(-u) is the same
// number without the cancellation.
const rwOneSigmaDen = "a/(1 - sigma(u)) -> a/sigma(-u), also as a factor or the base of a power of the denominator"

// oneSigmaDen rewrites 1 - sigma(u) as sigma(-u) where it is the
// denominator of q, a factor of it, or the base of a power there.
func oneSigmaDen(q *ast.Div) (ast.Expr, bool) {
	fix := func(f ast.Expr) (ast.Expr, bool) {
		base, p := f, ast.Expr(nil)
		if pw, ok := f.(*ast.Pow); ok {
			base, p = pw.X, pw.Y
		}
		a, ok := base.(*ast.Add)
		if !ok || len(a.Terms) != 2 {
			return nil, false
		}
		for k := 0; k < 2; k++ {
			n, ok := a.Terms[1-k].(*ast.Neg)
			if !ok || !ast.IsNum(a.Terms[k], 1) {
				continue
			}
			if u, ok := call1(n.X, "sigma"); ok {
				var r ast.Expr = ast.NewCall("sigma", neg(u))
				if p != nil {
					r = ast.NewPow(r, p)
				}
				return r, true
			}
		}
		return nil, false
	}
	if r, ok := fix(q.Y); ok {
		return ast.NewDiv(q.X, r), true
	}
	if m, ok := q.Y.(*ast.Mul); ok {
		for i, f := range m.Factors {
			if r, ok := fix(f); ok {
				fs := slices.Clone(m.Factors)
				fs[i] = r
				return ast.NewDiv(q.X, ast.NewMul(fs...)), true
			}
		}
	}
	return nil, false
}
