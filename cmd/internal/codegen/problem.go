package codegen

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/symdiff/symdiff/ast"
)

// A problem is a loss with the variables to differentiate by, after
// analysis: definitions expanded, the derivatives computed and simplified,
// sum variables renamed so that one name means one range, and the shapes
// of the inputs inferred from the sums.
type problem struct {
	loss    ast.Expr
	wrt     []*wrtVar
	grads   []ast.Expr   // grads[a] = d(loss, wrt[a]), free in wrt[a].idx
	hess    [][]ast.Expr // hess[a][b] for b >= a, free in wrt[a].idx and wrt[b].hidx
	inputs  []*input     // the arrays and scalars read, sorted, wrt variables last
	sizes   []*size      // the sizes named in sum ranges (n, d), and lengths of arrays
	ranges  map[string]rng
	order   []string // every index variable, in the order loops nest
	rewrite []string // the rewrites made for numerical stability
	raw     int      // the exp, cosh and sinh left as written (rawExps)

	// symbolic is the simplified gradient as the engine gives it, before
	// the rewrites for stability, for the header and for gradcheck.
	symbolic  []ast.Expr
	symHess   [][]ast.Expr
	original  ast.Expr // the loss with definitions expanded
	inputByNm map[string]*input
	sizeByNm  map[string]*size
	// matrix is the loss as written in matrix notation, for a loss
	// translated to index form; nil otherwise.
	matrix *matrixForm
	en     Engine // the engine the index form is worked out in
	// decls are the declared shapes of the request's engine (en, the
	// index form's, has none): they give an input's shape as declared.
	decls map[string]ast.Shape
}

// A wrtVar is a variable to differentiate by: a scalar b or an array w[k].
type wrtVar struct {
	name string
	idx  []string // the index names of the gradient (k), nil for a scalar
	hidx []string // fresh index names for the second derivative (l)
	in   *input
}

// An input is a name the loss reads: a scalar or an array.
type input struct {
	name string
	rank int
	dims []*size // the size of each dimension
	wrt  bool
	// row is set for a declared row vector, R : matrix(1, d), that the
	// index form reads as R[j]: the code takes it, and returns its
	// gradient, as a 1 × d array (a gradient has its parameter's shape).
	row bool
}

// A size is a whole number a range depends on: a name written in a sum's
// range, or the length of an array dimension no range gives.
type size struct {
	name string
	// from is where the size is read: array, dimension; nil when the
	// size is an explicit argument.
	from *input
	dim  int
}

// A rng is the range lo..hi of an index variable.
type rng struct{ lo, hi ast.Expr }

func (r rng) String() string { return ast.String(r.lo) + ".." + ast.String(r.hi) }

// An Error is a request that cannot be turned into code.
type Error struct{ Msg string }

func (e *Error) Error() string { return e.Msg }

func errorf(format string, args ...any) error { return &Error{Msg: fmt.Sprintf(format, args...)} }

