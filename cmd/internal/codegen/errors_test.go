package codegen

import (
	"context"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
)

// Requests that cannot become code are refused with a message that says
// why; the whole message is asserted.
func TestErrors(t *testing.T) {
	tests := []struct {
		loss, wrt, want string
	}{
		{"sum(i=1..n, x[i]*w)", "", "no variables to differentiate by: give --wrt, such as --wrt 'w[k]' or --wrt a,b"},
		{"sum(i=1..n, x[i]*w)", "w;w", "w is given twice in --wrt"},
		{"x[i]*w", "w", "the loss has a free index i: sum over it, as in sum(i=1..n, ...)"},
		{"sum(i=1..n, x[i]*w[i])", "w[i]", "the index i of w[i] is a name the loss uses: choose another, such as j"},
		{"sum(i=1..n, x[i]*w[i])", "w[k,l]", "w[i] has 1 indices but w[k,l] has 2"}, // from derive
		{"sum(i=1..n, x[i]*w[i])", "w[k,k]", "in w[k,k]: write the indices as distinct names, as in w[k] or W[a,b]"},
		{"sum(i=1..n, x[i]*w[i])", "2*w", "2*w is not a variable: give a name like b or an indexed name like w[k]"},
		{"sum(i=1..n, sum(j=1..i, x[j]))*w", "w", "the range of sum(j=1..i, x[j]) depends on the index i: only ranges fixed by sizes are supported"},
		{"sum(i=1..n/2, x[i])*w", "w", "the range bound n/2 is not a sum or product of sizes and whole numbers"},
		{"sum(i=1..n, x[i]*w[i]) + sum(j=1..d, v[j]*u[j])", "w[k],u[k]", "the index k stands for 1..n and for 1..d: give the variables different index names"},
		// Exact constants with no float64 (they panicked in the emitter:
		// "internal error ... please report it").
		{"x*2^2000", "x", "the constant 114813069527425452...762184851149029376 is beyond the range of float64 (about 1.8e308), in which the generated code computes: rescale the loss, or write the constant inside an exp"},
		{"x*10^400*exp(-x - 1000)", "x", "the constant 100000000000000000...000000000000000000 is beyond the range of float64 (about 1.8e308), in which the generated code computes: rescale the loss, or write the constant inside an exp"},
		{"10^-400*exp(x)", "x", "the constant 100000000000000000...000000000000000000 is beyond the range of float64 (about 1.8e308), in which the generated code computes: rescale the loss, or write the constant inside an exp"},
	}
	for _, tc := range tests {
		en := NewEngine()
		loss, err := en.Parse(tc.loss)
		if err != nil {
			t.Fatal(err)
		}
		var wrt []ast.Expr
		for _, w := range strings.Split(tc.wrt, ";") {
			if w == "" {
				continue
			}
			for _, part := range splitWrt(w) {
				e, err := en.Parse(part)
				if err != nil {
					t.Fatal(err)
				}
				wrt = append(wrt, e)
			}
		}
		_, err = Generate(context.Background(), en, &Request{Loss: loss, Wrt: wrt, Lang: Go})
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s by %s:\n got %v\nwant %s", tc.loss, tc.wrt, err, tc.want)
		}
	}
}

