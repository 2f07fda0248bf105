package ast_test

import (
	"context"
	"math"
	"math/big"
	"testing"

	"github.com/symdiff/symdiff/ast"
)

// TestEvalBigKinks: the high-precision values of the functions with
// kinks and of pi are the exact values rounded once (half an ulp).
func TestEvalBigKinks(t *testing.T) {
	third := new(big.Float).SetPrec(400).Quo(big.NewFloat(1).SetPrec(400), big.NewFloat(3).SetPrec(400))
	tests := []struct {
		src  string
		want *big.Float // exact, or to more than 256 bits
	}{
		{"abs(-1/3)", third},
		{"max(-1/3, -1/2, -1)", new(big.Float).Neg(third)},
		{"min(1/3, 1/2)", third},
		{"relu(1/3)", third},
		{"clip(1/3, 0, 1)", third},
		{"clip(5, -1/3, 1/3)", third},
		{"sign(-1/3)", big.NewFloat(-1)},
		{"step(1/3) + step(0)", big.NewFloat(1)},
		{"pi", mustFloat("3.14159265358979323846264338327950288419716939937510582097494459230781640628620899862803482534211706798")},
	}
	for _, tt := range tests {
		e, defs := script(t, tt.src)
		for _, prec := range []uint{53, 113, 256} {
			got, err := ast.EvalBig(context.Background(), e, defs, nil, prec)
			if err != nil {
				t.Fatalf("%s: %v", tt.src, err)
			}
			want := new(big.Float).SetPrec(prec).Set(tt.want) // rounded once, to nearest
			if got.Cmp(want) != 0 {
				t.Errorf("%s at %d bits = %s, want %s", tt.src, prec, got.Text('g', 40), want.Text('g', 40))
			}
		}
	}
}

func mustFloat(s string) *big.Float {
	f, _, err := big.ParseFloat(s, 10, 400, big.ToNearestEven)
	if err != nil {
		panic(err)
	}
	return f
}

// TestKinkDistance: how far a point lies from the kinks met evaluating.
func TestKinkDistance(t *testing.T) {
	b := ast.Bindings{"x": ast.Scalar(0.25), "y": ast.Scalar(1), "v": vec(1, -0.5, 2)}
	tests := []struct {
		src  string
		want float64
	}{
		{"x^2 + sigma(x)", math.Inf(1)},
		{"abs(x)", 0.25},
		{"max(x, y) + abs(y)", 0.75},
		{"clip(y, x, 1.125)", 0.125},
		{"sum(i=1..3, relu(v[i]))", 0.5},
		{"f(u) := step(u - 1)\nf(x)", 0.75},
	}
	for _, tt := range tests {
		e, defs := script(t, tt.src)
		got, err := ast.KinkDistance(context.Background(), e, defs, b)
		if err != nil {
			t.Fatalf("%s: %v", tt.src, err)
		}
		if got != tt.want {
			t.Errorf("KinkDistance(%s) = %g, want %g", tt.src, got, tt.want)
		}
		gb, err := ast.KinkDistanceBig(context.Background(), e, defs, b, 256)
		switch {
		case err != nil:
			t.Fatalf("%s: %v", tt.src, err)
		case math.IsInf(tt.want, 1) != (gb == nil):
			t.Errorf("KinkDistanceBig(%s) = %v, want %g", tt.src, gb, tt.want)
		case gb != nil:
			if f, _ := gb.Float64(); f != tt.want {
				t.Errorf("KinkDistanceBig(%s) = %g, want %g", tt.src, f, tt.want)
			}
		}
	}
}
