package numcheck

import (
	"testing"

	"github.com/symdiff/symdiff/ast"
)

// TestPiecewiseSampling: numeric checks of if. True identities get no
// counterexample, not even where a condition sits on a boundary that
// rounding moves (x*3/3 > 1 and x > 1 differ in float64 for some x, never
// at high precision); false ones get one, and a counterexample is a point
// where the two sides really differ.
func TestPiecewiseSampling(t *testing.T) {
	for _, c := range []struct {
		a, b   string
		differ bool
	}{
		{"if(x > 0, x, -x)", "abs(x)", false},
		{"if(x*3/3 > 1, 1, 0)", "if(x > 1, 1, 0)", false},
		{"if(x/10 > 0.1, x, 0)", "if(x > 1, x, 0)", false},
		{"if(x > 0, log(x), 0)", "if(x > 0, log(x), 0*y)", false},
		{"if(x > y and y > 0, x - y, 0)", "if(y > 0, relu(x - y), 0)", false},
		{"if(x > 1, x, 0)", "relu(x)", true},
		{"if(x > 0 or y > 0, 1, 0)", "step(x)*step(y)", true},
	} {
		a, b := parse(t, c.a), parse(t, c.b)
		rep, err := Refute(bg, a, b)
		if err != nil {
			t.Fatal(err)
		}
		if (rep.Counter != nil) != c.differ {
			t.Errorf("%s == %s: counterexample %v, want %v (%s)", c.a, c.b, rep.Counter, c.differ, rep.Tried)
			continue
		}
		if rep.Counter == nil {
			continue
		}
		va, err1 := ast.Eval(a, nil, rep.Counter.Bindings)
		vb, err2 := ast.Eval(b, nil, rep.Counter.Bindings)
		if err1 != nil || err2 != nil || va == vb {
			t.Errorf("%s == %s: the counterexample %v gives %g and %g (%v, %v)", c.a, c.b, rep.Counter.Bindings, va, vb, err1, err2)
		}
	}
}
