package matrix

import (
	"slices"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/rules"
	"github.com/symdiff/symdiff/simplify"
)

// Assumptions about vectors and matrices. An equality such as
// assume sum(y) == 1 (labels that sum to one, as one-hot labels do) is
// written in matrix notation, and the simplifier works in index form: the
// assumption is translated to index form (sum(i=1..K, y[i]) == 1), where
// it is a rewrite like any other. A result says whether it used one, and a
// result that keeps sum(v) next to a softmax says which assumption would
// remove it.

// indexAssumptions returns the assumptions with the equalities between
// scalar matrix expressions translated to index form, and for each
// translated one the text the user wrote, by the text of its translation.
func indexAssumptions(t *Translator, as []*ast.AssumeStmt) ([]*ast.AssumeStmt, map[string]string) {
	var out []*ast.AssumeStmt
	var written map[string]string
	for _, a := range as {
		if a.In || !t.Involved(a.X) && !slices.ContainsFunc(a.Rest, t.Involved) {
			out = append(out, a)
			continue
		}
		operands := append([]ast.Expr{a.X}, a.Rest...)
		// Between vectors or matrices of one shape the assumption holds
		// entry by entry (T*ones(K) == ones(n): each row sums to 1), at
		// fresh indices that stand for any entry.
		var r, c ast.Expr
		first, err := t.Shape(a.X)
		ok := err == nil
		if ok && !first.IsScalar() {
			if first.Rows != ast.One {
				r = ast.NewSym(t.Fresh())
			}
			if first.Cols != ast.One {
				c = ast.NewSym(t.Fresh())
			}
		}
		for i, op := range operands {
			if !ok {
				break
			}
			s, err := t.Shape(op)
			if err != nil || !sameShape(s, first) {
				ok = false
				break
			}
			if operands[i], err = t.Entry(op, r, c); err != nil {
				ok = false
				break
			}
			operands[i] = withoutOnes(operands[i])
		}
		if !ok {
			continue // operands of different shapes: nothing in index form says it
		}
		ia := &ast.AssumeStmt{X: operands[0], Ops: a.Ops, Rest: operands[1:]}
		if written == nil {
			written = map[string]string{}
		}
		written[simplify.AssumptionRule(ia).Doc] = simplify.AssumptionRule(a).Doc
		out = append(out, ia)
	}
	return out, written
}

// withoutOnes drops the factors 1 of products (T*ones(K) at row r is
// sum(j, T[r,j]*1)), so that the prover's points meet an assumption
// sum(j=1..K, T[r,j]) == 1 in the form it draws labels for.
func withoutOnes(e ast.Expr) ast.Expr {
	kids := ast.Children(e)
	if len(kids) == 0 {
		return e
	}
	out := make([]ast.Expr, 0, len(kids))
	for _, k := range kids {
		out = append(out, withoutOnes(k))
	}
	if _, ok := e.(*ast.Mul); ok {
		fs := out[:0:0]
		for _, f := range out {
			if !ast.IsNum(f, 1) {
				fs = append(fs, f)
			}
		}
		return ast.NewMul(fs...)
	}
	return ast.WithChildren(e, out)
}

// assumptionNotes says which of the translated assumptions the
// simplification of r used, in the user's words, and, when r keeps
// sum(v) of a vector next to a softmax and no assumption was used, that
// assume sum(v) == 1 would remove it.
func assumptionNotes(r *Result, written map[string]string, given []*ast.AssumeStmt) []string {
	var notes []string
	seen := map[string]bool{}
	var walk func(rules.Trace)
	walk = func(tr rules.Trace) {
		for _, st := range tr {
			for _, rule := range append([]*rules.Rule{st.Rule}, st.Uses...) {
				if rule == nil || rule.Kind != rules.Assumption {
					continue
				}
				if w, ok := written[rule.Doc]; ok && !seen[w] {
					seen[w] = true
					notes = append(notes, "("+w+")")
				}
			}
			walk(st.Sub)
		}
	}
	if r.Simplified != nil {
		walk(r.Simplified.Trace)
	}
	if len(notes) > 0 || r.Value == nil {
		return notes
	}
	var softmax bool
	var sums []ast.Expr
	ast.InspectOnce(r.Value, func(x ast.Expr) bool {
		if m, ok := x.(*ast.MatOp); ok {
			switch m.Kind {
			case ast.MatSoftmax:
				softmax = true
			case ast.MatSumAll:
				if _, ok := m.Args[0].(*ast.Sym); ok && !slices.Contains(sums, x) {
					sums = append(sums, x)
				}
			}
		}
		return true
	})
	if softmax {
		for _, s := range sums {
			v := ast.String(s)
			if a := mentioning(given, s); a != nil {
				notes = append(notes, "("+ast.StmtString(a)+" was not used: an equality rewrites its left side to its right side; write assume "+v+" == 1)")
				continue
			}
			notes = append(notes, "(no assumption about "+v+": for labels that sum to 1, as one-hot labels do, assume "+v+" == 1)")
		}
	}
	return notes
}

// mentioning returns the first assumption with x among its operands.
func mentioning(as []*ast.AssumeStmt, x ast.Expr) *ast.AssumeStmt {
	for _, a := range as {
		for _, op := range append([]ast.Expr{a.X}, a.Rest...) {
			found := false
			ast.InspectOnce(op, func(y ast.Expr) bool {
				found = found || y == x
				return !found
			})
			if found {
				return a
			}
		}
	}
	return nil
}
