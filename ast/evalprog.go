package ast

import (
	"context"
	"fmt"
	"math"
	"math/bits"
)

// A Program is an expression compiled for float64 evaluation at many
// points: what EvalBound does, without walking a hash-consed DAG as a
// tree. Names are resolved once per point, a subtree used twice (or not
// depending on the index of the sum around it) is computed once per point
// (per index value), and nothing is allocated per evaluation.
//
// The value and the error are EvalBound's, bit for bit: the program runs
// the same float64 operations in the same order, and counts its steps as
// the tree does (a subtree taken from the memo counts the steps it took).
// Where it fails, EvalBound runs again to give its error, which the
// program does not build (errors are rare where points are drawn inside
// the domain). A Program is for one goroutine at a time.
type Program struct {
	e     Expr
	nodes []pnode
	kids  []int32
	root  int32
	names []string // the names read from the bindings
	vars  []string // the names sums bind

	// The state of the evaluation in progress.
	ctx   context.Context
	b     Bindings
	vals  []Value
	have  []bool
	slots []varSlot
	memo  []memoEntry
	epoch uint64 // increases at every new point and every new binding of an index
	start uint64 // the epoch of the point
	steps int
	bail  bool // stop, and let EvalBound decide
	// err is the error of the last failure, where the program makes it:
	// the commonest (division by zero) are made as floatArith makes them.
	err    error
	ctxErr error
	args   []float64
	idx    []int64
	bufs   *progBufs // where the slices came from, for Release
}

type pop uint8

const (
	pNum pop = iota
	pSym
	pIndex
	pNeg
	pAdd
	pMul
	pStrongMul
	pDiv
	pPow
	pUndefined
	pLogSigma
	pCall
	pSum
	pIverson
	pFail // a derivative or a matrix expression: no number
	pCond
	pIf
)

// A pnode is a node of a Program; its operands are kids[k0:k1].
type pnode struct {
	op     pop
	memo   bool   // kept per point (and per binding of the indices it reads)
	iver   bool   // HasIverson
	mean   bool   // a pSum that averages
	cond   CondOp // a pCond's connective or comparison
	k0, k1 int32
	num    float64
	name   int32  // pSym, pIndex: the binding's slot
	v      int32  // pSym: the index slot of its name, or -1; pSum: its index's slot
	sumf   int32  // a strong product's factor: the sum it is or is a power of, or -1
	deps   uint64 // the index slots the value depends on
	fn     *Func  // pCall, nil if unknown or of the wrong arity
}

type varSlot struct {
	depth int // the number of sums binding the name around the evaluation
	val   float64
	epoch uint64
}

type memoEntry struct {
	val   float64
	ok    bool
	epoch uint64 // when it was computed: valid while no index it depends on was bound again since
	steps int    // the steps the tree evaluator takes for the subtree
	err   error  // where !ok, the error, if the program made it
}

