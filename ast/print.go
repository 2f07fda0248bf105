package ast

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// The text printers. String prints the input syntax with the fewest
// parentheses that still parse back to the same tree; Unicode prints for a
// terminal (σ, ·, −, superscript powers, subscript indices, Σ). Both take
// precedences and symbols from the operator table.

// MaxPrintBytes bounds printed output: an expression whose text would be
// larger is reported as too large rather than exhausting memory (a DAG of
// shared subtrees can be exponentially larger as text than in memory).
const MaxPrintBytes = 64 << 20

// ErrPrintTooLarge is returned by Format for output over MaxPrintBytes.
var ErrPrintTooLarge = errors.New("expression too large to print")

// Style selects a printer.
type Style uint8

const (
	Plain   Style = iota // the input syntax
	Unicode              // for terminals
	LaTeX                // for documents
)

// String returns e in the input syntax. Output over MaxPrintBytes is cut
// short and ends in "…".
func String(e Expr) string {
	s, _ := Format(e, Plain)
	return s
}

// PrefixString returns the first n bytes (n > 0) of String(e), and whether
// the text went on past them. It stops printing there, so that it costs
// O(n) however large e is: a sort key for deep expressions, whose printed
// forms are quadratic in their depth when every subexpression is printed.
func PrefixString(e Expr, n int) (string, bool) {
	p := &printer{shadow: shadowsIn(e), limit: n}
	p.expr(e)
	return p.b.String(), p.over
}

// UnicodeString returns e as the Unicode printer shows it.
func UnicodeString(e Expr) string {
	s, _ := Format(e, Unicode)
	return s
}

// LaTeXString returns e as a LaTeX math-mode string.
func LaTeXString(e Expr) string {
	s, _ := Format(e, LaTeX)
	return s
}

// Format prints e in the given style; it fails only when the output would
// exceed MaxPrintBytes, returning what fits followed by "…".
func Format(e Expr, st Style) (string, error) {
	if st == LaTeX {
		p := &latexPrinter{}
		p.expr(e)
		return printed(&p.b, p.over, e, p.halt)
	}
	p := &printer{uni: st == Unicode, shadow: shadowsIn(e)}
	p.expr(e)
	return printed(&p.b, p.over, e, p.halt)
}

// FormatIn prints e as it reads where the definitions defs are in force:
// where a user's function of defs takes a built-in function's spelling
// (sigma(u) := ...), the built-in is shown by another of its spellings
// (sigmoid), which means the built-in wherever it is read. LaTeX, never
// read back, shows the two apart anyway.
func FormatIn(e Expr, st Style, defs *Defs) (string, error) {
	names := defs.Shadowing()
	if len(names) == 0 || st == LaTeX {
		return Format(e, st)
	}
	shadow := map[string]bool{}
	for _, n := range names {
		shadow[n] = true
	}
	return formatShadowing(e, st, shadow)
}

// FormatSharedIn is FormatShared (shared subexpressions named) as e reads
// where the definitions defs are in force (see FormatIn). Once ctx is
// done it stops, returning the context's error.
func FormatSharedIn(ctx context.Context, e Expr, st Style, shapes map[string]Shape, defs *Defs) (Shared, error) {
	return FormatSharedSpelled(ctx, e, st, shapes, defs, nil)
}

// FormatSharedSpelled is FormatSharedIn with the names in spelled written
// as spelled (see DistinctNames).
func FormatSharedSpelled(ctx context.Context, e Expr, st Style, shapes map[string]Shape, defs *Defs, spelled map[string]bool) (Shared, error) {
	shadow := shadowsIn(e)
	for _, n := range defs.Shadowing() {
		if shadow == nil {
			shadow = map[string]bool{}
		}
		shadow[n] = true
	}
	return formatShared(newPrintStop(ctx), e, st, shapes, shadow, spelled)
}

// formatShadowing prints e in the plain or Unicode style, with the
// built-ins spelled shadow, or as a user's function in e, spelled
// otherwise.
func formatShadowing(e Expr, st Style, shadow map[string]bool) (string, error) {
	for n := range shadowsIn(e) {
		shadow[n] = true
	}
	p := &printer{uni: st == Unicode, shadow: shadow}
	p.expr(e)
	return printed(&p.b, p.over, e, p.halt)
}

