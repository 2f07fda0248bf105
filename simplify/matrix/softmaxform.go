package matrix

import (
	"slices"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/rules"
)

// The softmax in results. The derivative of softmax(u) comes back from
// index form as sum(exp(u))^-2*(sum(exp(u))*diag(exp(u)) - exp(u)*exp(u)'),
// times the derivative of u. Every exponential is the sum times the
// softmax, exp(u) = sum(exp(u))*softmax(u), so where the powers of the sum
// cancel the product is written through s = softmax(u):
// diag(s) - s*s', the Jacobian as MatrixCalculus.org writes it, with a
// factor common to every term on the right taken out. The entries of s
// sum to 1, so s'*ones(n) is 1, and the derivative of sum(softmax(X*w)),
// s*w' - s*s'*ones(n)*w', is zeros(n, d).

var (
	RuleSoftmaxForm = &rules.Rule{Name: "softmax_form", Kind: rules.Simplify, Source: matSource,
		Doc:  "the exponentials are written through the softmax they make, exp(u) = sum(exp(u))*softmax(u), where the sums cancel",
		Text: "sum(exp(u))^-2*(sum(exp(u))*diag(exp(u))*A - exp(u)*exp(u)'*A) -> (diag(s) - s*s')*A with s = softmax(u), and so for any product in which the powers of sum(exp(u)) cancel"}
	RuleSoftmaxSum = &rules.Rule{Name: "softmax_sum", Kind: rules.Simplify, Source: matSource,
		Doc:  "the entries of a softmax sum to 1",
		Text: "softmax(u)'*ones(n) -> 1, ones(n)'*softmax(u) -> 1, sum(softmax(u)) -> 1 for u of n entries"}
)

// softmaxForm writes x, a product or a quotient one of whose factors (or
// whose divisor) is S = sum(exp(u)) or a power of it, through softmax(u)
// when the powers of S cancel.
func (id *identities) softmaxForm(x ast.Expr, factors ...ast.Expr) (ast.Expr, bool) {
	for _, f := range factors {
		if p, ok := f.(*ast.Pow); ok {
			f = p.X
		}
		s, ok := isMat(f, ast.MatSumAll)
		if !ok {
			continue
		}
		exp, ok := s.Args[0].(*ast.Call)
		if !ok || exp.Fn != "exp" {
			continue
		}
		y, power, ok := throughSoftmax(x, s, exp)
		if !ok || power != 0 {
			continue
		}
		return id.factorRight(flipSign(y)), true
	}
	return nil, false
}

// flipSign writes -(a - b) as b - a and -c*(a - b) as c*(b - a), for a
// number c: -2*(s*s' - diag(s)) is 2*(diag(s) - s*s').
func flipSign(e ast.Expr) ast.Expr {
	flip := func(x ast.Expr) (ast.Expr, bool) {
		add, ok := x.(*ast.Add)
		if !ok || !slices.ContainsFunc(add.Terms, func(t ast.Expr) bool { _, neg := t.(*ast.Neg); return neg }) {
			return nil, false
		}
		return negation(add)
	}
	switch x := e.(type) {
	case *ast.Neg:
		if y, ok := flip(x.X); ok {
			return y
		}
	case *ast.Mul:
		n, ok := x.Factors[0].(*ast.Num)
		if !ok || n.Value.Sign() >= 0 {
			break
		}
		fs := slices.Clone(x.Factors)
		for i, f := range fs {
			if y, ok := flip(f); ok {
				fs[i] = y
				if c := n.Value.Neg(); c.Cmp(ast.Int(1)) == 0 {
					return ast.NewMul(slices.Delete(fs, 0, 1)...)
				}
				fs[0] = ast.NewNum(n.Value.Neg())
				return ast.NewMul(fs...)
			}
		}
	}
	return e
}

