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
// n-1 factors are as long with names as without.
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
// subexpression occurs more than once in e and is not a number or a name;
// subexpressions inside sums (whose bound index they may use) and
// derivatives are not looked into.
func Share(e Expr) []Named {
	if e.Size() < ShareMinNodes {
		return nil
	}
	// The references to each node, by ID (see NodeMap), as indices into
	// counts.
	var index NodeMap[int32]
	var counts []int32
	order := make([]Expr, 0, min(e.Size(), 1<<14)) // post-order: a node after its children
	dag := int64(0)
	var visit func(x Expr)
	visit = func(x Expr) {
		if i, ok := index.Get(x); ok {
			counts[i]++
			return
		}
		index.Put(x, int32(len(counts)))
		counts = append(counts, 1)
		if !shareInside(x) {
			dag += x.Size()
			return
		}
		kids := Children(x)
		dag += 1 + int64(len(kids)) // a node and its references, as printed with names
		for _, k := range kids {
			visit(k)
		}
		order = append(order, x)
	}
	visit(e)
	if e.Size() < ShareRatio*dag {
		return nil
	}
	prefix := sharePrefix(e)
	var out []Named
	for _, x := range order {
		if i, _ := index.Get(x); counts[i] > 1 && x != e {
			out = append(out, Named{Name: prefix + strconv.Itoa(len(out)+1), Expr: x})
		}
	}
	return out
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
	return formatShared(e, st, shapes, shadowsIn(e), nil)
}

// formatShared is FormatShared with the built-ins spelled shadow spelled
// otherwise (see FormatIn).
func formatShared(e Expr, st Style, shapes map[string]Shape, shadow map[string]bool, spelled map[string]bool) (Shared, error) {
	body, named, ok := productShare(e)
	if ok {
		e = body
	} else {
		named = Share(e)
	}
	if len(named) == 0 {
		if len(spelled) > 0 {
			s, err := formatNamed(e, st, shapes, nil, shadow, spelled)
			return Shared{Body: s}, err
		}
		if st != LaTeX && len(shadow) > 0 {
			s, err := formatShadowing(e, st, shadow)
			return Shared{Body: s}, err
		}
		s, err := FormatShaped(e, st, shapes)
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
		s, e := formatNamed(x, st, shapes, names, shadow, spelled)
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
		out.Defs[i] = print(n.Expr)
	}
	out.Body = print(e)
	return out, err
}

// formatNamed prints e, writing the subexpressions in names (other than e
// itself) as their names.
func formatNamed(e Expr, st Style, shapes map[string]Shape, names map[Expr]string, shadow map[string]bool, spelled map[string]bool) (string, error) {
	if st == LaTeX {
		p := &latexPrinter{names: names, self: e, spelled: spelled}
		p.bold = boldNames(shapes)
		p.expr(e)
		return printed(&p.b, p.over, e)
	}
	p := &printer{uni: st == Unicode, names: names, self: e, shadow: shadow, spelled: spelled}
	p.expr(e)
	return printed(&p.b, p.over, e)
}

// FormatWhere prints e with its shared subexpressions named (see Share),
// as one string in the printer's syntax.
func FormatWhere(e Expr, st Style) (string, error) {
	s, err := FormatShared(e, st, nil)
	return s.String(st), err
}