// printed returns what a printer wrote for e; when it ran over
// MaxPrintBytes, what fits followed by "…", and ErrPrintTooLarge; when
// its context stopped it (halt), what it wrote and the context's error.
func printed(b *strings.Builder, over bool, e Expr, halt *printStop) (string, error) {
	if halt != nil && halt.err != nil {
		return b.String() + "…", halt.err
	}
	if over {
		return b.String() + "…", fmt.Errorf("%w (%d nodes)", ErrPrintTooLarge, e.Size())
	}
	return b.String(), nil
}

type printer struct {
	b    strings.Builder
	uni  bool
	over bool
	// halt, when its context is done, stops the printer as over does.
	halt *printStop
	// limit, when not 0, cuts the output at that many bytes (PrefixString)
	// in place of MaxPrintBytes.
	limit int
	// shadow holds the names of the user's functions in the expression
	// that shadow built-in functions (see UserFunc).
	shadow map[string]bool
	// names are subexpressions written as a name (see Share), except
	// self, the one being defined.
	names map[Expr]string
	self  Expr
	// spelled are names written as spelled (see DistinctNames).
	spelled map[string]bool
	// opens memoises openRight: a bracket decision asks openRight of a
	// child, and openRight of the parent asks it again, so a chain of
	// quotients or products n deep took 2^n steps without it.
	opens map[Expr]openEnd
}

// openEnd is what openRight found for a node.
type openEnd struct {
	open      []string
	nonlinear bool
}

// shadowsIn returns the names of the user's functions in e that shadow
// built-in functions, or nil.
func shadowsIn(e Expr) map[string]bool {
	if !HasShadow(e) {
		return nil
	}
	out := map[string]bool{}
	InspectOnce(e, func(n Expr) bool {
		if c, ok := n.(*Call); ok {
			if base, ok := ShadowedName(c.Fn); ok {
				out[base] = true
			}
		}
		return HasShadow(n)
	})
	return out
}

// builtinName returns how the printer spells the built-in f: its name (or
// its Unicode form), unless a user's function of that spelling occurs in
// the same expression; then another of its spellings (sigmoid for sigma),
// so that the output reads back the same where the user's function is
// defined.
func (p *printer) builtinName(f *Func) string {
	name := f.Name
	if p.uni {
		name = f.Unicode
	}
	if !p.shadow[name] {
		return name
	}
	alts := append([]string{f.Name}, f.Aliases...)
	if p.uni {
		alts = append([]string{f.Unicode}, alts...)
	}
	for _, alt := range alts {
		if alt != "" && !p.shadow[alt] {
			return alt
		}
	}
	return name // every spelling is shadowed: nothing better to print
}

// named returns the name e is written as, if any.
func (p *printer) named(e Expr) (string, bool) {
	if p.names == nil || e == p.self {
		return "", false
	}
	n, ok := p.names[e]
	return n, ok
}

func (p *printer) write(s string) {
	if p.over {
		return
	}
	if p.halt.stop() {
		p.over = true
		return
	}
	if p.limit > 0 && p.b.Len()+len(s) > p.limit {
		p.b.WriteString(s[:p.limit-p.b.Len()])
		p.over = true
		return
	}
	if p.b.Len()+len(s) > MaxPrintBytes {
		p.over = true
		return
	}
	p.b.WriteString(s)
}

func (p *printer) op(o Op) {
	if p.uni {
		p.write(Operators[o].Unicode)
	} else {
		p.write(Operators[o].Text)
	}
}

func (p *printer) sub(e Expr, paren bool) {
	if paren {
		p.write("(")
		p.expr(e)
		p.write(")")
		return
	}
	p.expr(e)
}

// prec is Prec, except that in Unicode a Σ prints as a prefix operator over
// a product and so binds like one.
func (p *printer) prec(e Expr) int {
	if _, ok := p.named(e); ok {
		return PrecAtom
	}
	if p.uni {
		switch e.(type) {
		case *Sum, *Deriv:
			return PrecMul // Σ and ∂a/∂b read like products and quotients
		}
	}
	return Prec(e)
}

