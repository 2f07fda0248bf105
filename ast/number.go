package ast

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/bits"
	"strconv"
	"strings"
)

// A Number is an exact rational value. Small integers are held in an int64
// and every operation steps up to big.Rat only when the result does not fit,
// then normalises back down (as go/constant does), so the common case
// allocates nothing. The zero value is 0. Numbers are immutable values.
type Number struct {
	small int64
	rat   *big.Rat // non-nil when the value is not an int64; never mutated
}

// Limits on exact arithmetic, so that 2^(10^10) or a 10 MB literal stays a
// bounded computation instead of exhausting memory.
const (
	// MaxNumberBits bounds the size of numerator and denominator.
	MaxNumberBits = 1 << 16
	// maxDecimalExponent bounds the exponent of a literal like 1e-3.
	maxDecimalExponent = 10000
)

// ErrTooLarge is returned when an exact result would exceed MaxNumberBits.
var ErrTooLarge = errors.New("number too large for exact arithmetic")

// parseShort reads the common literals without math/big: up to 18 digits
// ("12", "0.25"), with no exponent.
func parseShort(lit string) (Number, bool) {
	if len(lit) == 0 || len(lit) > 19 {
		return Number{}, false
	}
	var v int64
	digits, point := 0, -1
	for i := 0; i < len(lit); i++ {
		c := lit[i]
		switch {
		case '0' <= c && c <= '9':
			v = v*10 + int64(c-'0')
			digits++
		case c == '.' && point < 0:
			point = i
		default:
			return Number{}, false
		}
	}
	if digits == 0 || digits > 18 || point == len(lit)-1 && digits == 0 {
		return Number{}, false
	}
	if point < 0 {
		return Int(v), true
	}
	scale := int64(1)
	for range len(lit) - 1 - point {
		scale *= 10
	}
	if scale == 1 {
		return Int(v), true // "2." has no fraction digits
	}
	return fromRat(big.NewRat(v, scale)), true
}

// Int returns the Number with integer value v.
func Int(v int64) Number { return Number{small: v} }

// Frac returns the Number a/b. It panics if b is zero (a programming error).
func Frac(a, b int64) Number {
	if b == 0 {
		panic("ast.Frac: zero denominator")
	}
	return fromRat(big.NewRat(a, b))
}

// FromRat returns the Number with the value of r (r is copied).
func FromRat(r *big.Rat) Number { return fromRat(new(big.Rat).Set(r)) }

// FromBigInt returns the Number with the value of i.
func FromBigInt(i *big.Int) Number { return fromRat(new(big.Rat).SetInt(i)) }

// fromRat takes ownership of r and normalises it to the small form if it can.
func fromRat(r *big.Rat) Number {
	if r.IsInt() && r.Num().IsInt64() {
		return Number{small: r.Num().Int64()}
	}
	return Number{rat: r}
}

// ParseNumber reads a decimal literal: digits, an optional fraction and an
// optional exponent ("12", "0.1", "1e-3", "2.5E+4"). The value is exact.
func ParseNumber(lit string) (Number, error) {
	if v, ok := parseShort(lit); ok {
		return v, nil
	}
	return parseLong(lit)
}

// parseLong reads any literal with math/big.
func parseLong(lit string) (Number, error) {
	mant, exp := lit, ""
	if i := strings.IndexAny(lit, "eE"); i >= 0 {
		mant, exp = lit[:i], lit[i+1:]
	}
	intPart, frac := mant, ""
	if i := strings.IndexByte(mant, '.'); i >= 0 {
		intPart, frac = mant[:i], mant[i+1:]
	}
	digits := intPart + frac
	if digits == "" || !allDigits(digits) {
		return Number{}, fmt.Errorf("malformed number %q", lit)
	}
	e := -len(frac)
	if exp != "" {
		sign := 1
		switch exp[0] {
		case '+':
			exp = exp[1:]
		case '-':
			sign, exp = -1, exp[1:]
		}
		if exp == "" || !allDigits(exp) {
			return Number{}, fmt.Errorf("malformed exponent in number %q", lit)
		}
		exp = strings.TrimLeft(exp, "0") // 1e0003 is 1e3
		if len(exp) > 6 {
			return Number{}, fmt.Errorf("exponent of %s is too large (the limit is ±%d)", shortLiteral(lit), maxDecimalExponent)
		}
		v := 0
		for _, c := range exp {
			v = v*10 + int(c-'0')
		}
		e += sign * v
	}
	// The limits are on the value, not on its spelling: 100e9999 is 1e10001
	// and 0.0010 is 1e-3. (So every number read prints as one that reads.)
	digits = strings.TrimLeft(digits, "0")
	if digits == "" {
		return Int(0), nil
	}
	sig := strings.TrimRight(digits, "0")
	e += len(digits) - len(sig)
	digits = sig
	if e > maxDecimalExponent || e < -maxDecimalExponent || len(digits) > maxDecimalExponent {
		return Number{}, fmt.Errorf("number %s is too large (the limit is %d digits and exponents up to ±%d)", shortLiteral(lit), maxDecimalExponent, maxDecimalExponent)
	}
	n, ok := new(big.Int).SetString(digits, 10)
	if !ok {
		return Number{}, fmt.Errorf("malformed number %q", lit)
	}
	r := new(big.Rat).SetInt(n)
	if e != 0 {
		p := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(abs(e))), nil)
		if e > 0 {
			r.Mul(r, new(big.Rat).SetInt(p))
		} else {
			r.Quo(r, new(big.Rat).SetInt(p))
		}
	}
	return fromRat(r), nil
}