// analyse builds the problem for a loss and the variables to
// differentiate by.
func analyse(ctx context.Context, en Engine, loss ast.Expr, wrt []ast.Expr, hessian bool) (*problem, error) {
	if len(wrt) == 0 {
		return nil, errorf("no variables to differentiate by: give --wrt, such as --wrt 'w[k]' or --wrt a,b")
	}
	p := &problem{ranges: map[string]rng{}, inputByNm: map[string]*input{}, sizeByNm: map[string]*size{}, decls: en.Decls}
	if matrixNotation(en, loss) || wholeArrays(en, wrt) {
		var err error
		if en, loss, wrt, p.matrix, err = indexForm(en, loss, wrt); err != nil {
			return nil, err
		}
	}
	orig, err := en.expand(ctx, loss)
	if err != nil {
		return nil, err
	}
	p.original, p.en = orig, en
	seen := map[string]bool{}
	for _, v := range wrt {
		w, err := wrtOf(en, v)
		if err != nil {
			return nil, err
		}
		if seen[w.name] {
			return nil, errorf("%s is given twice in --wrt", w.name)
		}
		seen[w.name] = true
		p.wrt = append(p.wrt, w)
	}
	// Index names of the results must not be names of the problem.
	taken := map[string]bool{}
	for _, n := range ast.FreeNames(orig) {
		taken[n] = true
	}
	ast.InspectOnce(orig, func(e ast.Expr) bool {
		if s, ok := e.(*ast.Sum); ok {
			taken[s.Var] = true
		}
		return true
	})
	for _, w := range p.wrt {
		for _, k := range w.idx {
			if taken[k] {
				return nil, errorf("the index %s of %s is a name the loss uses: choose another, such as %s", k, wrtString(w), ast.Fresh(k, func(s string) bool { return taken[s] }))
			}
		}
	}
	for _, w := range p.wrt {
		for _, k := range w.idx {
			taken[k] = true
		}
	}
	for _, w := range p.wrt {
		for range w.idx {
			h := ast.Fresh("l", func(s string) bool { return taken[s] })
			taken[h] = true
			w.hidx = append(w.hidx, h)
		}
	}
	if p.matrix != nil {
		if err := p.matrix.derive(ctx, en, p, hessian); err != nil {
			return nil, err
		}
	}
	// The derivatives.
	for _, w := range p.wrt {
		g, err := en.derivative(ctx, loss, w.expr(w.idx))
		if err != nil {
			return nil, err
		}
		p.symbolic = append(p.symbolic, g)
	}
	if hessian {
		p.symHess = make([][]ast.Expr, len(p.wrt))
		for a := range p.wrt {
			p.symHess[a] = make([]ast.Expr, len(p.wrt))
			for b := a; b < len(p.wrt); b++ {
				wb := p.wrt[b]
				h, err := en.derivative(ctx, p.symbolic[a], wb.expr(wb.hidx))
				if err != nil {
					return nil, err
				}
				p.symHess[a][b] = h
			}
		}
	}
	// Canonical forms: means as sums over a count, sums renamed (so that
	// equal sums are one node), then the rewrites for stability, signs
	// pulled out and factors in one order.
	p.loss = lowerMeans(orig)
	for _, g := range p.symbolic {
		p.grads = append(p.grads, lowerMeans(g))
	}
	if hessian {
		p.hess = make([][]ast.Expr, len(p.wrt))
		for a := range p.wrt {
			p.hess[a] = make([]ast.Expr, len(p.wrt))
			for b := a; b < len(p.wrt); b++ {
				p.hess[a][b] = lowerMeans(p.symHess[a][b])
			}
		}
	}
	if err := p.canonicalNames(); err != nil {
		return nil, err
	}
	st := &stabilizer{}
	prep := func(e ast.Expr) ast.Expr { return sortOperands(tidySigns(st.apply(e))) }
	p.loss = prep(p.loss)
	for a := range p.grads {
		p.grads[a] = prep(p.grads[a])
	}
	for a := range p.hess {
		for b := a; b < len(p.wrt); b++ {
			p.hess[a][b] = prep(p.hess[a][b])
		}
	}
	p.rewrite = st.report()
	p.raw = rawExps(p)
	if err := p.shapes(); err != nil {
		return nil, err
	}
	if err := p.constantsInRange(); err != nil {
		return nil, err
	}
	return p, nil
}

// constantsInRange checks that every constant of the code is a float64:
// an exact constant beyond about 1.8e308 (2^2000, the 10^400 of
// x*10^400*exp(-x - 1000)) has no float64 to be written as, and the code
// computes in float64. It was an internal error of the emitter (a panic,
// "please report it"); it is an error that says which constant.
func (p *problem) constantsInRange() error {
	var bad *ast.Num
	for _, e := range p.all() {
		ast.InspectOnce(e, func(x ast.Expr) bool {
			if n, ok := x.(*ast.Num); ok && bad == nil && math.IsInf(n.Value.Float64(), 0) {
				bad = n
			}
			return bad == nil
		})
		if bad != nil {
			s := ast.String(bad)
			if len(s) > 40 {
				s = s[:18] + "..." + s[len(s)-18:]
			}
			return errorf("the constant %s is beyond the range of float64 (about 1.8e308), in which the generated code computes: rescale the loss, or write the constant inside an exp", s)
		}
	}
	return nil
}

