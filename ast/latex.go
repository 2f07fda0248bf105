package ast

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The LaTeX printer. Its output is for reading, not for parsing back, so it
// uses mathematical rather than grammatical parentheses: -a·b needs none,
// and a quotient is a \frac that needs none inside. Parentheses that remain
// are \left( \right).

type latexPrinter struct {
	b        strings.Builder
	over     bool
	halt     *printStop // as printer's
	tallMemo map[Expr]bool
	bold     map[string]bool // names set in bold: vectors and matrices
	// names are subexpressions written as a name (see Share), except
	// self, the one being defined.
	names map[Expr]string
	self  Expr
	// spelled are names written as spelled (see DistinctNames).
	spelled map[string]bool
}

// name writes a name in its natural notation, or as spelled.
func (p *latexPrinter) name(n string) string {
	if p.spelled[n] {
		return spelledTeX(n)
	}
	return LaTeXName(n)
}

func (p *latexPrinter) write(s string) {
	if p.over {
		return
	}
	if p.halt.stop() {
		p.over = true
		return
	}
	if p.b.Len()+len(s) > MaxPrintBytes {
		p.over = true
		return
	}
	p.b.WriteString(s)
}

// op writes an operator's LaTeX from the operator table; a quotient's is
// \frac, followed by its two arguments in braces.
func (p *latexPrinter) op(o Op) { p.write(Operators[o].LaTeX) }

func (p *latexPrinter) paren(e Expr) {
	p.write(`\left(`)
	p.expr(e)
	p.write(`\right)`)
}

func (p *latexPrinter) sub(e Expr, paren bool) {
	if paren {
		p.paren(e)
		return
	}
	p.expr(e)
}

func (p *latexPrinter) expr(e Expr) {
	if p.over {
		return
	}
	if n, ok := p.names[e]; ok && e != p.self {
		p.write(LaTeXName(n))
		return
	}
	switch e := e.(type) {
	case *Num:
		p.num(e.Value)
	case *Sym:
		p.latexSym(e.Name)
	case *Index:
		if p.spelled[e.Name] {
			p.write(spelledTeX(e.Name) + "_{" + latexIndexList(e.Indices) + "}")
			break
		}
		p.write(latexIndexed(e.Name, e.Indices))
	case *Neg:
		p.op(OpNeg)
		p.sub(e.X, latexNeedsParenAfterMinus(e.X))
	case *Add:
		for i, t := range e.Terms {
			if i == 0 {
				p.expr(t)
				continue
			}
			if neg, ok := latexNegated(t); ok {
				p.op(OpSub)
				p.sub(neg, latexNeedsParenAfterMinus(neg))
				continue
			}
			p.op(OpAdd)
			p.expr(t)
		}
	case *Mul:
		p.mul(e.Factors)
	case *Div:
		x := e.X
		if neg, ok := latexNegated(x); ok {
			// -\frac{x}{y}, as a person writes it, not \frac{-x}{y}.
			p.op(OpNeg)
			x = neg
		}
		p.op(OpDiv)
		p.write("{")
		p.expr(x)
		p.write("}{")
		p.expr(e.Y)
		p.write("}")
	case *Pow:
		p.sub(e.X, !latexPowBase(e.X))
		p.op(OpPow)
		p.write("{")
		if n, ok := e.Y.(*Num); ok && !n.Value.IsInt() {
			// x^{1/2} reads better than a \frac in an exponent.
			p.write(n.Value.Num().String() + "/" + n.Value.Denom().String())
		} else {
			p.expr(e.Y)
		}
		p.write("}")
	case *Call:
		p.call(e)
	case *Sum:
		p.sum(e, "1")
	case *Iverson:
		p.write("[")
		for i, a := range e.Args {
			if i > 0 {
				p.write(` \le `)
			}
			p.expr(a)
		}
		p.write("]")
	case *Deriv:
		if latexAtom(e.X) {
			p.write(`\frac{\partial `)
			p.expr(e.X)
			p.write(`}{\partial `)
			p.expr(e.Wrt)
			p.write("}")
			return
		}
		p.write(`\frac{\partial}{\partial `)
		p.expr(e.Wrt)
		p.write("} ")
		p.paren(e.X)
	case *MatOp:
		p.matOp(e)
	case *Condition:
		p.cases(One, e, Zero)
	case *If:
		p.cases(e.Then, e.Cond, e.Else)
	default:
		panic(fmt.Sprintf("ast: cannot print %T as LaTeX", e))
	}
}

