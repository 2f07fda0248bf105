package codegen

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/symdiff/symdiff/ast"
)

// What the emitters share: names, numbers, and expressions rendered with
// the parentheses precedence demands.

// Precedence levels of rendered code.
const (
	pAdd   = 1
	pMul   = 2
	pUnary = 3
	pAtom  = 4
)

// A code is a rendered expression and its precedence.
type code struct {
	s    string
	prec int
}

func (c code) paren(min int) string {
	if c.prec < min {
		return "(" + c.s + ")"
	}
	return c.s
}

// floatLit writes a float64 constant so that every language reads it as a
// floating-point number: 2.0, 0.5, 1e-08.
func floatLit(v float64) string {
	if math.IsInf(v, 0) || math.IsNaN(v) {
		panic("codegen: a constant out of the float64 range")
	}
	s := strconv.FormatFloat(v, 'g', -1, 64)
	if !strings.ContainsAny(s, ".eE") {
		s += ".0"
	}
	return s
}

// numLit writes an exact constant as float64 code: a ratio of small
// integers exactly when float64 division gives the nearest float.
func numLit(n ast.Number) code {
	v := n.Float64()
	if math.IsInf(v, 0) {
		panic("codegen: a constant out of the float64 range")
	}
	s := floatLit(math.Abs(v))
	if v < 0 {
		return code{"-" + s, pUnary}
	}
	return code{s, pAtom}
}

// namer gives the names of the generated code: the user's names for
// inputs, sizes and indices (changed only when they clash with the
// language), and fresh names for temps.
type namer struct {
	reserved map[string]bool
	taken    map[string]bool
	names    map[string]string // user name → code name
	ascii    bool              // C: identifiers in ASCII
}

func newNamer(keywords string, ascii bool) *namer {
	nm := &namer{reserved: map[string]bool{}, taken: map[string]bool{}, names: map[string]string{}, ascii: ascii}
	for _, k := range strings.Fields(keywords) {
		nm.reserved[k] = true
	}
	return nm
}

// user returns the code name of a user's name.
func (nm *namer) user(n string) string {
	if c, ok := nm.names[n]; ok {
		return c
	}
	c := n
	if nm.ascii {
		var b strings.Builder
		for _, r := range n {
			if r < 128 {
				b.WriteRune(r)
			} else {
				fmt.Fprintf(&b, "u%04x", r)
			}
		}
		c = b.String()
	}
	for nm.reserved[c] || nm.taken[c] {
		c += "_"
	}
	nm.taken[c] = true
	nm.names[n] = c
	return c
}

// fresh returns an unused name starting with base.
func (nm *namer) fresh(base string) string {
	c := base
	for k := 2; nm.reserved[c] || nm.taken[c]; k++ {
		c = fmt.Sprintf("%s%d", base, k)
	}
	nm.taken[c] = true
	return c
}

// tempNames names the temps: by the user's definition when a temp is the
// body of one (z for sum(j=1..d, x[i,j]*w[j])), otherwise t1, t2, ...
func tempNames(pl *plan, en Engine, nm *namer, outName func(*output) string) {
	byBody := defNames(pl.p, en)
	for _, t := range pl.outputs {
		t.name = outName(t.out)
	}
	var ts []*temp
	for _, c := range pl.comps {
		if c.t.out == nil {
			ts = append(ts, c.t)
		}
	}
	for _, t := range ts {
		if n, ok := byBody[t.node]; ok {
			t.name = nm.fresh(nm.safe(n))
		}
	}
	k := 0
	for _, t := range ts {
		if t.name == "" {
			k++
			base := "t"
			if _, ok := t.node.(*ast.Sum); ok {
				base = "s"
			}
			t.name = nm.fresh(fmt.Sprintf("%s%d", base, k))
		}
	}
}

// safe makes a definition's name a code name.
func (nm *namer) safe(n string) string {
	c := n
	if nm.ascii {
		var b strings.Builder
		for _, r := range n {
			if r < 128 {
				b.WriteRune(r)
			} else {
				fmt.Fprintf(&b, "u%04x", r)
			}
		}
		c = b.String()
	}
	return c
}

// defNames maps the nodes that are the bodies of the user's definitions,
// instantiated at index variables of the problem, to the defined names.
func defNames(p *problem, en Engine) map[ast.Expr]string {
	out := map[ast.Expr]string{}
	if en.Defs == nil {
		return out
	}
	vars := make([]ast.Expr, 0, len(p.order))
	for _, v := range p.order {
		vars = append(vars, ast.NewSym(v))
	}
	prep := func(e ast.Expr) ast.Expr {
		e = en.allDefs().Expand(e)
		e = lowerMeans(e)
		return sortOperands(tidySigns(e))
	}
	for _, d := range en.Defs.All() { // the first definition of a body names it
		switch d.Kind {
		case ast.DefScalar:
			if n := prep(d.Body); out[n] == "" {
				out[n] = d.Name
			}
		case ast.DefIndexed:
			if len(d.Params) > 2 {
				continue
			}
			for _, a := range vars {
				if len(d.Params) == 1 {
					if n := prep(d.Instantiate([]ast.Expr{a})); out[n] == "" {
						out[n] = d.Name
					}
					continue
				}
				for _, b := range vars {
					if a != b {
						if n := prep(d.Instantiate([]ast.Expr{a, b})); out[n] == "" {
							out[n] = d.Name
						}
					}
				}
			}
		}
	}
	return out
}

