package matrix

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strings"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/derive"
	"github.com/symdiff/symdiff/simplify/numcheck"
)

// A verdict on a matrix identity at a point is decided as the scalar
// prover decides one: at high precision with a bound on rounding, never by
// a float64 tolerance. A tolerance of 1e-6 took inv(B) + 1e-9*eye(3) for
// inv(B), and would take an ill-conditioned float64 inverse for a false
// identity. So the inverses and determinants are computed exactly, in
// rationals, from the drawn values (dyadic rationals), the logarithm of a
// determinant is left as log of that rational, and each pair of entries is
// compared by numcheck.Confirm.

// errInexact says that a matrix whose inverse or determinant is needed has
// an entry that is not a rational at the point (exp(A) element-wise): its
// inverse cannot be had exactly, so the point gives no evidence.
var errInexact = errors.New("an inverse or determinant of a matrix whose entries are not rational")

// errSingular says that an inverse's matrix is singular at the point, or
// a log-determinant's determinant is not positive, exactly: no value
// there.
var errSingular = errors.New("singular")

// exactEntries returns the entries of e at b with derivatives worked out
// and definitions opened, ready for numcheck, the atoms bound exactly:
// each inverse as a value with exact rationals, each determinant as an
// exact scalar, each log-determinant replaced by log(det) in the entries.
// With t set, e is translated by it (the atoms of two sides compared get
// one set of names).
// With approx set, a matrix whose entries are not rational is taken at
// approxPrec bits (see bindExact), and *approx says that one was.
func exactEntries(ctx context.Context, t *Translator, e ast.Expr, b ast.Bindings, opt Options, funcs *ast.Defs, approx *bool) ([]ast.Expr, ast.Bindings, []int, error) {
	logs := map[string]ast.Expr{}
	p, err := prepare(ctx, t, e, b, opt, funcs, func(t *Translator, b ast.Bindings) error {
		return t.bindExact(ctx, b, opt, funcs, logs, approx)
	})
	if err != nil {
		return nil, nil, nil, err
	}
	dopt := derive.Options{Defs: p.defs, Rules: opt.Simplify.Rules}
	out := make([]ast.Expr, len(p.entries))
	for i, x := range p.entries {
		if err := ctx.Err(); err != nil {
			return nil, nil, nil, err
		}
		if ast.HasDeriv(x) {
			if x, _, err = derive.Expand(ctx, x, dopt); err != nil {
				return nil, nil, nil, err
			}
		}
		x = p.defs.Expand(x)
		if len(logs) > 0 {
			x = ast.Rewrite(x, func(y ast.Expr) (ast.Expr, bool) {
				if s, ok := y.(*ast.Sym); ok {
					if l, ok := logs[s.Name]; ok {
						return l, true
					}
				}
				return nil, false
			})
		}
		out[i] = x
	}
	return out, p.b, p.value.Shape, nil
}

// A singularError says which inverse or log-determinant has no value; it
// is an errSingular.
type singularError struct{ msg string }

func (e *singularError) Error() string        { return e.msg }
func (e *singularError) Is(target error) bool { return target == errSingular }

