package ast

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
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

// ParseValue reads a binding's value: a number (0.3, -2, 1e-3) or nested
// lists of numbers ([1,0,1], [[1,2],[3,4]]) of a regular shape.
func ParseValue(s string) (Value, error) {
	s = strings.TrimSpace(s)
	if num, den, ok := strings.Cut(s, "/"); ok && !strings.HasPrefix(s, "[") {
		// A fraction such as 1/3, as an exact counterexample prints.
		r, ok := new(big.Rat).SetString(strings.TrimSpace(num) + "/" + strings.TrimSpace(den))
		if !ok || strings.ContainsAny(den, ".eE+-") {
			return Value{}, fmt.Errorf("%q is not a number or a list of numbers", s)
		}
		return RatScalar(r), nil
	}
	if !strings.HasPrefix(s, "[") {
		f, r, err := parseNumber(s)
		if err != nil {
			return Value{}, err
		}
		v := Scalar(f)
		if r != nil {
			v.Exact = []*big.Rat{r}
		}
		return v, nil
	}
	var raw any
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		return Value{}, fmt.Errorf("%q is not a list of numbers: %w", s, err)
	}
	if rest := strings.TrimSpace(s[dec.InputOffset():]); rest != "" {
		return Value{}, fmt.Errorf("%q is not a list of numbers: unexpected %q after the list", s, rest)
	}
	var v Value
	var exact []*big.Rat // each entry's rational where its float64 is not it
	inexact := false
	var rec func(x any, dim int) error
	rec = func(x any, dim int) error {
		switch x := x.(type) {
		case []any:
			if dim == len(v.Shape) {
				if len(v.Data) > 0 {
					return errors.New("the list is not regular (rows of different depth)")
				}
				v.Shape = append(v.Shape, len(x))
			} else if v.Shape[dim] != len(x) {
				return fmt.Errorf("the list is not regular (rows of length %d and %d)", v.Shape[dim], len(x))
			}
			if len(x) == 0 {
				return errors.New("empty lists have no values")
			}
			for _, e := range x {
				if err := rec(e, dim+1); err != nil {
					return err
				}
			}
		case json.Number:
			if dim != len(v.Shape) {
				return errors.New("the list is not regular (numbers and lists mixed)")
			}
			f, r, err := parseNumber(string(x))
			if err != nil {
				return err
			}
			v.Data = append(v.Data, f)
			exact = append(exact, r)
			inexact = inexact || r != nil
		default:
			return fmt.Errorf("%v is not a number", x)
		}
		return nil
	}
	if err := rec(raw, 0); err != nil {
		return Value{}, fmt.Errorf("%q: %w", s, err)
	}
	if inexact {
		// Exact is all or nothing: every entry, the ones float64 holds too.
		for i, r := range exact {
			if r == nil {
				exact[i] = new(big.Rat).SetFloat64(v.Data[i])
			}
		}
		v.Exact = exact
	}
	return v, nil
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
