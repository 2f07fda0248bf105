package codegen

import (
	"slices"

	"github.com/symdiff/symdiff/ast"
)

// The plan: which subexpressions become variables, and in which loops
// they are computed.
//
// The expressions are hash-consed, so a subexpression used in several
// places (the linear predictor z[i] in the loss and in the gradient) is
// one node: each such node that is not trivial becomes one variable,
// computed once. Every sum becomes a variable too (a reduction needs a
// loop of its own), and so does a subexpression that depends on fewer
// indices than the loops around it (sigma(z[i]) - y[i] inside the loop
// over k of a gradient): it is computed once for its own indices, not
// again for every k. A variable is an array over the indices it depends
// on, or, when every use is inside the same iteration of the loops that
// compute it, a local number (then no array is allocated).

// A temp is a variable of the generated code: an intermediate result or an
// output.
type temp struct {
	node   ast.Expr
	name   string   // chosen by the emitter
	idxs   []string // the indices it depends on, in layout order
	comp   *comp
	out    *output // non-nil for the loss, a gradient or a Hessian block
	local  bool    // a number local to the loop body that computes it
	home   *block  // with local, the block it lives in
	readBy []*comp
	// renamed says that some use reads t at other index names than its
	// own (t[i,e] for the t[i,c] computed): it cannot be a local number.
	renamed bool
}

// A ref is a use of a temp: the temp, and the names of its indices at the
// place of use (t.idxs itself, or a renaming over the same ranges).
type ref struct {
	t     *temp
	names []string
}

// An output is a result of the generated function.
type output struct {
	kind outKind
	a, b int // the variables (wrt[a], wrt[b])
}

type outKind uint8

const (
	outLoss outKind = iota
	outGrad
	outHess
)

// A comp computes one temp: elementwise, t[idxs] = expr, or as a
// reduction, t[idxs] = sum(v=lo..hi, expr).
type comp struct {
	t      *temp
	nest   []string // the loops, outermost first: t's indices and the sum variable
	sumVar string   // "" for an elementwise computation
	max    bool     // the reduction takes the largest value, not the sum
	copy   bool     // expr is a temp, read (not computed) here
	expr   ast.Expr // the value, or the body of the sum
	reads  []*temp
	// renamedReads holds, for the temps c reads at other index names,
	// those names.
	renamedReads map[*temp][][]string
	block        *block // where the computing statement is placed
}

// scalarForm reports whether a reduction adds into one number (its sum
// variable is the innermost loop); otherwise it adds into an array that
// starts at zero.
func (c *comp) scalarForm() bool { return c.sumVar != "" && c.nest[len(c.nest)-1] == c.sumVar }

// sumPos is the position of the sum variable in the nest, or -1.
func (c *comp) sumPos() int { return slices.Index(c.nest, c.sumVar) }

// A plan is the temps and their computations in an order that computes
// each before its uses.
type plan struct {
	p       *problem
	hoist   bool               // loops: hoist what depends on fewer indices than its loops
	temps   map[ast.Expr]*temp // by canonical node
	refs    map[ast.Expr]ref   // by node as written
	comps   []*comp
	outputs []*temp
	uses    map[ast.Expr]int // by canonical node
	root    *block

	canonMemo map[ast.Expr]canonical
	byRange   map[string][]string // the index names of each range, in loop order
	// uncond holds the canonical nodes that are computed whatever the
	// conditions of the if(cond, a, b) forms say: those reached from an
	// output without entering a piece of an if. Only these may become
	// variables; a node met only inside a piece is computed inline, in
	// its branch, so that log(x) in if(x > 0, log(x), 0) is never
	// evaluated (nor hoisted out of a loop) where x <= 0.
	uncond map[ast.Expr]bool
}

// canonical is a node with its free indices renamed to the first names of
// their ranges, and the renaming.
type canonical struct {
	node ast.Expr
	to   map[string]string // written name → canonical name
}

