package explain_test

import (
	"context"
	"maps"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser/parsetest"
	"github.com/symdiff/symdiff/rules/load"
	"github.com/symdiff/symdiff/simplify"
	"github.com/symdiff/symdiff/simplify/explain"
)

// TestSampleRangesKeepCallersMap: the ranges the explainer infers for
// the sample's indices go into a map of its own, never into the caller's
// Options.Simplify.Ranges, also when only a later index (the class l of
// z[m,l]) gets one.
func TestSampleRangesKeepCallersMap(t *testing.T) {
	defs := &ast.Defs{}
	for _, loss := range []string{
		"log(sum(c=1..K, exp(z[m,c]))) - sum(c=1..K, y[m,c]*z[m,c])",
		"mean(i=1..n, log(sum(c=1..K, exp(z[i,c]))) - sum(c=1..K, y[i,c]*z[i,c]))",
	} {
		l := parsetest.MustParse(t, loss, defs)
		given := map[string]simplify.Range{"q": {Lo: ast.One, Hi: ast.NewSym("Q")}}
		before := maps.Clone(given)
		_, err := explain.Explain(context.Background(), l, explain.Options{Simplify: simplify.Options{Defs: defs, Rules: load.Builtin(), Ranges: given}})
		if err != nil {
			t.Fatalf("explain %s: %v", loss, err)
		}
		if !maps.Equal(given, before) {
			t.Errorf("explain %s changed the caller's ranges: %v, was %v", loss, given, before)
		}
	}
}