func (p *printer) expr(e Expr) {
	if p.over {
		return
	}
	if n, ok := p.named(e); ok {
		p.write(n)
		return
	}
	switch e := e.(type) {
	case *Num:
		p.num(e.Value)
	case *Sym:
		p.write(p.name(e.Name))
	case *Index:
		p.index(e)
	case *Neg:
		p.op(OpNeg)
		p.sub(e.X, p.prec(e.X) <= PrecMul && !(p.uni && isSum(e.X)))
	case *Add:
		for i, t := range e.Terms {
			if i == 0 {
				_, isAdd := t.(*Add)
				p.sub(t, isAdd)
				continue
			}
			if p.isNamed(t) {
				p.op(OpAdd)
				p.write(p.names[t])
				continue
			}
			switch t := t.(type) {
			case *Neg:
				p.op(OpSub)
				p.sub(t.X, p.prec(t.X) <= PrecAdd)
				continue
			case *Num:
				if t.Value.Sign() < 0 {
					p.op(OpSub)
					p.num(t.Value.Neg())
					continue
				}
			}
			p.op(OpAdd)
			p.sub(t, p.prec(t) <= PrecAdd)
		}
	case *Mul:
		if p.uni && len(e.Factors) == 2 {
			// 2*mean(...) reads (2/n)·Σ, not 2·(1/n)·Σ.
			if n, ok := e.Factors[0].(*Num); ok && n.Value.IsInt() && n.Value.Sign() > 0 {
				if s, ok := e.Factors[1].(*Sum); ok && s.Op == OpMean && !p.isNamed(s) {
					p.uniSum(s, n.Value.String())
					return
				}
			}
		}
		for i, f := range e.Factors {
			if i > 0 {
				p.op(OpMul)
			}
			p.sub(f, p.factorParen(e, i))
		}
	case *Div:
		num, den := p.divParen(e)
		p.sub(e.X, num)
		p.op(OpDiv)
		p.sub(e.Y, den)
	case *Pow:
		p.sub(e.X, p.prec(e.X) <= PrecPow)
		if p.uni {
			if s, ok := superscript(e.Y); ok {
				p.write(s)
				return
			}
		}
		p.op(OpPow)
		p.sub(e.Y, p.expParen(e))
	case *Call:
		name := e.Fn
		if f, ok := LookupFunc(e.Fn); ok {
			name = p.builtinName(f)
			switch {
			case f.IsConst() && len(e.Args) == 0:
				p.write(name) // pi, not pi()
				return
			case p.uni && f.Name == "abs" && len(e.Args) == 1:
				p.write("|")
				p.expr(e.Args[0])
				p.write("|")
				return
			}
		} else if base, ok := ShadowedName(e.Fn); ok {
			name = base // as written: the Greek letter σ is the built-in
		} else if p.uni && p.name(e.Fn) != "Σ" {
			name = p.name(e.Fn) // lambda(x) as λ(x); Σ( would start a sum
		}
		if p.uni && name == "δ" {
			// δⱼₖ when the indices have subscript letters, as LaTeX's δ_{jk}.
			if s, ok := subscriptIndices(e.Args); ok {
				p.write("δ" + s)
				return
			}
		}
		p.write(name)
		p.write("(")
		for i, a := range CallArgs(e) {
			if i > 0 && i%2 == 0 && IsSubsPairs(e) {
				p.write(" = ") // subs(E, x = 1, y = 2), as typed
			} else if i > 0 {
				p.write(",")
				if !p.uni || e.Fn != "delta" {
					p.write(" ")
				}
			}
			p.expr(a)
		}
		p.write(")")
	case *Sum:
		if p.uni {
			p.uniSum(e, "1")
			return
		}
		p.write(e.Op.String())
		p.write("(")
		p.write(e.Var)
		p.write("=")
		p.expr(e.Lo)
		p.write("..")
		p.expr(e.Hi)
		p.write(", ")
		p.expr(e.Body)
		p.write(")")
	case *Iverson:
		p.write("[")
		for i, a := range e.Args {
			if i > 0 {
				if p.uni {
					p.write(" ≤ ")
				} else {
					p.write(" <= ")
				}
			}
			p.expr(a)
		}
		p.write("]")
	case *Deriv:
		if p.uni {
			p.write("∂")
			p.sub(e.X, !isAtom(e.X))
			p.write("/∂")
			p.expr(e.Wrt)
			return
		}
		p.write("d(")
		p.expr(e.X)
		p.write(", ")
		p.expr(e.Wrt)
		p.write(")")
	case *MatOp:
		p.matOp(e)
	case *Condition:
		// A condition as a value (1 where it holds, else 0): written as
		// the piecewise form, since x > 0 alone is not a value.
		p.write("if(")
		p.cond(e)
		p.write(", 1, 0)")
	case *If:
		p.write("if(")
		p.cond(e.Cond)
		p.write(", ")
		p.expr(e.Then)
		p.write(", ")
		p.expr(e.Else)
		p.write(")")
	default:
		panic(fmt.Sprintf("ast: cannot print %T", e))
	}
}

