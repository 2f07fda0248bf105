package ast

import (
	"math"
	"math/big"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/symdiff/symdiff/ast/internal/bigmath"
)

// The operator table. The parser takes precedence, associativity and the
// accepted spellings from it; the text, Unicode and LaTeX printers take
// precedence (for minimal parentheses) and the symbol to print.

// Op names an operator of the language.
type Op uint8

const (
	OpAdd Op = iota // a + b
	OpSub           // a - b
	OpMul           // a * b
	OpDiv           // a / b
	OpNeg           // -a
	OpPow           // a ^ b
	OpPos           // +a, accepted on input and dropped: no node prints it

	OpHadamard  // a .* b, element-wise product
	OpElemDiv   // a ./ b, element-wise quotient
	OpElemPow   // a .^ b, element-wise power
	OpTranspose // a', postfix transpose
)

// Precedence levels, loosest first. A node's precedence is that of its
// operator; atoms (names, calls, parenthesised forms) bind tightest.
const (
	PrecAdd   = 1 // + -
	PrecMul   = 2 // * /
	PrecUnary = 3 // unary -, looser than ^ so that -x^2 is -(x^2)
	PrecPow   = 4 // ^, right-associative
	PrecAtom  = 5
)

// An OpInfo describes one operator.
type OpInfo struct {
	Op       Op
	Token    string   // canonical input spelling
	Aliases  []string // other accepted spellings (Unicode)
	Prec     int
	RightAss bool // right-associative (only ^)
	Prefix   bool // unary prefix operator
	Postfix  bool // unary postfix operator (only ')
	Text     string
	Unicode  string
	LaTeX    string
}

// Operators is the operator table, indexed by Op.
var Operators = [...]OpInfo{
	OpAdd: {Op: OpAdd, Token: "+", Prec: PrecAdd, Text: " + ", Unicode: " + ", LaTeX: " + "},
	OpSub: {Op: OpSub, Token: "-", Aliases: []string{"−"}, Prec: PrecAdd, Text: " - ", Unicode: " − ", LaTeX: " - "},
	OpMul: {Op: OpMul, Token: "*", Aliases: []string{"·", "×", "⋅"}, Prec: PrecMul, Text: "*", Unicode: "·", LaTeX: " \\cdot "},
	OpDiv: {Op: OpDiv, Token: "/", Aliases: []string{"÷"}, Prec: PrecMul, Text: "/", Unicode: "/", LaTeX: "\\frac"},
	OpNeg: {Op: OpNeg, Token: "-", Aliases: []string{"−"}, Prec: PrecUnary, Prefix: true, Text: "-", Unicode: "−", LaTeX: "-"},
	OpPow: {Op: OpPow, Token: "^", Prec: PrecPow, RightAss: true, Text: "^", Unicode: "^", LaTeX: "^"},
	OpPos: {Op: OpPos, Token: "+", Prec: PrecUnary, Prefix: true, Text: "+", Unicode: "+", LaTeX: "+"},

	OpHadamard:  {Op: OpHadamard, Token: ".*", Aliases: []string{"⊙", "∘"}, Prec: PrecMul, Text: " .* ", Unicode: " ⊙ ", LaTeX: " \\odot "},
	OpElemDiv:   {Op: OpElemDiv, Token: "./", Aliases: []string{"⊘"}, Prec: PrecMul, Text: " ./ ", Unicode: " ⊘ ", LaTeX: " \\oslash "},
	OpElemPow:   {Op: OpElemPow, Token: ".^", Prec: PrecPow, RightAss: true, Text: ".^", Unicode: ".^", LaTeX: "^{\\circ}"},
	OpTranspose: {Op: OpTranspose, Token: "'", Aliases: []string{"ᵀ"}, Prec: PrecAtom, Postfix: true, Text: "'", Unicode: "ᵀ", LaTeX: "^\\top"},
}

// BinaryOp returns the binary operator spelled tok, if any.
func BinaryOp(tok string) (OpInfo, bool) { return lookupOp(tok, false) }

// PostfixOp returns the postfix operator spelled tok, if any.
func PostfixOp(tok string) (OpInfo, bool) {
	for _, o := range Operators {
		if o.Postfix && (o.Token == tok || slices.Contains(o.Aliases, tok)) {
			return o, true
		}
	}
	return OpInfo{}, false
}

// PrefixOp returns the prefix operator spelled tok, if any.
func PrefixOp(tok string) (OpInfo, bool) { return lookupOp(tok, true) }

func lookupOp(tok string, prefix bool) (OpInfo, bool) {
	for _, o := range Operators {
		if o.Prefix != prefix || o.Postfix {
			continue
		}
		if o.Token == tok || slices.Contains(o.Aliases, tok) {
			return o, true
		}
	}
	return OpInfo{}, false
}