// wrtOf checks a variable to differentiate by.
func wrtOf(en Engine, v ast.Expr) (*wrtVar, error) {
	switch v := v.(type) {
	case *ast.Sym:
		if d, ok := en.defined(v.Name); ok {
			return nil, errorf("%s is defined (%s): differentiate by the inputs it depends on", v.Name, d.String())
		}
		return &wrtVar{name: v.Name}, nil
	case *ast.Index:
		if d, ok := en.defined(v.Name); ok {
			return nil, errorf("%s is defined (%s): differentiate by the inputs it depends on", v.Name, d.String())
		}
		w := &wrtVar{name: v.Name}
		for _, x := range v.Indices {
			s, ok := x.(*ast.Sym)
			if !ok || slices.Contains(w.idx, s.Name) {
				return nil, errorf("in %s: write the indices as distinct names, as in w[k] or W[a,b]", ast.String(v))
			}
			w.idx = append(w.idx, s.Name)
		}
		return w, nil
	}
	return nil, errorf("%s is not a variable: give a name like b or an indexed name like w[k]", ast.String(v))
}

// expr returns the variable with the given index names.
func (w *wrtVar) expr(idx []string) ast.Expr {
	if len(idx) == 0 {
		return ast.NewSym(w.name)
	}
	xs := make([]ast.Expr, len(idx))
	for i, k := range idx {
		xs[i] = ast.NewSym(k)
	}
	return ast.NewIndex(w.name, xs...)
}

func wrtString(w *wrtVar) string { return ast.String(w.expr(w.idx)) }

// lowerMeans writes mean(i=lo..hi, f) as sum(i=lo..hi, f)/(hi - lo + 1),
// and a sum whose body does not depend on its variable as a product.
func lowerMeans(e ast.Expr) ast.Expr {
	return ast.Map(e, func(x ast.Expr) ast.Expr {
		s, ok := x.(*ast.Sum)
		if !ok {
			return x
		}
		n := ast.Count(s.Lo, s.Hi)
		if !ast.HasFree(s.Body, s.Var) {
			if s.Op == ast.OpMean {
				return s.Body
			}
			return ast.NewMul(n, s.Body)
		}
		if s.Op == ast.OpSum {
			return x
		}
		return ast.NewDiv(ast.NewSum(ast.OpSum, s.Var, s.Lo, s.Hi, s.Body), n)
	})
}

