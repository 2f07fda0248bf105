package latex

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/ast/once"
)

// Derivations that fit the page. A line of a derivation whose formula and
// justification together are wider than the page is set with the
// justification under the formula, and a formula wider than the page is
// broken at the + and - of its outermost sum, or of the sum inside an
// outer product or sum over an index (with \Bigl( \Bigr), which may stand
// on different lines where \left( \right) may not). Both KaTeX and
// pdflatex set this inside aligned and align*.

// pageWidth is the width, in units of width (see width), that a row of
// a derivation may take in the landscape document: about 130 characters
// of 10pt math.
const pageWidth = 120

// width estimates the printed width of a LaTeX formula in characters: a
// command counts as one character (\sigma, \sum), a fraction as its wider
// part, sub- and superscripts at 0.6, \text{...} by its letters, spacing
// commands by their width; braces, \left, \right and spaces count
// nothing.
func width(s string) float64 {
	w, _ := widthOf(s, 0)
	return w
}

// widthOf measures s from i up to the end of the group it is in.
func widthOf(s string, i int) (float64, int) {
	w := 0.0
	for i < len(s) {
		c := s[i]
		switch {
		case c == '}':
			return w, i + 1
		case c == '{':
			g, j := widthOf(s, i+1)
			w += g
			i = j
		case c == '^' || c == '_':
			g, j := argWidth(s, i+1)
			w += 0.6 * g
			i = j
		case c == '\\':
			j := i + 1
			for j < len(s) && isLetter(s[j]) {
				j++
			}
			if j == i+1 && j < len(s) {
				j++ // \, \; \  \{
			}
			cmd := s[i+1 : j]
			i = j
			switch cmd {
			case "left", "right", "Bigl", "Bigr", "bigl", "bigr", "displaystyle", "cdot":
				if cmd == "cdot" {
					w++
				}
			case "frac":
				a, j := argWidth(s, i)
				b, k := argWidth(s, j)
				w += max(a, b) + 0.5
				i = k
			case "text", "operatorname", "mathrm":
				g, j := argWidth(s, i)
				w += g
				i = j
			case "quad":
				w += 2
			case "qquad":
				w += 4
			case ",", ";", " ", ":":
				w += 0.5
			default:
				w++
			}
		case c == ' ' || c == '&':
			i++
		default:
			_, n := utf8.DecodeRuneInString(s[i:])
			w++
			if c == '+' || c == '-' || c == '=' {
				w += 0.8 // the spacing around a relation or operator
			}
			i += n
		}
	}
	return w, i
}

