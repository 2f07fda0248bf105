package simplify

import (
	"maps"
	"slices"
	"strconv"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/rules"
	"github.com/symdiff/symdiff/simplify/algebra"
)

// The softmax form. A sum of exponentials S = e^(a_1) + ... + e^(a_n),
// written out or as sum(i=lo..hi, exp(v[i])), makes the softmax
// p_j = e^(a_j)/S. Writing every e^(a_j) as p_j*S (and e^(a + b) as
// e^a*e^b first) is an identity; where S then cancels, the result is a
// rational function of the p_j, simplified further with their sum being
// 1 (a written-out p_j is eliminated as 1 minus the others, the one
// eliminated chosen by cost; sum(i=lo..hi, p[i]) is replaced by 1). The
// p_j are then shown by the user's definitions of them, where the
// expression used such a definition, or written out. So d(p1, z1) with
// p1 := exp(z1)/(exp(z1) + exp(z2) + exp(z3)) is p1*(1 - p1), and the KL
// divergence between softmaxes p and q differentiates to q[l] - p[l].

// FormSoftmax names the softmax form in a derivation.
var FormSoftmax = &rules.Rule{Name: "form_softmax", Kind: rules.Pass, Doc: "write the exponentials through the softmax they make, whose values sum to 1", Source: rules.Source{File: goFile}}

// maxSoftmaxGroups bounds the sums of exponentials handled at once.
const maxSoftmaxGroups = 4

// smGroup is one sum of exponentials.
type smGroup struct {
	s *ast.Sym // stands for the sum
	// Written out: the exponents a_j and the names p_j stand for.
	args []ast.Expr
	ps   []*ast.Sym
	// Indexed: sum(i=lo..hi, exp(v[i])); p[X] stands for exp(v[X])/S.
	name   string
	lo, hi ast.Expr
	p      string
	node   ast.Expr // one of the sum nodes, for writing p back
}

// softmaxGroups finds the sums of exponentials of canonical e.
func softmaxGroups(e ast.Expr) []*smGroup {
	var gs []*smGroup
	ast.InspectOnce(e, func(x ast.Expr) bool {
		if len(gs) >= maxSoftmaxGroups {
			return false
		}
		switch y := x.(type) {
		case *ast.Sum:
			v, ok := indexedExpBody(y)
			if !ok {
				return true
			}
			for _, g := range gs {
				if g.name == v && g.lo == y.Lo && g.hi == y.Hi {
					return true
				}
			}
			n := strconv.Itoa(len(gs))
			gs = append(gs, &smGroup{s: ast.NewSym("§S" + n), name: v, lo: y.Lo, hi: y.Hi, p: "§p" + n, node: y})
		case *ast.Add:
			if len(y.Terms) < 2 {
				return true
			}
			var args []ast.Expr
			for _, t := range y.Terms {
				c, ok := t.(*ast.Call)
				if !ok || c.Fn != "exp" || slices.Contains(args, c.Args[0]) {
					return true
				}
				args = append(args, c.Args[0])
			}
			for _, g := range gs {
				if g.node == x {
					return true
				}
			}
			n := strconv.Itoa(len(gs))
			g := &smGroup{s: ast.NewSym("§S" + n), args: args, node: y}
			for j := range args {
				g.ps = append(g.ps, ast.NewSym("§p"+n+"_"+strconv.Itoa(j)))
			}
			gs = append(gs, g)
		}
		return true
	})
	return gs
}

// indexedExpBody matches sum(i=lo..hi, exp(v[i])) and returns v.
func indexedExpBody(s *ast.Sum) (string, bool) {
	if s.Op != ast.OpSum {
		return "", false
	}
	c, ok := s.Body.(*ast.Call)
	if !ok || c.Fn != "exp" {
		return "", false
	}
	ix, ok := c.Args[0].(*ast.Index)
	if !ok || len(ix.Indices) != 1 || ix.Indices[0] != ast.NewSym(s.Var) {
		return "", false
	}
	return ix.Name, true
}

