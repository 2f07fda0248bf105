package ast_test

import (
	"context"
	"errors"
	"math"
	"math/big"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
)

// script parses src, a script whose definitions make the context and whose
// last statement is the expression to evaluate.
func script(t *testing.T, src string) (ast.Expr, *ast.Defs) {
	t.Helper()
	stmts, err := parser.ParseFile("", src, nil)
	if err != nil {
		t.Fatalf("%q:\n%v", src, err)
	}
	defs := &ast.Defs{}
	for _, s := range stmts[:len(stmts)-1] {
		if err := defs.Define(s.Stmt.(*ast.DefStmt).Def); err != nil {
			t.Fatal(err)
		}
	}
	return stmts[len(stmts)-1].Stmt.(*ast.ExprStmt).X, defs
}

func vec(xs ...float64) ast.Value { return ast.Value{Shape: []int{len(xs)}, Data: xs} }

func mat(rows, cols int, xs ...float64) ast.Value {
	return ast.Value{Shape: []int{rows, cols}, Data: xs}
}

// The expected values below are worked out by hand (noted beside each),
// not by running the code.
func TestEval(t *testing.T) {
	logistic := seedDefs + "\n"
	tests := []struct {
		name string
		src  string
		b    ast.Bindings
		want float64
	}{
		{"number", "0.1", nil, 0.1},
		{"precedence", "2 + 3*4", nil, 14},
		{"unary minus below power", "-2^2", nil, -4},
		{"power is right-assoc", "2^3^2", nil, 512}, // 2^9
		{"negative exponent", "2^-1", nil, 0.5},
		{"division is left-assoc", "8/4/2", nil, 1},
		{"div then mul", "8/4*2", nil, 4},
		{"negative base, integer power", "(-2)^3", nil, -8},
		{"scalar binding", "a*b - c", ast.Bindings{"a": ast.Scalar(3), "b": ast.Scalar(4), "c": ast.Scalar(2)}, 10},
		{"sigma(0)", "sigma(0)", nil, 0.5},
		{"sigma symmetric", "sigma(2) + sigma(-2)", nil, 1},
		{"exp(0)", "exp(0)", nil, 1},
		{"log(1)", "log(1)", nil, 0},
		{"sqrt(16)", "sqrt(16)", nil, 4},
		{"softplus(0)", "softplus(0)", nil, math.Ln2}, // log(1 + 1)
		{"tanh(0)", "tanh(0)", nil, 0},
		{"sin(0) + cos(0)", "sin(0) + cos(0)", nil, 1},
		{"Phi(0)", "Phi(0)", nil, 0.5},
		{"phi(0)", "phi(0)", nil, 0.3989422804014327}, // 1/sqrt(2π)
		{"abs", "abs(-2.5) + abs(0) + abs(3)", nil, 5.5},
		{"sign", "sign(-2) + 10*sign(0) + 100*sign(0.1)", nil, 99},
		{"step at 0 is 0", "step(0) + 10*step(1) + 100*step(-1)", nil, 10},
		{"relu", "relu(-1) + relu(0) + relu(2)", nil, 2},
		{"max of three", "max(1, 5, 3)", nil, 5},
		{"min of three", "min(4, -2, 3)", nil, -2},
		{"clip inside, below, above", "clip(0.5, 0, 1) + 10*clip(-3, 0, 1) + 100*clip(7, 0, 1)", nil, 100.5},
		{"pi", "pi", nil, math.Pi},
		{"sigma as a variable", "log(sigma) + sigma(0)", ast.Bindings{"sigma": ast.Scalar(math.E)}, 1.5},
		{"pi shadowed", "pi := 3\npi", nil, 3},
		{"delta equal", "delta(2, 2)", nil, 1},
		{"delta different", "delta(1, 2)", nil, 0},
		{"delta picks an element", "sum(j=1..3, delta(j, 2)*x[j])", ast.Bindings{"x": vec(10, 20, 30)}, 20},
		{"vector sum", "sum(i=1..4, x[i])", ast.Bindings{"x": vec(1, 2, 3, 6)}, 12},
		{"mean over a vector", "mean(i=1..n, x[i])", ast.Bindings{"x": vec(1, 2, 3, 6), "n": ast.Scalar(4)}, 3},
		{"mean over part", "mean(i=2..3, x[i])", ast.Bindings{"x": vec(1, 2, 4)}, 3},
		{"empty sum", "sum(i=1..0, x[i])", ast.Bindings{"x": vec(1)}, 0},
		// A = [[1,2],[3,4]], v = [5,6]: (Av)_2 = 3*5 + 4*6 = 39.
		{"matrix-vector row", "sum(j=1..2, A[2,j]*v[j])", ast.Bindings{"A": mat(2, 2, 1, 2, 3, 4), "v": vec(5, 6)}, 39},
		// (Av)_1 + (Av)_2 = 17 + 39.
		{"matrix-vector sum", "sum(i=1..2, sum(j=1..2, A[i,j]*v[j]))", ast.Bindings{"A": mat(2, 2, 1, 2, 3, 4), "v": vec(5, 6)}, 56},
		// Row-major: A[1,2] = 2, A[2,1] = 3.
		{"row-major layout", "10*A[1,2] + A[2,1]", ast.Bindings{"A": mat(2, 2, 1, 2, 3, 4)}, 23},
		{"free index", "x[k]", ast.Bindings{"x": vec(7, 8), "k": ast.Scalar(2)}, 8},
		{"bound is an expression", "sum(i=1..n-1, i)", ast.Bindings{"n": ast.Scalar(5)}, 10},
		// With w = 0 every z is 0, every p is 1/2, and CE = -mean(log(1/2)) = log 2.
		{"seed script CE", logistic + "CE",
			ast.Bindings{"x": mat(2, 2, 1, 2, 3, 4), "w": vec(0, 0), "y": vec(1, 0), "n": ast.Scalar(2), "d": ast.Scalar(2)}, math.Ln2},
		// q = z = 0, so MSE = ((1-0)^2 + (0-0)^2)/2.
		{"seed script MSE", logistic + "MSE",
			ast.Bindings{"x": mat(2, 2, 1, 2, 3, 4), "w": vec(0, 0), "y": vec(1, 0), "n": ast.Scalar(2), "d": ast.Scalar(2)}, 0.5},
		// z[2] = 3*1 + 4*(-1) = -1, and q[2] = z[2].
		{"seed script z", logistic + "q[2]",
			ast.Bindings{"x": mat(2, 2, 1, 2, 3, 4), "w": vec(1, -1), "d": ast.Scalar(2)}, -1},
		{"user function", "f(u, v) := u^2 + v\nf(3, 1)", nil, 10},
		{"user function of an expression", "f(u) := 2*u\nf(f(1) + 1)", nil, 6},
		{"function parameter shadows a binding", "f(u) := u + 1\nf(10) + u", ast.Bindings{"u": ast.Scalar(100)}, 111},
		{"definition uses a binding", "L := a*b\nL + 1", ast.Bindings{"a": ast.Scalar(2), "b": ast.Scalar(5)}, 11},
		{"definition beats a binding", "a := 2\na", ast.Bindings{"a": ast.Scalar(5)}, 2},
		{"indexed definition", "sq[i] := x[i]^2\nsum(i=1..3, sq[i])", ast.Bindings{"x": vec(1, 2, 3)}, 14},
		{"definitions do not see the caller's sum index", "c := 5\nsum(c=1..2, c)", nil, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, defs := script(t, tt.src)
			got, err := ast.Eval(e, defs, tt.b)
			if err != nil {
				t.Fatalf("Eval: %v", err)
			}
			if math.Abs(got-tt.want) > 1e-12*math.Max(1, math.Abs(tt.want)) {
				t.Errorf("Eval = %.17g, want %.17g", got, tt.want)
			}
		})
	}
}

