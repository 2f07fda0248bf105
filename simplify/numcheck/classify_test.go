package numcheck

import (
	"math/rand/v2"
	"reflect"
	"sort"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser/parsetest"
)

// TestClassifyMatchesRef: classify, which keeps the variables of the sums
// around a node in a list, classifies the names of random expressions
// (sums and means nested three deep, deltas, brackets, indexed names) as
// the map-based walk it replaced does (classifyRef, kept here).
func TestClassifyMatchesRef(t *testing.T) {
	g := parsetest.NewGen(rand.New(rand.NewPCG(15, 90)))
	nested := 0
	for n := range 3000 {
		a, b := g.Expr(4), g.Expr(3)
		if n%3 == 0 {
			a = ast.NewMul(ast.NewIverson(ast.NewSym("k"), ast.NewSym("n")), a)
		}
		got, want := classify(a, b), classifyRef(a, b)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("case %d: classify(%s, %s) = %+v, want %+v", n, ast.String(a), ast.String(b), got, want)
		}
		if len(want.indices) > 0 && len(want.sizes) > 0 {
			nested++
		}
	}
	if nested < 300 {
		t.Fatalf("only %d cases with indices and sizes", nested)
	}
}

func classifyRef(es ...ast.Expr) names {
	nm := names{arrays: map[string]int{}, subscripts: map[string]bool{}, inRange: map[string]bool{}}
	sizes, indices, scalars := map[string]bool{}, map[string]bool{}, map[string]bool{}
	runOver := map[slotOf]bool{}           // positions a sum's variable reads
	freeAt := map[string]map[slotOf]bool{} // free index → positions it reads
	var walk func(e ast.Expr, bound map[string]bool)
	seen := map[ast.Expr]bool{}
	walk = func(e ast.Expr, bound map[string]bool) {
		if len(bound) == 0 {
			if seen[e] {
				return
			}
			seen[e] = true
		}
		switch x := e.(type) {
		case *ast.Sym:
			if !bound[x.Name] {
				scalars[x.Name] = true
			}
		case *ast.Index:
			nm.arrays[x.Name] = len(x.Indices)
			for p, i := range x.Indices {
				if s, ok := i.(*ast.Sym); ok && !bound[s.Name] {
					indices[s.Name] = true
					nm.subscripts[s.Name] = true
					if freeAt[s.Name] == nil {
						freeAt[s.Name] = map[slotOf]bool{}
					}
					freeAt[s.Name][slotOf{x.Name, p}] = true
				} else if ok {
					runOver[slotOf{x.Name, p}] = true
				}
				noteNumber(&nm, i)
			}
		case *ast.Call:
			if x.Fn == "delta" {
				for _, a := range x.Args {
					if s, ok := a.(*ast.Sym); ok && !bound[s.Name] {
						indices[s.Name] = true
					}
					noteNumber(&nm, a)
				}
			}
			for _, a := range x.Args {
				walk(a, bound)
			}
		case *ast.Iverson:
			// The operands of a condition are indices and sizes.
			for _, a := range x.Args {
				for _, n := range ast.FreeNames(a) {
					if !bound[n] {
						indices[n] = true
					}
				}
				walk(a, bound)
			}
		case *ast.Sum:
			if n, ok := x.Hi.(*ast.Num); ok {
				if v, ok := n.Value.Int64(); ok && v >= 1 && (nm.minHi == 0 || v < nm.minHi) {
					nm.minHi = v
				}
			}
			for _, b := range []ast.Expr{x.Lo, x.Hi} {
				for _, n := range ast.FreeNames(b) {
					if !bound[n] {
						sizes[n] = true
					}
				}
				walk(b, bound)
			}
			inner := make(map[string]bool, len(bound)+1)
			for k, v := range bound {
				inner[k] = v
			}
			inner[x.Var] = true
			walk(x.Body, inner)
		default:
			for _, k := range ast.Children(e) {
				walk(k, bound)
			}
		}
	}
	for _, e := range es {
		walk(e, nil)
	}
	for n := range sizes {
		nm.sizes = append(nm.sizes, n)
		delete(indices, n)
		delete(scalars, n)
	}
	for n := range indices {
		nm.indices = append(nm.indices, n)
		delete(scalars, n)
		for at := range freeAt[n] {
			if runOver[at] {
				nm.inRange[n] = true
			}
		}
	}
	for n := range scalars {
		if _, isArray := nm.arrays[n]; !isArray {
			nm.scalars = append(nm.scalars, n)
		}
	}
	sort.Strings(nm.sizes)
	sort.Strings(nm.indices)
	sort.Strings(nm.scalars)
	return nm
}
