package ast_test

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
)

// TestEvalBigSettledTinyDivisor: a divisor or log argument that is 0 at
// 512 bits but not in fact (1 - sigma(z) = 1/(1 + e^z), below 2^-512
// past z = 355) is evaluated again at up to 4096 bits, not taken as a
// division by zero or log(0). The oracle is the identities
// 1/(1 - sigma(z)) = 1 + e^z and log(1 - sigma(z)) = -log1p(e^z), in
// float64, at random z up to 700 (e^z a float64). Expressions that are
// 0 or undefined in fact stay errors.
func TestEvalBigSettledTinyDivisor(t *testing.T) {
	ctx := context.Background()
	inv := mustParse(t, "1/(1 - sigma(z))")
	lg := mustParse(t, "log(1 - sigma(z))")
	r := rand.New(rand.NewPCG(7, 7))
	for range 200 {
		z := float64(int(r.Float64()*700*1000)) / 1000 // up to 700, a decimal
		b := ast.Bindings{"z": ast.Scalar(z)}
		for _, c := range []struct {
			e    ast.Expr
			want float64
		}{
			{inv, 1 + math.Exp(z)},
			{lg, -math.Log1p(math.Exp(z))},
		} {
			v, _, err := ast.EvalBigSettled(ctx, c.e, nil, b, 512)
			if err != nil {
				t.Fatalf("%s at z = %v: %v; want %v", ast.String(c.e), z, err, c.want)
			}
			got, _ := v.Float64()
			if math.Abs(got-c.want) > 1e-13*math.Abs(c.want) {
				t.Fatalf("%s at z = %v: %v; want %v", ast.String(c.e), z, got, c.want)
			}
		}
	}
	for _, src := range []string{"1/(sigma(z) - sigma(z))", "log(exp(z) - exp(z))", "1/(1 - sigma(z))"} {
		// The last at z = 5000: 1 - sigma(z) is below 2^-4096 of 1.
		v, _, err := ast.EvalBigSettled(ctx, mustParse(t, src), nil, ast.Bindings{"z": ast.Scalar(5000)}, 512)
		var ue *ast.UndecidedError
		if !errors.As(err, &ue) {
			t.Errorf("%s at z = 5000: %v, %v; want that it cannot be decided", src, v, err)
		}
	}
	// A failure on an argument that is not 0 is decided: log(sin(4)).
	_, _, err := ast.EvalBigSettled(ctx, mustParse(t, "log(sin(z))"), nil, ast.Bindings{"z": ast.Scalar(4)}, 512)
	var ue *ast.UndecidedError
	var de *ast.DomainError
	if !errors.As(err, &de) || errors.As(err, &ue) {
		t.Errorf("log(sin(4)): %v; want a domain error", err)
	}
}

func mustParse(t *testing.T, src string) ast.Expr {
	t.Helper()
	e, err := parser.ParseExpr(src, nil)
	if err != nil {
		t.Fatal(err)
	}
	return e
}
