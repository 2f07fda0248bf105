package simplify

import (
	"maps"
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser/parsetest"
)

// TestInferRangesShortcut: without definitions and sums, InferRanges
// returns what it was given without walking; on random expressions
// with indexed names, sums over them and none, with and without ranges
// given, it returns what the walk returns.
func TestInferRangesShortcut(t *testing.T) {
	defer func() { inferWalkAlways = false }()
	g := parsetest.NewGen(rand.New(rand.NewPCG(7, 15)))
	givens := []map[string]Range{nil, {}, {"k": {Lo: ast.One, Hi: ast.NewSym("d")}}}
	taken, inferred := 0, 0
	for n := range 6000 {
		es := []ast.Expr{g.Expr(4)}
		if n%3 == 0 {
			es = append(es, g.Expr(3))
		}
		given := givens[n%len(givens)]
		inferWalkAlways = true
		want := InferRanges(nil, given, es...)
		inferWalkAlways = false
		got := InferRanges(nil, given, es...)
		if !maps.EqualFunc(got, want, func(a, b Range) bool { return a == b }) || (got == nil) != (want == nil) {
			t.Fatalf("InferRanges(%v, %v) = %v, the walk gives %v", es, given, got, want)
		}
		if len(want) > len(given) {
			inferred++
		}
		if !ast.HasSum(es[0]) && (len(es) == 1 || !ast.HasSum(es[1])) {
			taken++
		}
		if got != nil && given != nil {
			got["zz"] = Range{}
			if _, ok := given["zz"]; ok {
				t.Fatal("InferRanges returned the map it was given")
			}
		}
	}
	if taken < 500 || inferred < 40 {
		t.Errorf("%d expressions took the shortcut and %d had ranges inferred: both need checking", taken, inferred)
	}
}