func (p *printer) isNamed(e Expr) bool { _, ok := p.named(e); return ok }

// factorParen says whether the factor i of the product e is bracketed.
func (p *printer) factorParen(e *Mul, i int) bool {
	f := e.Factors[i]
	if i == 0 {
		_, isMul := f.(*Mul)
		if p.prec(f) < PrecMul || isMul && !p.isNamed(f) || p.uni && isSum(f) {
			return true
		}
	} else {
		last := i == len(e.Factors)-1
		_, isDeriv := f.(*Deriv)
		// 2*X'*r: a matrix product ending a product reads back as one.
		if p.prec(f) <= PrecMul && !(p.uni && (last && isSum(f) || isDeriv)) && !(last && isMatMul(f)) {
			return true
		}
	}
	// A factor that ends in a Σ's body takes the factors after it into
	// the body unless it is bracketed: (Σᵢ xᵢ)·yᵢ.
	return i < len(e.Factors)-1 && p.swallows(f, false, e.Factors[i+1:]...)
}

// divParen says whether the dividend and the divisor of e are bracketed.
func (p *printer) divParen(e *Div) (num, den bool) {
	_, numDeriv := e.X.(*Deriv)
	// (∂x/∂y)/2, not ∂x/∂y/2; (Σᵢ xᵢ)/yᵢ, not Σᵢ xᵢ/yᵢ, which reads as a
	// sum of quotients.
	num = p.prec(e.X) < PrecMul || p.uni && (numDeriv || p.swallows(e.X, true, e.Y))
	den = p.prec(e.Y) <= PrecMul || p.uni && p.meanFirst(e.Y)
	return num, den
}

// expParen says whether the exponent of e, written after ^, is bracketed.
func (p *printer) expParen(e *Pow) bool {
	return p.prec(e.Y) < PrecUnary || p.uni && p.meanFirst(e.Y) // x^(−(1/n)·Σ…)
}

// swallows reports whether the Unicode text of e, unbracketed, ends in the
// body of a Σ that would take the parts written after it (its divisor, if
// divisor, else factors) into its body and change the value: Σ is a prefix
// operator whose body runs over the products and quotients after it. Σᵢ
// xᵢ·c is read Σᵢ (xᵢ·c). That is the same value only where the part
// taken in does not use the index and has a value wherever the sum has
// one, also where the sum is empty: a number (not 0, as a divisor) or, as
// a factor, a name (Σᵢ xᵢ/2, Σᵢ xᵢ·c). (Σᵢ xᵢ)/n is 0/0 over an empty
// range, Σᵢ xᵢ/n is 0; (Σᵢ xᵢ)/yᵢ, with yᵢ outside the sum, is another
// sum; and a Σ in a divisor or an exponent (x/−Σᵢ xᵢ, then ·c) changes
// with anything.
func (p *printer) swallows(e Expr, divisor bool, after ...Expr) bool {
	open, nonlinear := p.openRight(e)
	if len(open) == 0 {
		return false
	}
	if nonlinear {
		return true
	}
	for _, a := range after {
		for _, v := range open {
			if HasFree(a, v) {
				return true
			}
		}
		switch a := a.(type) {
		case *Num:
			if divisor && a.Value.Sign() == 0 {
				return true
			}
		case *Sym:
			if divisor {
				return true
			}
		default:
			return true
		}
	}
	return false
}

// openRight returns the indices of the Σs whose bodies the Unicode text
// of e, unbracketed, ends in, and whether one of them is in a divisor or
// an exponent there. It follows the printer's own choice of brackets.
func (p *printer) openRight(e Expr) (open []string, nonlinear bool) {
	if !p.uni || p.isNamed(e) {
		return nil, false
	}
	if r, ok := p.opens[e]; ok {
		return r.open, r.nonlinear
	}
	open, nonlinear = p.openRight1(e)
	if p.opens == nil {
		p.opens = map[Expr]openEnd{}
	}
	// Callers append to what they get: a full slice copies on append.
	open = open[:len(open):len(open)]
	p.opens[e] = openEnd{open, nonlinear}
	return open, nonlinear
}

