package session

import (
	"context"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/simplify"
)

// The search for a point that reaches a part under a condition that is
// not linear in its names (reached, undefwhere.go, is exact arithmetic at
// a few rational points). prove 'y + (x-x)^sin(z) - (x-x)^sin(z) == y'
// said "proved": 0^sin(z) divides by zero wherever sin(z) < 0, and exact
// arithmetic has no value for sin(-1), so no point was found and nothing
// was said. Here a condition is evaluated exactly where it can be and
// otherwise at a settled precision (ast.EvalBigSettled), each comparison
// on the way only where its two sides differ by a settled amount (or
// exactly, by the rules); the points are drawn from far and near 0,
// multiples of pi and the roots of a condition that is a polynomial of
// degree 1 to 3 in one name. A condition for which no point is found is
// not taken to hold nowhere unless the simplifier shows that (cos(z) > 2,
// exp(z) < 0): otherwise it cannot be decided, and the error says so.

// reachOutcome is what the search for a point that reaches a part found.
type reachOutcome int

const (
	reachNone      reachOutcome = iota // no point: never reached, or a linear condition not met
	reachFound                         // a point that reaches it
	reachUndecided                     // no point found, nor shown never reached
)

// nonlinearSearch turns the search of this file on (the tests compare
// with it off, where the old verdicts come back).
var nonlinearSearch = true

// nonlinearPoints is the number of points the search tries.
const nonlinearPoints = 512

// maxRuleChecks bounds the comparisons per search that are decided by the
// rules where numbers are too close to tell (cos(z) == -1 at z = pi).
const maxRuleChecks = 16

