package parser_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
)

// TestUnicodeForms: each Unicode form reads as the plain text beside it;
// the ways people type the same (Σ(i=1..n, …), Σ_{i=1}^n, √x is not one)
// as well as the printer's.
func TestUnicodeForms(t *testing.T) {
	for _, tt := range []struct{ uni, plain string }{
		{"Σ_{i=1}^{n} |uᵢ|² + x_1 + √(x)", "sum(i=1..n, abs(u[i])^2) + x_1 + sqrt(x)"},
		{"Σ(i=1..n, x[i])", "sum(i=1..n, x[i])"},
		{"Σ_{i=1}^n xᵢ·yᵢ + 1", "sum(i=1..n, x[i]*y[i]) + 1"},
		{"Σ_{i=1}^{n − 1} xᵢ/n", "sum(i=1..n-1, x[i]/n)"},
		{"Σ_{i=1}^{n} Σ_{j=1}^{d} xᵢⱼ·wⱼ", "sum(i=1..n, sum(j=1..d, x[i,j]*w[j]))"},
		{"Σ_{i=1}^{n} −xᵢ·y", "sum(i=1..n, -x[i]*y)"},
		{"−Σ_{i=1}^{n} xᵢ + 1", "-sum(i=1..n, x[i]) + 1"},
		{"(Σ_{i=1}^{n} xᵢ)²", "sum(i=1..n, x[i])^2"},
		{"2·Σ_{i=1}^{n} xᵢ", "2*sum(i=1..n, x[i])"},
		{"Σ_{α=1}^{n} xᵢ", "sum(α=1..n, x[i])"},
		{"Σ·2 + Σ", "Σ*2 + Σ"},
		{"x₁ + x₂", "x[1] + x[2]"},
		{"x₁₂ + x1₂ + x_1ᵢ", "x[12] + x1[2] + x_1[i]"},
		{"xᵢⱼ·yᵢ²", "x[i,j]*y[i]^2"},
		{"λᵢ + ŷₖ", "λ[i] + ŷ[k]"},
		{"δⱼₖ·wₖ + δ₁ⱼ", "delta(j,k)*w[k] + delta(1,j)"},
		{"δ(j,k1)", "delta(j,k1)"},
		{"|x − y|", "abs(x - y)"},
		{"||x| − 1|", "abs(abs(x) - 1)"},
		{"|−x|²", "abs(-x)^2"},
		{"|a·|b|·c|", "abs(a*abs(b)*c)"},
		{"x²³", "x^23"},
		{"xⁿ + 2ᵏ·yᵢⁿ + (x + 1)ⁱ", "x^n + 2^k*y[i]^n + (x + 1)^i"},
		{"x⁻¹ + x³", "x^-1 + x^3"},
		{"1e−30·x + 1.5e−3", "1e-30*x + 1.5e-3"},
		{"2^10¹⁰", "2^(10^10)"},
		{"∂CE/∂wⱼ", "d(CE, w[j])"},
		{"∂(x·y)/∂y·2", "d(x*y, y)*2"},
		{"∂(∂f/∂x)/∂y", "d(d(f, x), y)"},
		{"∂σ(z)/∂z + ∂|z|/∂z", "d(sigma(z), z) + d(abs(z), z)"},
		{"(∂x/∂t)² − (∂x/∂t)/y", "d(x, t)^2 - d(x, t)/y"},
		{"if(x > 0 ∧ ¬(y = 1) ∨ z ≠ 2, max(a, b, c), min(a, b))", "if(x > 0 and not (y == 1) or z != 2, max(a, b, c), min(a, b))"},
		{"if(x ≥ 0 ∨ y ≤ 2, a − b, a/b)", "if(x >= 0 or y <= 2, a - b, a/b)"},
		{"if((x + 1)² > 0, a, b)", "if((x + 1)^2 > 0, a, b)"},
		{"[1 ≤ k ≤ n]·xₖ", "[1 <= k <= n]*x[k]"},
		{"π·σ(x) + Φ(x) + φ(x)", "pi*sigma(x) + Phi(x) + phi(x)"},
		{"a × b ÷ c", "a*b/c"},
		{"u1 + u1² where u1 = sin(x)", "sin(x) + sin(x)^2"},
	} {
		want, err := parser.ParseExpr(tt.plain, nil)
		if err != nil {
			t.Fatalf("%s: %v", tt.plain, err)
		}
		got, err := parser.ParseExpr(tt.uni, nil)
		if err != nil {
			t.Errorf("%s: %v", tt.uni, err)
			continue
		}
		if got != want {
			t.Errorf("%s reads as %s, want %s", tt.uni, ast.String(got), tt.plain)
		}
	}
}

