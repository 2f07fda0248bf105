package matrix

import (
	"context"
	"slices"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/ast/once"
	"github.com/symdiff/symdiff/ast/shape"
	"github.com/symdiff/symdiff/rules"
)

// Identities of matrix notation, applied to an expression as written and
// to a result translated back, so that results read as a person writes
// them: inv(inv(A)) is A, det(inv(A)) is 1/det(A), a product with eye(m)
// drops it, 0*M is zeros of M's shape, and S' is S for a symmetric S.
//
// The inverse of a transpose is written inv(A)', the transpose outside:
// the Matrix Cookbook's A^{-T}, printed A⁻ᵀ (Unicode) and A^{-\top}
// (LaTeX). With the transpose outside, inv(A) and inv(A') are one
// inverse, one atom in index form (atoms.go).

var matSource = rules.Source{File: "matrix (built in)"}

func inv(x ast.Expr) ast.Expr    { return ast.NewMatOp(ast.MatInv, x) }
func det(x ast.Expr) ast.Expr    { return ast.NewMatOp(ast.MatDet, x) }
func logdet(x ast.Expr) ast.Expr { return ast.NewMatOp(ast.MatLogDet, x) }

// The identities, each a named rule. The left and right sides of those
// that have them are made on first use, by patterns (the nodes of a
// command that meets no matrix are not built).
var (
	RuleInvInv = &rules.Rule{Name: "inv_inv", Kind: rules.Simplify, Source: matSource,
		Doc: "the inverse of the inverse is the matrix (where inv(A) is defined)"}
	RuleInvTranspose = &rules.Rule{Name: "inv_transpose", Kind: rules.Simplify, Source: matSource,
		Doc: "the inverse of the transpose is the transpose of the inverse, A⁻ᵀ"}
	RuleDetTranspose = &rules.Rule{Name: "det_transpose", Kind: rules.Simplify, Source: matSource,
		Doc: "a matrix and its transpose have the same determinant"}
	RuleLogDetTranspose = &rules.Rule{Name: "logdet_transpose", Kind: rules.Simplify, Source: matSource,
		Doc: "a matrix and its transpose have the same log-determinant"}
	RuleDetInv = &rules.Rule{Name: "det_inv", Kind: rules.Simplify, Source: matSource,
		Doc: "the determinant of the inverse is the reciprocal of the determinant"}
	RuleLogDetInv = &rules.Rule{Name: "logdet_inv", Kind: rules.Simplify, Source: matSource,
		Doc: "the log-determinant of the inverse is minus the log-determinant"}
	RuleEyeProduct = &rules.Rule{Name: "eye_product", Kind: rules.Simplify, Source: matSource,
		Doc: "the identity drops out of a matrix product", Text: "A*eye(m) -> A and eye(m)*A -> A"}
	RuleInvCancel = &rules.Rule{Name: "inv_cancel", Kind: rules.Simplify, Source: matSource,
		Doc: "a matrix times its inverse is the identity (where the inverse is defined: A invertible)", Text: "inv(A)*A -> eye(m) and A*inv(A) -> eye(m) for A m×m, invertible"}
	RuleInvTransposeCancel = &rules.Rule{Name: "inv_transpose_cancel", Kind: rules.Simplify, Source: matSource,
		Doc: "a transposed matrix times its transposed inverse is the identity, the transpose of A*inv(A) (where the inverse is defined: A invertible)", Text: "A'*inv(A)' -> eye(m) and inv(A)'*A' -> eye(m) for A m×m, invertible"}
	RuleZeroMatrix = &rules.Rule{Name: "zero_matrix", Kind: rules.Simplify, Source: matSource,
		Doc: "a matrix times 0 is the zero matrix, which drops out of sums and absorbs products", Text: "0*M -> zeros(m, n) for M of m×n; zeros(m, n)*B -> zeros(m, p); A + zeros(m, n) -> A for a matrix A (next to scalars alone the zero matrix stays: it broadcasts them); zeros(m, n)' -> zeros(n, m)"}
	RuleSymmetric = &rules.Rule{Name: "symmetric_transpose", Kind: rules.Simplify, Source: matSource,
		Doc: "a symmetric matrix is its own transpose", Text: "S' -> S for S declared symmetric(n), and for inv(S), eye(n), diag(v), X'*X, X'*S*X, u*u' and sums and multiples of symmetric matrices"}
	RuleLikeTerms = &rules.Rule{Name: "matrix_like_terms", Kind: rules.Simplify, Source: matSource,
		Doc: "equal matrix terms are collected", Text: "A + A -> 2*A, a*A + b*A -> (a + b)*A for numbers a and b"}
	RuleScalarOut = &rules.Rule{Name: "matrix_scalar_out", Kind: rules.Simplify, Source: matSource,
		Doc: "scalar factors and signs stand in front of a matrix product, their numbers multiplied out", Text: "A*(c*B) -> c*(A*B), A*(-B) -> -(A*B), -(-M) -> M, a*(b*M) -> (a*b)*M and (a*M)/b -> (a/b)*M for numbers a and b"}
	RuleOuterSign = &rules.Rule{Name: "outer_sign", Kind: rules.Simplify, Source: matSource,
		Doc: "a difference and its negation in one product are written the same way round", Text: "(b - a)*(a - b)' -> -((a - b)*(a - b)'), and so for any product in which a factor and a transposed factor are each other's negations; (b - a)*(b - a)' -> (a - b)*(a - b)' when the input writes a - b"}
	RuleScalarTranspose = &rules.Rule{Name: "scalar_transpose", Kind: rules.Simplify, Source: matSource,
		Doc: "a product that is a single number is its own transpose; it is written the way round the input writes it, else with the fewer transposes", Text: "x'*A'*y -> y'*A*x"}
	RuleTransposeOrder = &rules.Rule{Name: "transpose_order", Kind: rules.Simplify, Source: matSource,
		Doc: "in a sum, a matrix is written before its transpose", Text: "A' + A -> A + A'"}
	// The product rules, applied by prove only: a simplified or derived
	// result keeps the inverse or determinant the way the input writes it.
	RuleInvProduct = &rules.Rule{Name: "inv_product", Kind: rules.Simplify, Source: matSource,
		Doc: "the inverse of a product of square matrices is the product of the inverses in reverse order (where they are defined)", Text: "inv(A*B) -> inv(B)*inv(A) for square A and B"}
	RuleDetProduct = &rules.Rule{Name: "det_product", Kind: rules.Simplify, Source: matSource,
		Doc: "the determinant of a product of square matrices is the product of the determinants", Text: "det(A*B) -> det(A)*det(B) for square A and B"}
	RuleDetScale = &rules.Rule{Name: "det_scale", Kind: rules.Simplify, Source: matSource,
		Doc: "scaling an m×m matrix by c scales its determinant by c^m", Text: "det(c*A) -> c^m*det(A) for a scalar c and an m×m matrix A"}
	RuleInvScale = &rules.Rule{Name: "inv_scale", Kind: rules.Simplify, Source: matSource,
		Doc: "the inverse of a multiple is the inverse divided by the scalar (where c is not 0)", Text: "inv(c*A) -> inv(A)/c for a scalar c"}
	// PassIdentities is the step that applies the identities.
	PassIdentities = &rules.Rule{Name: "matrix_identities", Kind: rules.Pass, Source: matSource,
		Doc: "write in matrix notation as a person does", Text: "inv_inv, inv_transpose, det_transpose, logdet_transpose, det_inv, logdet_inv, inv_cancel, inv_transpose_cancel, softmax_form, softmax_sum, eye_product, zero_matrix, symmetric_transpose, matrix_like_terms, matrix_scalar_out, outer_sign, scalar_transpose and transpose_order, to a fixed point"}
)

