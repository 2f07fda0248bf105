package codegen

import (
	"fmt"
	"slices"
	"strings"

	"github.com/symdiff/symdiff/ast"
)

// NumPy: no loops. Every value is an array over the indices it depends on,
// its axes in loop order; elementwise operations broadcast, and a sum is a
// contraction: a matrix product where one fits (sum(j, x[i,j]*w[j]) is
// x @ w, sum(i, x[i,k]*r[i]) is x.T @ r), np.sum of one factor, and
// np.einsum otherwise.

// A val is a vectorised expression: its code, precedence and axes.
type val struct {
	code
	idx []string // the axes, in loop order
}

type npEmitter struct {
	pl      *plan
	p       *problem
	nm      *namer
	uses    map[string]bool
	letters map[string]string // einsum letters of the indices
	reads   map[*temp]bool    // the temps the computation being written reads
}

// ref returns the temp that stands for e, if the plan has the computation
// being written read it. The plan puts a temp before the computations that
// read it; one planned only for other computations may come after this
// one, so e is then written out where it stands.
func (ne *npEmitter) ref(e ast.Expr) (ref, bool) {
	r, ok := ne.pl.refs[e]
	if !ok || !ne.reads[r.t] {
		return ref{}, false
	}
	return r, true
}

func (ne *npEmitter) name(n string) string { return ne.nm.user(n) }

// inUnion returns the union of index lists, in loop order.
func (ne *npEmitter) union(vs ...val) []string {
	var out []string
	for _, n := range ne.p.order {
		for _, v := range vs {
			if slices.Contains(v.idx, n) {
				out = append(out, n)
				break
			}
		}
	}
	return out
}

// align writes v so that it broadcasts against an array with axes u.
func (ne *npEmitter) align(v val, u []string, min int) string {
	if len(v.idx) == 0 || slices.Equal(v.idx, u[len(u)-len(v.idx):]) {
		return v.paren(min)
	}
	start := slices.Index(u, v.idx[0])
	parts := make([]string, 0, len(u)-start)
	for _, n := range u[start:] {
		if slices.Contains(v.idx, n) {
			parts = append(parts, ":")
		} else {
			parts = append(parts, "None")
		}
	}
	return v.paren(pAtom) + "[" + strings.Join(parts, ", ") + "]"
}

