package simplify

import (
	"slices"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/simplify/algebra"
)

// A common numeric factor of a sum, kept out. The canonical form writes
// a sum with a primitive polynomial and a coefficient, which display
// multiplies back in when it is a long decimal: the GELU approximation's
// 0.7978845608*(x + 0.044715*x^3) came out as 0.7978845608*x +
// 0.035677408136172*x^3. numericFactorForm takes out of each sum the
// factor (one of its terms' coefficients) that makes it cheapest by Cost,
// so the coefficients inside are the short ones the user wrote, and a sum
// of halves and a 0.5 reads (a + b + 1)/2 rather than a/2 + b/2 + 0.5:
// /2 and 0.5 are not mixed in one sum. Taking out a number is exact.

// numericFactorForm rewrites the sums of e (innermost first); it reports
// whether it changed anything.
func numericFactorForm(e ast.Expr) (ast.Expr, bool) {
	if e.Size() > maxReshape {
		return e, false
	}
	changed := false
	// Walked as a tree (it is small), without ast.Map's memo: for the
	// display forms shown here, filling the map cost more than the walk.
	var walk func(ast.Expr) ast.Expr
	walk = func(x ast.Expr) ast.Expr {
		switch y := x.(type) {
		case *ast.Num, *ast.Sym:
			return x
		case *ast.Pow:
			// Without ast.Children's list of two: W4's 98 powers x^k
			// were a sixth of its display search.
			if a, b := walk(y.X), walk(y.Y); a != y.X || b != y.Y {
				return ast.NewPow(a, b)
			}
			return x
		case *ast.Div:
			if a, b := walk(y.X), walk(y.Y); a != y.X || b != y.Y {
				return ast.NewDiv(a, b)
			}
			return x
		case *ast.Neg:
			if a := walk(y.X); a != y.X {
				return ast.NewNeg(a)
			}
			return x
		}
		x = ast.MapChildren(x, walk)
		var r ast.Expr
		switch y := x.(type) {
		case *ast.Add:
			r = factorOutNumber(y)
		case *ast.Mul:
			r = gatherNumbers(y)
		default:
			return x
		}
		changed = changed || r != x
		return r
	}
	return walk(e), changed
}

// factorOutNumber returns c*(a/c + b/c + ...) for the coefficient c of a
// term of a that makes it cheapest, or a when none is cheaper; a sum that
// mixes a fraction written /q with a decimal number is cheaper unmixed.
func factorOutNumber(a *ast.Add) ast.Expr {
	trivial := true // every coefficient 0, 1 or -1: nothing to take out, nothing to write as a decimal
	for _, t := range a.Terms {
		if k := displayCoefNum(t); !k.IsZero() && !absNum(k).IsOne() {
			trivial = false
			break
		}
	}
	if trivial {
		return a // known before the lists are made
	}
	ks := make([]ast.Number, len(a.Terms))
	ms := make([]ast.Expr, len(a.Terms))
	for i, t := range a.Terms {
		ks[i], ms[i] = displayCoef(t)
	}
	var best ast.Expr = a
	// The terms written a/2 with decimal coefficients instead (0.5*a), so
	// that they read like the decimal number beside them: 0.2*x + 0.35.
	mixed := mixesNumbers(a)
	if mixed {
		terms := make([]ast.Expr, len(ks))
		for i := range ks {
			terms[i] = a.Terms[i]
			if ms[i] != nil && !ks[i].IsInt() && showsDecimal(ks[i]) {
				terms[i] = decimalTerm(ks[i], ms[i])
			}
		}
		if cand := signedSum(terms); betterShown(cand, best) {
			best = cand
		}
	}
	var tried []ast.Number // a sum's few distinct coefficients: no map, no keys
	costBest := -1         // Cost(best) while best is a and !mixed
	for _, k := range ks {
		c := absNum(k)
		if c.IsZero() || c.IsOne() || slices.ContainsFunc(tried, c.Equal) {
			continue
		}
		tried = append(tried, c)
		terms := make([]ast.Expr, len(ks))
		ok := true
		for i := range ks {
			q, _ := ks[i].Quo(c)
			ok = ok && q.Bits() <= ast.MaxNumberBits
			terms[i] = coefTerm(q, ms[i])
		}
		if !ok {
			continue
		}
		cand := coefTerm(c, signedSum(terms))
		if best == ast.Expr(a) && !mixed {
			if costBest < 0 {
				costBest = Cost(best)
			}
			if Cost(cand) < costBest {
				best = cand
			}
			continue
		}
		if betterShown(cand, best) {
			best = cand
		}
	}
	return best
}