// patterns sets the sides of the identities that have them, once; every
// way out of the package that hands out these rules (identityRules, the
// steps of Identities and proofIdentities) calls it first. (A sync.Once,
// not a sync.OnceFunc: that is a call at every start.)
func patterns() { patternsOnce.Do(setPatterns) }

var patternsOnce once.Once

func setPatterns() {
	a := ast.NewSym("A")
	for _, r := range []struct {
		rule     *rules.Rule
		lhs, rhs ast.Expr
	}{
		{RuleInvInv, inv(inv(a)), a},
		{RuleInvTranspose, inv(ast.NewTranspose(a)), ast.NewTranspose(inv(a))},
		{RuleDetTranspose, det(ast.NewTranspose(a)), det(a)},
		{RuleLogDetTranspose, logdet(ast.NewTranspose(a)), logdet(a)},
		{RuleDetInv, det(inv(a)), ast.NewDiv(ast.One, det(a))},
		{RuleLogDetInv, logdet(inv(a)), ast.NewNeg(logdet(a))},
	} {
		r.rule.LHS, r.rule.RHS = r.lhs, r.rhs
	}
}

func identityRules() []*rules.Rule {
	patterns()
	return []*rules.Rule{RuleInvInv, RuleInvTranspose, RuleDetTranspose, RuleLogDetTranspose, RuleDetInv, RuleLogDetInv,
		RuleInvCancel, RuleInvTransposeCancel, RuleSoftmaxForm, RuleSoftmaxSum, RuleEyeProduct, RuleZeroMatrix, RuleSymmetric, RuleLikeTerms, RuleScalarOut, RuleOuterSign, PassIdentities, RuleSymmetricGradient,
		RuleInvProduct, RuleDetProduct, RuleDetScale, RuleInvScale, RuleScalarTranspose, RuleTransposeOrder}
}

// maxIdentitySteps bounds the identities applied to one expression.
const maxIdentitySteps = 1000