// shortLiteral quotes a literal for a message, eliding the middle of a long
// one: a 10,000-digit number should not fill the screen.
func shortLiteral(lit string) string {
	if len(lit) <= 40 {
		return fmt.Sprintf("%q", lit)
	}
	return fmt.Sprintf("%q (%d characters)", lit[:16]+"…"+lit[len(lit)-16:], len(lit))
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// Rat returns the value as a new big.Rat.
func (x Number) Rat() *big.Rat {
	if x.rat != nil {
		return new(big.Rat).Set(x.rat)
	}
	return new(big.Rat).SetInt64(x.small)
}

// ratView returns the value as a big.Rat that must not be modified.
func (x Number) ratView() *big.Rat {
	if x.rat != nil {
		return x.rat
	}
	return new(big.Rat).SetInt64(x.small)
}

// same reports whether x and y are the same number in the same form (as
// every Number is normalised, the same value).
func (x Number) same(y Number) bool {
	if x.rat == nil || y.rat == nil {
		return x.rat == nil && y.rat == nil && x.small == y.small
	}
	return x.rat.Cmp(y.rat) == 0
}

// Int64 returns the value and true if it is an integer that fits an int64.
func (x Number) Int64() (int64, bool) { return x.small, x.rat == nil }

// IsInt reports whether the value is an integer.
func (x Number) IsInt() bool { return x.rat == nil || x.rat.IsInt() }

// Sign returns -1, 0 or +1.
func (x Number) Sign() int {
	if x.rat != nil {
		return x.rat.Sign()
	}
	switch {
	case x.small < 0:
		return -1
	case x.small > 0:
		return 1
	}
	return 0
}

// IsZero reports whether x is 0.
func (x Number) IsZero() bool { return x.rat == nil && x.small == 0 }

// IsOne reports whether x is 1.
func (x Number) IsOne() bool { return x.rat == nil && x.small == 1 }

// Equal reports whether x and y have the same value.
func (x Number) Equal(y Number) bool { return x.Cmp(y) == 0 }

// Cmp compares x and y and returns -1, 0 or +1.
func (x Number) Cmp(y Number) int {
	if x.rat == nil && y.rat == nil {
		switch {
		case x.small < y.small:
			return -1
		case x.small > y.small:
			return 1
		}
		return 0
	}
	return x.ratView().Cmp(y.ratView())
}

// Num returns the numerator and Denom the (positive) denominator.
func (x Number) Num() *big.Int { return new(big.Int).Set(x.ratView().Num()) }

// Denom returns the positive denominator of x.
func (x Number) Denom() *big.Int { return new(big.Int).Set(x.ratView().Denom()) }

// Bits is the size of x: the larger bit length of numerator and denominator.
func (x Number) Bits() int {
	if x.rat == nil {
		return bits.Len64(uint64(x.small)) // negative values count as 64 bits: fine for a bound
	}
	return max(x.rat.Num().BitLen(), x.rat.Denom().BitLen())
}

// Neg returns -x.
func (x Number) Neg() Number {
	if x.rat == nil && x.small != math.MinInt64 {
		return Number{small: -x.small}
	}
	return fromRat(new(big.Rat).Neg(x.ratView()))
}

// Add returns x + y. It does not enforce MaxNumberBits (its operands
// are within it, so the sum is at most twice as large): code that folds a
// user's constants uses AddChecked.
func (x Number) Add(y Number) Number {
	if x.rat == nil && y.rat == nil {
		r := x.small + y.small // wraps on overflow, detected below
		if (x.small >= 0) != (y.small >= 0) || (r >= 0) == (x.small >= 0) {
			return Number{small: r}
		}
	}
	return fromRat(new(big.Rat).Add(x.ratView(), y.ratView()))
}

// AddChecked returns x + y, or ErrTooLarge when numerator or denominator
// of the sum would exceed MaxNumberBits. Results built from a user's input
// (folding constants) go through it, as powers go through PowInt.
func (x Number) AddChecked(y Number) (Number, error) {
	r := x.Add(y)
	if r.Bits() > MaxNumberBits {
		return Number{}, ErrTooLarge
	}
	return r, nil
}

// Sub returns x - y.
func (x Number) Sub(y Number) Number { return x.Add(y.Neg()) }

// Mul returns x * y. Like Add, it does not enforce MaxNumberBits; code
// that folds a user's constants uses MulChecked.
func (x Number) Mul(y Number) Number {
	if x.rat == nil && y.rat == nil {
		hi, lo := bits.Mul64(uint64(absInt64(x.small)), uint64(absInt64(y.small)))
		if hi == 0 && lo <= math.MaxInt64 && x.small != math.MinInt64 && y.small != math.MinInt64 {
			r := int64(lo)
			if (x.small < 0) != (y.small < 0) {
				r = -r
			}
			return Number{small: r}
		}
	}
	return fromRat(new(big.Rat).Mul(x.ratView(), y.ratView()))
}

// MulChecked returns x * y, or ErrTooLarge when numerator or denominator
// of the product would exceed MaxNumberBits (2^30000 * 2^30000 * 2^30000
// is refused, as 2^90000 is by PowInt). Operands whose sizes add up to
// more than twice the limit are refused before anything is multiplied.
func (x Number) MulChecked(y Number) (Number, error) {
	if x.IsZero() || y.IsZero() {
		return Int(0), nil
	}
	if x.Bits()+y.Bits() > 2*MaxNumberBits+2 {
		return Number{}, ErrTooLarge
	}
	r := x.Mul(y)
	if r.Bits() > MaxNumberBits {
		return Number{}, ErrTooLarge
	}
	return r, nil
}

func absInt64(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// Quo returns x / y and false if y is zero.
func (x Number) Quo(y Number) (Number, bool) {
	if y.IsZero() {
		return Number{}, false
	}
	if x.rat == nil && y.rat == nil && y.small != 0 && x.small%y.small == 0 && !(x.small == math.MinInt64 && y.small == -1) {
		return Number{small: x.small / y.small}, true
	}
	return fromRat(new(big.Rat).Quo(x.ratView(), y.ratView())), true
}

// Inv returns 1/x and false if x is zero.
func (x Number) Inv() (Number, bool) { return Int(1).Quo(x) }

// PowInt returns x^k for an integer k. It fails for 0^negative and when the
// result would exceed MaxNumberBits.
func (x Number) PowInt(k int64) (Number, error) {
	if k == 0 {
		return Int(1), nil
	}
	if x.IsZero() {
		if k < 0 {
			return Number{}, errors.New("division by zero")
		}
		return Int(0), nil
	}
	if x.Cmp(Int(1)) == 0 {
		return x, nil
	}
	if x.Cmp(Int(-1)) == 0 {
		if k%2 == 0 {
			return Int(1), nil
		}
		return x, nil
	}
	ak := k
	if ak < 0 {
		ak = -ak
	}
	// A b-bit value to the power k has between (b-1)k+1 and bk bits:
	// refuse before computing when even the lower bound is too large, and
	// check the result otherwise (2^60000 fits, 3^60000 does not).
	if ak < 0 || int64(x.Bits()-1)*ak+1 > MaxNumberBits {
		return Number{}, ErrTooLarge
	}
	r := x.ratView()
	num := new(big.Int).Exp(r.Num(), big.NewInt(ak), nil)
	den := new(big.Int).Exp(r.Denom(), big.NewInt(ak), nil)
	if num.BitLen() > MaxNumberBits || den.BitLen() > MaxNumberBits {
		return Number{}, ErrTooLarge
	}
	if k < 0 {
		num, den = den, num
	}
	return fromRat(new(big.Rat).SetFrac(num, den)), nil
}

// Root returns the exact q-th root of x when it is rational (x^(1/q)), and
// false otherwise (including even roots of negative numbers).
func (x Number) Root(q int64) (Number, bool) {
	if q <= 0 || q > 64 {
		return Number{}, false
	}
	if q == 1 {
		return x, true
	}
	if x.Sign() < 0 {
		if q%2 == 0 {
			return Number{}, false
		}
		r, ok := x.Neg().Root(q)
		return r.Neg(), ok
	}
	num, ok1 := intRoot(x.ratView().Num(), q)
	den, ok2 := intRoot(x.ratView().Denom(), q)
	if !ok1 || !ok2 {
		return Number{}, false
	}
	return fromRat(new(big.Rat).SetFrac(num, den)), true
}

// intRoot returns the exact q-th root of a non-negative integer, if any.
func intRoot(n *big.Int, q int64) (*big.Int, bool) {
	if n.Sign() == 0 || n.Cmp(big.NewInt(1)) == 0 {
		return new(big.Int).Set(n), true
	}
	// Newton's method on integers from an upper bound 2^ceil(bitlen/q).
	x := new(big.Int).Lsh(big.NewInt(1), uint((n.BitLen()+int(q)-1)/int(q)))
	qb := big.NewInt(q)
	q1 := big.NewInt(q - 1)
	for {
		// y = ((q-1)x + n / x^(q-1)) / q
		p := new(big.Int).Exp(x, q1, nil)
		y := new(big.Int).Quo(n, p)
		y.Add(y, new(big.Int).Mul(q1, x))
		y.Quo(y, qb)
		if y.Cmp(x) >= 0 {
			break
		}
		x = y
	}
	if new(big.Int).Exp(x, qb, nil).Cmp(n) == 0 {
		return x, true
	}
	return nil, false
}

// Float64 returns the nearest float64 (±Inf when out of range).
func (x Number) Float64() float64 {
	if x.rat == nil {
		return float64(x.small)
	}
	f, _ := x.rat.Float64()
	return f
}

// String returns the exact value as an integer, a terminating decimal
// ("0.1", "-2.5") when that is short, or a fraction "p/q".
func (x Number) String() string {
	if x.rat == nil {
		return strconv.FormatInt(x.small, 10)
	}
	if s, ok := x.Decimal(); ok {
		return s
	}
	return x.rat.Num().String() + "/" + x.rat.Denom().String()
}

// maxDecimalDigits is the longest fraction printed as a decimal; beyond it
// p/q is clearer than a wall of digits.
const maxDecimalDigits = 20

// Decimal returns x as an exact decimal literal if its denominator has no
// prime factors other than 2 and 5. The literal is plain ("0.001") when
// that is reasonably short, and in exponent form ("1.5e-21") when the plain
// form would have more than maxDecimalDigits digits after the point or be
// longer than a literal may be (so that every number the parser reads
// prints as a literal that reads back as the same number).
func (x Number) Decimal() (string, bool) {
	if x.IsInt() {
		s := x.ratView().Num().String()
		if len(s) > maxDecimalExponent {
			if t := strings.TrimRight(s, "0"); len(t) < len(s) {
				return exponentForm(t, len(s)-len(t)), true
			}
		}
		return s, true
	}
	// Count the factors 2 and 5 of the denominator, the fives 27 at a time
	// (5^27 fits a word) so that 1e-9999 is not thousands of divisions.
	d := new(big.Int).Set(x.rat.Denom())
	twos := int(d.TrailingZeroBits())
	d.Rsh(d, uint(twos))
	fives := 0
	two, five := big.NewInt(2), big.NewInt(5)
	q, m := new(big.Int), new(big.Int)
	for _, f := range []struct {
		div *big.Int
		n   int
	}{{new(big.Int).Exp(five, big.NewInt(27), nil), 27}, {five, 1}} {
		for {
			q.QuoRem(d, f.div, m)
			if m.Sign() != 0 {
				break
			}
			d, q = q, d
			fives += f.n
		}
	}
	if d.Cmp(big.NewInt(1)) != 0 {
		return "", false
	}
	digits := max(twos, fives)
	if digits > maxDecimalDigits {
		// x = m * 10^-digits for an integer m (not a multiple of 10).
		m := new(big.Int).Mul(x.rat.Num(), new(big.Int).Exp(two, big.NewInt(int64(digits-twos)), nil))
		m.Mul(m, new(big.Int).Exp(five, big.NewInt(int64(digits-fives)), nil))
		return exponentForm(m.String(), -digits), true
	}
	return x.rat.FloatString(digits), true
}

// exponentForm writes m * 10^e, for the decimal digits m of an integer
// (maybe with a sign), as d.ddde±n: 15, -22 gives 1.5e-21.
func exponentForm(m string, e int) string {
	sign := ""
	if strings.HasPrefix(m, "-") {
		sign, m = "-", m[1:]
	}
	e += len(m) - 1
	if len(m) > 1 {
		m = m[:1] + "." + m[1:]
	}
	return sign + m + "e" + fmt.Sprint(e)
}

// Key is a canonical string for the exact value, used for interning.
func (x Number) Key() string {
	if x.rat == nil {
		return strconv.FormatInt(x.small, 10)
	}
	return x.rat.String()
}
