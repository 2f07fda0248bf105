package explain

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/ast/shape"
	"github.com/symdiff/symdiff/simplify"
	"github.com/symdiff/symdiff/simplify/matrix"
	"github.com/symdiff/symdiff/simplify/prove"
)

// A loss in matrix notation (X : matrix(n, d), w : vector(d), CE :=
// -mean(y .* log(sigma(X*w)) + ...)) is explained through its index form,
// which package matrix translates it to: the entries of the linear
// predictor X*w, sum(j=1..d, X[i,j]*w[j]), are named z[i] by a definition,
// the loss's name is defined as its index form, and the explanation is
// made there exactly as for a loss written with indices. The consequence
// for the weights is then stated in matrix notation, c·Xᵀ(μ(Xw) − y) with
// μ(Xw) translated back by package matrix, and proved against d(CE, w)
// entry by entry.

// MatrixForm is how a loss written in matrix notation was read.
type MatrixForm struct {
	Loss      ast.Expr // as written: a name, or an expression
	Index     ast.Expr // its index form, with the predictor's entries named
	Predictor ast.Expr // X*w (nil when --wrt names the predictor itself)
	Def       *ast.Def // z[i] := sum(j=1..d, X[i,j]*w[j]): the entries of X*w
	Weights   string   // w
	Decls     map[string]ast.Shape
}

// ErrNotScalar is returned for a loss that is a vector or a matrix.
var ErrNotScalar = errors.New("the loss is not a scalar")

// involved reports whether loss is a matrix expression under the
// declarations of opt.
func involved(loss ast.Expr, opt Options) bool {
	if len(opt.Decls) == 0 {
		return false
	}
	return shape.New(opt.Decls, opt.Simplify.Defs).Involved(loss)
}

// predictorSum is a match of the linear predictor in index form:
// sum(j=lo..hi, X[a,j]*w[j]) or sum(j=lo..hi, X[a,j]*W[j,b]).
type predictorSum struct {
	x, w string
	at   []ast.Expr // a, or a and b
}

// matchPredictor reads s as the entry of a product X*w of a declared
// matrix and a declared vector (or matrix), w named wrt when wrt is given.
func matchPredictor(e ast.Expr, decls map[string]ast.Shape, wrt string) (predictorSum, bool) {
	s, ok := e.(*ast.Sum)
	if !ok || s.Op != ast.OpSum {
		return predictorSum{}, false
	}
	m, ok := s.Body.(*ast.Mul)
	if !ok || len(m.Factors) != 2 {
		return predictorSum{}, false
	}
	j := ast.NewSym(s.Var)
	for _, o := range [][2]ast.Expr{{m.Factors[0], m.Factors[1]}, {m.Factors[1], m.Factors[0]}} {
		xi, ok1 := o[0].(*ast.Index)
		wi, ok2 := o[1].(*ast.Index)
		if !ok1 || !ok2 || len(xi.Indices) != 2 || xi.Indices[1] != j || wi.Indices[0] != j || xi.Name == wi.Name {
			continue
		}
		if wrt != "" && wi.Name != wrt {
			continue
		}
		xs, okx := decls[xi.Name]
		ws, okw := decls[wi.Name]
		if !okx || !okw || xs.IsScalar() || xs.IsVector() || ws.IsScalar() || ws.IsRow() {
			continue
		}
		at := []ast.Expr{xi.Indices[0]}
		if len(wi.Indices) == 2 {
			at = append(at, wi.Indices[1])
		}
		if slices.ContainsFunc(at, func(a ast.Expr) bool { _, isSym := a.(*ast.Sym); return !isSym || a == j }) {
			continue
		}
		return predictorSum{x: xi.Name, w: wi.Name, at: at}, true
	}
	return predictorSum{}, false
}