// signedSum is the sum of terms as written, a term after the first that
// negate made negative (-2*g/q, -0.5*x) subtracted: a - 2*g/q, not
// a + -2*g/q, as tidy's addDisplay writes it.
func signedSum(terms []ast.Expr) ast.Expr {
	for i := 1; i < len(terms); i++ {
		if abs, ok := unnegate(terms[i]); ok {
			terms[i] = ast.NewNeg(abs)
		}
	}
	return ast.NewAdd(terms...)
}

// unnegate undoes negate: |e| for a product or quotient whose sign negate
// put on its first factor or number.
func unnegate(e ast.Expr) (ast.Expr, bool) {
	switch x := e.(type) {
	case *ast.Mul:
		rest := x.Factors[1:]
		switch f := x.Factors[0].(type) {
		case *ast.Neg:
			return ast.NewMul(append([]ast.Expr{f.X}, rest...)...), true
		case *ast.Num:
			if f.Value.Sign() >= 0 {
				return nil, false
			}
			if k := f.Value.Neg(); !k.IsOne() {
				return ast.NewMul(append([]ast.Expr{ast.NewNum(k)}, rest...)...), true
			}
			return ast.NewMul(rest...), true
		}
	case *ast.Div:
		if abs, ok := unnegate(x.X); ok {
			return ast.NewDiv(abs, x.Y), true
		}
	}
	return nil, false
}

// betterShown orders display forms: a sum that mixes /q with a decimal
// number is worse (unless the unmixed form costs more than 2 more); then
// the cheaper by Cost. Between unmixed forms of a mixed sum, costs being
// equal, the one with fewer non-integer numbers, then fewer digits:
// (tanh(u) + 1)/2 before 0.5*tanh(u) + 0.5. A sum that does not mix is
// reshaped only when that is strictly cheaper.
func betterShown(a, b ast.Expr) bool {
	ma, mb := mixesNumbers(a), mixesNumbers(b)
	if ma != mb {
		return mb && Cost(a) <= Cost(b)+2
	}
	if ca, cb := Cost(a), Cost(b); ca != cb {
		return ca < cb
	}
	if ma {
		return false
	}
	if da, db := decimalOverNumber(a), decimalOverNumber(b); da != db && shortDecimals(a) && shortDecimals(b) {
		// 0.2*x + 0.35 before (x + 1.75)/5: short decimals read as typed,
		// without a number made by dividing. A long one stays over its
		// denominator: (tanh(u) + 0.7978845608*x*... + 1)/2, not
		// 0.3989422804*x*....
		return db
	}
	if fa, fb := fractionsWritten(a), fractionsWritten(b); fa != fb {
		return fa < fb
	}
	return digitsWritten(a) < digitsWritten(b)
}

// fractionsWritten counts the numbers written in e that are not integers.
func fractionsWritten(e ast.Expr) int {
	n := 0
	ast.InspectOnce(e, func(x ast.Expr) bool {
		if k, ok := x.(*ast.Num); ok && !k.Value.IsInt() {
			n++
		}
		return true
	})
	return n
}

// digitsWritten counts the digits of the numbers written in e.
func digitsWritten(e ast.Expr) int {
	n := 0
	ast.InspectOnce(e, func(x ast.Expr) bool {
		if k, ok := x.(*ast.Num); ok {
			for _, c := range ast.String(k) {
				if c >= '0' && c <= '9' {
					n++
				}
			}
		}
		return true
	})
	return n
}

// decimalTerm writes k times m with k as a decimal in front: 0.5*x.
func decimalTerm(k ast.Number, m ast.Expr) ast.Expr {
	neg := k.Sign() < 0
	if neg {
		k = k.Neg()
	}
	var out ast.Expr
	if d, ok := m.(*ast.Div); ok {
		out = ast.NewDiv(ast.NewMul(append([]ast.Expr{ast.NewNum(k)}, factorsOf(d.X)...)...), d.Y)
	} else {
		out = ast.NewMul(append([]ast.Expr{ast.NewNum(k)}, factorsOf(m)...)...)
	}
	if neg {
		return negate(out)
	}
	return out
}