// argWidth measures one argument: a group or a single token.
func argWidth(s string, i int) (float64, int) {
	for i < len(s) && s[i] == ' ' {
		i++
	}
	if i >= len(s) {
		return 0, i
	}
	if s[i] == '{' {
		return widthOf(s, i+1)
	}
	if s[i] == '\\' {
		j := i + 1
		for j < len(s) && isLetter(s[j]) {
			j++
		}
		return 1, j
	}
	_, n := utf8.DecodeRuneInString(s[i:])
	return 1, i + n
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// hole stands for a subexpression while the rest is printed around it.
// It is made on first use: interning a name at initialisation made every
// program's start pay the name table's first slots and slab (and a
// sync.OnceValue is a call every start makes).
var holeOnce struct {
	once.Once
	e ast.Expr
}

func hole() ast.Expr {
	holeOnce.Do(func() { holeOnce.e = ast.NewSym("zzHOLEzz") })
	return holeOnce.e
}

// around prints e with sub replaced by the hole and returns what comes
// before and after it.
func (r *Renderer) around(e, sub ast.Expr) (string, string, bool) {
	replaced := false
	x := ast.Map(e, func(y ast.Expr) ast.Expr {
		if y == sub && !replaced {
			replaced = true
			return hole()
		}
		return y
	})
	before, after, ok := strings.Cut(r.tex(x), ast.LaTeXString(hole()))
	return before, after, ok && replaced
}

// pieces splits the LaTeX of e into parts that may stand on different
// rows, or returns e's LaTeX whole.
func (r *Renderer) pieces(e ast.Expr) []string {
	switch x := e.(type) {
	case *ast.Add:
		out := []string{r.tex(x.Terms[0])}
		for _, t := range x.Terms[1:] {
			_, after, ok := r.around(ast.NewAdd(hole(), t), hole())
			if !ok {
				return []string{r.tex(e)}
			}
			out = append(out, strings.TrimSpace(after))
		}
		return out
	case *ast.Div:
		if _, ok := x.Y.(*ast.Num); ok {
			// a/n is set (1/n)·a, so that a may be broken.
			return r.pieces(ast.NewMul(ast.NewDiv(ast.One, x.Y), x.X))
		}
	}
	// The widest breakable part: a sum of terms in a product, negation or
	// sum over an index.
	var best ast.Expr
	bestW := 0.0
	for _, k := range ast.Children(e) {
		target := k
		if s, ok := k.(*ast.Sum); ok {
			target = s.Body
		}
		if !breakable(target) {
			continue
		}
		if w := width(r.tex(target)); w > bestW {
			best, bestW = target, w
		}
	}
	if best == nil {
		return []string{r.tex(e)}
	}
	before, after, ok := r.around(e, best)
	if !ok {
		return []string{r.tex(e)}
	}
	inner := r.pieces(best)
	if _, isAdd := best.(*ast.Add); isAdd || len(inner) > 1 {
		before += `\Bigl(`
		after = `\Bigr)` + after
	}
	inner[0] = before + inner[0]
	inner[len(inner)-1] += after
	return inner
}

func breakable(e ast.Expr) bool {
	switch x := e.(type) {
	case *ast.Add:
		return true
	case *ast.Mul, *ast.Neg, *ast.Sum:
		for _, k := range ast.Children(x) {
			if breakable(k) {
				return true
			}
		}
	case *ast.Div:
		_, ok := x.Y.(*ast.Num)
		return ok && breakable(x.X)
	}
	return false
}

// rowsOf packs the pieces of e into rows of at most limit wide.
func (r *Renderer) rowsOf(e ast.Expr, limit float64) []string {
	s := r.tex(e)
	if width(s) <= limit {
		return []string{s}
	}
	ps := r.pieces(e)
	var rows []string
	cur := ""
	for _, p := range ps {
		if cur != "" && width(cur+" "+p) > limit {
			rows = append(rows, cur)
			cur = p
			continue
		}
		if cur == "" {
			cur = p
		} else {
			cur += " " + p
		}
	}
	return append(rows, cur)
}

// splitWhy breaks a justification at its "; " separators, and between
// the equations it cites, into parts of at most limit wide.
func splitWhy(why string, limit float64) []string {
	if width(why) <= limit {
		return []string{why}
	}
	var parts []string
	for _, p := range strings.Split(why, `;\ `) {
		eqs := strings.Split(p, `,\ `)
		for i := range eqs[:len(eqs)-1] {
			eqs[i] += ","
		}
		for _, e := range eqs {
			parts = append(parts, splitText(e, limit)...)
		}
	}
	var out []string
	cur := ""
	for _, p := range parts {
		comma := strings.HasSuffix(cur, ",") || strings.HasSuffix(cur, ",}")
		sep := `;\ `
		if comma {
			sep = `\ `
		}
		if cur != "" && width(cur+sep+p) > limit {
			if !comma {
				cur += ";"
			}
			out = append(out, cur)
			cur = p
			continue
		}
		if cur == "" {
			cur = p
		} else {
			cur += sep + p
		}
	}
	return append(out, cur)
}

// splitText splits a justification that is one \text{...} wider than
// limit at the commas of its words, a \text{...} per part, so that a long
// description in words wraps over rows as the equations do.
func splitText(p string, limit float64) []string {
	inner, ok := strings.CutPrefix(p, `\text{`)
	if !ok || width(p) <= limit {
		return []string{p}
	}
	comma := strings.HasSuffix(inner, ",")
	inner = strings.TrimSuffix(inner, ",")
	inner, ok = strings.CutSuffix(inner, "}")
	if !ok || strings.ContainsAny(inner, "{}") {
		return []string{p}
	}
	words := strings.Split(inner, ", ")
	out := make([]string, len(words))
	for i, w := range words {
		if i < len(words)-1 {
			w += ","
		}
		out[i] = `\text{` + w + `}`
	}
	if comma {
		out[len(out)-1] += ","
	}
	return out
}

// A chainLine is one equality of a chain: = Expr, by Why, with the
// rewrites made inside it (--all-steps).
type chainLine struct {
	Expr ast.Expr
	Why  string
	Subs []chainSub
}

type chainSub struct {
	Before, After ast.Expr
	Why           string
}

// chainRows writes the rows of a chain of equalities lhs = e1 = e2 ...
// for align* or aligned. When the formulas and their justifications do not
// fit beside each other, every justification goes under its formula (in
// brackets), and a formula too wide is broken over several rows.
func (r *Renderer) chainRows(lhs string, lines []chainLine) []string {
	lw := width(lhs) + 2
	maxE, maxW := 0.0, 0.0
	for _, l := range lines {
		maxE = max(maxE, width(r.tex(l.Expr)))
		maxW = max(maxW, width(l.Why))
		for _, m := range l.Subs {
			maxE = max(maxE, width(r.tex(m.Before)+` \to `+r.tex(m.After))+4)
			maxW = max(maxW, width(m.Why))
		}
	}
	var rows []string
	if lw+maxE+maxW+4 <= pageWidth {
		for i, l := range lines {
			head := ""
			if i == 0 {
				head = lhs
			}
			row := head + " &= " + r.tex(l.Expr)
			if l.Why != "" {
				row += " && " + l.Why
			}
			rows = append(rows, row)
			for _, m := range l.Subs {
				rows = append(rows, fmt.Sprintf(`&\qquad %s \to %s && %s`, r.tex(m.Before), r.tex(m.After), m.Why))
			}
		}
		return rows
	}
	limit := pageWidth - lw - 2
	why := func(w string, indent string) {
		if w == "" {
			return
		}
		parts := splitWhy(w, limit-8)
		for j, p := range parts {
			open, closing := "", ""
			if j == 0 {
				open = `\bigl[`
			}
			if j == len(parts)-1 {
				closing = `\bigr]`
			}
			rows = append(rows, `&`+indent+open+p+closing)
		}
	}
	for i, l := range lines {
		head := ""
		if i == 0 {
			head = lhs
		}
		for j, r := range r.rowsOf(l.Expr, limit) {
			if j == 0 {
				rows = append(rows, head+" &= "+r)
			} else {
				rows = append(rows, `&\qquad `+r)
			}
		}
		why(l.Why, `\qquad `)
		for _, m := range l.Subs {
			for j, r := range r.rowsOf(m.Before, limit-8) {
				if j == 0 {
					r = `\quad ` + r
				}
				rows = append(rows, `&\qquad `+r)
			}
			for j, r := range r.rowsOf(m.After, limit-8) {
				if j == 0 {
					r = `\to ` + r
				}
				rows = append(rows, `&\qquad\quad `+r)
			}
			why(m.Why, `\qquad\qquad `)
		}
	}
	return rows
}
