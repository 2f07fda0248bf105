package parser_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/symdiff/symdiff/parser"
)

// longSum returns x0 + x1 + ... with n terms.
func longSum(n int) string {
	terms := make([]string, n)
	for i := range terms {
		terms[i] = fmt.Sprintf("x%d", i)
	}
	return strings.Join(terms, " + ")
}

// short cuts a long input down for a test failure message.
func short(s string) string {
	if len(s) > 200 {
		return s[:100] + "…" + s[len(s)-100:]
	}
	return s
}

// TestErrors asserts each error message in full: the position, the message,
// the quoted line and the caret under the spot.
func TestErrors(t *testing.T) {
	tests := []struct {
		name, file, src, want string
	}{
		{"unknown function with suggestion", "", "p[i] := sigmod(z[i])",
			`1:9: unknown function sigmod (did you mean sigma?)
    p[i] := sigmod(z[i])
            ^`},
		{"unknown function two edits from a built-in", "", "y := swish(x)",
			`1:6: unknown function swish (did you mean sinh? or define it first: swish(u) := ...)
    y := swish(x)
         ^`},
		{"unknown function without suggestion", "", "y := foo(x)",
			`1:6: unknown function foo (define it first: foo(u) := ...)
    y := foo(x)
         ^`},
		{"unknown function one letter", "", "f(x) + 1",
			`1:1: unknown function f (define it first: f(u) := ...)
    f(x) + 1
    ^`},
		{"builtin arity", "", "L := sigma(x, y)",
			`1:6: sigma takes 1 argument, found 2
    L := sigma(x, y)
         ^`},
		{"delta arity", "", "delta(j)",
			`1:1: delta takes 2 arguments, found 1
    delta(j)
    ^`},
		{"user function arity", "", "f(u, v) := u*v\nf(1)",
			`2:1: f takes 2 arguments, found 1
    f(1)
    ^`},
		{"deriv-declared function arity", "", "deriv g(u) = 1\ng(1, 2)",
			`2:1: g takes 1 argument, found 2
    g(1, 2)
    ^`},
		{"derivative arity", "", "d(x^2)",
			`1:1: d takes 2 arguments, d(expression, variable); found 1
    d(x^2)
    ^`},
		{"indexed then bare", "", "L := x[i]*w + x",
			`1:15: x is used without indices here, but as x[i] at 1:6: write x[...]
    L := x[i]*w + x
                  ^`},
		{"bare then indexed", "", "L := x*w + x[i]",
			`1:12: x is used with indices here, but without them at 1:6
    L := x*w + x[i]
               ^`},
		{"index count differs", "", "x[i] + x[i,j]",
			`1:8: x has 2 indices here, but 1 in x[i] at 1:1
    x[i] + x[i,j]
           ^`},
		{"defined indexed used bare", "", "p[i] := sigma(z[i])\nL := log(p)",
			`2:10: p is indexed (defined as p[i]): write p[i]
    L := log(p)
             ^`},
		{"defined scalar used indexed", "", "CE := 1\nCE[i]",
			`2:1: CE is defined without indices (CE := ...): write CE
    CE[i]
    ^`},
		{"defined indexed wrong count", "", "p[i] := z[i]\np[i,j]",
			`2:1: p takes 1 index, as in p[i]; found 2
    p[i,j]
    ^`},
		{"function used bare", "", "f(u) := u\nf + 1",
			`2:1: f is a function (defined as f(u)): write f(u)
    f + 1
    ^`},
		{"sum without range", "", "S := sum(x[i])",
			`1:10: sum needs a range first: sum(i=1..n, body)
    S := sum(x[i])
             ^`},
		{"sum without parentheses", "", "S := sum x[i]",
			`1:10: sum needs a range and a body: sum(i=1..n, body)
    S := sum x[i]
             ^`},
		{"sum without body", "", "S := sum(i=1..n)",
			`1:16: sum needs a body after the range: sum(i=a..b, body)
    S := sum(i=1..n)
                   ^`},
		{"sum range without dots", "", "sum(i=1 n, x[i])",
			`1:9: expected ".." in the range of sum (i=1..n), found "n"
    sum(i=1 n, x[i])
            ^`},
		{"sum missing comma", "", "sum(i=1..n x[i])",
			`1:12: expected "," between the range and the body of sum, found "x"
    sum(i=1..n x[i])
               ^`},
		{"unclosed parenthesis", "", "CE := -log(p + (1 - q)",
			`1:11: unclosed "(": expected ")" before the end of the input
    CE := -log(p + (1 - q)
              ^`},
		{"unclosed bracket", "", "x[i",
			`1:2: unclosed "[": expected "]" before the end of the input
    x[i
     ^`},
		{"unmatched close", "", "a + b)",
			`1:6: unmatched ")": there is no "(" before it
    a + b)
         ^`},
		{"mismatched brackets", "", "(a + b]",
			`1:7: expected ")" to close the "(" at 1:1, found "]"
    (a + b]
          ^`},
		{"mismatched across lines", "", "f(a,\n  b]",
			`2:4: expected ")" to close the "(" at 1:2, found "]"
      b]
       ^`},
		{"stray comma", "", "a, b",
			`1:2: unexpected ",": a list of names is a declaration, as in w, v : vector(d); expected an operator or the end of the line
    a, b
     ^`},
		{"stray token", "", "a + b ->",
			`1:7: the input ends after "->": expected an expression
    a + b ->
          ^`},
		{"stray dots", "", "x..y",
			`1:2: unexpected ".."; expected an operator or the end of the line
    x..y
     ^`},
		{"missing operator", "", "2 x",
			`1:3: missing operator before "x" (write a*b for a product)
    2 x
      ^`},
		{"missing operator before paren", "", "2 (x + 1)",
			`1:3: missing operator before "(" (write a*b for a product)
    2 (x + 1)
      ^`},
		{"function without parentheses", "", "log x",
			`1:5: log needs parentheses around its argument: write log(...)
    log x
        ^`},
		{"if with one value", "", "if(x > 0, 1)",
			`1:12: if needs a condition and two values: if(x > 0, a, b)
    if(x > 0, 1)
               ^`},
		{"if without arguments", "", "if()",
			`1:4: if needs a condition and two values: if(x > 0, a, b)
    if()
       ^`},
		{"if with four arguments", "", "if(x > 0, 1, 2, 3)",
			`1:15: if needs a condition and two values: if(x > 0, a, b): found a fourth argument (write if(c1, a, if(c2, b, c)) for more pieces)
    if(x > 0, 1, 2, 3)
                  ^`},
		{"value as condition", "", "if(x + 1, a, b)",
			`1:9: expected a comparison (<, <=, >, >=, ==, !=) in the condition, found ",": a condition compares values, like x > 0
    if(x + 1, a, b)
            ^`},
		{"value joined by and", "", "if((x) and y > 0, a, b)",
			`1:8: expected a comparison (<, <=, >, >=, ==, !=) in the condition, found "and": a condition compares values, like x > 0
    if((x) and y > 0, a, b)
           ^`},
		{"value joined by and in parentheses", "", "if((x and y > 0), a, b)",
			`1:7: expected a comparison (<, <=, >, >=, ==, !=) before "and": a condition compares values, like x > 0
    if((x and y > 0), a, b)
          ^`},
		{"comparison as value", "", "y := x > 0",
			`1:8: unexpected ">": a comparison is a condition, not a value; write it as the condition of if(cond, a, b)
    y := x > 0
           ^`},
		{"comparison in parentheses as value", "", "2*(x > 0)",
			`1:6: unexpected ">": a comparison is a condition, not a value; write it as the condition of if(cond, a, b)
    2*(x > 0)
         ^`},
		{"comparison as argument", "", "max(x <= 0, 1)",
			`1:7: unexpected "<=": a comparison is a condition, not a value; write it as the condition of if(cond, a, b)
    max(x <= 0, 1)
          ^`},
		{"comparison as a piece of if", "", "if(x > 0, y > 1, 0)",
			`1:13: unexpected ">": a comparison is a condition, not a value; write it as the condition of if(cond, a, b)
    if(x > 0, y > 1, 0)
                ^`},
		{"unclosed if", "", "if(x > 0, 1, 2",
			`1:3: unclosed "(": expected ")" before the end of the input
    if(x > 0, 1, 2
      ^`},
		{"keyword as name", "", "if := 2",
			`1:1: unexpected keyword "if"
    if := 2
    ^`},
		{"keyword in expression", "", "x := 1 + rule",
			`1:10: "rule" can only start a statement
    x := 1 + rule
             ^`},
		{"keyword as index", "", "sum(if=1..n, x)",
			`1:5: "if" is a keyword and cannot be used as a summation index
    sum(if=1..n, x)
        ^`},
		{"keyword wrt", "", "wrt + 1",
			`1:1: unexpected keyword "wrt"
    wrt + 1
    ^`},
		{"bad index expression", "", "x[i+1]",
			`1:3: an index must be a name or a whole number, like x[i] or x[2]
    x[i+1]
      ^`},
		{"bad index decimal", "", "x[1.5]",
			`1:3: an index must be a name or a whole number, like x[i] or x[2]
    x[1.5]
      ^`},
		{"bad index nested", "", "x[y[i]]",
			`1:3: an index must be a name or a whole number, like x[i] or x[2]
    x[y[i]]
      ^`},
		{"empty index", "", "x[]",
			`1:1: x[] needs at least one index
    x[]
    ^`},
		{"sum index indexed", "", "sum(i=1..n, i[1])",
			`1:13: i is a parameter or summation index here and cannot be indexed
    sum(i=1..n, i[1])
                ^`},
		{"recursive definition", "", "L := L + 1",
			`1:1: recursive definition: L refers to itself
    L := L + 1
    ^`},
		{"mutually recursive", "", "a := b + 1\nb := 2*a",
			`2:1: recursive definition: b → a → b
    b := 2*a
    ^`},
		{"redefine verb", "", "expand(u) := u",
			`1:1: expand is an algebra verb and cannot be redefined (name yours differently)
    expand(u) := u
    ^`},
		{"constant applied", "", "pi(2)",
			`1:1: pi is a constant: write pi, without parentheses
    pi(2)
    ^`},
		{"max of one argument", "", "m := max(x)",
			`1:6: max takes 2 or more arguments, found 1
    m := max(x)
         ^`},
		{"redefine d", "", "d(u, v) := u",
			`1:1: d(...) is the derivative and cannot be redefined
    d(u, v) := u
    ^`},
		{"trailing operator at end of input", "", "L := a +",
			`1:8: the input ends after "+": expected an expression
    L := a +
           ^`},
		{"trailing operator then comment", "", "L := a * # more\n",
			`1:8: the input ends after "*": expected an expression
    L := a * # more
           ^`},
		{"number too large", "", "1e99999",
			`1:1: number "1e99999" is too large (the limit is 10000 digits and exponents up to ±10000)
    1e99999
    ^`},
		{"exponent too large", "", "x^1e99999999",
			`1:3: exponent of "1e99999999" is too large (the limit is ±10000)
    x^1e99999999
      ^`},
		{"derivative wrt number", "", "d(x^2, 2)",
			`1:8: d(E, v): v must be a name like x or an indexed name like w[k]
    d(x^2, 2)
           ^`},
		{"derivative wrt expression", "", "d(x^2, x + 1)",
			`1:8: d(E, v): v must be a name like x or an indexed name like w[k]
    d(x^2, x + 1)
           ^`},
		{"derivative wrt constant", "", "d(x, pi)",
			`1:6: cannot differentiate with respect to the constant pi
    d(x, pi)
         ^`},
		{"derivative wrt indexed used bare", "", "L := sum(j=1..d, w[j])*x\nd(L, w)",
			`2:6: w is used without indices here, but as w[j] at 1:18: write w[...]
    d(L, w)
         ^`},
		{"equals instead of define", "", "CE = -log(p)",
			`1:4: unexpected "=": write := to define a name, or == to compare
    CE = -log(p)
       ^`},
		{"equals in prove", "", "prove a = b",
			`1:9: unexpected "=": write := to define a name, or == to compare
    prove a = b
            ^`},
		{"compare outside prove", "", "a == b",
			`1:3: unexpected "==": write prove A == B to compare two expressions
    a == b
      ^`},
		{"rule rhs unknown name", "", "rule r: exp(u) -> v",
			`1:19: v does not occur on the left side of the rule, so it has no value here
    rule r: exp(u) -> v
                      ^`},
		{"rule condition unknown name", "", "rule r: exp(u) -> u if v > 0",
			`1:24: v does not occur on the left side of the rule, so it has no value here
    rule r: exp(u) -> u if v > 0
                           ^`},
		{"rule lone variable", "", "rule r: u -> 0",
			`1:9: the left side of rule r is a lone pattern variable: it would match everything
    rule r: u -> 0
            ^`},
		{"rule missing colon", "", "rule r exp(u) -> u",
			`1:8: unexpected "exp"; expected ":"
    rule r exp(u) -> u
           ^`},
		{"rule missing arrow", "", "rule r: exp(u) u",
			`1:16: missing operator before "u" (write a*b for a product)
    rule r: exp(u) u
                   ^`},
		{"rule bad comparison", "", "rule r: log(u) -> 0 if u => 1",
			`1:26: unexpected "=": write := to define a name, or == to compare
    rule r: log(u) -> 0 if u => 1
                             ^`},
		{"rule missing condition", "", "rule r: log(u) -> 0 if u > 1 and",
			`1:33: expected an expression, found the end of the line
    rule r: log(u) -> 0 if u > 1 and
                                    ^`},
		{"deriv without parameters", "", "deriv f = 1",
			`1:7: deriv needs a function applied to its parameters, like deriv f(u) = ...
    deriv f = 1
          ^`},
		{"deriv ambiguous", "", "deriv f(u, v) = u",
			`1:7: f has 2 parameters: say which one this is the derivative for, with wrt u
    deriv f(u, v) = u
          ^`},
		{"deriv wrong wrt", "", "deriv f(u, v) wrt w = u",
			`1:19: wrt w: w is not a parameter of f
    deriv f(u, v) wrt w = u
                      ^`},
		{"deriv builtin arity", "", "deriv exp(u, v) wrt u = 1",
			`1:7: exp takes 1 argument, not 2
    deriv exp(u, v) wrt u = 1
          ^`},
		{"deriv missing body", "", "deriv f(u)",
			`1:11: the statement is incomplete: expected "=" before the end of the line
    deriv f(u)
              ^`},
		{"deriv param not a name", "", "deriv f(2) = 1",
			`1:9: the parameters of a derivative rule must be distinct plain names, like f(u, v)
    deriv f(2) = 1
            ^`},
		{"definition parameter not a name", "", "f(2*u) := u",
			`1:3: the parameters of f(...) must be plain names, like f(u, v) or p[i]
    f(2*u) := u
      ^`},
		{"duplicate parameter", "", "f(u, u) := u",
			`1:6: the parameter u appears twice
    f(u, u) := u
         ^`},
		{"definition left side", "", "a + b := 1",
			`1:1: the left side of := must be a name, name[i,...] or name(u,...)
    a + b := 1
    ^`},
		{"prove incomplete", "", "prove a",
			`1:8: the statement is incomplete: expected "==" or "!=" before the end of the line
    prove a
           ^`},
		{"unexpected character", "", "x := a $ b",
			`1:8: unexpected character '$'
    x := a $ b
           ^`},
		{"superscript minus alone", "", "x⁻ + 1",
			`1:3: expected a superscript digit after ⁻
    x⁻ + 1
      ^`},
		{"statement word inside", "", "x := prove",
			`1:6: "prove" can only start a statement
    x := prove
         ^`},
		{"empty parentheses", "", "x := ()",
			`1:7: expected an expression inside the parentheses
    x := ()
          ^`},
		{"delta of expression", "", "delta(i+1, j)",
			`1:7: the arguments of delta must be indices (names or whole numbers), like delta(j,k)
    delta(i+1, j)
          ^`},
		{"unicode column", "", "ŷ := σ(z) + λ·ŵ $",
			`1:17: unexpected character '$'
    ŷ := σ(z) + λ·ŵ $
                    ^`},
		{"tab column", "", "\tx := 1 +\t$",
			`1:11: unexpected character '$'
     x := 1 + $
              ^`},
		{"error on a later line", "", "a := 1\nb := 2\nc := a +* b",
			`3:9: expected an expression, found "*"
    c := a +* b
            ^`},
		{"long line window", "", "L := " + longSum(40) + " ) + 1",
			`1:234: unmatched ")": there is no "(" before it
    …+ x34 + x35 + x36 + x37 + x38 + x39 ) + 1
                                         ^`},
		{"invalid UTF-8", "", "x := 1\ny := \xff + 2",
			`2:6: the input is not valid UTF-8
    y := � + 2
         ^`},
		{"too many digits", "", "x := 1" + strings.Repeat("9", 10000) + " + 1",
			`1:6: number "1999999999999999…9999999999999999" (10001 characters) is too large (the limit is 10000 digits and exponents up to ±10000)
    x := 1` + strings.Repeat("9", 66) + `…
         ^`},
		{"too large after the exponent", "", "100e9999",
			`1:1: number "100e9999" is too large (the limit is 10000 digits and exponents up to ±10000)
    100e9999
    ^`},
		{"too small", "", "x := 0.5e-10000",
			`1:6: number "0.5e-10000" is too large (the limit is 10000 digits and exponents up to ±10000)
    x := 0.5e-10000
         ^`},
		{"leading zeros in exponent are fine but the value is not", "", "1e0000010001",
			`1:1: number "1e0000010001" is too large (the limit is 10000 digits and exponents up to ±10000)
    1e0000010001
    ^`},
		{"file name in position", "model.sd", "a := 1\nb := a +* 1",
			`model.sd:2:9: expected an expression, found "*"
    b := a +* 1
            ^`},
		{"statement word in a rule", "", "rule r: exp(u) -> deriv",
			`1:19: "deriv" can only start a statement
    rule r: exp(u) -> deriv
                      ^`},
		{"prove without second side", "", "prove a ==",
			`1:9: the input ends after "==": expected an expression
    prove a ==
            ^`},
		{"wrt not a name", "", "deriv f(u, v) wrt 2 = u",
			`1:19: unexpected number 2; expected a parameter name
    deriv f(u, v) wrt 2 = u
                      ^`},
		{"explain wrt not a name", "", "explain y*z wrt 2",
			`1:17: unexpected number 2; expected the name of the linear predictor
    explain y*z wrt 2
                    ^`},
		{"explain without a loss", "", "explain",
			`1:8: expected an expression, found the end of the line
    explain
           ^`},
		{"explain in an expression", "", "x := explain + 1",
			`1:6: "explain" can only start a statement
    x := explain + 1
         ^`},
		{"deriv of keyword", "", "deriv sum(u) = 1",
			`1:11: sum needs a range first: sum(i=1..n, body)
    deriv sum(u) = 1
              ^`},
		{"deriv conflicting arity", "", "deriv g(u) = 1\nderiv g(u, v) wrt u = 1",
			`2:7: g was declared with 1 parameter, not 2
    deriv g(u, v) wrt u = 1
          ^`},
		{"deriv of a non-function definition", "", "a := 1\nderiv a(u) = 1",
			`2:7: a is defined as a, which does not match a(u)
    deriv a(u) = 1
          ^`},
		{"call of a defined scalar", "", "a := 1\na(2)",
			`2:1: a is not a function (it is defined as a)
    a(2)
    ^`},
		{"function used as index", "", "f(u) := u\nf[1]",
			`2:1: f is a function (defined as f(u)): write f(...)
    f[1]
    ^`},
		{"derivative wrt keyword", "", "d(x, if)",
			`1:6: expected an expression, found the keyword "if"
    d(x, if)
         ^`},
		{"deriv-declared used bare", "", "deriv g(u) = 1\ng + 1",
			`2:1: g is a function: write g(...)
    g + 1
    ^`},
		{"parameter indexed", "", "f(u) := u[1]",
			`1:9: u is a parameter or summation index here and cannot be indexed
    f(u) := u[1]
            ^`},
		{"definition with keyword name", "", "wrt := 1",
			`1:1: unexpected keyword "wrt"
    wrt := 1
    ^`},
		{"python power", "", "y := x**2",
			`1:8: unexpected "*": write x^2 for a power
    y := x**2
           ^`},
		{"python power of a group", "", "y := (a + b)**(n - 1)",
			`1:14: unexpected "*": write a^b for a power
    y := (a + b)**(n - 1)
                 ^`},
		{"two-argument function without parentheses", "", "delta j k",
			`1:7: delta needs parentheses around its arguments: write delta(a, b)
    delta j k
          ^`},
		{"two-argument deriv-declared used bare", "", "deriv h(u, v) wrt u = 1\nh + 1",
			`2:1: h is a function: write h(a, b)
    h + 1
    ^`},
		{"no suggestion of another arity", "", "m := mod(1, x)",
			`1:6: unknown function mod (define it first: mod(u, v) := ...)
    m := mod(1, x)
         ^`},
		{"no suggestion of another word", "", "m := mod(x)",
			`1:6: unknown function mod (define it first: mod(u) := ...)
    m := mod(x)
         ^`},
		{"suggestion of the same arity", "", "deriv hh(u, v) wrt u = 1\nhhh(1, 2)",
			`2:1: unknown function hhh (did you mean hh?)
    hhh(1, 2)
    ^`},
		{"free index in an indexed definition", "", "p[i] := sigma(z[j])",
			`1:17: the index j is free: it is neither a parameter of p[i] nor bound by a sum
    p[i] := sigma(z[j])
                    ^`},
		{"free index in a scalar definition", "", "L := x[i]^2",
			`1:8: the index i is free: it is neither a parameter of L nor bound by a sum
    L := x[i]^2
           ^`},
		{"index used outside its sum", "", "S[i] := sum(j=1..n, x[i,j]) + y[j]",
			`1:33: the index j is free: it is neither a parameter of S[i] nor bound by a sum
    S[i] := sum(j=1..n, x[i,j]) + y[j]
                                    ^`},
		{"free index in delta", "", "e[i] := delta(i, k)",
			`1:18: the index k is free: it is neither a parameter of e[i] nor bound by a sum
    e[i] := delta(i, k)
                     ^`},
		{"free index in a function definition", "", "f(u) := u*w[k]",
			`1:13: the index k is free: it is neither a parameter of f(u) nor bound by a sum
    f(u) := u*w[k]
                ^`},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		if seen[tt.name] {
			t.Fatalf("duplicate test name %q", tt.name)
		}
		seen[tt.name] = true
		t.Run(tt.name, func(t *testing.T) {
			stmts, err := parser.ParseFile(tt.file, tt.src, nil)
			if err == nil {
				t.Fatalf("ParseFile(%q) succeeded with %d statements, want error:\n%s", short(tt.src), len(stmts), tt.want)
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("ParseFile(%q) error (-want +got):\n%s", short(tt.src), diff)
			}
			checkErrorPos(t, tt.file, tt.src, err)
		})
	}
}