// identities applies the matrix identities to e bottom up, to a fixed
// point; the step it returns (nil when nothing applied) holds a sub-step
// per application.
type identities struct {
	ctx  context.Context
	env  *shape.Env
	like []ast.Expr // the differences of the input, the way round it writes them
	// written holds the products of the input that are single numbers,
	// the way round it writes them.
	written map[ast.Expr]bool
	steps   []rules.Step
	memo    map[ast.Expr]ast.Expr
	sym     map[ast.Expr]bool // symmetric, memoised
	// products applies the product rules (inv_product, det_product,
	// det_scale, inv_scale): set for the sides of a proof.
	products bool
}

// Identities rewrites e with the matrix identities under the
// declarations in env, returning the result and its step (Rule nil when
// nothing changed).
func Identities(ctx context.Context, e ast.Expr, env *shape.Env) (ast.Expr, rules.Step) {
	return identitiesLike(ctx, e, env, nil)
}

// identitiesLike is Identities, writing a difference the way round the
// input writes it: (x - mu)*(x - mu)' rather than (mu - x)*(mu - x)' for
// an input with x - mu.
func identitiesLike(ctx context.Context, e ast.Expr, env *shape.Env, input ast.Expr) (ast.Expr, rules.Step) {
	patterns() // the steps hand out the rules
	id := &identities{ctx: ctx, env: env, memo: map[ast.Expr]ast.Expr{}}
	if input != nil {
		ast.InspectOnce(input, func(x ast.Expr) bool {
			if a, ok := x.(*ast.Add); ok && id.nonScalar(a) {
				id.like = append(id.like, a)
			}
			if m, ok := isMat(x, ast.MatMul); ok {
				if id.written == nil {
					id.written = map[ast.Expr]bool{}
				}
				id.written[m] = true
			}
			return true
		})
	}
	out := id.rewrite(e)
	if out == e || len(id.steps) == 0 {
		return e, rules.Step{}
	}
	return out, rules.Step{Rule: PassIdentities, Before: e, After: out, Sub: id.steps}
}

// proofIdentities is Identities with the product rules as well: the
// sides of a proof, where det(A*B) is to meet det(A)*det(B).
func proofIdentities(ctx context.Context, e ast.Expr, env *shape.Env) (ast.Expr, rules.Step) {
	patterns() // the steps hand out the rules
	id := &identities{ctx: ctx, env: env, memo: map[ast.Expr]ast.Expr{}, products: true}
	out := id.rewrite(e)
	if out == e || len(id.steps) == 0 {
		return e, rules.Step{}
	}
	return out, rules.Step{Rule: PassIdentities, Before: e, After: out, Sub: id.steps}
}

// square reports whether e is a square matrix (a number of rows that is
// the number of columns, 1×1 excluded).
func (id *identities) square(e ast.Expr) bool {
	s, ok := id.shapeOf(e)
	return ok && !s.IsScalar() && s.Rows == s.Cols
}

// products applies the product rules at the root of x, an inv, det or
// logdet.
func (id *identities) product(x *ast.MatOp) (ast.Expr, *rules.Rule) {
	if !id.products || (x.Kind != ast.MatInv && x.Kind != ast.MatDet) {
		return nil, nil
	}
	arg := x.Args[0]
	if m, ok := isMat(arg, ast.MatMul); ok && len(m.Args) > 1 {
		for _, f := range m.Args {
			if !id.square(f) {
				return nil, nil
			}
		}
		if x.Kind == ast.MatDet {
			fs := make([]ast.Expr, len(m.Args))
			for i, f := range m.Args {
				fs[i] = det(f)
			}
			return ast.NewMul(fs...), RuleDetProduct
		}
		fs := make([]ast.Expr, len(m.Args))
		for i, f := range m.Args {
			fs[len(fs)-1-i] = inv(f)
		}
		return ast.NewMatMul(fs...), RuleInvProduct
	}
	if m, ok := arg.(*ast.Mul); ok {
		var coef, rest []ast.Expr
		for _, f := range m.Factors {
			if id.nonScalar(f) {
				rest = append(rest, f)
			} else {
				coef = append(coef, f)
			}
		}
		if len(rest) != 1 || len(coef) == 0 || !id.square(rest[0]) {
			return nil, nil
		}
		c := ast.NewMul(coef...)
		if x.Kind == ast.MatDet {
			s, _ := id.shapeOf(rest[0])
			return ast.NewMul(ast.NewPow(c, s.Rows), det(rest[0])), RuleDetScale
		}
		return ast.NewDiv(inv(rest[0]), c), RuleInvScale
	}
	return nil, nil
}

func (id *identities) rewrite(e ast.Expr) ast.Expr {
	if r, ok := id.memo[e]; ok {
		return r
	}
	x := e
	if _, ok := e.(*ast.Sum); !ok { // index form is the simplifier's business
		kids := ast.Children(e)
		if len(kids) > 0 {
			nk := make([]ast.Expr, len(kids))
			changed := false
			for i, k := range kids {
				nk[i] = id.rewrite(k)
				changed = changed || nk[i] != k
			}
			if changed {
				x = ast.WithChildren(e, nk)
			}
		}
	}
	for len(id.steps) < maxIdentitySteps && id.ctx.Err() == nil {
		y, rule := id.apply(x)
		if rule == nil {
			break
		}
		id.steps = append(id.steps, rules.Step{Rule: rule, Before: x, After: y, Uses: invertibleUses(x, y)})
		x = id.rewrite(y)
	}
	id.memo[e] = x
	return x
}

