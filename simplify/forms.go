package simplify

import (
	"context"
	"slices"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/rules"
	"github.com/symdiff/symdiff/simplify/algebra"
)

// The form a person writes. Tidy turns the canonical form into a display
// form; the display form is then one candidate among the forms the
// algebra verbs make of it (factored, one fraction, expanded, and each of
// these after writing exp(±u) through σ(u), through tanh, or through
// cosh(u) and sinh(u): forms_hyper.go), and the cheapest by Cost is
// shown; a softmax written out is then kept as one factor (ratioUnits,
// forms_softmax.go). Each candidate is an exact rewriting of the same rational
// function of the same atoms, so the value never changes (where the input
// is defined; cancelling a common factor can only extend the domain).

// Rules naming the form chosen, for the last line of a derivation.
var (
	FormFactor   = &rules.Rule{Name: "form_factor", Kind: rules.Pass, Doc: "take out common factors", Source: rules.Source{File: goFile}}
	FormTogether = &rules.Rule{Name: "form_together", Kind: rules.Pass, Doc: "over a common denominator", Source: rules.Source{File: goFile}}
	FormExpand   = &rules.Rule{Name: "form_expand", Kind: rules.Pass, Doc: "multiply out", Source: rules.Source{File: goFile}}
	FormSigma    = &rules.Rule{Name: "form_sigma", Kind: rules.Pass, Doc: "write exp(u) through sigma(u) = 1/(1 + exp(-u))", Source: rules.Source{File: goFile}}
	FormTanh     = &rules.Rule{Name: "form_tanh", Kind: rules.Pass, Doc: "write the exponentials through the hyperbolic tangent", Source: rules.Source{File: goFile}}
	FormHyper    = &rules.Rule{Name: "form_hyper", Kind: rules.Pass, Doc: "write the hyperbolic sine over the hyperbolic cosine as the hyperbolic tangent", Source: rules.Source{File: goFile}}
	FormCollect  = &rules.Rule{Name: "form_collect", Kind: rules.Pass, Doc: "group the terms of a sum by the powers of one variable", Source: rules.Source{File: goFile}}
)

// maxReshape bounds the size of an expression whose forms are tried, and
// reshapeWork the coefficient operations spent on each form.
const (
	maxReshape  = 400
	reshapeWork = 50_000
)

// Cost measures how hard a display expression is to read:
//
//   - 1 for every name, number, function and operation written (a sum of
//     n terms or a product of n factors is n - 1 operations, a sum over an
//     index counts 2), and 1 more for every 4 characters of a number
//     beyond its first (its minus sign is an operation, not a character);
//   - 3 more for a fraction inside a numerator or denominator, at each
//     level of nesting: a/(b/c) costs 3 more than a*c/b;
//   - 3 more for each exp: a named function (σ, softplus) is preferred to
//     the exponentials it stands for;
//   - a softmax written out, e^a over a sum of exponentials e^a is one of
//     (exp(z1)/(exp(z1) + exp(z2)), exp(z[k])/sum(i=1..K, exp(z[i]))),
//     is read as one name p where it is not inside a fraction: it costs
//     its numerator and 2, not the sum below it, so p1*(1 - p1) written out
//     (cost 18) beats the one fraction (exp(z1 + z2) + exp(z1 + z3))/
//     (exp(z1) + exp(z2) + exp(z3))^2 (cost 35), and p_k*(delta(k, l) - p_l)
//     (20) beats it over sum(i=1..K, exp(z[i]))^2 (40).
//
// So 2*(f - y) (cost 5) beats 2*f - 2*y (7): a residual stays grouped,
// and common factors stay taken out unless that costs more than it saves.
func Cost(e ast.Expr) int {
	c := 0
	var walk func(e ast.Expr, depth int)
	walk = func(e ast.Expr, depth int) {
		switch x := e.(type) {
		case *ast.Num:
			// A long number is read in groups of its digits; its minus
			// sign is one more (once: a - 0.25, whose number is -0.25,
			// costs what a + 0.25 costs and one more).
			if x.Value.Sign() < 0 {
				c += 2 + (len(x.Value.Neg().String())-1)/4
			} else {
				c += 1 + (len(x.Value.String())-1)/4
			}
		case *ast.Sym, *ast.Index:
			c++
		case *ast.Neg:
			c++
			walk(x.X, depth)
		case *ast.Add:
			c += len(x.Terms) - 1
			for _, t := range x.Terms {
				walk(t, depth)
			}
		case *ast.Mul:
			c += len(x.Factors) - 1
			for _, f := range x.Factors {
				walk(f, depth)
			}
		case *ast.Div:
			if depth == 0 && isRatio(x) {
				c += 2 // a softmax, read as one name: its numerator and 2
				walk(x.X, depth)
				return
			}
			c += 1 + 3*depth
			walk(x.X, depth+1)
			walk(x.Y, depth+1)
		case *ast.Pow:
			c++
			walk(x.X, depth)
			walk(x.Y, depth)
		case *ast.Call:
			c++
			if x.Fn == "exp" {
				c += 3
			}
			for _, a := range x.Args {
				walk(a, depth)
			}
		case *ast.Sum:
			c += 2
			walk(x.Lo, depth)
			walk(x.Hi, depth)
			walk(x.Body, depth)
		case *ast.Deriv:
			c += 2
			walk(x.X, depth)
			walk(x.Wrt, depth)
		}
	}
	walk(e, 0)
	return c
}