// bindExact is bindAtoms in exact arithmetic; a log-determinant goes to
// logs, as the expression log(det), since its value is not rational. A
// matrix with an entry that is not rational (exp(A)) is errInexact, or,
// with approx set, taken as the rationals its entries are at approxPrec
// bits (settled by a bound on rounding), and *approx is set: its inverse
// is then off by about 2^-approxPrec times its condition number, and
// differAt asks more of a difference.
func (t *Translator) bindExact(ctx context.Context, b ast.Bindings, opt Options, funcs *ast.Defs, logs map[string]ast.Expr, approx *bool) error {
	values := map[ast.Expr][]*big.Rat{}
	rough := map[ast.Expr]bool{} // matrices with approximated entries
	for _, a := range t.atoms {
		m, ok := values[a.Arg]
		if !ok {
			xs, ab, _, err := exactEntries(ctx, nil, a.Arg, b, opt, funcs, approx)
			if err != nil {
				return err
			}
			m = make([]*big.Rat, len(xs))
			for i, x := range xs {
				r, _, err := ast.EvalExact(ctx, x, nil, ab)
				if err != nil {
					return err
				}
				if r == nil {
					if approx == nil {
						return errInexact
					}
					v, bound, ok, _, err := numcheck.SettleBound(ctx, x, ab, approxPrec)
					if err != nil || !ok || v.IsInf() || bound.Cmp(new(big.Float).SetMantExp(new(big.Float).Abs(v), -400)) > 0 {
						return errInexact // not known to 2^-400
					}
					r, _ = v.Rat(nil)
					*approx = true
					rough[a.Arg] = true
				}
				m[i] = r
			}
			values[a.Arg] = m
		}
		n := isqrt(len(m))
		inv, det := gaussJordan(m, n, a.Kind == ast.MatInv)
		if rough[a.Arg] && !wellPosed(m, n, det) {
			// exp(A) at A = [[0,-2],[1,-1]] is singular, but its entries
			// at 512 bits are not: an inverse of about 2^400 is no value.
			return errInexact
		}
		switch a.Kind {
		case ast.MatInv:
			if inv == nil {
				return &singularError{fmt.Sprintf("%s is undefined at the values given: %s is singular", ast.String(a.Expr()), ast.String(a.Arg))}
			}
			v := ast.Value{Shape: []int{n, n}, Data: make([]float64, n*n), Exact: inv}
			for i, r := range inv {
				v.Data[i], _ = r.Float64()
			}
			b[a.Name] = v
		case ast.MatDet:
			b[a.Name] = ast.RatScalar(det)
		case ast.MatLogDet:
			switch det.Sign() {
			case 0:
				return &singularError{fmt.Sprintf("%s is undefined at the values given: %s is singular", ast.String(a.Expr()), ast.String(a.Arg))}
			case -1:
				return &singularError{fmt.Sprintf("%s is undefined at the values given: det(%s) = %s is not positive", ast.String(a.Expr()), ast.String(a.Arg), ast.FloatText(new(big.Float).SetPrec(64).SetRat(det)))}
			}
			logs[a.Name] = ast.NewCall("log", ast.NewNum(ast.FromRat(det)))
		}
	}
	return nil
}

// approxPrec is the precision at which the entries of a matrix that are
// not rational are taken for its inverse or determinant in a proof.
const approxPrec = 512

// approxGap is the least difference, relative to 1 + the larger side,
// that counts as one where an inverse or determinant was taken from
// entries known to 2^-400: far above what their approximation could make
// (2^-400 times a condition number below 2^300, and the terms' sizes: the
// off-diagonal entries of inv(exp(A))*exp(A) are 1e-155, not 0), far below
// any difference a float64 tolerance could see.
const approxGap = 0x1p-100

// approxGapText is approxGap as messages write it.
const approxGapText = "2^-100 of 1 +"

// wellPosed reports whether det is at least 2^-100 of the product of the
// rows' largest entries: then the entries' approximation to 2^-400 moves
// the determinant and the inverse by far less than approxGap, and a
// matrix that is singular in fact (whose approximated determinant is
// about 2^-400 of that product) is not taken for an invertible one.
func wellPosed(m []*big.Rat, n int, det *big.Rat) bool {
	scale := new(big.Rat).SetInt64(1)
	for i := range n {
		row := new(big.Rat)
		for j := range n {
			if x := new(big.Rat).Abs(m[i*n+j]); x.Cmp(row) > 0 {
				row = x
			}
		}
		scale.Mul(scale, row)
	}
	lim := new(big.Rat).Mul(scale, new(big.Rat).SetFrac(big.NewInt(1), new(big.Int).Lsh(big.NewInt(1), 100)))
	return new(big.Rat).Abs(det).Cmp(lim) > 0
}

// isqrt is the side of a square matrix of n entries.
func isqrt(n int) int {
	k := 0
	for (k+1)*(k+1) <= n {
		k++
	}
	return k
}