// cases prints if(c, a, b) as a cases environment: a where c holds, b
// otherwise.
func (p *latexPrinter) cases(then, cond, els Expr) {
	p.write(`\begin{cases} `)
	p.expr(then)
	p.write(` & `)
	p.cond(cond)
	p.write(` \\ `)
	p.expr(els)
	p.write(` & \text{otherwise} \end{cases}`)
}

// cond prints a condition with the symbols of the table of comparisons.
func (p *latexPrinter) cond(e Expr) {
	writeCond(e, p.write, func(c CondInfo) string { return c.LaTeX }, p.expr, `\left(`, `\right)`)
}

func (p *latexPrinter) num(v Number) {
	if s, ok := v.Decimal(); ok {
		if m, e, ok := strings.Cut(s, "e"); ok {
			// 1.5e-21 as 1.5 \cdot 10^{-21}, 1e-30 as 10^{-30}.
			switch m {
			case "1":
				m = ""
			case "-1":
				m = "-"
			default:
				m += Operators[OpMul].LaTeX
			}
			s = m + "10^{" + e + "}"
		}
		p.write(s)
		return
	}
	if v.Sign() < 0 {
		p.op(OpNeg)
		v = v.Neg()
	}
	p.write(Operators[OpDiv].LaTeX + "{" + v.Num().String() + "}{" + v.Denom().String() + "}")
}

// mul prints a product by juxtaposition, with \cdot where two numbers (or a
// factor and a following number) would otherwise run together.
func (p *latexPrinter) mul(fs []Expr) {
	if n, ok := fs[0].(*Num); ok && len(fs) > 1 {
		if n.Value.Equal(Int(-1)) {
			p.op(OpNeg)
			fs = fs[1:]
		}
	}
	if len(fs) == 2 {
		if n, ok := fs[0].(*Num); ok && n.Value.IsInt() && n.Value.Sign() > 0 {
			if s, ok := fs[1].(*Sum); ok && s.Op == OpMean {
				p.sum(s, n.Value.String())
				return
			}
		}
	}
	for i, f := range fs {
		last := i == len(fs)-1
		paren := Prec(f) <= PrecAdd ||
			(i > 0 && isNegative(f)) ||
			(!last && latexEndsInSum(f)) ||
			(!last && isDerivOp(f))
		if i > 0 {
			if startsWithDigit(f) && !paren {
				p.op(OpMul)
			} else {
				p.write(" ")
			}
		}
		p.sub(f, paren)
	}
}

