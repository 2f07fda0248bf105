package parser_test

import (
	"fmt"
	"math/big"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
)

// userFuncs is a context in which g(u) and h(u, v) are functions (known by
// a derivative rule), so that expressions can call user functions.
func userFuncs() *parser.Context {
	return &parser.Context{Funcs: map[string]int{"g": 1, "h": 2}}
}

func mustParseExpr(t testing.TB, src string) ast.Expr {
	t.Helper()
	e, err := parser.ParseExpr(src, userFuncs())
	if err != nil {
		t.Fatalf("ParseExpr(%q) failed:\n%v", src, err)
	}
	return e
}

// TestParseExpr checks the tree of each expression, written as an
// S-expression (see ast.Sexpr) so that a failure shows the structure.
func TestParseExpr(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		// Precedence and associativity.
		{"sub is left-assoc", "a-b-c", "(add a (neg b) (neg c))"},
		{"sub of group", "a-(b-c)", "(add a (neg (add b (neg c))))"},
		{"div is left-assoc", "a/b/c", "(div (div a b) c)"},
		{"div of group", "a/(b/c)", "(div a (div b c))"},
		{"div then mul", "a/b*c", "(mul (div a b) c)"},
		{"mul then div", "a*b/c", "(div (mul a b) c)"},
		{"mul div mul", "a*b/c*d", "(mul (div (mul a b) c) d)"},
		{"div mul div", "a/b*c/d", "(div (mul (div a b) c) d)"},
		{"mul binds tighter than add", "a+b*c", "(add a (mul b c))"},
		{"group before mul", "(a+b)*c", "(mul (add a b) c)"},
		{"neg looser than pow", "-x^2", "(neg (pow x 2))"},
		{"group under pow", "(-x)^2", "(pow (neg x) 2)"},
		{"signed exponent", "2^-x", "(pow 2 (neg x))"},
		{"signed exponent then mul", "2^-x*3", "(mul (pow 2 (neg x)) 3)"},
		{"pow is right-assoc", "x^y^z", "(pow x (pow y z))"},
		{"pow of group", "(x^y)^z", "(pow (pow x y) z)"},
		{"neg of pow tower", "-x^-y^z", "(neg (pow x (neg (pow y z))))"},
		{"negative number times", "-2*x", "(mul -2 x)"},
		{"neg name times", "-a*x", "(mul (neg a) x)"},
		{"neg tighter than mul", "-a*-b", "(mul (neg a) (neg b))"},
		{"mul by neg", "a*-b", "(mul a (neg b))"},
		{"div by neg", "a/-b", "(div a (neg b))"},
		{"neg of pow of number", "-2^x", "(neg (pow 2 x))"},
		{"negative base", "(-2)^x", "(pow -2 x)"},
		{"negative exponent", "x^-2", "(pow x -2)"},
		{"double neg", "--x", "(neg (neg x))"},
		{"double neg number", "--2", "2"},
		{"unary plus", "+x", "x"},
		{"unary plus number", "a*+2", "(mul a 2)"},
		{"sub negative number", "a - -2", "(add a 2)"},
		{"sub number", "a - 2", "(add a -2)"},
		{"sub product", "a - 2*b", "(add a (neg (mul 2 b)))"},
		{"add negative product", "a + -2*b", "(add a (mul -2 b))"},
		{"neg group", "-(a+b)", "(neg (add a b))"},
		{"pow of pow in group", "2^(10^10)", "(pow 2 (pow 10 10))"},
		{"pow with sum exponent", "x^(a+b)", "(pow x (add a b))"},

		// One Add or Mul per unparenthesised chain; parentheses nest.
		{"flat sum", "a+b+c", "(add a b c)"},
		{"grouped left", "(a+b)+c", "(add (add a b) c)"},
		{"grouped right", "a+(b+c)", "(add a (add b c))"},
		{"flat product", "a*b*c", "(mul a b c)"},
		{"grouped product left", "(a*b)*c", "(mul (mul a b) c)"},
		{"grouped product right", "a*(b*c)", "(mul a (mul b c))"},
		{"redundant parens", "((a))", "a"},
		{"mixed chain", "a - b + c*d*e - f/k", "(add a (neg b) (mul c d e) (neg (div f k)))"},

		// Numbers, held exactly.
		{"integer", "42", "42"},
		{"leading zeros", "007", "7"},
		{"decimal", "0.1", "0.1"},
		{"trailing zero", "1.50", "1.5"},
		{"exponent", "1e-3", "0.001"},
		{"exponent with plus", "2.5E+4", "25000"},
		{"point first", ".5", "0.5"},
		{"big integer", "123456789012345678901234567890", "123456789012345678901234567890"},
		{"tiny decimal", "0.0000000000000000000001", "1e-22"},
		{"tiny with mantissa", "1.5e-30", "1.5e-30"},
		{"range after number", "sum(i=1..n, i)", "(sum i 1 n i)"},
		{"decimal range", "sum(i=0.5..n, i)", "(sum i 0.5 n i)"},

		// Unicode spellings.
		{"sigma letter", "σ(x)", "(call sigma x)"},
		{"sigmoid", "sigmoid(x)", "(call sigma x)"},
		{"middle dot", "a·b", "(mul a b)"},
		{"dot operator", "a⋅b", "(mul a b)"},
		{"times sign", "a×b", "(mul a b)"},
		{"division sign", "a÷b", "(div a b)"},
		{"minus sign", "a − b", "(add a (neg b))"},
		{"unary minus sign", "−x", "(neg x)"},
		{"superscript", "x²", "(pow x 2)"},
		{"superscript digits", "x²³", "(pow x 23)"},
		{"superscript minus", "x⁻¹", "(pow x -1)"},
		{"superscript on index", "y[i]²", "(pow y[i] 2)"},
		{"y hat precomposed", "ŷ", "ŷ"},
		{"y hat combining", "y\u0302", "y\u0302"},
		{"lambda", "λ", "lambda"},
		{"underscore name", "y_hat", "y_hat"},
		{"name with digits", "x1 + x_2", "(add x1 x_2)"},
		{"square root sign", "√(x)", "(call sqrt x)"},
		{"Phi letter", "Φ(x)", "(call Phi x)"},
		{"phi letters", "φ(x) + ϕ(x)", "(add (call phi x) (call phi x))"},
		{"ln", "ln(x)", "(call log x)"},

		// Indexed names.
		{"one index", "w[j]", "w[j]"},
		{"two indices", "x[i,j]", "x[i,j]"},
		{"spaces in indices", "x[ i , j ]", "x[i,j]"},
		{"integer indices", "x[1,20]", "x[1,20]"},
		{"zero index", "y[0]", "y[0]"},
		{"unicode indexed", "ŷ[i] + λ[k]", "(add ŷ[i] lambda[k])"},
		{"product of indexed", "x[i,j]*w[j]", "(mul x[i,j] w[j])"},

		// Functions.
		{"builtins", "exp(a) + log(b) + sqrt(c) + softplus(d) + tanh(e) + sin(f) + cos(k) + Phi(l) + phi(m)",
			"(add (call exp a) (call log b) (call sqrt c) (call softplus d) (call tanh e) (call sin f) (call cos k) (call Phi l) (call phi m))"},
		{"delta", "delta(j,k)", "(call delta j k)"},
		{"delta with number", "delta(1, k)", "(call delta 1 k)"},
		{"nested calls", "log(1 + exp(-z))", "(call log (add 1 (call exp (neg z))))"},
		{"user function", "g(x) + h(x, y^2)", "(add (call g x) (call h x (pow y 2)))"},

		// Sums and means.
		{"sum", "sum(i=1..n, x[i])", "(sum i 1 n x[i])"},
		{"mean", "mean(i=1..n, x[i]^2)", "(mean i 1 n (pow x[i] 2))"},
		{"sum with expression bounds", "sum(i=k+1..2*n, i)", "(sum i (add k 1) (mul 2 n) i)"},
		{"sum with negative bounds", "sum(i=-2..-1, i)", "(sum i -2 -1 i)"},
		{"nested sums", "sum(i=1..n, sum(j=1..d, x[i,j]*w[j]))", "(sum i 1 n (sum j 1 d (mul x[i,j] w[j])))"},
		{"sum is an operand", "2*sum(i=1..n, x[i])^2", "(mul 2 (pow (sum i 1 n x[i]) 2))"},
		{"sum index shadows a free name", "i + sum(i=1..n, i)", "(add i (sum i 1 n i))"},

		// Derivatives.
		{"derivative", "d(x^2, x)", "(d (pow x 2) x)"},
		{"derivative wrt indexed", "d(CE, w[j])", "(d CE w[j])"},
		{"second derivative", "d(d(f, x), y)", "(d (d f x) y)"},
		{"derivative wrt sum index", "sum(i=1..n, d(x[i], i))", "(sum i 1 n (d x[i] i))"},
		{"d is also a name", "d + d(d, x)", "(add d (d d x))"},

		// Layout.
		{"comment", "a + b # the sum", "(add a b)"},
		{"continued after operator", "a +\n  b", "(add a b)"},
		{"continued in parens", "(a\n + b)", "(add a b)"},
		{"continued in brackets", "x[i,\n j]", "x[i,j]"},
		{"continued in call", "h(a,\n b)", "(call h a b)"},
		{"comment before continuation", "a + # more below\n\n  b", "(add a b)"},
		{"blank lines around", "\n\n  a*b  \n\n", "(mul a b)"},
		{"tabs and CRLF", "a\t*\tb\r\n", "(mul a b)"},
		{"no-break space", "a\u00a0+\u00a0b", "(add a b)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ast.Sexpr(mustParseExpr(t, tt.src))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseExpr(%q) (-want +got):\n%s", tt.src, diff)
			}
		})
	}
}