// shapeOf is the shape of e, or nil's scalar shape when it has none.
func (id *identities) shapeOf(e ast.Expr) (ast.Shape, bool) {
	s, err := id.env.Of(e)
	return s, err == nil
}

// nonScalar reports whether e has a shape other than 1×1.
func (id *identities) nonScalar(e ast.Expr) bool {
	s, ok := id.shapeOf(e)
	return ok && !s.IsScalar()
}

// zeros returns the zero vector or matrix of shape s.
func zerosOf(s ast.Shape) ast.Expr {
	switch {
	case s.IsVector():
		return ast.NewMatOp(ast.MatZeros, s.Rows)
	case s.IsRow():
		return ast.NewTranspose(ast.NewMatOp(ast.MatZeros, s.Cols))
	}
	return ast.NewMatOp(ast.MatZeros, s.Rows, s.Cols)
}

func isMat(e ast.Expr, k ast.MatKind) (*ast.MatOp, bool) {
	m, ok := e.(*ast.MatOp)
	if ok && m.Kind == k {
		return m, true
	}
	return nil, false
}

// isZeros reports whether e is zeros(...) or its transpose.
func isZeros(e ast.Expr) bool {
	if t, ok := isMat(e, ast.MatTranspose); ok {
		e = t.Args[0]
	}
	_, ok := isMat(e, ast.MatZeros)
	return ok
}

// apply applies the first identity that applies at the root of e.
func (id *identities) apply(e ast.Expr) (ast.Expr, *rules.Rule) {
	switch x := e.(type) {
	case *ast.MatOp:
		if y, rule := id.product(x); rule != nil {
			return y, rule
		}
		switch x.Kind {
		case ast.MatInv:
			if in, ok := isMat(x.Args[0], ast.MatInv); ok {
				return in.Args[0], RuleInvInv
			}
			if tr, ok := isMat(x.Args[0], ast.MatTranspose); ok {
				return ast.NewTranspose(inv(tr.Args[0])), RuleInvTranspose
			}
		case ast.MatDet, ast.MatLogDet:
			if tr, ok := isMat(x.Args[0], ast.MatTranspose); ok {
				if x.Kind == ast.MatDet {
					return det(tr.Args[0]), RuleDetTranspose
				}
				return logdet(tr.Args[0]), RuleLogDetTranspose
			}
			if in, ok := isMat(x.Args[0], ast.MatInv); ok {
				if x.Kind == ast.MatDet {
					return ast.NewDiv(ast.One, det(in.Args[0])), RuleDetInv
				}
				return ast.NewNeg(logdet(in.Args[0])), RuleLogDetInv
			}
		case ast.MatTranspose:
			if isZeros(x.Args[0]) {
				if s, ok := id.shapeOf(e); ok {
					return zerosOf(s), RuleZeroMatrix
				}
			}
			if id.symmetric(x.Args[0]) {
				return x.Args[0], RuleSymmetric
			}
		case ast.MatMul:
			if slices.ContainsFunc(x.Args, isZeros) {
				if s, ok := id.shapeOf(e); ok && !s.IsScalar() {
					return zerosOf(s), RuleZeroMatrix
				}
			}
			if y, rule := id.invCancel(x); rule != nil {
				return y, rule
			}
			if y, ok := softmaxSum(x); ok {
				return y, RuleSoftmaxSum
			}
			var keep []ast.Expr
			for _, f := range x.Args {
				if _, ok := isMat(f, ast.MatEye); !ok {
					keep = append(keep, f)
				}
			}
			if len(keep) < len(x.Args) {
				if len(keep) == 0 {
					keep = x.Args[:1] // eye(m)*eye(m)
				}
				return ast.NewMatMul(keep...), RuleEyeProduct
			}
			if y, ok := id.scalarOut(x); ok {
				return y, RuleScalarOut
			}
			if y, ok := outerSign(x); ok {
				return y, RuleOuterSign
			}
			if y, ok := id.outerAsWritten(x); ok {
				return y, RuleOuterSign
			}
			if y, ok := id.scalarFlip(x); ok {
				return y, RuleScalarTranspose
			}
		case ast.MatSumAll:
			if _, ok := isMat(x.Args[0], ast.MatSoftmax); ok {
				return ast.One, RuleSoftmaxSum
			}
		case ast.MatHadamard:
			if isZeros(x.Args[0]) || isZeros(x.Args[1]) {
				if s, ok := id.shapeOf(e); ok {
					return zerosOf(s), RuleZeroMatrix
				}
			}
		}
	case *ast.Mul:
		if y, ok := id.softmaxForm(x, x.Factors...); ok {
			return y, RuleSoftmaxForm
		}
		if !id.nonScalar(e) {
			break
		}
		for _, f := range x.Factors {
			if ast.IsNum(f, 0) || isZeros(f) {
				s, _ := id.shapeOf(e)
				return zerosOf(s), RuleZeroMatrix
			}
		}
		if y, ok := mergeNumbers(x); ok {
			return y, RuleScalarOut
		}
	case *ast.Neg:
		if isZeros(x.X) {
			return x.X, RuleZeroMatrix
		}
		if n, ok := x.X.(*ast.Neg); ok && id.nonScalar(e) {
			return n.X, RuleScalarOut
		}
	case *ast.Div:
		if y, ok := id.softmaxForm(x, x.Y); ok {
			return y, RuleSoftmaxForm
		}
		if isZeros(x.X) && !id.nonScalar(x.Y) {
			return x.X, RuleZeroMatrix
		}
		if y, ok := divideNumbers(x); ok && id.nonScalar(x.X) {
			return y, RuleScalarOut
		}
	case *ast.Add:
		if !id.nonScalar(e) {
			break
		}
		var keep []ast.Expr
		var zero ast.Expr
		for _, t := range x.Terms {
			if !isZeros(t) {
				keep = append(keep, t)
			} else if zero == nil {
				zero = t
			}
		}
		if zero != nil && !slices.ContainsFunc(keep, id.nonScalar) {
			// One zero matrix stays when only scalars are left: it is
			// what broadcasts them (zeros(d) + lam is d entries lam,
			// and sum(zeros(d) + lam) is d*lam, not lam).
			keep = append(keep, zero)
		}
		if len(keep) < len(x.Terms) {
			return ast.NewAdd(keep...), RuleZeroMatrix
		}
		if y, ok := id.likeTerms(x); ok {
			return y, RuleLikeTerms
		}
		if y, ok := transposeOrder(x); ok {
			return y, RuleTransposeOrder
		}
	}
	return nil, nil
}

