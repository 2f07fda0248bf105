package codegen

import (
	"fmt"
	"strings"

	"github.com/symdiff/symdiff/ast"
)

// The languages with loops (Go, C, plain Python) share this emitter: it
// walks the loop tree of a plan and asks a dialect for the syntax.

// A dialect is the syntax of one language with loops.
type dialect interface {
	call(fn string, args []code) code
	pow(base code, exp ast.Expr) (code, bool) // false: render as a call
	floatOf(intCode string) code
	delta(a, b string) code
	loop(v, from, to string) (open, close string)
	declFloat(name, val string) string
	assign(lhs, rhs string) string
	addTo(lhs, rhs string) string
	indent() string
	// nested says whether arrays of this kind are nested (x[i][j]) rather
	// than flat (x[i*d + j]).
	nested(in *input, out *output) bool
	// scalarOut renders a scalar output that is not the loss (C: *grad_b).
	scalarOut(name string) string
	negInf() string
	max(a, b string) string
	// connectives are the logical and, or and not (with its space, if any).
	connectives() (and, or, not string)
	// ifElse renders a conditional that evaluates only the selected piece.
	ifElse(cond string, a, b code) code
}

// A loopEmitter writes the body of a function from a plan.
type loopEmitter struct {
	pl    *plan
	d     dialect
	nm    *namer
	b     strings.Builder
	acc   map[*comp]string // accumulator names
	uses  map[string]bool  // helper functions used
	inter string           // extra indentation of the body
}

func (le *loopEmitter) line(depth int, s string) {
	if s == "" {
		return
	}
	for _, l := range strings.Split(s, "\n") {
		le.b.WriteString(le.inter)
		le.b.WriteString(strings.Repeat(le.d.indent(), depth))
		le.b.WriteString(l)
		le.b.WriteByte('\n')
	}
}

// size renders a size or index name.
func (le *loopEmitter) name(n string) string { return le.nm.user(n) }

// body writes the statements of the loop tree.
func (le *loopEmitter) block(b *block, depth int) {
	for _, s := range b.stmts {
		c := s.comp
		switch s.kind {
		case stLoop:
			r := le.pl.p.ranges[s.v]
			open, close := le.d.loop(le.name(s.v), lowMinusOne(r.lo, le.name), simplifyInt(intExpr(r.hi, le.name)))
			le.line(depth, open)
			le.block(s.body, depth+1)
			le.line(depth, close)
		case stInit:
			start := "0.0"
			if c.max {
				start = le.d.negInf()
			}
			le.line(depth, le.d.declFloat(le.accName(c), start))
		case stCompute:
			val := le.expr(c, c.expr, c.sumVar == "" && !c.copy)
			switch {
			case c.sumVar == "" && c.t.local:
				le.line(depth, le.d.declFloat(c.t.name, val.s))
			case c.sumVar == "":
				le.line(depth, le.d.assign(le.target(c.t), val.s))
			case c.max:
				acc := le.accName(c)
				le.line(depth, le.d.assign(acc, le.d.max(acc, val.s)))
			case c.scalarForm():
				le.line(depth, le.d.addTo(le.accName(c), val.s))
			default:
				le.line(depth, le.d.addTo(le.target(c.t), val.s))
			}
		case stStore:
			if !c.t.local {
				le.line(depth, le.d.assign(le.target(c.t), le.accName(c)))
			}
		}
	}
}

// accName is the number a scalar-form reduction adds into: the temp
// itself when it is local.
func (le *loopEmitter) accName(c *comp) string {
	if c.t.local {
		return c.t.name
	}
	if n, ok := le.acc[c]; ok {
		return n
	}
	n := le.nm.fresh("acc")
	le.acc[c] = n
	return n
}

// target renders the element of t that the current iteration computes.
func (le *loopEmitter) target(t *temp) string {
	idx := make([]string, len(t.idxs))
	for i, v := range t.idxs {
		idx[i] = le.name(v)
	}
	if t.out != nil && len(idx) == 0 {
		if t.out.kind == outLoss {
			return t.name
		}
		return le.d.scalarOut(t.name)
	}
	if t.local {
		return t.name
	}
	return le.elem(t.name, idx, le.tempDims(t), le.d.nested(nil, t.out))
}

// read renders the element of a temp a use reads, at the use's names.
func (le *loopEmitter) read(r ref) string {
	t := r.t
	if len(t.idxs) == 0 || t.local {
		return le.target(t)
	}
	idx := make([]string, len(r.names))
	for i, v := range r.names {
		idx[i] = le.name(v)
	}
	if t.out != nil && t.out.kind != outLoss && len(idx) == 0 {
		return le.d.scalarOut(t.name)
	}
	return le.elem(t.name, idx, le.tempDims(t), le.d.nested(nil, t.out))
}

// tempDims are the lengths of a temp's dimensions.
func (le *loopEmitter) tempDims(t *temp) []string {
	ds := make([]string, len(t.idxs))
	for i, v := range t.idxs {
		ds[i] = simplifyInt(intExpr(le.pl.p.ranges[v].hi, le.name))
	}
	return ds
}