func newPlan(p *problem, hoist bool) *plan {
	pl := &plan{p: p, hoist: hoist, temps: map[ast.Expr]*temp{}, refs: map[ast.Expr]ref{}, uses: map[ast.Expr]int{},
		canonMemo: map[ast.Expr]canonical{}, byRange: map[string][]string{}}
	// The names of the results' indices come first: a temp over the
	// gradient's range is then computed at the gradient's index, k.
	var outIdx []string
	for _, w := range p.wrt {
		outIdx = append(append(outIdx, w.idx...), w.hidx...)
	}
	for _, pass := range []bool{true, false} {
		for _, v := range p.order {
			if slices.Contains(outIdx, v) == pass {
				k := p.ranges[v].String()
				pl.byRange[k] = append(pl.byRange[k], v)
			}
		}
	}
	// Count the uses of every node, one per parent node and place, by
	// canonical node: exp(z[i,c]) and exp(z[i,e]) over the same ranges are
	// one function, computed once.
	// The walk is over canonical nodes, so that two sums that are one
	// after renaming count their bodies once.
	seen := map[ast.Expr]bool{}
	var count func(ast.Expr)
	count = func(e ast.Expr) {
		if seen[e] {
			return
		}
		seen[e] = true
		for _, k := range ast.Children(e) {
			ck := pl.canon(k).node
			pl.uses[ck]++
			count(ck)
		}
	}
	for _, e := range p.all() {
		ce := pl.canon(e).node
		pl.uses[ce]++
		count(ce)
	}
	pl.uncond = map[ast.Expr]bool{}
	var mark func(ast.Expr)
	mark = func(e ast.Expr) {
		if pl.uncond[e] {
			return
		}
		pl.uncond[e] = true
		if f, ok := e.(*ast.If); ok {
			mark(pl.canon(f.Cond).node)
			return
		}
		for _, k := range ast.Children(e) {
			mark(pl.canon(k).node)
		}
	}
	for _, e := range p.all() {
		mark(pl.canon(e).node)
	}
	pl.addOutput(p.loss, nil, &output{kind: outLoss})
	for a, g := range p.grads {
		pl.addOutput(g, p.wrt[a].idx, &output{kind: outGrad, a: a})
	}
	for a := range p.hess {
		for b := a; b < len(p.wrt); b++ {
			idx := append(slices.Clone(p.wrt[a].idx), p.wrt[b].hidx...)
			pl.addOutput(p.hess[a][b], idx, &output{kind: outHess, a: a, b: b})
		}
	}
	return pl
}

// trivial reports whether e is cheaper to repeat than to store: a number,
// a name, an array element, a negation of one, or an expression in sizes
// and numbers only.
func (pl *plan) trivial(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.Num, *ast.Sym, *ast.Index:
		return true
	case *ast.Neg:
		return pl.trivial(e.X)
	case *ast.Sum:
		return false
	}
	for _, n := range ast.FreeNames(e) {
		if _, ok := pl.p.sizeByNm[n]; !ok {
			return false
		}
	}
	return !hasSum(e)
}

// splitSum writes sum(v, t1 + ... + tn), in vectorised code, as
// sum(v, t1) + ... + sum(v, tn) (a subtracted term as - sum(v, t)), so that
// no array over every index of the body is built.
func splitSum(s *ast.Sum) (ast.Expr, bool) {
	a, ok := s.Body.(*ast.Add)
	if !ok {
		return nil, false
	}
	terms := make([]ast.Expr, len(a.Terms))
	for i, t := range a.Terms {
		if g, ok := t.(*ast.Neg); ok {
			terms[i] = ast.NewNeg(ast.NewSum(ast.OpSum, s.Var, s.Lo, s.Hi, g.X))
		} else {
			terms[i] = ast.NewSum(ast.OpSum, s.Var, s.Lo, s.Hi, t)
		}
	}
	return ast.NewAdd(terms...), true
}

