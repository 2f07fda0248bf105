package ast

import (
	"fmt"
	"strconv"
	"strings"
)

// Shared subexpressions. A hash-consed expression is a DAG that can be far
// smaller than the tree it stands for: d/dx of sin nested n deep is the
// product of the cosines of sin(x), sin(sin(x)), ..., about n^2/2 nodes as
// a tree and 2n as a DAG. Printed as a tree such a result is quadratic in
// the DAG; printed with its shared subexpressions named once, it is
// linear:
//
//	cos(x)*cos(u1)*cos(u2)*cos(sin(u2)) where u1 = sin(x), u2 = sin(u1)
//
// The parser reads the where clause back (each name stands for its
// expression, and may use the names before it), so the output still
// parses to the same expression.

// The threshold: names are used when the tree has at least ShareMinNodes
// nodes and at least ShareRatio times as many as the DAG has nodes and
// references to them (what printing with names writes). Below it the tree
// prints at most ShareRatio times longer than with names, and reads
// better; above it, the tree's text grows faster than the expression
// (quadratically for a chain, exponentially for a tower of squares). The
// sum of products d/dx (x+1)...(x+n) stays as it is: its n products of
// n-1 factors are as long with names as without. Apart from the
// threshold, a part nested ShareMaxDepth deep is named (see there).
const (
	ShareMinNodes = 1000
	ShareRatio    = 4
)

// A Named is a subexpression printed once, under a name.
type Named struct {
	Name string
	Expr Expr
}

// Share returns the subexpressions of e to print under names, each after
// the ones it contains, or nil when e is below the threshold. A named
// subexpression is not a number or a name, and occurs more than once in e
// (above the threshold) or is ShareMaxDepth levels deep below the names
// (however large e is); subexpressions inside sums (whose bound index
// they may use) and derivatives are not looked into.
func Share(e Expr) []Named {
	named, _ := share(nil, e)
	return named
}

// ShareMaxDepth bounds how deep a printed expression nests: a deeper
// part is printed under a name, every ShareMaxDepth levels. Without it sin
// nested 100,000 deep printed as 100,000 nested brackets, which the parser
// (MaxNesting brackets, at most a few per level) does not read back, and
// took the printer's recursion a 40 MB stack.
const ShareMaxDepth = 1000

// share is Share, stopping with the context's error once halt's context
// is done: a DAG of a million nodes takes a tenth of a second to count.
func share(halt *printStop, e Expr) ([]Named, error) {
	if e.Size() < min(ShareMinNodes, ShareMaxDepth) {
		return nil, nil
	}
	// The references to each node, by ID (see NodeMap), as indices into
	// counts; levels are the depths below names (see below).
	var index NodeMap[int32]
	var counts, levels []int32
	order := make([]Expr, 0, min(e.Size(), 1<<14)) // post-order: a node after its children
	dag := int64(0)
	// enter counts a reference to x, and reports whether x is new and
	// its operands are to be looked into.
	enter := func(x Expr) bool {
		if i, ok := index.Get(x); ok {
			counts[i]++
			return false
		}
		index.Put(x, int32(len(counts)))
		counts, levels = append(counts, 1), append(levels, 1)
		if !shareInside(x) {
			dag += x.Size()
			return false
		}
		dag++ // a node, and (below) its references, as printed with names
		return true
	}
	// Without recursion: a chain 700,000 deep.
	type frame struct {
		e    Expr
		next int
	}
	var stack []frame
	if enter(e) {
		stack = append(stack, frame{e: e})
	}
	for len(stack) > 0 && !halt.stop() {
		f := &stack[len(stack)-1]
		if k, ok := child(f.e, f.next); ok {
			f.next++
			dag++
			if enter(k) {
				stack = append(stack, frame{e: k})
			}
			continue
		}
		order = append(order, f.e)
		stack = stack[:len(stack)-1]
	}
	if halt != nil && halt.err != nil {
		return nil, halt.err
	}
	shared := e.Size() >= ShareMinNodes && e.Size() >= ShareRatio*dag
	var out []Named
	// A node's level is 1 more than its deepest operand's, a named operand
	// counting 0: it is named at ShareMaxDepth, so no printed part nests
	// deeper.
	for _, x := range order {
		i, _ := index.Get(x)
		level := int32(1)
		for j := 0; ; j++ {
			k, ok := child(x, j)
			if !ok {
				break
			}
			ki, _ := index.Get(k)
			level = max(level, 1+levels[ki])
		}
		if x != e && (shared && counts[i] > 1 || level >= ShareMaxDepth) {
			out = append(out, Named{Expr: x})
			level = 0
		}
		levels[i] = level
	}
	if len(out) == 0 {
		return nil, nil
	}
	prefix := sharePrefix(e)
	for i := range out {
		out[i].Name = prefix + strconv.Itoa(i+1)
	}
	return out, nil
}

// shareInside reports whether Share looks into x's operands.
func shareInside(x Expr) bool {
	switch x.(type) {
	case *Neg, *Add, *Mul, *Div, *Pow, *Call, *Iverson:
		return true
	}
	return false
}

