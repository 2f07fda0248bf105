package simplify

import (
	"context"
	"slices"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/derive"
	"github.com/symdiff/symdiff/rules"
)

// A derivation is what a person writes to show a derivative: a chain of
// equalities from d(E, v) to its simplest form, each justified. It is a
// rendering of the trace that simplifying d(E, v) recorded: the rounds of
// the differentiation step (derive.Rounds), then the simplifier's passes,
// each shown in display form. Nothing is computed again, so the
// derivation cannot disagree with the result that diff prints.

// A Line is one equality of a derivation: = Expr, by Step. The step's rule
// and the rules its sub-steps used are the justification.
type Line struct {
	Expr ast.Expr // in display form; may hold unevaluated d(...)
	Step rules.Step
	// Also holds the steps of lines merged into this one because they
	// show the same expression.
	Also []rules.Step
}

// A Derivation is d(E, v) = Lines[0] = Lines[1] = ... = Result.
type Derivation struct {
	Start  ast.Expr // d(E, v)
	Lines  []Line
	Result ast.Expr
	Stop   StopReason
	Detail string
	Ranges map[string]Range // the free indices' ranges it holds for
}

// Derivation returns the derivation of a result whose input is a
// derivative d(E, v), built from its trace on first use; nil if the input
// is not a derivative.
func (r *Result) Derivation() (*Derivation, error) { return r.DerivationContext(context.Background()) }

// DerivationContext is Derivation, giving up with ctx's error once ctx is
// done (a derivation of a deep expression takes seconds); a derivation
// given up is not kept.
func (r *Result) DerivationContext(ctx context.Context) (*Derivation, error) {
	if _, ok := r.Input.(*ast.Deriv); !ok {
		return nil, nil
	}
	return r.StepsContext(ctx)
}

// StepsContext returns the steps of any result as every view shows them
// (text, JSON, LaTeX, the REPL): the derivation when the input is a
// derivative, else the passes that changed the input, each in display
// form, ending on the result. It is built once, from the trace.
func (r *Result) StepsContext(ctx context.Context) (*Derivation, error) {
	if r.deriv != nil || r.derr != nil {
		return r.deriv, r.derr
	}
	d, err := r.derivation(ctx, r.Input)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	r.deriv, r.derr = d, err
	return r.deriv, r.derr
}