// vec vectorises e; top says e is the temp being computed, not a
// reference to it.
func (ne *npEmitter) vec(e ast.Expr, top bool) val {
	if !top {
		if r, ok := ne.ref(e); ok {
			return ne.read(r)
		}
	}
	p := ne.p
	switch e := e.(type) {
	case *ast.Num:
		return val{numLit(e.Value), nil}
	case *ast.Sym:
		if r, ok := p.ranges[e.Name]; ok {
			lo := simplifyInt(intExpr(r.lo, ne.name))
			hi := simplifyInt(intExpr(r.hi, ne.name))
			return val{code{fmt.Sprintf("np.arange(%s, %s + 1)", lo, hi), pAtom}, []string{e.Name}}
		}
		return val{code{ne.name(e.Name), pAtom}, nil}
	case *ast.Index:
		return ne.index(e)
	case *ast.Neg:
		x := ne.vec(e.X, false)
		s := x.paren(pMul)
		if strings.HasPrefix(s, "-") {
			s = "(" + s + ")"
		}
		return val{code{"-" + s, pUnary}, x.idx}
	case *ast.Add:
		vs := make([]val, len(e.Terms))
		neg := make([]bool, len(e.Terms))
		for i, t := range e.Terms {
			if g, ok := isNegated(t); ok {
				t, neg[i] = g, true
			}
			vs[i] = ne.vec(t, false)
		}
		u := ne.union(vs...)
		var b strings.Builder
		for i, v := range vs {
			switch {
			case neg[i] && i == 0:
				b.WriteString("-" + ne.align(v, u, pMul))
			case neg[i]:
				b.WriteString(" - " + ne.align(v, u, pMul))
			case i == 0:
				b.WriteString(ne.align(v, u, pAdd))
			default:
				b.WriteString(" + " + ne.align(v, u, pAdd))
			}
		}
		return val{code{b.String(), pAdd}, u}
	case *ast.Mul:
		vs := make([]val, len(e.Factors))
		for i, f := range e.Factors {
			vs[i] = ne.vec(f, false)
		}
		u := ne.union(vs...)
		parts := make([]string, len(vs))
		for i, v := range vs {
			parts[i] = ne.align(v, u, pMul)
			if i > 0 && strings.HasPrefix(parts[i], "-") {
				parts[i] = "(" + parts[i] + ")"
			}
		}
		return val{code{strings.Join(parts, " * "), pMul}, u}
	case *ast.Div:
		x, y := ne.vec(e.X, false), ne.vec(e.Y, false)
		u := ne.union(x, y)
		return val{code{ne.align(x, u, pMul) + " / " + ne.align(y, u, pUnary+1), pMul}, u}
	case *ast.Pow:
		b := ne.vec(e.X, false)
		if n, ok := e.Y.(*ast.Num); ok {
			if n.Value.Equal(ast.Frac(1, 2)) {
				return val{code{"np.sqrt(" + b.s + ")", pAtom}, b.idx}
			}
			return val{code{b.paren(pAtom) + " ** " + pyExp(n), pUnary}, b.idx}
		}
		x := ne.vec(e.Y, false)
		u := ne.union(b, x)
		return val{code{ne.align(b, u, pAtom) + " ** " + ne.align(x, u, pAtom), pUnary}, u}
	case *ast.Call:
		if e.Fn == "delta" {
			return ne.delta(e)
		}
		if s, ok := isMax(e); ok {
			b := ne.vec(s.Body, false)
			pos := slices.Index(b.idx, s.Var)
			switch {
			case pos < 0:
				return b
			case len(b.idx) == 1:
				return val{code{"np.max(" + b.s + ")", pAtom}, nil}
			}
			rest := slices.Delete(slices.Clone(b.idx), pos, pos+1)
			return val{code{fmt.Sprintf("np.max(%s, axis=%d)", b.s, pos), pAtom}, rest}
		}
		if r, ok := ne.kink(e); ok {
			return r
		}
		if ast.IsUndefined(e) { // a derivative that does not exist at the point
			return val{code{"np.nan", pAtom}, nil}
		}
		a := ne.vec(e.Args[0], false)
		f := map[string]string{"exp": "np.exp", "log": "np.log", "sqrt": "np.sqrt", "tanh": "np.tanh", "cosh": "np.cosh", "sinh": "np.sinh",
			"sin": "np.sin", "cos": "np.cos", "sigma": "sigmoid", "softplus": "softplus", "Phi": "normcdf", "phi": "normpdf", logPhiFn: "lognormcdf", millsFn: "normmills"}[e.Fn]
		ne.uses[e.Fn] = true
		return val{code{f + "(" + a.s + ")", pAtom}, a.idx}
	case *ast.Sum:
		return ne.sum(e)
	case *ast.If:
		return ne.npIf(e.Cond, e.Then, e.Else)
	case *ast.Condition:
		return ne.npIf(e, ast.One, ast.Zero)
	}
	panic(fmt.Sprintf("codegen: cannot vectorise %T", e))
}

// read vectorises a use of a temp: its axes renamed, and put in loop
// order if the renaming changes their order.
func (ne *npEmitter) read(r ref) val {
	name := r.t.name
	var sorted []string
	for _, n := range ne.p.order {
		if slices.Contains(r.names, n) {
			sorted = append(sorted, n)
		}
	}
	if slices.Equal(sorted, r.names) {
		return val{code{name, pAtom}, r.names}
	}
	if len(sorted) == 2 {
		return val{code{name + ".T", pAtom}, sorted}
	}
	perm := make([]string, len(sorted))
	for i, n := range sorted {
		perm[i] = fmt.Sprint(slices.Index(r.names, n))
	}
	return val{code{fmt.Sprintf("np.transpose(%s, (%s))", name, strings.Join(perm, ", ")), pAtom}, sorted}
}