// gaussJordan returns the determinant of the n×n matrix m (row major) and,
// if inverse is set and it is not singular, its inverse, in exact
// arithmetic.
func gaussJordan(m []*big.Rat, n int, inverse bool) (inv []*big.Rat, det *big.Rat) {
	a := make([]*big.Rat, n*n)
	var e []*big.Rat
	if inverse {
		e = make([]*big.Rat, n*n)
	}
	for i := range a {
		a[i] = new(big.Rat).Set(m[i])
		if inverse {
			e[i] = new(big.Rat)
			if i/n == i%n {
				e[i].SetInt64(1)
			}
		}
	}
	det = big.NewRat(1, 1)
	tmp := new(big.Rat)
	for k := range n {
		p := k
		for p < n && a[p*n+k].Sign() == 0 {
			p++
		}
		if p == n {
			return nil, new(big.Rat)
		}
		if p != k {
			for j := range n {
				a[k*n+j], a[p*n+j] = a[p*n+j], a[k*n+j]
				if inverse {
					e[k*n+j], e[p*n+j] = e[p*n+j], e[k*n+j]
				}
			}
			det.Neg(det)
		}
		piv := new(big.Rat).Set(a[k*n+k])
		det.Mul(det, piv)
		for i := range n {
			if i == k || a[i*n+k].Sign() == 0 {
				continue
			}
			l := new(big.Rat).Quo(a[i*n+k], piv)
			for j := range n {
				a[i*n+j].Sub(a[i*n+j], tmp.Mul(l, a[k*n+j]))
				if inverse {
					e[i*n+j].Sub(e[i*n+j], tmp.Mul(l, e[k*n+j]))
				}
			}
		}
	}
	if !inverse {
		return nil, det
	}
	for i := range n {
		d := a[i*n+i]
		for j := range n {
			e[i*n+j].Quo(e[i*n+j], d)
		}
	}
	return e, det
}

// differAt compares a and b entry by entry at b, at high precision: the
// first entry at which they differ beyond the rounding bound, as numcheck
// reports it, or nil. known is false where the point gives no evidence (a
// side undefined there, an inverse of a singular or non-rational matrix).
// With a difference, left and right are the sides' values, each entry the
// float64 nearest its true value where a bound on rounding fixes it (ok):
// a float64 inverse of an ill-conditioned matrix would print digits it
// does not have.
func differAt(ctx context.Context, a, b ast.Expr, bind ast.Bindings, opt Options, funcs *ast.Defs) (d pointDiff, err error) {
	bind = binary(bind)
	t := NewTranslator(opt.Decls, opt.Simplify.Defs)
	t.Use(a)
	t.Use(b)
	approx := false
	xa, ba, shape, err := exactEntries(ctx, t, a, bind, opt, funcs, &approx)
	if err != nil {
		d.inexact, d.why = errors.Is(err, errInexact), err
		return d, ctxErr(ctx, err)
	}
	xb, bb, _, err := exactEntries(ctx, t, b, bind, opt, funcs, &approx)
	if err != nil {
		d.inexact, d.why = errors.Is(err, errInexact), err
		return d, ctxErr(ctx, err)
	}
	if len(xa) != len(xb) {
		return d, fmt.Errorf("the sides have %d and %d entries", len(xa), len(xb))
	}
	pt := ast.Bindings{}
	for k, v := range ba {
		pt[k] = v
	}
	for k, v := range bb {
		pt[k] = v
	}
	for i := range xa {
		ce, err := numcheck.Confirm(ctx, xa[i], xb[i], pt, nil)
		if err != nil {
			d.why = err
			return d, ctxErr(ctx, err)
		}
		if ce != nil && approx && !apart(ce) {
			// Within what the approximated inverses could make: the
			// entry agrees as far as the check can resolve; the other
			// entries may still differ clearly. (Giving up on the point
			// here lost 25 of the 30 points of inv(exp(A))*exp(A) ==
			// eye(n), and the message said they were undefined.)
			d.unresolved = true
			continue
		}
		if ce == nil {
			// No difference; but a side with no value at the point is no
			// agreement either (log(sum(W .* inv(W)') - d) is log(0)).
			d.undefA = d.undefA || undefinedAt(ctx, xa[i], pt)
			d.undefB = d.undefB || undefinedAt(ctx, xb[i], pt)
			if len(ba)+len(bb) > 0 && !d.undefA && !d.undefB && (!settles(ctx, xa[i], pt) || !settles(ctx, xb[i], pt)) {
				// An inverse's entries (1/3) held at 256 bits leave
				// tr(W*inv(W)) - d a little off 0, and log of it a value:
				// a side whose value rounding does not fix is no evidence.
				d.inexact = true
				return d, nil
			}
		}
		if ce != nil {
			d.at, d.ce, d.known = i, ce, true
			var okA, okB bool
			d.left, okA = settled(ctx, xa, pt, shape)
			d.right, okB = settled(ctx, xb, pt, shape)
			d.ok = okA && okB
			return d, nil
		}
	}
	d.known = true
	return d, nil
}