func (r *Result) derivation(ctx context.Context, start ast.Expr) (*Derivation, error) {
	s := r.s
	d := &Derivation{Start: start, Result: r.Expr, Stop: r.Stop, Detail: r.Detail, Ranges: r.Ranges}
	// Two steps that read the same (-(2*x) and -2*x both print -2x in
	// LaTeX, the most forgiving of the printers) are one line. A step
	// back to a form shown before (the start, or an earlier line) ends a
	// detour: the lines since are dropped, as a person would not write
	// σ(y) = σ(y)·(e^y + 1)·(1 − σ(y)) = σ(y); each remaining pair of lines
	// is still one of the trace's equalities, or a chain of them.
	startTeX := ast.LaTeXString(start)
	texs := []string{} // the LaTeX of each line
	seen := map[string]int{startTeX: 0}
	contracted := false
	add := func(e ast.Expr, st rules.Step) {
		e = flatReciprocals(e)
		t := ast.LaTeXString(e)
		if n, ok := seen[t]; ok {
			if n > 0 && n == len(d.Lines) {
				d.Lines[n-1].Also = append(d.Lines[n-1].Also, st)
				return
			}
			for _, old := range texs[n:] {
				delete(seen, old)
			}
			d.Lines, texs = d.Lines[:n], texs[:n]
			return
		}
		seen[t] = len(d.Lines) + 1
		texs = append(texs, t)
		d.Lines = append(d.Lines, Line{Expr: e, Step: st})
	}
	_, isDeriv := start.(*ast.Deriv)
	for _, st := range r.Trace {
		switch {
		case isDeriv && st.Rule == derive.RuleDifferentiate && st.Before == start:
			rounds, err := derive.RoundsContext(ctx, st)
			if err != nil {
				return nil, err
			}
			for _, rd := range rounds {
				if ctx.Err() != nil {
					return nil, ctx.Err()
				}
				add(s.ShowRaw(rd.After), rd)
			}
			raw := st.After
			if c, steps := s.contractDeltas(raw); c != raw {
				add(s.ShowRaw(c), rules.Step{Rule: RuleDeltaContraction, Before: raw, After: c, Sub: steps})
				contracted = true
				raw = c
			}
			// The key cancellation of a derivation (1/p against the p of
			// p(1 - p)) is a line of its own, before collecting.
			if c := cancelInverses(flatten(raw), s.sameValue()); c != flatten(raw) {
				add(s.ShowRaw(c), rules.Step{Rule: RuleCancelInverse, Before: raw, After: c})
			}
		case !isDeriv && st.Rule == derive.RuleDifferentiate:
			// The derivatives inside an expression: one line.
			add(s.ShowRaw(st.After), st)
		case st.Rule == derive.RuleDifferentiate, st.Rule == PassExpandDefs, st.Rule == PassFoldDefs:
			// Inner derivatives, definitions opened and folded back: the
			// lines show them already.
		default:
			if contracted {
				// The deltas have a line of their own already.
				st.Sub = slices.DeleteFunc(slices.Clone(st.Sub), func(m rules.Step) bool { return m.Rule == RuleDeltaContraction })
			}
			add(s.Display(st.After, r.prefer), st)
		}
	}
	if n := len(d.Lines); n == 0 || d.Lines[n-1].Expr != r.Expr {
		rule := PassResult
		if r.form != nil {
			rule = r.form
		}
		add(r.Expr, rules.Step{Rule: rule, After: r.Expr})
	}
	// The last line is the result as the views print it, even where it
	// reads as a line before it in LaTeX (-(2*x) and -2*x).
	if n := len(d.Lines); n > 0 && texs[n-1] == ast.LaTeXString(flatReciprocals(r.Expr)) {
		d.Lines[n-1].Expr = r.Expr
	}
	return d, nil
}

// flatReciprocals writes 1/(a/b) as b/a in a line of a derivation: the
// chain rule of log (log'(u) = 1/u) applied to a quotient u makes the
// fraction within a fraction, which a person writes flat. The two are
// equal wherever 1/(a/b) is defined.
func flatReciprocals(e ast.Expr) ast.Expr {
	found := false
	ast.InspectOnce(e, func(x ast.Expr) bool {
		found = found || isReciprocalOfQuotient(x)
		return !found
	})
	if !found {
		return e
	}
	return ast.Map(e, func(x ast.Expr) ast.Expr {
		if isReciprocalOfQuotient(x) {
			q := x.(*ast.Div).Y.(*ast.Div)
			return ast.NewDiv(q.Y, q.X)
		}
		return x
	})
}

func isReciprocalOfQuotient(e ast.Expr) bool {
	d, ok := e.(*ast.Div)
	if !ok || d.X != ast.One {
		return false
	}
	_, ok = d.Y.(*ast.Div)
	return ok
}

func (s *Simplifier) lookupDef(name string) (*ast.Def, bool) {
	if d, ok := s.opt.Defs.Lookup(name); ok {
		return d, true
	}
	return s.rules.Defs().Lookup(name)
}

// Display returns a canonical expression as it is shown: definitions
// folded back (preferring those in prefer) and tidied.
func (s *Simplifier) Display(e ast.Expr, prefer map[string]int) ast.Expr {
	if s.opt.Expanded {
		return Tidy(e)
	}
	return Tidy(s.Fold(e, prefer, false))
}

// Show displays an expression of the result's trace, with the simplifier
// that made it (its definitions folded back, preferring those the input
// used).
func (r *Result) Show(e ast.Expr) ast.Expr { return r.s.Show(e, r.prefer) }

// Defs returns the definitions the simplifier works with.
func (s *Simplifier) Defs() *ast.Defs { return s.opt.Defs }

