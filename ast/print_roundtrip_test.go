package ast_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
)

// genTree builds a random scalar tree directly, not by parsing, so that
// the printers meet the shapes the simplifier makes as well as the ones a
// user types: quotients of sums by something in the sum's index, a sum in
// a product or under a power, negations anywhere, superscript powers of
// powers, Greek names, indexed names inside and outside sums. Sums bind
// i or j and range over 1..n; w and v are vectors of length 3 (n is at
// most 3).
func genTree(r *rand.Rand, depth int, bound []string) ast.Expr {
	leaf := func() ast.Expr {
		switch r.IntN(9) {
		case 0, 1:
			return ast.NewSym([]string{"x", "y", "z", "alpha", "beta", "n", "i", "lambda"}[r.IntN(8)])
		case 2:
			return ast.NewInt(int64(r.IntN(7) - 2))
		case 3:
			return ast.NewNum(ast.Frac(int64(1+r.IntN(5)), int64(2+r.IntN(4))))
		case 4, 5:
			if len(bound) > 0 {
				return ast.NewIndex([]string{"w", "v", "x"}[r.IntN(3)], ast.NewSym(bound[r.IntN(len(bound))]))
			}
			return ast.NewIndex([]string{"w", "v"}[r.IntN(2)], ast.NewInt(int64(1+r.IntN(3))))
		case 6:
			if len(bound) > 0 {
				return ast.NewSym(bound[r.IntN(len(bound))])
			}
			if r.IntN(2) == 0 {
				return ast.NewIndex("w", ast.NewSym("ij")) // an index named ij: not w[i,j]
			}
		}
		return ast.NewSym([]string{"x", "y", "k"}[r.IntN(3)])
	}
	if depth == 0 || r.IntN(6) == 0 {
		return leaf()
	}
	sub := func() ast.Expr { return genTree(r, depth-1, bound) }
	switch r.IntN(15) {
	case 0:
		return ast.NewAdd(sub(), sub())
	case 1:
		return ast.NewAdd(sub(), ast.NewNeg(sub()))
	case 2:
		return ast.NewMul(sub(), sub())
	case 3:
		return ast.NewDiv(sub(), sub())
	case 4:
		return ast.NewNeg(sub())
	case 5:
		return ast.NewPow(sub(), ast.NewInt(int64(r.IntN(7)-3)))
	case 6:
		return ast.NewPow(sub(), sub())
	case 7:
		f := []string{"exp", "log", "sigma", "sqrt", "abs", "tanh", "sin", "Phi"}[r.IntN(8)]
		return ast.NewCall(f, sub())
	case 8:
		return ast.NewCall("max", sub(), sub())
	case 9, 10:
		v := "i"
		if len(bound) > 0 && bound[len(bound)-1] == "i" {
			v = "j"
		}
		op := ast.OpSum
		if r.IntN(3) == 0 {
			op = ast.OpMean
		}
		hi := ast.Expr(ast.NewSym("n"))
		if r.IntN(3) == 0 {
			hi = ast.NewInt(int64(1 + r.IntN(3)))
		}
		body := genTree(r, depth-1, append(bound[:len(bound):len(bound)], v))
		return ast.NewSum(op, v, ast.One, hi, body)
	case 11:
		// A quotient or product of a sum by a part in its index name:
		// (Σ…)/yᵢ printed as Σ…xᵢ/yᵢ.
		s := genTree(r, 0, nil)
		sum := ast.NewSum(ast.OpSum, "i", ast.One, ast.NewSym("n"), ast.NewMul(ast.NewIndex("w", ast.NewSym("i")), s))
		other := ast.Expr(ast.NewSym("i"))
		if r.IntN(2) == 0 {
			other = ast.NewIndex("v", ast.NewSym("i"))
		}
		switch r.IntN(4) {
		case 0:
			return ast.NewDiv(sum, other)
		case 1:
			return ast.NewMul(sum, other)
		case 2:
			return ast.NewAdd(sum, other)
		}
		return ast.NewPow(sum, ast.NewInt(2))
	case 12:
		return ast.NewMul(ast.NewInt(int64(r.IntN(5)-2)), sub())
	case 13:
		return ast.NewPow(ast.NewNeg(sub()), ast.NewInt(int64(r.IntN(4))))
	}
	return ast.NewIf(ast.NewCompare(ast.CondLt, sub(), sub()), sub(), sub())
}

// evalAt evaluates e at a fixed point: names are positive, n = 3 and the
// vectors have three entries.
func evalAt(e ast.Expr, pt ast.Bindings) (float64, error) {
	return ast.EvalContext(context.Background(), e, nil, pt)
}