// splitExp writes exp(a + b) as exp(a)*exp(b) and exp(k*a) as exp(a)^k
// (k a small integer), so that the members of a group are seen.
func splitExp(e ast.Expr) ast.Expr {
	return ast.Map(e, func(x ast.Expr) ast.Expr {
		c, ok := x.(*ast.Call)
		if !ok || c.Fn != "exp" {
			return x
		}
		var fs []ast.Expr
		terms := []ast.Expr{c.Args[0]}
		if a, ok := c.Args[0].(*ast.Add); ok {
			terms = a.Terms
		}
		for _, t := range terms {
			k := int64(1)
			if m, ok := t.(*ast.Mul); ok && len(m.Factors) >= 2 {
				if n, ok := m.Factors[0].(*ast.Num); ok && n.Value.IsInt() {
					if v, small := n.Value.Int64(); small && v >= -64 && v <= 64 && v != 0 {
						k, t = v, ast.NewMul(m.Factors[1:]...)
					}
				}
			}
			f := ast.Expr(ast.NewCall("exp", t))
			if k != 1 {
				f = ast.NewPow(f, ast.NewInt(k))
			}
			fs = append(fs, f)
		}
		if len(fs) == 1 {
			return fs[0]
		}
		return ast.NewMul(fs...)
	})
}

// substitute writes the sums as their symbols and each member e^(a_j) as
// p_j*S.
func (g *smGroup) substitute(e ast.Expr) ast.Expr {
	return ast.Rewrite(e, func(x ast.Expr) (ast.Expr, bool) {
		switch y := x.(type) {
		case *ast.Sum:
			if v, ok := indexedExpBody(y); ok && g.args == nil && v == g.name && y.Lo == g.lo && y.Hi == g.hi {
				return g.s, true
			}
		case *ast.Add:
			if x == g.node {
				return g.s, true
			}
		case *ast.Call:
			if y.Fn != "exp" {
				break
			}
			if g.args != nil {
				if j := slices.Index(g.args, y.Args[0]); j >= 0 {
					return ast.NewMul(g.ps[j], g.s), true
				}
			} else if ix, ok := y.Args[0].(*ast.Index); ok && ix.Name == g.name && len(ix.Indices) == 1 {
				return ast.NewMul(ast.NewIndex(g.p, ix.Indices...), g.s), true
			}
		}
		return nil, false
	})
}

// sumToOne replaces sum(i=lo..hi, p[i]) by 1.
func (g *smGroup) sumToOne(e ast.Expr) ast.Expr {
	if g.args != nil {
		return e
	}
	return ast.Map(e, func(x ast.Expr) ast.Expr {
		if s, ok := x.(*ast.Sum); ok && s.Op == ast.OpSum && s.Lo == g.lo && s.Hi == g.hi {
			if ix, ok := s.Body.(*ast.Index); ok && ix.Name == g.p && len(ix.Indices) == 1 && ix.Indices[0] == ast.NewSym(s.Var) {
				return ast.One
			}
		}
		return x
	})
}

// refold writes a sum ±(1 - p_1 - ... - p_n), one p_j missing, as ±p_j,
// and p_1 + ... + p_n as 1, in a written-out group.
func (g *smGroup) refold(e ast.Expr) ast.Expr {
	if g.args == nil {
		return e
	}
	return ast.Map(e, func(x ast.Expr) ast.Expr {
		a, ok := x.(*ast.Add)
		if !ok || len(a.Terms) > len(g.ps)+1 {
			return x
		}
		c := 0    // the constant term: 1, -1 or none
		sign := 0 // the common sign of the p terms
		seen := make([]bool, len(g.ps))
		for _, t := range a.Terms {
			if n, ok := t.(*ast.Num); ok {
				switch {
				case c != 0:
					return x
				case n.Value.IsOne():
					c = 1
				case n.Value.Neg().IsOne():
					c = -1
				default:
					return x
				}
				continue
			}
			sg := 1
			if n, ok := t.(*ast.Neg); ok {
				sg, t = -1, n.X
			} else if m, ok := t.(*ast.Mul); ok && len(m.Factors) == 2 {
				if n, ok := m.Factors[0].(*ast.Num); ok && n.Value.Neg().IsOne() {
					sg, t = -1, m.Factors[1]
				}
			}
			j := slices.IndexFunc(g.ps, func(p *ast.Sym) bool { return ast.Expr(p) == t })
			if j < 0 || seen[j] || sign != 0 && sg != sign {
				return x
			}
			seen[j], sign = true, sg
		}
		missing := -1
		for j, ok := range seen {
			if !ok {
				if missing >= 0 {
					return x
				}
				missing = j
			}
		}
		switch {
		case missing < 0 && c == 0 && sign == 1:
			return ast.One
		case missing >= 0 && c != 0 && sign == -c:
			if c == 1 {
				return g.ps[missing]
			}
			return ast.NewNeg(g.ps[missing])
		}
		return x
	})
}

