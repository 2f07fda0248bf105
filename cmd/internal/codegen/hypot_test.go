package codegen

import (
	"context"
	"math"
	"strings"
	"testing"
)

// TestHypotStability runs Euclidean lengths where squaring overflows
// (|x| = 1e200: x^2 is Inf, the length about 1e200 and its gradient
// about ±1) or underflows (|x| = 1e-200: x^2 is 0, the length 1e-200 and
// 1/length 1e200), wherever the values are within float64's range. The oracle is the loss and the symbolic gradient at
// 2048 bits (ast.EvalBig), to 1e-14 relative; the generated code must
// name the rewrite in its header.
func TestHypotStability(t *testing.T) {
	t.Parallel() // compiles and runs generated code: waits on subprocesses
	for _, c := range []struct {
		loss string
		xs   []float64
		y    float64
	}{
		{"sqrt(x^2 + y^2)", []float64{1e200, -1e200, 1e-200, -3e-190, 3, 0.25}, 0.5},
		{"sqrt(x^2 + y^2)", []float64{1e200, -7e250, 1e-200}, 2e199},
		{"sqrt(x^2 + y^2)", []float64{1e-200, -4e-180}, 3e-201},
		{"sqrt(x^2 + 9*y^2)", []float64{1e-170, -3e-165, 2}, 1e-171},
		{"y*sqrt(2*x^2 + 1)", []float64{1e200, -1e160, 0.5}, 3},
		{"log(sqrt(x^2 + y^2 + 4))", []float64{1e300, -1e200, 1e-3}, 1e250},
	} {
		tc := &tcase{loss: c.loss, wrt: []string{"x", "y"}}
		en, loss, w := tc.setup(t)
		ctx := context.Background()
		p, err := analyse(ctx, en, loss, w, false)
		if err != nil {
			t.Fatal(err)
		}
		for _, lang := range []Lang{Go, C, NumPy, Python} {
			res, err := Generate(ctx, en, &Request{Loss: loss, Wrt: w, Lang: lang, Package: "main", Version: "test"})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(res.Code, "hypot(a, b, ...)") {
				t.Errorf("%s, %s: the header does not name the hypot rewrite", lang, c.loss)
			}
			for _, x := range c.xs {
				data := map[string][]float64{"x": {x}, "y": {c.y}}
				b := bindings(p, data, nil)
				out := runDriver(t, lang, res, p, data, nil)
				if want := bigEval(t, p.original, en, b, 2048); relErr(out.Outs[0][0], want) > 1e-14 {
					t.Errorf("%s, %s at x = %v, y = %v: loss %v, 2048-bit oracle %v", lang, c.loss, x, c.y, out.Outs[0][0], want)
				}
				for k := range w {
					want := bigEval(t, p.symbolic[k], en, b, 2048)
					if g := out.Outs[1+k][0]; math.IsNaN(g) || math.IsInf(g, 0) || relErr(g, want) > 1e-14 {
						t.Errorf("%s, %s at x = %v, y = %v: d/d%s %v, 2048-bit oracle %v", lang, c.loss, x, c.y, tc.wrt[k], g, want)
					}
				}
			}
		}
	}
}

// TestHypotQuotientStability: a square outside the root still overflowed:
// the gradient of 1/sqrt(x^2 + y^2) is -x/(hypot(x, y)*(x^2 + y^2)), 0 in
// C at x = y = 1e155 where it is -3.5e-311, and that of x/sqrt(x^2 + y^2)
// was Inf/Inf at 1e200 and lost its digits to subnormal squares at 1e-160.
// The oracle is the loss and the symbolic gradient at 2048 bits, at
// points far from 0, near 0 and moderate, wherever they are within
// float64's range; the header must name the rewrite.
func TestHypotQuotientStability(t *testing.T) {
	t.Parallel() // compiles and runs generated code: waits on subprocesses
	for _, c := range []struct {
		loss string
		pts  [][2]float64
	}{
		{"1/sqrt(x^2 + y^2)", [][2]float64{{1e155, 1e155}, {1e200, -1e200}, {-1e-100, 3e-101}, {3, 0.25}}},
		{"x/sqrt(x^2 + y^2)", [][2]float64{{1e200, 1e200}, {-1e250, 3e249}, {1e-160, -1e-160}, {1e-200, 2e-200}, {3, 0.25}}},
	} {
		tc := &tcase{loss: c.loss, wrt: []string{"x", "y"}}
		en, loss, w := tc.setup(t)
		ctx := context.Background()
		p, err := analyse(ctx, en, loss, w, false)
		if err != nil {
			t.Fatal(err)
		}
		for _, lang := range []Lang{C, Go, NumPy, Python} {
			res, err := Generate(ctx, en, &Request{Loss: loss, Wrt: w, Lang: lang, Package: "main", Version: "test"})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(res.Code, rwHypotQuo) {
				t.Errorf("%s, %s: the header does not name the rewrite of quotients by hypot", lang, c.loss)
			}
			for _, pt := range c.pts {
				data := map[string][]float64{"x": {pt[0]}, "y": {pt[1]}}
				b := bindings(p, data, nil)
				out := runDriver(t, lang, res, p, data, nil)
				if want := bigEval(t, p.original, en, b, 2048); relErr(out.Outs[0][0], want) > 1e-14 {
					t.Errorf("%s, %s at %v: loss %v, 2048-bit oracle %v", lang, c.loss, pt, out.Outs[0][0], want)
				}
				for k := range w {
					want := bigEval(t, p.symbolic[k], en, b, 2048)
					// Relative to the value, down to the smallest normal number.
					if g := out.Outs[1+k][0]; math.IsNaN(g) || math.IsInf(g, 0) || math.Abs(g-want) > 1e-14*math.Max(math.Abs(want), 0x1p-1022) {
						t.Errorf("%s, %s at %v: d/d%s %v, 2048-bit oracle %v", lang, c.loss, pt, tc.wrt[k], g, want)
					}
				}
			}
		}
	}
}
