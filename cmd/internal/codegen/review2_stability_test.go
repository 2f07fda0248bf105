package codegen

import (
	"context"
	"math"
	"testing"
)

// TestReview2OneMinusSigmaInDenominator: 1 - sigma(u) rounds to 0 once u
// passes about 37, and the gradient of sigma(-2*y)^-2, 4*sigma(2*y)/(1 -
// sigma(2*y))^2 as simplified, was Inf in Go, C and NumPy and raised
// ZeroDivisionError in Python at y = 30, where it is 5.2e52 (the loss,
// 1.1e26, was right). sigma(-u) is the same number without the
// cancellation (a driver that cannot print an Inf, or whose Python raised,
// fails with its output). The oracle is the symbolic gradient at 2048 bits.
func TestReview2OneMinusSigmaInDenominator(t *testing.T) {
	t.Parallel() // compiles and runs generated code: waits on subprocesses
	for _, c := range []struct {
		loss string
		xs   []float64
	}{
		{"sigma(-2*x)^-2", []float64{30, 19, 400, -3, 0.5}},
		{"1/(1 - sigma(x))", []float64{40, 700, -2, 0}},
	} {
		tc := &tcase{loss: c.loss, wrt: []string{"x"}}
		en, loss, w := tc.setup(t)
		ctx := context.Background()
		p, err := analyse(ctx, en, loss, w, false)
		if err != nil {
			t.Fatal(err)
		}
		for _, lang := range []Lang{Go, C, NumPy, Python} {
			t.Run(c.loss+"/"+string(lang), func(t *testing.T) {
				res, err := Generate(ctx, en, &Request{Loss: loss, Wrt: w, Lang: lang, Package: "main", Version: "test"})
				if err != nil {
					t.Fatal(err)
				}
				for _, x := range c.xs {
					data := map[string][]float64{"x": {x}}
					b := bindings(p, data, nil)
					want := bigEval(t, p.symbolic[0], en, b, 2048)
					if math.IsInf(want, 0) {
						continue // beyond float64: nothing to compare
					}
					out := runDriver(t, lang, res, p, data, nil)
					if lw := bigEval(t, p.original, en, b, 2048); !math.IsInf(lw, 0) && relErr(out.Outs[0][0], lw) > 1e-13 {
						t.Errorf("%s, %s at x = %v: %v, 2048-bit oracle %v", lang, c.loss, x, out.Outs[0][0], lw)
					}
					if g := out.Outs[1][0]; math.IsNaN(g) || math.IsInf(g, 0) || relErr(g, want) > 1e-13 {
						t.Errorf("%s, d(%s, x) at x = %v: %v, 2048-bit oracle %v", lang, c.loss, x, g, want)
					}
				}
			})
		}
	}
}