// Reshape returns the cheapest form of a display expression (see Cost),
// with the rule that names it (nil when e itself is cheapest). The bodies
// of sums and the arguments of functions are reshaped first.
func Reshape(e ast.Expr) (ast.Expr, *rules.Rule) { return reshape(context.Background(), e, false) }

// reshapeFor is Reshape for the result of simplifying input: where the
// input (its definitions opened) has no σ, a σ in e is the engine's, and
// may be written through tanh.
func (s *Simplifier) reshapeFor(e, input ast.Expr) (ast.Expr, *rules.Rule) {
	if e.Size() > maxReshape {
		return e, nil
	}
	fs := fnsOf(e)
	return reshapeWith(s.ctx, e, fs&fnSigma != 0 && !ast.HasDeriv(e) && !hasFnAny(s.ExpandDefs(input), "sigma"), fs)
}

// hasFnAny is hasFn for an expression of any size: a small one (at most
// maxTidyTree nodes as a tree) is walked as a tree, without hasFnDAG's
// table of the nodes seen (W1's input, walked for its σ, was 7% of its
// display search); the answer is the same.
func hasFnAny(e ast.Expr, fn string) bool {
	if displayShortcuts && e.Size() <= maxTidyTree {
		return hasFn(e, fn)
	}
	return hasFnDAG(e, fn)
}

// fnSet records what reshape looks for in an expression: the functions
// its hyperbolic and named forms start from, any call, a sum over an
// index.
type fnSet uint16

const (
	fnExp fnSet = 1 << iota
	fnSinh
	fnCosh
	fnTanh
	fnSigma
	fnSoftplus
	fnCall  // any call
	fnIndex // a sum over an index (ast.Sum)
	fnDeriv
	// fnProductSum: a product with a sum among its factors, the only
	// place collected groups anything (anywhere in the expression: a
	// superset of where it looks).
	fnProductSum
)

// hyperSearch reports whether some σ, tanh or hyperbolic form may differ
// from e, whose functions are fs: sigmaForm, tanhForm and coshSinhForm
// start from exp, sigmaTanhForm from σ (when sigmaTanh), hyperForm from
// cosh, which only coshSinhForm adds. The forms the verbs make of e
// write e's atoms as they are (adding at most sqrt), so without these
// functions in e there are none in them either, and every one of those
// forms is e itself.
func hyperSearch(fs fnSet, sigmaTanh bool) bool {
	return fs&(fnExp|fnCosh) != 0 || sigmaTanh && fs&fnSigma != 0
}

