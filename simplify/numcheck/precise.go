package numcheck

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/big"
	"time"

	"github.com/symdiff/symdiff/ast"
)

// High-precision comparison with a rounding bound. A difference of two
// sides evaluated at p bits is only evidence if it is larger than what
// rounding could have produced, and rounding can produce far more than
// 2^-p times the result: log(exp(x) + exp(-500)) - x loses exp(-500) next
// to exp(x) at 512 bits and returns 0, while the true value is about
// 2^-721. So every node is evaluated with a bound on its absolute error
// (running error analysis: each operation's rounding, 2^-(p-8) relative
// for the functions, and the errors of its operands propagated through
// its derivative), and a difference counts only when it exceeds 8 times
// the sum of the two sides' bounds, at two successive precisions, with
// the two differences consistent. The precision is raised (256, 512, ...
// up to maxPrec bits) until the difference stands clear of the bound or
// the bound is small enough for the values' dynamic range.

const (
	minPrec = 256
	maxPrec = 4096
	// confirmPrec is the precision that confirms a difference first seen
	// at maxPrec.
	confirmPrec = 2 * maxPrec
	// maxExpBits bounds the binary exponent of an intermediate value: a
	// larger one (exp(exp(25))) is not evaluated at high precision.
	maxExpBits = 1 << 16
	// maxTerms bounds the terms of a sum expanded for the evaluation.
	maxTerms = 100_000
)

// approx is a value with a bound on its absolute error; err == nil means
// no bound (the linearisation does not hold: an argument is not known to
// the precision its function needs).
type approx struct {
	v, err *big.Float
}

// errUnsupported marks an expression that the bounded evaluation cannot
// handle (a value beyond maxExpBits, a huge sum): no evidence either way.
var errUnsupported = errors.New("numcheck: not evaluated at high precision")

// bounded evaluates expressions at one precision with error bounds. Its
// memo is per node, so shared subtrees are evaluated once.
type bounded struct {
	ctx  context.Context
	pt   ast.Bindings
	prec uint
	memo map[ast.Expr]approx
	// The binary exponents of the largest and smallest non-zero values
	// met, and the largest size of an exact constant: they say how much
	// precision the comparison may need.
	maxExp, minExp, numBits int
	seen                    bool
	ticks                   int
}

func newBounded(ctx context.Context, pt ast.Bindings, prec uint) *bounded {
	return &bounded{ctx: ctx, pt: pt, prec: prec, memo: map[ast.Expr]approx{}}
}

// ebits is the precision of error bounds: they are estimates rounded up.
const ebits = 64

func enew() *big.Float { return new(big.Float).SetPrec(ebits).SetMode(big.AwayFromZero) }

// eabs returns |v| * 2^shift as an error bound.
func eabs(v *big.Float, shift int) *big.Float {
	r := enew().Abs(v)
	if r.Sign() == 0 {
		return r
	}
	return r.SetMantExp(r, shift)
}

// eadd returns a + b, nil (unbounded) if either is.
func eadd(a, b *big.Float) *big.Float {
	if a == nil || b == nil {
		return nil
	}
	return enew().Add(a, b)
}

func emul(a, b *big.Float) *big.Float {
	if a == nil || b == nil {
		return nil
	}
	return enew().Mul(a, b)
}

func equo(a, b *big.Float) *big.Float {
	if a == nil || b == nil || b.Sign() == 0 {
		return nil
	}
	return enew().Quo(a, b)
}

func efloat(f float64) *big.Float { return enew().SetFloat64(f) }

// rel returns err/|v| (nil if unbounded or v is 0).
func rel(a approx) *big.Float {
	if a.err == nil || a.v.Sign() == 0 {
		return nil
	}
	return equo(a.err, enew().Abs(a.v))
}

// below reports whether x is a bound below f.
func below(x *big.Float, f float64) bool { return x != nil && x.Cmp(efloat(f)) < 0 }

// expBound returns a number at least e^t, for t in float64. A NaN t (an
// estimate such as |u| - h with both beyond float64, Inf - Inf) says
// nothing, so the bound is the largest.
func expBound(t float64) *big.Float {
	if math.IsNaN(t) {
		t = 1e8
	}
	t = math.Max(math.Min(t, 1e8), -1e8)
	k := t * math.Log2E
	f := math.Floor(k)
	r := enew().SetFloat64(math.Exp2(k-f) * (1 + 1e-9))
	return r.SetMantExp(r, int(f))
}

