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

// A Number is an exact rational value. Integers that fit an int64 are held
// in one, fractions whose numerator and denominator fit are held as the
// two int64s in lowest terms, and every operation steps up to big.Rat only
// when the result does not fit, then normalises back down (as go/constant
// does), so the common case allocates nothing. Each value has exactly one
// form. The zero value is 0. Numbers are immutable values.
type Number struct {
	small int64    // the integer, or the numerator of a small fraction
	den   int64    // 0 for an integer; the denominator (> 1, coprime to small) of a small fraction
	rat   *big.Rat // non-nil when the value fits neither form; never mutated
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
	return smallFrac(v, scale), true
}

// Int returns the Number with integer value v.
func Int(v int64) Number { return Number{small: v} }

// Frac returns the Number a/b. It panics if b is zero (a programming error).
func Frac(a, b int64) Number {
	if b == 0 {
		panic("ast.Frac: zero denominator")
	}
	return smallFrac(a, b)
}

// smallFrac returns a/b (b not 0) in its normal form.
func smallFrac(a, b int64) Number {
	if b < 0 {
		if a == math.MinInt64 || b == math.MinInt64 {
			return fromRat(big.NewRat(a, b))
		}
		a, b = -a, -b
	}
	g := gcd64(absU64(a), uint64(b))
	a, b = a/int64(g), b/int64(g)
	if b == 1 {
		return Number{small: a}
	}
	return Number{small: a, den: b}
}

// gcd64 is the greatest common divisor (gcd(0, b) = b).
func gcd64(a, b uint64) uint64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// absU64 is |v| (MinInt64 included).
func absU64(v int64) uint64 {
	if v < 0 {
		return uint64(-v) // -MinInt64 wraps to 2^63, its absolute value as a uint64
	}
	return uint64(v)
}

// FromRat returns the Number with the value of r (r is copied).
func FromRat(r *big.Rat) Number { return fromRat(new(big.Rat).Set(r)) }

// FromBigInt returns the Number with the value of i.
func FromBigInt(i *big.Int) Number { return fromRat(new(big.Rat).SetInt(i)) }

