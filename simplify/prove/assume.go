package prove

import (
	"context"
	"maps"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"

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
	said := map[string][]string{} // name → what was assumed of it, as written
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
	var eqs [][2]ast.Expr // equalities other than sums
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
					} else {
						eqs = append(eqs, [2]ast.Expr{l, r})
					}
					continue
				}
				lv, lnum := constant(l)
				rv, rnum := constant(r)
				switch {
				case lnum && rnum:
					continue // between numbers: nothing to draw
				case rnum && op != "!=":
					if name, ok := subject(l); ok {
						narrow(name, interval(op, rv))
						said[name] = append(said[name], ast.String(l)+" "+op+" "+ast.String(r))
						continue
					}
				case lnum && op != "!=":
					flip := map[string]string{"<": ">", "<=": ">=", ">": "<", ">=": "<="}[op]
					if name, ok := subject(r); ok {
						narrow(name, interval(flip, lv))
						said[name] = append(said[name], ast.String(l)+" "+op+" "+ast.String(r))
						continue
					}
				}
				// Not an interval of one name (x > y, x*y > 0, x != 0):
				// decided at each point drawn.
				if decidable(l) && decidable(r) {
					out.Order = append(out.Order, numcheck.Comparison{L: l, Op: op, R: r})
				}
			}
		}
	}
	var contra []string
	out.Equations, out.Unsolved, contra = solveOrder(eqs)
	out.Contradictions = append(contradictions(out, said), contra...)
	return out
}

// contradictions lists the names whose assumed intervals are empty (x > 0
// and x < 0), or hold none of their assumed values (y in {0, 1} and
// y > 2), in the order of their names. Points drawn for them would lie
// outside what was assumed: the numerical check draws none, and the
// verdict says why, rather than refute the claim at such a point.
func contradictions(as *numcheck.Assumptions, said map[string][]string) []string {
	var out []string
	for _, name := range slices.Sorted(maps.Keys(as.Intervals)) {
		iv := as.Intervals[name]
		what := strings.Join(said[name], " and ")
		switch set, ok := as.Sets[name]; {
		case iv.Empty():
			out = append(out, "no value of "+name+" satisfies "+what)
		case ok && len(set) > 0 && !slices.ContainsFunc(set, func(v float64) bool { return as.Holds(name, v) }):
			vals := make([]string, len(set))
			for i, v := range set {
				vals[i] = strconv.FormatFloat(v, 'g', -1, 64)
			}
			out = append(out, "none of the values {"+strings.Join(vals, ", ")+"} of "+name+" satisfies "+what)
		}
	}
	return out
}

// solveOrder solves each equality for a name one side is (a, or an
// array's entries y[j], y[i, 1]) and the other side does not read, and
// orders the solutions so that each value reads only names drawn freely
// or solved before it. Equalities it cannot solve that way (a*b == 1, a
// second equation for a solved name, equalities that determine each other
// in a cycle) are returned as written: no point is drawn for them, so a
// verdict that needs points says it could not draw any, never that the
// engine contradicts itself.
func solveOrder(eqs [][2]ast.Expr) ([]numcheck.Equation, []string, []string) {
	cands, eqs, contra := constants(eqs)
	var unsolved []string
	taken := map[string]bool{}
	entries := map[string]map[string]bool{} // array → the entries at numbers solved
	for _, c := range cands {
		taken[c.Name] = true
	}
	for _, lr := range eqs {
		l, r := lr[0], lr[1]
		if _, ok := l.(*ast.Num); ok {
			if _, ok := r.(*ast.Num); ok {
				continue // between numbers: nothing to draw
			}
		}
		solved := false
		for _, side := range [][2]ast.Expr{{l, r}, {r, l}} {
			name, idx, ok := solvable(side[0])
			if !ok || taken[name] || ast.HasFree(side[1], name) {
				continue
			}
			// Entries at numbers are solved one by one (w[1] == 2 and
			// w[2] == 3: the second was a second equation for w, and no
			// point was drawn); an equation for all of w or for an entry
			// at a name takes the whole array.
			if key, one := entryKey(side[0], idx); one {
				if entries[name] == nil {
					entries[name] = map[string]bool{}
				}
				if entries[name][key] {
					continue
				}
				entries[name][key] = true
			} else {
				if len(entries[name]) > 0 {
					continue
				}
				taken[name] = true
			}
			cands = append(cands, numcheck.Equation{Name: name, Indices: idx, Value: side[1]})
			solved = true
			break
		}
		if !solved {
			unsolved = append(unsolved, ast.String(l)+" == "+ast.String(r))
		}
	}
	// Kahn's order: an equation comes after those solving the names its
	// value reads.
	var order []numcheck.Equation
	done := make([]bool, len(cands))
	for progress := true; progress; {
		progress = false
		for i, c := range cands {
			if done[i] {
				continue
			}
			ready := true
			for j, d := range cands {
				if !done[j] && j != i && ast.HasFree(c.Value, d.Name) {
					ready = false
					break
				}
			}
			if ready {
				done[i], progress = true, true
				order = append(order, c)
			}
		}
	}
	for i, c := range cands {
		if !done[i] {
			lhs := ast.Expr(ast.NewSym(c.Name))
			if c.Indices != nil {
				lhs = ast.NewIndex(c.Name, c.Indices...)
			}
			unsolved = append(unsolved, ast.String(lhs)+" == "+ast.String(c.Value)+" (in a cycle of equalities)")
		}
	}
	return order, unsolved, contra
}