// UsesMatrixPredictor reports whether loss, a scalar matrix expression,
// goes through a product X*w of a declared matrix and a declared vector
// or matrix (w named wrt when wrt is given, or through the declared wrt
// itself).
func UsesMatrixPredictor(decls map[string]ast.Shape, defs *ast.Defs, loss ast.Expr, wrt string) bool {
	opt := Options{Decls: decls, Simplify: simplify.Options{Defs: defs}}
	if !involved(loss, opt) {
		return false
	}
	t := matrix.NewTranslator(decls, defs)
	t.Use(loss)
	if s, err := t.Shape(loss); err != nil || !s.IsScalar() {
		return false
	}
	entry, err := t.Entry(loss, nil, nil)
	if err != nil {
		return false
	}
	found := false
	ast.InspectOnce(entry, func(e ast.Expr) bool {
		if _, ok := matchPredictor(e, decls, wrt); ok {
			found = true
		}
		if idx, ok := e.(*ast.Index); ok && wrt != "" && idx.Name == wrt {
			if s, declared := decls[wrt]; declared && s.IsVector() {
				found = true
			}
		}
		return !found
	})
	return found
}

// explainMatrix explains a loss in matrix notation through its index form.
func explainMatrix(ctx context.Context, loss ast.Expr, opt Options) (*Explanation, error) {
	defs := opt.Simplify.Defs
	if defs == nil {
		defs = &ast.Defs{}
	}
	t := matrix.NewTranslator(opt.Decls, defs)
	t.Use(loss)
	s, err := t.Shape(loss)
	if err != nil {
		return nil, err
	}
	if !s.IsScalar() {
		return nil, fmt.Errorf("%w: %s is %s; explain a scalar loss such as mean(...) or sum(...)", ErrNotScalar, ast.String(loss), s.Decl())
	}
	entry, err := t.Entry(loss, nil, nil)
	if err != nil {
		return nil, err
	}
	entry = dropOnes(entry)
	// The predictor: the first product X*w (with w the --wrt weights),
	// or a declared vector --wrt names.
	var pred predictorSum
	ast.InspectOnce(entry, func(e ast.Expr) bool {
		if pred.x == "" {
			pred, _ = matchPredictor(e, opt.Decls, opt.Wrt)
		}
		return pred.x == ""
	})
	mf := &MatrixForm{Loss: loss, Decls: opt.Decls}
	// The index definitions: the scalar ones, the predictor's and the
	// loss's index form under its own name.
	idefs := &ast.Defs{}
	for _, d := range defs.All() {
		if d.Kind == ast.DefScalar && t.Involved(d.Body) {
			continue
		}
		if err := idefs.Define(d); err != nil {
			return nil, err
		}
	}
	taken := func(n string) bool {
		_, def := idefs.Lookup(n)
		_, decl := opt.Decls[n]
		return def || decl || ast.HasFree(entry, n) || (n == nameOf(loss))
	}
	wrt := opt.Wrt
	index := entry
	if pred.x != "" {
		base := "z"
		if len(pred.at) == 2 {
			base = "Z"
		}
		zName := base
		if taken(zName) {
			zName = ast.Fresh(base, taken)
		}
		// Every product X*w, at any row, is an entry of the predictor.
		var lo, hi ast.Expr
		index = ast.Map(entry, func(e ast.Expr) ast.Expr {
			p, ok := matchPredictor(e, opt.Decls, pred.w)
			if !ok || p.x != pred.x || len(p.at) != len(pred.at) {
				return e
			}
			s := e.(*ast.Sum)
			lo, hi = s.Lo, s.Hi
			return ast.NewIndex(zName, p.at...)
		})
		params := []string{"i", "l"}[:len(pred.at)]
		j := "j"
		xi := ast.NewIndex(pred.x, ast.NewSym(params[0]), ast.NewSym(j))
		var wj ast.Expr = ast.NewIndex(pred.w, ast.NewSym(j))
		if len(params) == 2 {
			wj = ast.NewIndex(pred.w, ast.NewSym(j), ast.NewSym(params[1]))
		}
		def := &ast.Def{Name: zName, Kind: ast.DefIndexed, Params: params, Body: ast.NewSum(ast.OpSum, j, lo, hi, ast.NewMul(xi, wj))}
		if err := idefs.Define(def); err != nil {
			return nil, err
		}
		mf.Def, mf.Weights, wrt = def, pred.w, zName
		mf.Predictor = ast.NewMatMul(ast.NewSym(pred.x), ast.NewSym(pred.w))
	} else if s, ok := opt.Decls[wrt]; wrt == "" || !ok || !s.IsVector() {
		return nil, errors.New("no linear predictor: the loss has no product X*w of a declared matrix and a declared vector (or matrix)" + wrtWords(opt.Wrt))
	}
	mf.Index = index
	var iloss ast.Expr = index
	if name := nameOf(loss); name != "" {
		d, ok := defs.Lookup(name)
		if ok && d.Kind == ast.DefScalar {
			idefs.Remove(name)
			if err := idefs.Define(&ast.Def{Name: name, Kind: ast.DefScalar, Body: index}); err != nil {
				return nil, err
			}
			iloss = loss
		}
	}
	iopt := opt
	iopt.Decls = nil
	iopt.Wrt = wrt
	iopt.Simplify.Defs = idefs
	e, err := explain(ctx, iloss, iopt)
	if err != nil {
		return nil, err
	}
	e.Matrix = mf
	switch {
	case mf.Predictor == nil:
	case e.Weights != nil:
		err = matrixWeights(ctx, e, opt, pred)
	case e.Verdict == NotResidual && e.Factor != nil && e.Mu != nil:
		err = matrixFactor(ctx, e, opt, pred)
	}
	if err != nil {
		return nil, err
	}
	return e, nil
}