// mixesNumbers reports whether a sum of e (outside function arguments)
// has a term divided by a number and a term that is a decimal number:
// x/2 + 0.5.
func mixesNumbers(e ast.Expr) bool {
	mixed := false
	var walk func(ast.Expr)
	walk = func(x ast.Expr) {
		if mixed {
			return
		}
		switch y := x.(type) {
		case *ast.Add:
			div, dec := false, false
			for _, t := range y.Terms {
				if n, ok := t.(*ast.Neg); ok {
					t = n.X
				}
				switch t := t.(type) {
				case *ast.Div:
					// x/2, written so where 0.5*x could be.
					k, _ := displayCoef(t)
					div = div || divByNumber(t) && !k.IsInt() && showsDecimal(k)
				case *ast.Num:
					dec = dec || !t.Value.IsInt()
				}
			}
			mixed = div && dec
		case *ast.Call:
			return
		case *ast.Num, *ast.Sym:
			return
		case *ast.Pow: // without ast.Children's list of two
			walk(y.X)
			walk(y.Y)
			return
		case *ast.Div:
			walk(y.X)
			walk(y.Y)
			return
		case *ast.Neg:
			walk(y.X)
			return
		}
		for _, k := range ast.Children(x) {
			walk(k)
		}
	}
	walk(e)
	return mixed
}

// decimalOverNumber reports whether e is a quotient by a number whose
// numerator has a decimal number outside function arguments:
// (x + 1.75)/5, where 0.2*x + 0.35 reads as the input was typed.
func decimalOverNumber(e ast.Expr) bool {
	if n, ok := e.(*ast.Neg); ok {
		e = n.X
	}
	d, ok := e.(*ast.Div)
	if !ok || !divByNumber(d) {
		return false
	}
	found := false
	var walk func(ast.Expr)
	walk = func(x ast.Expr) {
		switch y := x.(type) {
		case *ast.Num:
			found = found || !y.Value.IsInt() && showsDecimal(y.Value)
		case *ast.Call:
			return
		}
		for _, k := range ast.Children(x) {
			if !found {
				walk(k)
			}
		}
	}
	walk(d.X)
	return found
}

// shortDecimals reports whether the numbers e writes as decimals have at
// most 4 digits each (0.35, 1.75), as people type them.
func shortDecimals(e ast.Expr) bool {
	short := true
	ast.InspectOnce(e, func(x ast.Expr) bool {
		if k, ok := x.(*ast.Num); ok && !k.Value.IsInt() && showsDecimal(k.Value) {
			d, _ := k.Value.Decimal()
			digits := 0
			for _, c := range d {
				if c >= '1' && c <= '9' || c == '0' && digits > 0 {
					digits++
				}
			}
			short = short && digits <= 4
		}
		return short
	})
	return short
}

func divByNumber(d *ast.Div) bool {
	if _, ok := d.Y.(*ast.Num); ok {
		return true
	}
	m, ok := d.Y.(*ast.Mul)
	if !ok {
		return false
	}
	_, ok = m.Factors[0].(*ast.Num)
	return ok
}

// gatherNumbers writes a product with numbers among its factors (as
// factorOutNumber leaves them: x*(0.4*(y + 1))) with one coefficient in
// front; a product without such factors is returned as it is.
func gatherNumbers(m *ast.Mul) ast.Expr {
	if displayShortcuts && !numberAfterFirst(m.Factors) {
		return m // nothing to gather: known before the list of the rest is made
	}
	k := ast.Int(1)
	var rest []ast.Expr
	found := false
	for i, f := range m.Factors {
		fk, fm := displayCoef(f)
		if i == 0 || fk.IsOne() {
			if i == 0 {
				k = fk
				if fm != nil {
					rest = append(rest, factorsOf(fm)...)
				}
				continue
			}
			rest = append(rest, f)
			continue
		}
		switch f.(type) {
		case *ast.Add, *ast.Num: // a number left unevaluated (too large) stays so
			rest = append(rest, f)
			continue
		}
		nk, err := k.MulChecked(fk)
		if err != nil {
			return m
		}
		found = true
		k = nk
		if fm != nil {
			rest = append(rest, factorsOf(fm)...)
		}
	}
	if !found {
		return m
	}
	return coefTerm(k, ast.NewMul(rest...))
}