// Show displays any expression of a trace: canonical forms through
// Display, others (a derivative as the rules leave it, an expression with
// its definitions opened) as they stand, flattened and folded.
func (s *Simplifier) Show(e ast.Expr, prefer map[string]int) ast.Expr {
	canonical := true
	ast.InspectOnce(e, func(x ast.Expr) bool {
		switch x.(type) {
		case *ast.Neg, *ast.Div, *ast.Deriv:
			canonical = false
		}
		return canonical
	})
	if canonical {
		return s.Display(e, prefer)
	}
	return s.ShowRaw(e)
}

// Preferred ranks the definitions by how directly the expressions use
// them, for folding (see Fold).
func Preferred(defs *ast.Defs, es ...ast.Expr) map[string]int {
	out := map[string]int{}
	for _, e := range es {
		for k, v := range preferred(e, defs) {
			if old, ok := out[k]; !ok || v < old {
				out[k] = v
			}
		}
	}
	return out
}

// ShowRaw shows an intermediate line of a derivation: nested sums and
// products flattened, the user's defined names folded back in (outside
// the derivatives still to be taken).
func (s *Simplifier) ShowRaw(e ast.Expr) ast.Expr {
	e = flatten(e)
	if s.opt.Expanded || s.opt.Defs.Len() == 0 {
		return e
	}
	var pats []*foldPattern
	for _, d := range s.opt.Defs.All() {
		if _, isNum := d.Body.(*ast.Num); isNum || d.Body.Size() < 2 {
			continue
		}
		switch d.Body.(type) {
		case *ast.Sym, *ast.Index:
			continue // an alias (q[i] := z[i]) would rename every z[i]
		}
		pats = append(pats, &foldPattern{def: d, lhs: d.Body, params: d.Params})
	}
	memo := map[ast.Expr]ast.Expr{}
	var fold func(ast.Expr) ast.Expr
	fold = func(x ast.Expr) ast.Expr {
		if r, ok := memo[x]; ok {
			return r
		}
		r := x
		if _, isDeriv := x.(*ast.Deriv); !isDeriv {
			// Fold the parts first, so that sigma(sum(...)) becomes
			// sigma(z[i]) and then p[i].
			if kids := ast.Children(x); len(kids) > 0 {
				nk := make([]ast.Expr, len(kids))
				for i, k := range kids {
					nk[i] = fold(k)
				}
				x = ast.WithChildren(x, nk)
				r = x
			}
			for _, p := range pats {
				m, ok := rules.MatchRoot(p.lhs, x, p.params)
				if !ok || len(m.Rest) > 0 || !indexBindings(p.def, m.Bindings) {
					continue
				}
				args := make([]ast.Expr, len(p.params))
				for i, name := range p.params {
					args[i] = m.Bindings[name]
				}
				r = defHead(p.def, args)
				break
			}
		}
		memo[x] = r
		return r
	}
	return fold(e)
}

// flatten merges nested sums and products, and double negations, which
// the derivative rules create and a person would not write.
func flatten(e ast.Expr) ast.Expr {
	return ast.Map(e, func(x ast.Expr) ast.Expr {
		switch y := x.(type) {
		case *ast.Mul:
			var fs []ast.Expr
			neg := false
			for _, f := range y.Factors {
				if n, ok := f.(*ast.Neg); ok {
					neg = !neg
					f = n.X
				}
				if m, ok := f.(*ast.Mul); ok {
					fs = append(fs, m.Factors...)
				} else {
					fs = append(fs, f)
				}
			}
			out := ast.NewMul(fs...)
			if neg {
				return ast.NewNeg(out)
			}
			return out
		case *ast.Add:
			var ts []ast.Expr
			for _, t := range y.Terms {
				if a, ok := t.(*ast.Add); ok {
					ts = append(ts, a.Terms...)
				} else {
					ts = append(ts, t)
				}
			}
			return ast.NewAdd(ts...)
		case *ast.Neg:
			if n, ok := y.X.(*ast.Neg); ok {
				return n.X
			}
		}
		return x
	})
}