// seedDefs are the definitions of the seed script examples/logistic.sd.
const seedDefs = `z[i] := sum(j=1..d, x[i,j]*w[j])
p[i] := sigma(z[i])
CE   := -mean(i=1..n, y[i]*log(p[i]) + (1 - y[i])*log(1 - p[i]))
q[i] := z[i]
MSE  := mean(i=1..n, (y[i] - q[i])^2)`

func TestEvalMissing(t *testing.T) {
	tests := []struct {
		name string
		src  string
		b    ast.Bindings
		want []string
	}{
		{"all names, sorted", "w[j]*b + a + sum(i=1..n, z[i]*i)", nil, []string{"a", "b", "j", "n", "w", "z"}},
		{"some bound", "w[j]*b + a", ast.Bindings{"a": ast.Scalar(1), "w": vec(1)}, []string{"b", "j"}},
		{"through definitions", seedDefs + "\nCE", ast.Bindings{"y": vec(1)}, []string{"d", "n", "w", "x"}},
		{"through function definitions", "f(u) := u*k\nf(2) + m", nil, []string{"k", "m"}},
		{"sum bounds", "sum(i=a..b, 1)", nil, []string{"a", "b"}},
		{"derivative", "d(x^2, y)", nil, []string{"x", "y"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, defs := script(t, tt.src)
			if got := ast.Missing(e, defs, tt.b); !cmp.Equal(got, tt.want) {
				t.Errorf("Missing = %v, want %v", got, tt.want)
			}
			_, err := ast.Eval(e, defs, tt.b)
			var me *ast.MissingError
			if !errors.As(err, &me) {
				t.Fatalf("Eval error %v, want a *MissingError", err)
			}
			if !cmp.Equal(me.Names, tt.want) {
				t.Errorf("MissingError.Names = %v, want %v", me.Names, tt.want)
			}
		})
	}
	e, _ := script(t, "w[j]*b + a")
	_, err := ast.Eval(e, nil, nil)
	if want := "missing values for a, b, j, w (give them as NAME=VALUE)"; err == nil || err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
}