// fnsOf walks e (a tree of at most maxReshape nodes; a larger e is
// walked as a DAG) and returns what it has of fnSet.
func fnsOf(e ast.Expr) fnSet {
	var fs fnSet
	visit := func(x ast.Expr) {
		switch y := x.(type) {
		case *ast.Call:
			fs |= fnCall
			switch y.Fn {
			case "exp":
				fs |= fnExp
			case "sinh":
				fs |= fnSinh
			case "cosh":
				fs |= fnCosh
			case "tanh":
				fs |= fnTanh
			case "sigma":
				fs |= fnSigma
			case "softplus":
				fs |= fnSoftplus
			}
		case *ast.Sum:
			fs |= fnIndex
		case *ast.Deriv:
			fs |= fnDeriv
		case *ast.Mul:
			if fs&fnProductSum == 0 && slices.ContainsFunc(y.Factors, isAdd) {
				fs |= fnProductSum
			}
		}
	}
	if e.Size() > maxReshape || !fnsTree {
		ast.InspectOnce(e, func(x ast.Expr) bool { visit(x); return true })
		return fs
	}
	var walk func(ast.Expr)
	walk = func(x ast.Expr) {
		switch y := x.(type) {
		case *ast.Num, *ast.Sym: // nothing to note (visit would not be called)
		case *ast.Pow: // without ast.Children's list of two
			walk(y.X)
			walk(y.Y)
		case *ast.Neg:
			walk(y.X)
		case *ast.Div:
			walk(y.X)
			walk(y.Y)
		default:
			visit(x)
			for _, k := range ast.Children(x) {
				walk(k)
			}
		}
	}
	walk(e)
	return fs
}

// fnsTree turns on fnsOf's walk of a small expression as a tree (the
// tests compare it with the walk by node).
var fnsTree = true

// displayShortcuts turns on the shortcuts of the display stages that
// skip work whose answer is known (issue 15): the tests compare the
// results, displays and traces with and without them.
var displayShortcuts = true

// reshapeShortcuts turns on reshape's use of fnsOf to skip the searches
// that cannot change e (the tests compare it with running them all).
var reshapeShortcuts = true

// hasFnDAG is hasFn for an expression of any size.
func hasFnDAG(e ast.Expr, fn string) bool {
	found := false
	ast.InspectOnce(e, func(x ast.Expr) bool {
		if c, ok := x.(*ast.Call); ok && c.Fn == fn {
			found = true
		}
		return !found
	})
	return found
}

func reshape(ctx context.Context, e ast.Expr, sigmaTanh bool) (ast.Expr, *rules.Rule) {
	return reshapeWith(ctx, e, sigmaTanh, fnsOf(e))
}

// reshapeWith is reshape of an e with the functions fs (fnsOf).
func reshapeWith(ctx context.Context, e ast.Expr, sigmaTanh bool, fs fnSet) (ast.Expr, *rules.Rule) {
	if !reshapeShortcuts {
		fs = ^fnSet(0) // everything may be there: every search runs
	}
	// The forms of sums over an index and of function arguments are
	// searched once per distinct node (memo); the rest is walked as a
	// tree, which is small (maxReshape), without filling a map.
	var memo map[ast.Expr]ast.Expr
	done := ctx.Done() // nil for a context never done
	var inner func(ast.Expr) ast.Expr
	inner = func(x ast.Expr) ast.Expr {
		switch x.(type) {
		case *ast.Sum, *ast.Call:
		case *ast.Deriv:
			return x
		default:
			return ast.MapChildren(x, inner) // x itself when no child changes
		}
		if r, ok := memo[x]; ok {
			return r
		}
		select {
		case <-done:
			return x // the caller stops: a form of each argument is work
		default:
		}
		var r ast.Expr
		switch y := x.(type) {
		case *ast.Sum:
			b, _ := bestOf(ctx, inner(y.Body), sigmaTanh)
			r = ast.NewSum(y.Op, y.Var, y.Lo, y.Hi, b)
		case *ast.Call:
			r = ast.MapChildren(x, func(a ast.Expr) ast.Expr {
				b, _ := bestOf(ctx, inner(a), sigmaTanh)
				return b
			})
		}
		if memo == nil {
			memo = map[ast.Expr]ast.Expr{}
		}
		memo[x] = r
		return r
	}
	if e.Size() > maxReshape || fs&fnDeriv != 0 && ast.HasDeriv(e) {
		return e, nil
	}
	x := e
	if fs&(fnCall|fnIndex) != 0 {
		x = inner(e) // e itself when it has no call and no sum over an index
	}
	named := false
	if fs&fnSoftplus != 0 {
		x, named = namedForm(x) // forms_named.go: log σ(u), not u - softplus(u)
	}
	if x != e {
		fs |= fnProductSum // what fnsOf found is e's, not x's
	}
	r, rule := bestWith(ctx, x, sigmaTanh, fs)
	if rule == nil && x != e {
		rule = FormFactor // only the inside changed
		if named {
			rule = FormNamed
		}
	}
	if n, ok := numericFactorForm(r); ok { // display_factor.go: 0.79*(x + 0.044*x^3)
		r = n
		if rule == nil {
			rule = FormFactor
		}
	}
	if fs&fnExp == 0 || !hasFn(r, "exp") { // no form adds an exp
		return r, rule
	}
	if u := ratioUnits(r); u != r && cheaper(u, r) {
		r = u
		if rule == nil {
			rule = FormRatio
		}
	}
	return r, rule
}