// TestUnicodeErrors: the ambiguous and malformed forms are refused with
// the place (columns count characters, not bytes) and what to write.
func TestUnicodeErrors(t *testing.T) {
	for _, tt := range []struct{ src, want string }{
		{"xᵢ₁", `1:2: the subscript ᵢ₁ mixes letters and digits, which is ambiguous: write x[i1] for one index, or x[i,1]
    xᵢ₁
     ^`},
		{"a + x ᵢ", `1:7: a subscript must follow a name directly, as in xᵢ (or write x[i])
    a + x ᵢ
          ^`},
		{"(x)ᵢ", `1:4: a subscript must follow a name directly, as in xᵢ (or write x[i])
    (x)ᵢ
       ^`},
		{"|a|b|c|", `1:4: missing operator after the "|" that closes the one at 1:1 (|a|b|c| could be |a|·b·|c| or |a·|b|·c|: write the operators)
    |a|b|c|
       ^`},
		{"λ·|x", `1:5: expected "|" to close the "|" at 1:3, found the end of the line
    λ·|x
        ^`},
		{"Σᵢ xᵢ", `1:1: Σᵢ has no range: write Σ_{i=1}^{n} body, or Σ(i=1..n, body)
    Σᵢ xᵢ
    ^`},
		{"Σ_i xᵢ", `1:3: expected "{" after Σ_: the range of a sum is in braces, as in Σ_{i=1}^{n} body, or Σ(i=1..n, body)
    Σ_i xᵢ
      ^`},
		{"Σ_{i=1}^{n}", `1:12: expected the body of the sum after its range, as in Σ_{i=1}^{n} body, or Σ(i=1..n, body); found the end of the line
    Σ_{i=1}^{n}
               ^`},
		{"Σ_{i=1}^n − 1·xᵢ", `1:11: a sign after Σ_{...}^n is ambiguous: write Σ_{...}^{n - ...} for the range, or Σ_{...}^{n} (-...) for the body
    Σ_{i=1}^n − 1·xᵢ
              ^`},
		{"Σ_{i=1}^(n) xᵢ", `1:9: expected the last value of the index after ^, in braces unless it is a name or a number: Σ_{i=1}^{n} body, or Σ(i=1..n, body)
    Σ_{i=1}^(n) xᵢ
            ^`},
		{"Σ_{1}^{n} xᵢ", `1:4: expected an index and its first value after Σ_{, as in Σ_{i=1}^{n} body, or Σ(i=1..n, body); found the number 1
    Σ_{1}^{n} xᵢ
       ^`},
		{"Σ_{i=1}{n} xᵢ", `1:8: expected "^" after Σ_{...}: the last value of the index follows, as in Σ_{i=1}^{n} body, or Σ(i=1..n, body), found "{"
    Σ_{i=1}{n} xᵢ
           ^`},
		{"∂x²/∂y", `1:3: the superscript ² here is ambiguous: write ∂(x²)/∂y: brackets around what is differentiated
    ∂x²/∂y
      ^`},
		{"∂x/∂y²", `1:6: the superscript ² here is ambiguous: write (∂x/∂y)² for a power of the derivative
    ∂x/∂y²
         ^`},
		{"∂x·y", `1:3: expected "/∂" and the variable after ∂ and what is differentiated: ∂f/∂x, ∂(x·y)/∂x; found "*"
    ∂x·y
      ^`},
		{"δᵢ", `1:2: δᵢ: Kronecker's delta takes two subscripts, as in δⱼₖ (or write delta(j,k))
    δᵢ
     ^`},
		{"xⁿᵐ", `1:2: the superscript ⁿᵐ is ambiguous: a letter alone is an exponent (xⁿ); write ^(...) for more
    xⁿᵐ
     ^`},
		{"x²ⁿ", `1:3: the superscript ²ⁿ is ambiguous: a letter alone is an exponent (xⁿ); write ^(...) for more
    x²ⁿ
      ^`},
		{"x⁻", `1:3: expected a superscript digit after ⁻
    x⁻
      ^`},
		{"if(x ∧ y, a, b)", `1:6: expected a comparison (<, <=, >, >=, ==, !=) in the condition, found "and": a condition compares values, like x > 0
    if(x ∧ y, a, b)
         ^`},
	} {
		_, err := parser.ParseFile("", tt.src, nil)
		if err == nil {
			t.Errorf("%s parses, want an error:\n%s", tt.src, tt.want)
			continue
		}
		if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.src, diff)
		}
		checkErrorPos(t, "", tt.src, err)
	}
}