// Compile compiles e for EvalBound-like evaluation without definitions.
// It returns nil where a Program cannot stand in for EvalBound (more than
// 64 names bound by sums); callers then use EvalBound.
func Compile(e Expr) *Program {
	bufs := getProgBufs()
	p := &Program{e: e, bufs: bufs, nodes: bufs.nodes, kids: bufs.kids, names: bufs.names, vars: bufs.vars,
		args: bufs.args, idx: bufs.idx}
	var ids NodeMap[int32]
	ids.ReserveFrom(&compileIDs, int(min(e.Size(), 256)))
	nameIdx, varIdx := bufs.nameIdx, bufs.varIdx
	refs := bufs.refs[:0]   // the uses of each node
	stack := bufs.stack[:0] // the operands of the nodes being compiled
	// scratchDone gives the scratch back to bufs; before Release, which
	// hands bufs to the next Compile.
	scratchDone := func() {
		ids.Release(&compileIDs)
		clear(nameIdx)
		clear(varIdx)
		bufs.refs, bufs.stack = refs[:0], stack[:0]
	}
	failed := false
	name := func(n string) int32 {
		if i, ok := nameIdx[n]; ok {
			return i
		}
		nameIdx[n] = int32(len(p.names))
		p.names = append(p.names, n)
		return nameIdx[n]
	}
	var comp func(x Expr) int32
	comp = func(x Expr) int32 {
		if i, ok := ids.Get(x); ok {
			refs[i]++
			return i
		}
		n := pnode{v: -1, sumf: -1, iver: HasIverson(x)}
		base := len(stack)
		add := func(xs ...Expr) {
			for _, k := range xs {
				c := comp(k)
				stack = append(stack, c)
			}
		}
		switch x := x.(type) {
		case *Num:
			n.op, n.num = pNum, x.Value.Float64()
		case *Sym:
			n.op, n.name = pSym, name(x.Name)
		case *Index:
			n.op, n.name = pIndex, name(x.Name)
			add(x.Indices...)
		case *Neg:
			n.op = pNeg
			add(x.X)
		case *Add:
			n.op = pAdd
			add(x.Terms...)
		case *Mul:
			n.op = pMul
			add(x.Factors...)
			for k, f := range x.Factors {
				if s := sumFactor(f); s != nil {
					n.op = pStrongMul
					if s.Op == OpSum {
						sid, _ := ids.Get(s)
						p.nodes[stack[base+k]].sumf = sid
					}
				}
			}
			if HasIverson(x) {
				n.op = pStrongMul
			}
		case *Div:
			n.op = pDiv
			add(x.X, x.Y)
		case *Pow:
			n.op = pPow
			add(x.X, x.Y)
		case *Call:
			switch {
			case IsUndefined(x):
				n.op = pUndefined
			case isLogSigma(x):
				n.op = pLogSigma
				add(x.Args[0].(*Call).Args[0])
			default:
				n.op = pCall
				add(x.Args...)
				if f, ok := LookupFunc(x.Fn); ok && (len(x.Args) == f.Arity || f.Variadic && len(x.Args) > f.Arity) {
					n.fn = f
				}
			}
		case *Sum:
			v, ok := varIdx[x.Var]
			if !ok {
				v = int32(len(p.vars))
				varIdx[x.Var] = v
				p.vars = append(p.vars, x.Var)
			}
			n.op, n.mean, n.v = pSum, x.Op == OpMean, v
			add(x.Lo, x.Hi, x.Body)
		case *Iverson:
			n.op = pIverson
			add(x.Args...)
		case *Deriv, *MatOp:
			n.op = pFail
		case *Condition:
			n.op, n.cond = pCond, x.Op
			add(x.Args...)
		case *If:
			n.op = pIf
			add(x.Cond, x.Then, x.Else)
		default:
			failed = true
			n.op = pFail
		}
		n.k0 = int32(len(p.kids))
		p.kids = append(p.kids, stack[base:]...)
		n.k1 = int32(len(p.kids))
		stack = stack[:base]
		i := int32(len(p.nodes))
		p.nodes = append(p.nodes, n)
		refs = append(refs, 1)
		ids.Put(x, i)
		return i
	}
	p.root = comp(e)
	if failed || len(p.vars) > 64 {
		scratchDone()
		p.Release()
		return nil
	}
	// A Sym of a name a sum binds reads the index while a sum binds it;
	// what each node's value depends on. Operands come before the nodes
	// that use them.
	all := allDeps(p)
	for i := range p.nodes {
		n := &p.nodes[i]
		switch n.op {
		case pSym:
			if v, ok := varIdx[p.names[n.name]]; ok {
				n.v, n.deps = v, 1<<v
			}
		case pSum:
			ks := p.kids[n.k0:n.k1]
			n.deps = p.nodes[ks[0]].deps | p.nodes[ks[1]].deps | p.nodes[ks[2]].deps&^(1<<n.v)
		default:
			for _, k := range p.kids[n.k0:n.k1] {
				n.deps |= p.nodes[k].deps
			}
		}
		// A leaf costs less than its memo; a node used once costs the
		// same unless a sum around it binds an index it does not read.
		n.memo = n.op != pNum && n.op != pSym && n.op != pCond && (refs[i] > 1 || n.deps != all)
	}
	scratchDone()
	p.vals = sized(bufs.vals, len(p.names))
	p.have = sized(bufs.have, len(p.names))
	p.slots = sized(bufs.slots, len(p.vars))
	p.memo = sized(bufs.memo, len(p.nodes))
	return p
}

// allDeps is the set of every index slot: a node that depends on all of
// them is recomputed at every use anyway.
func allDeps(p *Program) uint64 {
	if len(p.vars) == 64 {
		return math.MaxUint64
	}
	return 1<<len(p.vars) - 1
}