// numberAfterFirst reports whether a factor after the first, other than
// a sum or a number, has a display coefficient other than 1: what
// gatherNumbers takes into the product's number. (displayCoefNum is
// displayCoef's number: TestDisplayCoefNum.)
func numberAfterFirst(fs []ast.Expr) bool {
	for _, f := range fs[1:] {
		switch f.(type) {
		case *ast.Add, *ast.Num:
			continue
		}
		if !displayCoefNum(f).IsOne() {
			return true
		}
	}
	return false
}

// displayCoef splits a display term into its numeric coefficient and the
// rest (nil for a number): 3*x/4 is 3/4 and x, -x/2 is -1/2 and x.
// displayCoefNum is the number of displayCoef(t), without the rest of
// the term built.
func displayCoefNum(t ast.Expr) ast.Number {
	switch x := t.(type) {
	case *ast.Num:
		return x.Value
	case *ast.Neg:
		return displayCoefNum(x.X).Neg()
	case *ast.Mul:
		if n, ok := x.Factors[0].(*ast.Num); ok {
			return n.Value
		}
	case *ast.Div:
		k := displayCoefNum(x.X)
		if n, ok := x.Y.(*ast.Num); ok && n.Value.Sign() > 0 {
			q, _ := k.Quo(n.Value)
			return q
		}
		if dm, ok := x.Y.(*ast.Mul); ok {
			if n, ok := dm.Factors[0].(*ast.Num); ok && n.Value.Sign() > 0 {
				k, _ = k.Quo(n.Value)
			}
		}
		return k
	}
	return ast.Int(1)
}

func displayCoef(t ast.Expr) (ast.Number, ast.Expr) {
	switch x := t.(type) {
	case *ast.Num:
		return x.Value, nil
	case *ast.Neg:
		k, m := displayCoef(x.X)
		return k.Neg(), m
	case *ast.Mul:
		if n, ok := x.Factors[0].(*ast.Num); ok {
			return n.Value, ast.NewMul(x.Factors[1:]...)
		}
	case *ast.Div:
		k, m := displayCoef(x.X)
		den := x.Y
		if n, ok := den.(*ast.Num); ok && n.Value.Sign() > 0 {
			q, _ := k.Quo(n.Value)
			return q, m
		}
		if dm, ok := den.(*ast.Mul); ok {
			if n, ok := dm.Factors[0].(*ast.Num); ok && n.Value.Sign() > 0 {
				k, _ = k.Quo(n.Value)
				den = ast.NewMul(dm.Factors[1:]...)
			}
		}
		if m == nil {
			m = ast.One
		}
		return k, ast.NewDiv(m, den)
	}
	return ast.Int(1), t
}

// coefTerm writes k times m (nil for 1) as display writes a product: a
// decimal coefficient in front (0.5*x when ShowDecimal says so), else p*m/q
// with the minus sign in front.
func coefTerm(k ast.Number, m ast.Expr) ast.Expr {
	neg := k.Sign() < 0
	if neg {
		k = k.Neg()
	}
	var num, den []ast.Expr
	switch d := m.(type) {
	case nil:
	case *ast.Div:
		if d.X != ast.One {
			num = factorsOf(d.X)
		}
		den = factorsOf(d.Y)
	default:
		num = factorsOf(m)
	}
	var out ast.Expr
	switch {
	case m == nil && k.IsInt():
		out = ast.NewNum(k)
	case m == nil && showsDecimal(k):
		out = ast.NewNum(k)
	case algebra.ShowDecimal(k):
		num = append([]ast.Expr{ast.NewNum(k)}, num...)
	default:
		p, q := k.Parts() // Numbers: no math/big for the small ones
		if !p.IsOne() || len(num) == 0 {
			num = append([]ast.Expr{ast.NewNum(p)}, num...)
		}
		if !q.IsOne() {
			den = append([]ast.Expr{ast.NewNum(q)}, den...)
		}
	}
	if out == nil {
		out = ast.NewMul(num...)
		if len(den) > 0 {
			out = ast.NewDiv(out, ast.NewMul(den...))
		}
	}
	if neg {
		return negate(out)
	}
	return out
}

// showsDecimal reports whether the number k prints as a decimal (0.25),
// as a number standing alone does when it has a terminating expansion.
func showsDecimal(k ast.Number) bool {
	_, ok := k.Decimal()
	return ok
}
