package numcheck

import (
	"math"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
)

// TestStepKink: whether a central difference of step h around x meets a
// kink of e, and the slope the convention prescribes there, by hand:
// relu'(0) = 0, |x|' = sign(0) = 0, a tie of max goes to the first
// argument, clip keeps its argument on the closed interval, if takes the
// piece its condition selects at the point.
func TestStepKink(t *testing.T) {
	const h = 1e-5
	for _, c := range []struct {
		e      string
		x      []float64 // the value of x (a scalar, or an array)
		entry  int       // which entry of x moves
		onKink bool
		conv   float64
	}{
		{"relu(x)", []float64{0}, 0, true, 0},
		{"relu(x)", []float64{0.5}, 0, false, 0},
		{"relu(x)", []float64{h / 2}, 0, true, 1}, // the kink lies inside the step
		{"abs(x)", []float64{0}, 0, true, 0},
		{"abs(x) + relu(x) + 3*x", []float64{0}, 0, true, 3},
		{"max(x, 0)", []float64{0}, 0, true, 1},
		{"max(0, x)", []float64{0}, 0, true, 0},
		{"min(x, 1)*2", []float64{1}, 0, true, 2},
		{"clip(x, 0, 1)", []float64{0}, 0, true, 1},
		{"clip(x, 0, 1)", []float64{1}, 0, true, 1},
		{"step(x)*x^2 + sign(x)", []float64{0}, 0, true, 0},
		{"if(x > 0, x^2, -x)", []float64{0}, 0, true, -1},
		{"if(x >= 0, x^2, -x)", []float64{0}, 0, true, 0},
		{"if(x > 0 and x < 2, 5*x, 0)", []float64{2}, 0, true, 0},
		{"sum(i=1..2, if(x[i] > 0, x[i]^2, 0))", []float64{1, 0}, 0, false, 0},
		{"sum(i=1..2, if(x[i] > 0, x[i]^2, 0))", []float64{1, 0}, 1, true, 0},
		{"sum(i=1..2, relu(x[i]))", []float64{0, 0}, 0, true, 0},
		{"sum(i=1..2, abs(x[i] - 1))*x[1]", []float64{1, 1}, 0, true, 0},
		{"exp(x)", []float64{0}, 0, false, 0},
	} {
		e := parse(t, c.e)
		bind := func(d float64) ast.Bindings {
			v := append([]float64(nil), c.x...)
			v[c.entry] += d
			if len(v) == 1 && !strings.Contains(ast.String(e), "x[") {
				return ast.Bindings{"x": ast.Scalar(v[0])}
			}
			return ast.Bindings{"x": ast.Value{Shape: []int{len(v)}, Data: v}}
		}
		got, err := StepKink(bg, e, nil, bind(-h), bind(0), bind(h), h)
		if err != nil {
			t.Errorf("%s: %v", c.e, err)
			continue
		}
		if got.OnKink != c.onKink || math.Abs(got.Convention-c.conv) > 1e-6 {
			t.Errorf("%s at x=%v, entry %d: %+v, want on a kink %v with slope %g", c.e, c.x, c.entry+1, got, c.onKink, c.conv)
		}
	}
}