// TestUnicodeGoldenReadsBack: every Unicode line of the printer's golden
// file reads back as the plain line it was printed from: the same tree
// (lambda printed λ reads back as lambda), or where the printer is not one to one (a mean, a
// sum over a divisor) the same value.
func TestUnicodeGoldenReadsBack(t *testing.T) {
	b, err := os.ReadFile("../testdata/printer/unicode.golden")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	n := 0
	for i := 0; i+1 < len(lines); i++ {
		src, uni := lines[i], lines[i+1]
		if src == "" || strings.HasPrefix(src, "#") || strings.HasPrefix(src, "    ") || !strings.HasPrefix(uni, "    ") {
			continue
		}
		uni = strings.TrimPrefix(uni, "    ")
		ctx := &parser.Context{Funcs: map[string]int{"f": 1, "g": 1, "h": 2}}
		want, err := parser.ParseExpr(src, ctx)
		if err != nil {
			continue // an input that is an error case of the golden file
		}
		got, err := parser.ParseExpr(uni, ctx)
		if err != nil {
			t.Errorf("%s prints as %s, which does not parse: %v", src, uni, err)
			continue
		}
		n++
		if got == want {
			continue
		}
		t.Logf("%s prints as %s, read back as %s", src, uni, ast.String(got))
		if msg := sameValueAt(bindFor(want), got, want); msg != "" {
			t.Errorf("%s prints as %s, which reads back as %s: %s", src, uni, ast.String(got), msg)
		}
	}
	if n < 80 {
		t.Errorf("only %d lines of the golden file read", n)
	}
}

func rng() *rand.Rand { return rand.New(rand.NewPCG(1, 2)) }

// bindFor binds the free names of e: the sizes n, m, d and k, and
// indices i, j to small whole numbers, other names to numbers or (if
// indexed) vectors and matrices of 12 or 12×12.
func bindFor(e ast.Expr) ast.Bindings {
	r := rng()
	b := ast.Bindings{"n": ast.Scalar(5), "m": ast.Scalar(4), "d": ast.Scalar(3), "k": ast.Scalar(2), "i": ast.Scalar(1), "j": ast.Scalar(3)}
	ast.Inspect(e, func(x ast.Expr) bool {
		switch x := x.(type) {
		case *ast.Sym:
			if _, ok := b[x.Name]; !ok {
				b[x.Name] = ast.Scalar(0.5 + 2*r.Float64())
			}
		case *ast.Index:
			size := 12
			shape := []int{12}
			if len(x.Indices) == 2 {
				size, shape = 144, []int{12, 12}
			}
			data := make([]float64, size)
			for i := range data {
				data[i] = 0.5 + r.Float64()/2 // p[i] in (0.5, 1): log(1 − p) is defined
			}
			b[x.Name] = ast.Value{Shape: shape, Data: data}
		}
		return true
	})
	return b
}

// sameValueAt returns "" when a and b have the same value at b.
func sameValueAt(bind ast.Bindings, a, b ast.Expr) string {
	x, errA := ast.Eval(a, nil, bind)
	y, errB := ast.Eval(b, nil, bind)
	switch {
	case errA != nil || errB != nil:
		return fmt.Sprintf("no value to compare: %v, %v", errA, errB)
	case math.Abs(x-y) > 1e-9*(1+math.Abs(x)+math.Abs(y)):
		return fmt.Sprintf("%v, want %v", x, y)
	}
	return ""
}