// TestParseExprNodes checks some trees against trees built with the ast
// constructors: the parser must return the very same (hash-consed) nodes.
func TestParseExprNodes(t *testing.T) {
	x, y, a, b, c := ast.NewSym("x"), ast.NewSym("y"), ast.NewSym("a"), ast.NewSym("b"), ast.NewSym("c")
	i, j := ast.NewSym("i"), ast.NewSym("j")
	n := ast.NewSym("n")
	tests := []struct {
		src  string
		want ast.Expr
	}{
		{"0.1", ast.NewNum(ast.Frac(1, 10))},
		{"1e-3", ast.NewNum(ast.Frac(1, 1000))},
		{"2.5E+4", ast.NewInt(25000)},
		{".5", ast.Half},
		{"-x^2 + 2*y", ast.NewAdd(ast.NewNeg(ast.NewPow(x, ast.Two)), ast.NewMul(ast.Two, y))},
		{"a-b-c", ast.NewAdd(a, ast.NewNeg(b), ast.NewNeg(c))},
		{"(a+b)+c", ast.NewAdd(ast.NewAdd(a, b), c)},
		{"a/b*c", ast.NewMul(ast.NewDiv(a, b), c)},
		{"x^y^a", ast.NewPow(x, ast.NewPow(y, a))},
		{"2^-x", ast.NewPow(ast.Two, ast.NewNeg(x))},
		{"-2*x", ast.NewMul(ast.NewInt(-2), x)},
		{"x[i,j]", ast.NewIndex("x", i, j)},
		{"x[1,2]", ast.NewIndex("x", ast.One, ast.Two)},
		{"σ(x)", ast.NewCall("sigma", x)},
		{"delta(i,j)", ast.NewCall("delta", i, j)},
		{"mean(i=1..n, x[i])", ast.NewSum(ast.OpMean, "i", ast.One, n, ast.NewIndex("x", i))},
		{"sum(i=1..n, x[i])", ast.NewSum(ast.OpSum, "i", ast.One, n, ast.NewIndex("x", i))},
		{"d(y, x[i])", ast.NewDeriv(y, ast.NewIndex("x", i))},
	}
	for _, tt := range tests {
		got := mustParseExpr(t, tt.src)
		if got != tt.want {
			t.Errorf("ParseExpr(%q) = %s, want the node %s", tt.src, ast.Sexpr(got), ast.Sexpr(tt.want))
		}
	}
	// Exactness: 0.1 is 1/10, not the float64 nearest to it.
	if v := mustParseExpr(t, "0.1").(*ast.Num).Value; v.Rat().Cmp(big.NewRat(1, 10)) != 0 {
		t.Errorf("0.1 parsed as %v, want exactly 1/10", v.Rat())
	}
}

