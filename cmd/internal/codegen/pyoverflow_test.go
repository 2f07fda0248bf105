package codegen

import (
	"context"
	"strings"
	"testing"
)

// TestPythonOverflowIsInf: Python's float ** and math.exp, cosh and sinh
// raise OverflowError where C, Go and NumPy give Inf, so the generated
// Python raised on a loss whose value is a moderate number: y/(1 + x^4)
// at x = 1e100 is 1e-400, 0 in float64, and x ** 4 raised. The oracle is
// the loss and the gradient at 2048 bits; every language must agree with
// it, Python included.
func TestPythonOverflowIsInf(t *testing.T) {
	t.Parallel() // compiles and runs generated code: waits on subprocesses
	for _, c := range []struct {
		loss string
		xs   []float64
	}{
		{"y/(1 + x^4)", []float64{1e100, -1e90, 2}},
		{"y/(1 + (x + 1)^5)", []float64{1e80, 3}},
		{"y*exp(-exp(x))", []float64{800, 1}},
		{"y/cosh(x)", []float64{1000, -1000, 0.5}},
		{"y/sinh(x) + y", []float64{1000, -1000, 0.5}},
	} {
		tc := &tcase{loss: c.loss, wrt: []string{"y"}}
		en, loss, w := tc.setup(t)
		ctx := context.Background()
		p, err := analyse(ctx, en, loss, w, false)
		if err != nil {
			t.Fatal(err)
		}
		for _, lang := range []Lang{Python, Go, C} {
			res, err := Generate(ctx, en, &Request{Loss: loss, Wrt: w, Lang: lang, Package: "main", Version: "test"})
			if err != nil {
				t.Fatal(err)
			}
			if body, _, _ := strings.Cut(res.Code, "\n\ndef fpow"); lang == Python && strings.Contains(body, " ** ") {
				t.Errorf("%s: the Python code raises ** where a float overflows:\n%s", c.loss, res.Code)
			}
			for _, x := range c.xs {
				data := map[string][]float64{"x": {x}, "y": {3}}
				b := bindings(p, data, nil)
				out := runDriver(t, lang, res, p, data, nil)
				if want := bigEval(t, p.original, en, b, 2048); relErr(out.Outs[0][0], want) > 1e-14 {
					t.Errorf("%s, %s at x = %v: loss %v, 2048-bit oracle %v", lang, c.loss, x, out.Outs[0][0], want)
				}
				if want := bigEval(t, p.symbolic[0], en, b, 2048); relErr(out.Outs[1][0], want) > 1e-14 {
					t.Errorf("%s, %s at x = %v: d/dy %v, 2048-bit oracle %v", lang, c.loss, x, out.Outs[1][0], want)
				}
			}
		}
	}
}