// canonicalNames renames the sum variables so that a name means one
// range everywhere: sums over the same range share a name where no
// capture forbids it (so exp(z[i,c]) in a softmax's numerator and in its
// denominator's sum over m are one node), and sums over different ranges
// get different names (sum(i=1..n) and sum(i=1..K) give i and i2). A
// subexpression with a free index is then one function of that index,
// computed once for its range.
func (p *problem) canonicalNames() error {
	taken := map[string]bool{}
	for _, e := range p.all() {
		for _, n := range ast.FreeNames(e) {
			taken[n] = true
		}
	}
	byRange := map[string][]string{} // range → its names, in order of creation
	used := map[string]bool{}
	for _, w := range p.wrt {
		for _, k := range append(slices.Clone(w.idx), w.hidx...) {
			used[k] = true
		}
	}
	var firstErr error
	memo := map[ast.Expr]ast.Expr{}
	var walk func(ast.Expr) ast.Expr
	walk = func(e ast.Expr) ast.Expr {
		if r, ok := memo[e]; ok {
			return r
		}
		var r ast.Expr
		if s, ok := e.(*ast.Sum); ok {
			for _, b := range []ast.Expr{s.Lo, s.Hi} {
				for _, n := range ast.FreeNames(b) {
					if _, isIdx := p.ranges[n]; isIdx || used[n] {
						if firstErr == nil {
							firstErr = errorf("the range of %s depends on the index %s: only ranges fixed by sizes are supported", ast.String(s), n)
						}
					}
				}
			}
			key := ast.String(s.Lo) + "\x00" + ast.String(s.Hi)
			free := ast.FreeNames(s.Body)
			isFree := func(n string) bool { _, ok := slices.BinarySearch(free, n); return ok && n != s.Var }
			name := ""
			for _, c := range byRange[key] {
				if !isFree(c) {
					name = c
					break
				}
			}
			if name == "" {
				name = s.Var
				if used[name] || taken[name] || isFree(name) {
					name = ast.Fresh(s.Var, func(c string) bool { return used[c] || taken[c] || isFree(c) })
				}
				byRange[key] = append(byRange[key], name)
				used[name] = true
				p.ranges[name] = rng{s.Lo, s.Hi}
			}
			body := s.Body
			if name != s.Var {
				body = ast.Rename(body, s.Var, name)
			}
			r = ast.NewSum(ast.OpSum, name, s.Lo, s.Hi, walk(body))
		} else {
			kids := ast.Children(e)
			nk := make([]ast.Expr, len(kids))
			for i, k := range kids {
				nk[i] = walk(k)
			}
			r = ast.WithChildren(e, nk)
		}
		memo[e] = r
		return r
	}
	p.loss = walk(p.loss)
	for a := range p.grads {
		p.grads[a] = walk(p.grads[a])
	}
	for a := range p.hess {
		for b := range p.hess[a] {
			if p.hess[a][b] != nil {
				p.hess[a][b] = walk(p.hess[a][b])
			}
		}
	}
	// Factors and terms in one order, so that x[i,j]*w[j] in the loss and
	// w[j]*x[i,j] in the gradient are one node.
	p.loss = sortOperands(p.loss)
	for a := range p.grads {
		p.grads[a] = sortOperands(p.grads[a])
	}
	for a := range p.hess {
		for b := range p.hess[a] {
			if p.hess[a][b] != nil {
				p.hess[a][b] = sortOperands(p.hess[a][b])
			}
		}
	}
	return firstErr
}

// all returns the expressions the code computes.
func (p *problem) all() []ast.Expr {
	out := append([]ast.Expr{p.loss}, p.grads...)
	for _, row := range p.hess {
		for _, h := range row {
			if h != nil {
				out = append(out, h)
			}
		}
	}
	return out
}

// sortKeyLen is how much of an operand's printed form sortOperands
// compares before it looks at heights (see operandLess).
const sortKeyLen = 64

// operandKey is what sortOperands sorts an operand by.
type operandKey struct {
	key    string // the sign's place, the kind's place, the printed prefix
	cut    bool   // the printed form goes on past the prefix
	height int
	x      ast.Expr // the operand without its minus sign
	full   *string  // its whole printed form, made when needed
}

// keyOf returns x's sort key: numbers first, then names, indexed names and
// the rest, each by its printed form; subtracted terms after all others.
func keyOf(x ast.Expr) operandKey {
	neg := "0"
	if g, ok := isNegated(x); ok {
		neg, x = "1", g // subtracted terms last: a - 3, not -3 + a
	}
	k := operandKey{height: x.Height(), x: x}
	switch x.(type) {
	case *ast.Num:
		k.key = neg + "0"
		return k
	case *ast.Sym:
		k.key = neg + "1"
	case *ast.Index:
		k.key = neg + "2"
	default:
		k.key = neg + "3"
	}
	p, cut := ast.PrefixString(x, sortKeyLen)
	k.key += p
	k.cut = cut
	return k
}