// best is the cheapest of e and the forms the verbs make of it; with
// sigmaTanh, σ may be written through tanh.
func best(ctx context.Context, e ast.Expr, sigmaTanh bool) (ast.Expr, *rules.Rule) {
	return bestWith(ctx, e, sigmaTanh, ^fnSet(0))
}

// bestWith is best of an e whose functions are among fs (fnsOf): where
// hyperSearch rules out the σ, tanh and hyperbolic forms, only the verbs'
// forms and the grouped one are tried.
func bestWith(ctx context.Context, e ast.Expr, sigmaTanh bool, fs fnSet) (ast.Expr, *rules.Rule) {
	if !reshapeable(e) {
		return e, nil
	}
	out, cost := e, Cost(e)
	var rule *rules.Rule
	var together1 ast.Expr // e in one fraction, for the tanh form
	try := func(x ast.Expr, forms []*rules.Rule) {
		// Only a form cheaper than the best so far is kept: those that
		// cannot be are not built (algebra.FormsBelowCost; Cost counts
		// what its bound counts, and a call as Cost counts it).
		below := cost
		if !formsBound {
			below = 0
		}
		f, t, x2 := algebra.FormsBelowCost(x, reshapeWork, below, Cost)
		if x == e {
			together1 = t
		}
		for i, y := range []ast.Expr{f, t, x2} {
			if y == nil || forms[i] == FormSigma && sigmaBelow(y) {
				continue
			}
			if c := Cost(y); c < cost {
				out, cost, rule = y, c, forms[i]
			}
		}
	}
	try(e, []*rules.Rule{FormFactor, FormTogether, FormExpand})
	if !hyperSearch(fs, sigmaTanh) {
		if out == e && fs&fnProductSum == 0 {
			// collected groups only sums that are factors of a product,
			// and e has none: it would return e (W4's sum of powers was
			// walked for nothing).
			return out, rule
		}
		return grouped(ctx, out, rule)
	}
	if s, ok := sigmaForm(e); ok {
		try(s, []*rules.Rule{FormSigma, FormSigma, FormSigma})
	}
	// The tanh form of e and of its one-fraction form: e^r - e^(-r) over
	// e^r + e^(-r) is tanh(r) once written (e^(2r) - 1)/(e^(2r) + 1).
	tanhOf := []ast.Expr{e}
	if together1 != nil && together1 != e {
		tanhOf = append(tanhOf, together1)
	}
	// tryTanh keeps the cheapest form of x with no tanh in a denominator.
	tryTanh := func(x ast.Expr, form *rules.Rule) {
		f, tg, x2 := algebra.Forms(x, reshapeWork)
		for _, y := range []ast.Expr{f, tg, x2} {
			if y == nil || tanhBelow(y) {
				continue
			}
			if c := Cost(y); c < cost {
				out, cost, rule = y, c, form
			}
		}
	}
	for _, x := range tanhOf {
		if t, ok := tanhForm(x); ok {
			tryTanh(t, FormTanh)
		}
	}
	if h, ok := coshSinhForm(e); ok {
		tryTanh(h, FormCoshSinh)
	}
	if sigmaTanh {
		// σ through tanh, in e with its exponentials through tanh too, and
		// in the cheapest form so far (which may be the σ form).
		if t, ok := sigmaTanhForm(e); ok {
			if t2, ok := tanhForm(t); ok {
				t = t2
			}
			tryTanh(t, FormSigmaTanh)
		}
		if t, ok := sigmaTanhForm(out); ok {
			tryTanh(t, FormSigmaTanh)
		}
	}
	// The hyperbolic form: sinh(u) = tanh(u)*cosh(u) where cosh(u) occurs
	// too, so that sinh(u)/cosh(u) cancels to tanh(u).
	if h, ok := hyperForm(out); ok {
		tryTanh(h, FormHyper)
	}
	return grouped(ctx, out, rule)
}