// index vectorises an array element: numbers select, and the axes are put
// in loop order.
func (ne *npEmitter) index(e *ast.Index) val {
	arr := ne.name(e.Name)
	var sel []string
	var vars []string
	anyNum := false
	for _, x := range e.Indices {
		switch x := x.(type) {
		case *ast.Num:
			v, _ := x.Value.Int64()
			sel = append(sel, fmt.Sprint(v-1))
			anyNum = true
		case *ast.Sym:
			// An index whose range starts after 1 takes a slice.
			if lo := ne.p.ranges[x.Name].lo; !ast.IsNum(lo, 1) {
				sel = append(sel, lowMinusOne(lo, ne.name)+":")
				anyNum = true
			} else {
				sel = append(sel, ":")
			}
			vars = append(vars, x.Name)
		}
	}
	if anyNum {
		for len(sel) > 0 && sel[len(sel)-1] == ":" {
			sel = sel[:len(sel)-1]
		}
		arr += "[" + strings.Join(sel, ", ") + "]"
	}
	// A repeated index (x[i,i]) takes a diagonal.
	distinct := slices.Compact(slices.Clone(vars))
	if len(distinct) != len(vars) || hasRepeat(vars) {
		in := ne.lettersOf(vars)
		var outV []string
		for _, n := range ne.p.order {
			if slices.Contains(vars, n) {
				outV = append(outV, n)
			}
		}
		return val{code{fmt.Sprintf("np.einsum(%q, %s)", in+"->"+ne.lettersOf(outV), arr), pAtom}, outV}
	}
	var sorted []string
	for _, n := range ne.p.order {
		if slices.Contains(vars, n) {
			sorted = append(sorted, n)
		}
	}
	if slices.Equal(sorted, vars) {
		return val{code{arr, pAtom}, vars}
	}
	if len(vars) == 2 {
		return val{code{arr + ".T", pAtom}, sorted}
	}
	perm := make([]string, len(sorted))
	for i, n := range sorted {
		perm[i] = fmt.Sprint(slices.Index(vars, n))
	}
	return val{code{fmt.Sprintf("np.transpose(%s, (%s))", arr, strings.Join(perm, ", ")), pAtom}, sorted}
}

func hasRepeat(vs []string) bool {
	for i := range vs {
		for j := i + 1; j < len(vs); j++ {
			if vs[i] == vs[j] {
				return true
			}
		}
	}
	return false
}

// delta vectorises the Kronecker delta.
func (ne *npEmitter) delta(e *ast.Call) val {
	a, b := e.Args[0], e.Args[1]
	sa, aIsVar := a.(*ast.Sym)
	sb, bIsVar := b.(*ast.Sym)
	switch {
	case aIsVar && bIsVar && (!ast.IsNum(ne.p.ranges[sa.Name].lo, 1) || !ast.IsNum(ne.p.ranges[sb.Name].lo, 1)):
		idx := ne.union(val{idx: []string{sa.Name}}, val{idx: []string{sb.Name}})
		ar := func(v string) string {
			r := ne.p.ranges[v]
			return fmt.Sprintf("np.arange(%s, %s + 1)", simplifyInt(intExpr(r.lo, ne.name)), simplifyInt(intExpr(r.hi, ne.name)))
		}
		return val{code{fmt.Sprintf("(%s[:, None] == %s[None, :]).astype(float)", ar(idx[0]), ar(idx[1])), pAtom}, idx}
	case aIsVar && bIsVar:
		n := simplifyInt(intExpr(ne.p.ranges[sa.Name].hi, ne.name))
		m := simplifyInt(intExpr(ne.p.ranges[sb.Name].hi, ne.name))
		idx := ne.union(val{idx: []string{sa.Name}}, val{idx: []string{sb.Name}})
		if idx[0] == sa.Name {
			return val{code{fmt.Sprintf("np.eye(%s, %s)", n, m), pAtom}, idx}
		}
		return val{code{fmt.Sprintf("np.eye(%s, %s)", m, n), pAtom}, idx}
	case aIsVar || bIsVar:
		v, c := sa, b
		if !aIsVar {
			v, c = sb, a
		}
		k, _ := c.(*ast.Num).Value.Int64()
		r := ne.p.ranges[v.Name]
		return val{code{fmt.Sprintf("(np.arange(%s, %s + 1) == %d).astype(float)", simplifyInt(intExpr(r.lo, ne.name)),
			simplifyInt(intExpr(r.hi, ne.name)), k), pAtom}, []string{v.Name}}
	}
	return val{code{"0.0", pAtom}, nil} // two different numbers; equal ones are 1 already
}