// mentions reports whether e still has one of the names in names.
func mentions(e ast.Expr, names func(ast.Expr) bool) bool {
	found := false
	ast.InspectOnce(e, func(x ast.Expr) bool {
		found = found || names(x)
		return !found
	})
	return found
}

// softmaxDisplay returns the display form of canonical e through the
// softmaxes of its sums of exponentials (folded, tidied and reshaped as
// any result), or false when there are none or a sum does not cancel.
func (s *Simplifier) softmaxDisplay(e ast.Expr, prefer map[string]int, skipRoot bool) (ast.Expr, bool) {
	if e.Size() > maxReshape || displayShortcuts && !hasFn(e, "exp") {
		// Every group is a sum of exponentials (softmaxGroups): without an
		// exp, e has none, and the walk for them, by node through a map,
		// was 4% of W4's simplification (a polynomial in x). hasFn walks
		// the small e as a tree.
		return nil, false
	}
	gs := softmaxGroups(e)
	if len(gs) == 0 {
		return nil, false
	}
	for _, g := range gs {
		if g.args == nil && !s.nonEmpty(e, g) {
			return nil, false // S may be 0 (an empty range) where e is defined
		}
	}
	// Extra normalisations are not part of the result's trace or limits.
	stop, detail, micro, steps := s.stop, s.detail, s.micro, s.steps
	defer func() { s.stop, s.detail, s.micro, s.steps = stop, detail, micro, steps }()
	norm := func(x ast.Expr) (ast.Expr, bool) {
		y, _ := s.Normalize(s.ctx, x, false)
		return y, s.stop == StopFixpoint
	}
	x := splitExp(e)
	for _, g := range gs {
		x = g.substitute(x)
	}
	x, ok := norm(x)
	if !ok {
		return nil, false
	}
	for _, g := range gs {
		x = g.sumToOne(x)
	}
	if x, ok = norm(x); !ok {
		return nil, false
	}
	isS := func(y ast.Expr) bool {
		for _, g := range gs {
			if y == g.s {
				return true
			}
		}
		return false
	}
	if mentions(x, isS) {
		return nil, false // not homogeneous in some sum: S does not cancel
	}
	// Eliminate one p_j of each written-out group, every choice tried;
	// afterwards 1 - p1 - p2 is p3 again wherever it is left whole.
	cands := []ast.Expr{x}
	for _, g := range gs {
		if g.args == nil {
			continue
		}
		var next []ast.Expr
		for _, c := range cands {
			for j, pj := range g.ps {
				rest := []ast.Expr{ast.One}
				for k, pk := range g.ps {
					if k != j {
						rest = append(rest, ast.NewNeg(pk))
					}
				}
				y := ast.Subst(c, map[string]ast.Expr{pj.Name: ast.NewAdd(rest...)})
				if y, ok := norm(y); ok {
					next = append(next, y)
				}
			}
		}
		cands = next
	}
	var best ast.Expr
	memo := map[backKey][2]ast.Expr{}
	for _, c := range cands {
		for _, g := range gs {
			c = g.refold(c)
		}
		shown, _ := s.showSoftmax(c, gs, prefer, skipRoot, memo)
		if best == nil || cheaper(shown, best) {
			best = shown
		}
	}
	return best, best != nil
}

// backKey names a softmax written back: its member, and whether its
// siblings' definitions may name it.
type backKey struct {
	member   ast.Expr
	siblings bool
}