// isLogSigma reports whether e is log(σ(u)) (without definitions).
func isLogSigma(e *Call) bool {
	if e.Fn != "log" || len(e.Args) != 1 {
		return false
	}
	s, ok := e.Args[0].(*Call)
	return ok && s.Fn == "sigma" && len(s.Args) == 1
}

// Eval is EvalBound(ctx, e, nil, b) for the compiled e.
func (p *Program) Eval(ctx context.Context, b Bindings) (float64, error) {
	p.ctx, p.b, p.bail, p.ctxErr, p.steps, p.err = ctx, b, false, nil, 0, nil
	for i, n := range p.names {
		p.vals[i], p.have[i] = b[n]
	}
	for i := range p.slots {
		p.slots[i] = varSlot{}
	}
	p.epoch++
	p.start = p.epoch
	v, ok := p.eval(p.root)
	p.b = nil
	clear(p.vals) // the point's arrays are not kept
	switch {
	case p.ctxErr != nil:
		return 0, p.ctxErr
	case !ok && !p.bail && p.err != nil:
		return 0, p.err
	case !ok || p.bail:
		return EvalBound(ctx, p.e, nil, b)
	case math.IsInf(v, 0) || math.IsNaN(v):
		return v, &DomainError{Msg: fmt.Sprintf("the result is %v: too large for a float64, or undefined", v)}
	}
	return v, nil
}

// tick is the tree evaluator's tick: a step, the limit, and a look at the
// context every 4096 steps.
func (p *Program) tick() bool {
	p.steps++
	if p.steps > maxEvalSteps {
		p.bail = true
		return false
	}
	if p.steps%4096 == 0 && p.ctx != nil {
		if err := p.ctx.Err(); err != nil {
			p.ctxErr, p.bail = err, true
			return false
		}
	}
	return true
}

// valid reports whether node i's memo holds its value now.
func (p *Program) valid(m *memoEntry, deps uint64) bool {
	if m.epoch < p.start {
		return false
	}
	for d := deps; d != 0; d &= d - 1 {
		if p.slots[bits.TrailingZeros64(d)].epoch > m.epoch {
			return false
		}
	}
	return true
}

// eval is evaluator.eval for node i; false where the tree evaluator
// returns an error.
func (p *Program) eval(i int32) (float64, bool) {
	if p.bail {
		return 0, false
	}
	n := &p.nodes[i]
	if !n.memo {
		return p.run(n)
	}
	m := &p.memo[i]
	if p.valid(m, n.deps) && p.steps+m.steps <= maxEvalSteps {
		before := p.steps
		p.steps += m.steps
		if p.ctx != nil && before/4096 != p.steps/4096 {
			if err := p.ctx.Err(); err != nil {
				p.ctxErr, p.bail = err, true
				return 0, false
			}
		}
		if !m.ok {
			p.err = m.err
		}
		return m.val, m.ok
	}
	before := p.steps
	v, ok := p.run(n)
	if p.bail {
		return 0, false
	}
	*m = memoEntry{val: v, ok: ok, epoch: p.epoch, steps: p.steps - before}
	if !ok {
		m.err = p.err
	}
	return v, ok
}

