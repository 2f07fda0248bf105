// Package derive differentiates expressions symbolically.
//
// Differentiation is a set of named rules (rules.go), each of which takes
// d(E, v) one layer down: linearity pushes d through sums, the product,
// quotient and power rules through their operators, the chain rule through
// a function using the function's derivative rule from the rule set, and
// definitions are opened where they depend on v. The rules are applied
// recursively with a memo table over the hash-consed tree, so shared
// subexpressions are differentiated once, and each application is
// recorded as it is made: the trace of a derivative costs one step per
// distinct subexpression. The record is compact (the subexpression and
// the rule); the steps, with the layer each rule wrote, are written out
// from it only when a view asks for them (rules.Step.Subs), so that a
// derivative nobody reads the steps of costs no layers. Rounds regroups
// those steps the way a derivation is written, without applying a rule
// again.
package derive

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/rules"
)

// Options configure differentiation.
type Options struct {
	Defs  *ast.Defs  // definitions in force; may be nil
	Rules *rules.Set // derivative rules and the rule files' functions; required
}

// An Error says why an expression cannot be differentiated, and where.
type Error struct {
	Msg string
	At  ast.Expr // the subexpression at fault, for a caret; may be nil
}

func (e *Error) Error() string { return e.Msg }

// Expr returns the subexpression the error is about.
func (e *Error) Expr() ast.Expr { return e.At }

// errNoRules guards against a caller that forgot the rule set.
var errNoRules = errors.New("derive: no rule set given")

// ErrTooLarge reports a derivative beyond the size limit.
var ErrTooLarge = errors.New("derivative too large")

// MaxNodes bounds the number of distinct nodes a derivative may create.
const MaxNodes = 50_000_000

// D returns the derivative of e with respect to v (a name, or an indexed
// name with index variables or numbers). The result is not simplified.
// Derivatives written inside e, d(E, u), are evaluated first.
func D(ctx context.Context, e, v ast.Expr, opt Options) (ast.Expr, error) {
	st, err := Step(ctx, e, v, opt)
	if err != nil {
		return nil, err
	}
	return st.After, nil
}

// Step differentiates e with respect to v and returns the step d(e, v) =
// result, whose sub-steps are the rules applied, one per distinct
// subexpression, in the order they were applied.
func Step(ctx context.Context, e, v ast.Expr, opt Options) (rules.Step, error) {
	dv, err := newDeriver(v, opt)
	if err != nil {
		return rules.Step{}, err
	}
	inner, innerSteps, err := Expand(ctx, e, opt)
	if err != nil {
		return rules.Step{}, err
	}
	if dv.lazy {
		// A record per distinct subexpression: most small expressions
		// are trees.
		dv.recs = make([]record, 0, min(inner.Size(), 256))
	}
	dv.memo.ReserveFrom(&memoTables, int(min(inner.Size(), 4096)))
	r, err := dv.d(ctx, inner)
	if err != nil {
		dv.memo.Release(&memoTables)
		return rules.Step{}, err
	}
	// Clean drops the unit factors and zero terms the rules leave (2*x*1),
	// as the rounds of a derivation do, so that both end in one form.
	if dv.lazy {
		dv.memo.Release(&memoTables) // the values are not needed to write out the steps
		// With no layer filled in, what Clean removes can only be parts
		// of an unclean input copied into the value: most of such a
		// value is clean (x^1/1 + x^2/2 + …), and reading it is cheaper
		// than rebuilding it.
		if dv.dirty || !isClean(inner) && !isClean(r) {
			r = Clean(r)
		}
		return rules.Step{Rule: RuleDifferentiate, Before: ast.NewDeriv(e, v), After: r, Lazy: &deferred{inner: innerSteps, dv: dv}}, nil
	}
	dv.memo.Release(&memoTables)
	sub := dv.steps // the deriver's own: taken over, not copied, when nothing comes before
	if len(innerSteps) > 0 {
		sub = append(innerSteps, dv.steps...)
	}
	return rules.Step{Rule: RuleDifferentiate, Before: ast.NewDeriv(e, v), After: Clean(r), Sub: sub}, nil
}

// ExpandStep evaluates every derivative written in e and returns the one
// step from e to the result (none when e holds no derivative): the step
// of the derivative itself when e is one, else a step that holds each
// derivative's.
func ExpandStep(ctx context.Context, e ast.Expr, opt Options) (ast.Expr, rules.Trace, error) {
	r, steps, err := Expand(ctx, e, opt)
	if err != nil || len(steps) == 0 {
		return r, nil, err
	}
	if len(steps) == 1 && steps[0].Before == e {
		return r, rules.Trace{steps[0]}, nil
	}
	return r, rules.Trace{{Rule: RuleDifferentiate, Before: e, After: r, Sub: steps}}, nil
}