// apart reports whether the two sides of ce differ by more than approxGap
// times 1 + the larger, read off their values to 30 digits.
func apart(ce *numcheck.Counterexample) bool {
	l, _, errL := big.ParseFloat(ce.Left, 10, 256, big.ToNearestEven)
	r, _, errR := big.ParseFloat(ce.Right, 10, 256, big.ToNearestEven)
	if errL != nil || errR != nil {
		return false
	}
	d := new(big.Float).SetPrec(256).Sub(l, r)
	d.Abs(d)
	m := new(big.Float).Abs(l)
	if new(big.Float).Abs(r).Cmp(m) > 0 {
		m.Abs(r)
	}
	m.Add(m, big.NewFloat(1))
	return d.Cmp(m.Mul(m, big.NewFloat(approxGap))) > 0
}

// A pointDiff is what differAt finds at a point.
type pointDiff struct {
	known       bool
	at          int                      // the entry that differs
	ce          *numcheck.Counterexample // its values, or nil: no difference
	left, right ast.Value                // the whole sides, where ok
	ok          bool
	inexact     bool // unknown: an inverse of a matrix with entries not rational
	// why: not known, the error that stopped the evaluation there (a
	// singular inverse, or a point the evaluator refused), for the message.
	why error
	// unresolved: known, no clear difference, but some entry differs by
	// less than approxGap of its size, which the approximated inverses
	// and determinants cannot tell from equal.
	unresolved bool
	// undefA, undefB: known, no difference found, but some entry of a
	// (of b) has no value at the point, so the point shows no agreement.
	undefA, undefB bool
}

// undefinedAt reports whether x has no value at pt: its evaluation at
// 256 bits fails on a point outside its domain (log(0), a division by 0).
// A value beyond big.Float's range is not taken for undefined.
func undefinedAt(ctx context.Context, x ast.Expr, pt ast.Bindings) bool {
	_, err := ast.EvalBig(ctx, x, nil, pt, 256)
	var de *ast.DomainError
	return err != nil && errors.As(err, &de) && !strings.HasSuffix(de.Msg, "out of range here")
}

// settles reports whether the value of x at pt is fixed by a bound on
// rounding.
func settles(ctx context.Context, x ast.Expr, pt ast.Bindings) bool {
	_, ok, _, err := numcheck.Settle(ctx, x, pt, 256)
	return err == nil && ok
}

// settled evaluates the entries xs at pt, each to the float64 nearest
// its value, fixed by a bound on rounding; false where one is not.
func settled(ctx context.Context, xs []ast.Expr, pt ast.Bindings, shape []int) (ast.Value, bool) {
	out := ast.Value{Shape: shape, Data: make([]float64, len(xs))}
	for i, x := range xs {
		v, ok, _, err := numcheck.Settle(ctx, x, pt, 256)
		if err != nil || !ok {
			return ast.Value{}, false
		}
		f, _ := v.Float64()
		if math.IsInf(f, 0) {
			return ast.Value{}, false
		}
		out.Data[i] = f
	}
	return out, true
}

// ctxErr keeps a cancellation and drops any other error: a side that
// cannot be evaluated exactly at a point gives no evidence there.
func ctxErr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return nil
}

// binary gives every float64 value its exact binary rational: the exact
// evaluator would read 1.0000009536743164 as that decimal, the
// high-precision one as the float64 it is, and an inverse of the one
// would not be the inverse of the other.
func binary(b ast.Bindings) ast.Bindings {
	out := make(ast.Bindings, len(b))
	for k, v := range b {
		if v.Exact == nil {
			v.Exact = make([]*big.Rat, len(v.Data))
			for i, f := range v.Data {
				r := new(big.Rat)
				if r.SetFloat64(f) == nil {
					return b // ±Inf or NaN: no exact value
				}
				v.Exact[i] = r
			}
		}
		out[k] = v
	}
	return out
}