// Prec returns the precedence of the operator at the root of e as printed.
func Prec(e Expr) int {
	switch e := e.(type) {
	case *Add:
		return PrecAdd
	case *Mul, *Div:
		return PrecMul
	case *Neg:
		return PrecUnary
	case *Pow:
		return PrecPow
	case *MatOp:
		return matPrec(e)
	case *Num:
		if v, ok := e.Value.Int64(); ok { // an integer, without printing it
			if v < 0 {
				return PrecUnary
			}
			return PrecAtom
		}
		if _, ok := e.Value.Decimal(); !ok {
			return PrecMul // printed as p/q
		}
		if e.Value.Sign() < 0 {
			return PrecUnary
		}
	}
	return PrecAtom
}

// A Func describes a built-in function.
type Func struct {
	Name    string
	Aliases []string // other accepted spellings
	Arity   int
	// Variadic functions take Arity or more arguments; the parser folds
	// max(a, b, c) to the right, max(a, max(b, c)), and the printers show
	// such a chain as one call again.
	Variadic bool
	Unicode  string // how the Unicode printer names it
	LaTeX    string // how the LaTeX printer names it
	Doc      string
	// Float evaluates it in float64; NaN means undefined at that point.
	Float func(args []float64) float64
	// Big evaluates it at prec bits (package bigmath, within half an ulp).
	Big func(args []*big.Float, prec uint) (*big.Float, error)
	// Image says what values it takes, for the simplifier's sign analysis.
	Image Image
}

// An Image describes the values of a function of one argument where it is
// defined. An increasing function (Increasing set, the function itself on
// the extended reals) maps an interval of arguments, clipped to its
// domain u > DomLo (u >= DomLo when DomClosed), onto the interval of its
// values; any other function's values lie between Lo and Hi. LoOpen and
// HiOpen say that a bound is approached, never attained.
type Image struct {
	Known          bool // false: nothing is known (any real)
	Lo, Hi         float64
	LoOpen, HiOpen bool
	Increasing     func(float64) float64
	DomLo          float64
	DomClosed      bool
}

var inf = math.Inf(1)