func (p *Program) run(n *pnode) (float64, bool) {
	if !p.tick() {
		return 0, false
	}
	ks := p.kids[n.k0:n.k1]
	switch n.op {
	case pNum:
		return n.num, true
	case pSym:
		if n.v >= 0 && p.slots[n.v].depth > 0 {
			return p.slots[n.v].val, true
		}
		if !p.have[n.name] || p.vals[n.name].Shape != nil {
			return p.fail(nil)
		}
		return p.read(n.name, 0), true
	case pIndex:
		return p.index(n, ks)
	case pNeg:
		x, ok := p.eval(ks[0])
		return -x, ok
	case pAdd:
		acc, ok := p.eval(ks[0])
		if !ok {
			return 0, false
		}
		for _, k := range ks[1:] {
			v, ok := p.eval(k)
			if !ok {
				return 0, false
			}
			acc = float64(acc + v)
		}
		return acc, true
	case pMul:
		acc, ok := p.eval(ks[0])
		if !ok {
			return 0, false
		}
		for _, k := range ks[1:] {
			v, ok := p.eval(k)
			if !ok {
				return 0, false
			}
			acc = float64(acc * v)
		}
		return acc, true
	case pStrongMul:
		return p.strongMul(ks)
	case pDiv:
		x, ok := p.eval(ks[0])
		if !ok {
			return 0, false
		}
		y, ok := p.eval(ks[1])
		if !ok {
			return 0, false
		}
		if y == 0 {
			return p.fail(&DomainError{Msg: "division by zero"}) // floatArith.quo's
		}
		return float64(x / y), true
	case pPow:
		x, ok := p.eval(ks[0])
		if !ok {
			return 0, false
		}
		y, ok := p.eval(ks[1])
		if !ok {
			return 0, false
		}
		r, err := floatArith{}.pow(x, y)
		if err != nil {
			return p.fail(err)
		}
		return r, true
	case pUndefined:
		return p.fail(errUndefinedDeriv())
	case pFail:
		return p.fail(nil)
	case pLogSigma:
		u, ok := p.eval(ks[0])
		if !ok {
			return 0, false
		}
		base := len(p.args)
		p.args = append(p.args, -u)
		r := softplusFunc.Float(p.args[base:])
		p.args = p.args[:base]
		if math.IsNaN(r) {
			return p.fail(nil)
		}
		return -r, true
	case pCall:
		base, ok := p.pushArgs(ks)
		if !ok {
			return 0, false
		}
		if n.fn == nil {
			p.args = p.args[:base]
			return p.fail(nil)
		}
		r := n.fn.Float(p.args[base:])
		p.args = p.args[:base]
		if math.IsNaN(r) {
			return p.fail(nil)
		}
		return r, true
	case pSum:
		return p.sum(n, ks)
	case pIverson:
		base, ok := p.pushArgs(ks)
		if !ok {
			return 0, false
		}
		vals := p.args[base:]
		holds := true
		for k := 1; k < len(vals); k++ {
			if (floatArith{}).cmp(vals[k-1], vals[k]) > 0 {
				holds = false
			}
		}
		p.args = p.args[:base]
		if holds {
			return 1, true
		}
		return 0, true
	case pCond:
		h, ok := p.holdsCond(n)
		if !ok {
			return 0, false
		}
		if h {
			return 1, true
		}
		return 0, true
	case pIf:
		h, ok := p.holds(ks[0])
		if !ok {
			return 0, false
		}
		if h {
			return p.eval(ks[1])
		}
		return p.eval(ks[2])
	}
	panic(fmt.Sprintf("ast: program node %d", n.op))
}

// index reads an indexed name: its indices are evaluated first, all of
// them, as the tree evaluator does.
func (p *Program) index(n *pnode, ks []int32) (float64, bool) {
	base := len(p.idx)
	for _, k := range ks {
		var v float64
		if kn := &p.nodes[k]; kn.op == pSym && kn.v >= 0 && p.slots[kn.v].depth > 0 && !p.bail {
			// The commonest index, a sum's: what eval and run do for it,
			// the step included, without the two calls.
			if !p.tick() {
				p.idx = p.idx[:base]
				return 0, false
			}
			v = p.slots[kn.v].val
		} else {
			var ok bool
			if v, ok = p.eval(k); !ok {
				p.idx = p.idx[:base]
				return 0, false
			}
		}
		j, ok := floatArith{}.toInt(v)
		if !ok {
			p.idx = p.idx[:base]
			return p.fail(nil)
		}
		p.idx = append(p.idx, j)
	}
	idx := p.idx[base:]
	p.idx = p.idx[:base] // what is appended above base is read before anything appends again
	if !p.have[n.name] {
		return p.fail(nil)
	}
	val := &p.vals[n.name]
	if len(val.Shape) != len(ks) {
		return p.fail(nil)
	}
	off := 0
	for k, j := range idx {
		if j < 1 || j > int64(val.Shape[k]) {
			return p.fail(nil)
		}
		off = off*val.Shape[k] + int(j-1)
	}
	return p.read(n.name, off), true
}

// args evaluates operands ks onto the argument stack; the caller
// truncates it to base when done.
func (p *Program) pushArgs(ks []int32) (base int, ok bool) {
	base = len(p.args)
	for _, k := range ks {
		v, ok := p.eval(k)
		if !ok {
			p.args = p.args[:base]
			return base, false
		}
		p.args = append(p.args, v)
	}
	return base, true
}