// showSoftmax writes the p_j back, folds, tidies and reshapes. A p_j the
// user's definitions name (p1, q[l]) is shown by that name; the others
// stay names (the placeholders) through folding, tidying and reshaping, so
// that each softmax is kept whole, and are written out at the end as the
// ratio e^(a_j)/S (see ratioOf). A written-out group one of whose
// softmaxes the expression used (p1) may show its others by their
// definitions too (p2, p3): they name parts of the same sum.
func (s *Simplifier) showSoftmax(c ast.Expr, gs []*smGroup, prefer map[string]int, skipRoot bool, memo map[backKey][2]ast.Expr) (out ast.Expr, named bool) {
	siblings := maps.Clone(prefer)
	for _, d := range s.opt.Defs.All() {
		if _, ok := siblings[d.Name]; !ok {
			siblings[d.Name] = 1 << 10
		}
	}
	// back is the user's name for e^member/sum, or nil.
	back := func(member, sum ast.Expr, pr map[string]int) ast.Expr {
		k := backKey{member, len(pr) != len(prefer)}
		if r, ok := memo[k]; ok {
			return r[1]
		}
		b, _ := s.Normalize(s.ctx, ast.NewDiv(ast.NewCall("exp", member), sum), false)
		f := s.Fold(b, pr, false)
		r := [2]ast.Expr{f, nil}
		if f != b {
			r[1] = f
		}
		memo[k] = r
		return r[1]
	}
	shown := map[ast.Expr]ast.Expr{}
	for _, g := range gs {
		if g.args == nil {
			continue
		}
		groupNamed := false
		for j, a := range g.args {
			if f := back(a, g.node, prefer); f != nil {
				shown[g.ps[j]], groupNamed = f, true
			}
		}
		named = named || groupNamed
		if groupNamed { // a sibling named by the user's definition
			for j, a := range g.args {
				if f := back(a, g.node, siblings); f != nil {
					shown[g.ps[j]] = f
				}
			}
		}
	}
	out = ast.Map(c, func(x ast.Expr) ast.Expr {
		if y, ok := shown[x]; ok {
			return y
		}
		if y, ok := x.(*ast.Index); ok {
			for _, g := range gs {
				if y.Name == g.p {
					if b := back(ast.NewIndex(g.name, y.Indices...), g.node, prefer); b != nil {
						named = true
						return b
					}
				}
			}
		}
		return x
	})
	out = Tidy(s.Fold(out, prefer, skipRoot))
	if r, rule := reshape(s.ctx, out, false); rule != nil {
		out = r
	}
	// Common factors taken out where that costs nothing: p1*(1 - p1).
	if f, err := algebra.FactorContext(s.ctx, out); err == nil && Cost(f.Expr) <= Cost(out) && isProduct(f.Expr) && !isProduct(out) {
		out = f.Expr
	}
	// Terms grouped by a softmax: p1*(y1 + y2 + y3) - y1.
	if a, ok := out.(*ast.Add); ok {
		if c := collectSum(s.ctx, a); cheaper(c, out) {
			out = c
		}
	}
	return s.writeRatios(out, gs), named
}

// writeRatios writes each softmax left unnamed as the ratio e^(a_j)/S in
// display form, a minus sign on its numerator.
func (s *Simplifier) writeRatios(e ast.Expr, gs []*smGroup) ast.Expr {
	ratio := func(x ast.Expr) ast.Expr {
		for _, g := range gs {
			switch y := x.(type) {
			case *ast.Sym:
				if j := slices.Index(g.ps, y); j >= 0 {
					return g.ratio(g.args[j])
				}
			case *ast.Index:
				if y.Name == g.p {
					return g.ratio(ast.NewIndex(g.name, y.Indices...))
				}
			}
		}
		return nil
	}
	var write func(ast.Expr) ast.Expr
	write = func(e ast.Expr) ast.Expr {
		return ast.Rewrite(e, func(x ast.Expr) (ast.Expr, bool) {
			switch y := x.(type) {
			case *ast.Add: // a - p stays a subtraction
				terms := make([]ast.Expr, len(y.Terms))
				for i, t := range y.Terms {
					if n, ok := t.(*ast.Neg); ok {
						terms[i] = ast.NewNeg(write(n.X))
					} else {
						terms[i] = write(t)
					}
				}
				return ast.NewAdd(terms...), true
			case *ast.Neg: // -p*q is -e^a/S*(e^b/S), not (-(e^a/S))*(e^b/S)
				if r, ok := ratio(y.X).(*ast.Div); ok {
					return ast.NewDiv(ast.NewNeg(r.X), r.Y), true
				}
			}
			r := ratio(x)
			return r, r != nil
		})
	}
	// A sum written in under a sum over the same index gets its own.
	out := write(e)
	return unshadow(out, slices.Clone(ast.FreeNames(out)))
}

// ratio is e^a/S in display form. S is never 0: a written-out S is a sum
// of two or more exponentials of real numbers, each positive; an indexed
// S = sum(i=lo..hi, exp(v[i])) is positive unless its range is empty, and
// softmaxDisplay uses an indexed group only where the expression divides
// by S already (so it is undefined where S = 0, as the ratio is).
func (g *smGroup) ratio(a ast.Expr) ast.Expr {
	return ast.NewDiv(Tidy(ast.NewCall("exp", a)), Tidy(g.node))
}