func (p *latexPrinter) call(e *Call) {
	f, builtin := LookupFunc(e.Fn)
	switch {
	case builtin && f.Name == "sqrt":
		p.write(`\sqrt{`)
		p.expr(e.Args[0])
		p.write("}")
		return
	case builtin && f.IsConst() && len(e.Args) == 0:
		p.write(f.LaTeX)
		return
	case builtin && f.Name == "abs" && len(e.Args) == 1:
		if p.tall(e.Args[0]) {
			p.write(`\left\lvert `)
			p.expr(e.Args[0])
			p.write(` \right\rvert`)
			return
		}
		p.write(`\lvert `)
		p.expr(e.Args[0])
		p.write(` \rvert`)
		return
	case builtin && f.Name == "delta":
		p.write(`\delta_{`)
		p.write(latexIndexList(e.Args))
		p.write("}")
		return
	case builtin:
		p.write(f.LaTeX)
	case strings.HasSuffix(e.Fn, shadowMark):
		// A user's function that shadows a built-in: never the built-in's
		// symbol (\sigma).
		p.write(`\operatorname{` + latexEscape(ShownName(e.Fn)) + "}")
	case p.spelled[e.Fn]:
		p.write(`\operatorname{` + spelledText(e.Fn) + "}")
	case utf8.RuneCountInString(e.Fn) == 1 || greek()[e.Fn] != [2]string{}:
		p.write(LaTeXName(e.Fn))
	default:
		p.write(`\operatorname{` + latexEscape(e.Fn) + "}")
	}
	args := CallArgs(e)
	tall := false
	for _, a := range args {
		if p.tall(a) {
			tall = true
		}
	}
	open, close := "(", ")"
	if tall {
		open, close = `\left(`, `\right)`
	}
	// subs(E, x, 1, y, 2) is written as it is typed: subs(E, x = 1, y = 2).
	pairs := IsSubsPairs(e)
	p.write(open)
	for i, a := range args {
		switch {
		case i > 0 && pairs && i%2 == 0:
			p.write(" = ")
		case i > 0:
			p.write(", ")
		}
		p.expr(a)
	}
	p.write(close)
}

// latexNegated reports whether t prints with a leading minus, and returns
// the expression to print after " - " in a sum.
func latexNegated(t Expr) (Expr, bool) {
	switch t := t.(type) {
	case *Neg:
		return t.X, true
	case *Num:
		if t.Value.Sign() < 0 {
			return NewNum(t.Value.Neg()), true
		}
	case *Mul:
		if n, ok := t.Factors[0].(*Num); ok && n.Value.Sign() < 0 {
			rest := append([]Expr{NewNum(n.Value.Neg())}, t.Factors[1:]...)
			if n.Value.Equal(Int(-1)) {
				rest = rest[1:]
			}
			return NewMul(rest...), true
		}
		// A first factor that starts with a minus (a Neg, a quotient or
		// product that does): the product does.
		if neg, ok := latexNegated(t.Factors[0]); ok {
			return NewMul(append([]Expr{neg}, t.Factors[1:]...)...), true
		}
	case *Div:
		if x, ok := latexNegated(t.X); ok {
			return NewDiv(x, t.Y), true
		}
	}
	return nil, false
}

func isNegative(e Expr) bool {
	_, ok := latexNegated(e)
	return ok
}

func isDerivOp(e Expr) bool {
	d, ok := e.(*Deriv)
	return ok && !latexAtom(d.X)
}

// latexEndsInSum reports whether e, unbracketed, ends in the body of a
// \sum, which runs over the factors after it: -\sum_{i} w_{i} v_{i} reads
// as a sum of products, so (-Σᵢ wᵢ)·vᵢ, and any factor after a sum, needs
// brackets. It follows mul's and Neg's choices of brackets.
func latexEndsInSum(e Expr) bool {
	switch e := e.(type) {
	case *Sum:
		return true
	case *Neg:
		return !latexNeedsParenAfterMinus(e.X) && latexEndsInSum(e.X)
	case *Mul:
		last := e.Factors[len(e.Factors)-1]
		return Prec(last) > PrecAdd && !(len(e.Factors) > 1 && isNegative(last)) && latexEndsInSum(last)
	}
	return false
}

func latexNeedsParenAfterMinus(e Expr) bool {
	return Prec(e) <= PrecAdd || isNegative(e)
}

func latexAtom(e Expr) bool {
	switch e := e.(type) {
	case *Sym, *Index, *Call:
		return true
	case *Num:
		return e.Value.Sign() >= 0
	}
	return false
}

