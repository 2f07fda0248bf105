package ast

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
)

// Values bound to names for evaluation, and how a user's text becomes one.

// A Value is a binding for a name: a scalar, or a vector or matrix (any
// rank) for an indexed name, row-major, indices 1-based.
type Value struct {
	Shape []int // nil for a scalar
	Data  []float64
	// Exact, when set, holds the exact rational each entry stands for
	// where Data has only its nearest float64 (x = 1/3); exact evaluation
	// reads it, float64 evaluation reads Data.
	Exact []*big.Rat
}

// RatScalar returns a scalar Value that is exactly r.
func RatScalar(r *big.Rat) Value {
	f, _ := r.Float64()
	return Value{Data: []float64{f}, Exact: []*big.Rat{new(big.Rat).Set(r)}}
}

// Scalar returns a scalar Value.
func Scalar(v float64) Value { return Value{Data: []float64{v}} }

// Bindings maps names to values.
type Bindings map[string]Value

func (v Value) String() string {
	if v.Shape == nil {
		return v.entryText(0)
	}
	var b strings.Builder
	var rec func(dim, off int) int
	rec = func(dim, off int) int {
		b.WriteString("[")
		for i := 0; i < v.Shape[dim]; i++ {
			if i > 0 {
				b.WriteString(",")
			}
			if dim == len(v.Shape)-1 {
				b.WriteString(v.entryText(off))
				off++
			} else {
				off = rec(dim+1, off)
			}
		}
		b.WriteString("]")
		return off
	}
	rec(0, 0)
	return b.String()
}

// entryText prints entry i so that it reads back as the same binding: the
// float64 where that is the number, else the exact number, as a decimal
// where it is one (0.10000000000000000001, 1e-400), as a fraction where
// not (1/3, not 0.3333333333333333).
func (v Value) entryText(i int) string {
	if v.Exact != nil {
		r := v.Exact[i]
		if d, ok := DecimalRat(v.Data[i]); !ok || d.Cmp(r) != 0 {
			if t, ok := decimalText(r); ok {
				return t
			}
			return r.RatString()
		}
	}
	return strconv.FormatFloat(v.Data[i], 'g', -1, 64)
}

// decimalText writes r as a decimal, in strconv's 'g' style (exponent
// form below 1e-4 and from 1e21 on), where r is one: its denominator has
// no prime factors but 2 and 5.
func decimalText(r *big.Rat) (string, bool) {
	den := new(big.Int).Set(r.Denom())
	twos := den.TrailingZeroBits()
	den.Rsh(den, twos)
	fives := uint(0)
	five, m := big.NewInt(5), new(big.Int)
	for den.Cmp(big.NewInt(1)) != 0 {
		q, rem := new(big.Int).QuoRem(den, five, m)
		if rem.Sign() != 0 {
			return "", false
		}
		den = q
		fives++
	}
	k := max(twos, fives) // r = n/10^k with n whole
	n := new(big.Int).Mul(r.Num(), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(k)), nil))
	n.Quo(n, r.Denom())
	sign := ""
	if n.Sign() < 0 {
		sign = "-"
		n.Neg(n)
	}
	digits := n.String()
	exp := -int(k) // r = digits * 10^exp
	if trimmed := strings.TrimRight(digits, "0"); trimmed != "" {
		exp += len(digits) - len(trimmed)
		digits = trimmed
	} else {
		return "0", true
	}
	sci := exp + len(digits) - 1 // r = d.ddd * 10^sci
	switch {
	case sci < -4 || sci >= 21:
		t := digits[:1]
		if len(digits) > 1 {
			t += "." + digits[1:]
		}
		es := "e+"
		if sci < 0 {
			es, sci = "e-", -sci
		}
		return fmt.Sprintf("%s%s%s%02d", sign, t, es, sci), true
	case exp >= 0:
		return sign + digits + strings.Repeat("0", exp), true
	case -exp < len(digits):
		return sign + digits[:len(digits)+exp] + "." + digits[len(digits)+exp:], true
	}
	return sign + "0." + strings.Repeat("0", -exp-len(digits)) + digits, true
}

// A ValueError is a mistake in the text of a binding's value: Offset is
// the byte of the text, as given to ParseValue, where it goes wrong (its
// length where the text ends too early), so that a caller can put a caret
// under it.
type ValueError struct {
	Offset int
	msg    string
}

func (e *ValueError) Error() string { return e.msg }