func wrtWords(wrt string) string {
	if wrt == "" {
		return ""
	}
	return " with " + wrt + " as the weights, and " + wrt + " is not a declared vector used as the predictor itself"
}

func nameOf(e ast.Expr) string {
	if s, ok := e.(*ast.Sym); ok {
		return s.Name
	}
	return ""
}

// mat translates the parts of an explanation of a loss in matrix
// notation back to matrix notation.
type mat struct {
	e          *Explanation
	X          ast.Expr
	idx, widx  []string   // the sample's indices (m, or m and l) and the weight's
	size, wsz  []ast.Expr // their sizes
	grad       ast.Expr   // d(loss, w)
	mopt       matrix.Options
	notedError bool
}

func newMat(e *Explanation, opt Options, pred predictorSum, w ast.Expr) *mat {
	xs, ws := opt.Decls[pred.x], opt.Decls[pred.w]
	names := func(x ast.Expr) []string {
		var out []string
		if ix, ok := x.(*ast.Index); ok {
			for _, i := range ix.Indices {
				out = append(out, i.(*ast.Sym).Name)
			}
		}
		return out
	}
	m := &mat{e: e, X: ast.NewSym(pred.x), idx: names(e.Z), widx: names(w),
		grad: ast.NewDeriv(e.Matrix.Loss, ast.NewSym(pred.w)),
		mopt: matrix.Options{Decls: opt.Decls, Simplify: opt.Simplify}}
	m.size = []ast.Expr{xs.Rows, ws.Cols}[:len(m.idx)]
	m.wsz = []ast.Expr{ws.Rows, ws.Cols}[:len(m.widx)]
	return m
}

// back translates x, in index form at the sample's indices (or the
// weight's, when atWeight), to matrix notation; on failure it notes why
// and returns nil.
func (m *mat) back(what string, x ast.Expr, atWeight bool) ast.Expr {
	idx, size := m.idx, m.size
	if atWeight {
		idx, size = m.widx, m.wsz
	}
	v, err := matrix.Back(m.e.defs.Expand(x), idx, size)
	if err != nil {
		if !m.notedError {
			m.e.Notes = append(m.e.Notes, fmt.Sprintf("no matrix form for %s (%v): the weight gradient is stated in index form only", what, err))
		}
		m.notedError = true
		return nil
	}
	return v
}

// times returns Xᵀ(k ⊙ r) for a k that depends on the sample, else
// k·Xᵀr (Xᵀr for k = 1).
func (m *mat) times(k, r ast.Expr) ast.Expr {
	if slices.ContainsFunc(m.idx, func(n string) bool { return ast.HasFree(m.e.defs.Expand(k), n) }) {
		kv := m.back("the factor per sample", k, false)
		if kv == nil {
			return nil
		}
		return ast.NewMatMul(ast.NewTranspose(m.X), ast.NewMatOp(ast.MatHadamard, kv, r))
	}
	if isNum(k, 1) {
		return ast.NewMatMul(ast.NewTranspose(m.X), r)
	}
	return ast.NewMul(k, ast.NewMatMul(ast.NewTranspose(m.X), r))
}

