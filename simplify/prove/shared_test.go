package prove

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser/parsetest"
)

// subtreesRef is the plain statement of what subtreeWalk computes for one
// side: every distinct subtree, and those with an occurrence where a name
// free in them is bound by an enclosing sum, found by walking every
// (node, bound list) pair with the list spelled out as a string.
func subtreesRef(e ast.Expr) (all, captured map[ast.Expr]bool) {
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
		for _, n := range ast.FreeNames(e) {
			if slices.Contains(bound, n) {
				captured[e] = true
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

// shareAtomsRef is shareAtoms on the maps of subtreesRef.
func shareAtomsRef(a, b ast.Expr) (ast.Expr, ast.Expr, map[string]ast.Expr) {
	inA, capA := subtreesRef(a)
	inB, capB := subtreesRef(b)
	shared := map[ast.Expr]bool{}
	for e := range inA {
		if inB[e] && !capA[e] && !capB[e] && (e.Size() >= minShared || kinkAtom(e)) {
			shared[e] = true
		}
	}
	if len(shared) == 0 {
		return a, b, nil
	}
	atoms := map[string]ast.Expr{}
	memo := map[ast.Expr]ast.Expr{}
	var rep func(e ast.Expr) ast.Expr
	rep = func(e ast.Expr) ast.Expr {
		if r, ok := memo[e]; ok {
			return r
		}
		var r ast.Expr
		if shared[e] {
			name := fmt.Sprintf("α#%d", len(atoms)+1)
			r = ast.NewSym(name)
			atoms[name] = e
		} else {
			r = ast.MapChildren(e, rep)
		}
		memo[e] = r
		return r
	}
	return rep(a), rep(b), atoms
}

// sideOf builds one side of a random claim from pieces both sides share:
// sums around them bind names free in them (k, i, the variables of the
// generator's own sums, again inside a sum of the same variable).
func sideOf(rng *rand.Rand, pieces []ast.Expr, g *parsetest.Gen, depth int) ast.Expr {
	if depth == 0 || rng.IntN(4) == 0 {
		if rng.IntN(3) == 0 {
			return g.Expr(2)
		}
		return pieces[rng.IntN(len(pieces))]
	}
	l, r := sideOf(rng, pieces, g, depth-1), sideOf(rng, pieces, g, depth-1)
	switch rng.IntN(5) {
	case 0:
		return ast.NewMul(l, r)
	case 1, 2:
		return ast.NewSum(ast.OpSum, []string{"i", "j", "k", "x"}[rng.IntN(4)], ast.One, ast.NewSym("n"), ast.NewAdd(l, r))
	case 3:
		return ast.NewCall("max", l, r)
	}
	return ast.NewAdd(l, r)
}

// TestShareAtomsMatchesRef: the walk that numbers the lists of bound
// variables finds the same subtrees, the same captured ones and so the
// same atoms as the walk over every (node, list) pair, on random sides
// that share large parts, some under sums that bind their names.
func TestShareAtomsMatchesRef(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 8))
	g := parsetest.NewGen(rng)
	withAtoms, captured := 0, 0
	for n := range 1000 {
		pieces := make([]ast.Expr, 3)
		for i := range pieces {
			pieces[i] = g.Expr(5)
		}
		a, b := sideOf(rng, pieces, g, 3), sideOf(rng, pieces, g, 3)

		var w subtreeWalk
		w.side(a, inA, capturedA)
		w.side(b, inB, capturedB)
		for side, e := range []ast.Expr{a, b} {
			all, capt := subtreesRef(e)
			in, cf := []uint8{inA, inB}[side], []uint8{capturedA, capturedB}[side]
			got := 0
			for _, x := range w.nodes {
				f, _ := w.flags.Get(x)
				if f&in != 0 {
					got++
					if !all[x] {
						t.Fatalf("case %d: side %d: %s is not a subtree of %s", n, side, ast.String(x), ast.String(e))
					}
				}
				if f&cf != 0 != capt[x] {
					t.Fatalf("case %d: side %d: %s captured %v, want %v, in %s", n, side, ast.String(x), f&cf != 0, capt[x], ast.String(e))
				}
			}
			if got != len(all) {
				t.Fatalf("case %d: side %d: %d subtrees, want %d, in %s", n, side, got, len(all), ast.String(e))
			}
			captured += len(capt)
		}

		xa, xb, atoms := shareAtoms(a, b)
		ra, rb, ratoms := shareAtomsRef(a, b)
		if xa != ra || xb != rb || !maps.Equal(atoms, ratoms) {
			t.Fatalf("case %d: shareAtoms(%s, %s) = %s, %s, %v; want %s, %s, %v", n, ast.String(a), ast.String(b),
				ast.String(xa), ast.String(xb), atoms, ast.String(ra), ast.String(rb), ratoms)
		}
		if len(atoms) > 0 {
			withAtoms++
		}
	}
	// The cases must exercise what is compared.
	if withAtoms < 100 || captured < 1000 {
		t.Fatalf("only %d cases with atoms, %d captured subtrees", withAtoms, captured)
	}
	t.Logf("%d cases with atoms, %d captured subtrees", withAtoms, captured)
}

// TestShareAtomsSmallKink: sides that share only a small kink call
// (max(x, 1) in max(x, 1) + y against z*max(x, 1)), which is an atom
// whatever its size, get the reference's atoms: mayShare must look for
// kink calls too, not only for large parts (made to look at sizes alone,
// it fails here).
func TestShareAtomsSmallKink(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 9))
	g := parsetest.NewGen(rng)
	withAtoms := 0
	for n := range 500 {
		fn := []string{"max", "min", "relu", "clip"}[n%4]
		var k ast.Expr
		switch fn {
		case "relu":
			k = ast.NewCall(fn, g.Expr(1))
		case "clip":
			k = ast.NewCall(fn, g.Expr(1), ast.NewInt(-1), ast.One)
		default:
			k = ast.NewCall(fn, g.Expr(1), g.Expr(1))
		}
		a := ast.NewAdd(k, g.Expr(2))
		b := ast.NewMul(g.Expr(2), k)
		if n%3 == 0 {
			b = ast.NewSum(ast.OpSum, "i", ast.One, ast.NewSym("n"), ast.NewAdd(b, ast.NewIndex("x", ast.NewSym("i"))))
		}
		xa, xb, atoms := shareAtoms(a, b)
		ra, rb, ratoms := shareAtomsRef(a, b)
		if xa != ra || xb != rb || !maps.Equal(atoms, ratoms) {
			t.Fatalf("case %d: shareAtoms(%s, %s) = %s, %s, %v; want %s, %s, %v", n, ast.String(a), ast.String(b),
				ast.String(xa), ast.String(xb), atoms, ast.String(ra), ast.String(rb), ratoms)
		}
		if len(atoms) > 0 {
			withAtoms++
		}
	}
	if withAtoms < 200 {
		t.Fatalf("only %d cases of 500 with atoms", withAtoms)
	}
}
