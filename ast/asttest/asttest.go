// Package asttest holds helpers for the tests of several packages: a
// classifier of free names and a generator of random points for numeric
// checks, parsing helpers, and the seed example's definitions. They are
// written independently of the simplifier's own point generator
// (simplify/numeric.go), so that the tests do not check the engine with
// itself.
package asttest

import (
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/rules"
)

// Names classifies the free names of expressions: sum bounds are sizes
// (positive integers), names used as indices (of an indexed name or of
// delta) are free indices, indexed names are arrays, the rest are reals.
type Names struct {
	scalars, sizes, indices []string
	arrays                  map[string]int // name → rank
}

// NamesOf classifies the free names of es.
func NamesOf(es ...ast.Expr) Names {
	sizes, indices, scalars := map[string]bool{}, map[string]bool{}, map[string]bool{}
	nm := Names{arrays: map[string]int{}}
	var walk func(e ast.Expr, bound []string)
	walk = func(e ast.Expr, bound []string) {
		free := func(x ast.Expr) (string, bool) {
			s, ok := x.(*ast.Sym)
			if !ok || slices.Contains(bound, s.Name) {
				return "", false
			}
			return s.Name, true
		}
		switch x := e.(type) {
		case *ast.Sym:
			if n, ok := free(x); ok {
				scalars[n] = true
			}
		case *ast.Index:
			nm.arrays[x.Name] = len(x.Indices)
			for _, i := range x.Indices {
				if n, ok := free(i); ok {
					indices[n] = true
				}
			}
		case *ast.Call:
			if x.Fn == "delta" {
				for _, a := range x.Args {
					if n, ok := free(a); ok {
						indices[n] = true
					}
				}
			}
			for _, a := range x.Args {
				walk(a, bound)
			}
		case *ast.Sum:
			for _, b := range []ast.Expr{x.Lo, x.Hi} {
				for _, n := range ast.FreeNames(b) {
					if !slices.Contains(bound, n) {
						sizes[n] = true
					}
				}
			}
			walk(x.Body, append(slices.Clone(bound), x.Var))
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
	}
	for n := range indices {
		if !sizes[n] {
			nm.indices = append(nm.indices, n)
		}
	}
	for n := range scalars {
		if _, isArray := nm.arrays[n]; !sizes[n] && !indices[n] && !isArray {
			nm.scalars = append(nm.scalars, n)
		}
	}
	sort.Strings(nm.sizes)
	sort.Strings(nm.indices)
	sort.Strings(nm.scalars)
	return nm
}

// Dyadic rounds v to a multiple of 1/1024 (exact in float64), never 0.
func Dyadic(v float64) float64 {
	v = math.Round(v*1024) / 1024
	if v == 0 {
		v = 1.0 / 1024
	}
	return v
}

// MaxSize bounds the sizes Point draws.
const MaxSize = 4 // sizes are drawn from 1..MaxSize

// Point draws values: sizes in 1..MaxSize, free indices within every size
// (index notation's convention), reals in [lo, hi], arrays large enough
// for any index a sum over sizes can reach.
func Point(rng *rand.Rand, nm Names, lo, hi float64) ast.Bindings {
	b := ast.Bindings{}
	minSize := 3
	for i, n := range nm.sizes {
		v := 1 + rng.IntN(MaxSize)
		if i == 0 || v < minSize {
			minSize = v
		}
		b[n] = ast.Scalar(float64(v))
	}
	for _, n := range nm.indices {
		b[n] = ast.Scalar(float64(1 + rng.IntN(minSize)))
	}
	for _, n := range nm.scalars {
		b[n] = ast.Scalar(Dyadic(lo + rng.Float64()*(hi-lo)))
	}
	arrays := make([]string, 0, len(nm.arrays))
	for n := range nm.arrays {
		arrays = append(arrays, n)
	}
	sort.Strings(arrays)
	for _, n := range arrays {
		dim := 3 * MaxSize
		if nm.arrays[n] >= 3 {
			dim = 2 * MaxSize
		}
		shape := make([]int, nm.arrays[n])
		size := 1
		for k := range shape {
			shape[k] = dim
			size *= dim
		}
		data := make([]float64, size)
		for k := range data {
			data[k] = Dyadic(-3 + 6*rng.Float64())
		}
		b[n] = ast.Value{Shape: shape, Data: data}
	}
	return b
}

// Near reports whether a and b agree to a relative tolerance rel, with an
// absolute floor abs.
func Near(a, b, rel, abs float64) bool {
	if a == b {
		return true
	}
	return math.Abs(a-b) <= rel*math.Max(math.Abs(a), math.Abs(b))+abs
}

// MustParse parses an expression with the built-in rules' functions
// known, failing the test on an error.
func MustParse(t testing.TB, src string, defs *ast.Defs) ast.Expr {
	t.Helper()
	e, err := parser.ParseExpr(src, rules.Builtin().Context(defs))
	if err != nil {
		t.Fatalf("parse %q: %v", src, err)
	}
	return e
}

// LogisticDefs reads the definitions of examples/logistic.sd.
func LogisticDefs(t testing.TB) *ast.Defs {
	t.Helper()
	_, here, _, _ := runtime.Caller(0)
	src, err := os.ReadFile(filepath.Join(filepath.Dir(here), "..", "..", "examples", "logistic.sd"))
	if err != nil {
		t.Fatal(err)
	}
	stmts, err := parser.ParseFile("logistic.sd", string(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	defs := &ast.Defs{}
	for _, st := range stmts {
		if d, ok := st.Stmt.(*ast.DefStmt); ok {
			if err := defs.Define(d.Def); err != nil {
				t.Fatal(err)
			}
		}
	}
	if defs.Len() < 5 {
		t.Fatalf("logistic.sd has %d definitions, expected at least 5", defs.Len())
	}
	return defs
}

// DefsFrom parses definitions, one per line.
func DefsFrom(t testing.TB, src string) *ast.Defs {
	t.Helper()
	stmts, err := parser.ParseFile("defs", src, nil)
	if err != nil {
		t.Fatal(err)
	}
	defs := &ast.Defs{}
	for _, st := range stmts {
		d, ok := st.Stmt.(*ast.DefStmt)
		if !ok {
			t.Fatalf("%s is not a definition", st.Text)
		}
		if err := defs.Define(d.Def); err != nil {
			t.Fatal(err)
		}
	}
	return defs
}
