package matrix_test

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/simplify/matrix"
)

// TestProveProducts: the inverse and determinant of products and
// multiples (inv_product, det_product, det_scale, inv_scale) are proved,
// and each proved identity holds by the reference evaluator at random
// invertible matrices of sizes 2 to 4; a product of non-square factors is
// not taken apart.
func TestProveProducts(t *testing.T) {
	opt, pctx := invSetup(t)
	tests := []struct{ a, b, verdict string }{
		{"inv(A*B)", "inv(B)*inv(A)", "proved"},
		{"inv(A*B*S)", "inv(S)*inv(B)*inv(A)", "proved"},
		{"det(A*B)", "det(A)*det(B)", "proved"},
		{"det(A*B*S)", "det(S)*det(A)*det(B)", "proved"},
		{"det(lam*A)", "lam^m*det(A)", "proved"},
		{"det(2*A)", "2^m*det(A)", "proved"},
		{"inv(lam*A)", "inv(A)/lam", "proved"},
		{"inv(2*A*B)", "inv(B)*inv(A)/2", "proved"},
		{"det(A'*B)", "det(A)*det(B)", "proved"},
		{"det(inv(A)*B)", "det(B)/det(A)", "proved"},
		{"inv(A*B)", "inv(A)*inv(B)", "refuted"},
		{"det(2*A)", "2*det(A)", "refuted"},
		{"det(X'*X)", "det(X*X')", "refuted"},
	}
	rng := rand.New(rand.NewPCG(11, 7))
	for _, tt := range tests {
		a, b, _, ok := proveClaim(t, opt, pctx, tt.a, tt.b, tt.verdict)
		if !ok {
			continue
		}
		if tt.verdict != "proved" {
			continue
		}
		for range 5 {
			env := drawRef(rng, opt.Decls)
			va, errA := refEval(a, env)
			vb, errB := refEval(b, env)
			if errA != nil || errB != nil {
				t.Fatalf("prove %s == %s: reference evaluation: %v %v", tt.a, tt.b, errA, errB)
			}
			for i := range va.a {
				if math.Abs(va.a[i]-vb.a[i]) > 1e-9*(1+math.Abs(va.a[i])) {
					t.Errorf("prove %s == %s: proved, but the sides differ by the reference evaluator: %v against %v", tt.a, tt.b, va.a, vb.a)
					break
				}
			}
		}
	}
}

// TestProveShapes: sides of different shapes are an error that names
// both shapes, not "cannot add".
func TestProveShapes(t *testing.T) {
	opt, pctx := invSetup(t)
	tests := []struct{ a, b, want string }{
		{"eye(m)", "eye(n)", "the two sides have different shapes: eye(m) is m×m and eye(n) is n×n (sizes with different names are not taken to be equal)"},
		{"X", "X'", "the two sides have different shapes: X is n×d and X' is d×n (sizes with different names are not taken to be equal)"},
		{"x", "lam", "the two sides have different shapes: x is m×1 and lam is 1×1"},
	}
	for _, tt := range tests {
		a, b := parsePair(t, pctx, tt.a, tt.b)
		_, err := matrix.Prove(context.Background(), a, b, opt)
		if !errors.Is(err, matrix.ErrShapes) || err.Error() != tt.want {
			t.Errorf("prove %s == %s: %v, want %s", tt.a, tt.b, err, tt.want)
		}
	}
}