// splitWrt splits "w[k],u[k]" at the commas outside brackets.
func splitWrt(s string) []string {
	var out []string
	depth, start := 0, 0
	for i, r := range s {
		switch r {
		case '[':
			depth++
		case ']':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}

// A variable that is defined cannot be differentiated by: the code would
// have to take it as an input and compute it.
func TestErrorDefinedVariable(t *testing.T) {
	en, err := LoadEngine(nil, []string{"../../../examples/logistic.sd"})
	if err != nil {
		t.Fatal(err)
	}
	loss, _ := en.Parse("CE")
	z, _ := en.Parse("z[m]")
	_, err = Generate(context.Background(), en, &Request{Loss: loss, Wrt: []ast.Expr{z}, Lang: NumPy})
	want := "z is defined (z[i] := sum(j=1..d, x[i,j]*w[j])): differentiate by the inputs it depends on"
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

// Check accepts a correct gradient and catches a wrong derivative rule.
func TestCheck(t *testing.T) {
	ctx := context.Background()
	en, err := LoadEngine(nil, []string{"../../../examples/logistic.sd"})
	if err != nil {
		t.Fatal(err)
	}
	loss, _ := en.Parse("CE")
	w, _ := en.Parse("w[k]")
	res, err := Check(ctx, en, &CheckRequest{Loss: loss, Wrt: []ast.Expr{w}})
	if err != nil {
		t.Fatal(err)
	}
	if !res.OK() || res.Points != 3 || len(res.Rows) != 1 || res.Rows[0].Component != res.Sizes["d"] {
		t.Errorf("CE: %+v", res)
	}
	b, _ := en.Parse("b")
	res, err = Check(ctx, en, &CheckRequest{Loss: mustParse(t, en, "CE + b^3*sum(j=1..d, w[j])"), Wrt: []ast.Expr{w, b}, Hessian: true})
	if err != nil {
		t.Fatal(err)
	}
	d := res.Sizes["d"]
	if !res.OK() || len(res.Rows) != 5 || res.Rows[2].Var != "d2 w[k], w[l]" || res.Rows[2].Component != d*d ||
		res.Rows[3].Component != d || res.Rows[4].Component != 1 {
		t.Errorf("CE with Hessian: %+v", res)
	}

	en, err = LoadEngine([]string{"testdata/wrong.rules"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	loss, _ = en.Parse("sum(i=1..n, f(x[i]*a))")
	a, _ := en.Parse("a")
	res, err = Check(ctx, en, &CheckRequest{Loss: loss, Wrt: []ast.Expr{a}})
	if err != nil {
		t.Fatal(err)
	}
	if res.OK() || res.Rows[0].RelErr < 1e-3 {
		t.Errorf("a wrong derivative rule passed: %+v", res)
	}
	var out strings.Builder
	res.Print(&out)
	if !strings.Contains(out.String(), "FAIL: worst relative error") {
		t.Errorf("the report does not say FAIL:\n%s", out.String())
	}

	// Given values: one point, sizes from the arrays; a size that
	// contradicts an array is an error.
	en = NewEngine()
	loss, _ = en.Parse("mean(i=1..n, (y[i] - a*x[i])^2)")
	a, _ = en.Parse("a")
	x, _ := ast.ParseValue("[1,2,3]")
	y, _ := ast.ParseValue("[2,4,7]")
	res, err = Check(ctx, en, &CheckRequest{Loss: loss, Wrt: []ast.Expr{a}, Given: ast.Bindings{"x": x, "y": y, "a": ast.Scalar(0.5)}})
	if err != nil {
		t.Fatal(err)
	}
	if !res.OK() || res.Points != 1 || res.Sizes["n"] != 3 {
		t.Errorf("given values: %+v", res)
	}
	_, err = Check(ctx, en, &CheckRequest{Loss: loss, Wrt: []ast.Expr{a}, Given: ast.Bindings{"x": x, "n": ast.Scalar(4)}})
	if want := "x=[1,2,3]: dimension 1 has length 3, but n = 4"; err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

// A gradient that holds only under a condition on its indices is refused
// with the condition named, not emitted without it.
func TestConditionRefused(t *testing.T) {
	en := NewEngine()
	loss, err := en.Parse("sum(i=2..n, x[i]^2)")
	if err != nil {
		t.Fatal(err)
	}
	k, _ := en.Parse("x[k]")
	_, err = Generate(context.Background(), en, &Request{Loss: loss, Wrt: []ast.Expr{k}, Lang: Go})
	if err == nil || !strings.Contains(err.Error(), "holds under the condition [2 <= k") {
		t.Errorf("Generate: %v, want the condition named", err)
	}
}