// lettersOf gives the einsum subscripts of index names.
func (ne *npEmitter) lettersOf(vs []string) string {
	var b strings.Builder
	for _, v := range vs {
		if l, ok := ne.letters[v]; ok {
			b.WriteString(l)
			continue
		}
		l := ""
		if len(v) == 1 && v[0] >= 'a' && v[0] <= 'z' && !ne.letterUsed(v) {
			l = v
		} else {
			for c := 'a'; c <= 'z'; c++ {
				if !ne.letterUsed(string(c)) {
					l = string(c)
					break
				}
			}
			if l == "" {
				for c := 'A'; c <= 'Z'; c++ {
					if !ne.letterUsed(string(c)) {
						l = string(c)
						break
					}
				}
			}
		}
		ne.letters[v] = l
		b.WriteString(l)
	}
	return b.String()
}

func (ne *npEmitter) letterUsed(l string) bool {
	for _, x := range ne.letters {
		if x == l {
			return true
		}
	}
	return false
}

// factor is a factor of a sum's body.
type factor struct {
	v   val
	inv bool // divides
}

// sum vectorises sum(v=lo..hi, body) as a contraction; a sum of terms is
// the sum of their contractions, so no array over all indices is built.
func (ne *npEmitter) sum(s *ast.Sum) val {
	if split, ok := splitSum(s); ok {
		if _, isTemp := ne.ref(s.Body); !isTemp {
			return ne.vec(split, false)
		}
	}
	sign := false
	var fs []factor
	var flatten func(e ast.Expr, inv bool)
	flatten = func(e ast.Expr, inv bool) {
		if _, ok := ne.ref(e); !ok {
			switch x := e.(type) {
			case *ast.Mul:
				for _, f := range x.Factors {
					flatten(f, inv)
				}
				return
			case *ast.Neg:
				sign = !sign
				flatten(x.X, inv)
				return
			case *ast.Div:
				flatten(x.X, inv)
				flatten(x.Y, !inv)
				return
			}
		}
		fs = append(fs, factor{ne.vec(e, false), inv})
	}
	flatten(s.Body, false)
	var dep, outer []factor
	for _, f := range fs {
		if slices.Contains(f.v.idx, s.Var) {
			if f.inv {
				f = factor{val{code{"1.0 / " + f.v.paren(pUnary+1), pMul}, f.v.idx}, false}
			}
			dep = append(dep, f)
		} else {
			outer = append(outer, f)
		}
	}
	var c val
	switch len(dep) {
	case 0:
		n := simplifyInt(intExpr(ast.Count(s.Lo, s.Hi), ne.name))
		c = val{code{n, pAtom}, nil}
	case 1:
		d := dep[0].v
		rest := slices.DeleteFunc(slices.Clone(d.idx), func(n string) bool { return n == s.Var })
		if len(d.idx) == 1 {
			c = val{code{"np.sum(" + d.s + ")", pAtom}, nil}
		} else {
			c = val{code{fmt.Sprintf("np.sum(%s, axis=%d)", d.s, slices.Index(d.idx, s.Var)), pAtom}, rest}
		}
	case 2:
		if m, ok := ne.matmul(dep[0].v, dep[1].v, s.Var); ok {
			c = m
			break
		}
		c = ne.einsum(dep, s.Var)
	default:
		c = ne.einsum(dep, s.Var)
	}
	if len(outer) == 0 && !sign {
		return c
	}
	all := []val{c}
	for _, f := range outer {
		all = append(all, f.v)
	}
	u := ne.union(all...)
	var b strings.Builder
	if sign {
		b.WriteString("-")
	}
	b.WriteString(ne.align(c, u, pMul))
	for _, f := range outer {
		op := " * "
		min := pMul
		if f.inv {
			op, min = " / ", pUnary+1
		}
		b.WriteString(op + ne.align(f.v, u, min))
	}
	prec := pMul
	if sign && len(outer) == 0 {
		prec = pUnary
	}
	return val{code{b.String(), prec}, u}
}

