package algebra

import (
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/symdiff/symdiff/ast"
)

// Apart writes e, a rational function of x, as a polynomial in x plus a
// sum of proper fractions c(x)/q(x)^k, one for each power of each
// irreducible factor q of the denominator (partial fractions over Q).
// The factors of the denominator that contain x must have numbers as
// coefficients; the numerator and the rest of the denominator may contain
// other names: apart(a/(x^2 - 1), x) is a/(2*(x - 1)) - a/(2*(x + 1)).
func Apart(e, x ast.Expr) (out ast.Expr, err error) {
	return ApartContext(context.Background(), e, x)
}

// ApartContext is Apart that gives up with ctx's error soon after ctx is
// done.
func ApartContext(ctx context.Context, e, x ast.Expr) (out ast.Expr, err error) {
	defer catch(&err)
	r := newRing(newWorkCtx(ctx), e)
	v, ok := r.index[x]
	if !ok {
		return TogetherContext(ctx, e)
	}
	f, err := r.rat(e)
	if err != nil {
		return nil, err
	}
	if f.num.isZero() {
		return ast.Zero, nil
	}
	fd, err := factorPoly(f.den)
	if err != nil {
		return nil, err
	}
	// den = K * prod q_i^e_i, K free of x.
	kconst := new(big.Rat).Set(fd.c)
	kpoly := intPoly(r.sp, 1)
	var qs []pfactor
	for _, fac := range fd.fs {
		if !fac.p.has(v) {
			kpoly = kpoly.mul(fac.p.pow(fac.e))
			continue
		}
		if len(fac.p.vars()) > 1 {
			return nil, fmt.Errorf("the factor %s of the denominator has coefficients that are not numbers", ast.String(r.polyExpr(fac.p)))
		}
		qs = append(qs, fac)
	}
	num := f.num.scale(new(big.Rat).Inv(kconst))
	qprod := intPoly(r.sp, 1)
	for _, q := range qs {
		qprod = qprod.mul(q.p.pow(q.e))
	}
	quot, rem, err := divmod(num, qprod, v)
	if err != nil {
		return nil, err
	}
	kshown := []ast.Expr(nil)
	if !kpoly.isConst() {
		fk, _ := factorPoly(kpoly)
		kshown = append(kshown, r.factorsExpr(fk.c, fk.fs, nil))
	}
	var terms []ast.Expr
	add := func(t ast.Expr, neg bool) {
		switch {
		case neg && len(terms) == 0:
			t = negate(t)
		case neg:
			t = ast.NewNeg(t)
		}
		terms = append(terms, t)
	}
	// The polynomial part, over K.
	for _, t := range quot.terms {
		te, neg := r.termExpr(t.c, t.m)
		if kshown != nil {
			te = ast.NewDiv(te, ast.NewMul(kshown...))
		}
		add(te, neg)
	}
	for i, q := range qs {
		a := q.p.pow(q.e)
		b := intPoly(r.sp, 1)
		for j, o := range qs {
			if j != i {
				b = b.mul(o.p.pow(o.e))
			}
		}
		s, err := inverseMod(b, a, v)
		if err != nil {
			return nil, err
		}
		_, ni, err := divmod(rem.mul(s), a, v)
		if err != nil {
			return nil, err
		}
		// ni = sum c_k q^k: ni/q^e = sum c_k / q^(e-k).
		qe := r.polyExpr(q.p)
		var parts []ast.Expr
		var negs []bool
		for k := 0; k < q.e && !ni.isZero(); k++ {
			nq, c, err := divmod(ni, q.p, v)
			if err != nil {
				return nil, err
			}
			ni = nq
			if c.isZero() {
				continue
			}
			den := append([]ast.Expr{power(qe, q.e-k)}, kshown...)
			t, neg := r.fraction(c, den)
			parts, negs = append(parts, t), append(negs, neg)
		}
		for j := len(parts) - 1; j >= 0; j-- { // lowest power of q first
			add(parts[j], negs[j])
		}
	}
	if len(terms) == 0 {
		return ast.Zero, nil
	}
	// The polynomial part first, then each factor's powers, lowest first.
	return ast.NewAdd(terms...), nil
}

// fraction displays num/den, with the sign of a one-term numerator taken
// out.
func (r *ring) fraction(num poly, den []ast.Expr) (ast.Expr, bool) {
	if len(num.terms) == 1 {
		t := num.terms[0]
		var nf, df []ast.Expr
		for v, e := range t.m {
			switch {
			case e > 0:
				nf = append(nf, power(r.shown[v], e))
			case e < 0:
				df = append(df, power(r.shown[v], -e))
			}
		}
		return r.withCoeff(t.c, nf, append(df, den...))
	}
	c := num.ratContent()
	if num.terms[0].c.Sign() < 0 {
		c.Neg(c)
	}
	return r.withCoeff(c, []ast.Expr{r.polyExpr(num.scale(new(big.Rat).Inv(c)))}, den)
}

// divmod divides a by b as polynomials in v; b's leading coefficient in v
// must be a number.
func divmod(a, b poly, v int) (poly, poly, error) {
	lb := b.lc(v)
	if !lb.isConst() || lb.isZero() {
		return a, a, errors.New("a leading coefficient that is not a number")
	}
	inv := new(big.Rat).Inv(lb.constant())
	db := b.deg(v)
	q := zeroPoly(a.space)
	r := a
	for !r.isZero() && r.deg(v) >= db {
		d := r.deg(v)
		t := r.coeff(v, d).scale(inv).mul(varPoly(a.space, v, d-db))
		q = q.add(t)
		r = r.sub(t.mul(b))
		if len(r.terms) > maxTerms {
			return a, a, errTooLarge
		}
	}
	return q, r, nil
}

// inverseMod returns s with s*b = 1 modulo a, for coprime b and a in
// Q[v] (extended Euclid).
func inverseMod(b, a poly, v int) (poly, error) {
	n := a.space
	r0, r1 := a, b
	s0, s1 := zeroPoly(n), intPoly(n, 1) // s_i*b = r_i mod a
	_, r1, err := divmod(r1, a, v)
	if err != nil {
		return r1, err
	}
	_, s1, _ = divmod(s1, a, v)
	for !r1.isZero() && r1.has(v) {
		q, r, err := divmod(r0, r1, v)
		if err != nil {
			return r, err
		}
		r0, r1 = r1, r
		s0, s1 = s1, s0.sub(q.mul(s1))
	}
	if r1.isZero() || !r1.isConst() {
		return r1, errors.New("factors of the denominator are not coprime")
	}
	s := s1.scale(new(big.Rat).Inv(r1.constant()))
	_, s, err = divmod(s, a, v)
	return s, err
}