// ParseValue reads a binding's value: a number (0.3, -2, 1e-3) or nested
// lists of numbers ([1,0,1], [[1,2],[3,4]]) of a regular shape. An error
// is a *ValueError that says where the text goes wrong.
func ParseValue(text string) (Value, error) {
	lead := len(text) - len(strings.TrimLeftFunc(text, isValueSpace))
	s := strings.TrimRightFunc(text[lead:], isValueSpace)
	fail := func(off int, format string, args ...any) error {
		return &ValueError{Offset: lead + off, msg: fmt.Sprintf(format, args...)}
	}
	if num, den, ok := strings.Cut(s, "/"); ok && !strings.HasPrefix(s, "[") {
		// A fraction such as 1/3, as an exact counterexample prints.
		r, ok := new(big.Rat).SetString(strings.TrimSpace(num) + "/" + strings.TrimSpace(den))
		if !ok || strings.ContainsAny(den, ".eE+-") {
			off := len(num) + 1 // the denominator, unless the numerator is what is wrong
			if _, ok := new(big.Rat).SetString(strings.TrimSpace(num)); !ok {
				off = numberFault(num)
			}
			return Value{}, fail(off, "%q is not a number or a list of numbers", s)
		}
		return RatScalar(r), nil
	}
	if !strings.HasPrefix(s, "[") {
		f, r, err := parseNumber(s)
		if err != nil {
			return Value{}, fail(numberFault(s), "%s", err)
		}
		v := Scalar(f)
		if r != nil {
			v.Exact = []*big.Rat{r}
		}
		return v, nil
	}
	lp := listParser{s: s}
	v, err := lp.parse()
	if err != nil {
		var le *listError
		if errors.As(err, &le) {
			if le.regular {
				return Value{}, fail(le.off, "%q: %s", s, le.msg)
			}
			return Value{}, fail(le.off, "%q is not a list of numbers: %s", s, le.msg)
		}
		return Value{}, err
	}
	return v, nil
}

func isValueSpace(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' }

// A listError is a mistake at byte off of a list's text; regular says it
// is one of shape (rows of different lengths or depths, an entry that is
// no number), not of brackets and commas.
type listError struct {
	off     int
	msg     string
	regular bool
}

func (e *listError) Error() string { return e.msg }

// listParser reads nested lists of numbers, row-major, checking as it
// goes that the shape is regular.
type listParser struct {
	s     string
	i     int
	v     Value
	exact []*big.Rat // each entry's rational where its float64 is not it
	depth int        // lists open
}

func (p *listParser) parse() (Value, error) {
	if err := p.list(0); err != nil {
		return Value{}, err
	}
	p.space()
	if p.i < len(p.s) {
		return Value{}, &listError{off: p.i, msg: fmt.Sprintf("unexpected %q after the list", p.s[p.i:])}
	}
	if slices.ContainsFunc(p.exact, func(r *big.Rat) bool { return r != nil }) {
		// Exact is all or nothing: every entry, the ones float64 holds too.
		for i, r := range p.exact {
			if r == nil {
				p.exact[i] = new(big.Rat).SetFloat64(p.v.Data[i])
			}
		}
		p.v.Exact = p.exact
	}
	return p.v, nil
}

func (p *listParser) space() {
	for p.i < len(p.s) && isValueSpace(rune(p.s[p.i])) {
		p.i++
	}
}

// end is the error of a text that ends while lists are open.
func (p *listParser) end() error {
	msg := "it ends before the list is closed: a \"]\" is missing"
	if p.depth > 1 {
		msg = fmt.Sprintf("it ends before %d lists are closed: %d \"]\" are missing", p.depth, p.depth)
	}
	return &listError{off: len(p.s), msg: msg}
}

// maxValueDims bounds the dimensions of a value written as lists.
const maxValueDims = 64

// list reads the list that starts at p.i, at depth dim of the shape.
func (p *listParser) list(dim int) error {
	open := p.i
	if dim == maxValueDims {
		// Each list nests a call: a line of a million "[" would
		// otherwise take the stack past its limit, which no recover
		// catches.
		return &listError{off: open, msg: fmt.Sprintf("lists nested more than %d deep", maxValueDims)}
	}
	p.i++ // the "["
	p.depth++
	if dim == len(p.v.Shape) {
		if len(p.v.Data) > 0 {
			return &listError{off: open, msg: "the list is not regular (rows of different depth)", regular: true}
		}
		p.v.Shape = append(p.v.Shape, -1) // its length, when this list ends
	}
	n, extra := 0, -1 // extra: where a row longer than the first goes past its length
	for {
		p.space()
		if p.i == len(p.s) {
			return p.end()
		}
		switch c := p.s[p.i]; {
		case c == ']' && n == 0:
			return &listError{off: p.i, msg: "empty lists have no values", regular: true}
		case c == ']' || c == ',':
			return &listError{off: p.i, msg: fmt.Sprintf("an entry is missing before %q", string(c))}
		}
		if p.v.Shape[dim] >= 0 && n == p.v.Shape[dim] && extra < 0 {
			extra = p.i
		}
		if err := p.entry(dim); err != nil {
			return err
		}
		n++
		p.space()
		if p.i == len(p.s) {
			return p.end()
		}
		switch p.s[p.i] {
		case ',':
			p.i++
			continue
		case ']':
		default:
			return &listError{off: p.i, msg: "expected \",\" or \"]\" after an entry"}
		}
		if p.v.Shape[dim] >= 0 && n != p.v.Shape[dim] {
			at := p.i // a row too short goes wrong where it ends
			if extra >= 0 {
				at = extra
			}
			return &listError{off: at, msg: fmt.Sprintf("the list is not regular (rows of length %d and %d)", p.v.Shape[dim], n), regular: true}
		}
		p.v.Shape[dim] = n
		p.i++
		p.depth--
		return nil
	}
}

// entry reads the entry at p.i of a list at depth dim: a list or a number.
func (p *listParser) entry(dim int) error {
	if p.s[p.i] == '[' {
		return p.list(dim + 1)
	}
	start := p.i
	for p.i < len(p.s) && !strings.ContainsRune(",[] \t\n\r", rune(p.s[p.i])) {
		p.i++
	}
	tok := p.s[start:p.i]
	if tok == "" { // a "[" right after a number: 1[2]
		return &listError{off: p.i, msg: "expected \",\" or \"]\" after an entry"}
	}
	f, r, err := parseNumber(tok)
	if err != nil {
		msg := err.Error()
		if m, ok := strings.CutSuffix(msg, " or a list of numbers"); ok {
			msg = m // an entry of a list is a number
		}
		return &listError{off: start + numberFault(tok), msg: msg, regular: true}
	}
	if dim != len(p.v.Shape)-1 {
		return &listError{off: start, msg: "the list is not regular (numbers and lists mixed)", regular: true}
	}
	p.v.Data = append(p.v.Data, f)
	p.exact = append(p.exact, r)
	return nil
}

// numberFault is where s, which is not a number parseNumber takes, goes
// wrong: the first byte that no decimal number can go on with (the a of
// 12a, the second . of 1.2.3), the end where it stops too early (1e, -),
// and the start where it is a whole decimal number or hexadecimal one
// that is refused as a value (1e400, NaN read as a word is at its N).
func numberFault(s string) int {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	if strings.HasPrefix(strings.ToLower(s[i:]), "0x") {
		return 0
	}
	digits := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i, digits = i+1, digits+1
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i, digits = i+1, digits+1
		}
	}
	if digits == 0 {
		return i
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		expDigits := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i, expDigits = i+1, expDigits+1
		}
		if expDigits == 0 {
			return i
		}
	}
	if i < len(s) {
		return i
	}
	return 0 // a decimal number, refused for its size
}