// stmtString describes a statement structurally, with S-expressions.
func stmtString(s ast.Stmt) string {
	switch s := s.(type) {
	case *ast.ExprStmt:
		return "expr " + ast.Sexpr(s.X)
	case *ast.DefStmt:
		kind := map[ast.DefKind]string{ast.DefScalar: "scalar", ast.DefIndexed: "indexed", ast.DefFunc: "func"}[s.Def.Kind]
		return fmt.Sprintf("def %s %s%v := %s", kind, s.Def.Name, s.Def.Params, ast.Sexpr(s.Def.Body))
	case *ast.ProveStmt:
		op := "=="
		if s.Neq {
			op = "!="
		}
		return fmt.Sprintf("prove %s %s %s", ast.Sexpr(s.A), op, ast.Sexpr(s.B))
	case *ast.RuleStmt:
		out := fmt.Sprintf("rule %s: %s -> %s", s.Name, ast.Sexpr(s.LHS), ast.Sexpr(s.RHS))
		for _, c := range s.Conds {
			out += fmt.Sprintf(" if %s %s %s", ast.Sexpr(c.X), c.Op, ast.Sexpr(c.Y))
		}
		return out
	case *ast.DerivStmt:
		return fmt.Sprintf("deriv %s%v wrt %s = %s", s.Fn, s.Params, s.Params[s.Wrt], ast.Sexpr(s.Body))
	case *ast.ExplainStmt:
		return fmt.Sprintf("explain %s wrt %q", ast.Sexpr(s.Loss), s.Wrt)
	}
	return fmt.Sprintf("unknown statement %T", s)
}