func (b *bounded) note(v *big.Float) error {
	if v.Sign() == 0 {
		return nil
	}
	e := v.MantExp(nil)
	if e > maxExpBits || e < -maxExpBits {
		return errUnsupported
	}
	if !b.seen || e > b.maxExp {
		b.maxExp = e
	}
	if !b.seen || e < b.minExp {
		b.minExp = e
	}
	b.seen = true
	return nil
}

// rounding is the rounding error of an operation's result v at p bits:
// none if big.Float says it was exact.
func rounding(v *big.Float, p int) *big.Float {
	if v.Acc() == big.Exact {
		return enew()
	}
	return eabs(v, -p)
}

func (b *bounded) newf() *big.Float { return new(big.Float).SetPrec(b.prec) }

// num returns the node for an exact value (the argument of a function
// evaluated by package ast).
func num(v *big.Float) ast.Expr {
	r, _ := v.Rat(nil)
	return ast.NewNum(ast.FromRat(r))
}

// evalNode evaluates a node whose children are numbers, with ast's
// high-precision functions.
func (b *bounded) evalNode(e ast.Expr) (*big.Float, error) {
	return ast.EvalBig(b.ctx, e, nil, b.pt, b.prec)
}

func (b *bounded) eval(e ast.Expr) (approx, error) {
	if r, ok := b.memo[e]; ok {
		return r, nil
	}
	b.ticks++
	if b.ticks%256 == 0 {
		if err := b.ctx.Err(); err != nil {
			return approx{}, err
		}
	}
	r, err := b.eval1(e)
	if err != nil {
		return approx{}, err
	}
	if err := b.note(r.v); err != nil {
		return approx{}, err
	}
	b.memo[e] = r
	return r, nil
}

func (b *bounded) eval1(e ast.Expr) (approx, error) {
	p := int(b.prec)
	switch x := e.(type) {
	case *ast.Num:
		v := b.newf().SetRat(x.Value.Rat())
		b.numBits = max(b.numBits, x.Value.Bits())
		if v.Acc() == big.Exact {
			return approx{v, enew()}, nil
		}
		return approx{v, eabs(v, -p)}, nil
	case *ast.Sym, *ast.Index:
		// A float64 binding is exact at any precision; an exact rational
		// one (ast.Value.Exact: 1/17, an entry of an inverse) is rounded
		// to the precision. Indices are whole numbers by then.
		v, err := b.evalNode(e)
		if err != nil {
			return approx{}, err
		}
		if v.Acc() != big.Exact {
			return approx{v, eabs(v, -p)}, nil
		}
		return approx{v, enew()}, nil
	case *ast.Neg:
		a, err := b.eval(x.X)
		if err != nil {
			return approx{}, err
		}
		return approx{b.newf().Neg(a.v), a.err}, nil
	case *ast.Add:
		var acc approx
		for i, t := range x.Terms {
			a, err := b.eval(t)
			if err != nil {
				return approx{}, err
			}
			if i == 0 {
				acc = a
				continue
			}
			v := b.newf().Add(acc.v, a.v)
			acc = approx{v, eadd(eadd(acc.err, a.err), rounding(v, p))}
		}
		return acc, nil
	case *ast.Mul:
		if z, ok := b.strongZero(x); ok {
			return z, nil
		}
		args := make([]approx, len(x.Factors))
		for i, f := range x.Factors {
			a, err := b.eval(f)
			if err != nil {
				return approx{}, err
			}
			args[i] = a
		}
		return b.mul(args), nil
	case *ast.Div:
		n, err := b.eval(x.X)
		if err != nil {
			return approx{}, err
		}
		d, err := b.eval(x.Y)
		if err != nil {
			return approx{}, err
		}
		return b.quo(n, d)
	case *ast.Pow:
		return b.pow(x)
	case *ast.Call:
		return b.call(x)
	case *ast.Sum:
		return b.sum(x)
	case *ast.Iverson:
		return b.iverson(x)
	case *ast.Condition:
		h, sure, err := b.holds(x)
		if err != nil {
			return approx{}, err
		}
		v := b.newf()
		if h {
			v.SetInt64(1)
		}
		if !sure {
			return approx{v, nil}, nil
		}
		return approx{v, enew()}, nil
	case *ast.If:
		h, sure, err := b.holds(x.Cond)
		if err != nil {
			return approx{}, err
		}
		piece := x.Else
		if h {
			piece = x.Then
		}
		r, err := b.eval(piece)
		if err != nil || !sure {
			// Too close to the boundary to know the piece: no bound.
			return approx{r.v, nil}, err
		}
		return r, nil
	}
	return approx{}, fmt.Errorf("numcheck: cannot evaluate %s at high precision", ast.String(e))
}