// fromRat takes ownership of r and normalises it to the small form if it can.
func fromRat(r *big.Rat) Number {
	if r.Num().IsInt64() {
		if r.IsInt() {
			return Number{small: r.Num().Int64()}
		}
		if r.Denom().IsInt64() {
			return Number{small: r.Num().Int64(), den: r.Denom().Int64()}
		}
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
	switch {
	case x.rat != nil:
		return new(big.Rat).Set(x.rat)
	case x.den != 0:
		return new(big.Rat).SetFrac64(x.small, x.den)
	}
	return new(big.Rat).SetInt64(x.small)
}

// ratView returns the value as a big.Rat that must not be modified.
func (x Number) ratView() *big.Rat {
	if x.rat != nil {
		return x.rat
	}
	return x.Rat()
}

// same reports whether x and y are the same number in the same form (as
// every Number is normalised, the same value).
func (x Number) same(y Number) bool {
	if x.rat == nil || y.rat == nil {
		return x.rat == nil && y.rat == nil && x.small == y.small && x.den == y.den
	}
	return x.rat.Cmp(y.rat) == 0
}

// isInt64 reports whether x is held as an int64 integer.
func (x Number) isInt64() bool { return x.rat == nil && x.den == 0 }

// Int64 returns the value and true if it is an integer that fits an int64.
func (x Number) Int64() (int64, bool) {
	if !x.isInt64() {
		return 0, false
	}
	return x.small, true
}

// IsInt reports whether the value is an integer.
func (x Number) IsInt() bool {
	if x.rat == nil {
		return x.den == 0
	}
	return x.rat.IsInt()
}

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
func (x Number) IsZero() bool { return x.isInt64() && x.small == 0 }

// IsOne reports whether x is 1.
func (x Number) IsOne() bool { return x.isInt64() && x.small == 1 }

// Equal reports whether x and y have the same value.
func (x Number) Equal(y Number) bool { return x.Cmp(y) == 0 }

// Cmp compares x and y and returns -1, 0 or +1.
func (x Number) Cmp(y Number) int {
	if x.isInt64() && y.isInt64() {
		switch {
		case x.small < y.small:
			return -1
		case x.small > y.small:
			return 1
		}
		return 0
	}
	if x.rat == nil && y.rat == nil {
		// a/b against c/d: by sign, then |a|*d against |c|*b in 128 bits.
		sx, sy := x.Sign(), y.Sign()
		if sx != sy || sx == 0 {
			return cmpInt(sx, sy)
		}
		hx, lx := bits.Mul64(absU64(x.small), uint64(max(y.den, 1)))
		hy, ly := bits.Mul64(absU64(y.small), uint64(max(x.den, 1)))
		c := cmpU128(hx, lx, hy, ly)
		return c * sx
	}
	return x.ratView().Cmp(y.ratView())
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func cmpU128(h1, l1, h2, l2 uint64) int {
	switch {
	case h1 != h2 && h1 < h2, h1 == h2 && l1 < l2:
		return -1
	case h1 != h2, l1 > l2:
		return 1
	}
	return 0
}

// Parts returns the numerator and the (positive) denominator as Numbers.
func (x Number) Parts() (num, den Number) {
	switch {
	case x.isInt64():
		return x, Int(1)
	case x.rat == nil:
		return Int(x.small), Int(x.den)
	}
	return FromBigInt(x.rat.Num()), FromBigInt(x.rat.Denom())
}

// Num returns the numerator and Denom the (positive) denominator.
func (x Number) Num() *big.Int { return new(big.Int).Set(x.ratView().Num()) }

// Denom returns the positive denominator of x.
func (x Number) Denom() *big.Int { return new(big.Int).Set(x.ratView().Denom()) }

// Bits is the size of x: the larger bit length of numerator and denominator.
func (x Number) Bits() int {
	if x.rat == nil {
		mag := uint64(x.small)
		if x.small < 0 {
			mag = -mag // two's complement: MinInt64 gives 2^63
		}
		return max(bits.Len64(mag), bits.Len64(uint64(x.den)), 1) // a den of 0 stands for 1
	}
	return max(x.rat.Num().BitLen(), x.rat.Denom().BitLen())
}

// Neg returns -x.
func (x Number) Neg() Number {
	if x.rat == nil && x.small != math.MinInt64 {
		return Number{small: -x.small, den: x.den}
	}
	return fromRat(new(big.Rat).Neg(x.ratView()))
}

// Add returns x + y. It does not enforce MaxNumberBits (its operands
// are within it, so the sum is at most twice as large): code that folds a
// user's constants uses AddChecked.
func (x Number) Add(y Number) Number {
	if x.isInt64() && y.isInt64() {
		if r, ok := addOv(x.small, y.small); ok {
			return Number{small: r}
		}
	} else if x.rat == nil && y.rat == nil {
		if r, ok := addFrac(x.small, max(x.den, 1), y.small, max(y.den, 1)); ok {
			return r
		}
	}
	return fromRat(new(big.Rat).Add(x.ratView(), y.ratView()))
}

// addFrac is a/b + c/d (b, d > 0, each fraction in lowest terms) in
// int64 arithmetic, false where an intermediate value does not fit.
func addFrac(a, b, c, d int64) (Number, bool) {
	g := int64(gcd64(uint64(b), uint64(d)))
	p, ok1 := mulOv(a, d/g)
	q, ok2 := mulOv(c, b/g)
	n, ok3 := addOv(p, q)
	m, ok4 := mulOv(b/g, d)
	if !ok1 || !ok2 || !ok3 || !ok4 {
		return Number{}, false
	}
	return smallFrac(n, m), true
}

// powOv is b^k (k >= 0) and whether it fits an int64 (MinInt64 refused
// as mulOv refuses it).
func powOv(b, k int64) (int64, bool) {
	r := int64(1)
	for range k {
		var ok bool
		if r, ok = mulOv(r, b); !ok {
			return 0, false
		}
	}
	return r, true
}

// addOv is a + b and whether it did not overflow.
func addOv(a, b int64) (int64, bool) {
	r := a + b // wraps on overflow, detected below
	return r, (a >= 0) != (b >= 0) || (r >= 0) == (a >= 0)
}

// mulOv is a * b and whether it fits an int64 (MinInt64 refused, so
// that every result can be negated).
func mulOv(a, b int64) (int64, bool) {
	if a == math.MinInt64 || b == math.MinInt64 {
		return 0, false
	}
	hi, lo := bits.Mul64(uint64(absInt64(a)), uint64(absInt64(b)))
	if hi != 0 || lo > math.MaxInt64 {
		return 0, false
	}
	r := int64(lo)
	if (a < 0) != (b < 0) {
		r = -r
	}
	return r, true
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
	if x.isInt64() && y.isInt64() {
		if r, ok := mulOv(x.small, y.small); ok {
			return Number{small: r}
		}
	} else if x.rat == nil && y.rat == nil {
		if r, ok := mulFrac(x.small, max(x.den, 1), y.small, max(y.den, 1)); ok {
			return r
		}
	}
	return fromRat(new(big.Rat).Mul(x.ratView(), y.ratView()))
}

// mulFrac is (a/b) * (c/d) (b, d > 0, each fraction in lowest terms) in
// int64 arithmetic, false where a value does not fit. Cancelling a with d
// and c with b first leaves the product in lowest terms.
func mulFrac(a, b, c, d int64) (Number, bool) {
	if a == math.MinInt64 || c == math.MinInt64 {
		return Number{}, false
	}
	if a == 0 || c == 0 {
		return Number{}, true
	}
	g1 := int64(gcd64(absU64(a), uint64(d)))
	g2 := int64(gcd64(absU64(c), uint64(b)))
	n, ok1 := mulOv(a/g1, c/g2)
	m, ok2 := mulOv(b/g2, d/g1)
	if !ok1 || !ok2 {
		return Number{}, false
	}
	if m == 1 {
		return Number{small: n}, true
	}
	return Number{small: n, den: m}, true
}

// MulChecked returns x * y, or ErrTooLarge when numerator or denominator
// of the product would exceed MaxNumberBits (2^30000 * 2^30000 * 2^30000
// is refused, as 2^90000 is by PowInt). Operands whose sizes add up to
// more than twice the limit are refused before anything is multiplied.
func (x Number) MulChecked(y Number) (Number, error) {
	if x.rat == nil && y.rat == nil {
		// Two int64 fractions: the product has at most 128 bits, far
		// below the limit (the checks below would read the sizes three
		// times for nothing).
		return x.Mul(y), nil
	}
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
	if x.isInt64() && y.isInt64() && x.small%y.small == 0 && !(x.small == math.MinInt64 && y.small == -1) {
		return Number{small: x.small / y.small}, true
	}
	if x.rat == nil && y.rat == nil && y.small != math.MinInt64 {
		// x times 1/y: the inverse of c/d is d/c with the sign on d.
		c, d := y.small, max(y.den, 1)
		if c < 0 {
			c, d = -c, -d
		}
		if r, ok := mulFrac(x.small, max(x.den, 1), d, c); ok {
			return r, true
		}
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
	ak := k
	if ak < 0 {
		ak = -ak
	}
	if x.rat == nil && ak > 0 && ak < 64 {
		// An int64 fraction to a small power: at most 63*63 bits, within
		// the limit, so the size checks below are skipped (±1 included).
		if r, ok := powSmall(x, k, ak); ok {
			return r, nil
		}
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
	// A b-bit value to the power k has between (b-1)k+1 and bk bits:
	// refuse before computing when even the lower bound is too large, and
	// check the result otherwise (2^60000 fits, 3^60000 does not).
	// (Compared by division: (b-1)*k overflowed int64 for k near 2^62, and
	// the negative bound let 3037000500^(2^62) be computed, without end.)
	if b := int64(x.Bits() - 1); ak < 0 || b > 0 && ak > (MaxNumberBits-1)/b {
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

// powSmall is x^k for an int64 fraction x other than 0 and 0 < |k| = ak
// < 64, false when the numerator or denominator does not fit an int64.
func powSmall(x Number, k, ak int64) (Number, bool) {
	// Powers of coprime numerator and denominator stay coprime.
	num, ok1 := powOv(x.small, ak)
	den, ok2 := powOv(max(x.den, 1), ak)
	if !ok1 || !ok2 {
		return Number{}, false
	}
	if k < 0 {
		if num < 0 {
			num, den = -num, -den
		}
		num, den = den, num
	}
	if den == 1 {
		return Number{small: num}, true
	}
	return Number{small: num, den: den}, true
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
	if x.isInt64() {
		return float64(x.small)
	}
	if x.rat == nil && absU64(x.small) <= 1<<53 && x.den <= 1<<53 {
		// Both exact in float64: the one division rounds correctly.
		return float64(x.small) / float64(x.den)
	}
	if x.rat == nil {
		f, _ := x.Rat().Float64()
		return f
	}
	f, _ := x.rat.Float64()
	return f
}

// String returns the exact value as an integer, a terminating decimal
// ("0.1", "-2.5") when that is short, or a fraction "p/q".
func (x Number) String() string {
	if x.isInt64() {
		return strconv.FormatInt(x.small, 10)
	}
	if s, ok := x.Decimal(); ok {
		return s
	}
	if x.rat == nil {
		return strconv.FormatInt(x.small, 10) + "/" + strconv.FormatInt(x.den, 10)
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
	if x.isInt64() {
		return strconv.FormatInt(x.small, 10), true
	}
	if x.rat == nil && !onlyTwosFives(uint64(x.den)) {
		return "", false
	}
	if x.rat == nil {
		if s, ok := smallDecimal(x.small, x.den); ok {
			return s, true
		}
	}
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
	r := x.ratView()
	d := new(big.Int).Set(r.Denom())
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
		m := new(big.Int).Mul(r.Num(), new(big.Int).Exp(two, big.NewInt(int64(digits-twos)), nil))
		m.Mul(m, new(big.Int).Exp(five, big.NewInt(int64(digits-fives)), nil))
		return exponentForm(m.String(), -digits), true
	}
	return r.FloatString(digits), true
}

// smallDecimal writes num/den, den a product of twos and fives, as a
// plain decimal in int64 arithmetic (what big.Rat's FloatString writes
// with as many digits as the fraction needs); false when that has more
// than maxDecimalDigits digits after the point or a product overflows.
func smallDecimal(num, den int64) (string, bool) {
	d := uint64(den)
	twos := bits.TrailingZeros64(d)
	d >>= twos
	fives := 0
	for d%5 == 0 {
		d /= 5
		fives++
	}
	digits := max(twos, fives)
	if d != 1 || digits > maxDecimalDigits || digits == 0 {
		return "", false
	}
	// num/den = num * 2^(digits-twos) * 5^(digits-fives) / 10^digits.
	mult := uint64(1) << (digits - twos)
	for range digits - fives {
		hi, lo := bits.Mul64(mult, 5)
		if hi != 0 {
			return "", false
		}
		mult = lo
	}
	hi, m := bits.Mul64(absU64(num), mult)
	if hi != 0 {
		return "", false
	}
	// Written in one buffer, made a string once (concatenating the sign,
	// the zeros, the point and the digits was 1.5% of W2 10x3).
	var ds [20]byte
	digs := strconv.AppendUint(ds[:0], m, 10)
	var buf [48]byte
	out := buf[:0]
	if num < 0 {
		out = append(out, '-')
	}
	if whole := len(digs) - digits; whole > 0 {
		out = append(out, digs[:whole]...)
		out = append(out, '.')
		out = append(out, digs[whole:]...)
	} else {
		out = append(out, '0', '.')
		for range -whole {
			out = append(out, '0')
		}
		out = append(out, digs...)
	}
	return string(out), true
}

// onlyTwosFives reports whether d has no prime factors but 2 and 5.
func onlyTwosFives(d uint64) bool {
	if d == 0 {
		return false
	}
	d >>= bits.TrailingZeros64(d)
	for d%5 == 0 {
		d /= 5
	}
	return d == 1
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
	switch {
	case x.isInt64():
		return strconv.FormatInt(x.small, 10)
	case x.rat == nil:
		return strconv.FormatInt(x.small, 10) + "/" + strconv.FormatInt(x.den, 10)
	}
	return x.rat.String()
}
