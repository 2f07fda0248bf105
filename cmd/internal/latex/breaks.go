package latex

import (
	"fmt"
	"slices"
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
			case "sin", "cos", "tan", "exp", "log", "ln", "tanh", "sinh", "cosh", "coth", "max", "min", "det",
				"arcsin", "arccos", "arctan", "sec", "csc", "cot", "arg", "sup", "inf", "lim":
				// An operator name prints its letters upright, and a thin
				// space after: \cos is 3.3 letters wide, not 1.
				w += float64(len(cmd)) + 0.3
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

// A piece is a part of a formula that may start a row. A piece that
// begins a factor of a product (mul) is joined to the one before by a
// space, and starts its row with \cdot, so that a product broken over
// rows still reads as a product.
type piece struct {
	s   string
	mul bool
}

// pieces splits the LaTeX of e into parts that may stand on different
// rows, or returns e's LaTeX whole.
func (r *Renderer) pieces(e ast.Expr) []piece {
	whole := []piece{{s: r.tex(e)}}
	switch x := e.(type) {
	case *ast.Add:
		// A term wider than half the page breaks too, when it can (a
		// quotient of nested sums is wider than any row).
		term := func(sign string, t ast.Expr) []piece {
			tt := r.tex(t)
			if width(tt) <= pageWidth/2 || !breakable(t) {
				return []piece{{s: sign + tt}}
			}
			sub := r.pieces(t)
			sub[0].s = sign + sub[0].s
			return sub
		}
		out := term("", x.Terms[0])
		for _, t := range x.Terms[1:] {
			_, after, ok := r.around(ast.NewAdd(hole(), t), hole())
			if !ok {
				return whole
			}
			after = strings.TrimSpace(after)
			if sign, ok := strings.CutSuffix(after, r.tex(t)); ok {
				out = append(out, term(sign, t)...)
				continue
			}
			out = append(out, piece{s: after})
		}
		return out
	case *ast.Div:
		// a/b is set (1/b)·a, so that a may be broken: \frac cannot
		// break, and a numerator wider than the page would run off it.
		if _, ok := x.Y.(*ast.Num); ok || breakable(x.X) {
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
		return r.factors(e, whole[0].s, 0, len(whole[0].s))
	}
	before, after, ok := r.around(e, best)
	if !ok || groupEnd(before+"}") != len(before) || strings.Count(before, `\left`) != strings.Count(before, `\right`) {
		// A break inside a group ({...} of \frac, \sqrt, a derivative's
		// ∂) or inside \left( \right) is not TeX: a row must close what
		// it opens.
		return whole
	}
	inner := r.pieces(best)
	// The hole needs no brackets, best may: it gets \Bigl( \Bigr) where
	// the whole formula shows \left( \right), and none where it shows
	// none (-a·(b + c) is not -(a·(b + c))).
	full, bt := whole[0].s, r.tex(best)
	_, isAdd := best.(*ast.Add)
	bracket := isAdd || len(inner) > 1
	switch {
	case full == before+bt+after:
		bracket = false
	case full == before+`\left(`+bt+`\right)`+after:
		bracket = true
	case strings.HasSuffix(before, "(") && strings.HasPrefix(after, ")") &&
		full == before[:len(before)-1]+`\left(`+bt+`\right)`+after[1:]:
		// f(hole) is f\left(a + b\right): one bracket, not two.
		before, after = before[:len(before)-1], after[1:]
		bracket = true
	}
	if bracket {
		before += `\Bigl(`
		after = `\Bigr)` + after
	}
	// What stands before and after the broken part may itself be a long
	// product (the chain rule's 1/(1 + exp(u))·exp(u)): it breaks between
	// its factors.
	var out []piece
	if b, ok := strings.CutSuffix(before, `\Bigl(`); ok && b != "" && strings.HasPrefix(full, b) {
		pre := r.factors(e, full, 0, len(b))
		out = pre[:len(pre)-1]
		last := pre[len(pre)-1]
		inner[0] = piece{s: last.s + `\Bigl(` + inner[0].s, mul: last.mul}
	} else {
		inner[0].s = before + inner[0].s
	}
	out = append(out, inner...)
	if a, ok := strings.CutPrefix(after, `\Bigr)`); ok && strings.HasSuffix(full, a) && a != "" {
		post := r.factors(e, full, len(full)-len(a), len(full))
		out[len(out)-1].s += `\Bigr)` + post[0].s
		out = append(out, post[1:]...)
	} else {
		out[len(out)-1].s += after
	}
	return out
}

// factors splits full, the LaTeX of e, between from and to at the
// boundaries of e's factors when e is a product; else it returns the span
// whole. A boundary is where a factor's LaTeX begins, found by printing
// the product with that factor replaced by the hole, and only where no
// bracket or group is open (a product printed as a fraction has none).
func (r *Renderer) factors(e ast.Expr, full string, from, to int) []piece {
	span := []piece{{s: full[from:to]}}
	m, ok := e.(*ast.Mul)
	if !ok {
		return span
	}
	cuts := []int{}
	for i := 1; i < len(m.Factors); i++ {
		fs := slices.Clone(m.Factors)
		fs[i] = hole()
		before, _, ok := strings.Cut(r.tex(ast.NewMul(fs...)), ast.LaTeXString(hole()))
		if !ok || !strings.HasPrefix(full, before) || !strings.HasSuffix(before, " ") {
			continue
		}
		if p := len(before); p > from && p < to && closed(before) {
			cuts = append(cuts, p)
		}
	}
	out := []piece{}
	prev := from
	for _, c := range cuts {
		if c <= prev {
			continue
		}
		out = append(out, piece{s: strings.TrimRight(full[prev:c], " "), mul: prev != from})
		prev = c
	}
	out = append(out, piece{s: full[prev:to], mul: prev != from})
	return out
}

// closed reports whether every bracket and group opened in s is closed.
func closed(s string) bool {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(', '[', '{':
			if i == 0 || s[i-1] != '\\' || s[i] != '{' {
				depth++
			}
		case ')', ']', '}':
			if i == 0 || s[i-1] != '\\' || s[i] != '}' {
				depth--
			}
		}
	}
	return depth == 0 && strings.Count(s, `\lvert`) == strings.Count(s, `\rvert`) &&
		strings.Count(s, `\lVert`) == strings.Count(s, `\rVert`)
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
		return breakable(x.X)
	}
	return false
}

// rowsOf packs the pieces of e into rows of at most limit wide.
func (r *Renderer) rowsOf(e ast.Expr, limit float64) []string {
	s := r.tex(e)
	if width(s) <= limit {
		return []string{s}
	}
	var rows []string
	cur := ""
	for _, p := range r.pieces(e) {
		if cur != "" && width(cur+" "+p.s) > limit {
			rows = append(rows, cur)
			cur = p.s
			if p.mul {
				cur = `\cdot ` + cur
			}
			continue
		}
		if cur == "" {
			cur = p.s
		} else {
			cur += " " + p.s
		}
	}
	return append(rows, cur)
}

// A whyPart is a part of a justification that may start a row: sep joins
// it to the part before on the same row, and brk ends the row before when
// it starts one.
type whyPart struct{ s, sep, brk string }

// splitWhy breaks a justification at its "; " separators, between the
// equations it cites, and between the words of a description too long
// for a row, into rows of at most limit wide.
func splitWhy(why string, limit float64) []string {
	if width(why) <= limit {
		return []string{why}
	}
	var parts []whyPart
	for i, p := range strings.Split(why, `;\ `) {
		for j, e := range strings.Split(p, `,\ `) {
			sep, brk := `,\ `, ","
			switch {
			case j == 0 && i == 0:
				sep, brk = "", ""
			case j == 0:
				sep, brk = `;\ `, ";"
			}
			ps := splitText(e, limit)
			ps[0].sep, ps[0].brk = sep, brk
			parts = append(parts, ps...)
		}
	}
	var out []string
	cur := ""
	for _, p := range parts {
		if cur != "" && width(cur+p.sep+p.s) > limit {
			out = append(out, cur+p.brk)
			cur = p.s
			continue
		}
		cur += p.sep + p.s
	}
	return append(out, cur)
}

// splitText splits a part of a justification that opens with a
// \text{...} and is wider than limit: the description in words breaks at
// its commas, a \text{...} per part, and a part still too wide between
// its words, so that it wraps over rows as the equations do (TeX cannot
// break inside \text). What follows the description (": " and the
// equations) stays with its last word.
func splitText(p string, limit float64) []whyPart {
	whole := []whyPart{{s: p}}
	inner, ok := strings.CutPrefix(p, `\text{`)
	if !ok || width(p) <= limit {
		return whole
	}
	end := groupEnd(inner)
	if end < 0 || strings.ContainsAny(inner[:end], "{}") {
		return whole
	}
	text, rest := inner[:end], inner[end+1:]
	// ": " and what follows stay glued to the description's last word.
	if tail, ok := strings.CutPrefix(rest, `\text{: }`); ok {
		text += ": "
		rest = tail
	}
	var out []whyPart
	chunks := strings.SplitAfter(text, ", ")
	for _, c := range chunks {
		if width(`\text{`+c+`}`) <= limit {
			out = append(out, whyPart{s: `\text{` + strings.TrimSuffix(c, " ") + `}`, sep: `\ `})
			continue
		}
		for _, w := range strings.Fields(c) {
			out = append(out, whyPart{s: `\text{` + w + `}`, sep: `\ `})
		}
	}
	if len(out) == 0 {
		return whole
	}
	if strings.HasSuffix(text, " ") && rest != "" {
		rest = `\ ` + strings.TrimLeft(rest, " ")
	}
	out[len(out)-1].s += rest
	return out
}

// groupEnd returns the index of the } that closes the group s is inside,
// or -1.
func groupEnd(s string) int {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\':
			i++ // \{ and \} are characters, not braces
		case s[i] == '{':
			depth++
		case s[i] == '}':
			if depth == 0 {
				return i
			}
			depth--
		}
	}
	return -1
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
	// A left side that takes a quarter of the page stands on a row of its
	// own, the = of every line under its start: else the = column sits
	// under it and leaves the formulas too little room.
	ownRow := lw > pageWidth/4
	if ownRow {
		rows = append(rows, "& "+lhs)
		limit = pageWidth - 4
	}
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
		if i == 0 && !ownRow {
			head = lhs
		}
		// A continued row starts with \qquad.
		for j, r := range r.rowsOf(l.Expr, limit-4) {
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