// iverson evaluates a condition [a <= b <= ...]: exactly 1 or 0 where
// each comparison is decided by the operands' values and error bounds
// (indices and sizes are exact), unbounded where an error could flip one.
func (b *bounded) iverson(x *ast.Iverson) (approx, error) {
	args := make([]approx, len(x.Args))
	for i, a := range x.Args {
		r, err := b.eval(a)
		if err != nil {
			return approx{}, err
		}
		args[i] = r
	}
	holds, decided := true, true
	for i := 1; i < len(args); i++ {
		l, r := args[i-1], args[i]
		d := new(big.Float).SetPrec(2*b.prec).Sub(r.v, l.v) // r - l >= 0 holds
		e := eadd(l.err, r.err)
		if d.Sign() < 0 {
			holds = false
		}
		if e == nil || e.Sign() != 0 && eabs(d, 0).Cmp(e) <= 0 {
			decided = false
		}
	}
	v := b.newf()
	if holds {
		v.SetInt64(1)
	}
	if !decided {
		return approx{v, nil}, nil
	}
	return approx{v, enew()}, nil
}

// strongZero evaluates a product that has a condition or a sum as a
// factor as ast does: a condition that is exactly 0, or a sum over an
// empty range, makes the product 0 even where another factor is
// undefined (x[n-1]*[2 <= n] at n = 1).
func (b *bounded) strongZero(x *ast.Mul) (approx, bool) {
	for _, f := range x.Factors {
		base := f
		if p, ok := f.(*ast.Pow); ok {
			if n, ok := p.Y.(*ast.Num); ok && n.Value.Sign() > 0 {
				base = p.X
			}
		}
		if s, ok := base.(*ast.Sum); ok && s.Op == ast.OpSum {
			lo, errL := b.eval(s.Lo)
			hi, errH := b.eval(s.Hi)
			if errL == nil && errH == nil && lo.err != nil && hi.err != nil && lo.err.Sign() == 0 && hi.err.Sign() == 0 && hi.v.Cmp(lo.v) < 0 {
				return approx{b.newf(), enew()}, true
			}
		}
		if !ast.HasIverson(f) {
			continue
		}
		if v, err := b.eval(f); err == nil && v.v.Sign() == 0 && v.err != nil && v.err.Sign() == 0 {
			return approx{b.newf(), enew()}, true
		}
	}
	return approx{}, false
}

// holds decides a condition at this precision; sure is false when an
// operand's error bound could put a comparison on the other side.
func (b *bounded) holds(e ast.Expr) (h, sure bool, err error) {
	c, ok := e.(*ast.Condition)
	if !ok {
		r, err := b.eval(e)
		if err != nil {
			return false, false, err
		}
		return r.v.Sign() != 0, r.err != nil && eabs(r.v, 0).Cmp(r.err) > 0 || r.err != nil && r.err.Sign() == 0, nil
	}
	switch {
	case c.Op.IsComparison():
		x, err := b.eval(c.Args[0])
		if err != nil {
			return false, false, err
		}
		y, err := b.eval(c.Args[1])
		if err != nil {
			return false, false, err
		}
		d := b.newf().Sub(x.v, y.v)
		sure = x.err != nil && y.err != nil
		if sure {
			bound := eadd(eadd(x.err, y.err), rounding(d, int(b.prec)))
			sure = bound.Sign() == 0 || eabs(d, 0).Cmp(bound) > 0
		}
		return c.Op.Holds(d.Sign()), sure, nil
	case c.Op == ast.CondNot:
		h, sure, err := b.holds(c.Args[0])
		return !h, sure, err
	}
	sure = true
	for _, a := range c.Args {
		ha, sa, err := b.holds(a)
		if err != nil {
			return false, false, err
		}
		sure = sure && sa
		if ha == (c.Op == ast.CondOr) {
			return ha, sure, nil
		}
	}
	return c.Op == ast.CondAnd, sure, nil
}