// claim proves d(loss, w) == b in matrix notation, entry by entry.
func (m *mat) claim(ctx context.Context, say string, b ast.Expr) error {
	pr, err := m.prove(ctx, b)
	if err != nil {
		return err
	}
	m.e.Claims = append(m.e.Claims, Claim{Part: PartMatrix, Say: say, Proof: pr, Want: prove.Proved})
	return nil
}

func (m *mat) prove(ctx context.Context, b ast.Expr) (*prove.Proof, error) {
	pr, err := matrix.Prove(ctx, m.grad, b, m.mopt)
	if err != nil {
		if ctx.Err() != nil {
			return nil, err
		}
		pr = &prove.Proof{A: m.grad, B: b, Verdict: prove.Unknown, Tried: err.Error()}
	}
	return pr, nil
}

// matrixWeights states the weight gradient in matrix notation,
// c·Xᵀ(μ(Xw) − y) (Xᵀ(c ⊙ (μ(Xw) − y)) for a weight per sample, plus the
// penalty's gradient), from the index form translated back, and proves it
// against d(loss, w) entry by entry. Under assumptions about the labels
// the residual form holds on them only: what is proved is the chain rule
// through the predictor, Xᵀ·∂ℓ/∂z.
func matrixWeights(ctx context.Context, e *Explanation, opt Options, pred predictorSum) error {
	wg := e.Weights
	m := newMat(e, opt, pred, wg.W)
	var mu ast.Expr
	if f := e.Family; f != nil && f.Name == "categorical" && len(m.idx) == 2 {
		// The softmax of each row of Z = XW has no name in matrix
		// notation: exp(Z) ./ (exp(Z)*ones(K)*ones(K)').
		ez := ast.NewCall("exp", e.Matrix.Predictor)
		ones := ast.NewMatOp(ast.MatOnes, m.size[1])
		mu = ast.NewMatOp(ast.MatElemDiv, ez, ast.NewMatMul(ez, ones, ast.NewTranspose(ones)))
		e.Notes = append(e.Notes, "exp(XW) ./ (exp(XW)*ones(K)*ones(K)') is the softmax of each row of XW")
	} else {
		mu = m.back("μ", e.Mu, false)
	}
	y := m.back("the labels", e.Y, false)
	if mu == nil || y == nil {
		return nil
	}
	g := m.times(e.C, minus(mu, y))
	if g == nil {
		return nil
	}
	var pen ast.Expr
	if wg.Penalty != nil {
		if pen = m.back("the penalty's gradient", wg.Penalty, true); pen == nil {
			return nil
		}
		g = ast.NewAdd(g, pen)
	}
	wg.MatrixExpr, wg.Matrix = g, ast.UnicodeString(g)
	if !wg.OnAssumed {
		return m.claim(ctx, "∇_w = c·Xᵀ(μ(Xw) − y), in matrix notation", g)
	}
	say := "∇_w = c·Xᵀ(μ(Xw) − y), in matrix notation, under the assume statements"
	if st := oneHotAssume(e, opt); st != nil {
		// --one-hot is the assume statement sum(c=1..K, T[i,c]) == 1
		// for the prover too, where the labels' sum runs over every class.
		m.mopt.Simplify.Assume = append(slices.Clone(m.mopt.Simplify.Assume), st)
		say = "∇_w = c·Xᵀ(μ(Xw) − y), in matrix notation, for one-hot labels (" + ast.StmtString(st) + ")"
	}
	if len(m.mopt.Simplify.Assume) > 0 {
		// The user's assume statements are the prover's too: the residual
		// form may be proved on the labels they describe.
		pr, err := m.prove(ctx, g)
		if err != nil {
			return err
		}
		if pr.Verdict == prove.Proved {
			e.Claims = append(e.Claims, Claim{Part: PartMatrix, Say: say, Proof: pr, Want: prove.Proved})
			return nil
		}
	}
	dz := m.back("∂ℓ/∂z", e.Grad, false)
	if dz == nil {
		// Nothing in matrix notation is proved: none is stated.
		wg.MatrixExpr, wg.Matrix = nil, ""
		return nil
	}
	chain := ast.NewMatMul(ast.NewTranspose(m.X), dz)
	if pen != nil {
		chain = ast.NewAdd(chain, pen)
	}
	wg.MatrixChain = chain
	return m.claim(ctx, "the chain rule through z = Xw, in matrix notation: ∇_w = Xᵀ·∂ℓ/∂z", chain)
}

