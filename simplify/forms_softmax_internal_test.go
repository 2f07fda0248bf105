package simplify

import (
	"context"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser/parsetest"
	"github.com/symdiff/symdiff/rules/load"
)

// TestSoftmaxNonEmpty: an indexed sum of exponentials is written through
// its softmax only where it is known to be positive. With an empty range
// (N = 0) sum(i=1..N, exp(z[i]))/exp(z[1]) is 0, and the softmax form
// 1/(exp(z[1])/sum(...)) would be undefined there.
func TestSoftmaxNonEmpty(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		src    string
		ranges map[string]Range
		ok     bool
	}{
		{"sum(i=1..N, exp(z[i]))/exp(z[1])", nil, false},
		{"sum(i=1..N, exp(z[i]))/exp(z[k])", map[string]Range{"k": {ast.One, ast.NewSym("N")}}, true}, // k in 1..N: N >= 1
		{"sum(i=1..N, exp(z[i]))/exp(z[k])", map[string]Range{"k": {ast.One, ast.NewSym("M")}}, false},
		{"sum(i=1..3, exp(z[i]))/exp(z[1])", nil, true},
		{"exp(z[1])/sum(i=1..N, exp(z[i]))", nil, true}, // undefined where S = 0 already
		// Dividing by S only inside a sum (whose range may be empty) or a
		// branch of an if does not make e undefined where S = 0.
		{"sum(i=1..N, exp(z[i]))/exp(z[1]) + sum(j=1..M, sqrt(x[j]/sum(i=1..N, exp(z[i]))))", nil, false},
		{"sum(i=1..N, exp(z[i]))/exp(z[1]) + if(x1 > 0, 1/sum(i=1..N, exp(z[i])), 0)", nil, false},
	} {
		s := New(Options{Rules: load.Builtin(), Defs: &ast.Defs{}, Ranges: tt.ranges})
		s.ctx = ctx
		e, _ := s.Normalize(ctx, parsetest.MustParse(t, tt.src, nil), false)
		gs := softmaxGroups(e)
		if len(gs) == 0 {
			t.Errorf("%s: no sum of exponentials found in %s", tt.src, ast.String(e))
			continue
		}
		if got := s.nonEmpty(e, gs[0]); got != tt.ok {
			t.Errorf("%s (canonical %s): S known positive = %v, want %v", tt.src, ast.String(e), got, tt.ok)
		}
	}
}
