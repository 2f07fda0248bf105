package session

import (
	"math"
	"testing"

	"github.com/symdiff/symdiff/ast"
)

// TestFuncSets checks the sets of functions the undefined-point analysis
// trusts (switches, since map literals cost every start) against the
// functions' own float64 evaluation at points over the whole real line:
// a total function has a value everywhere, a positive one is above 0, a
// unit one strictly between 0 and 1. A name added to a switch that does
// not hold, or misspelled (then not a built-in function at all), fails.
func TestFuncSets(t *testing.T) {
	var xs []float64
	for x := -30.0; x <= 30; x += 0.37 {
		xs = append(xs, x)
	}
	xs = append(xs, 0, -1e-300, 1e-300)
	named := 0
	for _, f := range ast.Funcs {
		total, positive, unit := totalFunc(f.Name), positiveFunc(f.Name), unitFunc(f.Name)
		if total || positive || unit || invertsNothing(f.Name) {
			named++
		}
		if f.Arity != 1 || !(total || positive || unit) {
			if f.Arity != 1 && (positive || unit) {
				t.Errorf("%s: a positive or unit function must take one argument", f.Name)
			}
			continue
		}
		for _, x := range xs {
			v := f.Float([]float64{x})
			switch {
			case total && (math.IsNaN(v) || math.IsInf(v, 0) && !math.IsInf(x, 0) && math.Abs(x) < 20):
				t.Errorf("%s(%g) = %g: not total", f.Name, x, v)
			case positive && !(v > 0) && math.Abs(x) < 8: // beyond, float64 rounds to 0 or 1
				t.Errorf("%s(%g) = %g: not positive", f.Name, x, v)
			case unit && !(v > 0 && v < 1) && math.Abs(x) < 8:
				t.Errorf("%s(%g) = %g: not strictly between 0 and 1", f.Name, x, v)
			}
		}
	}
	// Every name the switches hold is a built-in function.
	all := 0
	for _, name := range []string{"exp", "log", "sqrt", "sigma", "softplus", "tanh", "cosh", "sinh", "sin", "cos", "Phi", "phi",
		"abs", "sign", "step", "relu", "max", "min", "clip", "pi", "delta", "nosuch", ""} {
		if totalFunc(name) || positiveFunc(name) || unitFunc(name) || invertsNothing(name) {
			all++
			if _, ok := ast.LookupFunc(name); !ok {
				t.Errorf("%q is in a set of functions but is no built-in function", name)
			}
		}
	}
	if named != all || named == 0 {
		t.Errorf("the sets name %d built-in functions, %d of the names tried", named, all)
	}
	// Functions with a pole or a domain are not total.
	for _, name := range []string{"log", "sqrt"} {
		if totalFunc(name) {
			t.Errorf("%s is not defined at every real argument", name)
		}
	}
}