// Expand evaluates every derivative d(E, v) written in e, innermost first,
// and returns the step of each.
func Expand(ctx context.Context, e ast.Expr, opt Options) (ast.Expr, []rules.Step, error) {
	var steps []rules.Step
	if opt.Defs.HasDerivBodies() {
		var err error
		if e, steps, err = openDerivDefs(ctx, e, opt); err != nil {
			return nil, nil, err
		}
	}
	if d, ok := e.(*ast.Deriv); ok && !ast.HasDeriv(d.X) && !ast.HasDeriv(d.Wrt) {
		// One derivative with none inside (what the walk would find).
		st, err := Step(ctx, d.X, d.Wrt, opt)
		if err != nil {
			return nil, nil, err
		}
		return st.After, append(steps, st), nil
	}
	r, err := rewriteDerivs(e, true, func(d *ast.Deriv) (ast.Expr, error) {
		st, err := Step(ctx, d.X, d.Wrt, opt)
		if err != nil {
			return nil, err
		}
		steps = append(steps, st)
		return st.After, nil
	})
	return r, steps, err
}

// rewriteDerivs rebuilds the parts of e that hold derivatives, replacing
// a derivative d by f(d); f returns nil to leave d and look inside it.
// With inner, the derivatives inside d are rewritten before d is. Each
// distinct node is visited once, and parts without derivatives not at all.
func rewriteDerivs(e ast.Expr, inner bool, f func(*ast.Deriv) (ast.Expr, error)) (ast.Expr, error) {
	if !ast.HasDeriv(e) {
		return e, nil
	}
	memo := map[ast.Expr]ast.Expr{}
	var walk func(ast.Expr) (ast.Expr, error)
	walk = func(x ast.Expr) (ast.Expr, error) {
		if !ast.HasDeriv(x) {
			return x, nil
		}
		if r, ok := memo[x]; ok {
			return r, nil
		}
		if d, ok := x.(*ast.Deriv); ok && !inner {
			r, err := f(d)
			if err != nil {
				return nil, err
			}
			if r != nil {
				memo[x] = r
				return r, nil
			}
		}
		kids := ast.Children(x)
		nk := make([]ast.Expr, len(kids))
		for i, k := range kids {
			r, err := walk(k)
			if err != nil {
				return nil, err
			}
			nk[i] = r
		}
		r := ast.WithChildren(x, nk)
		if !inner {
			// A value filled in: drop the unit factors and zero terms it
			// leaves (Clean would, after a second copy of every product).
			r = clean(r)
		}
		if d, ok := r.(*ast.Deriv); ok && inner {
			nr, err := f(d)
			if err != nil {
				return nil, err
			}
			if nr != nil {
				r = nr
			}
		}
		memo[x] = r
		return r, nil
	}
	return walk(e)
}

// memoTables are the tables of the derivers' memos that are done with,
// for the next derivative's (ast.TablePool).
var memoTables ast.TablePool[ast.Expr]

type deriver struct {
	v        ast.Expr
	name     string // the variable's name
	opt      Options
	rules    *rules.Set
	hasDefs  bool                  // there are definitions, the user's or the rule files'
	depends  map[string]bool       // name → its definition depends on v (false: none, or it does not)
	funcDeps map[string]bool       // name → it is a function whose definition depends on v
	memo     ast.NodeMap[ast.Expr] // by ID
	created  int
	// lazy: the rules applied are recorded in recs, one per distinct x
	// in order, and written out as steps when asked for; otherwise steps
	// holds them as steps d(x, v) = layer.
	lazy  bool
	recs  []record
	steps []rules.Step
	// dirty: a value may hold what Clean removes other than from the
	// input (a layer was filled in, or a rule's right side filled in
	// holds a unit factor or a zero term). Otherwise the value of a
	// clean input is clean: direct cleans every node it makes.
	dirty bool
	// defRules are the definition rules made so far.
	defRules map[*ast.Def]*rules.Rule
}

// lazySteps makes derivers record compactly (the tests compare the steps
// written out from the record with those made as the rules are applied).
var lazySteps = true

// A record says which rule took d(x, v) one layer down, and with what.
// The answers the deriver gives about definitions are kept by name, so
// the layer made again from x is the one made then, whatever the user
// has defined since.
type record struct {
	x    ast.Expr
	rule *rules.Rule
	use  *rules.Rule // the derivative rule the chain rule used, when made without its layer
	made *made       // the layer, when it was made; else it is made again from x when asked for
}

// made is a layer made as the rule was applied, with the rules it used.
type made struct {
	layer ast.Expr
	uses  []*rules.Rule
}

// deferred writes out a derivative's steps from its record: the steps of
// the derivatives written inside it (inner), then one per record.
type deferred struct {
	inner []rules.Step
	dv    *deriver
	once  sync.Once
	steps []rules.Step
}

func (d *deferred) Steps() []rules.Step {
	d.once.Do(func() {
		out := make([]rules.Step, 0, len(d.inner)+len(d.dv.recs))
		out = append(out, d.inner...)
		for _, r := range d.dv.recs {
			out = append(out, d.dv.stepOf(r))
		}
		d.steps = out
	})
	return d.steps
}