// elem renders an array element: nested a[i][j] or flat a[i*d + j].
func (le *loopEmitter) elem(arr string, idx, dims []string, nested bool) string {
	if len(idx) == 0 {
		return arr
	}
	if nested {
		return arr + "[" + strings.Join(idx, "][") + "]"
	}
	off := idx[0]
	for k := 1; k < len(idx); k++ {
		if k == 1 {
			off = off + "*" + dims[k]
		} else {
			off = "(" + off + ")*" + dims[k]
		}
		off += " + " + idx[k]
	}
	return arr + "[" + off + "]"
}

// expr renders e as part of c's computation; top says that e is c's own
// node, not a reference to its temp.
func (le *loopEmitter) expr(c *comp, e ast.Expr, top bool) code {
	if !top {
		if r, ok := le.pl.refs[e]; ok && r.t != c.t {
			return code{le.read(r), pAtom}
		}
	}
	p := le.pl.p
	switch e := e.(type) {
	case *ast.Num:
		return numLit(e.Value)
	case *ast.Sym:
		if _, ok := p.sizeByNm[e.Name]; ok {
			return le.d.floatOf(le.name(e.Name))
		}
		if _, ok := p.ranges[e.Name]; ok {
			return le.d.floatOf(le.name(e.Name) + " + 1")
		}
		return code{le.name(e.Name), pAtom}
	case *ast.Index:
		in := p.inputByNm[e.Name]
		idx := make([]string, len(e.Indices))
		dims := make([]string, len(e.Indices))
		for k, x := range e.Indices {
			idx[k] = le.indexCode(x)
			dims[k] = le.name(in.dims[k].name)
		}
		return code{le.elem(le.name(e.Name), idx, dims, le.d.nested(in, nil)), pAtom}
	case *ast.Neg:
		x := le.expr(c, e.X, false)
		s := x.paren(pMul)
		if strings.HasPrefix(s, "-") {
			s = "(" + s + ")"
		}
		return code{"-" + s, pUnary}
	case *ast.Add:
		var b strings.Builder
		for i, t := range e.Terms {
			if g, ok := isNegated(t); ok {
				x := le.expr(c, g, false)
				if i == 0 {
					b.WriteString("-" + x.paren(pMul))
				} else {
					b.WriteString(" - " + x.paren(pMul))
				}
				continue
			}
			x := le.expr(c, t, false)
			if i > 0 {
				b.WriteString(" + ")
			}
			b.WriteString(x.paren(pAdd))
		}
		return code{b.String(), pAdd}
	case *ast.Mul:
		parts := make([]string, len(e.Factors))
		for i, f := range e.Factors {
			x := le.expr(c, f, false)
			parts[i] = x.paren(pMul)
			if i > 0 && strings.HasPrefix(parts[i], "-") {
				parts[i] = "(" + parts[i] + ")"
			}
		}
		return code{strings.Join(parts, " * "), pMul}
	case *ast.Div:
		x := le.expr(c, e.X, false)
		y := le.expr(c, e.Y, false)
		return code{x.paren(pMul) + " / " + y.paren(pUnary+1), pMul}
	case *ast.Pow:
		base := le.expr(c, e.X, false)
		if r, ok := le.d.pow(base, e.Y); ok {
			return r
		}
		return le.d.call("pow", []code{base, le.expr(c, e.Y, false)})
	case *ast.Call:
		if e.Fn == "delta" {
			return le.d.delta(le.indexCode(e.Args[0]), le.indexCode(e.Args[1]))
		}
		if e.Fn == maxFn {
			panic("codegen: a max left inline in a loop plan")
		}
		args := make([]code, len(e.Args))
		for i, a := range e.Args {
			args[i] = le.expr(c, a, false)
		}
		le.uses[e.Fn] = true
		return le.d.call(e.Fn, args)
	case *ast.Sum:
		panic("codegen: a sum left inline in a loop plan")
	case *ast.If:
		return le.loopIf(c, e.Cond, e.Then, e.Else)
	case *ast.Condition:
		return le.loopIf(c, e, ast.One, ast.Zero)
	}
	panic(fmt.Sprintf("codegen: cannot render %T", e))
}

// indexCode renders an index: a loop variable, or a whole number (1-based
// in the language of symdiff, 0-based in code).
func (le *loopEmitter) indexCode(x ast.Expr) string {
	switch x := x.(type) {
	case *ast.Sym:
		return le.name(x.Name)
	case *ast.Num:
		v, _ := x.Value.Int64()
		return fmt.Sprint(v - 1)
	}
	panic("codegen: bad index " + ast.String(x))
}

// smallPow renders u^2 and u^3 as products when u is a name, u^(1/2) as a
// square root and u^(-1) as a quotient; ok is false otherwise.
func smallPow(base code, exp ast.Expr, sqrt func(code) code) (code, bool) {
	n, ok := exp.(*ast.Num)
	if !ok {
		return code{}, false
	}
	switch {
	case ast.IsNum(n, 1):
		return base, true
	case ast.IsNum(n, 2) && base.prec == pAtom:
		return code{base.s + " * " + base.s, pMul}, true
	case ast.IsNum(n, 3) && base.prec == pAtom:
		return code{base.s + " * " + base.s + " * " + base.s, pMul}, true
	case ast.IsNum(n, -1):
		return code{"1.0 / " + base.paren(pUnary+1), pMul}, true
	case n.Value.Equal(ast.Frac(1, 2)):
		return sqrt(base), true
	}
	return code{}, false
}