// operandLess orders keys by (key, cut, height, whole printed form):
// where the keys differ, or one is cut and the other not, that is the
// order of the whole printed forms; only operands that print alike for
// sortKeyLen bytes go by height first.
func operandLess(a, b *operandKey) bool {
	if a.key != b.key {
		return a.key < b.key
	}
	if a.cut != b.cut {
		return !a.cut
	}
	if !a.cut {
		return false // the whole forms are equal
	}
	if a.height != b.height {
		return a.height < b.height
	}
	return a.whole() < b.whole()
}

func (k *operandKey) whole() string {
	if k.full == nil {
		s := ast.String(k.x)
		k.full = &s
	}
	return *k.full
}

// sortOperands puts the factors of products and the terms of sums in one
// order (operandLess), so that x[i,j]*w[j] in the loss and w[j]*x[i,j] in
// the gradient are one node. Keys print a bounded prefix: a derivative of
// sin(sin(...(x)...)) 19,000 deep is a product of 19,000 cosines of deep
// arguments, and printing each whole took minutes (quadratic in the
// depth), out of reach of any deadline.
func sortOperands(e ast.Expr) ast.Expr {
	return ast.Map(e, func(x ast.Expr) ast.Expr {
		var ops []ast.Expr
		switch x := x.(type) {
		case *ast.Add:
			ops = x.Terms
		case *ast.Mul:
			ops = x.Factors
		default:
			return x
		}
		keys := make([]operandKey, len(ops))
		for i, o := range ops {
			keys[i] = keyOf(o)
		}
		idx := make([]int, len(ops))
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(a, b int) bool { return operandLess(&keys[idx[a]], &keys[idx[b]]) })
		sorted := make([]ast.Expr, len(ops))
		for i, j := range idx {
			sorted[i] = ops[j]
		}
		if _, ok := x.(*ast.Add); ok {
			return ast.NewAdd(sorted...)
		}
		return ast.NewMul(sorted...)
	})
}