// invCancel replaces the first pair of neighbours in a product that are a
// matrix and its inverse, inv(A)*A or A*inv(A), or the transposes of such
// a pair, A'*inv(A)' or inv(A)'*A' (= (inv(A)*A)'), by eye(m); eye_product
// then drops it. The product is defined only where inv(A) is, so the
// identity holds wherever the input has a value.
func (id *identities) invCancel(x *ast.MatOp) (ast.Expr, *rules.Rule) {
	if slices.ContainsFunc(x.Args, func(f ast.Expr) bool { _, ok := isMat(f, ast.MatMul); return ok }) {
		if f, ok := isMat(ast.NewMatMul(x.Args...), ast.MatMul); ok {
			x = f // a product rewritten inside a product (inv_product) is flattened
		}
	}
	// inverseOf reports whether g is inv(f), and whether through transposes
	// (f = A', g = inv(A)').
	inverseOf := func(f, g ast.Expr) (bool, bool) {
		if in, ok := isMat(g, ast.MatInv); ok && in.Args[0] == f {
			return true, false
		}
		tf, ok1 := isMat(f, ast.MatTranspose)
		tg, ok2 := isMat(g, ast.MatTranspose)
		if !ok1 || !ok2 {
			return false, false
		}
		in, ok := isMat(tg.Args[0], ast.MatInv)
		return ok && in.Args[0] == tf.Args[0], true
	}
	// inv(M) next to the factors of a product M, inv(X'*X)*X'*X: the
	// product flattens M into the factors around it.
	for i, f := range x.Args {
		in, ok := isMat(f, ast.MatInv)
		if !ok {
			continue
		}
		m, ok := isMat(in.Args[0], ast.MatMul)
		if !ok {
			continue
		}
		s, known := id.shapeOf(in.Args[0])
		if !known || s.IsScalar() || s.Rows != s.Cols {
			continue
		}
		k := len(m.Args)
		eye := []ast.Expr{ast.NewMatOp(ast.MatEye, s.Rows)}
		if i+k < len(x.Args) && slices.Equal(x.Args[i+1:i+1+k], m.Args) {
			return ast.NewMatMul(slices.Concat(x.Args[:i], eye, x.Args[i+1+k:])...), RuleInvCancel
		}
		if i-k >= 0 && slices.Equal(x.Args[i-k:i], m.Args) {
			return ast.NewMatMul(slices.Concat(x.Args[:i-k], eye, x.Args[i+1:])...), RuleInvCancel
		}
	}
	for i := 0; i+1 < len(x.Args); i++ {
		f, g := x.Args[i], x.Args[i+1]
		ok, tr := inverseOf(f, g)
		if !ok {
			ok, tr = inverseOf(g, f)
		}
		if !ok {
			continue
		}
		s, known := id.shapeOf(f)
		if !known || s.IsScalar() || s.Rows != s.Cols {
			continue
		}
		fs := slices.Concat(x.Args[:i], []ast.Expr{ast.NewMatOp(ast.MatEye, s.Rows)}, x.Args[i+2:])
		if tr {
			return ast.NewMatMul(fs...), RuleInvTransposeCancel
		}
		return ast.NewMatMul(fs...), RuleInvCancel
	}
	return nil, nil
}