// grouped is the last step of best: out, or its sums grouped by the
// powers of a variable (collected) where that is cheaper, with the rule
// naming the form.
func grouped(ctx context.Context, out ast.Expr, rule *rules.Rule) (ast.Expr, *rules.Rule) {
	if c := collected(ctx, out); c != out && cheaper(c, out) {
		out = c
		if rule == nil {
			rule = FormCollect
		}
	}
	return out, rule
}

// bestOf is best, with the searches fnsOf(e) rules out skipped.
func bestOf(ctx context.Context, e ast.Expr, sigmaTanh bool) (ast.Expr, *rules.Rule) {
	if !reshapeShortcuts {
		return best(ctx, e, sigmaTanh)
	}
	return bestWith(ctx, e, sigmaTanh, fnsOf(e))
}

// formsBound turns on best's skipping of the forms that cannot be cheaper
// (the tests compare it with building them all).
var formsBound = true

// cheaper orders display forms: by Cost, then by the names written (a
// name written once reads better than twice: x*(1 - σ) + 1 before
// x - x*σ + 1, whose costs are equal).
func cheaper(a, b ast.Expr) bool {
	ca, cb := Cost(a), Cost(b)
	if ca != cb {
		return ca < cb
	}
	return namesWritten(a) < namesWritten(b)
}

// namesWritten counts the names, indexed names and function calls
// written in e.
func namesWritten(e ast.Expr) int {
	n := 0
	var walk func(ast.Expr)
	walk = func(x ast.Expr) {
		switch x.(type) {
		case *ast.Sym, *ast.Index, *ast.Call:
			n++
		}
		for _, k := range ast.Children(x) {
			walk(k)
		}
	}
	walk(e)
	return n
}

// maxCollectAtoms bounds the variables a sum is grouped by.
const maxCollectAtoms = 6

// collected writes each sum of e that is a factor of a product (outside
// function arguments and sums over an index) grouped by the powers of the
// variable that makes it cheapest, with the coefficients factored:
// σ(x)*(x - x*σ(x) + 1) becomes σ(x)*(x*(1 - σ(x)) + 1). A sum standing
// alone or as a term keeps its terms: a piecewise result reads by them.
func collected(ctx context.Context, e ast.Expr) ast.Expr {
	var walk func(x ast.Expr, factor bool) ast.Expr
	walk = func(x ast.Expr, factor bool) ast.Expr {
		switch y := x.(type) {
		case *ast.Add:
			if factor {
				return collectSum(ctx, y)
			}
		case *ast.Call, *ast.Sum, *ast.Deriv, *ast.Num, *ast.Sym:
			return x
		case *ast.Pow: // without ast.Children's list of two
			if a, b := walk(y.X, false), walk(y.Y, false); a != y.X || b != y.Y {
				return ast.NewPow(a, b)
			}
			return x
		case *ast.Neg:
			if a := walk(y.X, false); a != y.X {
				return ast.NewNeg(a)
			}
			return x
		}
		kids := ast.Children(x)
		if len(kids) == 0 {
			return x
		}
		_, inProduct := x.(*ast.Mul)
		var nk []ast.Expr // made at the first child that changes
		for i, k := range kids {
			y := walk(k, inProduct)
			if y != k && nk == nil {
				nk = make([]ast.Expr, len(kids))
				copy(nk, kids[:i])
			}
			if nk != nil {
				nk[i] = y
			}
		}
		if nk == nil {
			return x // ast.WithChildren of the same children is x
		}
		return ast.WithChildren(x, nk)
	}
	return walk(e, false)
}