// shapes finds the inputs, their ranks and dimension sizes, the sizes and
// where each is read, the ranges of the result indices, and the order in
// which loops nest.
func (p *problem) shapes() error {
	// Sizes are the names in ranges.
	sizeNames := map[string]bool{}
	for _, r := range p.ranges {
		for _, b := range []ast.Expr{r.lo, r.hi} {
			for _, n := range ast.FreeNames(b) {
				sizeNames[n] = true
			}
			var bad error
			ast.InspectOnce(b, func(x ast.Expr) bool {
				switch x := x.(type) {
				case *ast.Num:
					if !x.Value.IsInt() {
						bad = errorf("the range bound %s is not a whole number", ast.String(b))
					}
				case *ast.Sym, *ast.Add, *ast.Neg:
				case *ast.Mul:
				default:
					bad = errorf("the range bound %s is not a sum or product of sizes and whole numbers", ast.String(b))
				}
				return true
			})
			if bad != nil {
				return bad
			}
		}
	}
	isIdx := func(n string) bool { _, ok := p.ranges[n]; return ok }
	for _, w := range p.wrt {
		for _, k := range append(slices.Clone(w.idx), w.hidx...) {
			p.ranges[k] = rng{} // filled below
		}
	}
	// Inputs: indexed names and free scalars that are not sizes.
	ranks := map[string]int{}
	var errs []error
	for _, e := range p.all() {
		ast.InspectOnce(e, func(x ast.Expr) bool {
			switch x := x.(type) {
			case *ast.Index:
				if r, ok := ranks[x.Name]; ok && r != len(x.Indices) {
					errs = append(errs, errorf("%s is used with %d and with %d indices", x.Name, r, len(x.Indices)))
				}
				ranks[x.Name] = len(x.Indices)
				for _, ix := range x.Indices {
					switch ix := ix.(type) {
					case *ast.Sym:
					case *ast.Num:
						if v, ok := ix.Value.Int64(); !ok || v < 1 {
							errs = append(errs, errorf("in %s: an index must be a name or a whole number from 1", ast.String(x)))
						}
					default:
						errs = append(errs, errorf("in %s: an index must be a name or a whole number", ast.String(x)))
					}
				}
			case *ast.Call:
				if _, ok := ast.LookupFunc(x.Fn); !ok && !codeFunc(x.Fn) && !ast.IsUndefined(x) {
					errs = append(errs, errorf("%s has no definition to generate code from", x.Fn))
				} else if ok && !generatedFunc(x.Fn) {
					errs = append(errs, errorf("code for the built-in function %s is not generated yet", x.Fn))
				}
			}
			return true
		})
	}
	if err := p.checkPieces(); err != nil {
		errs = append(errs, err)
	}
	for _, e := range p.all() {
		for _, n := range ast.FreeNames(e) {
			if _, ok := ranks[n]; ok || sizeNames[n] || isIdx(n) {
				continue
			}
			if _, ok := ranks[n]; !ok {
				ranks[n] = 0
			}
		}
	}
	if len(errs) > 0 {
		return errs[0]
	}
	// A free index variable of the loss is an error: the loss is a number.
	for _, n := range ast.FreeNames(p.loss) {
		if r, ok := ranks[n]; ok && r == 0 {
			if usedAsIndex(p.loss, n) {
				return errorf("the loss has a free index %s: sum over it, as in sum(%s=1..n, ...)", n, n)
			}
		}
	}
	for _, w := range p.wrt {
		r, ok := ranks[w.name]
		switch {
		case !ok:
			r = len(w.idx)
			ranks[w.name] = r // the loss does not depend on it: a zero gradient
		case r != len(w.idx):
			return errorf("%s has %d indices in the loss, but --wrt gives %s", w.name, r, wrtString(w))
		}
	}
	names := make([]string, 0, len(ranks))
	for n := range ranks {
		if sizeNames[n] && ranks[n] == 0 {
			continue
		}
		names = append(names, n)
	}
	sort.Strings(names)
	wrtIdx := map[string]int{}
	for i, w := range p.wrt {
		wrtIdx[w.name] = i
	}
	sort.SliceStable(names, func(a, b int) bool {
		ia, wa := wrtIdx[names[a]]
		ib, wb := wrtIdx[names[b]]
		if wa != wb {
			return wb
		}
		return wa && ia < ib
	})
	for _, n := range names {
		if sizeNames[n] {
			return errorf("%s is both a size in a range and an array", n)
		}
		in := &input{name: n, rank: ranks[n], dims: make([]*size, ranks[n])}
		_, in.wrt = wrtIdx[n]
		in.row = in.rank == 1 && p.decls[n].IsRow()
		p.inputs = append(p.inputs, in)
		p.inputByNm[n] = in
	}
	for _, w := range p.wrt {
		w.in = p.inputByNm[w.name]
	}
	// Dimension sizes: from the ranges of the index variables at each
	// position.
	getSize := func(n string) *size {
		if s, ok := p.sizeByNm[n]; ok {
			return s
		}
		s := &size{name: n}
		p.sizeByNm[n] = s
		p.sizes = append(p.sizes, s)
		return s
	}
	sn := make([]string, 0, len(sizeNames))
	for n := range sizeNames {
		sn = append(sn, n)
	}
	sort.Strings(sn)
	for _, n := range sn {
		getSize(n)
	}
	for _, e := range p.all() {
		ast.InspectOnce(e, func(x ast.Expr) bool {
			ix, ok := x.(*ast.Index)
			if !ok {
				return true
			}
			in := p.inputByNm[ix.Name]
			for d, v := range ix.Indices {
				s, ok := v.(*ast.Sym)
				if !ok || in.dims[d] != nil {
					continue
				}
				// The index runs up to hi: the dimension has length hi
				// (entries before lo are not read).
				r, ok := p.ranges[s.Name]
				if !ok || r.hi == nil {
					continue
				}
				if h, ok := r.hi.(*ast.Sym); ok {
					in.dims[d] = getSize(h.Name)
				}
			}
			return true
		})
	}
	// Dimensions no range gives are read from the array.
	taken := func(c string) bool {
		_, a := p.inputByNm[c]
		_, b := p.sizeByNm[c]
		_, r := p.ranges[c]
		return a || b || r
	}
	for _, in := range p.inputs {
		for d := range in.dims {
			if in.dims[d] == nil {
				base := "len_" + in.name
				if in.rank > 1 {
					base = fmt.Sprintf("len_%s_%d", in.name, d+1)
				}
				name := base
				if taken(name) {
					name = ast.Fresh(base, taken)
				}
				in.dims[d] = getSize(name)
			}
		}
	}
	// Where each size is read: the first array dimension of that size,
	// preferring vectors and the first dimension.
	for _, rank := range []int{1, 2, 3, 4, 5, 6, 7, 8} {
		for d := 0; d < rank; d++ {
			for _, in := range p.inputs {
				if in.rank == rank && in.dims[d].from == nil {
					in.dims[d].from, in.dims[d].dim = in, d
				}
			}
		}
	}
	// The result indices range over the dimensions of their variable.
	for _, w := range p.wrt {
		for d := range w.idx {
			r := rng{ast.One, ast.NewSym(w.in.dims[d].name)}
			if old := p.ranges[w.idx[d]]; old.hi != nil && old.hi != r.hi {
				return errorf("the index %s stands for %s and for %s: give the variables different index names", w.idx[d], old, r)
			}
			p.ranges[w.idx[d]] = r
			p.ranges[w.hidx[d]] = r
		}
	}
	p.order = p.loopOrder()
	return nil
}