func hasSum(e ast.Expr) bool {
	found := false
	ast.InspectOnce(e, func(x ast.Expr) bool {
		if _, ok := x.(*ast.Sum); ok {
			found = true
		}
		return !found
	})
	return found
}

// canon renames the free indices of e, in loop order, to the first
// unused names of their ranges, unless that would capture a name bound
// inside e.
func (pl *plan) canon(e ast.Expr) canonical {
	if c, ok := pl.canonMemo[e]; ok {
		return c
	}
	c := canonical{node: e}
	idx := pl.p.indexVars(e)
	if len(idx) > 0 {
		to := map[string]string{}
		taken := map[string]bool{}
		ok := true
		for _, v := range idx {
			name := ""
			for _, cand := range pl.byRange[pl.p.ranges[v].String()] {
				if !taken[cand] {
					name = cand
					break
				}
			}
			if name == "" {
				ok = false
				break
			}
			taken[name] = true
			to[v] = name
		}
		// No capture: a renamed index must not occur inside a sum that
		// binds its new name.
		ast.InspectOnce(e, func(x ast.Expr) bool {
			if s, isSum := x.(*ast.Sum); isSum && ok {
				for v, n := range to {
					if v != n && n == s.Var && ast.HasFree(s, v) {
						ok = false
					}
				}
			}
			return ok
		})
		if ok {
			m := map[string]ast.Expr{}
			for v, n := range to {
				if v != n {
					m[v] = ast.NewSym(n)
				}
			}
			if len(m) > 0 {
				c = canonical{node: ast.Subst(e, m), to: to}
			}
		}
	}
	pl.canonMemo[e] = c
	return c
}

// isTemp decides whether e, met inside loops over nest, is a variable.
func (pl *plan) isTemp(e ast.Expr, nest []string) bool {
	if _, ok := pl.refs[e]; ok {
		return true
	}
	if _, ok := e.(*ast.Condition); ok {
		return false // a truth value, rendered where it is tested
	}
	if pl.trivial(e) {
		return false
	}
	ce := pl.canon(e).node
	if !pl.uncond[ce] {
		return false // met only inside a piece of an if: computed there
	}
	if _, ok := pl.temps[ce]; ok {
		return true
	}
	if pl.uses[ce] >= 2 {
		return true
	}
	if !pl.hoist {
		return false
	}
	if _, ok := e.(*ast.Sum); ok {
		return true
	}
	if _, ok := isMax(e); ok {
		return true
	}
	return len(pl.p.indexVars(e)) < len(nest)
}

// addOutput plans an output: the temp of its expression when that has the
// output's layout, otherwise a computation of its own.
func (pl *plan) addOutput(e ast.Expr, layout []string, o *output) {
	nest := pl.inOrder(layout)
	if pl.isTemp(e, nest) {
		r := pl.tempFor(e)
		t := r.t
		if t.out == nil && slices.Equal(r.names, t.idxs) && slices.Equal(t.idxs, layout) && (pl.hoist || t.comp.sumVar == "") {
			t.out = o
			pl.outputs = append(pl.outputs, t)
			return
		}
	}
	// A computation of its own: the expression, or a copy of the temp
	// that computes it under other index names.
	t := &temp{node: e, idxs: layout, out: o}
	c := &comp{t: t, nest: nest, expr: e, copy: pl.isTemp(e, nest)}
	t.comp = c
	pl.walk(c, e, !c.copy)
	pl.comps = append(pl.comps, c)
	pl.outputs = append(pl.outputs, t)
}

// inOrder returns the index names in loop order.
func (pl *plan) inOrder(idx []string) []string {
	var out []string
	for _, n := range pl.p.order {
		if slices.Contains(idx, n) {
			out = append(out, n)
		}
	}
	return out
}