// describeFile lists the parsed statements as "line:col text | structure".
func describeFile(stmts []*parser.Statement) []string {
	var out []string
	for _, s := range stmts {
		out = append(out, fmt.Sprintf("%v %s | %s", s.Pos, s.Text, stmtString(s.Stmt)))
	}
	return out
}

func TestParseFile(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"empty", "", nil},
		{"only comments and blank lines", "# nothing\n\n   # here\n\n", nil},
		{"scalar definition", "CE := -log(p)",
			[]string{"1:1 CE := -log(p) | def scalar CE[] := (neg (call log p))"}},
		{"indexed definition", "p[i] := sigma(z[i])",
			[]string{"1:1 p[i] := sigma(z[i]) | def indexed p[i] := (call sigma z[i])"}},
		{"two-index definition", "K[i,j] := delta(i,j)",
			[]string{"1:1 K[i,j] := delta(i,j) | def indexed K[i j] := (call delta i j)"}},
		{"function definition and use", "f(u, v) := u*v\nf(2, x)",
			[]string{
				"1:1 f(u, v) := u*v | def func f[u v] := (mul u v)",
				"2:1 f(2, x) | expr (call f 2 x)",
			}},
		{"definitions used later", "z[i] := x[i]*w\nL := sum(i=1..n, z[i])",
			[]string{
				"1:1 z[i] := x[i]*w | def indexed z[i] := (mul x[i] w)",
				"2:1 L := sum(i=1..n, z[i]) | def scalar L[] := (sum i 1 n z[i])",
			}},
		{"redefinition replaces", "a := 1\na := 2\na",
			[]string{"1:1 a := 1 | def scalar a[] := 1", "2:1 a := 2 | def scalar a[] := 2", "3:1 a | expr a"}},
		{"unicode define", "a ≔ 1", []string{"1:1 a ≔ 1 | def scalar a[] := 1"}},
		{"prove equal", "prove (a+b)^2 == a^2 + 2*a*b + b^2",
			[]string{"1:1 prove (a+b)^2 == a^2 + 2*a*b + b^2 | prove (pow (add a b) 2) == (add (pow a 2) (mul 2 a b) (pow b 2))"}},
		{"prove not equal", "prove (a+b)^2 != a^2 + b^2",
			[]string{"1:1 prove (a+b)^2 != a^2 + b^2 | prove (pow (add a b) 2) != (add (pow a 2) (pow b 2))"}},
		{"prove not equal sign", "prove a ≠ b", []string{"1:1 prove a ≠ b | prove a != b"}},
		{"rule", "rule sigma_complement: 1 - sigma(u) -> sigma(-u)",
			[]string{"1:1 rule sigma_complement: 1 - sigma(u) -> sigma(-u) | rule sigma_complement: (add 1 (neg (call sigma u))) -> (call sigma (neg u))"}},
		{"rule with condition", "rule exp_log: exp(log(u)) -> u if u > 0",
			[]string{"1:1 rule exp_log: exp(log(u)) -> u if u > 0 | rule exp_log: (call exp (call log u)) -> u if u > 0"}},
		{"rule with conditions", "rule pow_pow: (u^a)^b -> u^(a*b) if u >= 0 and a != 0 and b <= 1",
			[]string{"1:1 rule pow_pow: (u^a)^b -> u^(a*b) if u >= 0 and a != 0 and b <= 1 | rule pow_pow: (pow (pow u a) b) -> (pow u (mul a b)) if u >= 0 if a != 0 if b <= 1"}},
		{"rule with every comparison", "rule r: delta(u, v) -> u if u < v and u == v and u ≥ v and u ≤ v",
			[]string{"1:1 rule r: delta(u, v) -> u if u < v and u == v and u ≥ v and u ≤ v | rule r: (call delta u v) -> u if u < v if u == v if u >= v if u <= v"}},
		{"rule arrow sign", "rule r: log(exp(u)) → u", []string{"1:1 rule r: log(exp(u)) → u | rule r: (call log (call exp u)) -> u"}},
		{"explain", "explain CE", []string{`1:1 explain CE | explain CE wrt ""`}},
		{"explain wrt", "explain softplus(z) - y*z wrt z", []string{`1:1 explain softplus(z) - y*z wrt z | explain (add (call softplus z) (neg (mul y z))) wrt "z"`}},
		{"deriv", "deriv softsign(u) = 1/(1 + u^2)",
			[]string{"1:1 deriv softsign(u) = 1/(1 + u^2) | deriv softsign[u] wrt u = (div 1 (add 1 (pow u 2)))"}},
		{"deriv of a builtin alias", "deriv σ(u) = σ(u)*(1 - σ(u))",
			[]string{"1:1 deriv σ(u) = σ(u)*(1 - σ(u)) | deriv sigma[u] wrt u = (mul (call sigma u) (add 1 (neg (call sigma u))))"}},
		{"deriv wrt", "deriv k(u, v) wrt v = u\nk(1, 2)",
			[]string{"1:1 deriv k(u, v) wrt v = u | deriv k[u v] wrt v = u", "2:1 k(1, 2) | expr (call k 1 2)"}},
		{"deriv of a defined function", "swish(u) := u*sigma(u)\nderiv swish(u) = swish(u) + sigma(u)*(1 - swish(u))",
			[]string{
				"1:1 swish(u) := u*sigma(u) | def func swish[u] := (mul u (call sigma u))",
				"2:1 deriv swish(u) = swish(u) + sigma(u)*(1 - swish(u)) | deriv swish[u] wrt u = (add (call swish u) (mul (call sigma u) (add 1 (neg (call swish u)))))",
			}},
		{"continuation: trailing operator", "L := a +\n     b\nM := 1",
			[]string{"1:1 L := a +\n     b | def scalar L[] := (add a b)", "3:1 M := 1 | def scalar M[] := 1"}},
		{"continuation: trailing :=", "L :=\n  a", []string{"1:1 L :=\n  a | def scalar L[] := a"}},
		{"continuation: open paren", "L := (a\n  + b)\nM := 1",
			[]string{"1:1 L := (a\n  + b) | def scalar L[] := (add a b)", "3:1 M := 1 | def scalar M[] := 1"}},
		{"continuation: comma in a call", "sum(i=1..n,\n    x[i])",
			[]string{"1:1 sum(i=1..n,\n    x[i]) | expr (sum i 1 n x[i])"}},
		{"a leading operator starts a new statement", "a\n- b",
			[]string{"1:1 a | expr a", "2:1 - b | expr (neg b)"}},
		{"comments and blank lines", "# header\n\na := 1   # one\n\n\n# between\nb := 2 # two\n",
			[]string{"3:1 a := 1 | def scalar a[] := 1", "7:1 b := 2 | def scalar b[] := 2"}},
		{"indented statements", "  a := 1\n\tb := a", []string{"1:3 a := 1 | def scalar a[] := 1", "2:2 b := a | def scalar b[] := a"}},
		{"CRLF line ends", "a := 1\r\nb := 2\r\n", []string{"1:1 a := 1 | def scalar a[] := 1", "2:1 b := 2 | def scalar b[] := 2"}},
		{"no final newline", "x", []string{"1:1 x | expr x"}},
		{"parameters shadow definitions", "u := 3\nf(u) := u^2\nf(u)",
			[]string{"1:1 u := 3 | def scalar u[] := 3", "2:1 f(u) := u^2 | def func f[u] := (pow u 2)", "3:1 f(u) | expr (call f u)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stmts, err := parser.ParseFile("", tt.src, nil)
			if err != nil {
				t.Fatalf("ParseFile(%q) failed:\n%v", tt.src, err)
			}
			if diff := cmp.Diff(tt.want, describeFile(stmts)); diff != "" {
				t.Errorf("ParseFile(%q) (-want +got):\n%s", tt.src, diff)
			}
		})
	}
}

