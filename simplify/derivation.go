package simplify

import (
	"slices"
	"strings"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/derive"
	"github.com/symdiff/symdiff/rules"
)

// A derivation is what a person writes to show a derivative: a chain of
// equalities from d(E, v) to its simplest form, each justified. The lines
// come from derive.Steps (the same rules D applies) and from the
// simplifier's own passes, so the derivation cannot disagree with the
// result that diff prints.

// A Line is one equality of a derivation: = Expr, by Rule.
type Line struct {
	Expr  ast.Expr       // in display form; may hold unevaluated d(...)
	Rule  string         // the justification, in words
	Chain []*rules.Deriv // derivative rules the chain rule used
	Defs  []*ast.Def     // definitions opened for this line
	// Identity is an equation the line uses, to be shown beside it (the
	// rule of the Kronecker delta).
	Identity *[2]ast.Expr
	// Also lists the justifications of steps merged into this line because
	// they read the same.
	Also  []string
	Micro []Step // rewrites inside, for those who want every one
}

// A Derivation is d(E, v) = Lines[0] = Lines[1] = ... = Result.
type Derivation struct {
	Start  ast.Expr // d(E, v)
	Lines  []Line
	Result ast.Expr
	Stop   StopReason
	Detail string
}

// Derive differentiates e with respect to v, step by step.
func Derive(e, v ast.Expr, opt Options) (*Derivation, error) {
	s := New(opt)
	dopt := derive.Options{Defs: s.opt.Defs, Rules: s.rules, Ctx: s.opt.Ctx}
	rounds, err := derive.Steps(e, v, dopt)
	if err != nil {
		return nil, err
	}
	d := &Derivation{Start: ast.NewDeriv(e, v)}
	add := func(l Line) {
		// Two lines that read the same (-(2*x) and -2*x) are one line.
		if n := len(d.Lines); n > 0 && ast.LaTeXString(d.Lines[n-1].Expr) == ast.LaTeXString(l.Expr) {
			// The same line again: keep one, with both justifications.
			prev := &d.Lines[n-1]
			if !strings.Contains(prev.Rule, l.Rule) && !slices.Contains(prev.Also, l.Rule) {
				prev.Also = append(prev.Also, l.Rule)
			}
			prev.Micro = append(prev.Micro, l.Micro...)
			return
		}
		if ast.LaTeXString(l.Expr) == ast.LaTeXString(d.Start) {
			return
		}
		d.Lines = append(d.Lines, l)
	}
	for _, r := range rounds {
		l := Line{Expr: s.displayRaw(r.Expr), Rule: strings.Join(r.Rules, ", "), Chain: r.Chain}
		for _, name := range r.Defs {
			if def, ok := s.lookupDef(name); ok {
				l.Defs = append(l.Defs, def)
			}
		}
		add(l)
	}
	raw := d.Start
	if len(rounds) > 0 {
		raw = rounds[len(rounds)-1].Expr
	}
	if c := contractDeltas(raw); c != raw {
		a := ast.NewSum(ast.OpSum, "j", ast.One, ast.NewSym("d"), ast.NewMul(ast.NewIndex("a", ast.NewSym("j")), ast.NewCall("delta", ast.NewSym("j"), ast.NewSym("k"))))
		add(Line{Expr: s.displayRaw(c), Rule: "Kronecker delta", Identity: &[2]ast.Expr{a, ast.NewIndex("a", ast.NewSym("k"))}})
		raw = c
	}
	_, steps := s.normalize(raw, true)
	for _, st := range steps {
		if st.Rule == "expand definitions" {
			continue
		}
		add(Line{Expr: s.Display(st.After, preferred(e, s.opt.Defs)), Rule: phaseLabel(st), Micro: st.Micro})
	}
	res, err := Simplify(d.Start, opt)
	if err != nil {
		return nil, err
	}
	d.Result, d.Stop, d.Detail = res.Expr, res.Stop, res.Detail
	if n := len(d.Lines); n == 0 || d.Lines[n-1].Expr != res.Expr {
		add(Line{Expr: res.Expr, Rule: "simplify"})
	}
	return d, nil
}

// phaseLabel names a simplifier pass with the rules it used.
func phaseLabel(st Step) string {
	var names []string
	for _, m := range st.Micro {
		name := m.Rule
		if name == "delta_contraction" {
			name = "Kronecker delta"
		}
		if !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	label := st.Rule
	if len(names) > 0 {
		label += " (" + strings.Join(names, ", ") + ")"
	}
	return label
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
	return s.displayRaw(e)
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

// displayRaw shows an intermediate line of a derivation: nested sums and
// products flattened, the user's defined names folded back in (outside
// the derivatives still to be taken).
func (s *Simplifier) displayRaw(e ast.Expr) ast.Expr {
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

// contractDeltas applies sum(j=lo..hi, ... * delta(j,k) * ...) = (...)[j:=k]
// to an expression as it stands, for the derivation's delta step.
func contractDeltas(e ast.Expr) ast.Expr {
	return ast.Map(e, func(x ast.Expr) ast.Expr {
		s, ok := x.(*ast.Sum)
		if !ok {
			return x
		}
		fs := []ast.Expr{s.Body}
		if m, ok := s.Body.(*ast.Mul); ok {
			fs = m.Factors
		}
		for i, f := range fs {
			call, ok := f.(*ast.Call)
			if !ok {
				continue
			}
			k, ok := deltaPartner(call, s.Var)
			if !ok {
				continue
			}
			rest := slices.Delete(slices.Clone(fs), i, i+1)
			r := ast.Subst(ast.NewMul(rest...), map[string]ast.Expr{s.Var: k})
			if s.Op == ast.OpMean {
				return ast.NewDiv(r, ast.Count(s.Lo, s.Hi))
			}
			return r
		}
		return x
	})
}