// matrixFactor states the weight gradient of a loss that is not residual
// form in matrix notation, Xᵀ(W(Xw) ⊙ (μ(Xw) − y)) with the factor W that
// breaks it, and proves it against d(loss, w).
func matrixFactor(ctx context.Context, e *Explanation, opt Options, pred predictorSum) error {
	w := ast.NewIndex(pred.w, ast.NewSym("k"))
	if len(e.Z.(*ast.Index).Indices) == 2 {
		w = ast.NewIndex(pred.w, ast.NewSym("k"), e.Z.(*ast.Index).Indices[1])
	}
	m := newMat(e, opt, pred, w)
	mu, y := m.back("μ", e.Mu, false), m.back("the labels", e.Y, false)
	if mu == nil || y == nil {
		return nil
	}
	var g ast.Expr
	if v := e.Variance; v != nil && !slices.ContainsFunc(m.idx, func(n string) bool { return ast.HasFree(e.defs.Expand(v.K), n) }) {
		// W = k·μ′/V(μ): the constant k in front, the ratio inside.
		ratio := m.back("the factor W", v.Ratio, false)
		if ratio == nil {
			return nil
		}
		g = m.times(v.K, ast.NewMatOp(ast.MatHadamard, ratio, minus(mu, y)))
	} else {
		g = m.times(e.Factor, minus(mu, y))
	}
	if g == nil {
		return nil
	}
	e.FactorGradient = g
	return m.claim(ctx, "∇_w = Xᵀ(W(Xw) ⊙ (μ(Xw) − y)), in matrix notation", g)
}

// dropOnes removes the factors 1 the translation leaves in products
// (the entries of ones(K)).
func dropOnes(e ast.Expr) ast.Expr {
	return ast.Map(e, func(n ast.Expr) ast.Expr {
		m, ok := n.(*ast.Mul)
		if !ok || !slices.ContainsFunc(m.Factors, func(f ast.Expr) bool { return isNum(f, 1) }) {
			return n
		}
		fs := slices.DeleteFunc(slices.Clone(m.Factors), func(f ast.Expr) bool { return isNum(f, 1) })
		if len(fs) == 0 {
			return ast.One
		}
		return ast.NewMul(fs...)
	})
}

// oneHotAssume returns the one-hot option (--one-hot) as an assume
// statement on the class labels of a loss in matrix notation,
// sum(c=1..K, T[i,c]) == 1, where the option was used on a sum of the
// labels over every class 1..K of their declared matrix; else nil.
func oneHotAssume(e *Explanation, opt Options) *ast.AssumeStmt {
	if !opt.Assume.OneHot || e.OneHotSum == nil {
		return nil
	}
	sum, ok := e.OneHotSum.(*ast.Sum)
	if !ok || !isNum(sum.Lo, 1) {
		return nil
	}
	y, ok := sum.Body.(*ast.Index)
	if !ok || len(y.Indices) != 2 {
		return nil
	}
	shape, ok := opt.Decls[y.Name]
	if !ok || shape.Cols != sum.Hi {
		return nil
	}
	taken := func(n string) bool { return n == y.Name || ast.HasFree(shape.Cols, n) || ast.HasFree(shape.Rows, n) }
	i, c := "i", "c"
	if taken(i) {
		i = ast.Fresh(i, taken)
	}
	if taken(c) {
		c = ast.Fresh(c, taken)
	}
	lhs := ast.NewSum(ast.OpSum, c, ast.One, shape.Cols, ast.NewIndex(y.Name, ast.NewSym(i), ast.NewSym(c)))
	return &ast.AssumeStmt{X: lhs, Ops: []string{"=="}, Rest: []ast.Expr{ast.One}}
}
