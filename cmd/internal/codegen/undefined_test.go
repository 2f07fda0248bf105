package codegen

import (
	"context"
	"strings"
	"testing"
)

// TestUndefinedDerivativeIsNaN: the derivative of if(x == 0, 1, x) does
// not exist at x = 0 (the function jumps there); derive writes
// undefined() for it, and the code generated in every language computes
// NaN there (the language's NaN constant, selected by x == 0) and 1
// elsewhere; it refused to generate code ("undefined has no definition to
// generate code from"). The drivers speak JSON, which has no NaN, so the
// point x = 0 is checked in the code's text.
func TestUndefinedDerivativeIsNaN(t *testing.T) {
	tc := &tcase{loss: "if(x == 0, 1, x)", wrt: []string{"x"}}
	en, loss, wrt := tc.setup(t)
	ctx := context.Background()
	p, err := analyse(ctx, en, loss, wrt, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []Lang{Go, C, NumPy, Python} {
		res, err := Generate(ctx, en, &Request{Loss: loss, Wrt: wrt, Lang: lang, Package: "main", Version: "test"})
		if err != nil {
			t.Fatal(err)
		}
		nan := map[Lang]string{Go: "math.NaN()", C: "NAN", NumPy: "np.nan", Python: "math.nan"}[lang]
		if !strings.Contains(res.Code, nan) {
			t.Errorf("%s: the code has no %s:\n%s", lang, nan, res.Code)
		}
		for _, x := range []float64{1, -2.5} {
			out := runDriver(t, lang, res, p, map[string][]float64{"x": {x}}, nil)
			if got, g := out.Outs[0][0], out.Outs[1][0]; got != x || g != 1 {
				t.Errorf("%s at x = %v: loss %v, gradient %v; want %v, 1", lang, x, got, g, x)
			}
		}
	}
}
