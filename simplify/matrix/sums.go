package matrix

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/rules"
)

// Index sums in a canonical order. tr(A*B*C) and tr(C*A*B) are, in index
// form, sum(i, sum(j, sum(k, A[i,j]*B[j,k]*C[k,i]))) and the same sum with
// its bound indices named the other way round: the canonical forms of the
// simplifier keep the names and the order of the sums, so they differ.
// Here the sums of a product are gathered in front of it (a factor free
// of j moves into sum(j, ...), a sum of terms splits into sums), and the
// bound indices of each run of nested sums are renamed to fixed names in
// the order that gives the smallest form, the factors of a product read
// as a multiset. Both sides of an identity are written so before the
// prover compares them.

// RuleSumOrder is the step that writes the sums of an entry in canonical
// order.
var RuleSumOrder = &rules.Rule{Name: "sum_order", Kind: rules.Pass, Source: rules.Source{File: "matrix (built in)"},
	Doc:  "reorder the sums and rename their indices",
	Text: "sum(i=a..b, sum(j=c..d, f)) = sum(j=c..d, sum(i=a..b, f)) when no range depends on i or j; a bound index may be renamed; u*sum(j, v) = sum(j, u*v) when j is not free in u; sum(j, u + v) = sum(j, u) + sum(j, v)"}

// Rules lists the matrix calculus's own rules.
func Rules() []*rules.Rule {
	return append([]*rules.Rule{RuleSumOrder, RuleInverse, RuleSymmetrize}, identityRules()...)
}

// maxOrderings bounds the orderings of bound indices tried for one
// expression.
const maxOrderings = 20000

// sumOrderer writes sums in canonical order with names from pool.
type sumOrderer struct {
	pool  []string
	tried int
	keys  map[ast.Expr]string
}

// orderSums writes the sums of a and b in canonical order, with bound
// indices named from a pool of names free in neither.
func orderSums(a, b ast.Expr) (ast.Expr, ast.Expr) {
	taken := map[string]bool{}
	for _, e := range []ast.Expr{a, b} {
		for _, n := range ast.FreeNames(e) {
			taken[n] = true
		}
	}
	var pool []string
	for k := 0; len(pool) < 64; k++ {
		for _, n := range indexNames {
			if k > 0 {
				n += strconv.Itoa(k + 1)
			}
			if !taken[n] {
				pool = append(pool, n)
			}
		}
	}
	o := &sumOrderer{pool: pool, keys: map[ast.Expr]string{}}
	return o.canon(prenex(a), 0), o.canon(prenex(b), 0)
}

// prenex gathers the sums of products in front of them and splits sums of
// terms.
func prenex(e ast.Expr) ast.Expr {
	switch x := e.(type) {
	case *ast.Sum:
		if x.Op != ast.OpSum {
			return e
		}
		body := prenex(x.Body)
		switch b := body.(type) {
		case *ast.Add:
			terms := make([]ast.Expr, len(b.Terms))
			for i, t := range b.Terms {
				terms[i] = prenex(ast.NewSum(ast.OpSum, x.Var, x.Lo, x.Hi, t))
			}
			return ast.NewAdd(terms...)
		case *ast.Neg:
			return ast.NewNeg(prenex(ast.NewSum(ast.OpSum, x.Var, x.Lo, x.Hi, b.X)))
		}
		return ast.NewSum(ast.OpSum, x.Var, x.Lo, x.Hi, body)
	case *ast.Neg:
		return ast.NewNeg(prenex(x.X))
	case *ast.Add:
		terms := make([]ast.Expr, len(x.Terms))
		for i, t := range x.Terms {
			terms[i] = prenex(t)
		}
		return ast.NewAdd(terms...)
	case *ast.Mul:
		fs := make([]ast.Expr, len(x.Factors))
		for i, f := range x.Factors {
			fs[i] = prenex(f)
		}
		for i, f := range fs {
			switch f := f.(type) {
			case *ast.Neg:
				fs[i] = f.X
				return ast.NewNeg(prenex(ast.NewMul(fs...)))
			case *ast.Sum:
				if f.Op != ast.OpSum {
					continue
				}
				rest := append(slices.Clone(fs[:i]), fs[i+1:]...)
				v, body := f.Var, f.Body
				other := ast.NewMul(rest...)
				if ast.HasFree(other, v) {
					nv := ast.Fresh(v+"'", func(s string) bool { return ast.HasFree(other, s) || ast.HasFree(body, s) })
					body, v = ast.Rename(body, v, nv), nv
				}
				return prenex(ast.NewSum(ast.OpSum, v, f.Lo, f.Hi, flatMul(append(rest, body)...)))
			}
		}
		return flatMul(fs...)
	}
	return e
}