// throughSoftmax writes e with each exp(u) (the node exp) as S*softmax(u),
// S the node s = sum(exp(u)), and the powers of S multiplied out: it
// returns e without S and the power of S that e is that times. It fails
// where exp(u) stands other than in products, sums, transposes and
// diagonals, and where the terms of a sum have different powers.
func throughSoftmax(e ast.Expr, s *ast.MatOp, exp *ast.Call) (ast.Expr, int, bool) {
	if e == ast.Expr(s) {
		return ast.One, 1, true
	}
	if e == ast.Expr(exp) {
		return ast.NewMatOp(ast.MatSoftmax, exp.Args[0]), 1, true
	}
	if !contains(e, exp) {
		return e, 0, true
	}
	all := func(xs []ast.Expr) ([]ast.Expr, int, bool) {
		out := make([]ast.Expr, 0, len(xs))
		total := 0
		for _, x := range xs {
			y, p, ok := throughSoftmax(x, s, exp)
			if !ok {
				return nil, 0, false
			}
			if y != ast.One {
				out = append(out, y)
			}
			total += p
		}
		return out, total, true
	}
	switch x := e.(type) {
	case *ast.Pow:
		n, ok := x.Y.(*ast.Num)
		if !ok || x.X != ast.Expr(s) {
			return nil, 0, false
		}
		k, ok := n.Value.Int64()
		return ast.One, int(k), ok
	case *ast.Neg:
		y, p, ok := throughSoftmax(x.X, s, exp)
		return ast.NewNeg(y), p, ok
	case *ast.Mul:
		fs, p, ok := all(x.Factors)
		if !ok {
			return nil, 0, false
		}
		if len(fs) > 1 && ast.IsNum(fs[0], -1) {
			return ast.NewNeg(ast.NewMul(fs[1:]...)), p, true
		}
		return ast.NewMul(fs...), p, true
	case *ast.Add:
		ts := make([]ast.Expr, len(x.Terms))
		power := 0
		for i, t := range x.Terms {
			y, p, ok := throughSoftmax(t, s, exp)
			if !ok || (i > 0 && p != power) {
				return nil, 0, false
			}
			ts[i], power = y, p
		}
		return ast.NewAdd(ts...), power, true
	case *ast.Div:
		a, pa, ok1 := throughSoftmax(x.X, s, exp)
		b, pb, ok2 := throughSoftmax(x.Y, s, exp)
		if !ok1 || !ok2 {
			return nil, 0, false
		}
		if b == ast.One {
			return a, pa - pb, true
		}
		return ast.NewDiv(a, b), pa - pb, true
	case *ast.MatOp:
		switch x.Kind {
		case ast.MatMul, ast.MatHadamard:
			fs, p, ok := all(x.Args)
			if !ok || len(fs) < len(x.Args) && x.Kind == ast.MatHadamard {
				return nil, 0, false
			}
			if x.Kind == ast.MatMul {
				return ast.NewMatMul(fs...), p, true
			}
			return ast.NewMatOp(x.Kind, fs...), p, true
		case ast.MatTranspose, ast.MatDiag:
			y, p, ok := throughSoftmax(x.Args[0], s, exp)
			if !ok || y == ast.One {
				return nil, 0, false
			}
			if x.Kind == ast.MatTranspose {
				return ast.NewTranspose(y), p, true
			}
			return ast.NewMatOp(ast.MatDiag, y), p, true
		}
	}
	return nil, 0, false
}

// factorRight writes a sum whose terms are products with the same last
// factor, A*C - B*C, as (A - B)*C, and a first factor common to A and B
// outside too: the Jacobian of the softmax between the derivatives.
func (id *identities) factorRight(e ast.Expr) ast.Expr {
	switch x := e.(type) {
	case *ast.Mul:
		fs := make([]ast.Expr, len(x.Factors))
		for i, f := range x.Factors {
			fs[i] = id.factorRight(f)
		}
		return ast.NewMul(fs...)
	case *ast.Neg:
		return ast.NewNeg(id.factorRight(x.X))
	case *ast.MatOp:
		if x.Kind != ast.MatMul {
			return e
		}
		fs := make([]ast.Expr, len(x.Args))
		for i, f := range x.Args {
			fs[i] = id.factorRight(f)
		}
		return ast.NewMatMul(fs...)
	}
	add, ok := e.(*ast.Add)
	if !ok || len(add.Terms) < 2 {
		return e
	}
	var last ast.Expr
	heads := make([]ast.Expr, len(add.Terms))
	for i, t := range add.Terms {
		neg := false
		if n, ok := t.(*ast.Neg); ok {
			t, neg = n.X, true
		}
		m, ok := isMat(t, ast.MatMul)
		if !ok || len(m.Args) < 2 {
			return factorLeft(e)
		}
		c := m.Args[len(m.Args)-1]
		if i == 0 {
			last = c
		} else if c != last {
			return factorLeft(e)
		}
		heads[i] = ast.NewMatMul(m.Args[:len(m.Args)-1]...)
		if neg {
			heads[i] = ast.NewNeg(heads[i])
		}
	}
	// Only where the sum of the heads is a matrix of its own: a sum of
	// scalars times C (x'*a*C + x'*b*C) is left as it is.
	if !slices.ContainsFunc(heads, id.nonScalar) {
		return factorLeft(e)
	}
	return ast.NewMatMul(factorLeft(ast.NewAdd(heads...)), last)
}

// softmaxSum drops a softmax and a vector of ones that meet in a product,
// softmax(u)'*ones(n) or ones(n)'*softmax(u): their product is 1.
func softmaxSum(x *ast.MatOp) (ast.Expr, bool) {
	isSoftmaxT := func(e ast.Expr) bool {
		t, ok := isMat(e, ast.MatTranspose)
		if !ok {
			return false
		}
		_, ok = isMat(t.Args[0], ast.MatSoftmax)
		return ok
	}
	isOnes := func(e ast.Expr) bool {
		o, ok := isMat(e, ast.MatOnes)
		return ok && len(o.Args) == 1
	}
	isOnesT := func(e ast.Expr) bool {
		t, ok := isMat(e, ast.MatTranspose)
		return ok && isOnes(t.Args[0])
	}
	isSoftmax := func(e ast.Expr) bool {
		_, ok := isMat(e, ast.MatSoftmax)
		return ok
	}
	for i := 0; i+1 < len(x.Args); i++ {
		f, g := x.Args[i], x.Args[i+1]
		if (isSoftmaxT(f) && isOnes(g)) || (isOnesT(f) && isSoftmax(g)) {
			fs := slices.Concat(x.Args[:i], x.Args[i+2:])
			if len(fs) == 0 {
				return ast.One, true
			}
			return ast.NewMatMul(fs...), true
		}
	}
	return nil, false
}

// contains reports whether node occurs in e.
func contains(e, node ast.Expr) bool {
	found := false
	ast.InspectOnce(e, func(x ast.Expr) bool {
		if x == node {
			found = true
		}
		return !found
	})
	return found
}