func collectSum(ctx context.Context, a *ast.Add) ast.Expr {
	if separateMonomials(a) {
		return a
	}
	return collectSumAll(ctx, a)
}

// separateMonomials reports whether every term of a is a monomial (a
// number times powers of names and calls, maybe negated or over another)
// and no name or call occurs in two terms: then grouping by any of them
// leaves each group one term, and no grouping is cheaper than a.
// (TestCollectSumSeparate checks it against the general path.)
func separateMonomials(a *ast.Add) bool {
	if len(a.Terms) > 16 {
		return false
	}
	var seen [32]ast.Expr
	n := 0
	var mono func(x ast.Expr, top bool) bool
	mono = func(x ast.Expr, top bool) bool {
		switch y := x.(type) {
		case *ast.Num:
			return true
		case *ast.Call:
			// exp(-u) and exp(2*u) are powers of exp(u) to the algebra
			// (v*exp(-u) is grouped as v/exp(u)), and sqrt(u)^2 is u.
			if y.Fn == "exp" || y.Fn == "sqrt" {
				return false
			}
			if n == len(seen) || slices.Contains(seen[:n], x) {
				return false
			}
			seen[n] = x
			n++
			return true
		case *ast.Sym, *ast.Index:
			if n == len(seen) || slices.Contains(seen[:n], x) {
				return false
			}
			seen[n] = x
			n++
			return true
		case *ast.Neg:
			return top && mono(y.X, false)
		case *ast.Div:
			return top && mono(y.X, false) && mono(y.Y, false)
		case *ast.Pow:
			k, num := y.Y.(*ast.Num)
			return num && k.Value.IsInt() && mono(y.X, false)
		case *ast.Mul:
			for _, f := range y.Factors {
				if _, isMul := f.(*ast.Mul); isMul || !mono(f, false) {
					return false
				}
			}
			return true
		}
		return false
	}
	for _, t := range a.Terms {
		// A name is allowed once per term only: x*x*y is not grouped as
		// written (x^2), and is left to the general path.
		if !mono(t, true) {
			return false
		}
	}
	return true
}

func collectSumAll(ctx context.Context, a *ast.Add) ast.Expr {
	var atoms []ast.Expr
	seen := map[ast.Expr]bool{}
	var find func(ast.Expr)
	find = func(x ast.Expr) {
		switch x.(type) {
		case *ast.Sym, *ast.Index, *ast.Call:
			if !seen[x] && len(atoms) < maxCollectAtoms {
				seen[x] = true
				atoms = append(atoms, x)
			}
			return
		case *ast.Sum, *ast.Deriv:
			return
		}
		for _, k := range ast.Children(x) {
			find(k)
		}
	}
	find(a)
	var out ast.Expr = a
	cs, errs := algebra.CollectEachContext(ctx, a, atoms)
	for i, c := range cs {
		if errs[i] != nil {
			continue
		}
		c = factorCoefficients(ctx, c)
		if cheaper(c, out) {
			out = c
		}
	}
	return out
}