// checkErrorPos checks that err is a *parser.Error whose position is in
// the input and agrees with its text.
func checkErrorPos(t *testing.T, file, src string, err error) {
	t.Helper()
	pe, ok := err.(*parser.Error)
	if !ok {
		t.Fatalf("error is a %T, want *parser.Error: %v", err, err)
	}
	if pe.Msg == "" {
		t.Errorf("empty message in %q", err)
	}
	p := pe.Pos
	if p.Filename != file {
		t.Errorf("Filename = %q, want %q", p.Filename, file)
	}
	if p.Offset < 0 || p.Offset > len(src) {
		t.Fatalf("Offset %d is outside the input (%d bytes)", p.Offset, len(src))
	}
	before := src[:p.Offset]
	line := strings.Count(before, "\n") + 1
	col := len([]rune(before[strings.LastIndexByte(before, "\n"[0])+1:])) + 1
	if p.Line != line || p.Col != col {
		t.Errorf("Pos %d:%d does not match offset %d, which is at %d:%d", p.Line, p.Col, p.Offset, line, col)
	}
	wantLine := strings.Split(src, "\n")[line-1]
	wantLine = strings.TrimSuffix(wantLine, "\r")
	if pe.Line != wantLine && len(src) <= parser.MaxInputBytes {
		t.Errorf("quoted line %q, want %q", pe.Line, wantLine)
	}
}