// flatMul multiplies factors, spreading the factors of products among
// them.
func flatMul(fs ...ast.Expr) ast.Expr {
	var out []ast.Expr
	for _, f := range fs {
		if m, ok := f.(*ast.Mul); ok {
			out = append(out, m.Factors...)
		} else {
			out = append(out, f)
		}
	}
	return ast.NewMul(out...)
}

// canon renames the bound indices of e from the pool, from depth on.
func (o *sumOrderer) canon(e ast.Expr, depth int) ast.Expr {
	sum, ok := e.(*ast.Sum)
	if !ok {
		kids := ast.Children(e)
		if len(kids) == 0 {
			return e
		}
		out := make([]ast.Expr, len(kids))
		for i, k := range kids {
			out[i] = o.canon(k, depth)
		}
		return ast.WithChildren(e, out)
	}
	// The run of nested sums (a mean stands alone), and whether their
	// order is free.
	run := []*ast.Sum{sum}
	body := sum.Body
	for sum.Op == ast.OpSum {
		s, ok := body.(*ast.Sum)
		if !ok || s.Op != ast.OpSum {
			break
		}
		run, body = append(run, s), s.Body
	}
	if depth+len(run) > len(o.pool) {
		return e
	}
	free := true
	for _, s := range run {
		for _, t := range run {
			if ast.HasFree(s.Lo, t.Var) || ast.HasFree(s.Hi, t.Var) {
				free = false
			}
		}
	}
	perms := [][]int{identity(len(run))}
	if free && len(run) > 1 && len(run) <= 5 && o.tried < maxOrderings {
		perms = permutations(len(run))
	}
	var best ast.Expr
	var bestKey string
	var bestPerm []int
	for _, p := range perms {
		o.tried++
		// p[i] is the sum named pool[depth+i].
		m := map[string]ast.Expr{}
		for i, k := range p {
			m[run[k].Var] = ast.NewSym(o.pool[depth+i])
		}
		b := o.canon(ast.Subst(body, m), depth+len(run))
		if k := o.key(b); best == nil || k < bestKey {
			best, bestKey, bestPerm = b, k, p
		}
	}
	out := best
	for i := len(run) - 1; i >= 0; i-- {
		s := run[bestPerm[i]]
		out = ast.NewSum(s.Op, o.pool[depth+i], s.Lo, s.Hi, out)
	}
	return out
}

// key writes e with the terms of sums and the factors of products
// sorted: two expressions equal up to their order have one key.
func (o *sumOrderer) key(e ast.Expr) string {
	if k, ok := o.keys[e]; ok {
		return k
	}
	var k string
	switch x := e.(type) {
	case *ast.Num, *ast.Sym, *ast.Index:
		k = ast.Sexpr(e)
	case *ast.Add, *ast.Mul:
		var parts []string
		var add func(c ast.Expr)
		add = func(c ast.Expr) {
			// Nested products (sums) are one product (sum).
			if fmt.Sprintf("%T", c) == fmt.Sprintf("%T", e) {
				for _, g := range ast.Children(c) {
					add(g)
				}
				return
			}
			parts = append(parts, o.key(c))
		}
		for _, c := range ast.Children(e) {
			add(c)
		}
		slices.Sort(parts)
		op := "+"
		if _, ok := x.(*ast.Mul); ok {
			op = "*"
		}
		k = "(" + op + " " + strings.Join(parts, " ") + ")"
	case *ast.Sum, *ast.Call, *ast.Pow, *ast.Div, *ast.Neg:
		kids := ast.Children(e)
		parts := make([]string, len(kids))
		for i, c := range kids {
			parts[i] = o.key(c)
		}
		head := fmt.Sprintf("%T", e)
		switch x := x.(type) {
		case *ast.Sum:
			head += fmt.Sprintf(" %d %s", x.Op, x.Var)
		case *ast.Call:
			head += " " + x.Fn
		}
		k = "(" + head + " " + strings.Join(parts, " ") + ")"
	default:
		k = ast.Sexpr(e)
	}
	o.keys[e] = k
	return k
}

func identity(n int) []int {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	return p
}

// permutations returns the permutations of 0..n-1.
func permutations(n int) [][]int {
	if n == 1 {
		return [][]int{{0}}
	}
	var out [][]int
	for _, p := range permutations(n - 1) {
		for pos := 0; pos <= len(p); pos++ {
			q := append(append(append([]int{}, p[:pos]...), n-1), p[pos:]...)
			out = append(out, q)
		}
	}
	return out
}

// RuleInverse is the step that cancels an inverse against its matrix in
// index form.
var RuleInverse = &rules.Rule{Name: "inverse_cancel", Kind: rules.Pass, Source: rules.Source{File: "matrix (built in)"},
	Doc:  "a matrix times its inverse is the identity",
	Text: "sum(j, inv(A)[a,j]*A[j,b]) = delta(a, b) and sum(j, A[a,j]*inv(A)[j,b]) = delta(a, b), where inv(A) is defined"}

