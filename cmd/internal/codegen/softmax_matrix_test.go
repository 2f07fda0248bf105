package codegen

import (
	"testing"

	"github.com/symdiff/symdiff/ast"
)

// TestMatrixSoftmaxStability runs the code generated for softmax
// regression written in matrix notation, mean(log(exp(X*W)*ones(K)) -
// (T .* (X*W))*ones(K)), where the scores reach ±1600. Its index form had
// a factor 1 from ones(K) in the sum, log(sum(j, exp(z[i,j])*1)), which hid
// the log-sum-exp from the rewrites for numerical stability: the loss was
// inf. The oracle is the loss and the symbolic gradient at 2048 bits.
func TestMatrixSoftmaxStability(t *testing.T) {
	data := map[string][]float64{
		"X": {1, 0.5, -1, 0.25, 2, -1},       // n = 3 rows, d = 2
		"W": {800, -300, 400, 0.5, 1, -2},    // d × K, K = 3
		"T": {1, 0, 0, 0, 0.5, 0.5, 0, 1, 0}, // n × K
	}
	var at []ast.Bindings
	for a := 1; a <= 2; a++ {
		for e := 1; e <= 3; e++ {
			at = append(at, ast.Bindings{"p": ast.Scalar(float64(a)), "q": ast.Scalar(float64(e))})
		}
	}
	tc := &tcase{defs: "testdata/matrix-softmax.sd", loss: "L", wrt: []string{"W"}}
	checkStable(t, tc, data, map[string]int{"n": 3, "d": 2, "K": 3}, at, 1e-13)
}
