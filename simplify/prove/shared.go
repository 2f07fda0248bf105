package prove

import (
	"fmt"
	"slices"

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
		return ast.HasFreeNames(c)
	}
	return false
}

// shareAtoms replaces the maximal subtrees of size >= minShared (or kink
// calls, kinkAtom) that a and b share by fresh names (which cannot be typed: # starts a comment), and
// returns the names with what they stand for.
func shareAtoms(a, b ast.Expr) (ast.Expr, ast.Expr, map[string]ast.Expr) {
	if shareFilter && !mayShare(a, b) {
		return a, b, nil
	}
	var w subtreeWalk
	w.side(a, inA, capturedA)
	w.side(b, inB, capturedB)
	var shared ast.NodeMap[struct{}]
	for _, e := range w.nodes {
		f, _ := w.flags.Get(e)
		if f&(inA|inB) == inA|inB && f&(capturedA|capturedB) == 0 && (e.Size() >= minShared || kinkAtom(e)) {
			shared.Put(e, struct{}{})
		}
	}
	if shared.Len() == 0 {
		return a, b, nil
	}
	atoms := map[string]ast.Expr{}
	var memo ast.NodeMap[ast.Expr] // a shared subtree's replacement is its name
	var rep func(e ast.Expr) ast.Expr
	rep = func(e ast.Expr) ast.Expr {
		if r, ok := memo.Get(e); ok {
			return r
		}
		var r ast.Expr
		if _, ok := shared.Get(e); ok {
			name := fmt.Sprintf("α#%d", len(atoms)+1)
			r = ast.NewSym(name)
			atoms[name] = e
		} else {
			r = ast.MapChildren(e, rep)
		}
		memo.Put(e, r)
		return r
	}
	return rep(a), rep(b), atoms
}

// mayShare reports whether a and b have a common subtree that could be an
// atom (of size minShared or more, or a kink call), wherever it stands:
// without one there is no atom, and the walk that numbers the scopes of
// every subtree (a twentieth of the CPU and of the allocation of a proof
// of W8's batch, whose sides share only parts under the sum over i) is
// not made.
func mayShare(a, b ast.Expr) bool {
	var inA ast.NodeMap[struct{}]
	ast.InspectOnce(a, func(x ast.Expr) bool {
		if x.Size() >= minShared || kinkAtom(x) {
			inA.Put(x, struct{}{})
		}
		return true
	})
	if inA.Len() == 0 {
		return false
	}
	found := false
	ast.InspectOnce(b, func(x ast.Expr) bool {
		if !found && (x.Size() >= minShared || kinkAtom(x)) {
			_, found = inA.Get(x)
		}
		return !found
	})
	return found
}

// shareFilter turns on shareAtoms' use of mayShare (the tests compare
// with the walk alone).
var shareFilter = true

// The flags subtreeWalk keeps for a node: found in a or b, and found in
// a or b with an occurrence where a name free in it is bound by an
// enclosing sum.
const (
	inA uint8 = 1 << iota
	inB
	capturedA
	capturedB
)

// A subtreeWalk lists the distinct subtrees of the expressions it walks,
// with their flags. A node is walked again under each distinct list of
// the sum variables bound around it (its captured flag, and its
// descendants', depend on that list), not at each occurrence: the lists
// are numbered as they are met (scopes), and each has its own set of the
// nodes walked under it. It walked a map keyed by the node and the list
// joined into a string before, 4% of the CPU of W8's batch.
type subtreeWalk struct {
	flags  ast.NodeMap[uint8]
	nodes  []ast.Expr              // the keys of flags, in the order first met
	bound  [][]string              // the lists by number; 0 is the empty list
	seen   []ast.NodeMap[struct{}] // by list, the nodes walked under it
	scopes map[scope]int           // a list's number by the list it extends and the variable added
}

// A scope is a list of bound sum variables as the list it extends (by
// number) and the variable added.
type scope struct {
	outer int
	v     string
}

// inner returns the number of the list sc followed by v.
func (w *subtreeWalk) inner(sc int, v string) int {
	if w.scopes == nil {
		w.scopes = map[scope]int{}
	}
	if i, ok := w.scopes[scope{sc, v}]; ok {
		return i
	}
	w.bound = append(w.bound, append(slices.Clip(w.bound[sc]), v))
	w.seen = append(w.seen, ast.NodeMap[struct{}]{})
	w.scopes[scope{sc, v}] = len(w.bound) - 1
	return len(w.bound) - 1
}

// side walks one side, e, with its flags.
func (w *subtreeWalk) side(e ast.Expr, in, captured uint8) {
	if w.bound == nil {
		w.bound = [][]string{nil}
	}
	// What the other side walked is not walked on this one.
	w.seen = make([]ast.NodeMap[struct{}], len(w.bound))
	w.walk(e, 0, in, captured)
}

// walk visits e and its subtrees under scope sc, setting in on each and
// captured on those with a bound free name there.
func (w *subtreeWalk) walk(e ast.Expr, sc int, in, captured uint8) {
	if _, ok := w.seen[sc].Get(e); ok {
		return
	}
	w.seen[sc].Put(e, struct{}{})
	f, known := w.flags.Get(e)
	if !known {
		w.nodes = append(w.nodes, e)
	}
	f |= in
	if bound := w.bound[sc]; len(bound) > 0 && f&captured == 0 {
		for _, n := range ast.FreeNames(e) {
			if slices.Contains(bound, n) {
				f |= captured
				break
			}
		}
	}
	w.flags.Put(e, f)
	if s, ok := e.(*ast.Sum); ok {
		w.walk(s.Lo, sc, in, captured)
		w.walk(s.Hi, sc, in, captured)
		w.walk(s.Body, w.inner(sc, s.Var), in, captured)
		return
	}
	for _, k := range ast.Children(e) {
		w.walk(k, sc, in, captured)
	}
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