// likeTerms collects equal matrix terms with numeric coefficients.
func (id *identities) likeTerms(x *ast.Add) (ast.Expr, bool) {
	type coef struct {
		base ast.Expr
		c    ast.Number
	}
	var out []*coef
	at := map[ast.Expr]*coef{}
	repeated := false
	for _, t := range x.Terms {
		c, base := ast.Int(1), t
		if n, ok := t.(*ast.Neg); ok {
			c, base = ast.Int(-1), n.X
		}
		if m, ok := base.(*ast.Mul); ok && len(m.Factors) >= 2 {
			if num, ok := m.Factors[0].(*ast.Num); ok {
				c, base = c.Mul(num.Value), ast.NewMul(m.Factors[1:]...)
			}
		}
		if k, ok := at[base]; ok {
			k.c = k.c.Add(c)
			repeated = true
			continue
		}
		k := &coef{base, c}
		at[base] = k
		out = append(out, k)
	}
	if !repeated {
		return nil, false
	}
	var terms []ast.Expr
	for _, k := range out {
		switch {
		case k.c.Sign() == 0:
		case k.c.Cmp(ast.Int(1)) == 0:
			terms = append(terms, k.base)
		case k.c.Cmp(ast.Int(-1)) == 0:
			terms = append(terms, ast.NewNeg(k.base))
		case k.c.Sign() < 0:
			terms = append(terms, ast.NewNeg(scale([]ast.Expr{ast.NewNum(k.c.Neg())}, k.base)))
		default:
			terms = append(terms, scale([]ast.Expr{ast.NewNum(k.c)}, k.base))
		}
	}
	if !slices.ContainsFunc(terms, id.nonScalar) {
		// Every matrix term cancelled: the zero matrix keeps the sum's
		// shape, broadcasting the scalars left (w - w + lam is lam in
		// each of d entries, not the scalar lam).
		s, _ := id.shapeOf(x)
		terms = append(terms, zerosOf(s))
	}
	return ast.NewAdd(terms...), true
}

// symmetric reports whether e is a symmetric matrix by its form: a name
// declared symmetric, the inverse of a symmetric matrix, eye, diag, a
// product that reads the same transposed (X'*X, X'*S*X, u*u'), and sums,
// multiples and element-wise functions of symmetric matrices.
func (id *identities) symmetric(e ast.Expr) bool {
	if v, ok := id.sym[e]; ok {
		return v
	}
	v := id.symmetric1(e)
	if id.sym == nil {
		id.sym = map[ast.Expr]bool{}
	}
	id.sym[e] = v
	return v
}

func (id *identities) symmetric1(e ast.Expr) bool {
	s, ok := id.shapeOf(e)
	if !ok || s.IsScalar() || s.Rows != s.Cols {
		return false
	}
	switch x := e.(type) {
	case *ast.Sym:
		return id.env.Decls[x.Name].Symmetric
	case *ast.Neg:
		return id.symmetric(x.X)
	case *ast.Add:
		for _, t := range x.Terms {
			if !id.symmetric(t) {
				return false
			}
		}
		return true
	case *ast.Mul:
		for _, f := range x.Factors {
			if id.nonScalar(f) && !id.symmetric(f) {
				return false
			}
		}
		return true
	case *ast.Div:
		return !id.nonScalar(x.Y) && id.symmetric(x.X)
	case *ast.Call:
		for _, a := range x.Args {
			if id.nonScalar(a) && !id.symmetric(a) {
				return false
			}
		}
		return true
	case *ast.MatOp:
		switch x.Kind {
		case ast.MatEye, ast.MatDiag, ast.MatZeros, ast.MatOnes:
			return true
		case ast.MatInv, ast.MatTranspose:
			return id.symmetric(x.Args[0])
		case ast.MatHadamard:
			return id.symmetric(x.Args[0]) && id.symmetric(x.Args[1])
		case ast.MatElemPow:
			return id.symmetric(x.Args[0])
		case ast.MatMul:
			a := x.Args
			for i, j := 0, len(a)-1; i <= j; i, j = i+1, j-1 {
				if i == j {
					if !id.symmetric(a[i]) {
						return false
					}
					continue
				}
				if !upToSign(a[i], id.transposed(a[j])) && !upToSign(id.transposed(a[i]), a[j]) {
					return false
				}
			}
			return true
		}
	}
	return false
}

// upToSign reports whether x = y or x = -y, sums compared term by term:
// a scalar multiple of a symmetric matrix is symmetric.
func upToSign(x, y ast.Expr) bool {
	if x == y || sameTerms(x, y) {
		return true
	}
	nx, ok := negation(x)
	return ok && sameTerms(nx, y)
}

