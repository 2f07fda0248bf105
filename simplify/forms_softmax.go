package simplify

import (
	"maps"
	"slices"
	"strconv"

	"github.com/symdiff/symdiff/ast"
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
var FormSoftmax = passRule("form_softmax", "write the exponentials through the softmax they make, whose values sum to 1")

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
	gs := softmaxGroups(e)
	if len(gs) == 0 || e.Size() > maxReshape {
		return nil, false
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
		shown, named := s.showSoftmax(c, gs, prefer, skipRoot, memo)
		if !named {
			continue // written out, the softmax is no shorter than the exponentials
		}
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

// showSoftmax writes the p_j back (as the user's definitions where they
// fold, else as e^(a_j)/S in canonical form), folds, tidies and reshapes.
// A written-out group one of whose softmaxes the expression used (p1)
// may show its others by their definitions too (p2, p3): they name parts
// of the same sum.
func (s *Simplifier) showSoftmax(c ast.Expr, gs []*smGroup, prefer map[string]int, skipRoot bool, memo map[backKey][2]ast.Expr) (out ast.Expr, named bool) {
	siblings := maps.Clone(prefer)
	for _, d := range s.opt.Defs.All() {
		if _, ok := siblings[d.Name]; !ok {
			siblings[d.Name] = 1 << 10
		}
	}
	back := func(member, sum ast.Expr, pr map[string]int) (ast.Expr, bool) {
		k := backKey{member, len(pr) != len(prefer)}
		if r, ok := memo[k]; ok {
			return r[0], r[1] != nil
		}
		b, _ := s.Normalize(s.ctx, ast.NewDiv(ast.NewCall("exp", member), sum), false)
		f := s.Fold(b, pr, false)
		r := [2]ast.Expr{f, nil}
		if f != b {
			r[1] = f
		}
		memo[k] = r
		return f, f != b
	}
	shown := map[ast.Expr]ast.Expr{}
	for _, g := range gs {
		if g.args == nil {
			continue
		}
		groupNamed := false
		for j, a := range g.args {
			var ok bool
			shown[g.ps[j]], ok = back(a, g.node, prefer)
			groupNamed = groupNamed || ok
		}
		named = named || groupNamed
		if groupNamed { // a sibling named by the user's definition
			for j, a := range g.args {
				shown[g.ps[j]], _ = back(a, g.node, siblings)
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
					b, ok := back(ast.NewIndex(g.name, y.Indices...), g.node, prefer)
					named = named || ok
					return b
				}
			}
		}
		return x
	})
	out = Tidy(s.Fold(out, prefer, skipRoot))
	if r, rule := Reshape(out); rule != nil {
		out = r
	}
	// Common factors taken out where that costs nothing: p1*(1 - p1).
	if f, err := algebra.Factor(out); err == nil && Cost(f) <= Cost(out) && isProduct(f) && !isProduct(out) {
		out = f
	}
	// Terms grouped by a softmax: p1*(y1 + y2 + y3) - y1.
	if a, ok := out.(*ast.Add); ok {
		if c := collectSum(a); cheaper(c, out) {
			out = c
		}
	}
	return out, named
}

// isProduct reports whether e is a product (or a negated one).
func isProduct(e ast.Expr) bool {
	if n, ok := e.(*ast.Neg); ok {
		e = n.X
	}
	_, ok := e.(*ast.Mul)
	return ok
}