func (p *printer) openRight1(e Expr) (open []string, nonlinear bool) {
	switch e := e.(type) {
	case *Sum:
		if p.prec(e.Body) <= PrecAdd {
			return []string{e.Var}, false // its body is bracketed
		}
		open, nonlinear = p.openRight(e.Body)
		return append(open, e.Var), nonlinear
	case *Neg:
		if p.prec(e.X) <= PrecMul && !isSum(e.X) {
			return nil, false
		}
		return p.openRight(e.X)
	case *Mul:
		if len(e.Factors) == 2 {
			if n, ok := e.Factors[0].(*Num); ok && n.Value.IsInt() && n.Value.Sign() > 0 {
				if s, ok := e.Factors[1].(*Sum); ok && s.Op == OpMean && !p.isNamed(s) {
					return p.openRight(s) // 2·(1/n)·Σ…
				}
			}
		}
		for i, f := range e.Factors {
			if !p.factorParen(e, i) {
				o, nl := p.openRight(f)
				open, nonlinear = append(open, o...), nonlinear || nl
			}
		}
		return open, nonlinear
	case *Div:
		num, den := p.divParen(e)
		if !num {
			open, nonlinear = p.openRight(e.X)
		}
		if !den {
			if o, _ := p.openRight(e.Y); len(o) > 0 {
				open, nonlinear = append(open, o...), true
			}
		}
		return open, nonlinear
	case *Pow:
		if _, sup := superscript(e.Y); sup || p.expParen(e) {
			return nil, false
		}
		if o, _ := p.openRight(e.Y); len(o) > 0 {
			return o, true
		}
	}
	return nil, false
}

// meanFirst reports whether e, printed in Unicode without brackets
// around it, starts with a mean's (1/n)·, whose · after a / or ^ would
// end the divisor or exponent: x/−(1/n)·Σ… reads as (x/−(1/n))·Σ….
func (p *printer) meanFirst(e Expr) bool {
	if p.isNamed(e) {
		return false
	}
	switch e := e.(type) {
	case *Sum:
		return e.Op == OpMean
	case *Neg:
		return !(p.prec(e.X) <= PrecMul && !isSum(e.X)) && p.meanFirst(e.X)
	}
	return false
}

// cond prints a condition from the table of comparisons and connectives.
func (p *printer) cond(e Expr) {
	writeCond(e, p.write, func(c CondInfo) string {
		if p.uni {
			return c.Unicode
		}
		return c.Text
	}, p.expr, "(", ")")
}

func isSum(e Expr) bool { _, ok := e.(*Sum); return ok }

func isAtom(e Expr) bool {
	switch e := e.(type) {
	case *Sym, *Index, *Call:
		return true
	case *Num:
		return Prec(e) == PrecAtom
	}
	return false
}

func (p *printer) num(v Number) {
	s := v.String()
	if p.uni {
		// The sign and that of an exponent (1e-30).
		s = strings.ReplaceAll(s, Operators[OpNeg].Text, Operators[OpNeg].Unicode)
	}
	p.write(s)
}

func (p *printer) name(n string) string {
	if p.uni && !p.spelled[n] {
		if g, ok := greek()[n]; ok {
			return g[0]
		}
	}
	return n
}

func (p *printer) index(e *Index) {
	name := p.name(e.Name)
	p.write(name)
	// δⱼₖ is Kronecker's delta and Σᵢ a sum's start: an entry of a name
	// written δ or Σ keeps its brackets (δ[j,k]), so that it reads back.
	if p.uni && name != "δ" && name != "Σ" {
		var sb strings.Builder
		ok := true
		for _, i := range e.Indices {
			s, good := subscript(String(i))
			if _, isSym := i.(*Sym); len(e.Indices) > 1 && (utf8.RuneCountInString(s) > 1 || !isSym) {
				good = false // x[i1,j] as xᵢ₁ⱼ, x[1,2] as x₁₂ would be ambiguous
			} else if isSym && utf8.RuneCountInString(s) > 1 {
				good = false // x[ij] as xᵢⱼ reads as x[i,j]
			}
			if !good {
				ok = false
				break
			}
			sb.WriteString(s)
		}
		if ok {
			p.write(sb.String())
			return
		}
	}
	p.write("[")
	for i, x := range e.Indices {
		if i > 0 {
			p.write(",")
		}
		p.expr(x)
	}
	p.write("]")
}