// usedAsIndex reports whether the name n is an index somewhere in e.
func usedAsIndex(e ast.Expr, n string) bool {
	found := false
	ast.InspectOnce(e, func(x ast.Expr) bool {
		if ix, ok := x.(*ast.Index); ok {
			for _, v := range ix.Indices {
				if s, ok := v.(*ast.Sym); ok && s.Name == n {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// loopOrder orders the index variables so that loops follow the arrays'
// row-major layout: i before j when some array is indexed [.., i, .., j, ..].
// Ties keep the order of first use: result indices, then sum variables.
func (p *problem) loopOrder() []string {
	var first []string
	seen := map[string]bool{}
	add := func(n string) {
		if _, ok := p.ranges[n]; ok && !seen[n] {
			seen[n] = true
			first = append(first, n)
		}
	}
	before := map[string]map[string]bool{}
	for _, e := range p.all() {
		// Once per node: the first place a name is met is the same, and a
		// tree walk of a deep product of shared factors is quadratic.
		ast.InspectOnce(e, func(x ast.Expr) bool {
			switch x := x.(type) {
			case *ast.Sum:
				add(x.Var)
			case *ast.Index:
				var vs []string
				for _, v := range x.Indices {
					if s, ok := v.(*ast.Sym); ok {
						if _, ok := p.ranges[s.Name]; ok {
							add(s.Name)
							vs = append(vs, s.Name)
						}
					}
				}
				for a := 0; a < len(vs); a++ {
					for b := a + 1; b < len(vs); b++ {
						if vs[a] == vs[b] {
							continue
						}
						if before[vs[a]] == nil {
							before[vs[a]] = map[string]bool{}
						}
						before[vs[a]][vs[b]] = true
					}
				}
			}
			return true
		})
	}
	var rest []string
	for n := range p.ranges {
		if !seen[n] {
			rest = append(rest, n)
		}
	}
	sort.Strings(rest)
	first = append(first, rest...)
	// A stable topological sort: repeatedly take the first name that no
	// remaining name must precede (or the first name, to break a cycle).
	var out []string
	left := slices.Clone(first)
	for len(left) > 0 {
		pick := 0
	search:
		for i, c := range left {
			for _, o := range left {
				if o != c && before[o][c] && !before[c][o] {
					continue search
				}
			}
			pick = i
			break
		}
		out = append(out, left[pick])
		left = slices.Delete(left, pick, pick+1)
	}
	return out
}

// indexVars returns the index variables e depends on, in loop order.
func (p *problem) indexVars(e ast.Expr) []string {
	free := ast.FreeNames(e)
	var out []string
	for _, n := range p.order {
		if _, ok := slices.BinarySearch(free, n); ok {
			out = append(out, n)
		}
	}
	return out
}

// describe says, for the header comment, what is computed.
func (p *problem) describe() []string {
	var lines []string
	show := p.en.shower()
	if p.matrix != nil {
		lines = append(lines, p.matrix.describe(show)...)
	}
	lines = append(lines, "loss = "+show(p.original))
	for a, w := range p.wrt {
		lines = append(lines, fmt.Sprintf("d(loss, %s) = %s", wrtString(w), show(p.symbolic[a])))
	}
	for a := range p.symHess {
		for b := a; b < len(p.wrt); b++ {
			lines = append(lines, fmt.Sprintf("d(loss, %s, %s) = %s", wrtString(p.wrt[a]), ast.String(p.wrt[b].expr(p.wrt[b].hidx)), show(p.symHess[a][b])))
		}
	}
	return lines
}

// checkPieces refuses a sum (or a largest value over an index) that is
// computed only inside a piece of an if(cond, a, b): the code computes a
// piece inline, in its branch, and a sum needs a loop of its own. A sum
// that is computed anyway, outside every piece (the z of if(z > 0, z^2,
// 0)), is a variable the branch reads, and is allowed.
// codeFunc reports whether fn is a function of the generated code that
// the stability rewrites write, not of the language: softplus, the
// largest value over a range, log(Phi(u)), phi(u)/Phi(u), hypot. (A switch,
// not a map literal, which every command's start would build.)
func codeFunc(fn string) bool {
	switch fn {
	case "softplus", maxFn, logPhiFn, millsFn, hypotFn:
		return true
	}
	return false
}

// generatedFunc reports whether fn is a built-in function every language's
// emitter writes a call for. A function added to ast.Funcs is refused
// until its emitters exist, rather than written with no name
// (TestEveryFuncGenerated).
func generatedFunc(fn string) bool {
	switch fn {
	case "exp", "log", "sqrt", "sigma", "softplus", "tanh", "cosh", "sinh",
		"sin", "cos", "Phi", "phi", "abs", "sign", "step", "relu",
		"max", "min", "clip", "pi", "delta":
		return true
	}
	return false
}

func (p *problem) checkPieces() error {
	uncond := map[ast.Expr]bool{}
	var mark func(ast.Expr)
	mark = func(e ast.Expr) {
		if uncond[e] {
			return
		}
		uncond[e] = true
		if f, ok := e.(*ast.If); ok {
			mark(f.Cond)
			return
		}
		for _, k := range ast.Children(e) {
			mark(k)
		}
	}
	for _, e := range p.all() {
		mark(e)
	}
	var bad ast.Expr
	for _, e := range p.all() {
		ast.InspectOnce(e, func(x ast.Expr) bool {
			f, ok := x.(*ast.If)
			if !ok || bad != nil {
				return bad == nil
			}
			for _, piece := range []ast.Expr{f.Then, f.Else} {
				ast.InspectOnce(piece, func(y ast.Expr) bool {
					if bad != nil || uncond[y] {
						return false
					}
					_, isSum := y.(*ast.Sum)
					_, isMx := isMax(y)
					if isSum || isMx {
						bad = y
					}
					return bad == nil
				})
			}
			return bad == nil
		})
	}
	if bad != nil {
		return errorf("%s is computed only inside a piece of if(cond, a, b), and code for a sum inside a piece is not generated yet (use it outside the if too, or move the if into the sum)", ast.String(bad))
	}
	return nil
}