// Funcs is the table of built-in functions. Their derivatives are rules in
// package rules, not here: this table says only what a function is called
// and what it computes.
var Funcs = []*Func{
	{Name: "exp", Arity: 1, Unicode: "exp", LaTeX: `\exp`, Doc: "exponential e^u",
		Float: func(a []float64) float64 { return math.Exp(a[0]) }, Big: big1(bigmath.Exp),
		Image: Image{Known: true, Lo: 0, Hi: inf, LoOpen: true, HiOpen: true, Increasing: math.Exp, DomLo: -inf}},
	{Name: "log", Aliases: []string{"ln"}, Arity: 1, Unicode: "log", LaTeX: `\log`, Doc: "natural logarithm (u > 0)",
		Float: func(a []float64) float64 {
			if a[0] <= 0 {
				return math.NaN()
			}
			return math.Log(a[0])
		}, Big: big1(bigmath.Log),
		Image: Image{Known: true, Lo: -inf, Hi: inf, LoOpen: true, HiOpen: true, Increasing: math.Log, DomLo: 0}},
	{Name: "sqrt", Aliases: []string{"√"}, Arity: 1, Unicode: "√", LaTeX: `\sqrt`, Doc: "square root (u ≥ 0)",
		Float: func(a []float64) float64 { return math.Sqrt(a[0]) }, Big: big1(bigmath.Sqrt),
		Image: Image{Known: true, Lo: 0, Hi: inf, HiOpen: true, Increasing: math.Sqrt, DomLo: 0, DomClosed: true}},
	{Name: "sigma", Aliases: []string{"sigmoid", "σ"}, Arity: 1, Unicode: "σ", LaTeX: `\sigma`, Doc: "logistic sigmoid 1/(1+exp(-u))",
		Float: func(a []float64) float64 { return Sigmoid(a[0]) }, Big: big1(bigmath.Sigmoid),
		Image: Image{Known: true, Lo: 0, Hi: 1, LoOpen: true, HiOpen: true, Increasing: Sigmoid, DomLo: -inf}},
	{Name: "softplus", Arity: 1, Unicode: "softplus", LaTeX: `\operatorname{softplus}`, Doc: "softplus log(1+exp(u))",
		Float: func(a []float64) float64 { return Softplus(a[0]) }, Big: big1(bigmath.Softplus),
		Image: Image{Known: true, Lo: 0, Hi: inf, LoOpen: true, HiOpen: true, Increasing: Softplus, DomLo: -inf}},
	{Name: "tanh", Arity: 1, Unicode: "tanh", LaTeX: `\tanh`, Doc: "hyperbolic tangent",
		Float: func(a []float64) float64 { return math.Tanh(a[0]) }, Big: big1(bigmath.Tanh),
		Image: Image{Known: true, Lo: -1, Hi: 1, LoOpen: true, HiOpen: true, Increasing: math.Tanh, DomLo: -inf}},
	{Name: "cosh", Arity: 1, Unicode: "cosh", LaTeX: `\cosh`, Doc: "hyperbolic cosine (exp(u) + exp(-u))/2",
		Float: func(a []float64) float64 { return math.Cosh(a[0]) }, Big: big1(bigmath.Cosh),
		Image: Image{Known: true, Lo: 1, Hi: inf, HiOpen: true}},
	{Name: "sinh", Arity: 1, Unicode: "sinh", LaTeX: `\sinh`, Doc: "hyperbolic sine (exp(u) - exp(-u))/2",
		Float: func(a []float64) float64 { return math.Sinh(a[0]) }, Big: big1(bigmath.Sinh),
		Image: Image{Known: true, Lo: -inf, Hi: inf, LoOpen: true, HiOpen: true, Increasing: math.Sinh, DomLo: -inf}},
	{Name: "sin", Arity: 1, Unicode: "sin", LaTeX: `\sin`, Doc: "sine",
		Float: func(a []float64) float64 { return math.Sin(a[0]) }, Big: big1(bigmath.Sin),
		Image: Image{Known: true, Lo: -1, Hi: 1}},
	{Name: "cos", Arity: 1, Unicode: "cos", LaTeX: `\cos`, Doc: "cosine",
		Float: func(a []float64) float64 { return math.Cos(a[0]) }, Big: big1(bigmath.Cos),
		Image: Image{Known: true, Lo: -1, Hi: 1}},
	{Name: "Phi", Aliases: []string{"Φ"}, Arity: 1, Unicode: "Φ", LaTeX: `\Phi`, Doc: "standard normal CDF",
		Float: func(a []float64) float64 { return normCDF(a[0]) }, Big: big1(bigmath.NormCDF),
		Image: Image{Known: true, Lo: 0, Hi: 1, LoOpen: true, HiOpen: true, Increasing: normCDF, DomLo: -inf}},
	{Name: "phi", Aliases: []string{"φ", "ϕ"}, Arity: 1, Unicode: "φ", LaTeX: `\phi`, Doc: "standard normal density",
		Float: func(a []float64) float64 { return math.Exp(-a[0]*a[0]/2) / math.Sqrt(2*math.Pi) }, Big: big1(bigmath.NormPDF),
		Image: Image{Known: true, Lo: 0, Hi: 0.3989422804014328, LoOpen: true}},
	{Name: "abs", Arity: 1, Unicode: "abs", LaTeX: `\lvert`, Doc: "absolute value |u|; d|u| = sign(u), 0 at u = 0",
		Float: func(a []float64) float64 { return math.Abs(a[0]) }, Big: bigAbs,
		Image: Image{Known: true, Lo: 0, Hi: inf, HiOpen: true}},
	{Name: "sign", Aliases: []string{"sgn"}, Arity: 1, Unicode: "sign", LaTeX: `\operatorname{sign}`, Doc: "sign: -1, 0 or 1",
		Float: func(a []float64) float64 { return Sign(a[0]) }, Big: bigSign,
		Image: Image{Known: true, Lo: -1, Hi: 1}},
	{Name: "step", Aliases: []string{"heaviside"}, Arity: 1, Unicode: "step", LaTeX: `\operatorname{step}`, Doc: "Heaviside step: 1 for u > 0, else 0 (step(0) = 0)",
		Float: func(a []float64) float64 { return Step(a[0]) }, Big: bigStep,
		Image: Image{Known: true, Lo: 0, Hi: 1}},
	{Name: "relu", Aliases: []string{"ReLU"}, Arity: 1, Unicode: "relu", LaTeX: `\operatorname{relu}`, Doc: "rectifier max(0, u); its derivative step(u) is 0 at u = 0",
		Float: func(a []float64) float64 { return math.Max(0, a[0]) }, Big: bigRelu,
		Image: Image{Known: true, Lo: 0, Hi: inf, HiOpen: true}},
	{Name: "max", Arity: 2, Variadic: true, Unicode: "max", LaTeX: `\max`, Doc: "maximum of two or more arguments; at a tie the first wins the derivative",
		Float: func(a []float64) float64 { return MaxOf(a) }, Big: bigMax},
	{Name: "min", Arity: 2, Variadic: true, Unicode: "min", LaTeX: `\min`, Doc: "minimum of two or more arguments; at a tie the first wins the derivative",
		Float: func(a []float64) float64 { return MinOf(a) }, Big: bigMin},
	{Name: "clip", Aliases: []string{"clamp"}, Arity: 3, Unicode: "clip", LaTeX: `\operatorname{clip}`, Doc: "clip(u, lo, hi) = min(max(u, lo), hi)",
		Float: func(a []float64) float64 { return math.Min(math.Max(a[0], a[1]), a[2]) }, Big: bigClip},
	{Name: "pi", Aliases: []string{"π"}, Arity: 0, Unicode: "π", LaTeX: `\pi`, Doc: "the constant π (written pi, without parentheses)",
		Float: func([]float64) float64 { return math.Pi }, Big: func(_ []*big.Float, prec uint) (*big.Float, error) { return bigmath.Pi(prec), nil },
		Image: Image{Known: true, Lo: 3.14159, Hi: 3.1416}},
	{Name: "delta", Aliases: []string{"δ"}, Arity: 2, Unicode: "δ", LaTeX: `\delta`, Doc: "Kronecker delta of two indices",
		Float: func(a []float64) float64 {
			if a[0] == a[1] {
				return 1
			}
			return 0
		}, Big: func(a []*big.Float, prec uint) (*big.Float, error) {
			if a[0].Cmp(a[1]) == 0 {
				return new(big.Float).SetPrec(prec).SetInt64(1), nil
			}
			return new(big.Float).SetPrec(prec), nil
		},
		Image: Image{Known: true, Lo: 0, Hi: 1}},
}