// constants solves the equalities between scalars (no array entries) by
// substitution until nothing changes, in exact arithmetic: an equality
// with one name not yet known is solved for it where it is linear in it
// (the value is checked by putting it back), and one with none is dropped
// where it holds exactly. It returns the names so given a value, in the
// order found, the equalities it did not use, and those that fail at the
// values found (assume n == 3 and n == 4): no point satisfies them. A
// chain solveOrder could not order (n - 1 == m and m == 2: m was solved
// from the first, and the second was a second equation for m) gives
// m = 2, n = 3.
func constants(eqs [][2]ast.Expr) (out []numcheck.Equation, rest [][2]ast.Expr, contra []string) {
	known := ast.Bindings{}
	used := make([]bool, len(eqs))
	diff := func(i int, at ast.Bindings) (*big.Rat, bool) {
		l, _, errL := ast.EvalExact(context.Background(), eqs[i][0], nil, at)
		r, _, errR := ast.EvalExact(context.Background(), eqs[i][1], nil, at)
		if errL != nil || errR != nil || l == nil || r == nil {
			return nil, false
		}
		return l.Sub(l, r), true
	}
	for changed := true; changed; {
		changed = false
		for i, lr := range eqs {
			if used[i] || readsEntry(lr[0]) || readsEntry(lr[1]) {
				continue
			}
			var unknown []string
			for _, n := range append(ast.FreeNames(lr[0]), ast.FreeNames(lr[1])...) {
				if _, ok := known[n]; !ok && !slices.Contains(unknown, n) {
					unknown = append(unknown, n)
				}
			}
			switch len(unknown) {
			case 0:
				d, ok := diff(i, known)
				if ok && d.Sign() != 0 {
					var vals []string
					for _, n := range slices.Sorted(maps.Keys(known)) {
						if ast.HasFree(lr[0], n) || ast.HasFree(lr[1], n) {
							vals = append(vals, n+" = "+known[n].Exact[0].RatString())
						}
					}
					contra = append(contra, ast.String(lr[0])+" == "+ast.String(lr[1])+" fails where the other equalities give "+strings.Join(vals, ", "))
				}
				used[i] = ok
			case 1:
				x := unknown[0]
				at := maps.Clone(known)
				at[x] = ast.RatScalar(big.NewRat(1, 1))
				f1, ok1 := diff(i, at)
				at[x] = ast.RatScalar(big.NewRat(2, 1))
				f2, ok2 := diff(i, at)
				if !ok1 || !ok2 {
					continue
				}
				slope := new(big.Rat).Sub(f2, f1)
				if slope.Sign() == 0 {
					continue
				}
				v := new(big.Rat).Sub(big.NewRat(1, 1), new(big.Rat).Quo(f1, slope))
				at[x] = ast.RatScalar(v)
				if d, ok := diff(i, at); !ok || d.Sign() != 0 {
					continue // not linear in x
				}
				known[x] = ast.RatScalar(v)
				out = append(out, numcheck.Equation{Name: x, Value: ast.NewNum(ast.FromRat(v))})
				used[i], changed = true, true
			}
		}
	}
	for i, lr := range eqs {
		if !used[i] {
			rest = append(rest, lr)
		}
	}
	return out, rest, contra
}

// readsEntry reports whether e reads an array's entry or has a sum.
func readsEntry(e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(x ast.Expr) bool {
		switch x.(type) {
		case *ast.Index, *ast.Sum:
			found = true
		}
		return !found
	})
	return found
}

