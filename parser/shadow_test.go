package parser_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
)

// TestShadowFunction: a script may define a function with a built-in's
// name. Calls before the definition (and in its own body) are the
// built-in; calls after it are the user's function, a node of its own;
// the other spellings of the built-in (sigmoid, σ) stay the built-in; the
// warning is said once, at the first such definition.
func TestShadowFunction(t *testing.T) {
	src := "a := sigma(z)\n" +
		"sigma(u) := 2*sigma(u) - 1\n" +
		"sigma(x)\n" +
		"sigmoid(x) + σ(x) + sigma\n" +
		"sigma(u) := u/(1 + abs(u))\n" +
		"log(sigma(x))\n" +
		"pi(u) := u + pi\n" +
		"pi(2)\n"
	stmts, err := parser.ParseFile("s.sd", src, nil)
	if err != nil {
		t.Fatal(err)
	}
	user := ast.UserFunc("sigma")
	want := []struct {
		sexpr    string
		warnings []string
	}{
		{"(call sigma z)", nil},
		{"(add (mul 2 (call sigma u)) -1)", []string{"s.sd:2:1: warning: sigma(u) shadows the built-in function sigma (the logistic sigmoid 1/(1+exp(-u))) from here on"}},
		{"(call " + user + " x)", nil},
		{"(add (call sigma x) (call sigma x) sigma)", nil},
		{"(div u (add 1 (call abs u)))", nil}, // said once: no second warning
		{"(call log (call " + user + " x))", nil},
		{"(add u (call pi))", []string{"s.sd:7:1: warning: pi(u) shadows the built-in function pi (the constant π) from here on"}},
		{"(call " + ast.UserFunc("pi") + " 2)", nil},
	}
	if len(stmts) != len(want) {
		t.Fatalf("%d statements, want %d", len(stmts), len(want))
	}
	for i, st := range stmts {
		var e ast.Expr
		switch x := st.Stmt.(type) {
		case *ast.DefStmt:
			e = x.Def.Body
		case *ast.ExprStmt:
			e = x.X
		}
		if got := ast.Sexpr(e); got != want[i].sexpr {
			t.Errorf("statement %d: %s, want %s", i+1, got, want[i].sexpr)
		}
		if diff := cmp.Diff(want[i].warnings, st.Warnings); diff != "" {
			t.Errorf("statement %d warnings (-want +got):\n%s", i+1, diff)
		}
	}
	if d := stmts[1].Stmt.(*ast.DefStmt).Def; d.Name != user || d.String() != "sigma(u) := 2*sigmoid(u) - 1" {
		t.Errorf("the definition is %s named %q", d, d.Name)
	}
}

// TestShadowPrintsBack: the user's function prints as written, and reads
// back as the same node where its definition is in force; a built-in of
// the same spelling in the same expression, or anywhere under that
// definition, prints by another spelling, which reads back as the built-in.
func TestShadowPrintsBack(t *testing.T) {
	stmts, err := parser.ParseFile("s.sd", "sigma(u) := u/(1 + abs(u))\nphi(u) := u^2\n", nil)
	if err != nil {
		t.Fatal(err)
	}
	defs := &ast.Defs{}
	for _, st := range stmts {
		if err := defs.Define(st.Stmt.(*ast.DefStmt).Def); err != nil {
			t.Fatal(err)
		}
	}
	userSigma := func(x ast.Expr) ast.Expr { return ast.NewCall(ast.UserFunc("sigma"), x) }
	userPhi := func(x ast.Expr) ast.Expr { return ast.NewCall(ast.UserFunc("phi"), x) }
	x := ast.NewSym("x")
	tests := []struct {
		e                 ast.Expr
		plain, uni, latex string
		in                string // FormatIn under the definitions
	}{
		{userSigma(x), "sigma(x)", "sigma(x)", `\operatorname{sigma}(x)`, "sigma(x)"},
		{ast.NewCall("sigma", x), "sigma(x)", "σ(x)", `\sigma(x)`, "sigmoid(x)"},
		{ast.NewAdd(userSigma(x), ast.NewCall("sigma", x)), "sigma(x) + sigmoid(x)", "sigma(x) + σ(x)", `\operatorname{sigma}(x) + \sigma(x)`, "sigma(x) + sigmoid(x)"},
		{ast.NewMul(userPhi(x), ast.NewCall("phi", x)), "phi(x)*φ(x)", "phi(x)·φ(x)", `\operatorname{phi}(x) \phi(x)`, "phi(x)*φ(x)"},
	}
	for _, tt := range tests {
		got := []string{ast.String(tt.e), ast.UnicodeString(tt.e), ast.LaTeXString(tt.e)}
		in, err := ast.FormatIn(tt.e, ast.Plain, defs)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, in)
		if diff := cmp.Diff([]string{tt.plain, tt.uni, tt.latex, tt.in}, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", ast.Sexpr(tt.e), diff)
		}
		back, err := parser.ParseExpr(in, &parser.Context{Defs: defs})
		if err != nil {
			t.Errorf("%s does not read back: %v", in, err)
			continue
		}
		if back != tt.e {
			t.Errorf("%s reads back as %s, want %s", in, ast.Sexpr(back), ast.Sexpr(tt.e))
		}
	}
}