// isRatio reports whether d is a softmax written out: e^a (or -e^a) over
// a sum of exponentials of which e^a is one, written out
// (e^a + e^b + ...) or indexed (exp(v[k]) over sum(i=lo..hi, exp(v[i]))).
func isRatio(d *ast.Div) bool {
	x := d.X
	if n, ok := x.(*ast.Neg); ok {
		x = n.X
	}
	c, ok := x.(*ast.Call)
	if !ok || c.Fn != "exp" {
		return false
	}
	switch y := d.Y.(type) {
	case *ast.Add:
		member := false
		for _, t := range y.Terms {
			tc, ok := t.(*ast.Call)
			if !ok || tc.Fn != "exp" {
				return false
			}
			member = member || t == ast.Expr(c)
		}
		return member
	case *ast.Sum:
		v, ok := indexedExpBody(y)
		ix, isIx := c.Args[0].(*ast.Index)
		return ok && isIx && ix.Name == v && len(ix.Indices) == 1
	}
	return false
}

// nonEmpty reports whether the range of an indexed group is known to hold
// an index wherever e is defined, so that its S is positive: e divides by
// S, or the range has number bounds lo <= hi, or it is the range of one of
// e's free indices (the result is stated for the indices in that range).
func (s *Simplifier) nonEmpty(e ast.Expr, g *smGroup) bool {
	if dividesBy(e, g.same) {
		return true
	}
	lo, ok1 := g.lo.(*ast.Num)
	hi, ok2 := g.hi.(*ast.Num)
	if ok1 && ok2 {
		return lo.Value.Cmp(hi.Value) <= 0
	}
	for _, v := range ast.FreeNames(e) {
		if r, ok := s.opt.Ranges[v]; ok && r.Lo == g.lo && r.Hi == g.hi {
			return true
		}
	}
	return false
}

// same reports whether x is the indexed sum of g (whatever its index).
func (g *smGroup) same(x ast.Expr) bool {
	y, ok := x.(*ast.Sum)
	if !ok {
		return false
	}
	v, ok := indexedExpBody(y)
	return ok && v == g.name && y.Lo == g.lo && y.Hi == g.hi
}

// dividesBy reports whether e has a power of an s with a negative
// exponent where it is always evaluated (not in the body of a sum, whose
// range may be empty, nor in a branch of an if): then e is undefined where
// s = 0.
func dividesBy(e ast.Expr, s func(ast.Expr) bool) bool {
	seen := map[ast.Expr]bool{}
	var walk func(ast.Expr) bool
	walk = func(x ast.Expr) bool {
		if seen[x] {
			return false
		}
		seen[x] = true
		switch y := x.(type) {
		case *ast.Pow:
			if n, ok := y.Y.(*ast.Num); ok && n.Value.Sign() < 0 && s(y.X) {
				return true
			}
		case *ast.Sum, *ast.If:
			return false
		}
		for _, k := range ast.Children(x) {
			if walk(k) {
				return true
			}
		}
		return false
	}
	return walk(e)
}

// isProduct reports whether e is a product (or a negated one).
func isProduct(e ast.Expr) bool {
	if n, ok := e.(*ast.Neg); ok {
		e = n.X
	}
	_, ok := e.(*ast.Mul)
	return ok
}

// FormRatio names the regrouping that keeps a softmax written out whole.
var FormRatio = &rules.Rule{Name: "form_ratio", Kind: rules.Pass, Doc: "keep each softmax e^a/(e^a + ...) together as one factor", Source: rules.Source{File: goFile}}

// ratioUnits writes each quotient whose numerator has a factor e^a and
// whose denominator a factor S, a sum of exponentials e^a is one of, as
// the softmax e^a/S times the rest: exp(o[a])*sum(t)/S is
// exp(o[a])/S*sum(t). Only factors move, so the value is the same
// wherever e is defined.
func ratioUnits(e ast.Expr) ast.Expr {
	return ast.Map(e, func(x ast.Expr) ast.Expr {
		d, ok := x.(*ast.Div)
		if !ok || isRatio(d) {
			return x
		}
		num, den := factorsOf(d.X), factorsOf(d.Y)
		for i, s := range den {
			for j, n := range num {
				r := ast.NewDiv(n, s)
				if !isRatio(r) {
					continue
				}
				fs := append([]ast.Expr{r}, slices.Delete(slices.Clone(num), j, j+1)...)
				out := ast.NewMul(fs...)
				if rest := slices.Delete(slices.Clone(den), i, i+1); len(rest) > 0 {
					out = ast.NewDiv(out, ast.NewMul(rest...))
				}
				return out
			}
		}
		return x
	})
}

// factorsOf is the factors of a display product (e itself if it is none).
func factorsOf(e ast.Expr) []ast.Expr {
	if m, ok := e.(*ast.Mul); ok {
		return m.Factors
	}
	return []ast.Expr{e}
}