// factorCoefficients factors the sums that are factors of the terms of a
// collected sum, where that is cheaper.
func factorCoefficients(ctx context.Context, e ast.Expr) ast.Expr {
	a, ok := e.(*ast.Add)
	if !ok {
		return e
	}
	terms := make([]ast.Expr, len(a.Terms))
	for i, t := range a.Terms {
		terms[i] = t
		neg := false
		if n, ok := t.(*ast.Neg); ok {
			t, neg = n.X, true
		}
		m, ok := t.(*ast.Mul)
		if !ok {
			continue
		}
		// Factors flattened, their signs taken to the term.
		var fs []ast.Expr
		var add func(f ast.Expr)
		add = func(f ast.Expr) {
			switch g := f.(type) {
			case *ast.Neg:
				neg = !neg
				add(g.X)
				return
			case *ast.Mul:
				for _, h := range g.Factors {
					add(h)
				}
				return
			case *ast.Num:
				if g.Value.Sign() < 0 {
					neg = !neg
					add(ast.NewNum(g.Value.Neg()))
					return
				}
			case *ast.Add:
				if h, err := algebra.FactorContext(ctx, f); err == nil && Cost(h.Expr) < Cost(f) {
					if h.Expr != f {
						add(h.Expr)
						return
					}
				}
			}
			fs = append(fs, f)
		}
		for _, f := range m.Factors {
			add(f)
		}
		// Powers of the variable first: x*(1 - σ(x)), as a person writes.
		slices.SortStableFunc(fs, func(a, b ast.Expr) int {
			_, sa := a.(*ast.Add)
			_, sb := b.(*ast.Add)
			switch {
			case sa == sb:
				return 0
			case sb:
				return -1
			}
			return 1
		})
		terms[i] = ast.NewMul(fs...)
		if neg {
			terms[i] = ast.NewNeg(terms[i])
		}
	}
	return ast.NewAdd(terms...)
}

// tanhForm writes each e^(k*u) through t = tanh(g*u/2), g the gcd of the
// multiples k of u that occur: e^(k*u) = ((1 + t)/(1 - t))^(k/g), an
// identity everywhere since |t| < 1. With g = 2 (e^(2u) and e^(-2u)) that
// is tanh(u). σ is left alone: a result the user wrote with σ stays in σ.
func tanhForm(e ast.Expr) (ast.Expr, bool) {
	if !hasCall(e, "exp") {
		return e, false
	}
	gcds := map[ast.Expr]int64{}
	found := false
	ast.InspectOnce(e, func(x ast.Expr) bool {
		if u, k, ok := expPower(x); ok {
			gcds[u] = gcdInt(gcds[u], k)
			found = true
			return false
		}
		return true
	})
	even := false // tanh(u/2) alone is no gain: an even multiple is needed
	for _, g := range gcds {
		even = even || g%2 == 0
	}
	if !found || !even {
		return e, false
	}
	return ast.Rewrite(e, func(x ast.Expr) (ast.Expr, bool) {
		u, k, ok := expPower(x)
		if !ok {
			return nil, false
		}
		g := gcds[u]
		var w ast.Expr
		switch {
		case g == 2:
			w = u
		case g%2 == 0:
			w = ast.NewMul(ast.NewInt(g/2), u)
		case g == 1:
			w = ast.NewDiv(u, ast.NewInt(2))
		default:
			w = ast.NewDiv(ast.NewMul(ast.NewInt(g), u), ast.NewInt(2))
		}
		t := ast.NewCall("tanh", w)
		r := ast.NewDiv(ast.NewAdd(ast.One, t), ast.NewAdd(ast.One, ast.NewNeg(t)))
		return ast.NewPow(r, ast.NewInt(k/g)), true
	}), true
}

// expPower reads x as e^(k*u) with k a non-zero integer: exp(u),
// exp(-u), exp(2*u), exp(u)^3.
func expPower(x ast.Expr) (u ast.Expr, k int64, ok bool) {
	n := int64(1)
	if p, isPow := x.(*ast.Pow); isPow {
		num, isNum := p.Y.(*ast.Num)
		if !isNum {
			return nil, 0, false
		}
		v, small := num.Value.Int64()
		if !small || !num.Value.IsInt() || v == 0 || v > 64 || v < -64 {
			return nil, 0, false
		}
		n, x = v, p.X
	}
	c, isCall := x.(*ast.Call)
	if !isCall || c.Fn != "exp" {
		return nil, 0, false
	}
	u, k = c.Args[0], 1
	if neg, isNeg := u.(*ast.Neg); isNeg {
		u, k = neg.X, -1
	}
	if m, isMul := u.(*ast.Mul); isMul && len(m.Factors) >= 2 {
		if num, isNum := m.Factors[0].(*ast.Num); isNum && num.Value.IsInt() {
			if v, small := num.Value.Int64(); small && v != 0 && v <= 64 && v >= -64 {
				u, k = ast.NewMul(m.Factors[1:]...), k*v
			}
		}
	}
	return u, k * n, true
}

