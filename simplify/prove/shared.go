package prove

import (
	"fmt"
	"slices"
	"strings"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/rules"
)

// Shared parts as atoms. Equal subtrees have equal values, so a maximal
// subtree that both sides contain can be replaced by a fresh name before
// the normal forms are computed: an identity that holds for every value of
// the name holds for the value of the subtree. P + 1 == 1 + P*(sin(y)^2 +
// cos(y)^2), with P a polynomial of degree 4096, is then decided without
// expanding P. A subtree is shared only if no occurrence of it has a name
// bound by an enclosing sum (its value would depend on the index), and
// only if it is large enough to be worth it; if the sides are not equal
// with the atoms opaque, the prover goes on with the whole expressions.

// minShared is the size from which a common subtree becomes an atom.
const minShared = 16

// kinkAtom reports whether e is a call that the exp/log basis writes with
// abs, of any size: max, min, clip and relu. Each becomes a sum of abs
// terms (clip two nested ones), and a rational function of a few of them
// multiplied out is large: d(x/(max(y, 1) - x)^-2, x) ==
// (x - max(y, 1))*(3*x - max(y, 1)) ran into the 2-minute limit, with
// max(y, 1) a name it is proved in 0.1 s. Shared as an atom first, such a
// call is expanded only if the sides differ with it opaque.
func kinkAtom(e ast.Expr) bool {
	c, ok := e.(*ast.Call)
	if !ok {
		return false
	}
	switch c.Fn {
	case "max", "min", "clip", "relu":
		return len(ast.FreeNames(c)) > 0
	}
	return false
}

// shareAtoms replaces the maximal subtrees of size >= minShared (or kink
// calls, kinkAtom) that a and b share by fresh names (which cannot be typed: # starts a comment), and
// returns the names with what they stand for.
func shareAtoms(a, b ast.Expr) (ast.Expr, ast.Expr, map[string]ast.Expr) {
	inA, capturedA := subtrees(a)
	inB, capturedB := subtrees(b)
	shared := map[ast.Expr]bool{}
	for e := range inA {
		if inB[e] && !capturedA[e] && !capturedB[e] && (e.Size() >= minShared || kinkAtom(e)) {
			shared[e] = true
		}
	}
	if len(shared) == 0 {
		return a, b, nil
	}
	atoms := map[string]ast.Expr{}
	names := map[ast.Expr]ast.Expr{}
	memo := map[ast.Expr]ast.Expr{}
	var rep func(e ast.Expr) ast.Expr
	rep = func(e ast.Expr) ast.Expr {
		if r, ok := memo[e]; ok {
			return r
		}
		var r ast.Expr
		switch {
		case shared[e]:
			r = names[e]
			if r == nil {
				name := fmt.Sprintf("α#%d", len(atoms)+1)
				r = ast.NewSym(name)
				names[e], atoms[name] = r, e
			}
		default:
			r = ast.MapChildren(e, rep)
		}
		memo[e] = r
		return r
	}
	return rep(a), rep(b), atoms
}

// subtrees lists the distinct subtrees of e, and those with an occurrence
// where a name free in them is bound by an enclosing sum.
func subtrees(e ast.Expr) (all, captured map[ast.Expr]bool) {
	all, captured = map[ast.Expr]bool{}, map[ast.Expr]bool{}
	type visit struct {
		e     ast.Expr
		bound string
	}
	seen := map[visit]bool{}
	var walk func(e ast.Expr, bound []string)
	walk = func(e ast.Expr, bound []string) {
		v := visit{e, strings.Join(bound, ",")}
		if seen[v] {
			return
		}
		seen[v] = true
		all[e] = true
		if len(bound) > 0 && !captured[e] {
			for _, n := range ast.FreeNames(e) {
				if slices.Contains(bound, n) {
					captured[e] = true
					break
				}
			}
		}
		if s, ok := e.(*ast.Sum); ok {
			walk(s.Lo, bound)
			walk(s.Hi, bound)
			walk(s.Body, append(slices.Clip(bound), s.Var))
			return
		}
		for _, k := range ast.Children(e) {
			walk(k, bound)
		}
	}
	walk(e, nil)
	return all, captured
}

// unshare puts the subtrees back in place of their names, in every step.
func unshare(t rules.Trace, atoms map[string]ast.Expr) rules.Trace {
	out := make(rules.Trace, len(t))
	for i, st := range t {
		st.Before = ast.Subst(st.Before, atoms)
		st.After = ast.Subst(st.After, atoms)
		if sub := st.Subs(); sub != nil {
			st.Sub, st.Lazy = unshare(sub, atoms), nil
		}
		out[i] = st
	}
	return out
}