// matmul writes the contraction of two arrays of rank 1 or 2 over v as a
// matrix product, when they share no other index.
func (ne *npEmitter) matmul(a, b val, v string) (val, bool) {
	if len(a.idx) > 2 || len(b.idx) > 2 {
		return val{}, false
	}
	for _, n := range a.idx {
		if n != v && slices.Contains(b.idx, n) {
			return val{}, false
		}
	}
	// Put the contracted axis last in the left operand and first in the
	// right one; a vector goes on the right (X.T @ r, X @ w), and of two
	// matrices the one with the first result axis goes on the left.
	if len(a.idx) == 1 && len(b.idx) == 2 {
		a, b = b, a
	}
	if len(a.idx) == 2 && len(b.idx) == 2 {
		other := func(x val) string {
			if x.idx[0] == v {
				return x.idx[1]
			}
			return x.idx[0]
		}
		if slices.Index(ne.p.order, other(b)) < slices.Index(ne.p.order, other(a)) {
			a, b = b, a
		}
	}
	left := a.paren(pAtom)
	var p string
	if len(a.idx) == 2 {
		if a.idx[0] == v {
			left += ".T"
			p = a.idx[1]
		} else {
			p = a.idx[0]
		}
	}
	right := b.paren(pAtom)
	var q string
	if len(b.idx) == 2 {
		if b.idx[1] == v {
			right += ".T"
			q = b.idx[0]
		} else {
			q = b.idx[1]
		}
	}
	s := left + " @ " + right
	var idx []string
	switch {
	case p != "" && q != "":
		idx = ne.union(val{idx: []string{p}}, val{idx: []string{q}})
		if idx[0] != p {
			s = "(" + s + ").T"
			return val{code{s, pAtom}, idx}, true
		}
	case p != "":
		idx = []string{p}
	case q != "":
		idx = []string{q}
	}
	return val{code{s, pAdd}, idx}, true
}

// einsum writes a contraction with np.einsum.
func (ne *npEmitter) einsum(fs []factor, v string) val {
	var subs, args []string
	var vals []val
	for _, f := range fs {
		subs = append(subs, ne.lettersOf(f.v.idx))
		args = append(args, f.v.s)
		vals = append(vals, f.v)
	}
	out := slices.DeleteFunc(ne.union(vals...), func(n string) bool { return n == v })
	spec := strings.Join(subs, ",") + "->" + ne.lettersOf(out)
	opt := ""
	if len(args) > 2 {
		opt = ", optimize=True" // contract in pairs, not in one loop over every index
	}
	return val{code{fmt.Sprintf("np.einsum(%q, %s%s)", spec, strings.Join(args, ", "), opt), pAtom}, out}
}

const npHelpers = `

def sigmoid(u: np.ndarray) -> np.ndarray:
    """1/(1 + exp(-u)) elementwise, from e = exp(-|u|), which cannot overflow."""
    e = np.exp(-np.abs(u))
    return np.where(u >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
`

const npSoftplus = `

def softplus(u: np.ndarray) -> np.ndarray:
    """log(1 + exp(u)) elementwise, as logaddexp(0, u): no overflow, no lost precision."""
    return np.logaddexp(0.0, u)
`

const npNorm = `

_erfc = np.vectorize(math.erfc, otypes=[float])


def normcdf(u: np.ndarray) -> np.ndarray:
    """The standard normal distribution function, elementwise."""
    return 0.5 * _erfc(-np.asarray(u) / math.sqrt(2.0))
`

const npNormPDF = `

def normpdf(u: np.ndarray) -> np.ndarray:
    """The standard normal density, elementwise."""
    return np.exp(-u * u / 2.0) / math.sqrt(2.0 * math.pi)
`

