package codegen

import (
	"context"
	"math"
	"testing"
)

// TestExpOneMinusSigmaStability: the derivative of a softplus written out,
// log(1 + exp(x)), comes out of the simplifier as exp(x)*(1 - sigma(x))
// when it is one term of a sum (d(log(1 + exp(x)) + sqrt(x^2 + y^2), x)).
// Computed as written, exp(800) is Inf (OverflowError in Python) and
// Inf*0 is NaN, where the gradient is about 2. The oracle is the
// symbolic gradient evaluated at 2048 bits (ast.EvalBig); the test also
// keeps to points the oracle resolves: at x = 1e6, 1 - sigma(x) is 0 even
// at 2048 bits, and the oracle would be 1 short.
func TestExpOneMinusSigmaStability(t *testing.T) {
	t.Parallel() // compiles and runs generated code: waits on subprocesses
	tc := &tcase{loss: "log(1 + exp(x)) + sqrt(x^2 + y^2)", wrt: []string{"x", "y"}}
	en, loss, wrt := tc.setup(t)
	ctx := context.Background()
	p, err := analyse(ctx, en, loss, wrt, false)
	if err != nil {
		t.Fatal(err)
	}
	points := []map[string][]float64{{"x": {800}, "y": {1}}, {"x": {-800}, "y": {2}}, {"x": {900}, "y": {-3}}, {"x": {0.5}, "y": {0.25}}}
	for _, lang := range []Lang{Go, C, NumPy, Python} {
		res, err := Generate(ctx, en, &Request{Loss: loss, Wrt: wrt, Lang: lang, Package: "main", Version: "test"})
		if err != nil {
			t.Fatal(err)
		}
		for _, data := range points {
			b := bindings(p, data, nil)
			out := runDriver(t, lang, res, p, data, nil)
			if want := bigEval(t, p.original, en, b, 2048); relErr(out.Outs[0][0], want) > 1e-14 {
				t.Errorf("%s at %v: loss %v, 2048-bit oracle %v", lang, data, out.Outs[0][0], want)
			}
			for k := range wrt {
				want := bigEval(t, p.symbolic[k], en, b, 2048)
				if g := out.Outs[1+k][0]; math.IsInf(g, 0) || math.IsNaN(g) || math.Abs(g-want) > 1e-14*math.Max(1, math.Abs(want)) {
					t.Errorf("%s at %v: d/d%s %v, 2048-bit oracle %v", lang, data, tc.wrt[k], g, want)
				}
			}
		}
	}
}