// seedScript is examples/logistic.sd as the project ships it.
const seedScript = `# Logistic regression against linear regression, in index notation.
z[i] := sum(j=1..d, x[i,j]*w[j])        # linear predictor
p[i] := sigma(z[i])                     # logistic prediction
CE   := -mean(i=1..n, y[i]*log(p[i]) + (1 - y[i])*log(1 - p[i]))
q[i] := z[i]                            # linear prediction
MSE  := mean(i=1..n, (y[i] - q[i])^2)
`

func TestSeedScript(t *testing.T) {
	stmts, err := parser.ParseFile("", seedScript, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"2:1 z[i] := sum(j=1..d, x[i,j]*w[j]) | def indexed z[i] := (sum j 1 d (mul x[i,j] w[j]))",
		"3:1 p[i] := sigma(z[i]) | def indexed p[i] := (call sigma z[i])",
		"4:1 CE   := -mean(i=1..n, y[i]*log(p[i]) + (1 - y[i])*log(1 - p[i])) | " +
			"def scalar CE[] := (neg (mean i 1 n (add (mul y[i] (call log p[i])) (mul (add 1 (neg y[i])) (call log (add 1 (neg p[i])))))))",
		"5:1 q[i] := z[i] | def indexed q[i] := z[i]",
		"6:1 MSE  := mean(i=1..n, (y[i] - q[i])^2) | def scalar MSE[] := (mean i 1 n (pow (add y[i] (neg q[i])) 2))",
	}
	if diff := cmp.Diff(want, describeFile(stmts)); diff != "" {
		t.Errorf("seed script (-want +got):\n%s", diff)
	}
	// The file name is kept in positions.
	stmts, err = parser.ParseFile("examples/logistic.sd", seedScript, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := stmts[2].Pos.String(); got != "examples/logistic.sd:4:1" {
		t.Errorf("Pos of CE = %s, want examples/logistic.sd:4:1", got)
	}
	// The definitions print back in the input syntax.
	var printed []string
	for _, s := range stmts {
		printed = append(printed, ast.StmtString(s.Stmt))
	}
	wantPrinted := []string{
		"z[i] := sum(j=1..d, x[i,j]*w[j])",
		"p[i] := sigma(z[i])",
		"CE := -mean(i=1..n, y[i]*log(p[i]) + (1 - y[i])*log(1 - p[i]))",
		"q[i] := z[i]",
		"MSE := mean(i=1..n, (y[i] - q[i])^2)",
	}
	if diff := cmp.Diff(wantPrinted, printed); diff != "" {
		t.Errorf("seed script printed (-want +got):\n%s", diff)
	}
	// And they make a context for later input: CE and p[m] are known, and
	// p may not be used bare.
	defs := &ast.Defs{}
	for _, s := range stmts {
		if err := defs.Define(s.Stmt.(*ast.DefStmt).Def); err != nil {
			t.Fatal(err)
		}
	}
	e, err := parser.ParseExpr("d(CE, z[m])", &parser.Context{Defs: defs})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ast.Sexpr(e), "(d CE z[m])"; got != want {
		t.Errorf("d(CE, z[m]) = %s, want %s", got, want)
	}
	_, err = parser.ParseExpr("p + 1", &parser.Context{Defs: defs})
	wantErr := "1:1: p is indexed (defined as p[i]): write p[i]\n    p + 1\n    ^"
	if err == nil || err.Error() != wantErr {
		t.Errorf("p + 1 after the seed script: got error %v, want %q", err, wantErr)
	}
}

// TestContext checks that ParseFile uses, and does not modify, the context.
func TestContext(t *testing.T) {
	defs := &ast.Defs{}
	if err := defs.Define(&ast.Def{Name: "sq", Kind: ast.DefFunc, Params: []string{"u"}, Body: ast.NewPow(ast.NewSym("u"), ast.Two)}); err != nil {
		t.Fatal(err)
	}
	ctx := &parser.Context{Defs: defs, Funcs: map[string]int{"k": 2}}
	stmts, err := parser.ParseFile("", "a := sq(x) + k(x, y)\nm(u) := u", ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"1:1 a := sq(x) + k(x, y) | def scalar a[] := (add (call sq x) (call k x y))",
		"2:1 m(u) := u | def func m[u] := u",
	}
	if diff := cmp.Diff(want, describeFile(stmts)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if got := defs.Names(); !cmp.Equal(got, []string{"sq"}) {
		t.Errorf("the context's definitions were modified: %v", got)
	}
	if len(ctx.Funcs) != 1 {
		t.Errorf("the context's functions were modified: %v", ctx.Funcs)
	}
}

func TestParseExprErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"", "1:1: expected an expression, found nothing"},
		{"# only a comment", "1:1: expected an expression, found nothing"},
		{"a\nb", "2:1: expected one expression, found a second statement\n    b\n    ^"},
		{"a := 1", "1:1: expected an expression, found a statement (a definition)\n    a := 1\n    ^"},
		{"prove a == a", "1:1: expected an expression, found a statement (prove)\n    prove a == a\n    ^"},
		{"explain L", "1:1: expected an expression, found a statement (explain)\n    explain L\n    ^"},
	}
	for _, tt := range tests {
		_, err := parser.ParseExpr(tt.src, nil)
		if err == nil {
			t.Errorf("ParseExpr(%q) succeeded, want error %q", tt.src, tt.want)
			continue
		}
		if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
			t.Errorf("ParseExpr(%q) error (-want +got):\n%s", tt.src, diff)
		}
	}
}