// The NumPy names of the tail functions are the scalar Python ones
// (pyLogNorm, pyMills) applied elementwise: their branches are chosen per
// element, and no branch is computed where it would overflow.
const npLogNorm = `

lognormcdf = np.vectorize(lognormcdf, otypes=[float])
`

const npMills = `

normmills = np.vectorize(normmills, otypes=[float])
`

// genNumPy writes a vectorised NumPy function.
func genNumPy(p *problem, en Engine, req *Request) (*Result, error) {
	nm, fn, pl, ins, outs := newFrame(p, en, req, pyKeywords, false, "loss_grad", false).unpack()
	ne := &npEmitter{pl: pl, p: p, nm: nm, uses: map[string]bool{}, letters: map[string]string{}}

	var body strings.Builder
	for _, c := range pl.comps {
		t := c.t
		ne.reads = map[*temp]bool{}
		for _, r := range c.reads {
			ne.reads[r] = true
		}
		v := ne.vec(c.expr, !c.copy)
		s := v.s
		if t.out != nil {
			s = ne.shapeOutput(v, t)
		}
		fmt.Fprintf(&body, "    %s = %s\n", t.name, s)
	}
	for i, t := range pl.outputs {
		if t.name != outs[i].Name {
			fmt.Fprintf(&body, "    %s = %s\n", outs[i].Name, t.name)
		}
	}
	var pre strings.Builder
	used := map[string]bool{}
	for _, s := range p.sizes {
		used[s.name] = true
	}
	explicit := pySizes(&pre, p, nm, used, true)

	var f strings.Builder
	pyHeader(&f, p, req, fn)
	if ne.uses["Phi"] || ne.uses["phi"] || ne.uses[logPhiFn] || ne.uses[millsFn] {
		f.WriteString("\nimport math\n")
	}
	f.WriteString("\nimport numpy as np\n")
	var params []string
	for _, in := range ins {
		if in.Rank == 0 {
			params = append(params, in.Name+": float")
		} else {
			params = append(params, in.Name+": np.ndarray")
		}
	}
	for _, s := range explicit {
		params = append(params, nm.user(s)+": int")
	}
	var rtypes, names []string
	for _, o := range outs {
		if o.Rank == 0 {
			rtypes = append(rtypes, "float")
		} else {
			rtypes = append(rtypes, "np.ndarray")
		}
		names = append(names, o.Name)
	}
	fmt.Fprintf(&f, "\n\ndef %s(%s) -> tuple[%s]:\n", fn, strings.Join(params, ", "), strings.Join(rtypes, ", "))
	fmt.Fprintf(&f, "    \"\"\"Return %s: %s.\"\"\"\n", strings.Join(names, ", "), p.computes())
	for _, in := range ins {
		if in.Rank > 0 {
			fmt.Fprintf(&f, "    %s = np.asarray(%s, dtype=float)\n", in.Name, in.Name)
		}
	}
	// A row's first axis is checked before its second is read as a size.
	for _, in := range p.inputs {
		if in.row {
			a := nm.user(in.name)
			fmt.Fprintf(&f, "    if %s.ndim != 2 or %s.shape[0] != 1:\n        raise ValueError(f\"%s has shape {%s.shape}, want (%s)\")\n", a, a, in.name, a, strings.Join(in.declDims(), ", "))
		}
	}
	if ne.uses["piecewise"] {
		// The pieces of an if are computed everywhere: a number input as
		// np.float64 follows np.errstate (1.0/0.0 is inf, not a
		// ZeroDivisionError, and (-1.0)**0.5 is nan, not complex).
		for _, in := range ins {
			if in.Rank == 0 {
				fmt.Fprintf(&f, "    %s = np.float64(%s)\n", in.Name, in.Name)
			}
		}
	}
	f.WriteString(pre.String())
	for _, in := range p.inputs {
		if in.row { // computed with as a vector
			fmt.Fprintf(&f, "    %s = %s[0]\n", nm.user(in.name), nm.user(in.name))
		}
	}
	f.WriteString(body.String())
	for i, o := range outs {
		if o.Rank == 0 {
			names[i] = "float(" + names[i] + ")"
		} else if pads := outPads(p, pl.outputs[i].out); len(pads) > 0 {
			names[i] = npPadded(names[i], o.Rank, pads)
		}
	}
	fmt.Fprintf(&f, "    return %s\n", strings.Join(names, ", "))
	if ne.uses["sigma"] {
		f.WriteString(npHelpers)
	}
	if ne.uses["piecewise"] {
		f.WriteString(piecewiseHelperPy)
	}
	if ne.uses["softplus"] {
		f.WriteString(npSoftplus)
	}
	if ne.uses["Phi"] {
		f.WriteString(npNorm)
	}
	if ne.uses["phi"] {
		f.WriteString(npNormPDF)
	}
	if ne.uses[logPhiFn] || ne.uses[millsFn] {
		f.WriteString(pyNormTail)
	}
	if ne.uses[logPhiFn] {
		f.WriteString(pyLogNorm + npLogNorm)
	}
	if ne.uses[millsFn] {
		f.WriteString(pyMills + npMills)
	}
	return &Result{Code: f.String(), Sig: Signature{Func: fn, Inputs: ins, Sizes: explicit, Outputs: outs}}, nil
}