// big1 adapts a bigmath function of one argument to Func.Big.
func big1(f func(x *big.Float, prec uint) (*big.Float, error)) func([]*big.Float, uint) (*big.Float, error) {
	return func(a []*big.Float, prec uint) (*big.Float, error) { return f(a[0], prec) }
}

func normCDF(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }

// Sign is -1, 0 or 1 as x is negative, zero or positive.
func Sign(x float64) float64 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}

// Step is the Heaviside step with step(0) = 0: 1 for x > 0, else 0.
func Step(x float64) float64 {
	if x > 0 {
		return 1
	}
	return 0
}

// MaxOf returns the largest of its arguments (the first, at a tie).
func MaxOf(a []float64) float64 {
	m := a[0]
	for _, v := range a[1:] {
		if v > m {
			m = v
		}
	}
	return m
}

// MinOf returns the smallest of its arguments (the first, at a tie).
func MinOf(a []float64) float64 {
	m := a[0]
	for _, v := range a[1:] {
		if v < m {
			m = v
		}
	}
	return m
}

// IsConst reports whether f is a constant: a function of no arguments,
// written without parentheses (pi).
func (f *Func) IsConst() bool { return f.Arity == 0 }

// Sigmoid is 1/(1+exp(-x)), computed without overflow for large |x|.
func Sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

// Softplus is log(1+exp(x)), computed without overflow for large x.
func Softplus(x float64) float64 {
	if x > 0 {
		return x + math.Log1p(math.Exp(-x))
	}
	return math.Log1p(math.Exp(x))
}

var funcByName = func() map[string]*Func {
	m := map[string]*Func{}
	for _, f := range Funcs {
		m[f.Name] = f
		for _, a := range f.Aliases {
			m[a] = f
		}
	}
	return m
}()

// LookupFunc returns the built-in function spelled name (or an alias).
func LookupFunc(name string) (*Func, bool) {
	f, ok := funcByName[name]
	return f, ok
}

// FuncNames returns every accepted function spelling, sorted; used for
// "did you mean" suggestions and completion.
func FuncNames() []string {
	var names []string
	for n := range funcByName {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// EachFuncName calls f with every name FuncNames returns, in no order,
// without building the list.
func EachFuncName(f func(name string)) {
	for n := range funcByName {
		f(n)
	}
}

// greek maps the Latin spelling of Greek letters to the letter and its
// LaTeX command; printers use it so that lambda prints as λ or \lambda.
// It is built on first use: plain output never needs it.
var greek = sync.OnceValue(func() map[string][2]string {
	m := map[string][2]string{}
	lower := "alpha α beta β gamma γ delta δ epsilon ε zeta ζ eta η theta θ iota ι kappa κ lambda λ mu μ nu ν xi ξ " +
		"omicron ο pi π rho ρ sigma σ tau τ upsilon υ phi φ chi χ psi ψ omega ω"
	upper := "Gamma Γ Delta Δ Theta Θ Lambda Λ Xi Ξ Pi Π Sigma Σ Upsilon Υ Phi Φ Psi Ψ Omega Ω"
	for _, list := range []string{lower, upper} {
		f := strings.Fields(list)
		for i := 0; i+1 < len(f); i += 2 {
			tex := `\` + f[i]
			if f[i] == "omicron" {
				tex = "o"
			}
			m[f[i]] = [2]string{f[i+1], tex}
			m[f[i+1]] = [2]string{f[i+1], tex}
		}
	}
	return m
})
