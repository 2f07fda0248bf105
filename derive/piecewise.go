package derive

import (
	"slices"

	"github.com/symdiff/symdiff/ast"
)

// The derivative of a piece that holds on a set of measure zero. The
// piecewise rule differentiates piece by piece, d(if(c, a, b), v) =
// if(c, d(a, v), d(b, v)), which is the derivative wherever c does not
// change near the point. Where c holds at isolated points only (x == 0),
// the piece a does not decide the derivative there: the function is b all
// around the point, so its derivative is d(b, v) when the function is
// continuous there (a = b at the point), and undefined when it jumps.
// if(x == 0, 0, x) is x everywhere, and its derivative is 1 at 0, not the
// 0 the piece 0 gives. The same holds with the pieces' roles swapped where
// c fails at isolated points only (x != 0). As in Mathematica, where the
// answer is not known the result says undefined rather than guess.

// piecewise is the layer of d(if(c, a, b), v).
func (dv *deriver) piecewise(x *ast.If) ast.Expr {
	if iso, line, ok := dv.thin(x.Cond); ok {
		return ast.NewIf(x.Cond, dv.atPoint(x.Cond, x.Then, x.Else, iso, line), dv.dd(x.Else))
	}
	if iso, line, ok := dv.coThin(x.Cond); ok {
		return ast.NewIf(x.Cond, dv.dd(x.Then), dv.atPoint(x.Cond, x.Else, x.Then, iso, line))
	}
	return ast.NewIf(x.Cond, dv.dd(x.Then), dv.dd(x.Else))
}

// atPoint is the derivative at a point where the condition c chooses the
// piece at, and other around it (iso says that the point is isolated):
// other's derivative where the two pieces agree, else undefined. Where c
// does not read v at the point (w[k] == 0 differentiated by w[j], j != k)
// it is the same for every value of v, and the derivative is at's. With
// line, where iso fails the point is not isolated but c holds (or fails)
// for every v near it, and the derivative is at's too.
func (dv *deriver) atPoint(c, at, other, iso ast.Expr, line bool) ast.Expr {
	d := dv.dd(other)
	if at == other {
		return d
	}
	var notIso ast.Expr = ast.Undefined()
	if line {
		notIso = ast.NewIf(iso, ast.Undefined(), dv.dd(at))
	}
	j := ast.Expr(ast.NewIf(ast.NewAnd(iso, ast.NewCompare(ast.CondEq, at, other)), d, notIso))
	if reads, ok := dv.reads(c); ok {
		j = ast.NewIf(reads, j, dv.dd(at))
	}
	return j
}

// reads returns the condition under which e reads the indexed variable v
// = w[j] itself: one of its w[k] has k = j. ok is false when v is a plain
// name (e reads it wherever it depends on it) or an index of some w[...]
// in e is bound by a sum inside e.
func (dv *deriver) reads(e ast.Expr) (ast.Expr, bool) {
	v, ok := dv.v.(*ast.Index)
	if !ok {
		return nil, false
	}
	var alts []ast.Expr
	ok = true
	var walk func(x ast.Expr, bound []string)
	walk = func(x ast.Expr, bound []string) {
		if !ok {
			return
		}
		switch x := x.(type) {
		case *ast.Index:
			if x.Name == v.Name && len(x.Indices) == len(v.Indices) {
				eqs := make([]ast.Expr, len(x.Indices))
				for m, k := range x.Indices {
					for _, n := range bound {
						if ast.HasFree(k, n) {
							ok = false
						}
					}
					eqs[m] = ast.NewCompare(ast.CondEq, k, v.Indices[m])
				}
				alts = append(alts, ast.NewAnd(eqs...))
			}
		case *ast.Sum:
			walk(x.Lo, bound)
			walk(x.Hi, bound)
			walk(x.Body, append(bound[:len(bound):len(bound)], x.Var))
			return
		}
		for _, k := range ast.Children(x) {
			walk(k, bound)
		}
	}
	walk(e, nil)
	if !ok || len(alts) == 0 {
		return nil, false
	}
	return ast.NewOr(alts...), true
}