// mul multiplies, with the relative errors of the factors adding up
// (exactly: (1+r1)(1+r2)... - 1 <= s + s^2 for s = r1 + r2 + ... <= 1/2).
func (b *bounded) mul(args []approx) approx {
	p := int(b.prec)
	// Each inexact multiplication adds a relative 2^-p to the product,
	// whatever the factors that follow.
	v := b.newf().Set(args[0].v)
	inexact := 0
	for _, a := range args[1:] {
		v.Mul(v, a.v)
		if v.Acc() != big.Exact {
			inexact++
		}
	}
	rnd := emul(efloat(float64(inexact)), eabs(v, -p))
	s := enew()
	for _, a := range args {
		r := rel(a)
		if r == nil {
			s = nil
			break
		}
		s.Add(s, r)
	}
	if s != nil && below(s, 0.5) {
		e := emul(eabs(v, 0), eadd(s, emul(s, s)))
		return approx{v, eadd(e, emul(rnd, efloat(2)))}
	}
	// A zero factor or large relative errors: |true - v| <= prod(|x|+err) + |v|.
	u := efloat(1)
	for _, a := range args {
		u = emul(u, eadd(eabs(a.v, 0), a.err))
	}
	return approx{v, eadd(u, eabs(v, 0))}
}

func (b *bounded) quo(n, d approx) (approx, error) {
	if d.v.Sign() == 0 {
		return approx{}, &ast.DomainError{Msg: "division by zero"}
	}
	v := b.newf().Quo(n.v, d.v)
	rd := rel(d)
	if !below(rd, 0.5) {
		return approx{v, nil}, nil
	}
	rnd := rounding(v, int(b.prec))
	if n.v.Sign() == 0 {
		return approx{v, eadd(equo(emul(n.err, efloat(2)), eabs(d.v, 0)), rnd)}, nil
	}
	r := emul(eadd(rel(n), rd), efloat(2))
	return approx{v, eadd(emul(eabs(v, 0), r), rnd)}, nil
}

func (b *bounded) pow(x *ast.Pow) (approx, error) {
	base, err := b.eval(x.X)
	if err != nil {
		return approx{}, err
	}
	ex, err := b.eval(x.Y)
	if err != nil {
		return approx{}, err
	}
	v, err := b.evalNode(ast.NewPow(num(base.v), num(ex.v)))
	if err != nil {
		return approx{}, err
	}
	rnd := eabs(v, -int(b.prec)+8)
	if base.v.Sign() == 0 {
		if base.err != nil && base.err.Sign() == 0 {
			return approx{v, rnd}, nil
		}
		// A base within err <= 1 of 0 to an exact whole power k >= 1 is
		// within err^k <= err^min(k, 64) of 0: (z - 2^20)^2 at z = 2^20,
		// whose 2^20 carries a rounding allowance, was unbounded.
		if base.err != nil && base.err.Cmp(efloat(1)) <= 0 && ex.err != nil && ex.err.Sign() == 0 && ex.v.IsInt() && ex.v.Sign() > 0 {
			k, _ := ex.v.Int64()
			k = min(k, 64) // (err <= 1: fewer factors bound it too)
			bound := efloat(1)
			for range k {
				bound = emul(bound, base.err)
			}
			return approx{v, bound}, nil
		}
		return approx{v, nil}, nil
	}
	rb := rel(base)
	if !below(rb, 0.5) || ex.err == nil {
		return approx{v, nil}, nil
	}
	yf, _ := ex.v.Float64()
	// delta bounds the error of y*log|x|: |y| * 2 rel(x) + |log|x|| * err(y).
	delta := emul(efloat(2*math.Abs(yf)), rb)
	if ex.err.Sign() != 0 {
		if base.v.Sign() < 0 {
			return approx{v, nil}, nil // (-8)^y with y not exact
		}
		// |log x| <= (|exponent| + 1) log 2 for x = mant 2^exponent.
		lg := (math.Abs(float64(base.v.MantExp(nil))) + 1) * math.Ln2
		delta = eadd(delta, emul(efloat(lg+1), ex.err))
	}
	if !below(delta, 0.5) {
		return approx{v, nil}, nil
	}
	return approx{v, eadd(emul(eabs(v, 0), emul(delta, efloat(2))), rnd)}, nil
}