func TestEvalErrors(t *testing.T) {
	tests := []struct {
		name   string
		src    string
		b      ast.Bindings
		want   string
		domain bool // a *DomainError
	}{
		{"index out of range", "x[i]", ast.Bindings{"x": vec(1, 2), "i": ast.Scalar(3)},
			"index out of range: x[i] with i=3, but x has 2 elements in dimension 1", true},
		{"index zero", "x[i]", ast.Bindings{"x": vec(1, 2), "i": ast.Scalar(0)},
			"index out of range: x[i] with i=0, but x has 2 elements in dimension 1", true},
		{"second index out of range", "A[1,j]", ast.Bindings{"A": mat(2, 2, 1, 2, 3, 4), "j": ast.Scalar(5)},
			"index out of range: A[1,j] with j=5, but A has 2 elements in dimension 2", true},
		{"literal index out of range", "x[3]", ast.Bindings{"x": vec(1, 2)},
			"index out of range: x[3], but x has 2 elements in dimension 1", true},
		{"sum runs out of range", "sum(i=1..3, x[i])", ast.Bindings{"x": vec(1, 2)},
			"index out of range: x[i] with i=3, but x has 2 elements in dimension 1", true},
		{"non-integer index", "x[i]", ast.Bindings{"x": vec(1, 2), "i": ast.Scalar(1.5)},
			"index i of x[i] is not an integer", true},
		{"non-integer bound", "sum(i=1..n, i)", ast.Bindings{"n": ast.Scalar(2.5)},
			"the bound n of sum is not an integer", true},
		{"non-integer bound of a mean", "mean(i=a..2, i)", ast.Bindings{"a": ast.Scalar(0.5)},
			"the bound a of mean is not an integer", true},
		{"empty mean", "mean(i=1..n, i)", ast.Bindings{"n": ast.Scalar(0)},
			"mean over an empty range 1..0", true},
		{"list used as a scalar", "x + 1", ast.Bindings{"x": vec(1, 2)},
			"x is bound to a list: write x[...]", false},
		{"too many indices", "x[i,j]", ast.Bindings{"x": vec(1, 2), "i": ast.Scalar(1), "j": ast.Scalar(1)},
			"x[i,j] has 2 indices but its value has 1 dimensions", false},
		{"scalar used with an index", "x[1]", ast.Bindings{"x": ast.Scalar(1)},
			"x[1] has 1 indices but its value has 0 dimensions", false},
		{"derivative", "d(x^2, x)", ast.Bindings{"x": ast.Scalar(1)},
			"cannot evaluate d(x^2, x) numerically before it is differentiated", false},
		{"division by zero", "1/(a - a)", ast.Bindings{"a": ast.Scalar(3)}, "division by zero", true},
		{"zero to a negative power", "0^-1", nil, "division by zero (0 to a negative power)", true},
		{"root of a negative number", "(-8)^(1/3)", nil, "(-8)^0.333333 is not a real number", true},
		{"log of zero", "log(x)", ast.Bindings{"x": ast.Scalar(0)}, "log(0) is undefined", true},
		{"log of a negative number", "log(-2.5)", nil, "log(-2.5) is undefined", true},
		{"sqrt of a negative number", "sqrt(-1)", nil, "sqrt(-1) is undefined", true},
		{"overflow", "exp(1000)", nil, "the result is +Inf: too large for a float64, or undefined", true},
		{"negative overflow", "-exp(1000)", nil, "the result is -Inf: too large for a float64, or undefined", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, defs := script(t, tt.src)
			v, err := ast.Eval(e, defs, tt.b)
			if err == nil {
				t.Fatalf("Eval = %v, want error %q", v, tt.want)
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			var de *ast.DomainError
			if got := errors.As(err, &de); got != tt.domain {
				t.Errorf("error is a %T; DomainError: %v, want %v", err, got, tt.domain)
			}
		})
	}
}