func TestStatementText(t *testing.T) {
	src := "  a := 1   # c\nb :=\n  2\n\n# between\nc := 3 # at the end, with no newline"
	stmts, err := parser.ParseFile("", src, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range stmts {
		got = append(got, s.Text)
	}
	if want := []string{"a := 1", "b :=\n  2", "c := 3"}; !cmp.Equal(want, got) {
		t.Errorf("texts = %q, want %q", got, want)
	}
	if !strings.HasPrefix(src[stmts[1].Pos.Offset:], "b :=") {
		t.Errorf("offset of the second statement is %d", stmts[1].Pos.Offset)
	}
}

func TestSuggest(t *testing.T) {
	names := ast.FuncNames()
	tests := []struct{ name, want string }{
		{"sigmod", "sigma"}, // through the alias sigmoid
		{"sigma", "sigma"},
		{"sgima", "sigma"}, // a swap costs one
		{"expp", "exp"},
		{"lg", "log"},
		{"Exp", "exp"},
		{"tanhh", "tanh"},
		{"softplsu", "softplus"},
		{"f", ""},   // one letter: never a typo of another
		{"tin", ""}, // a short word with another first letter is another word (not sin)
		{"maxx", "max"},
		{"reluu", "relu"},
		{"cso", "cos"},
		{"sni", "sin"},
		{"xyzzy", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := parser.Suggest(tt.name, names); got != tt.want {
			t.Errorf("Suggest(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestBuiltinNamesAsVariables: a built-in function's name not applied to
// arguments is a variable; pi alone is the constant; a definition of such
// a name is allowed with a warning.
func TestBuiltinNamesAsVariables(t *testing.T) {
	tests := []struct{ src, want string }{
		{"log(sigma) + (y - mu)^2/(2*sigma^2)", "(add (call log sigma) (div (pow (add y (neg mu)) 2) (mul 2 (pow sigma 2))))"},
		{"sigma(sigma)", "(call sigma sigma)"},
		{"phi*delta + abs", "(add (mul phi delta) abs)"},
		{"pi[k]*max", "(mul pi[k] max)"},
		{"2*pi", "(mul 2 (call pi))"},
		{"max(a, b, c, d)", "(call max a (call max b (call max c d)))"},
		{"sum(sigma=1..n, x[sigma])", "(sum sigma 1 n x[sigma])"},
		{"d(log(sigma), sigma)", "(d (call log sigma) sigma)"},
	}
	for _, tt := range tests {
		e, err := parser.ParseExpr(tt.src, nil)
		if err != nil {
			t.Errorf("%s: %v", tt.src, err)
			continue
		}
		if got := ast.Sexpr(e); got != tt.want {
			t.Errorf("%s parsed as %s, want %s", tt.src, got, tt.want)
		}
	}
	stmts, err := parser.ParseFile("s.sd", "sigma := 2\npi := 3\nf(sigma) := sigma^2\nsigma + pi", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"s.sd:1:1: warning: sigma shadows the name of the built-in function sigma: sigma is this definition, sigma(...) is still the built-in"},
		{"s.sd:2:1: warning: pi shadows the built-in constant pi: from here on pi is this definition"},
		nil, nil,
	}
	for i, st := range stmts {
		if diff := cmp.Diff(want[i], st.Warnings); diff != "" {
			t.Errorf("statement %d warnings (-want +got):\n%s", i+1, diff)
		}
	}
	if got := ast.Sexpr(stmts[3].Stmt.(*ast.ExprStmt).X); got != "(add sigma pi)" {
		t.Errorf("after the definitions, sigma + pi is %s", got)
	}
}