// tempFor returns the temp of e (of its canonical node), planning its
// computation first.
func (pl *plan) tempFor(e ast.Expr) ref {
	if r, ok := pl.refs[e]; ok {
		return r
	}
	cn := pl.canon(e)
	t := pl.temps[cn.node]
	if t == nil {
		t = pl.newTemp(cn.node)
	}
	from := map[string]string{}
	for v, n := range cn.to {
		from[n] = v
	}
	r := ref{t: t, names: make([]string, len(t.idxs))}
	for i, n := range t.idxs {
		r.names[i] = n
		if v, ok := from[n]; ok {
			r.names[i] = v
		}
	}
	if !slices.Equal(r.names, t.idxs) {
		t.renamed = true
	}
	pl.refs[e] = r
	return r
}

// newTemp plans the computation of a canonical node.
func (pl *plan) newTemp(e ast.Expr) *temp {
	t := &temp{node: e, idxs: pl.p.indexVars(e)}
	pl.temps[e] = t
	c := &comp{t: t, nest: t.idxs, expr: e}
	t.comp = c
	if s, ok := e.(*ast.Sum); ok && pl.hoist {
		c.sumVar = s.Var
		c.nest = pl.inOrder(append(slices.Clone(t.idxs), s.Var))
		c.expr = s.Body
		pl.walk(c, s.Body, false)
	} else if s, ok := isMax(e); ok && pl.hoist {
		// The variable innermost: the largest value is a number that
		// starts at -Inf, never an array to fill with it.
		c.sumVar, c.max = s.Var, true
		c.nest = append(slices.Clone(t.idxs), s.Var)
		c.expr = s.Body
		pl.walk(c, s.Body, false)
	} else {
		pl.walk(c, e, true)
	}
	pl.comps = append(pl.comps, c)
	return t
}

// walk finds the temps that c's expression reads, planning them.
func (pl *plan) walk(c *comp, e ast.Expr, top bool) {
	if !top && pl.isTemp(e, c.nest) {
		r := pl.tempFor(e)
		t := r.t
		if !slices.Contains(c.reads, t) {
			c.reads = append(c.reads, t)
			t.readBy = append(t.readBy, c)
		}
		if !slices.Equal(r.names, t.idxs) {
			if c.renamedReads == nil {
				c.renamedReads = map[*temp][][]string{}
			}
			c.renamedReads[t] = append(c.renamedReads[t], r.names)
		}
		return
	}
	if s, ok := isMax(e); ok {
		pl.walk(c, s.Body, false) // the sum only says over what
		return
	}
	if s, ok := e.(*ast.Sum); ok && (!pl.hoist || !top) {
		// Inline (NumPy): its body is vectorised over one more index. A
		// sum of terms is vectorised as the sum of the terms' sums
		// (npEmitter.sum): those new nodes are what the emitter reads, so
		// they are what is planned here. A node planned only for a later
		// computation (sum(w) of sum(w + w), shared with the gradient)
		// would otherwise be read before it is computed.
		if split, ok := splitSum(s); ok && !pl.hoist && !pl.isTemp(s.Body, c.nest) {
			pl.walk(c, split, false)
			return
		}
		pl.walk(c, s.Body, false)
		return
	}
	if a, ok := e.(*ast.Add); ok {
		// A subtracted term is rendered as "- x": x is what may be a temp.
		for _, t := range a.Terms {
			if n, ok := t.(*ast.Neg); ok {
				t = n.X
			}
			pl.walk(c, t, false)
		}
		return
	}
	for _, k := range ast.Children(e) {
		pl.walk(c, k, false)
	}
}

// Loop trees, for the languages with loops.

// A block is a sequence of statements: the function body or a loop body.
type block struct {
	stmts  []*stmt
	parent *stmt // the loop, nil for the function body
	up     *block
}

// A stmt is a loop or one step of a computation.
type stmt struct {
	kind     stmtKind
	v        string // loop variable
	body     *block
	comp     *comp
	produces map[*temp]bool // temps written inside (for a loop: anywhere in it)
	reduced  map[string]map[*temp]bool
}

type stmtKind uint8