func (d *deferred) VisitRules(visit func(*rules.Rule)) {
	for _, s := range d.inner {
		s.VisitRules(visit)
	}
	for _, r := range d.dv.recs {
		visit(r.rule)
		if r.use != nil {
			visit(r.use)
		}
		if r.made != nil {
			for _, u := range r.made.uses {
				visit(u)
			}
		}
	}
}

// stepOf writes out the step of a record: d(x, v) = the layer, made again
// when it was not made then. Making a layer again is making it as it was
// made then (the same rule set, the definitions' answers kept by name):
// it cannot fail, and not doing so is a bug.
func (dv *deriver) stepOf(r record) rules.Step {
	var layer ast.Expr
	var uses []*rules.Rule
	if r.made != nil {
		layer, uses = r.made.layer, r.made.uses
	} else {
		l, rule, u, err := dv.layer(context.Background(), r.x)
		if err != nil || rule != r.rule {
			panic(fmt.Sprintf("derive: writing out the step of d(%s, %s): %v (rule %v, recorded %s)", ast.String(r.x), ast.String(dv.v), err, rule, r.rule.Name))
		}
		layer, uses = l, u
	}
	return rules.Step{Rule: r.rule, Before: ast.NewDeriv(r.x, dv.v), After: layer, Uses: uses}
}

func newDeriver(v ast.Expr, opt Options) (*deriver, error) {
	var name string
	switch w := v.(type) {
	case *ast.Sym:
		name = w.Name
	case *ast.Index:
		name = w.Name
		for _, i := range w.Indices {
			switch i.(type) {
			case *ast.Sym, *ast.Num:
			default:
				return nil, &Error{Msg: fmt.Sprintf("cannot differentiate with respect to %s: its indices must be names or numbers", ast.String(v)), At: v}
			}
		}
	default:
		return nil, &Error{Msg: fmt.Sprintf("cannot differentiate with respect to %s: it must be a name like x or an indexed name like w[k]", ast.String(v)), At: v}
	}
	if opt.Rules == nil {
		return nil, errNoRules
	}
	return &deriver{v: v, name: name, opt: opt, rules: opt.Rules, lazy: lazySteps,
		hasDefs: opt.Defs.Len() > 0 || opt.Rules.Defs().Len() > 0}, nil
}

// dependsOn reports whether e may depend on v: v's name occurs in e, or a
// defined name does whose definition depends on v.
func (dv *deriver) dependsOn(e ast.Expr) bool {
	names := ast.FreeNames(e) // sorted
	if !dv.hasDefs {
		if len(names) <= 1 { // most nodes of a derivative in one variable
			return len(names) == 1 && names[0] == dv.name
		}
		_, found := slices.BinarySearch(names, dv.name)
		return found
	}
	for _, n := range names {
		if n == dv.name || dv.defDepends(n) {
			return true
		}
	}
	// User functions are reached through calls, which FreeNames omits.
	found := false
	{
		ast.InspectOnce(e, func(x ast.Expr) bool {
			if c, ok := x.(*ast.Call); ok && dv.funcDepends(c.Fn) {
				found = true
			}
			return !found
		})
	}
	return found
}

// lookupDef finds a definition among the user's and the rule files'.
func (dv *deriver) lookupDef(name string) (*ast.Def, bool) {
	if d, ok := dv.opt.Defs.Lookup(name); ok {
		return d, true
	}
	return dv.rules.Defs().Lookup(name)
}

// funcDepends is defDepends for the name of a call: only a function's
// definition is reached through it (sigma := 2*w does not make the
// sigmoid sigma(z) depend on w).
func (dv *deriver) funcDepends(name string) bool {
	if r, ok := dv.funcDeps[name]; ok {
		return r
	}
	d, ok := dv.lookupDef(name)
	r := ok && d.Kind == ast.DefFunc && dv.defDepends(name)
	if dv.funcDeps == nil {
		dv.funcDeps = map[string]bool{}
	}
	dv.funcDeps[name] = r
	return r
}

func (dv *deriver) defDepends(name string) bool {
	if name == dv.name {
		return false // the variable itself is not opened
	}
	if r, ok := dv.depends[name]; ok {
		return r
	}
	if dv.depends == nil {
		dv.depends = map[string]bool{}
	}
	d, ok := dv.lookupDef(name)
	if !ok {
		dv.depends[name] = false
		return false
	}
	dv.depends[name] = false // definitions are acyclic; this guards anyway
	r := false
	for _, n := range ast.FreeNames(d.Body) {
		if slices.Contains(d.Params, n) {
			continue
		}
		if n == dv.name || dv.defDepends(n) {
			r = true
			break
		}
	}
	if !r {
		ast.InspectOnce(d.Body, func(x ast.Expr) bool {
			if c, ok := x.(*ast.Call); ok && dv.funcDepends(c.Fn) {
				r = true
			}
			return !r
		})
	}
	dv.depends[name] = r
	return r
}

// d differentiates e: one layer by rule, then the sub-derivatives the layer
// asks for, memoised.
func (dv *deriver) d(ctx context.Context, e ast.Expr) (ast.Expr, error) {
	return dv.dOf(ctx, e, nil)
}

