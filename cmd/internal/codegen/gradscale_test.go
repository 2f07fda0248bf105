package codegen

import (
	"context"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
)

// TestGradcheckAtEveryScale: gradcheck is relative at every scale. At
// x = 1e-83 it printed SYMBOLIC 3e-166, FINITE DIFF 1e-10 for x^4/x, "ok":
// the step 1e-5*max(|x|, 1) took the slope over [-1e-5, 1e-5], and the
// error |a - b|/max(|a|, |b|, 1) was absolute, so a wrong derivative passed
// as well. The oracles: the closed form 3*x^2 of the finite difference,
// and a rule wrong by 0.1% (testdata/wrongscale.rules), which must fail
// at every x with a relative error of 0.1%.
func TestGradcheckAtEveryScale(t *testing.T) {
	ctx := context.Background()
	right, err := LoadEngine(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	wrong, err := LoadEngine([]string{"testdata/wrongscale.rules"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(83, 166))
	for range 60 {
		x := math.Pow(10, 290*rng.Float64()-150)
		if rng.IntN(2) == 0 {
			x = -x
		}
		given := ast.Bindings{"x": ast.Scalar(x)}
		res, err := Check(ctx, right, &CheckRequest{Loss: mustParse(t, right, "x^4/x"), Wrt: []ast.Expr{mustParse(t, right, "x")}, Given: given})
		if err != nil {
			t.Fatalf("x^4/x at %v: %v", x, err)
		}
		want := 3 * x * x
		if row := res.Rows[0]; !res.OK() || math.Abs(row.Numeric-want) > 1e-8*want || math.Abs(row.Symbolic-want) > 1e-14*want {
			t.Errorf("x^4/x at %v: ok %v, symbolic %v, finite difference %v, want %v", x, res.OK(), row.Symbolic, row.Numeric, want)
		}
		res, err = Check(ctx, wrong, &CheckRequest{Loss: mustParse(t, wrong, "g(x)"), Wrt: []ast.Expr{mustParse(t, wrong, "x")}, Given: given})
		if err != nil {
			t.Fatalf("g(x) at %v: %v", x, err)
		}
		if re := res.Rows[0].RelErr; res.OK() || re < 0.9e-3/1.003 || re > 1.1e-3 {
			t.Errorf("g(x) (a derivative 0.1%% off) at %v: ok %v, relative error %v", x, res.OK(), re)
		}
	}
	// The point is shown: POINT is its number.
	res, err := Check(ctx, right, &CheckRequest{Loss: mustParse(t, right, "x^4/x"), Wrt: []ast.Expr{mustParse(t, right, "x")}, Given: ast.Bindings{"x": ast.Scalar(1e-83)}})
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	res.Print(&out)
	if !strings.Contains(out.String(), "point 1: x=1e-83\n") {
		t.Errorf("the point is not shown:\n%s", out.String())
	}
	// A derivative beyond float64 cannot be checked: an error says so.
	_, err = Check(ctx, right, &CheckRequest{Loss: mustParse(t, right, "x^4/x"), Wrt: []ast.Expr{mustParse(t, right, "x")}, Given: ast.Bindings{"x": ast.Scalar(1e-200)}})
	if err == nil || !strings.Contains(err.Error(), "too small for a float64") {
		t.Errorf("x^4/x at 1e-200: %v, want an error: the derivative is too small for a float64", err)
	}
}

// TestKnownDigits: a finite difference is printed with the digits its
// error leaves it: the text reads back within its error (and half a unit
// of its last digit), with no digit beyond what the error allows.
func TestKnownDigits(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 1))
	for range 2000 {
		v := math.Pow(10, 600*rng.Float64()-300) * (rng.Float64() + 0.5)
		rel := math.Pow(10, -14*rng.Float64())
		err := rel * v
		s := knownDigits(v, err)
		back, perr := strconv.ParseFloat(s, 64)
		m, _, _ := strings.Cut(s, "e")
		digits := len(strings.TrimLeft(strings.ReplaceAll(m, ".", ""), "0"))
		allowed := max(1, min(12, int(math.Floor(-math.Log10(rel)))))
		if perr != nil || math.Abs(back-v) > err+5*math.Pow(10, math.Floor(math.Log10(v))-float64(allowed)+1)/10 || digits > allowed {
			t.Fatalf("%v within %v prints %s (%d digits, %d allowed)", v, err, s, digits, allowed)
		}
	}
}