// shapeOutput gives an output value the output's shape and axis order.
func (ne *npEmitter) shapeOutput(v val, t *temp) string {
	s := v.s
	idx := v.idx
	if len(idx) != len(t.idxs) {
		dims := make([]string, len(t.idxs))
		sorted := ne.union(val{idx: t.idxs})
		for i, n := range sorted {
			dims[i] = simplifyInt(intExpr(ne.p.ranges[n].hi, ne.name))
		}
		shape := strings.Join(dims, ", ")
		if len(dims) == 1 {
			shape += ","
		}
		s = fmt.Sprintf("np.zeros((%s)) + %s", shape, ne.align(v, sorted, pAdd+1))
		idx = sorted
	}
	if !slices.Equal(idx, t.idxs) && len(idx) > 1 {
		perm := make([]string, len(t.idxs))
		for i, n := range t.idxs {
			perm[i] = fmt.Sprint(slices.Index(idx, n))
		}
		if len(idx) == 2 {
			return "(" + s + ").T"
		}
		return fmt.Sprintf("np.transpose(%s, (%s))", s, strings.Join(perm, ", "))
	}
	return s
}

// nest calls the two-argument function f on args from the left:
// f(f(a, b), c) for max(a, b, c).
func nest(f string, args []string) string {
	s := args[0]
	for _, a := range args[1:] {
		s = f + "(" + s + ", " + a + ")"
	}
	return s
}

// kink vectorises the functions with kinks, and pi: NumPy has each of
// them elementwise, with sign(0) = 0 and heaviside(0, 0) = 0 as symdiff's.
func (ne *npEmitter) kink(e *ast.Call) (val, bool) {
	if e.Fn == "pi" {
		return val{code{"np.pi", pAtom}, nil}, true
	}
	f, ok := map[string]string{"abs": "np.abs", "sign": "np.sign", "step": "np.heaviside", "relu": "np.maximum",
		"max": "np.maximum", "min": "np.minimum", "clip": "np.clip", hypotFn: "np.hypot"}[e.Fn]
	if !ok {
		return val{}, false
	}
	vs := make([]val, len(e.Args))
	for i, a := range e.Args {
		vs[i] = ne.vec(a, false)
	}
	u := ne.union(vs...)
	args := make([]string, len(vs))
	for i, v := range vs {
		args[i] = ne.align(v, u, pAdd)
	}
	switch e.Fn {
	case "step":
		args = append(args, "0.0")
	case "relu":
		args = append(args, "0.0")
	case "clip": // min(max(u, lo), hi), also where lo > hi
		return val{code{"np.minimum(np.maximum(" + args[0] + ", " + args[1] + "), " + args[2] + ")", pAtom}, u}, true
	case "max", "min", hypotFn:
		// np.maximum's third argument is where it writes its result.
		return val{code{nest(f, args), pAtom}, u}, true
	}
	return val{code{f + "(" + strings.Join(args, ", ") + ")", pAtom}, u}, true
}