// sharePrefix picks the letter of the names: u, unless e has a free name
// of the form u1; then v, w, t, s, r, q, and then u_, u__, ... (a prefix
// no free name of e extends with digits and underscores, so no name given
// captures a variable of e).
func sharePrefix(e Expr) string {
	return prefixAvoiding(FreeNames(e), []string{"u", "v", "w", "t", "s", "r", "q"})
}

// prefixAvoiding returns the first of the candidates that no free name
// extends with digits and underscores, or else u_, u__, ...
func prefixAvoiding(free []string, candidates []string) string {
	for _, p := range candidates {
		if !clashes(free, p) {
			return p
		}
	}
	p := "u_"
	for clashes(free, p) {
		p += "_"
	}
	return p
}

// clashes reports whether a free name is p followed by digits and
// underscores (a name p1 or p_2 given to a subexpression would capture it).
func clashes(free []string, p string) bool {
	for _, n := range free {
		if rest, ok := strings.CutPrefix(n, p); ok && rest != "" && strings.Trim(rest, "0123456789_") == "" {
			return true
		}
	}
	return false
}

// A Shared is an expression printed with named subexpressions: Body and
// each Defs[i] (the expression Named[i].Name stands for) use the names.
type Shared struct {
	Body  string
	Named []Named
	Defs  []string
}

// String joins the parts in the printer's syntax: "body where u1 = a, u2
// = b" in the input syntax (which parses back) and Unicode, and
// "body \quad \text{where } u_{1} = a,\ u_{2} = b" in LaTeX.
func (s Shared) String(st Style) string {
	if len(s.Named) == 0 {
		return s.Body
	}
	var b strings.Builder
	b.WriteString(s.Body)
	if st == LaTeX {
		b.WriteString(` \quad \text{where } `)
	} else {
		b.WriteString(" where ")
	}
	for i, n := range s.Named {
		if i > 0 {
			if st == LaTeX {
				b.WriteString(`,\ `)
			} else {
				b.WriteString(", ")
			}
		}
		if st == LaTeX {
			b.WriteString(LaTeXName(n.Name))
		} else {
			b.WriteString(n.Name)
		}
		b.WriteString(" = ")
		b.WriteString(s.Defs[i])
	}
	return b.String()
}

// FormatShared prints e in the given style with the subexpressions Share
// names (none below the threshold); shapes are as in FormatShaped. It
// fails only when the output would exceed MaxPrintBytes.
func FormatShared(e Expr, st Style, shapes map[string]Shape) (Shared, error) {
	return formatShared(nil, e, st, shapes, shadowsIn(e), nil)
}

// formatShared is FormatShared with the built-ins spelled shadow spelled
// otherwise (see FormatIn), stopping once halt's context is done. shadow
// holds shadowsIn(e).
func formatShared(halt *printStop, e Expr, st Style, shapes map[string]Shape, shadow map[string]bool, spelled map[string]bool) (Shared, error) {
	body, named, ok := productShare(e)
	if ok {
		e = body
	} else {
		var err error
		if named, err = share(halt, e); err != nil {
			return Shared{}, err
		}
	}
	if len(named) == 0 {
		s, err := formatNamed(halt, e, st, shapes, nil, shadow, spelled)
		return Shared{Body: s}, err
	}
	names := make(map[Expr]string, len(named))
	for _, n := range named {
		names[n.Expr] = n.Name
	}
	out := Shared{Named: named, Defs: make([]string, len(named))}
	total := 0
	var err error
	print := func(x Expr) string {
		s, e := formatNamed(halt, x, st, shapes, names, shadow, spelled)
		total += len(s)
		if e == nil && total > MaxPrintBytes {
			e = fmt.Errorf("%w (%d named subexpressions)", ErrPrintTooLarge, len(named))
		}
		if e != nil && err == nil {
			err = e
		}
		return s
	}
	for i, n := range named {
		if halt != nil && halt.err != nil {
			return out, halt.err
		}
		out.Defs[i] = print(n.Expr)
	}
	out.Body = print(e)
	return out, err
}

// formatNamed prints e, writing the subexpressions in names (other than e
// itself) as their names; it stops once halt's context is done.
func formatNamed(halt *printStop, e Expr, st Style, shapes map[string]Shape, names map[Expr]string, shadow map[string]bool, spelled map[string]bool) (string, error) {
	if st == LaTeX {
		p := &latexPrinter{names: names, self: e, spelled: spelled, halt: halt}
		p.bold = boldNames(shapes)
		p.expr(e)
		return printed(&p.b, p.over, e, p.halt)
	}
	p := &printer{uni: st == Unicode, names: names, self: e, shadow: shadow, spelled: spelled, halt: halt}
	p.expr(e)
	return printed(&p.b, p.over, e, p.halt)
}

// FormatWhere prints e with its shared subexpressions named (see Share),
// as one string in the printer's syntax.
func FormatWhere(e Expr, st Style) (string, error) {
	s, err := FormatShared(e, st, nil)
	return s.String(st), err
}