func (p *printer) uniSum(e *Sum, coef string) {
	if e.Op == OpMean {
		p.write("(" + coef + "/")
		n := count(e.Lo, e.Hi)
		p.sub(n, Prec(n) <= PrecMul)
		p.write(")·")
	} else if coef != "1" {
		p.write(coef + "·")
	}
	p.write("Σ_{")
	p.write(p.name(e.Var))
	p.write("=")
	p.expr(e.Lo)
	p.write("}^{")
	p.expr(e.Hi)
	p.write("} ")
	p.sub(e.Body, p.prec(e.Body) <= PrecAdd)
}

// count is the number of terms hi - lo + 1 of a range, as shown in a mean.
func count(lo, hi Expr) Expr {
	if IsNum(lo, 1) {
		return hi
	}
	if a, ok := lo.(*Num); ok {
		if b, ok := hi.(*Num); ok {
			return NewNum(b.Value.Sub(a.Value).Add(Int(1)))
		}
		return NewAdd(hi, NewNum(Int(1).Sub(a.Value)))
	}
	return NewAdd(hi, NewNeg(lo), One)
}

// Count returns hi - lo + 1, the number of terms of a sum over lo..hi.
func Count(lo, hi Expr) Expr { return count(lo, hi) }

const (
	supDigits = "⁰¹²³⁴⁵⁶⁷⁸⁹"
	subDigits = "₀₁₂₃₄₅₆₇₈₉"
)

// subLetters[c] is the subscript form of the ASCII letter c, 0 if it has
// none: an array of numbers, which the linker lays out read-only (a map
// was built by every program's start).
var subLetters = [utf8.RuneSelf]rune{
	'a': 'ₐ', 'e': 'ₑ', 'h': 'ₕ', 'i': 'ᵢ', 'j': 'ⱼ', 'k': 'ₖ', 'l': 'ₗ', 'm': 'ₘ', 'n': 'ₙ',
	'o': 'ₒ', 'p': 'ₚ', 'r': 'ᵣ', 's': 'ₛ', 't': 'ₜ', 'u': 'ᵤ', 'v': 'ᵥ', 'x': 'ₓ',
}

// subLetter returns the subscript form of c, 0 if it has none.
func subLetter(c rune) rune {
	if c < 0 || c >= utf8.RuneSelf {
		return 0
	}
	return subLetters[c]
}

// superscript renders a small integer exponent as superscript digits.
func superscript(e Expr) (string, bool) {
	n, ok := e.(*Num)
	if !ok {
		return "", false
	}
	v, ok := n.Value.Int64()
	if !ok || v < -99 || v > 99 || v == 1 {
		return "", false
	}
	var sb strings.Builder
	if v < 0 {
		sb.WriteString("⁻")
		v = -v
	}
	for _, c := range fmt.Sprint(v) {
		sb.WriteRune([]rune(supDigits)[c-'0'])
	}
	return sb.String(), true
}

// subscript renders an index as subscript characters, if they all exist.
func subscript(s string) (string, bool) {
	var sb strings.Builder
	if utf8.RuneCountInString(s) > 3 {
		return "", false
	}
	for _, c := range s {
		switch {
		case c >= '0' && c <= '9':
			sb.WriteRune([]rune(subDigits)[c-'0'])
		case subLetter(c) != 0:
			sb.WriteRune(subLetter(c))
		default:
			return "", false
		}
	}
	return sb.String(), true
}

// subscriptIndices writes short indices as subscript characters.
func subscriptIndices(idx []Expr) (string, bool) {
	var sb strings.Builder
	for _, i := range idx {
		s, ok := subscript(String(i))
		if !ok || utf8.RuneCountInString(s) != 1 {
			return "", false
		}
		sb.WriteString(s)
	}
	return sb.String(), true
}

// CallArgs returns the arguments of a call as they are written: a
// variadic function's chain folded to the right, max(a, max(b, c)), is
// max(a, b, c), which the parser folds back to the same tree.
func CallArgs(e *Call) []Expr {
	f, ok := LookupFunc(e.Fn)
	if !ok || !f.Variadic || len(e.Args) != f.Arity {
		return e.Args
	}
	var out []Expr
	for {
		last := e.Args[len(e.Args)-1]
		out = append(out, e.Args[:len(e.Args)-1]...)
		inner, ok := last.(*Call)
		if !ok || inner.Fn != e.Fn || len(inner.Args) != f.Arity {
			return append(out, last)
		}
		e = inner
	}
}