// commentLines is the header every language gets, as lines without the
// comment markers.
func commentLines(p *problem, req *Request, what string) []string {
	lines := []string{
		fmt.Sprintf("%s computes %s.", what, p.computes()),
		fmt.Sprintf("Generated from %s by symdiff codegen, version %s.", req.sourceDesc(p.en.shower()), req.version()),
		"",
	}
	lines = append(lines, p.describe()...)
	lines = append(lines, "")
	var shapes []string
	for _, in := range p.inputs {
		if in.rank == 0 {
			shapes = append(shapes, in.name+" (a number)")
			continue
		}
		shapes = append(shapes, fmt.Sprintf("%s (%s)", in.name, strings.Join(in.declDims(), " × ")))
	}
	lines = append(lines, "Inputs: "+strings.Join(shapes, ", ")+".")
	var from []string
	for _, s := range p.sizes {
		if s.from != nil {
			from = append(from, fmt.Sprintf("%s = %s", s.name, s.fromDesc()))
		}
	}
	if len(from) > 0 {
		lines = append(lines, "Sizes: "+strings.Join(from, ", ")+".")
	}
	rewrite := p.rewrite
	if p.raw > 0 {
		rewrite = append(slices.Clip(rewrite), rawNote(p.raw, req.Lang))
	}
	if len(rewrite) > 0 {
		lines = append(lines, "Rewritten for numerical stability: "+strings.Join(rewrite, "; ")+".")
	} else {
		lines = append(lines, "Rewritten for numerical stability: nothing needed rewriting.")
	}
	lines = append(lines, "sigmoid and softplus are computed in forms that neither overflow nor lose precision for large |u|.")
	return lines
}

// fromDesc says where a size is read: the length of y, the number of
// columns of x.
func (s *size) fromDesc() string {
	if s.from.row { // declared 1 × d
		return fmt.Sprintf("dimension %d of %s", s.dim+2, s.from.name)
	}
	if s.dim == 0 {
		return fmt.Sprintf("len(%s)", s.from.name)
	}
	return fmt.Sprintf("dimension %d of %s", s.dim+1, s.from.name)
}

// computes names the results.
func (p *problem) computes() string {
	var ws []string
	for _, w := range p.wrt {
		ws = append(ws, w.name)
	}
	s := "the loss and its gradient with respect to " + joinAnd(ws)
	if p.hess != nil {
		s += ", and its Hessian"
	}
	return s
}

func joinAnd(ws []string) string {
	switch len(ws) {
	case 0:
		return ""
	case 1:
		return ws[0]
	}
	return strings.Join(ws[:len(ws)-1], ", ") + " and " + ws[len(ws)-1]
}

// intExpr renders a range bound or size expression as integer code.
func intExpr(e ast.Expr, name func(string) string) string {
	switch e := e.(type) {
	case *ast.Num:
		v, _ := e.Value.Int64()
		return strconv.FormatInt(v, 10)
	case *ast.Sym:
		return name(e.Name)
	case *ast.Neg:
		return "-(" + intExpr(e.X, name) + ")"
	case *ast.Add:
		parts := make([]string, len(e.Terms))
		for i, t := range e.Terms {
			parts[i] = intExpr(t, name)
		}
		return "(" + strings.Join(parts, " + ") + ")"
	case *ast.Mul:
		parts := make([]string, len(e.Factors))
		for i, t := range e.Factors {
			parts[i] = intExpr(t, name)
		}
		return "(" + strings.Join(parts, " * ") + ")"
	}
	panic("codegen: not an integer expression: " + ast.String(e))
}

// simplifyInt removes the outer parentheses intExpr adds.
func simplifyInt(s string) string {
	if strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") && strings.Count(s, "(") == 1 {
		return s[1 : len(s)-1]
	}
	return s
}

// lowMinusOne renders lo - 1, the first 0-based value of a range.
func lowMinusOne(lo ast.Expr, name func(string) string) string {
	if n, ok := lo.(*ast.Num); ok {
		v, _ := n.Value.Int64()
		return strconv.FormatInt(v-1, 10)
	}
	return intExpr(lo, name) + " - 1"
}