func randomPoint(r *rand.Rand) ast.Bindings {
	vec := func() ast.Value {
		return ast.Value{Shape: []int{3}, Data: []float64{0.25 + 2*r.Float64(), 0.25 + 2*r.Float64(), 0.25 + 2*r.Float64()}}
	}
	pt := ast.Bindings{"n": ast.Scalar(float64(1 + r.IntN(3))), "w": vec(), "v": vec(), "i": ast.Scalar(float64(1 + r.IntN(3))),
		"ij": ast.Scalar(float64(1 + r.IntN(3)))}
	for _, s := range []string{"y", "z", "alpha", "beta", "lambda", "k"} {
		pt[s] = ast.Scalar(0.25 + 2*r.Float64())
	}
	pt["x"] = vec()
	// The Unicode printer writes alpha as α: one name, two spellings.
	for spelled, letter := range map[string]string{"alpha": "α", "beta": "β", "lambda": "λ"} {
		pt[letter] = pt[spelled]
	}
	return pt
}

// sameValue: both fail, or both give values that agree to 1e-9 relative
// (or both infinite of one sign, or both NaN).
func sameValue(a float64, errA error, b float64, errB error) bool {
	if (errA != nil) != (errB != nil) {
		return false
	}
	if errA != nil || a == b || math.IsNaN(a) && math.IsNaN(b) {
		return true
	}
	return math.Abs(a-b) <= 1e-9*(1+math.Max(math.Abs(a), math.Abs(b)))
}

// TestPrintParsesBack: every tree prints, in the input syntax and in
// Unicode, as text that parses back to the same tree, or failing that (the
// parser folds what the printer cannot tell apart: a Neg of a number)
// to one with the same value at random points. Σ…xᵢ/yᵢ for (Σ…)/yᵢ made
// the quotient part of the sum's body; this is the oracle that finds such
// precedence holes.
func TestPrintParsesBack(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 7))
	failures := 0
	for n := range 6000 {
		e := genTree(r, 1+n%5, nil)
		if hasFreeX(e) {
			continue // x as a scalar and as a vector: the point cannot bind both
		}
		for _, style := range []ast.Style{ast.Plain, ast.Unicode} {
			text, err := ast.Format(e, style)
			if err != nil {
				t.Fatalf("%s: %v", ast.Sexpr(e), err)
			}
			plain := text
			if style == ast.Unicode {
				plain = readUnicode(t, text)
			}
			got, err := parser.ParseExpr(plain, nil)
			if err != nil {
				t.Errorf("%s prints as %q (read as %q), which does not parse: %v", ast.Sexpr(e), text, plain, err)
				failures++
				continue
			}
			if got == e {
				continue
			}
			for range 4 {
				pt := randomPoint(r)
				a, errA := evalAt(e, pt)
				b, errB := evalAt(got, pt)
				if !sameValue(a, errA, b, errB) {
					t.Errorf("%s prints as %q, which reads back as %s: at %v %v (%v), not %v (%v)", ast.Sexpr(e), text, ast.String(got), pt, b, errB, a, errA)
					failures++
					break
				}
			}
		}
		if failures > 20 {
			t.Fatal("too many failures")
		}
	}
}

// hasFreeX reports whether the scalar x is used where it is not x[i].
func hasFreeX(e ast.Expr) bool {
	for _, n := range ast.FreeNames(e) {
		if n == "x" {
			_, err := evalAt(e, ast.Bindings{})
			_ = err
			return true
		}
	}
	return false
}