func (b *bounded) call(x *ast.Call) (approx, error) {
	args := make([]approx, len(x.Args))
	nodes := make([]ast.Expr, len(x.Args))
	for i, a := range x.Args {
		r, err := b.eval(a)
		if err != nil {
			return approx{}, err
		}
		args[i], nodes[i] = r, num(r.v)
	}
	if (x.Fn == "sin" || x.Fn == "cos") && len(args) == 1 && args[0].v.Sign() != 0 && !args[0].v.IsInf() && args[0].v.MantExp(nil) > int(b.prec)/2 {
		// An exact argument so large that its rounding costs half the
		// bits (3^4096) is reduced from its exact value: the result is
		// rounded once. Past the reduction's bound, its error.
		if v, ok, err := ast.SinCosOfExact(b.ctx, x, b.pt, b.prec); ok {
			if err != nil {
				return approx{}, err
			}
			return approx{v, eabs(v, -int(b.prec)+8)}, nil
		}
	}
	v, err := b.evalNode(ast.NewCall(x.Fn, nodes...))
	if err != nil {
		return approx{}, err
	}
	if x.Fn == "delta" {
		return approx{v, enew()}, nil // of whole numbers
	}
	rnd := eabs(v, -int(b.prec)+8)
	if len(args) == 0 {
		return approx{v, rnd}, nil // a constant (pi): only rounded
	}
	switch x.Fn {
	case "abs", "relu", "max", "min", "clip":
		// 1-Lipschitz in each argument: the arguments' errors add up.
		e := enew()
		for _, a := range args {
			if a.err == nil {
				return approx{v, nil}, nil
			}
			e = eadd(e, a.err)
		}
		return approx{v, eadd(e, rnd)}, nil
	case "sign", "step":
		// Exact where the argument is exact or its error cannot reach
		// 0, unbounded where it can (a jump).
		if a := args[0]; a.err != nil && (a.err.Sign() == 0 || eabs(a.v, 0).Cmp(a.err) > 0) {
			return approx{v, enew()}, nil
		}
		return approx{v, nil}, nil
	}
	u := args[0]
	if u.err == nil {
		return approx{v, nil}, nil
	}
	eu := u.err
	uf, _ := u.v.Float64()
	euf, _ := eu.Float64()
	var e *big.Float // propagated error
	switch x.Fn {
	case "exp":
		if !below(eu, 0.5) {
			return approx{v, nil}, nil
		}
		e = emul(eabs(v, 1), eu) // e^h - 1 <= 2h for h <= 1/2
	case "log":
		r := rel(u)
		if !below(r, 0.5) {
			return approx{v, nil}, nil
		}
		e = emul(r, efloat(2)) // |log(1+r)| <= 2|r| for |r| <= 1/2
	case "sqrt":
		e = enew().Sqrt(eu)
		if u.v.Sign() > 0 {
			if f := equo(eu, enew().Sqrt(enew().Abs(u.v))); f.Cmp(e) < 0 {
				e = f
			}
		}
	case "sigma": // σ' = σ(1-σ) <= min(1/4, e^-|u|)
		e = emul(minBound(0.25, expBound(-math.Abs(uf)+euf)), eu)
	case "softplus": // σ(u) <= min(1, e^u)
		e = emul(minBound(1, expBound(uf+euf)), eu)
	case "tanh": // 1 - tanh^2 <= min(1, 4 e^(-2|u|))
		e = emul(minBound(1, emul(efloat(4), expBound(-2*(math.Abs(uf)-euf)))), eu)
	case "cosh", "sinh": // |cosh'|, |sinh'| <= cosh(|u| + h) <= e^(|u| + h)
		e = emul(expBound(math.Abs(uf)+euf), eu)
	case "sin", "cos":
		e = enew().Set(eu)
	case "Phi": // φ(u) <= min(0.4, e^(-u^2/2))
		t := math.Max(math.Abs(uf)-euf, 0)
		e = emul(minBound(0.4, expBound(-t*t/2)), eu)
	case "phi": // |u φ(u)| <= 1/4
		e = emul(efloat(0.25), eu)
	default:
		return approx{v, nil}, nil
	}
	return approx{v, eadd(e, rnd)}, nil
}

func minBound(c float64, x *big.Float) *big.Float {
	if x.Cmp(efloat(c)) > 0 {
		return efloat(c)
	}
	return x
}