// TestShadowDerivRule: a derivative rule written after the definition is
// for the user's function; the built-in keeps its own. Errors name the
// function as written.
func TestShadowDerivRule(t *testing.T) {
	stmts, err := parser.ParseFile("s.sd", "deriv sigma(u) = 1\nsigma(u) := u^2\nderiv sigma(u) = 5\n", nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, st := range stmts {
		if d, ok := st.Stmt.(*ast.DerivStmt); ok {
			got = append(got, d.Fn)
		}
	}
	if diff := cmp.Diff([]string{"sigma", ast.UserFunc("sigma")}, got); diff != "" {
		t.Errorf("derivative rules for (-want +got):\n%s", diff)
	}
	for _, tt := range []struct{ src, want string }{
		{"sigma(u, v) := u + v\nsigma(x)", "2:1: sigma takes 2 arguments, found 1\n    sigma(x)\n    ^"},
		{"sigma(u) := u\nderiv sigma(u, v) = 1", "2:7: sigma is defined as sigma(u), which does not match sigma(u, v)\n    deriv sigma(u, v) = 1\n          ^"},
	} {
		_, err := parser.ParseFile("", tt.src, nil)
		if err == nil || err.Error() != tt.want {
			t.Errorf("%q: error %v, want\n%s", tt.src, err, tt.want)
		}
	}
}

// TestShadowSharedPrintsBack: a value printed with its shared
// subexpressions named ("... where u1 = ...") spells the built-in so that
// it reads back where the user's function is in force.
func TestShadowSharedPrintsBack(t *testing.T) {
	defs := &ast.Defs{}
	if err := defs.Define(&ast.Def{Name: ast.UserFunc("sigma"), Kind: ast.DefFunc, Params: []string{"u"}, Body: ast.NewPow(ast.NewSym("u"), ast.Two)}); err != nil {
		t.Fatal(err)
	}
	e := ast.Expr(ast.NewCall("sigma", ast.NewSym("x")))
	for i := 0; i < 12; i++ {
		e = ast.NewMul(e, ast.NewAdd(e, ast.NewCall("sin", e)))
	}
	e = ast.NewAdd(e, ast.NewCall(ast.UserFunc("sigma"), e))
	for _, withDefs := range []*ast.Defs{defs, nil} {
		sh, err := ast.FormatSharedIn(context.Background(), e, ast.Plain, nil, withDefs)
		if err != nil {
			t.Fatal(err)
		}
		if len(sh.Named) == 0 {
			t.Fatal("nothing shared: the test needs a larger tree")
		}
		src := sh.String(ast.Plain)
		back, err := parser.ParseExpr(src, &parser.Context{Defs: defs})
		if err != nil {
			t.Fatalf("%.200s... does not read back: %v", src, err)
		}
		if back != e {
			t.Errorf("%.200s... reads back as another expression", src)
		}
	}
}