// readUnicode reads the Unicode notation the parser does not (Σ_{i=lo}^{hi}
// body, |u|, digit subscripts) as a reader does, and writes it in the
// input syntax: Σ is a prefix operator whose body is the product or
// quotient after it (it ends at a + or − between terms, a comma, a
// closing bracket or a comparison), |…| is abs, w₃ is w[3] and wᵢ w[i].
// It is the test's own reading, independent of the printer's code.
func readUnicode(t *testing.T, s string) string {
	t.Helper()
	rs := []rune(s)
	var out []rune
	operandEnd := func(prev rune, prevClosing bool) bool {
		switch {
		case prev == ')' || prev == ']' || prev == 'π': // not '}': Σ_{…}^{…} is followed by its body
			return true
		case prev == '|':
			return prevClosing
		case unicode.IsLetter(prev) || unicode.IsDigit(prev) || strings.ContainsRune(supRunes+subRunes, prev):
			return true
		}
		return false
	}
	// end returns where the body that starts at from ends.
	end := func(from int) int {
		depth, bars := 0, 0 // bars: open |…| inside the body
		var prev rune
		prevClosing := false
		for i := from; i < len(rs); i++ {
			c := rs[i]
			if c == ' ' {
				continue
			}
			closing := false
			switch c {
			case '(', '[', '{':
				depth++
			case ')', ']', '}':
				if depth == 0 {
					return i
				}
				depth--
			case '|':
				if operandEnd(prev, prevClosing) {
					if bars == 0 && depth == 0 {
						return i
					}
					bars--
					closing = true
				} else {
					bars++
				}
			case '+', ',', '<', '>', '≤', '≥', '=':
				if depth == 0 && bars == 0 {
					return i
				}
			case '−':
				if depth == 0 && bars == 0 && operandEnd(prev, prevClosing) {
					return i
				}
			}
			prev, prevClosing = c, closing
		}
		return len(rs)
	}
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		switch {
		case c == 'Σ':
			// Σ_{v=lo}^{hi} body
			j := i + 3 // after "Σ_{"
			k := j
			for depth := 0; k < len(rs) && !(rs[k] == '}' && depth == 0); k++ {
				if rs[k] == '{' {
					depth++
				} else if rs[k] == '}' {
					depth--
				}
			}
			header := string(rs[j:k]) // v=lo
			m := k + 3                // after "}^{"
			n := m
			for depth := 0; n < len(rs) && !(rs[n] == '}' && depth == 0); n++ {
				if rs[n] == '{' {
					depth++
				} else if rs[n] == '}' {
					depth--
				}
			}
			hi := string(rs[m:n])
			b := n + 1
			for b < len(rs) && rs[b] == ' ' {
				b++
			}
			e := end(b)
			v, lo, _ := strings.Cut(header, "=")
			out = append(out, []rune(fmt.Sprintf("sum(%s=%s..%s, %s)", v, readUnicode(t, lo), readUnicode(t, hi), readUnicode(t, string(rs[b:e]))))...)
			i = e - 1
		case c == '|':
			// An opening bar (closing ones are consumed here): its match
			// is the first bar after an operand with no bar left open.
			e, bars, depth := -1, 0, 0
			var prev rune
			prevClosing := false
			for j := i + 1; j < len(rs) && e < 0; j++ {
				closing := false
				switch rs[j] {
				case ' ':
					continue
				case '(', '[', '{':
					depth++
				case ')', ']', '}':
					depth--
				case '|':
					switch {
					case !operandEnd(prev, prevClosing):
						bars++
					case bars == 0 && depth == 0:
						e = j
					default:
						bars--
						closing = true
					}
				}
				prev, prevClosing = rs[j], closing
			}
			if e < 0 {
				t.Fatalf("%q: no closing | after position %d", s, i)
			}
			out = append(out, []rune("abs("+readUnicode(t, string(rs[i+1:e]))+")")...)
			i = e
		case strings.ContainsRune(subRunes, c):
			j := i
			for j < len(rs) && strings.ContainsRune(subRunes, rs[j]) {
				j++
			}
			var idx []string
			digits := true
			for _, r := range rs[i:j] {
				digits = digits && strings.ContainsRune("₀₁₂₃₄₅₆₇₈₉", r)
			}
			if digits {
				var d []rune
				for _, r := range rs[i:j] {
					d = append(d, '0'+r-'₀')
				}
				idx = []string{string(d)}
			} else {
				for _, r := range rs[i:j] {
					idx = append(idx, string(subPlain[r]))
				}
			}
			out = append(out, []rune("["+strings.Join(idx, ",")+"]")...)
			i = j - 1
		case strings.ContainsRune(supRunes, c):
			j := i
			for j < len(rs) && strings.ContainsRune(supRunes, rs[j]) {
				j++
			}
			var d []rune
			for _, r := range rs[i:j] {
				if r == '⁻' {
					d = append(d, '-')
				} else {
					d = append(d, '0'+rune(slices.Index([]rune("⁰¹²³⁴⁵⁶⁷⁸⁹"), r)))
				}
			}
			out = append(out, []rune("^("+string(d)+")")...)
			i = j - 1
		case c == '·':
			out = append(out, '*')
		case c == '−':
			out = append(out, '-')
		case c == '≤':
			out = append(out, '<', '=')
		default:
			out = append(out, c)
		}
	}
	return string(out)
}

const (
	supRunes = "⁰¹²³⁴⁵⁶⁷⁸⁹⁻"
	subRunes = "₀₁₂₃₄₅₆₇₈₉ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ"
)

var subPlain = map[rune]rune{
	'ₐ': 'a', 'ₑ': 'e', 'ₕ': 'h', 'ᵢ': 'i', 'ⱼ': 'j', 'ₖ': 'k', 'ₗ': 'l', 'ₘ': 'm', 'ₙ': 'n',
	'ₒ': 'o', 'ₚ': 'p', 'ᵣ': 'r', 'ₛ': 's', 'ₜ': 't', 'ᵤ': 'u', 'ᵥ': 'v', 'ₓ': 'x',
}