const (
	stLoop    stmtKind = iota
	stInit             // start a scalar accumulator at 0
	stCompute          // assign, or add into the accumulator
	stStore            // store a finished accumulator into its array
)

// schedule places the computations into loops, fusing a computation into
// an earlier loop over the same index where that is allowed: when it reads
// nothing computed after that loop, and no sum over that index that the
// loop is still adding up.
func (pl *plan) schedule() {
	pl.root = &block{}
	for _, c := range pl.comps {
		pl.place(c)
	}
	// A temp is a local number when it can be one and every reader is
	// inside the block that holds it.
	for _, c := range pl.comps {
		t := c.t
		if t.out != nil || t.renamed || (c.sumVar != "" && !c.scalarForm()) {
			continue
		}
		home := c.block
		if c.sumVar != "" {
			home = c.block.up // the block around the loop over the sum variable
		}
		ok := true
		for _, r := range t.readBy {
			if !within(r.block, home) {
				ok = false
			}
		}
		t.local, t.home = ok, home
	}
}

// within reports whether block b is a or inside a.
func within(b, a *block) bool {
	for ; b != nil; b = b.up {
		if b == a {
			return true
		}
	}
	return false
}

func (pl *plan) place(c *comp) {
	blk := pl.root
	q := c.sumPos()
	var chain []*stmt
	for depth, v := range c.nest {
		pos, loop := pl.findLoop(blk, v, c)
		if depth == q && c.scalarForm() {
			init := &stmt{kind: stInit, comp: c}
			if loop != nil {
				blk.insert(pos, init)
			} else {
				blk.add(init)
			}
		}
		if loop == nil {
			loop = &stmt{kind: stLoop, v: v}
			loop.body = &block{parent: loop, up: blk}
			blk.add(loop)
		}
		chain = append(chain, loop)
		blk = loop.body
	}
	cs := &stmt{kind: stCompute, comp: c}
	blk.add(cs)
	c.block = blk
	for _, l := range chain {
		l.mark(c.t, c.sumVar)
	}
	if c.sumVar != "" && c.scalarForm() {
		loop := chain[q]
		up := loop.body.up
		i := slices.Index(up.stmts, loop)
		up.insert(i+1, &stmt{kind: stStore, comp: c})
	}
}

// findLoop returns the loop over v in blk that c may join, with its
// position, or nil.
func (pl *plan) findLoop(blk *block, v string, c *comp) (int, *stmt) {
	for i := len(blk.stmts) - 1; i >= 0; i-- {
		s := blk.stmts[i]
		if s.kind == stLoop && s.v == v {
			legal := true
			for _, t := range c.reads {
				// Not while the loop still adds t up, nor where t is read
				// at other indices than those it is being computed at.
				if s.reduced[v][t] {
					legal = false
				}
				if p := slices.Index(t.idxs, v); p >= 0 && s.produces[t] {
					for _, names := range c.renamedReads[t] {
						if names[p] != v {
							legal = false
						}
					}
				}
			}
			if legal {
				return i, s
			}
		}
		for _, t := range c.reads {
			if s.produces[t] || (s.comp != nil && s.comp.t == t) {
				return -1, nil
			}
		}
	}
	return -1, nil
}

// mark records that the loop computes t, adding it up over sumVar.
func (s *stmt) mark(t *temp, sumVar string) {
	if s.produces == nil {
		s.produces = map[*temp]bool{}
	}
	s.produces[t] = true
	if sumVar != "" {
		if s.reduced == nil {
			s.reduced = map[string]map[*temp]bool{}
		}
		if s.reduced[sumVar] == nil {
			s.reduced[sumVar] = map[*temp]bool{}
		}
		s.reduced[sumVar][t] = true
	}
}

func (b *block) add(s *stmt) { b.stmts = append(b.stmts, s) }

func (b *block) insert(i int, s *stmt) { b.stmts = slices.Insert(b.stmts, i, s) }
