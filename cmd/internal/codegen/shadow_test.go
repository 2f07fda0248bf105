package codegen

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
)

// shadowCase is a loss that uses both the user's sigma, which shadows the
// built-in (softsign u/(1+|u|)), and the built-in logistic sigmoid.
var shadowCase = tcase{name: "shadow", defs: "testdata/shadow.sd", loss: "L", wrt: []string{"w"}, hessian: true,
	sizes: map[string]int{"n": 6}}

// shadowByHand is the loss of testdata/shadow.sd and its derivative by w,
// written out by hand: s(u) = u/(1+|u|), s'(u) = 1/(1+|u|)^2, and
// σ'(u) = σ(u)(1-σ(u)). It shares nothing with the engine.
func shadowByHand(w float64, x, y []float64) (loss, grad float64) {
	for i := range x {
		u := w * x[i]
		s := u / (1 + math.Abs(u))
		ds := x[i] / ((1 + math.Abs(u)) * (1 + math.Abs(u)))
		g := 1 / (1 + math.Exp(-(x[i] - w)))
		loss += (s-y[i])*(s-y[i]) + g
		grad += 2*(s-y[i])*ds - g*(1-g)
	}
	return loss, grad
}

// TestShadowedBuiltinGenerated runs the code generated for a loss whose
// sigma is the user's function: it must compute the user's body, not the
// built-in sigmoid, for the loss and the gradient, against the loss and
// gradient written out by hand, at small and at large data; and the header
// comment must read back, where the user's sigma is in force, as the loss.
// runCase checks it too against finite differences and ast.Eval.
func TestShadowedBuiltinGenerated(t *testing.T) {
	tc := shadowCase
	en, loss, wrt := tc.setup(t)
	ctx := context.Background()
	p, err := analyse(ctx, en, loss, wrt, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range Langs {
		t.Run(string(lang), func(t *testing.T) {
			t.Parallel()
			// Finite differences, the Hessian, and ast.Eval, as for every case.
			runCase(t, &tc, lang)
			res, err := Generate(ctx, en, &Request{Loss: loss, Wrt: wrt, Lang: lang, Package: "main", Version: "test"})
			if err != nil {
				t.Fatal(err)
			}
			for _, scale := range []float64{1, 9} {
				data, sizes := tc.data(p, 3)
				for i := range data["x"] {
					data["x"][i] *= scale
				}
				data["w"][0] = 0.4 * scale
				out := runDriver(t, lang, res, p, data, sizes)
				wantL, wantG := shadowByHand(data["w"][0], data["x"], data["y"])
				if e := relErr(out.Outs[0][0], wantL); e > 1e-12 {
					t.Errorf("scale %g: loss %.17g, by hand %.17g", scale, out.Outs[0][0], wantL)
				}
				if e := relErr(out.Outs[1][0], wantG); e > 1e-12 {
					t.Errorf("scale %g: d loss/d w %.17g, by hand %.17g", scale, out.Outs[1][0], wantG)
				}
			}
			if t.Failed() {
				t.Logf("generated code:\n%s", res.Code)
			}
		})
	}

	// The header: the built-in is written sigmoid, and each of its
	// formulas, parsed where the user's sigma is in force, has the value
	// written out by hand.
	res, err := Generate(ctx, en, &Request{Loss: loss, Wrt: wrt, Lang: NumPy, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	data, sizes := tc.data(p, 5)
	b := bindings(p, data, sizes)
	wantL, wantG := shadowByHand(data["w"][0], data["x"], data["y"])
	found := 0
	for _, l := range strings.Split(res.Code, "\n") {
		for _, f := range []struct {
			prefix string
			want   float64
		}{{"# loss = ", wantL}, {"# d(loss, w) = ", wantG}} {
			src, ok := strings.CutPrefix(l, f.prefix)
			if !ok {
				continue
			}
			found++
			if !strings.Contains(src, "sigmoid(") {
				t.Errorf("header line %q does not write the built-in as sigmoid", l)
			}
			e, err := en.Parse(src)
			if err != nil {
				t.Fatalf("header line %q does not parse: %v", l, err)
			}
			got, err := ast.Eval(e, en.allDefs(), b)
			if err != nil {
				t.Fatal(err)
			}
			if relErr(got, f.want) > 1e-12 {
				t.Errorf("header line %q is %.17g read back, by hand %.17g", l, got, f.want)
			}
		}
	}
	if found != 2 {
		t.Errorf("found %d of the 2 formulas in the header:\n%s", found, res.Code)
	}
}