// genProducts builds products, quotients and negations of sums, where a
// \sum's body meets the factors after it; the leaves are names, so that
// the LaTeX products are juxtapositions that latexRead can tell apart.
func genProducts(r *rand.Rand, depth int, bound []string) ast.Expr {
	if depth == 0 || r.IntN(5) == 0 {
		if len(bound) > 0 && r.IntN(2) == 0 {
			return ast.NewIndex([]string{"w", "v"}[r.IntN(2)], ast.NewSym(bound[r.IntN(len(bound))]))
		}
		return ast.NewSym([]string{"y", "z", "k", "i"}[r.IntN(4)])
	}
	sub := func() ast.Expr { return genProducts(r, depth-1, bound) }
	switch r.IntN(6) {
	case 0, 1:
		return ast.NewMul(sub(), sub())
	case 2:
		return ast.NewNeg(sub())
	case 3:
		return ast.NewDiv(sub(), sub())
	case 4:
		return ast.NewAdd(sub(), sub())
	}
	v := "i"
	if len(bound) > 0 {
		v = "j"
	}
	return ast.NewSum(ast.OpSum, v, ast.One, ast.NewSym("n"), genProducts(r, depth-1, append(bound[:len(bound):len(bound)], v)))
}

// latexRead reads the LaTeX of genProducts's trees as Unicode text:
// \frac{a}{b} is (a)/(b), a space between two factors is a product, and a
// \sum is a Σ (readUnicode then reads its body as far as it runs).
func latexRead(t *testing.T, s string) string {
	t.Helper()
	s = strings.NewReplacer(`\left(`, "(", `\right)`, ")", `\sum_`, "Σ_", "-", "−").Replace(s)
	rs := []rune(s)
	var out []rune
	group := func(from int) (string, int) { // {…} at from: its text and the index after it
		depth := 0
		for j := from; j < len(rs); j++ {
			switch rs[j] {
			case '{':
				depth++
			case '}':
				depth--
				if depth == 0 {
					return string(rs[from+1 : j]), j + 1
				}
			}
		}
		t.Fatalf("%q: unbalanced braces", s)
		return "", 0
	}
	for i := 0; i < len(rs); i++ {
		switch c := rs[i]; {
		case strings.HasPrefix(string(rs[i:]), `\frac`):
			a, j := group(i + 5)
			b, k := group(j)
			out = append(out, []rune("("+latexRead(t, a)+")/("+latexRead(t, b)+")")...)
			i = k - 1
		case c == 'Σ':
			lo, j := group(i + 2)
			hi, k := group(j + 1)
			out = append(out, []rune("Σ_{"+lo+"}^{"+hi+"} ")...)
			i = k // the space after the header
		case c == '_':
			idx, j := group(i + 1)
			out = append(out, []rune("["+idx+"]")...)
			i = j - 1
		case c == ' ':
			prev, next := rune(0), rune(0)
			if len(out) > 0 {
				prev = out[len(out)-1]
			}
			if i+1 < len(rs) {
				next = rs[i+1]
			}
			if prev != ' ' && !strings.ContainsRune("+−(", prev) && !strings.ContainsRune("+−)", next) {
				out = append(out, '·')
			} else {
				out = append(out, ' ')
			}
		default:
			out = append(out, c)
		}
	}
	return readUnicode(t, string(out))
}

// TestLaTeXProductsReadBack: LaTeX writes products by juxtaposition, and a
// \sum's body runs over the factors after it: (−Σᵢ wᵢ)·vᵢ was written
// -\sum_{i=1}^{n} w_{i} v_{i}, a sum of products. At random products,
// quotients and negations of sums, the LaTeX read back (latexRead, the
// test's own reader) has the tree's value at random points.
func TestLaTeXProductsReadBack(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 3))
	failures := 0
	for n := range 3000 {
		e := genProducts(r, 1+n%5, nil)
		text := ast.LaTeXString(e)
		plain := latexRead(t, text)
		got, err := parser.ParseExpr(plain, nil)
		if err != nil {
			t.Fatalf("%s is written %q, read as %q, which does not parse: %v", ast.Sexpr(e), text, plain, err)
		}
		for range 4 {
			pt := randomPoint(r)
			a, errA := evalAt(e, pt)
			b, errB := evalAt(got, pt)
			if !sameValue(a, errA, b, errB) {
				t.Errorf("%s is written %q, which reads back as %s: %v, not %v", ast.Sexpr(e), text, plain, b, a)
				failures++
				break
			}
		}
		if failures > 10 {
			t.Fatal("too many failures")
		}
	}
}