// transposed is e', written without the transpose when e is symmetric.
func (id *identities) transposed(e ast.Expr) ast.Expr {
	if id.symmetric(e) {
		return e
	}
	return ast.NewTranspose(e)
}

// scalarOut takes scalar factors and signs out of a matrix product.
func (id *identities) scalarOut(x *ast.MatOp) (ast.Expr, bool) {
	var coef []ast.Expr
	neg := false
	fs := make([]ast.Expr, 0, len(x.Args))
	changed := false
	for _, f := range x.Args {
		if n, ok := f.(*ast.Neg); ok {
			f, neg, changed = n.X, !neg, true
		}
		if m, ok := f.(*ast.Mul); ok {
			var rest []ast.Expr
			for _, g := range m.Factors {
				if id.nonScalar(g) {
					rest = append(rest, g)
				} else {
					coef = append(coef, g)
				}
			}
			if len(rest) == 1 {
				f, changed = rest[0], true
			} else {
				coef = coef[:len(coef)-(len(m.Factors)-len(rest))]
			}
		}
		fs = append(fs, f)
	}
	if !changed {
		return nil, false
	}
	out := scale(coef, ast.NewMatMul(fs...))
	if neg {
		out = ast.NewNeg(out)
	}
	return out, true
}

// mergeNumbers multiplies out the numbers of a*(b*M): (a*b)*M.
func mergeNumbers(x *ast.Mul) (ast.Expr, bool) {
	c := ast.Int(1)
	nums, nested := 0, false
	var rest []ast.Expr
	var add func(fs []ast.Expr)
	add = func(fs []ast.Expr) {
		for _, f := range fs {
			switch f := f.(type) {
			case *ast.Mul:
				nested = true
				add(f.Factors)
			case *ast.Num:
				c, nums = c.Mul(f.Value), nums+1
			default:
				rest = append(rest, f)
			}
		}
	}
	add(x.Factors)
	if nums < 2 && !nested {
		return nil, false
	}
	return withCoef(c, rest), true
}

// divideNumbers writes (a*M)/b, for numbers a and b, with a/b in lowest
// terms: (2*M)/2 is M, (2*M)/4 is M/2.
func divideNumbers(x *ast.Div) (ast.Expr, bool) {
	b, ok := x.Y.(*ast.Num)
	if !ok {
		return nil, false
	}
	m, ok := x.X.(*ast.Mul)
	if !ok {
		return nil, false
	}
	a, ok := m.Factors[0].(*ast.Num)
	if !ok {
		return nil, false
	}
	c, ok := a.Value.Quo(b.Value)
	if !ok {
		return nil, false
	}
	if c.IsInt() {
		return withCoef(c, m.Factors[1:]), true
	}
	p, q := ast.FromBigInt(c.Num()), ast.FromBigInt(c.Denom())
	if q.Cmp(b.Value) == 0 {
		return nil, false // already in lowest terms
	}
	return ast.NewDiv(withCoef(p, m.Factors[1:]), ast.NewNum(q)), true
}

// withCoef is c times the product of rest.
func withCoef(c ast.Number, rest []ast.Expr) ast.Expr {
	switch {
	case c.IsZero():
		return ast.NewMul(append([]ast.Expr{ast.Zero}, rest...)...)
	case c.Cmp(ast.Int(1)) == 0:
		return ast.NewMul(rest...)
	case c.Cmp(ast.Int(-1)) == 0:
		return ast.NewNeg(ast.NewMul(rest...))
	case c.Sign() < 0:
		return ast.NewNeg(ast.NewMul(append([]ast.Expr{ast.NewNum(c.Neg())}, rest...)...))
	}
	return ast.NewMul(append([]ast.Expr{ast.NewNum(c)}, rest...)...)
}

// negation returns -e written as a sum when e is a sum (b - a for a - b).
func negation(e ast.Expr) (ast.Expr, bool) {
	add, ok := e.(*ast.Add)
	if !ok {
		return nil, false
	}
	ts := make([]ast.Expr, len(add.Terms))
	for i, t := range add.Terms {
		if n, ok := t.(*ast.Neg); ok {
			ts[i] = n.X
		} else {
			ts[i] = ast.NewNeg(t)
		}
	}
	// The order of the terms: a positive one first, as written.
	slices.SortStableFunc(ts, func(a, b ast.Expr) int {
		_, na := a.(*ast.Neg)
		_, nb := b.(*ast.Neg)
		switch {
		case na == nb:
			return 0
		case nb:
			return -1
		}
		return 1
	})
	return ast.NewAdd(ts...), true
}

// sameTerms reports whether two sums have the same terms.
func sameTerms(a, b ast.Expr) bool {
	x, ok1 := a.(*ast.Add)
	y, ok2 := b.(*ast.Add)
	if !ok1 || !ok2 || len(x.Terms) != len(y.Terms) {
		return false
	}
	count := map[ast.Expr]int{}
	for _, t := range x.Terms {
		count[t]++
	}
	for _, t := range y.Terms {
		count[t]--
		if count[t] < 0 {
			return false
		}
	}
	return true
}