func (b *bounded) sum(x *ast.Sum) (approx, error) {
	var lh [2]int64
	for k, e := range []ast.Expr{x.Lo, x.Hi} {
		a, err := b.eval(e)
		if err != nil {
			return approx{}, err
		}
		i, acc := a.v.Int64()
		if acc != big.Exact || a.err == nil || a.err.Sign() != 0 {
			return approx{}, &ast.DomainError{Msg: "a bound of a sum is not an integer"}
		}
		lh[k] = i
	}
	lo, hi := lh[0], lh[1]
	if hi-lo >= maxTerms {
		return approx{}, errUnsupported
	}
	acc := approx{b.newf(), enew()}
	for i := lo; i <= hi; i++ {
		body := ast.Subst(x.Body, map[string]ast.Expr{x.Var: ast.NewInt(i)})
		a, err := b.eval(body)
		if err != nil {
			return approx{}, err
		}
		v := b.newf().Add(acc.v, a.v)
		acc = approx{v, eadd(eadd(acc.err, a.err), rounding(v, int(b.prec)))}
	}
	if x.Op == ast.OpMean {
		if hi < lo {
			return approx{}, &ast.DomainError{Msg: "mean over an empty range"}
		}
		return b.quo(acc, approx{b.newf().SetInt64(hi - lo + 1), enew()})
	}
	return acc, nil
}

// comparison is the outcome of comparing two sides at a point at high
// precision.
type comparison struct {
	defined bool // both sides evaluated at high precision
	differ  bool // a difference well above the rounding bound, confirmed
	// left and right are the values at the last precision used.
	left, right *big.Float
	prec        uint
	// stuck: the two sides differ by an amount that stays below the
	// rounding bound at every precision tried: no evidence either way.
	stuck bool
}

// compare evaluates a and b at rising precision until their difference
// is either clearly above the rounding bound (and consistent at two
// precisions) or below it at a precision enough for the values' dynamic
// range. Points where a side is undefined at high precision give no
// evidence (an error only for cancellation and real failures).
func compare(ctx context.Context, a, b ast.Expr, pt ast.Bindings, deadline time.Time) (comparison, error) {
	var out comparison
	type step struct {
		d, bound    *big.Float // bound nil: unbounded
		significant bool
	}
	var prev *step
	target := uint(2 * minPrec)
	for prec := uint(minPrec); prec <= confirmPrec; prec *= 2 {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		ev := newBounded(ctx, pt, prec)
		va, err := ev.eval(a)
		if err != nil {
			return out, ignoreDomain(err)
		}
		vb, err := ev.eval(b)
		if err != nil {
			return out, ignoreDomain(err)
		}
		out.left, out.right, out.prec, out.defined = va.v, vb.v, prec, true
		if prec == minPrec {
			// The precision the values' range may need: twice the span of
			// their magnitudes and the constants' sizes, beyond minPrec.
			need := uint(ev.maxExp-ev.minExp+ev.numBits) + minPrec
			for target < need && target < maxPrec {
				target *= 2
			}
		}
		d := new(big.Float).SetPrec(2*prec).Sub(va.v, vb.v)
		bound := eadd(eadd(va.err, vb.err), eabs(d, -int(prec)))
		significant := bound != nil && d.Sign() != 0 && eabs(d, 0).Cmp(emul(bound, efloat(8))) > 0
		cur := &step{d, bound, significant}
		if significant && prev != nil && prev.significant {
			// Clear at two precisions, and consistent: the two differences
			// agree within their bounds.
			gap := eabs(new(big.Float).SetPrec(4*prec).Sub(d, prev.d), 0)
			if gap.Cmp(eadd(bound, prev.bound)) <= 0 {
				out.differ = true
				return out, nil
			}
		}
		if !significant {
			if prec >= target && bound != nil {
				// Below a bound that is tight enough: agreement.
				out.stuck = prev != nil && d.Sign() != 0 && prev.d.Sign() != 0 && eabs(d, 0).Cmp(eabs(prev.d, -1)) > 0
				return out, nil
			}
			if prec >= maxPrec {
				out.stuck = true
				return out, nil
			}
		}
		if !deadline.IsZero() && time.Now().After(deadline) {
			out.stuck = true
			return out, nil
		}
		prev = cur
	}
	out.stuck = true
	return out, nil
}