// maxDecimalSize bounds a written number's digits plus the size of its
// exponent: 10^4000 is 13,288 bits, within what exact evaluation keeps
// exact (maxExactBits); 1e-99999999 would take 330 million.
const maxDecimalSize = 4000

// parseNumber reads a number as written: its float64, and where that
// float64 is not the number itself (0.1, 1e-400), the number exactly, so
// that x - 0.1 at x = 0.1 is 0 as it is in the expression's own
// constants. Hexadecimal floats are binary fractions: no rational is kept
// for them. A number beyond float64's range is an error; one below it
// (1e-400) is bound as its exact value, whose float64 is 0.
func parseNumber(s string) (float64, *big.Rat, error) {
	f, err := strconv.ParseFloat(s, 64)
	if math.IsInf(f, 0) && err != nil && !strings.ContainsAny(s, "nN") {
		return 0, nil, fmt.Errorf("%q is beyond the range of a float64 (about 1.8e308)", s)
	}
	if err != nil {
		return 0, nil, fmt.Errorf("%q is not a number or a list of numbers", s)
	}
	if math.IsInf(f, 0) || math.IsNaN(f) { // ParseFloat reads "NaN" and "Inf"
		return 0, nil, fmt.Errorf("%q is not a finite number", s)
	}
	size, ok := decimalSize(s)
	if !ok {
		return f, nil, nil // hexadecimal: a binary fraction, exact in f
	}
	if size > maxDecimalSize {
		return 0, nil, fmt.Errorf("%q has too many digits or too large an exponent to be bound exactly (digits and exponent up to %d)", s, maxDecimalSize)
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return 0, nil, fmt.Errorf("%q is not a number or a list of numbers", s)
	}
	if new(big.Rat).SetFloat64(f).Cmp(r) == 0 {
		return f, nil, nil // 0.5, 3: float64 holds it
	}
	return f, r, nil
}

// decimalSize is the count of s's digits plus the magnitude of its
// exponent, for a decimal number s (ok false for anything else).
func decimalSize(s string) (int, bool) {
	mant, exp, hasExp := strings.Cut(strings.ToLower(s), "e")
	mant = strings.TrimLeft(mant, "+-")
	if mant == "" || strings.HasPrefix(mant, "0x") {
		return 0, false
	}
	digits := 0
	for _, c := range mant {
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c != '.':
			return 0, false
		}
	}
	if !hasExp {
		return digits, true
	}
	exp = strings.TrimLeft(exp, "+-")
	if exp == "" || len(exp) > 9 {
		return maxDecimalSize + 1, exp != ""
	}
	n, err := strconv.Atoi(exp)
	if err != nil {
		return 0, false
	}
	return digits + n, true
}