// outerSign writes a product in which a factor u and a transposed factor
// v' are each other's negations with one orientation, v: the sign goes
// in front.
func outerSign(x *ast.MatOp) (ast.Expr, bool) {
	for j, f := range x.Args {
		tr, ok := isMat(f, ast.MatTranspose)
		if !ok {
			continue
		}
		v := tr.Args[0]
		for i, u := range x.Args {
			if i == j {
				continue
			}
			if nu, ok := negation(u); ok && sameTerms(nu, v) {
				fs := slices.Clone(x.Args)
				fs[i] = v
				return ast.NewNeg(ast.NewMatMul(fs...)), true
			}
		}
	}
	return nil, false
}

// outerAsWritten writes u*u', for a difference u the input writes the
// other way round, as (-u)*(-u)': the same matrix.
func (id *identities) outerAsWritten(x *ast.MatOp) (ast.Expr, bool) {
	for j, f := range x.Args {
		tr, ok := isMat(f, ast.MatTranspose)
		if !ok {
			continue
		}
		u := tr.Args[0]
		if slices.Contains(id.like, u) {
			continue
		}
		nu, ok := negation(u)
		if !ok {
			continue
		}
		for _, w := range id.like {
			if !sameTerms(nu, w) {
				continue
			}
			for i, g := range x.Args {
				if i != j && g == u {
					fs := slices.Clone(x.Args)
					fs[i], fs[j] = w, ast.NewTranspose(w)
					return ast.NewMatMul(fs...), true
				}
			}
		}
	}
	return nil, false
}

// scalarFlip writes a product that is a single number (1×1), which is
// its own transpose, the other way round when the input writes it so, or
// when that has fewer transposes and the input does not write it as it
// stands: x'*A'*x is x'*A*x.
func (id *identities) scalarFlip(x *ast.MatOp) (ast.Expr, bool) {
	s, ok := id.shapeOf(x)
	if !ok || !s.IsScalar() {
		return nil, false
	}
	fs := make([]ast.Expr, len(x.Args))
	for i, f := range x.Args {
		if t, ok := isMat(f, ast.MatTranspose); ok {
			fs[len(fs)-1-i] = t.Args[0]
		} else {
			fs[len(fs)-1-i] = id.transposed(f)
		}
	}
	y := ast.NewMatMul(fs...)
	if y == ast.Expr(x) {
		return nil, false
	}
	score := func(e ast.Expr) (int, int) {
		w := 1
		if id.written[e] {
			w = 0
		}
		return w, countTransposes(e)
	}
	wx, tx := score(x)
	wy, ty := score(y)
	if wy < wx || (wy == wx && ty < tx) {
		return y, true
	}
	return nil, false
}

// transposeOrder puts a matrix before its transpose in a sum: A' + A is
// A + A'.
func transposeOrder(x *ast.Add) (ast.Expr, bool) {
	for i, t := range x.Terms {
		tr, ok := isMat(t, ast.MatTranspose)
		if !ok {
			continue
		}
		for j := i + 1; j < len(x.Terms); j++ {
			if x.Terms[j] == tr.Args[0] {
				ts := slices.Clone(x.Terms)
				ts[i], ts[j] = ts[j], ts[i]
				return ast.NewAdd(ts...), true
			}
		}
	}
	return nil, false
}

// invertibleUses states the condition a rewrite of before into after
// rests on when it drops an inverse (inv_cancel: inv(W)*W is eye(d),
// inv_inv: inv(inv(W)) is W): after has a value where W is singular and
// before has none, so the equality holds where W is invertible. Each is
// a rule of kind rules.Assumption, "where W is invertible", which a
// proof's or a result's notes list as they list the assumptions used. An
// inverse after still has takes nothing away: after has no value there
// either.
func invertibleUses(before, after ast.Expr) []*rules.Rule {
	var out []*rules.Rule
	seen := map[ast.Expr]bool{}
	ast.InspectOnce(before, func(x ast.Expr) bool {
		if m, ok := isMat(x, ast.MatInv); ok && !seen[m.Args[0]] {
			seen[m.Args[0]] = true
			if _, inner := isMat(m.Args[0], ast.MatInv); inner {
				return true // inv(W) is invertible wherever it is defined
			}
			if !mentionsInverse(after, m.Args[0]) {
				out = append(out, InvertibleRule(m.Args[0]))
			}
		}
		return true
	})
	return out
}

// InvertibleRule is the condition that m is invertible, as a rule of kind
// rules.Assumption: "where W is invertible".
func InvertibleRule(m ast.Expr) *rules.Rule {
	return &rules.Rule{Name: "invertible", Kind: rules.Assumption, Source: matSource,
		Doc: "where " + ast.String(m) + " is invertible"}
}