func TestErrorIsIncomplete(t *testing.T) {
	tests := []struct {
		src  string
		want bool
	}{
		{"a +", true},
		{"L :=", true},
		{"f(a,", true},
		{"sum(i=1..n,\n  x[i]", true},
		{"x[i", true},
		{"a + # more to come", true},
		{"a )", false},
		{"2 x", false},
		{"sigmod(x)", false},
		{"(a]", false},
		{"prove a", false},
	}
	for _, tt := range tests {
		_, err := parser.ParseFile("", tt.src, nil)
		if err == nil {
			t.Errorf("ParseFile(%q) succeeded, want an error", tt.src)
			continue
		}
		if got := parser.IsIncomplete(err); got != tt.want {
			t.Errorf("IsIncomplete(error for %q) = %v, want %v (error: %v)", tt.src, got, tt.want, err)
		}
	}
	if parser.IsIncomplete(errors.New("a +")) {
		t.Error("IsIncomplete of a foreign error is true")
	}
}

// TestErrorFormat checks Error and Snippet on hand-made errors.
func TestErrorFormat(t *testing.T) {
	tests := []struct {
		name string
		err  *parser.Error
		want string
	}{
		{"no line", &parser.Error{Pos: parser.Pos{Line: 1, Col: 1}, Msg: "m"}, "1:1: m"},
		{"file name", &parser.Error{Pos: parser.Pos{Filename: "f.sd", Line: 3, Col: 2}, Msg: "m", Line: "abc"},
			"f.sd:3:2: m\n    abc\n     ^"},
		{"caret after the end", &parser.Error{Pos: parser.Pos{Line: 1, Col: 4}, Msg: "m", Line: "abc"},
			"1:4: m\n    abc\n       ^"},
		{"column past the end is clamped", &parser.Error{Pos: parser.Pos{Line: 1, Col: 99}, Msg: "m", Line: "abc"},
			"1:99: m\n    abc\n       ^"},
		{"tabs become spaces", &parser.Error{Pos: parser.Pos{Line: 1, Col: 3}, Msg: "m", Line: "\t\tx"},
			"1:3: m\n      x\n      ^"},
		{"wide characters count once", &parser.Error{Pos: parser.Pos{Line: 1, Col: 3}, Msg: "m", Line: "σ·ŷ"},
			"1:3: m\n    σ·ŷ\n      ^"},
		{"window at the start", &parser.Error{Pos: parser.Pos{Line: 1, Col: 1}, Msg: "m", Line: strings.Repeat("a", 100)},
			"1:1: m\n    " + strings.Repeat("a", 72) + "…\n    ^"},
		{"window in the middle", &parser.Error{Pos: parser.Pos{Line: 1, Col: 50}, Msg: "m", Line: strings.Repeat("a", 49) + "X" + strings.Repeat("b", 100)},
			"1:50: m\n    …" + strings.Repeat("a", 36) + "X" + strings.Repeat("b", 35) + "…\n    " + strings.Repeat(" ", 37) + "^"},
		{"window at the end", &parser.Error{Pos: parser.Pos{Line: 1, Col: 100}, Msg: "m", Line: strings.Repeat("a", 99) + "X"},
			"1:100: m\n    …" + strings.Repeat("a", 36) + "X\n    " + strings.Repeat(" ", 37) + "^"},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, tt.err.Error()); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
}