// nonlinearIn reports whether a comparison or bracket of e has a side
// that is not a polynomial of degree 1 or less in its names.
func nonlinearIn(e ast.Expr) bool {
	found := false
	ast.InspectOnce(e, func(x ast.Expr) bool {
		if found {
			return false
		}
		switch c := x.(type) {
		case *ast.Condition:
			if c.Op.IsComparison() {
				for _, a := range c.Args {
					if d, ok := polyDegree(a); !ok || d > 1 {
						found = true
					}
				}
			}
		case *ast.Iverson:
			for _, a := range c.Args {
				if d, ok := polyDegree(a); !ok || d > 1 {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// polyDegree is the degree of e as a polynomial in its names (a sum over
// an index or an indexed name counts as degree 1, as the old search
// takes them); ok is false where e is not a polynomial.
func polyDegree(e ast.Expr) (int, bool) {
	switch x := e.(type) {
	case *ast.Num:
		return 0, true
	case *ast.Sym, *ast.Index:
		return 1, true
	case *ast.Sum:
		d, ok := polyDegree(x.Body)
		return max(d, 1), ok
	case *ast.Neg:
		return polyDegree(x.X)
	case *ast.Add:
		m := 0
		for _, t := range x.Terms {
			d, ok := polyDegree(t)
			if !ok {
				return 0, false
			}
			m = max(m, d)
		}
		return m, true
	case *ast.Mul:
		s := 0
		for _, f := range x.Factors {
			d, ok := polyDegree(f)
			if !ok {
				return 0, false
			}
			s += d
		}
		return s, true
	case *ast.Div:
		if n, ok := x.Y.(*ast.Num); ok && n.Value.Sign() != 0 {
			return polyDegree(x.X)
		}
	case *ast.Pow:
		if n, ok := x.Y.(*ast.Num); ok && n.Value.IsInt() && n.Value.Sign() > 0 {
			d, ok := polyDegree(x.X)
			k := n.Value.Rat().Num()
			if !ok || !k.IsInt64() || k.Int64() > 64 {
				return 0, false
			}
			return d * int(k.Int64()), true
		}
	}
	return 0, false
}

// pointDecider decides conditions at points given as expressions.
type pointDecider struct {
	ctx        context.Context
	defs       *ast.Defs
	opt        simplify.Options
	ruleChecks int
}

// holds reports whether e, with no names left, is above 0: exactly, or
// at a settled precision once each comparison in it is replaced by its
// decided truth (its sides' difference has a sign exactly, at a settled
// precision, or by the rules). A comparison that is not decided leaves
// the point undecided: two sides equal but not rational (sin(z)^2 +
// cos(z)^2 and 1) round to either side of each other.
func (d *pointDecider) holds(e ast.Expr) bool {
	r, _, err := ast.EvalExact(d.ctx, e, d.defs, nil)
	if err != nil {
		return false
	}
	if r != nil {
		return r.Sign() > 0
	}
	ok := true
	decided := ast.Rewrite(e, func(x ast.Expr) (ast.Expr, bool) {
		if !ok {
			return x, true
		}
		switch c := x.(type) {
		case *ast.Condition:
			if !c.Op.IsComparison() {
				return nil, false
			}
			s, known := d.sign(c.Args[0], c.Args[1])
			ok = known
			return ast.NewCompare(c.Op, ast.NewInt(int64(s)), ast.Zero), true
		case *ast.Iverson:
			var cs []ast.Expr
			for i := 0; ok && i+1 < len(c.Args); i++ {
				s, known := d.sign(c.Args[i], c.Args[i+1])
				ok = known
				cs = append(cs, ast.NewCompare(ast.CondLe, ast.NewInt(int64(s)), ast.Zero))
			}
			return ast.NewIf(ast.NewAnd(cs...), ast.One, ast.Zero), true
		}
		return nil, false
	})
	if !ok {
		return false
	}
	if r, _, err := ast.EvalExact(d.ctx, decided, d.defs, nil); err != nil || r != nil {
		return err == nil && r.Sign() > 0
	}
	v, _, err := ast.EvalBigSettled(d.ctx, decided, d.defs, nil, undefinedPrec)
	return err == nil && v.Sign() > 0
}

// sign returns the sign of a - b, with no names, where it is decided:
// exactly, or not 0 at a settled precision, or a number by the rules
// (cos(pi) + 1).
func (d *pointDecider) sign(a, b ast.Expr) (int, bool) {
	diff := ast.NewAdd(a, ast.NewNeg(b))
	if ast.HasFreeNames(diff) {
		return 0, false // an index of a sum around: not decided point by point here
	}
	r, _, err := ast.EvalExact(d.ctx, diff, d.defs, nil)
	if err != nil {
		return 0, false
	}
	if r != nil {
		return r.Sign(), true
	}
	v, p, err := ast.EvalBigSettled(d.ctx, diff, d.defs, nil, undefinedPrec)
	if err == nil && p < ast.MaxSettlePrec && v.Sign() != 0 && v.MantExp(nil) > -int(p)/2 {
		return v.Sign(), true
	}
	if err != nil || d.ruleChecks >= maxRuleChecks {
		return 0, false
	}
	d.ruleChecks++
	res, err := simplify.Simplify(d.ctx, diff, d.opt)
	if err != nil {
		return 0, false
	}
	if n, isNum := res.Canonical.(*ast.Num); isNum {
		return n.Value.Sign(), true
	}
	return 0, false
}

// nonlinearCandidates are the values tried for a name that is not a size:
// near and far from 0, and multiples of pi for the trigonometric
// functions. A size takes the first five and 100.
func nonlinearCandidates() []ast.Expr {
	pi := ast.NewCall("pi")
	return []ast.Expr{
		ast.NewInt(1), ast.NewInt(2), ast.NewInt(3), ast.NewInt(5), ast.NewInt(10), ast.NewInt(100),
		ast.NewInt(0), ast.NewInt(-1), ast.NewNum(ast.Frac(1, 2)), ast.NewNum(ast.Frac(-3, 2)), ast.NewNum(ast.Frac(7, 3)),
		ast.NewInt(-2), ast.NewNum(ast.Frac(-1, 2)), ast.NewInt(-10), ast.NewInt(-100), ast.NewInt(1000), ast.NewInt(-1000),
		ast.NewNum(ast.Frac(1, 1000)), ast.NewNum(ast.Frac(-1, 1000)), ast.NewNum(ast.Frac(1, 1000000)), ast.NewNum(ast.Frac(-1, 1000000)),
		pi, ast.NewNeg(pi), ast.NewDiv(pi, ast.NewInt(2)), ast.NewNeg(ast.NewDiv(pi, ast.NewInt(2))),
		ast.NewMul(ast.NewInt(3), ast.NewDiv(pi, ast.NewInt(2))), ast.NewMul(ast.NewInt(2), pi), ast.NewDiv(pi, ast.NewInt(4)),
	}
}

// wholeNonlinear is the number of nonlinearCandidates a size takes.
const wholeNonlinear = 6

// rootCandidates are the values of name at which a comparison of e that
// is a polynomial of degree 1 to 3 in name alone changes sign or touches
// 0, and rational points beside them: (z - 1/3)^2 <= 0 holds at 1/3 only,
// z^2 == 2 at the square roots of 2.
func rootCandidates(ctx context.Context, e ast.Expr, name string, defs *ast.Defs, opt simplify.Options) []ast.Expr {
	var out []ast.Expr
	ast.InspectOnce(e, func(x ast.Expr) bool {
		var pairs [][2]ast.Expr
		switch c := x.(type) {
		case *ast.Condition:
			if c.Op.IsComparison() {
				pairs = append(pairs, [2]ast.Expr{c.Args[0], c.Args[1]})
			}
		case *ast.Iverson:
			for i := 0; i+1 < len(c.Args); i++ {
				pairs = append(pairs, [2]ast.Expr{c.Args[i], c.Args[i+1]})
			}
		}
		for _, p := range pairs {
			diff := ast.NewAdd(p[0], ast.NewNeg(p[1]))
			if names := ast.FreeNames(diff); len(names) != 1 || names[0] != name {
				continue
			}
			if deg, ok := polyDegree(diff); ok && deg >= 1 && deg <= 3 {
				out = append(out, polyRoots(ctx, diff, name, deg, defs, opt)...)
			}
		}
		return len(out) < 64
	})
	return out
}

// polyRoots returns the real roots of p, a polynomial of degree deg (1 to
// 3) in name, and of its derivative, with rational points beside each.
// The coefficients come from exact values at 0..deg.
func polyRoots(ctx context.Context, p ast.Expr, name string, deg int, defs *ast.Defs, opt simplify.Options) []ast.Expr {
	vals := make([]*big.Rat, deg+1)
	for k := range vals {
		r, _, err := ast.EvalExact(ctx, p, defs, ast.Bindings{name: ast.RatScalar(big.NewRat(int64(k), 1))})
		if err != nil || r == nil {
			return nil
		}
		vals[k] = r
	}
	c := interpolate(vals)
	var roots []ast.Expr
	num := func(r *big.Rat) ast.Expr { return ast.NewNum(ast.FromRat(r)) }
	beside := func(f float64) {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return
		}
		r := new(big.Rat)
		if r.SetFloat64(f) == nil {
			return
		}
		eps := big.NewRat(1, 1000)
		roots = append(roots, num(r), num(new(big.Rat).Add(r, eps)), num(new(big.Rat).Sub(r, eps)))
	}
	f := make([]float64, len(c))
	for i, ci := range c {
		f[i], _ = ci.Float64()
	}
	switch {
	case deg == 3 && c[3].Sign() == 0:
		return polyRoots(ctx, p, name, 2, defs, opt)
	case deg == 1:
		if c[1].Sign() != 0 {
			r := new(big.Rat).Quo(new(big.Rat).Neg(c[0]), c[1])
			roots = append(roots, num(r), num(new(big.Rat).Add(r, big.NewRat(1, 1000))), num(new(big.Rat).Sub(r, big.NewRat(1, 1000))))
		}
	case deg == 2:
		a, b := c[2], c[1]
		if a.Sign() == 0 {
			return polyRoots(ctx, p, name, 1, defs, opt)
		}
		// -b/(2a), the vertex, and (-b ± sqrt(b^2 - 4ac))/(2a).
		two := new(big.Rat).Mul(big.NewRat(2, 1), a)
		vertex := new(big.Rat).Quo(new(big.Rat).Neg(b), two)
		roots = append(roots, num(vertex))
		disc := new(big.Rat).Sub(new(big.Rat).Mul(b, b), new(big.Rat).Mul(big.NewRat(4, 1), new(big.Rat).Mul(a, c[0])))
		if disc.Sign() > 0 {
			sq := ast.NewCall("sqrt", num(disc))
			for _, s := range []ast.Expr{sq, ast.NewNeg(sq)} {
				root := ast.Expr(ast.NewDiv(ast.NewAdd(num(new(big.Rat).Neg(b)), s), num(two)))
				if r, err := simplify.Simplify(ctx, root, opt); err == nil {
					root = r.Expr // sqrt(2), as the point is said
				}
				roots = append(roots, root)
			}
			df, _ := disc.Float64()
			vf, _ := vertex.Float64()
			af, _ := two.Float64()
			beside(vf + math.Sqrt(df)/math.Abs(af))
			beside(vf - math.Sqrt(df)/math.Abs(af))
		}
	case deg == 3:
		// Real roots by bisection between the critical points (float64:
		// the points beside them decide, exactly or settled).
		eval := func(x float64) float64 { return ((f[3]*x+f[2])*x+f[1])*x + f[0] }
		marks := []float64{-1e6}
		if d := f[2]*f[2] - 3*f[3]*f[1]; d >= 0 && f[3] != 0 {
			s := math.Sqrt(d)
			x1, x2 := (-f[2]-s)/(3*f[3]), (-f[2]+s)/(3*f[3])
			marks = append(marks, min(x1, x2), max(x1, x2))
			beside(x1)
			beside(x2)
		}
		marks = append(marks, 1e6)
		for i := 0; i+1 < len(marks); i++ {
			lo, hi := marks[i], marks[i+1]
			if (eval(lo) > 0) == (eval(hi) > 0) {
				continue
			}
			for range 200 {
				mid := (lo + hi) / 2
				if (eval(mid) > 0) == (eval(lo) > 0) {
					lo = mid
				} else {
					hi = mid
				}
			}
			beside((lo + hi) / 2)
		}
	}
	return roots
}

// interpolate returns the coefficients, constant first, of the polynomial
// of degree len(vals) - 1 with the values vals at 0, 1, ...: Newton's
// forward differences, expanded.
func interpolate(vals []*big.Rat) []*big.Rat {
	n := len(vals)
	diffs := make([]*big.Rat, n) // the k-th forward difference at 0
	row := slices.Clone(vals)
	for k := range n {
		diffs[k] = new(big.Rat).Set(row[0])
		next := make([]*big.Rat, len(row)-1)
		for i := range next {
			next[i] = new(big.Rat).Sub(row[i+1], row[i])
		}
		row = next
	}
	// p(x) = sum_k diffs[k] * x(x-1)...(x-k+1)/k!
	coef := make([]*big.Rat, n)
	for i := range coef {
		coef[i] = new(big.Rat)
	}
	basis := []*big.Rat{big.NewRat(1, 1)} // x(x-1)...(x-k+1)/k!, constant first
	for k := range n {
		for i, b := range basis {
			coef[i].Add(coef[i], new(big.Rat).Mul(b, diffs[k]))
		}
		// basis *= (x - k)/(k + 1)
		nb := make([]*big.Rat, len(basis)+1)
		for i := range nb {
			nb[i] = new(big.Rat)
		}
		for i, b := range basis {
			nb[i+1].Add(nb[i+1], b)
			nb[i].Sub(nb[i], new(big.Rat).Mul(b, big.NewRat(int64(k), 1)))
		}
		for i := range nb {
			nb[i].Quo(nb[i], big.NewRat(int64(k+1), 1))
		}
		basis = nb
	}
	return coef
}

// reachedNonlinear searches points for the indicator and the limits'
// conditions conds, the names in whole being sizes. It returns the point
// found, as text, or why none was found and the indicator is not shown to
// be 0 everywhere (reachUndecided), or reachNone where it is.
func reachedNonlinear(ctx context.Context, indicator ast.Expr, names []string, whole map[string]bool, conds []ast.Expr, defs *ast.Defs, opt simplify.Options) (string, reachOutcome) {
	d := &pointDecider{ctx: ctx, defs: defs, opt: opt}
	base := nonlinearCandidates()
	cands := make([][]ast.Expr, len(names))
	for i, n := range names {
		if whole[n] {
			cands[i] = base[:wholeNonlinear]
			continue
		}
		cands[i] = append(slices.Clone(base), rootCandidates(ctx, indicator, n, defs, opt)...)
	}
	rng := rand.New(rand.NewPCG(9, 9))
	longest := 0
	for _, c := range cands {
		longest = max(longest, len(c))
	}
	for p := range nonlinearPoints {
		if ctx.Err() != nil {
			return "", reachNone
		}
		m := map[string]ast.Expr{}
		for i, n := range names {
			k := p // all names alike first, then drawn
			if p >= longest {
				k = rng.IntN(len(cands[i]))
			}
			m[n] = cands[i][k%len(cands[i])]
		}
		if d.holds(ast.Subst(indicator, m)) && !slices.ContainsFunc(conds, func(c ast.Expr) bool { return !d.holds(ast.Subst(c, m)) }) {
			var at []string
			for _, n := range names {
				at = append(at, n+" = "+ast.String(m[n]))
			}
			return strings.Join(at, ", "), reachFound
		}
		if len(names) == 0 {
			break
		}
	}
	if ctx.Err() != nil {
		return "", reachNone
	}
	// Shown never reached by the rules' sign analysis (cos(z) > 2,
	// sigma(z) < 0, z^2 < 0), under the assumptions.
	if r, err := simplify.Simplify(ctx, indicator, opt); err == nil && ast.IsNum(r.Canonical, 0) {
		return "", reachNone
	}
	return fmt.Sprintf("no point was found where the conditions hold (%d tried, exactly or at a settled precision), nor are they shown never to hold", nonlinearPoints), reachUndecided
}