// cancelledUses is invertibleUses for cancelInverses in index form: the
// condition that A is invertible for each inverse atom of a declared A
// that before has and after (before with the inverses cancelled) no
// longer has.
func cancelledUses(before, after ast.Expr, atoms []*Atom) []*rules.Rule {
	var out []*rules.Rule
	for _, a := range atoms {
		if _, ok := a.Arg.(*ast.Sym); ok && a.Kind == ast.MatInv && hasArray(before, a.Name) && !hasArray(after, a.Name) {
			out = append(out, InvertibleRule(a.Arg))
		}
	}
	return out
}

// hasArray reports whether e has an entry of the array name.
func hasArray(e ast.Expr, name string) bool {
	found := false
	ast.InspectOnce(e, func(x ast.Expr) bool {
		if ix, ok := x.(*ast.Index); ok && ix.Name == name {
			found = true
		}
		return !found
	})
	return found
}

// cancelInverses writes, in the products of e gathered under their sums
// (prenex), inv(A)[a,j]*A[j,b] summed over j as delta(a, b), for the
// atoms that stand for the inverses of declared matrices.
func cancelInverses(e ast.Expr, atoms []*Atom) ast.Expr {
	of := map[string]string{} // the inverse's name → the matrix's
	size := map[string]ast.Expr{}
	for _, a := range atoms {
		if s, ok := a.Arg.(*ast.Sym); ok && a.Kind == ast.MatInv {
			of[a.Name], size[a.Name] = s.Name, a.Size
		}
	}
	if len(of) == 0 {
		return e
	}
	var walk func(e ast.Expr) ast.Expr
	cancel := func(e ast.Expr) (ast.Expr, bool) {
		sum, ok := e.(*ast.Sum)
		if !ok || sum.Op != ast.OpSum {
			return nil, false
		}
		var run []*ast.Sum
		var body ast.Expr = sum
		for {
			s, ok := body.(*ast.Sum)
			if !ok || s.Op != ast.OpSum {
				break
			}
			run, body = append(run, s), s.Body
		}
		body = walk(body)
		factors := []ast.Expr{body}
		if m, ok := body.(*ast.Mul); ok {
			factors = slices.Clone(m.Factors)
		}
		keep := make([]bool, len(run))
		for i := range keep {
			keep[i] = true
		}
		for changed := true; changed; {
			changed = false
			for ri, s := range run {
				if !keep[ri] {
					continue
				}
				if !ast.IsNum(s.Lo, 1) {
					continue
				}
				if fs, ok := cancelOne(factors, s.Var, s.Hi, of, size); ok {
					factors, keep[ri], changed = fs, false, true
				}
			}
		}
		out := ast.NewMul(factors...)
		for i := len(run) - 1; i >= 0; i-- {
			if keep[i] {
				out = ast.NewSum(ast.OpSum, run[i].Var, run[i].Lo, run[i].Hi, out)
			}
		}
		return out, true
	}
	walk = func(e ast.Expr) ast.Expr { return ast.Rewrite(e, cancel) }
	return walk(e)
}

// cancelOne cancels one inverse against its matrix over the index j,
// which runs over 1..hi, the size of the matrix, and occurs in no other
// factor.
func cancelOne(factors []ast.Expr, j string, hi ast.Expr, of map[string]string, size map[string]ast.Expr) ([]ast.Expr, bool) {
	at := func(f ast.Expr) (*ast.Index, int) {
		x, ok := f.(*ast.Index)
		if !ok || len(x.Indices) != 2 {
			return nil, -1
		}
		for p, v := range x.Indices {
			if s, ok := v.(*ast.Sym); ok && s.Name == j && !ast.HasFree(x.Indices[1-p], j) {
				return x, p
			}
		}
		return nil, -1
	}
	var with []int
	for i, f := range factors {
		if ast.HasFree(f, j) {
			with = append(with, i)
		}
	}
	if len(with) != 2 {
		return nil, false
	}
	x, px := at(factors[with[0]])
	y, py := at(factors[with[1]])
	if x == nil || y == nil || px == py {
		return nil, false
	}
	inv := x.Name
	if of[inv] != y.Name {
		inv = y.Name
		if of[inv] != x.Name {
			return nil, false
		}
	}
	if size[inv] != hi {
		return nil, false
	}
	// j is the column of the left factor and the row of the right one.
	left, right := x, y
	if px == 0 {
		left, right = y, x
	}
	d := ast.Delta(left.Indices[0], right.Indices[1])
	out := []ast.Expr{d}
	for i, f := range factors {
		if i != with[0] && i != with[1] {
			out = append(out, f)
		}
	}
	return out, true
}
