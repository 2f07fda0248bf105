package prove

import (
	"math"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/simplify"
	"github.com/symdiff/symdiff/simplify/numcheck"
)

// numericAssumptions turns the user's assumptions and the free indices'
// ranges into the numerical check's: counterexamples are looked for, and
// proofs checked, only at points where the assumptions hold (labels in
// {0, 1}, p in (0, 1), rows of t that sum to 1) and the indices lie in
// the ranges the claim is made for (l = 2..K: assumed, or the extents of
// the arrays they index).
func numericAssumptions(as []*ast.AssumeStmt, ranges map[string]simplify.Range) *numcheck.Assumptions {
	if len(as) == 0 && len(ranges) == 0 {
		return nil
	}
	out := &numcheck.Assumptions{Sets: map[string][]float64{}, Intervals: map[string]numcheck.Interval{}}
	for k, r := range ranges {
		if out.Ranges == nil {
			out.Ranges = map[string]numcheck.IndexRange{}
		}
		out.Ranges[k] = numcheck.IndexRange{Lo: r.Lo, Hi: r.Hi}
	}
	subject := func(e ast.Expr) (string, bool) {
		switch x := e.(type) {
		case *ast.Sym:
			return x.Name, true
		case *ast.Index:
			for _, i := range x.Indices {
				if _, ok := i.(*ast.Sym); !ok {
					return "", false // a fact about one element only
				}
			}
			return x.Name, true
		}
		return "", false
	}
	narrow := func(name string, iv numcheck.Interval) {
		if old, ok := out.Intervals[name]; ok {
			if old.Lo > iv.Lo || old.Lo == iv.Lo && !old.LoClosed {
				iv.Lo, iv.LoClosed = old.Lo, old.LoClosed
			}
			if old.Hi < iv.Hi || old.Hi == iv.Hi && !old.HiClosed {
				iv.Hi, iv.HiClosed = old.Hi, old.HiClosed
			}
		}
		out.Intervals[name] = iv
	}
	for _, a := range as {
		switch {
		case a.In && a.Set != nil:
			if name, ok := subject(a.X); ok {
				for _, v := range a.Set {
					out.Sets[name] = append(out.Sets[name], v.(*ast.Num).Value.Float64())
				}
			}
		case a.In:
		default:
			operands := append([]ast.Expr{a.X}, a.Rest...)
			for i, op := range a.Ops {
				l, r := operands[i], operands[i+1]
				if op == "==" {
					if s, ok := sumTo(l, r); ok {
						out.Sums = append(out.Sums, s)
					}
					continue
				}
				ln, lnum := l.(*ast.Num)
				rn, rnum := r.(*ast.Num)
				switch {
				case rnum && !lnum:
					if name, ok := subject(l); ok {
						narrow(name, interval(op, rn.Value.Float64()))
					}
				case lnum && !rnum:
					flip := map[string]string{"<": ">", "<=": ">=", ">": "<", ">=": "<="}[op]
					if name, ok := subject(r); ok {
						narrow(name, interval(flip, ln.Value.Float64()))
					}
				}
			}
		}
	}
	return out
}

// interval is where u op v holds.
func interval(op string, v float64) numcheck.Interval {
	inf := math.Inf(1)
	switch op {
	case ">":
		return numcheck.Interval{Lo: v, Hi: inf}
	case ">=":
		return numcheck.Interval{Lo: v, Hi: inf, LoClosed: true}
	case "<":
		return numcheck.Interval{Lo: -inf, Hi: v}
	case "<=":
		return numcheck.Interval{Lo: -inf, Hi: v, HiClosed: true}
	}
	return numcheck.Interval{Lo: -inf, Hi: inf}
}

// sumTo reads sum(c=1..K, t[..., c, ...]) == v.
func sumTo(l, r ast.Expr) (numcheck.SumTo, bool) {
	s, ok := l.(*ast.Sum)
	v, isNum := r.(*ast.Num)
	if !ok || !isNum || s.Op != ast.OpSum || !ast.IsNum(s.Lo, 1) {
		return numcheck.SumTo{}, false
	}
	ix, ok := s.Body.(*ast.Index)
	if !ok {
		return numcheck.SumTo{}, false
	}
	out := numcheck.SumTo{Array: ix.Name, Pos: -1, Value: v.Value.Float64()}
	for p, i := range ix.Indices {
		if sym, ok := i.(*ast.Sym); ok && sym.Name == s.Var {
			out.Pos = p
		}
	}
	switch hi := s.Hi.(type) {
	case *ast.Sym:
		out.Size = hi.Name
	case *ast.Num:
		n, _ := hi.Value.Int64()
		out.N = int(n)
	default:
		return numcheck.SumTo{}, false
	}
	return out, out.Pos >= 0
}