// dOf is d, given the node d(e, v) when the caller has it (a layer's
// d(u, v) being filled in): the step is recorded on it without interning
// it again (10,000 times for sin nested 10,000 deep).
func (dv *deriver) dOf(ctx context.Context, e ast.Expr, node *ast.Deriv) (ast.Expr, error) {
	return dv.take(ctx, e, node, false)
}

// dDep is d for an e that the caller has found to depend on v.
func (dv *deriver) dDep(ctx context.Context, e ast.Expr) (ast.Expr, error) {
	return dv.take(ctx, e, nil, true)
}

// take is dOf; known says e is known to depend on v.
func (dv *deriver) take(ctx context.Context, e ast.Expr, node *ast.Deriv, known bool) (ast.Expr, error) {
	if r, ok := dv.memo.Get(e); ok {
		return r, nil
	}
	dv.created++
	// The context is asked at every 32nd node (the first included), not
	// at each: that is still microseconds.
	if dv.created%32 == 1 {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	if dv.created > MaxNodes {
		return nil, fmt.Errorf("%w: more than %d steps", ErrTooLarge, MaxNodes)
	}
	var r ast.Expr
	var err error
	done := false
	if dv.lazy {
		r, done, err = dv.direct(ctx, e, known)
	}
	if !done && err == nil {
		r, err = dv.byLayer(ctx, e, node)
	}
	if err != nil {
		return nil, err
	}
	if r == ast.Zero && (known || dv.dependsOn(e)) {
		if g, ok := dv.flatDomain(e); ok {
			r = g
		}
	}
	dv.memo.Put(e, r)
	return r, nil
}

// byLayer is d for e by its layer: the layer made and recorded, then the
// values of the derivatives in it filled in.
func (dv *deriver) byLayer(ctx context.Context, e ast.Expr, node *ast.Deriv) (ast.Expr, error) {
	layer, rule, uses, err := dv.layer(ctx, e)
	if err != nil {
		return nil, err
	}
	if dv.lazy {
		dv.recs = append(dv.recs, record{x: e, rule: rule, made: &made{layer, uses}})
		dv.dirty = true
	} else {
		if node == nil {
			node = ast.NewDeriv(e, dv.v)
		}
		dv.steps = append(dv.steps, rules.Step{Rule: rule, Before: node, After: layer, Uses: uses})
	}
	var r ast.Expr
	if m, ok := e.(*ast.Mul); ok && rule == RuleProduct {
		r, err = dv.product(ctx, m)
	} else if m, ok := layer.(*ast.Mul); ok && derivFactors(m, dv.v) {
		r, err = dv.fillFactors(ctx, m)
	} else if fillShortcut && derivChildren(layer, dv.v) {
		r, err = dv.fillChildren(ctx, layer)
	} else {
		r, err = dv.resolve(ctx, layer)
	}
	return r, err
}

// note records the rule that takes d(x, v) one layer down, its layer not
// made (direct).
func (dv *deriver) note(x ast.Expr, rule, use *rules.Rule) {
	dv.recs = append(dv.recs, record{x: x, rule: rule, use: use})
}

// val is the value of dd(x): 0 when x cannot depend on v, else d(x, v).
func (dv *deriver) val(ctx context.Context, x ast.Expr) (ast.Expr, error) {
	if !dv.dependsOn(x) {
		return ast.Zero, nil
	}
	return dv.dDep(ctx, x)
}

// direct is d for the most common layers without making them: the value
// that filling in the layer gives (product, fillFactors, fillChildren or
// resolve, as byLayer chooses), made from the values of e's parts, with
// the same sub-derivatives taken in the same order and recorded the same
// way; the layer is made again from e only when the steps are asked for.
// It reports false, having recorded nothing, for the other layers (those
// with derivatives written inside, definitions, sums, pieces, indexed
// variables, quotients of two dependent parts, general powers, calls with
// several dependent arguments).
func (dv *deriver) direct(ctx context.Context, e ast.Expr, known bool) (ast.Expr, bool, error) {
	if !known && !dv.dependsOn(e) {
		dv.note(e, RuleConst, nil)
		return ast.Zero, true, nil
	}
	if ast.HasDeriv(e) {
		return nil, false, nil
	}
	switch x := e.(type) {
	case *ast.Sym:
		if _, isSym := dv.v.(*ast.Sym); x.Name != dv.name || !isSym {
			return nil, false, nil
		}
		dv.note(e, RuleVar, nil)
		return ast.One, true, nil
	case *ast.Neg:
		// Layer -d(u, v), filled in by fillChildren.
		dv.note(e, RuleLinear, nil)
		u, err := dv.val(ctx, x.X)
		if err != nil {
			return nil, true, err
		}
		return clean(ast.NewNeg(u)), true, nil
	case *ast.Add:
		// Layer: the sum of the dependent terms' d(t, v) (one: that
		// derivative itself, resolved; none: 0), filled in by
		// fillChildren.
		dv.note(e, RuleLinear, nil)
		var vals []ast.Expr
		for _, t := range x.Terms {
			if !dv.dependsOn(t) {
				continue
			}
			u, err := dv.dDep(ctx, t)
			if err != nil {
				return nil, true, err
			}
			vals = append(vals, u)
		}
		switch len(vals) {
		case 0:
			return ast.Zero, true, nil
		case 1:
			return vals[0], true, nil
		}
		return clean(ast.NewAdd(vals...)), true, nil
	case *ast.Mul:
		dep, n := -1, 0
		for i, f := range x.Factors {
			if dv.dependsOn(f) {
				if n == 0 {
					dep = i
				}
				n++
			}
		}
		if n != 1 {
			dv.note(e, RuleProduct, nil)
			r, err := dv.product(ctx, x)
			return r, true, err
		}
		// Layer: the product with the one dependent factor f replaced
		// by d(f, v), unit factors dropped (0 when a factor is 0; d(f, v)
		// itself when no other is left, resolved), filled in by
		// fillFactors: mulInPlace of the same list with d(f, v)'s value.
		dv.note(e, RuleLinear, nil)
		if slices.Contains(x.Factors, ast.Expr(ast.Zero)) {
			return ast.Zero, true, nil // not the dependent factor: it has names
		}
		u, err := dv.dDep(ctx, x.Factors[dep])
		if err != nil {
			return nil, true, err
		}
		fs := slices.Clone(x.Factors)
		fs[dep] = u
		return mulInPlace(fs), true, nil
	case *ast.Div:
		if dv.dependsOn(x.Y) || !dv.dependsOn(x.X) {
			return nil, false, nil
		}
		// Layer d(u, v)/c, filled in by fillChildren.
		dv.note(e, RuleLinear, nil)
		u, err := dv.dDep(ctx, x.X)
		if err != nil {
			return nil, true, err
		}
		return clean(ast.NewDiv(u, x.Y)), true, nil
	case *ast.Pow:
		if dv.flatArg(x.X) {
			return nil, false, nil // the layer may take the flat part out
		}
		bx, by := dv.dependsOn(x.X), dv.dependsOn(x.Y)
		var fs []ast.Expr
		var dep ast.Expr
		switch {
		case bx && !by:
			// Layer c*u^(c-1)*d(u, v), by mul: 0 when c is 0.
			dv.note(e, RulePower, nil)
			if x.Y == ast.Zero {
				return ast.Zero, true, nil
			}
			fs, dep = []ast.Expr{x.Y, powerFactor(x), nil}, x.X
		case by && !bx:
			// Layer c^u*log(c)*d(u, v).
			dv.note(e, RuleExpRule, nil)
			fs, dep = []ast.Expr{x, ast.NewCall("log", x.X), nil}, x.Y
		default:
			return nil, false, nil
		}
		u, err := dv.dDep(ctx, dep)
		if err != nil {
			return nil, true, err
		}
		fs[2] = u
		return mulInPlace(fs), true, nil
	case *ast.Call:
		if x.Fn == "delta" || dv.flatArg(x.Args...) {
			return nil, false, nil
		}
		k := -1
		for i, a := range x.Args {
			if dv.dependsOn(a) {
				if k >= 0 {
					return nil, false, nil
				}
				k = i
			}
		}
		if k < 0 {
			return nil, false, nil
		}
		r, ok := dv.rules.Deriv(x.Fn, k)
		if !ok {
			return nil, false, nil
		}
		f := instantiate(r, x.Args)
		if ast.HasDeriv(f) {
			return nil, false, nil
		}
		// Layer f'(u)*d(u, v), by mul: 0 when f' is 0.
		dv.note(e, RuleChain, r)
		if !isCleanBut(f, x.Args) { // the arguments are parts of the input, checked with it
			dv.dirty = true
		}
		if f == ast.Zero {
			return ast.Zero, true, nil
		}
		u, err := dv.dDep(ctx, x.Args[k])
		if err != nil {
			return nil, true, err
		}
		return mulInPlace([]ast.Expr{f, u}), true, nil
	}
	return nil, false, nil
}

// product is the value of the product rule's layer for x, built directly
// (what resolve makes of the layer, with the unit factors and zero terms
// dropped): each term is copied once, not rebuilt around the value of its
// derivative.
func (dv *deriver) product(ctx context.Context, x *ast.Mul) (ast.Expr, error) {
	var terms []ast.Expr
	fs := make([]ast.Expr, len(x.Factors))
	for i, f := range x.Factors {
		if !dv.dependsOn(f) {
			continue
		}
		df, err := dv.dDep(ctx, f)
		if err != nil {
			return nil, err
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		fs = append(fs[:0], x.Factors...)
		fs[i] = df
		if t := mulInPlace(fs); t != ast.Zero {
			terms = append(terms, t)
		}
	}
	return add(terms...), nil
}

// derivFactors reports whether the only derivatives in m are factors
// d(x, v) of it (the chain rule's f'(u)*d(u, v)).
func derivFactors(m *ast.Mul, v ast.Expr) bool {
	for _, f := range m.Factors {
		if d, ok := f.(*ast.Deriv); ok {
			if d.Wrt != v {
				return false
			}
		} else if ast.HasDeriv(f) {
			return false
		}
	}
	return true
}

// fillFactors is resolve for a layer that derivFactors accepts: the
// factors d(x, v) replaced by their values, without a walk of its own
// (one per layer: 10,000 for sin nested 10,000 deep).
func (dv *deriver) fillFactors(ctx context.Context, m *ast.Mul) (ast.Expr, error) {
	fs := slices.Clone(m.Factors)
	for i, f := range fs {
		if d, ok := f.(*ast.Deriv); ok {
			v, err := dv.dOf(ctx, d.X, d)
			if err != nil {
				return nil, err
			}
			fs[i] = v
		}
	}
	return mulInPlace(fs), nil
}

// derivChildren reports whether the only derivatives in e, which is not
// one itself, are children d(x, v) of it (linearity's d(u, v)/c and the
// sum of the terms' d(t, v)).
func derivChildren(e ast.Expr, v ast.Expr) bool {
	if _, isD := e.(*ast.Deriv); isD {
		return false
	}
	for _, k := range ast.Children(e) {
		if d, ok := k.(*ast.Deriv); ok {
			if d.Wrt != v {
				return false
			}
		} else if ast.HasDeriv(k) {
			return false
		}
	}
	return true
}

// fillShortcut turns on fillChildren (the tests compare it with resolve).
var fillShortcut = true

// fillChildren is resolve for a layer that derivChildren accepts: the
// children d(x, v) replaced by their values and the node rebuilt and
// cleaned, as resolve's walk does it, without the walk's memo (one per
// layer: a thousand for W4's sum of a thousand quotients).
func (dv *deriver) fillChildren(ctx context.Context, e ast.Expr) (ast.Expr, error) {
	kids := ast.Children(e)
	var nk []ast.Expr // made when a child is replaced
	for i, k := range kids {
		d, ok := k.(*ast.Deriv)
		if !ok {
			continue
		}
		val, err := dv.dOf(ctx, d.X, d)
		if err != nil {
			return nil, err
		}
		if nk == nil {
			nk = slices.Clone(kids)
		}
		nk[i] = val
	}
	if nk == nil {
		return clean(e), nil
	}
	return clean(ast.WithChildren(e, nk)), nil
}

// resolve replaces the derivatives d(x, v) that a layer left by their
// values.
func (dv *deriver) resolve(ctx context.Context, e ast.Expr) (ast.Expr, error) {
	return rewriteDerivs(e, false, func(d *ast.Deriv) (ast.Expr, error) {
		if d.Wrt != dv.v {
			return nil, nil
		}
		return dv.dOf(ctx, d.X, d)
	})
}

// dd is d(x, v) as a node, or 0 when x cannot depend on v.
func (dv *deriver) dd(x ast.Expr) ast.Expr {
	if !dv.dependsOn(x) {
		return ast.Zero
	}
	return ast.NewDeriv(x, dv.v)
}

// layer applies one rule to d(e, v) and names it, with the rules it used
// besides (a derivative rule, a definition). The result may contain
// derivatives d(x, v) of parts x of e.
func (dv *deriver) layer(ctx context.Context, e ast.Expr) (ast.Expr, *rules.Rule, []*rules.Rule, error) {
	if !dv.dependsOn(e) {
		return ast.Zero, RuleConst, nil, nil
	}
	switch x := e.(type) {
	case *ast.Sym:
		if x.Name == dv.name {
			if _, isSym := dv.v.(*ast.Sym); !isSym {
				return nil, nil, nil, &Error{Msg: fmt.Sprintf("%s is used without indices in the expression: differentiate with respect to %s, not %s", dv.name, dv.name, ast.String(dv.v)), At: e}
			}
			return ast.One, RuleVar, nil, nil
		}
		return dv.openDef(x.Name, nil, e)
	case *ast.Index:
		if x.Name == dv.name {
			w, ok := dv.v.(*ast.Index)
			if !ok {
				return nil, nil, nil, &Error{Msg: fmt.Sprintf("%s is used with indices (%s): differentiate with respect to %s[...]", x.Name, ast.String(x), x.Name), At: e}
			}
			if len(w.Indices) != len(x.Indices) {
				return nil, nil, nil, &Error{Msg: fmt.Sprintf("%s has %d indices but %s has %d", ast.String(x), len(x.Indices), ast.String(w), len(w.Indices)), At: e}
			}
			var deltas []ast.Expr
			for i := range x.Indices {
				deltas = append(deltas, ast.Delta(x.Indices[i], w.Indices[i]))
			}
			return mul(deltas...), RuleVar, nil, nil
		}
		return dv.openDef(x.Name, x.Indices, e)
	case *ast.Neg:
		return ast.NewNeg(dv.dd(x.X)), RuleLinear, nil, nil
	case *ast.Add:
		var terms []ast.Expr
		for _, t := range x.Terms {
			if dt := dv.dd(t); dt != ast.Zero {
				terms = append(terms, dt)
			}
		}
		return add(terms...), RuleLinear, nil, nil
	case *ast.Mul:
		var dep []int
		for i, f := range x.Factors {
			if dv.dependsOn(f) {
				dep = append(dep, i)
			}
		}
		// The product rule writes n terms of n factors: d/dx of
		// (x+1)...(x+5000) is 25 million references, so the loop
		// answers a cancellation at every term.
		terms := make([]ast.Expr, 0, len(dep))
		fs := make([]ast.Expr, len(x.Factors))
		for _, i := range dep {
			if err := ctx.Err(); err != nil {
				return nil, nil, nil, err
			}
			fs = append(fs[:0], x.Factors...)
			fs[i] = dv.dd(x.Factors[i])
			terms = append(terms, mulInPlace(fs))
		}
		if len(dep) == 1 {
			return terms[0], RuleLinear, nil, nil
		}
		return add(terms...), RuleProduct, nil, nil
	case *ast.Div:
		dx, dy := dv.dependsOn(x.X), dv.dependsOn(x.Y)
		switch {
		case !dy:
			return ast.NewDiv(dv.dd(x.X), x.Y), RuleLinear, nil, nil
		case !dx:
			// (c/w)' = -c w'/w^2
			return ast.NewNeg(ast.NewDiv(mul(x.X, dv.dd(x.Y)), ast.NewPow(x.Y, ast.Two))), RuleQuotient, nil, nil
		}
		num := add(mul(dv.dd(x.X), x.Y), ast.NewNeg(mul(x.X, dv.dd(x.Y))))
		return ast.NewDiv(num, ast.NewPow(x.Y, ast.Two)), RuleQuotient, nil, nil
	case *ast.Pow:
		return dv.pow(x)
	case *ast.Call:
		return dv.call(x)
	case *ast.Sum:
		if dv.dependsOn(x.Lo) || dv.dependsOn(x.Hi) {
			return nil, nil, nil, &Error{Msg: fmt.Sprintf("cannot differentiate %s with respect to %s: a bound of the sum depends on it (sums are over whole numbers)", ast.String(e), ast.String(dv.v)), At: e}
		}
		v, body := x.Var, x.Body
		if ast.HasFree(dv.v, v) {
			// d(sum(k=..., a[k]*w[k]), w[k]): rename the bound k first.
			nv := ast.Fresh(v, func(c string) bool { return ast.HasFree(dv.v, c) || ast.HasFree(x.Body, c) })
			body, v = ast.Rename(body, v, nv), nv
		}
		return ast.NewSum(x.Op, v, x.Lo, x.Hi, dv.dd(body)), RuleLinear, nil, nil
	case *ast.Deriv:
		inner, err := D(ctx, x.X, x.Wrt, dv.opt)
		if err != nil {
			return nil, nil, nil, err
		}
		return dv.dd(inner), RuleNestedDiff, nil, nil
	case *ast.Num:
		return ast.Zero, RuleConst, nil, nil
	case *ast.Iverson:
		// A condition on integers (indices, sizes) is constant wherever
		// the derivative exists.
		return ast.Zero, RuleConst, nil, nil
	case *ast.Condition:
		// A condition as a value (1 or 0) is constant except where it
		// switches, a set of measure zero.
		return ast.Zero, RuleConst, nil, nil
	case *ast.If:
		return dv.piecewise(x), RulePiecewise, nil, nil
	case *ast.MatOp:
		// The matrix layer (simplify/matrix) differentiates in index form.
		return nil, nil, nil, &Error{Msg: fmt.Sprintf("cannot differentiate the matrix expression %s here: it is differentiated in index form", ast.String(e)), At: e}
	}
	panic(fmt.Sprintf("derive: unexpected node %T", e))
}

// openDef replaces a defined name (that depends on v) by its definition.
func (dv *deriver) openDef(name string, args []ast.Expr, e ast.Expr) (ast.Expr, *rules.Rule, []*rules.Rule, error) {
	d, ok := dv.lookupDef(name)
	if !ok {
		return ast.Zero, RuleConst, nil, nil
	}
	return dv.dd(d.Instantiate(args)), RuleDef, []*rules.Rule{dv.defRule(d)}, nil
}

// defRule is the rule that opens d, made once per definition so that a
// trace names one rule however often d is opened.
func (dv *deriver) defRule(d *ast.Def) *rules.Rule {
	if r, ok := dv.defRules[d]; ok {
		return r
	}
	if dv.defRules == nil {
		dv.defRules = map[*ast.Def]*rules.Rule{}
	}
	r := rules.DefRule(d)
	dv.defRules[d] = r
	return r
}

func (dv *deriver) pow(x *ast.Pow) (ast.Expr, *rules.Rule, []*rules.Rule, error) {
	bx, by := dv.dependsOn(x.X), dv.dependsOn(x.Y)
	switch {
	case !by:
		// (u^c)' = c u^(c-1) u'
		term := mul(x.Y, powerFactor(x), dv.dd(x.X))
		if t, ok := dv.throughFlat(x.X, func(val ast.Expr) ast.Expr {
			return ast.NewPow(val, x.Y)
		}, func(val ast.Expr) ast.Expr {
			return mul(x.Y, ast.NewPow(val, add(x.Y, ast.MinusOne)))
		}, term); ok {
			return t, RuleFlatChain, nil, nil
		}
		return term, RulePower, nil, nil
	case !bx:
		// (c^u)' = c^u log(c) u'
		return mul(x, ast.NewCall("log", x.X), dv.dd(x.Y)), RuleExpRule, nil, nil
	}
	// (u^w)' = u^w (w' log u + w u'/u)
	inner := add(mul(dv.dd(x.Y), ast.NewCall("log", x.X)), ast.NewDiv(mul(x.Y, dv.dd(x.X)), x.X))
	return mul(x, inner), RuleGenPower, nil, nil
}

// powerFactor is the power rule's u^(c-1) for x = u^c.
func powerFactor(x *ast.Pow) ast.Expr {
	var exp ast.Expr
	if n, ok := x.Y.(*ast.Num); ok {
		exp = ast.NewNum(n.Value.Sub(ast.Int(1)))
	} else {
		exp = add(x.Y, ast.MinusOne)
	}
	if ast.IsNum(exp, 1) {
		return x.X
	} else if ast.IsNum(exp, 0) {
		return ast.One
	}
	return ast.NewPow(x.X, exp)
}

func (dv *deriver) call(x *ast.Call) (ast.Expr, *rules.Rule, []*rules.Rule, error) {
	if x.Fn == "delta" {
		return ast.Zero, RuleConst, nil, nil
	}
	var terms []ast.Expr
	var used []*rules.Rule
	var missing []int
	flat := false
	for k, a := range x.Args {
		if !dv.dependsOn(a) {
			continue
		}
		r, ok := dv.rules.Deriv(x.Fn, k)
		if !ok {
			missing = append(missing, k)
			continue
		}
		at := func(val ast.Expr) []ast.Expr {
			args := slices.Clone(x.Args)
			args[k] = val
			return args
		}
		term, fl := dv.throughFlat(a, func(val ast.Expr) ast.Expr {
			return ast.NewCall(x.Fn, at(val)...)
		}, func(val ast.Expr) ast.Expr {
			return instantiate(r, at(val))
		}, mul(instantiate(r, x.Args), dv.dd(a)))
		flat = flat || fl
		terms = append(terms, term)
		used = append(used, r)
	}
	if len(missing) == 0 {
		if len(terms) == 0 {
			// Only the definition depends on v (a user function's body
			// mentions v): open it.
			return dv.openDef(x.Fn, x.Args, x)
		}
		if flat {
			return add(terms...), RuleFlatChain, used, nil
		}
		return add(terms...), RuleChain, used, nil
	}
	// No derivative rule for some argument: differentiate the definition.
	if d, ok := dv.lookupDef(x.Fn); ok && d.Kind == ast.DefFunc {
		return dv.openDef(x.Fn, x.Args, x)
	}
	return nil, nil, nil, &Error{Msg: fmt.Sprintf("no derivative rule for %s with respect to its argument %d: define %s(...) := ... or add a rule: deriv %s(u) = ...", x.Fn, missing[0]+1, x.Fn, x.Fn), At: x}
}

// instantiate is r.Instantiate(args): r's body with its parameters
// replaced by args (ast.Subst), without Subst's map and memo for a body
// with no sum over an index in it (no bound name to keep from capture):
// the derivative rules' bodies are small (cos(u), -sin(u)), and W3 uses
// one at each of 10,000 levels.
func instantiate(r *rules.Rule, args []ast.Expr) ast.Expr {
	if len(r.Params) == len(args) {
		value := func(name string) (ast.Expr, bool) {
			if i := slices.Index(r.Params, name); i >= 0 {
				return args[i], true
			}
			return nil, false
		}
		if out, ok := ast.SubstNoSums(r.Body, value); ok {
			return out
		}
	}
	return r.Instantiate(args)
}

// add and mul build sums and products, dropping zero terms and unit
// factors (and a product with a zero factor); the simplifier does the rest.
func add(terms ...ast.Expr) ast.Expr {
	out := terms[:0:0]
	for _, t := range terms {
		if t != ast.Zero {
			out = append(out, t)
		}
	}
	return ast.NewAdd(out...)
}

func mul(factors ...ast.Expr) ast.Expr {
	return mulInPlace(slices.Clone(factors))
}

// mulInPlace is mul on a slice of the caller's that it may overwrite (the
// product is interned with a copy of its own): the product rule's n terms
// of n factors are filtered in one scratch slice, not in n new ones.
func mulInPlace(factors []ast.Expr) ast.Expr {
	out := factors[:0]
	for _, f := range factors {
		if f == ast.Zero {
			return ast.Zero
		}
		if f != ast.One {
			out = append(out, f)
		}
	}
	return ast.NewMul(out...)
}