func gcdInt(a, b int64) int64 {
	if a < 0 {
		a = -a
	}
	if b < 0 {
		b = -b
	}
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// tanhBelow reports whether tanh occurs in a denominator, as sigmaBelow
// does for σ.
func tanhBelow(e ast.Expr) bool { return fnBelow(e, "tanh") }

// hyperForm writes each sinh(u) of e whose cosh(u) occurs in e too as
// tanh(u)*cosh(u): an identity everywhere. It reports false when there is
// no such pair.
func hyperForm(e ast.Expr) (ast.Expr, bool) {
	if !hasCall(e, "cosh") {
		return e, false
	}
	cosh := map[ast.Expr]bool{}
	ast.InspectOnce(e, func(x ast.Expr) bool {
		if c, ok := x.(*ast.Call); ok && c.Fn == "cosh" {
			cosh[c.Args[0]] = true
		}
		return true
	})
	if len(cosh) == 0 {
		return e, false
	}
	changed := false
	out := ast.Map(e, func(x ast.Expr) ast.Expr {
		c, ok := x.(*ast.Call)
		if !ok || c.Fn != "sinh" || !cosh[c.Args[0]] {
			return x
		}
		changed = true
		return ast.NewMul(ast.NewCall("tanh", c.Args[0]), ast.NewCall("cosh", c.Args[0]))
	})
	return out, changed
}

// sigmaForm writes exp(-u) as (1 - σ(u))/σ(u) and exp(u) as
// σ(u)/(1 - σ(u)): identities everywhere, since 0 < σ(u) < 1.
func sigmaForm(e ast.Expr) (ast.Expr, bool) {
	if !hasCall(e, "exp") {
		return e, false
	}
	changed := false
	out := ast.Map(e, func(x ast.Expr) ast.Expr {
		c, ok := x.(*ast.Call)
		if !ok || c.Fn != "exp" {
			return x
		}
		changed = true
		u := c.Args[0]
		if n, ok := u.(*ast.Neg); ok {
			s := ast.NewCall("sigma", n.X)
			return ast.NewDiv(ast.NewAdd(ast.One, ast.NewNeg(s)), s)
		}
		s := ast.NewCall("sigma", u)
		return ast.NewDiv(s, ast.NewAdd(ast.One, ast.NewNeg(s)))
	})
	return out, changed
}

// reshapeable reports whether the verbs could change e: it has a sum or an
// exponential outside function arguments and sums over an index (which
// are reshaped on their own).
func reshapeable(e ast.Expr) bool {
	found := false
	var walk func(ast.Expr)
	walk = func(x ast.Expr) {
		if found {
			return
		}
		switch y := x.(type) {
		case *ast.Add:
			found = true
		case *ast.Call:
			found = y.Fn == "exp" || y.Fn == "sinh"
		case *ast.Sum, *ast.Deriv:
		default:
			for _, k := range ast.Children(x) {
				walk(k)
			}
		}
	}
	walk(e)
	return found
}

// sigmaBelow reports whether σ occurs in a denominator: the σ form is a
// gain only where the exponentials cancel into a polynomial in σ (σ(1 − σ),
// σ − y), not where exp(u) becomes σ(u)/(1 − σ(u)).
func sigmaBelow(e ast.Expr) bool { return fnBelow(e, "sigma") }

// fnBelow reports whether the function fn occurs in a denominator of e.
func fnBelow(e ast.Expr, fn string) bool {
	found := false
	has := func(x ast.Expr) bool {
		in := false
		ast.InspectOnce(x, func(y ast.Expr) bool {
			if c, ok := y.(*ast.Call); ok && c.Fn == fn {
				in = true
			}
			return !in
		})
		return in
	}
	ast.InspectOnce(e, func(x ast.Expr) bool {
		switch y := x.(type) {
		case *ast.Div:
			found = found || has(y.Y)
		case *ast.Pow:
			if n, ok := y.Y.(*ast.Num); ok && n.Value.Sign() < 0 {
				found = found || has(y.X)
			}
		}
		return !found
	})
	return found
}

func isAdd(e ast.Expr) bool {
	_, ok := e.(*ast.Add)
	return ok
}
