package prove

import (
	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/simplify"
)

// Infeasible cases. A case of a split is a set of strict inequalities
// g > 0 (and -g > 0); nested splits can assume a > b, b > c and then
// c > a, which no point satisfies, and where the two sides' forms may
// differ without any counterexample. infeasible decides such sets by
// Fourier-Motzkin elimination over the rationals, treating every
// monomial that is not a number as an unknown of its own: a relaxation,
// so a set it finds infeasible is infeasible.

// A strict is sum(coef[m]*m) + c > 0, or >= 0 when weak is set (an
// assumption x >= 0).
type strict struct {
	coef map[ast.Expr]ast.Number
	c    ast.Number
	weak bool
}

const maxFMRows = 400

// linearForm writes sign*g as a strict inequality over its monomials.
func linearForm(g ast.Expr, sign int) strict {
	r := strict{coef: map[ast.Expr]ast.Number{}, c: ast.Int(0)}
	s := ast.Int(int64(sign))
	var add func(e ast.Expr, k ast.Number)
	add = func(e ast.Expr, k ast.Number) {
		switch x := e.(type) {
		case *ast.Add:
			for _, t := range x.Terms {
				add(t, k)
			}
			return
		case *ast.Neg:
			add(x.X, k.Neg())
			return
		}
		c, m := simplify.SplitCoeff(e)
		c = c.Mul(k)
		if m == ast.One {
			r.c = r.c.Add(c)
			return
		}
		r.coef[m] = r.coef[m].Add(c)
		if r.coef[m].IsZero() {
			delete(r.coef, m)
		}
	}
	add(g, s)
	return r
}

// infeasible reports whether no point satisfies every g*sign > 0.
func infeasible(cons []strict) bool {
	rows := append([]strict(nil), cons...)
	for {
		if len(rows) > maxFMRows {
			return false // too large to decide: assume feasible
		}
		// A row with no unknowns left is a claim c > 0.
		var v ast.Expr
		for _, r := range rows {
			if len(r.coef) == 0 && (r.c.Sign() < 0 || r.c.Sign() == 0 && !r.weak) {
				return true
			}
			for m := range r.coef {
				if v == nil || ast.String(m) < ast.String(v) {
					v = m
				}
			}
		}
		if v == nil {
			return false
		}
		rows = eliminate(rows, v)
	}
}

// eliminate removes the unknown v from rows by Fourier-Motzkin: the rows
// without v stay, and every row with a positive coefficient of v is
// combined with every row with a negative one, scaled to cancel v.
func eliminate(rows []strict, v ast.Expr) []strict {
	var pos, neg, rest []strict
	for _, r := range rows {
		switch k := r.coef[v]; {
		case k.Sign() > 0:
			pos = append(pos, r)
		case k.Sign() < 0:
			neg = append(neg, r)
		default:
			rest = append(rest, r)
		}
	}
	for _, p := range pos {
		for _, n := range neg {
			a, b := p.coef[v], n.coef[v].Neg() // both > 0: b*p + a*n cancels v
			rest = append(rest, combine(p, b, n, a, v))
		}
	}
	return rest
}

// combine returns a*p + b*q without the unknown v (a, b > 0).
func combine(p strict, a ast.Number, q strict, b ast.Number, v ast.Expr) strict {
	// A positive combination is strict if either part is.
	r := strict{coef: map[ast.Expr]ast.Number{}, c: p.c.Mul(a).Add(q.c.Mul(b)), weak: p.weak && q.weak}
	for m, k := range p.coef {
		r.coef[m] = k.Mul(a)
	}
	for m, k := range q.coef {
		r.coef[m] = r.coef[m].Add(k.Mul(b))
	}
	for m, k := range r.coef {
		if m == v || k.IsZero() {
			delete(r.coef, m)
		}
	}
	return r
}

// assumed turns the user's assumptions of order (assume delta > 0,
// assume 0 < p <= 1) into inequalities over canonical monomials, so that
// a case they exclude claims nothing.
func assumed(as []*ast.AssumeStmt) []strict {
	var out []strict
	for _, a := range as {
		if a.In {
			continue
		}
		operands := append([]ast.Expr{a.X}, a.Rest...)
		for i, op := range a.Ops {
			l, r := operands[i], operands[i+1]
			var g ast.Expr
			switch op {
			case ">", ">=":
				g = ast.NewAdd(l, ast.NewNeg(r))
			case "<", "<=":
				g = ast.NewAdd(r, ast.NewNeg(l))
			default:
				continue
			}
			row := linearForm(simplify.PlainCanonical(g), 1)
			row.weak = op == ">=" || op == "<="
			out = append(out, row)
		}
	}
	return out
}

// witness finds a point in a case: values for its unknowns at which every
// inequality holds, by Fourier-Motzkin elimination and back-substitution
// (the last unknown from the rows with only it left, then each earlier
// one from the rows with it and the ones already chosen). Each value is
// taken at the fraction t of its interval (or 1 past a single bound), so
// that it stands clear of the boundary. It works only when every unknown
// is a scalar name: a monomial x*y as an unknown of its own may take a
// value no x and y give. ok is false when there is no such point or the
// rows are too many.
func witness(cons []strict, t ast.Number) (map[string]ast.Number, bool) {
	rows := append([]strict(nil), cons...)
	var order []ast.Expr
	var stages [][]strict // stages[i]: the rows before eliminating order[i]
	for {
		if len(rows) > maxFMRows {
			return nil, false
		}
		var v ast.Expr
		for _, r := range rows {
			if len(r.coef) == 0 && (r.c.Sign() < 0 || r.c.Sign() == 0 && !r.weak) {
				return nil, false // infeasible
			}
			for m := range r.coef {
				if _, ok := m.(*ast.Sym); !ok {
					return nil, false
				}
				if v == nil || ast.String(m) < ast.String(v) {
					v = m
				}
			}
		}
		if v == nil {
			break
		}
		order = append(order, v)
		stages = append(stages, rows)
		rows = eliminate(rows, v)
	}
	vals := map[string]ast.Number{}
	for i := len(order) - 1; i >= 0; i-- {
		v := order[i]
		// Each row is k*v + (the rest, known now) > 0: a bound on v.
		var lo, hi *ast.Number
		loWeak, hiWeak := true, true
		for _, r := range stages[i] {
			k := r.coef[v]
			if k.IsZero() {
				continue
			}
			rest := r.c
			for m, c := range r.coef {
				if m == v {
					continue
				}
				x, ok := vals[m.(*ast.Sym).Name]
				if !ok {
					return nil, false
				}
				rest = rest.Add(c.Mul(x))
			}
			b, _ := rest.Neg().Quo(k) // v > b for k > 0, v < b for k < 0
			if k.Sign() > 0 {
				if lo == nil || b.Cmp(*lo) > 0 || b.Cmp(*lo) == 0 && !r.weak {
					lo, loWeak = &b, r.weak
				}
			} else if hi == nil || b.Cmp(*hi) < 0 || b.Cmp(*hi) == 0 && !r.weak {
				hi, hiWeak = &b, r.weak
			}
		}
		var x ast.Number
		switch {
		case lo != nil && hi != nil:
			c := lo.Cmp(*hi)
			if c > 0 || c == 0 && !(loWeak && hiWeak) {
				return nil, false
			}
			x = lo.Add(hi.Sub(*lo).Mul(t))
		case lo != nil:
			x = lo.Add(ast.Int(1))
		case hi != nil:
			x = hi.Sub(ast.Int(1))
		default:
			x = t
		}
		vals[v.(*ast.Sym).Name] = x
	}
	return vals, true
}