// softplusFunc is the built-in softplus, for log σ(u) = -softplus(-u).
var softplusFunc = funcByName["softplus"]

// read reads entry off of the binding in slot name, as evaluator.binding.
func (p *Program) read(name int32, off int) float64 {
	v := &p.vals[name]
	if v.Exact != nil {
		return floatArith{}.rat(v.Exact[off])
	}
	return v.Data[off]
}

// holds is evaluator.holds.
func (p *Program) holds(i int32) (bool, bool) {
	n := &p.nodes[i]
	if n.op != pCond {
		v, ok := p.eval(i)
		return v != 0, ok
	}
	return p.holdsCond(n)
}

// holdsCond decides condition node n.
func (p *Program) holdsCond(n *pnode) (bool, bool) {
	ks := p.kids[n.k0:n.k1]
	switch {
	case n.cond.IsComparison():
		a, ok := p.eval(ks[0])
		if !ok {
			return false, false
		}
		b, ok := p.eval(ks[1])
		if !ok {
			return false, false
		}
		return n.cond.Holds(floatArith{}.cmp(a, b)), true
	case n.cond == CondNot:
		h, ok := p.holds(ks[0])
		return !h, ok
	}
	for _, k := range ks {
		h, ok := p.holds(k)
		if !ok {
			return false, false
		}
		if h == (n.cond == CondOr) {
			return h, true
		}
	}
	return n.cond == CondAnd, true
}

// bounds is evaluator.bounds for a sum whose operands are ks; a range
// with a bound beyond ±2^53 bails out to the tree evaluator.
func (p *Program) bounds(ks []int32) (lo, hi int64, ok bool) {
	var ends [2]int64
	wide := false
	for k := range 2 {
		v, ok := p.eval(ks[k])
		if !ok {
			return 0, 0, false
		}
		if i, ok := (floatArith{}).toInt(v); ok && i >= -exactIndex && i <= exactIndex {
			ends[k] = i
			continue
		}
		if _, ok := (floatArith{}).whole(v); !ok {
			p.err = nil
			return 0, 0, false
		}
		wide = true
	}
	if wide {
		p.bail = true
		return 0, 0, false
	}
	if ends[1]-ends[0] > maxEvalSteps {
		p.err = nil
		return 0, 0, false
	}
	return ends[0], ends[1], true
}

func (p *Program) sum(n *pnode, ks []int32) (float64, bool) {
	lo, hi, ok := p.bounds(ks)
	if !ok {
		return 0, false
	}
	s := &p.slots[n.v]
	saved := *s
	s.depth++
	acc, failed := 0.0, false
	for i := lo; i <= hi; i++ {
		p.epoch++
		s.val, s.epoch = float64(i), p.epoch
		v, ok := p.eval(ks[2])
		if !ok {
			failed = true
			break
		}
		acc = float64(acc + v)
	}
	// Back to the binding outside, under a new epoch: what was kept
	// inside read the inner one.
	p.epoch++
	*s = saved
	s.epoch = p.epoch
	if failed {
		return 0, false
	}
	if n.mean {
		if hi < lo {
			return p.fail(nil)
		}
		return float64(acc / float64(hi-lo+1)), true
	}
	return acc, true
}

// strongMul is evaluator.strongMul.
func (p *Program) strongMul(ks []int32) (float64, bool) {
	failed := false
	var firstErr error
	acc := 1.0
	for _, k := range ks {
		f := &p.nodes[k]
		if f.sumf >= 0 {
			if lo, hi, ok := p.bounds(p.kids[p.nodes[f.sumf].k0:p.nodes[f.sumf].k1]); ok && hi < lo {
				return 0, true
			}
			if p.bail {
				return 0, false
			}
		}
		v, ok := p.eval(k)
		if ok && f.iver && v == 0 {
			return v, true
		}
		if !ok {
			if p.bail {
				return 0, false
			}
			if !failed {
				failed, firstErr = true, p.err
			}
			continue
		}
		acc = float64(acc * v)
	}
	if failed {
		return p.fail(firstErr)
	}
	return acc, true
}

// fail records the error of a failure where it arises, or nil where the
// program does not make it (EvalBound then runs to make it).
func (p *Program) fail(err error) (float64, bool) {
	p.err = err
	return 0, false
}