// contractDeltas applies sum(j=lo..hi, ... * delta(j,k) * ...) =
// (...)[j:=k]*[lo <= k <= hi] to an expression as it stands, for the
// derivation's delta step, and returns a step for each contraction. The
// condition is dropped where the ranges in scope decide it (the enclosing
// sums' and the free indices'), as the canonical form does.
func (s *Simplifier) contractDeltas(e ast.Expr) (ast.Expr, []rules.Step) {
	var steps []rules.Step
	c := newCanon(s, expandNone, false)
	saved := s.scope
	defer func() { s.scope = saved }()
	var walk func(x ast.Expr, scope []scopeEntry) ast.Expr
	walk = func(x ast.Expr, scope []scopeEntry) ast.Expr {
		sum, isSum := x.(*ast.Sum)
		kids := ast.Children(x)
		nk := make([]ast.Expr, len(kids))
		for i, k := range kids {
			inner := scope
			if isSum && i == 2 {
				inner = append(slices.Clip(scope), scopeEntry{sum.Var, sum.Lo, sum.Hi})
			}
			nk[i] = walk(k, inner)
		}
		x = ast.WithChildren(x, nk)
		s2, ok := x.(*ast.Sum)
		if !ok {
			return x
		}
		fs := []ast.Expr{s2.Body}
		if m, ok := s2.Body.(*ast.Mul); ok {
			fs = m.Factors
		}
		for i, f := range fs {
			call, ok := f.(*ast.Call)
			if !ok {
				continue
			}
			k, ok := deltaPartner(call, s2.Var)
			if !ok {
				continue
			}
			rest := slices.Delete(slices.Clone(fs), i, i+1)
			r := ast.Subst(ast.NewMul(rest...), map[string]ast.Expr{s2.Var: k})
			s.scope = scope
			cond := c.cond(c.expr(s2.Lo), c.expr(k), c.expr(s2.Hi))
			switch {
			case cond == ast.Zero:
				r = ast.Zero
			case r == ast.One:
				r = cond
			case cond != ast.One:
				r = ast.NewMul(r, cond)
			}
			if s2.Op == ast.OpMean {
				r = ast.NewDiv(r, ast.Count(s2.Lo, s2.Hi))
			}
			steps = append(steps, rules.Step{Rule: RuleDeltaContraction, Before: x, After: r})
			return r
		}
		return x
	}
	return walk(e, nil), steps
}

// cancelInverses cancels, in every product, a factor 1/u against a
// factor u: y*(1/p)*p*(1 - p) is y*(1 - p). It is an identity wherever
// the product is defined (there u ≠ 0).
func cancelInverses(e ast.Expr, same func(a, b ast.Expr) bool) ast.Expr {
	return ast.Map(e, func(x ast.Expr) ast.Expr {
		m, ok := x.(*ast.Mul)
		if !ok {
			return x
		}
		fs := slices.Clone(m.Factors)
		changed := false
		for i := 0; i < len(fs); i++ {
			if fs[i] == nil {
				continue
			}
			u, ok := inverseOf(fs[i])
			if !ok {
				continue
			}
			for j := range fs {
				if j != i && fs[j] != nil && same(fs[j], u) {
					fs[i], fs[j] = nil, nil
					changed = true
					break
				}
			}
		}
		if !changed {
			return x
		}
		fs = slices.DeleteFunc(fs, func(f ast.Expr) bool { return f == nil })
		return ast.NewMul(fs...)
	})
}

// inverseOf returns u for a factor 1/u or u^-1.
func inverseOf(f ast.Expr) (ast.Expr, bool) {
	switch x := f.(type) {
	case *ast.Div:
		if x.X == ast.One {
			return x.Y, true
		}
	case *ast.Pow:
		if ast.IsNum(x.Y, -1) {
			return x.X, true
		}
	}
	return nil, false
}

// sameValue compares expressions with the definitions opened: the 1/p of
// log's derivative meets the σ(z) of σ's derivative when p := σ(z).
func (s *Simplifier) sameValue() func(a, b ast.Expr) bool {
	memo := map[ast.Expr]ast.Expr{}
	open := func(e ast.Expr) ast.Expr {
		if r, ok := memo[e]; ok {
			return r
		}
		r := s.ExpandDefs(e)
		memo[e] = r
		return r
	}
	return func(a, b ast.Expr) bool { return a == b || open(a) == open(b) }
}