// thin reports whether c holds, as a function of v with the other names
// fixed, on a set of measure zero near every point where it holds and
// iso does: an equation l == r whose sides are smooth and whose
// difference has a non-zero derivative in v there (then the point is the
// only solution near it), a conjunction with such an equation, or a
// disjunction of such conditions. iso is the condition under which that
// holds at a point (a number's derivative makes it true or false). line
// says that c is one equation whose difference is affine in v (its
// derivative does not read v): where iso fails, that difference is 0 for
// every v, so c holds on a whole neighbourhood (x == x; x*y == 0 at y = 0).
func (dv *deriver) thin(c ast.Expr) (iso ast.Expr, line, ok bool) {
	cd, isCond := c.(*ast.Condition)
	if !isCond {
		return nil, false, false // a value in a condition's place: u != 0
	}
	switch cd.Op {
	case ast.CondEq:
		g := difference(cd.Args[0], cd.Args[1])
		if !dv.dependsOn(g) || !dv.smooth(g) {
			return nil, false, false
		}
		return ast.NewCompare(ast.CondNe, dv.dd(g), ast.Zero), dv.affine(g), true
	case ast.CondAnd:
		for _, a := range cd.Args {
			if iso, _, ok := dv.thin(a); ok {
				return iso, false, true
			}
		}
	case ast.CondOr:
		isos := make([]ast.Expr, len(cd.Args))
		for i, a := range cd.Args {
			iso, _, ok := dv.thin(a)
			if !ok {
				return nil, false, false
			}
			isos[i] = ast.NewOr(ast.NewNot(a), iso)
		}
		return ast.NewAnd(isos...), false, true
	case ast.CondNot:
		return dv.coThin(cd.Args[0])
	}
	return nil, false, false
}

// affine reports whether e is, as written, a*v + b with a and b free of
// v (x - x, x*y, (x + 1)/2): its derivative does not read v.
func (dv *deriver) affine(e ast.Expr) bool {
	if !dv.dependsOn(e) {
		return true
	}
	switch x := e.(type) {
	case *ast.Sym:
		return x.Name == dv.name
	case *ast.Index:
		return x.Name == dv.name
	case *ast.Neg:
		return dv.affine(x.X)
	case *ast.Add:
		return !slices.ContainsFunc(x.Terms, func(t ast.Expr) bool { return !dv.affine(t) })
	case *ast.Mul:
		n := 0
		for _, f := range x.Factors {
			if dv.dependsOn(f) {
				n++
				if n > 1 || !dv.affine(f) {
					return false
				}
			}
		}
		return true
	case *ast.Div:
		return !dv.dependsOn(x.Y) && dv.affine(x.X)
	}
	return false
}

// coThin is thin for the negation of c.
func (dv *deriver) coThin(c ast.Expr) (iso ast.Expr, line, ok bool) {
	cd, isCond := c.(*ast.Condition)
	if !isCond {
		return dv.thin(ast.NewCompare(ast.CondEq, c, ast.Zero))
	}
	switch cd.Op {
	case ast.CondNe:
		return dv.thin(ast.NewCompare(ast.CondEq, cd.Args[0], cd.Args[1]))
	case ast.CondOr: // not (a or b) is (not a) and (not b)
		for _, a := range cd.Args {
			if iso, _, ok := dv.coThin(a); ok {
				return iso, false, true
			}
		}
	case ast.CondAnd: // not (a and b) is (not a) or (not b)
		isos := make([]ast.Expr, len(cd.Args))
		for i, a := range cd.Args {
			iso, _, ok := dv.coThin(a)
			if !ok {
				return nil, false, false
			}
			isos[i] = ast.NewOr(a, iso)
		}
		return ast.NewAnd(isos...), false, true
	case ast.CondNot:
		return dv.thin(cd.Args[0])
	}
	return nil, false, false
}

// smooth reports whether g is built of operations that are continuously
// differentiable wherever they are defined inside their domain: no kink,
// condition, bracket, derivative, or name defined by the user (whose
// definition might hold one).
func (dv *deriver) smooth(g ast.Expr) bool {
	ok := true
	ast.InspectOnce(g, func(x ast.Expr) bool {
		switch x := x.(type) {
		case *ast.Call:
			if _, builtin := ast.LookupFunc(x.Fn); !builtin || ast.IsKinkFunc(x.Fn) {
				ok = false
			} else if _, defined := dv.opt.Defs.Lookup(x.Fn); defined {
				ok = false
			}
		case *ast.Sym:
			if _, defined := dv.opt.Defs.Lookup(x.Name); defined {
				ok = false
			}
		case *ast.Index:
			if _, defined := dv.opt.Defs.Lookup(x.Name); defined {
				ok = false
			}
		case *ast.Condition, *ast.If, *ast.Iverson, *ast.Deriv, *ast.MatOp:
			ok = false
		}
		return ok
	})
	return ok
}

// difference is l - r, without a term 0 (x == 0 is x, not x + 0).
func difference(l, r ast.Expr) ast.Expr {
	switch {
	case ast.IsNum(r, 0):
		return l
	case ast.IsNum(l, 0):
		return ast.NewNeg(r)
	}
	return ast.NewAdd(l, ast.NewNeg(r))
}