func latexPowBase(e Expr) bool {
	switch e := e.(type) {
	case *Sym, *Index:
		return true
	case *Num:
		s, _ := e.Value.Decimal()
		return e.Value.Sign() >= 0 && e.Value.IsInt() && !strings.Contains(s, "e") // not 10^{10000}
	case *Call:
		f, ok := LookupFunc(e.Fn)
		return !ok || f.Name != "delta"
	case *MatOp:
		return e.Kind == MatNorm // \lVert w \rVert^{2}
	}
	return false
}

// tall reports whether e prints taller than a line (fractions, sums),
// where \left( \right) are needed to size the parentheses. It is memoised:
// asked at every call, it would otherwise make sigma(sigma(...)) quadratic.
func (p *latexPrinter) tall(e Expr) bool {
	if t, ok := p.tallMemo[e]; ok {
		return t
	}
	t := false
	if _, named := p.names[e]; named && e != p.self {
		return false
	}
	switch n := e.(type) {
	case *Div, *Sum, *Deriv:
		t = true
	case *Num:
		_, ok := n.Value.Decimal()
		t = !ok
	default:
		for _, k := range Children(e) {
			if p.tall(k) {
				t = true
				break
			}
		}
	}
	if p.tallMemo == nil {
		p.tallMemo = map[Expr]bool{}
	}
	p.tallMemo[e] = t
	return t
}

func startsWithDigit(e Expr) bool {
	for {
		switch x := e.(type) {
		case *Num:
			return true
		case *Pow:
			e = x.X
		case *Mul:
			e = x.Factors[0]
		default:
			return false
		}
	}
}

// LaTeXName renders a name in its natural notation: Greek letters as
// commands (lambda, λ → \lambda), a hat suffix or accent as \hat (yhat,
// y_hat, ŷ → \hat{y}), a trailing number or _suffix as a subscript (x1,
// x_1 → x_{1}), other multi-letter names upright (CE → \mathrm{CE}).
func LaTeXName(name string) string {
	base, sub := splitSubscript(name)
	s := latexBase(base)
	if sub != "" {
		s += "_{" + sub + "}"
	}
	return s
}

// splitSubscript separates "x_1" into x and 1, and "x12" into x and 12.
func splitSubscript(name string) (base, sub string) {
	if i := strings.LastIndexByte(name, '_'); i > 0 && i < len(name)-1 {
		suffix := name[i+1:]
		if suffix != "hat" && suffix != "bar" && suffix != "tilde" {
			return name[:i], latexEscape(suffix)
		}
	}
	j := len(name)
	for j > 0 && name[j-1] >= '0' && name[j-1] <= '9' {
		j--
	}
	if j > 0 && j < len(name) {
		return name[:j], name[j:]
	}
	return name, ""
}

