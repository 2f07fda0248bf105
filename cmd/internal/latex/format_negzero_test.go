package latex

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
)

// TestValueTeXNoNegativeZero: a value of a counterexample is written
// without a sign on zero, as eval prints it: -0 in a binding (an entry
// computed as -1*0) showed as x = -0. Random vectors and matrices with
// zeros of both signs must render as the same values with +0 zeros.
func TestValueTeXNoNegativeZero(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 3))
	for range 200 {
		shape := [][]int{nil, {1 + rng.IntN(4)}, {1 + rng.IntN(3), 1 + rng.IntN(3)}}[rng.IntN(3)]
		n := 1
		for _, d := range shape {
			n *= d
		}
		data, plus := make([]float64, n), make([]float64, n)
		for i := range data {
			switch rng.IntN(3) {
			case 0:
				data[i] = math.Copysign(0, -1)
			case 1:
				data[i] = float64(rng.IntN(7) - 3)
			}
			plus[i] = data[i]
			if plus[i] == 0 {
				plus[i] = 0
			}
		}
		got := valueTeX(ast.Value{Shape: shape, Data: data})
		if want := valueTeX(ast.Value{Shape: shape, Data: plus}); got != want || strings.Contains(got, "-0") {
			t.Errorf("%v renders as %s, want %s", data, got, want)
		}
	}
}