// entryKey names the entry e is (w[1, 2]) when its indices are all
// numbers; one is false for a name or an entry at a name (w[j]).
func entryKey(e ast.Expr, idx []ast.Expr) (key string, one bool) {
	if len(idx) == 0 {
		return "", false
	}
	for _, i := range idx {
		if _, ok := i.(*ast.Num); !ok {
			return "", false
		}
	}
	return ast.String(e), true
}

// solvable reads a side an equality can be solved for: a name, or an
// array's entries at indices that are names or whole numbers.
func solvable(e ast.Expr) (string, []ast.Expr, bool) {
	switch x := e.(type) {
	case *ast.Sym:
		return x.Name, nil, true
	case *ast.Index:
		for _, i := range x.Indices {
			switch n := i.(type) {
			case *ast.Sym:
				if n.Name == x.Name {
					return "", nil, false
				}
			case *ast.Num:
				if !n.Value.IsInt() || n.Value.Sign() <= 0 {
					return "", nil, false
				}
			default:
				return "", nil, false
			}
		}
		return x.Name, x.Indices, true
	}
	return "", nil, false
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

// constant is the value of a bound with no names in it: a number, or an
// expression of numbers as written (1/3, -pi/2, exp(1)). Bounds that are
// not plain numbers were once ignored, so points were drawn outside them.
func constant(e ast.Expr) (float64, bool) {
	if n, ok := e.(*ast.Num); ok {
		return n.Value.Float64(), true
	}
	if ast.HasFreeNames(e) {
		return 0, false
	}
	v, err := ast.Eval(e, nil, nil)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

// decidable says whether a side of an assumed comparison has a value at a
// point: it reads no array at a free index (assume y[i] > x is about every
// element, which a point cannot decide as one comparison).
func decidable(e ast.Expr) bool {
	ok := true
	ast.Inspect(e, func(x ast.Expr) bool {
		if ix, isIx := x.(*ast.Index); isIx {
			for _, i := range ix.Indices {
				if s, isSym := i.(*ast.Sym); isSym && ast.HasFree(e, s.Name) {
					ok = false
				}
			}
		}
		return ok
	})
	return ok
}

// withDeclared adds to as the declared dimensions of the vectors and
// matrices whose entries a or b read, so that points bind them in their
// declared shape: a counterexample drew w : vector(3) as a 3×3 matrix for
// sum(j=1..d, w[2,j]) == 5, and w[5] == 1 was refuted with w of 8 entries.
func withDeclared(as *numcheck.Assumptions, decls map[string]ast.Shape, a, b ast.Expr, assumed []*ast.AssumeStmt) *numcheck.Assumptions {
	if len(decls) == 0 {
		return as
	}
	var arrays map[string][]ast.Expr
	odd := map[string]bool{}
	// The arrays the assumptions read too: a point draws them for the
	// assumptions (assume w[1] == 2 with a claim of n alone), and showed
	// them at 8 entries with n = 4.
	reads := []ast.Expr{a, b}
	for _, st := range assumed {
		reads = append(append(reads, st.X), st.Rest...)
	}
	for _, e := range reads {
		ast.Inspect(e, func(x ast.Expr) bool {
			ix, ok := x.(*ast.Index)
			if !ok {
				return true
			}
			s, ok := decls[ix.Name]
			if !ok || s.IsScalar() {
				return true
			}
			if arrays == nil {
				arrays = map[string][]ast.Expr{}
			}
			if odd[ix.Name] {
				return true
			}
			switch {
			case s.IsVector() && len(ix.Indices) == 2:
				// Read as a column (w[i,1]): an n×1 value, as eval takes it.
				arrays[ix.Name] = []ast.Expr{s.Rows, ast.One}
			case s.IsVector() && len(ix.Indices) == 1:
				if len(arrays[ix.Name]) != 2 { // one read as a column makes it one
					arrays[ix.Name] = []ast.Expr{s.Rows}
				}
			case len(ix.Indices) == 2:
				arrays[ix.Name] = []ast.Expr{s.Rows, s.Cols}
			default:
				// A matrix read with one index (the index form of a
				// 1×3 matrix P is P[i]) or a vector with three: not
				// bound in its declared shape, which the reads do not
				// use.
				odd[ix.Name] = true
			}
			return true
		})
	}
	for n := range odd {
		delete(arrays, n)
	}
	if len(arrays) == 0 {
		return as
	}
	if as == nil {
		as = &numcheck.Assumptions{}
	}
	as.Arrays = arrays
	return as
}