func latexBase(name string) string {
	for _, acc := range []string{"hat", "bar", "tilde"} {
		for _, suffix := range []string{"_" + acc, acc} {
			if b, ok := strings.CutSuffix(name, suffix); ok && b != "" {
				return `\` + acc + "{" + latexBase(b) + "}"
			}
		}
	}
	// A letter with a combining or precomposed accent: ŷ, x̂, ȳ.
	if r, size := utf8.DecodeRuneInString(name); size > 0 {
		rest := name[size:]
		switch rest {
		case "\u0302":
			return `\hat{` + latexBase(string(r)) + "}"
		case "\u0304":
			return `\bar{` + latexBase(string(r)) + "}"
		case "\u0303":
			return `\tilde{` + latexBase(string(r)) + "}"
		}
		if rest == "" {
			if acc, base, ok := precomposedAccent(r); ok {
				return `\` + acc + "{" + base + "}"
			}
		}
	}
	if g, ok := greek()[name]; ok {
		return g[1]
	}
	if utf8.RuneCountInString(name) == 1 {
		r, _ := utf8.DecodeRuneInString(name)
		if r < utf8.RuneSelf {
			return name
		}
		return `\text{` + name + "}"
	}
	return `\mathrm{` + latexEscape(name) + "}"
}

// precomposed are the letters with an accent that LaTeX writes as the
// accent's command on the letter. An array the linker lays out, not a map
// that every program's start would build for the few that print LaTeX.
var precomposed = [...]struct {
	r         rune
	acc, base string
}{
	{'ŷ', "hat", "y"}, {'â', "hat", "a"}, {'ê', "hat", "e"}, {'ô', "hat", "o"},
	{'ȳ', "bar", "y"}, {'ā', "bar", "a"}, {'ē', "bar", "e"}, {'ō', "bar", "o"},
	{'ñ', "tilde", "n"}, {'ã', "tilde", "a"}, {'õ', "tilde", "o"},
}

// precomposedAccent returns the accent and the letter of r, if r is one of
// the precomposed letters.
func precomposedAccent(r rune) (acc, base string, ok bool) {
	for _, p := range precomposed {
		if p.r == r {
			return p.acc, p.base, true
		}
	}
	return "", "", false
}

// latexEscape protects characters that are special in LaTeX. A Greek
// letter is written as its command; another character beyond ASCII is
// left as it is.
func latexEscape(s string) string { return escapeName(s, false) }

// escapeName escapes a name's characters for LaTeX's math mode, one for
// one. spelled asks for the form that can be told apart from any other
// name's: a Greek letter braced (no space to lose), another character
// beyond ASCII in \text.
func escapeName(s string, spelled bool) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '_':
			b.WriteString(`\_`)
		case r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(r)
		case r < utf8.RuneSelf:
			b.WriteString(`\text{` + string(r) + "}")
		default:
			g, ok := greek()[string(r)]
			switch {
			case ok && spelled:
				b.WriteString("{" + g[1] + "}")
			case ok:
				b.WriteString(g[1] + " ")
			case spelled:
				b.WriteString(`\text{` + string(r) + "}")
			default:
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}

func latexIndexed(name string, indices []Expr) string {
	base, sub := splitSubscript(name)
	s := latexBase(base)
	list := latexIndexList(indices)
	if sub != "" {
		list = sub + "," + list
	}
	return s + "_{" + list + "}"
}

// latexIndexList writes indices run together (ij) when each is a single
// letter, and separated by commas otherwise: x[1,2] is x_{1,2}, apart
// from x[12].
func latexIndexList(indices []Expr) string {
	parts := make([]string, len(indices))
	short := true
	for i, x := range indices {
		parts[i] = LaTeXString(x)
		if _, isSym := x.(*Sym); !isSym || utf8.RuneCountInString(String(x)) != 1 {
			short = short && len(indices) == 1
		}
	}
	if short {
		return strings.Join(parts, "")
	}
	return strings.Join(parts, ",")
}

// sum prints a sum; a mean is \frac{c}{n} \sum, where c is a coefficient
// the caller folded in (2*mean(...) reads \frac{2}{n} \sum).
func (p *latexPrinter) sum(e *Sum, coef string) {
	if e.Op == OpMean {
		p.write(Operators[OpDiv].LaTeX + "{" + coef + "}{")
		p.expr(count(e.Lo, e.Hi))
		p.write("} ")
	} else if coef != "1" {
		p.write(coef + " ")
	}
	p.write(`\sum_{`)
	p.write(p.name(e.Var))
	p.write("=")
	p.expr(e.Lo)
	p.write("}^{")
	p.expr(e.Hi)
	p.write("} ")
	p.sub(e.Body, Prec(e.Body) <= PrecAdd || isNegative(e.Body))
}

// spelledTeX writes a name as it is spelled, in italics: x1 is
// \mathit{x1}, x_1 is \mathit{x\_1}, lambda is \mathit{lambda}.
func spelledTeX(name string) string { return `\mathit{` + spelledText(name) + "}" }

// spelledText escapes a name's characters for LaTeX's math mode, one for
// one: a Greek letter as its command, another character beyond ASCII in
// \text.
func spelledText(name string) string { return escapeName(name, true) }