func TestEvalContext(t *testing.T) {
	e, _ := script(t, "sum(i=1..10000000, i)")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ast.EvalContext(ctx, e, nil, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("EvalContext with a cancelled context: %v, want context.Canceled", err)
	}
	// The same sum runs to the end without cancellation: n(n+1)/2.
	v, err := ast.EvalContext(context.Background(), e, nil, nil)
	if err != nil || v != 50000005000000 {
		t.Errorf("EvalContext = %v, %v; want 50000005000000", v, err)
	}
}

func TestParseValue(t *testing.T) {
	tests := []struct {
		src  string
		want ast.Value
		str  string
	}{
		// A decimal float64 does not hold is kept exactly too (0.3 is
		// 3/10, not the binary fraction nearest it).
		{"0.3", exactly(ast.Scalar(0.3), "3/10"), "0.3"},
		{"-2", ast.Scalar(-2), "-2"},
		{"1e-3", exactly(ast.Scalar(0.001), "1/1000"), "0.001"},
		{"0.5", ast.Scalar(0.5), "0.5"},
		{"0x1p-3", ast.Scalar(0.125), "0.125"},
		{"0.10000000000000000001", exactly(ast.Scalar(0.1), "10000000000000000001/100000000000000000000"), "0.10000000000000000001"},
		{"1e-400", exactly(ast.Scalar(0), "1/1"+strings.Repeat("0", 400)), "1e-400"},
		{"-2.5e-330", exactly(ast.Scalar(0), "-1/4"+strings.Repeat("0", 329)), "-2.5e-330"},
		{"  7  ", ast.Scalar(7), "7"},
		{"[1,0,1]", vec(1, 0, 1), "[1,0,1]"},
		{" [ 1 , -2.5 ] ", vec(1, -2.5), "[1,-2.5]"},
		{"[5]", vec(5), "[5]"},
		{"[[1,2],[3,4]]", mat(2, 2, 1, 2, 3, 4), "[[1,2],[3,4]]"},
		{"[[1,2,3],[4,5,6]]", mat(2, 3, 1, 2, 3, 4, 5, 6), "[[1,2,3],[4,5,6]]"},
		{"[[[1],[2]],[[3],[4]]]", ast.Value{Shape: []int{2, 2, 1}, Data: []float64{1, 2, 3, 4}}, "[[[1],[2]],[[3],[4]]]"},
		{"[1e-3, 2E2]", exactly(vec(0.001, 200), "1/1000", "200"), "[0.001,200]"},
		{"[0.5, 1e-400]", exactly(vec(0.5, 0), "1/2", "1/1"+strings.Repeat("0", 400)), "[0.5,1e-400]"},
	}
	for _, tt := range tests {
		got, err := ast.ParseValue(tt.src)
		if err != nil {
			t.Errorf("ParseValue(%q): %v", tt.src, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got, cmp.Comparer(func(a, b *big.Rat) bool { return a.Cmp(b) == 0 })); diff != "" {
			t.Errorf("ParseValue(%q) (-want +got):\n%s", tt.src, diff)
		}
		if s := got.String(); s != tt.str {
			t.Errorf("ParseValue(%q).String() = %q, want %q", tt.src, s, tt.str)
		}
	}
}

// exactly is v with the exact rationals rs.
func exactly(v ast.Value, rs ...string) ast.Value {
	for _, r := range rs {
		q, ok := new(big.Rat).SetString(r)
		if !ok {
			panic(r)
		}
		v.Exact = append(v.Exact, q)
	}
	return v
}

// TestParseValueErrors: the message, and the byte of the text where it
// goes wrong (ValueError.Offset, given by hand: the end for a list not
// closed, the comma of an empty entry, the first byte no number goes on
// with, the start of a number refused for its size).
func TestParseValueErrors(t *testing.T) {
	tests := []struct {
		src  string
		off  int
		want string
	}{
		{"", 0, `"" is not a number or a list of numbers`},
		{"abc", 0, `"abc" is not a number or a list of numbers`},
		{"1,2", 1, `"1,2" is not a number or a list of numbers`},
		{"  1e+", 5, `"1e+" is not a number or a list of numbers`},
		{"NaN", 0, `"NaN" is not a finite number`},
		{"-Inf", 1, `"-Inf" is not a finite number`},
		{"1e400", 0, `"1e400" is beyond the range of a float64 (about 1.8e308)`},
		{"1e-99999999", 0, `"1e-99999999" has too many digits or too large an exponent to be bound exactly (digits and exponent up to 4000)`},
		{"1e-99999999999999999999", 0, `"1e-99999999999999999999" has too many digits or too large an exponent to be bound exactly (digits and exponent up to 4000)`},
		{"1/x", 2, `"1/x" is not a number or a list of numbers`},
		{"[1,2", 4, `"[1,2" is not a list of numbers: it ends before the list is closed: a "]" is missing`},
		{"[1,2]]", 5, `"[1,2]]" is not a list of numbers: unexpected "]" after the list`},
		{"[1] [2]", 4, `"[1] [2]" is not a list of numbers: unexpected "[2]" after the list`},
		{"[1,,2]", 3, `"[1,,2]" is not a list of numbers: an entry is missing before ","`},
		{"[1,2,]", 5, `"[1,2,]" is not a list of numbers: an entry is missing before "]"`},
		{"[1[2]]", 2, `"[1[2]]" is not a list of numbers: expected "," or "]" after an entry`},
		{"[]", 1, `"[]": empty lists have no values`},
		{"[[1,2],[3]]", 9, `"[[1,2],[3]]": the list is not regular (rows of length 2 and 1)`},
		{"[[1],[2,3,4]]", 8, `"[[1],[2,3,4]]": the list is not regular (rows of length 1 and 3)`},
		{"[1,[2]]", 3, `"[1,[2]]": the list is not regular (rows of different depth)`},
		{"[[1],2]", 5, `"[[1],2]": the list is not regular (numbers and lists mixed)`},
		{`["a"]`, 1, `"[\"a\"]": "\"a\"" is not a number`},
		{"[true]", 1, `"[true]": "true" is not a number`},
		{"[1e400]", 1, `"[1e400]": "1e400" is beyond the range of a float64 (about 1.8e308)`},
		// Nesting is bounded before the stack is: a million "[" is an
		// error at the 65th, not a crash.
		{strings.Repeat("[", 1<<20), 64, `"` + strings.Repeat("[", 1<<20) + `" is not a list of numbers: lists nested more than 64 deep`},
	}
	for _, tt := range tests {
		_, err := ast.ParseValue(tt.src)
		if err == nil {
			t.Errorf("ParseValue(%q) succeeded, want error %q", tt.src, tt.want)
			continue
		}
		if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
			t.Errorf("ParseValue(%q) error (-want +got):\n%s", tt.src, diff)
		}
		var ve *ast.ValueError
		if !errors.As(err, &ve) {
			t.Errorf("ParseValue(%q): a %T, want a *ast.ValueError", tt.src, err)
		} else if ve.Offset != tt.off {
			t.Errorf("ParseValue(%q): offset %d, want %d", tt.src, ve.Offset, tt.off)
		}
	}
	deep := strings.Repeat("[", 64) + "1" + strings.Repeat("]", 64)
	if v, err := ast.ParseValue(deep); err != nil || len(v.Shape) != 64 || len(v.Data) != 1 {
		t.Errorf("ParseValue of 64 nested lists: shape %v, %v; want 64 dimensions of 1", v.Shape, err)
	}
}
