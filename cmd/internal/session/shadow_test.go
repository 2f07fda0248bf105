package session

import (
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/symdiff/symdiff/ast"
)

// callsBuiltin reports whether e applies the built-in function name.
func callsBuiltin(e ast.Expr, name string) bool {
	found := false
	ast.InspectOnce(e, func(n ast.Expr) bool {
		if c, ok := n.(*ast.Call); ok && c.Fn == name {
			found = true
		}
		return !found
	})
	return found
}

// TestShadowDerivative: with the user's sigma(u) defined, d(sigma(...), x)
// is the derivative of the user's body, never σ(1−σ). The oracle is a
// central difference of the body written in Go, at random points near and
// far from 0 (not at the kink of abs).
func TestShadowDerivative(t *testing.T) {
	tests := []struct {
		def, expr string
		f         func(x float64) float64 // the expression as a function of x
		// builtin: the derivative may apply the built-in of the same name
		// (the user's log(sigma(exp(x))) is log of the sigmoid).
		builtin bool
	}{
		{"sigma(u) := u/(1 + abs(u))", "sigma(x)", func(x float64) float64 { return x / (1 + math.Abs(x)) }, false},
		{"sigma(u) := log(1 + u^2)", "sigma(3*x)^2", func(x float64) float64 { v := math.Log(1 + 9*x*x); return v * v }, false},
		{"sigma(u) := u/(1 + abs(u))", "log(sigma(exp(x)))", func(x float64) float64 { e := math.Exp(x); return math.Log(e / (1 + e)) }, true},
		{"phi(u) := u^3", "phi(x)*Phi(x)", func(x float64) float64 { return x * x * x * 0.5 * math.Erfc(-x/math.Sqrt2) }, true},
		{"exp(u) := 2*u", "exp(x^2)", func(x float64) float64 { return 2 * x * x }, false},
	}
	rng := rand.New(rand.NewSource(12))
	for _, tt := range tests {
		s := New()
		rs := exec(t, s, tt.def+"\nd("+tt.expr+", x)")
		got := rs[1].Value
		name := tt.def[:strings.Index(tt.def, "(")]
		if !tt.builtin && callsBuiltin(got, name) {
			t.Errorf("%s; d(%s, x) = %s applies the built-in %s", tt.def, tt.expr, ast.String(got), name)
		}
		for i := 0; i < 40; i++ {
			x := (rng.Float64()*2 - 1) * math.Pow(10, float64(rng.Intn(5)-2)) // ±0.01 .. ±100
			if math.Abs(x) < 1e-3 {
				continue
			}
			h := 1e-6 * math.Max(1, math.Abs(x))
			want := (tt.f(x+h) - tt.f(x-h)) / (2 * h)
			v, err := ast.Eval(got, s.Defs, ast.Bindings{"x": ast.Scalar(x)})
			if err != nil {
				t.Fatalf("%s; d(%s, x) = %s at x=%g: %v", tt.def, tt.expr, ast.String(got), x, err)
			}
			if math.Abs(v-want) > 1e-5*math.Max(1, math.Abs(want)) {
				t.Errorf("%s; d(%s, x) = %s is %g at x=%g; central differences give %g", tt.def, tt.expr, ast.String(got), v, x, want)
				break
			}
		}
	}
}

// TestShadowBuiltinStays: under the user's sigma, the built-in is still
// reachable (sigmoid, σ, and from other built-ins' rules), folding exp
// forms back gives the built-in, not the user's function, the prover does
// not confuse the two, and the plain output spells the built-in so that
// it reads back in the session as the built-in. A fresh session has the
// built-in again.
func TestShadowBuiltinStays(t *testing.T) {
	s := New()
	rs := exec(t, s, "sigma(u) := u/(1 + abs(u))\n"+
		"d(log(1 + exp(x)), x)\n"+
		"d(softplus(x), x)\n"+
		"1/(1 + exp(-x)) + sigma(x)\n"+
		"prove sigma(x) == x/(1 + abs(x))\n"+
		"prove sigma(x) == sigmoid(x)\n"+
		"prove sigmoid(x) == 1/(1 + exp(-x))\n")
	p := &Printer{Style: ast.Plain, S: s}
	var out strings.Builder
	for _, r := range rs[1:] {
		p.Result(&out, r)
	}
	lines := strings.Split(out.String(), "\n")
	want := []string{"sigmoid(x)", "sigmoid(x)", "sigmoid(x) + sigma(x)"}
	if diff := cmp.Diff(want, lines[:3]); diff != "" {
		t.Errorf("values (-want +got):\n%s", diff)
	}
	for i, r := range rs[1:4] {
		if !callsBuiltin(r.Value, "sigma") {
			t.Errorf("result %d, %s, does not apply the built-in sigmoid", i+1, ast.Sexpr(r.Value))
		}
		// What is printed reads back, in the session, as the same value.
		back := exec(t, s, lines[i])[0].Value
		for _, x := range []float64{-30, -2.5, 0.3, 7, 40} {
			b := ast.Bindings{"x": ast.Scalar(x)}
			a, err1 := ast.Eval(r.Value, s.Defs, b)
			c, err2 := ast.Eval(back, s.Defs, b)
			if err1 != nil || err2 != nil || math.Abs(a-c) > 1e-12*math.Max(1, math.Abs(a)) {
				t.Errorf("%s reads back as %s: %g, %v and %g, %v at x=%g", ast.String(r.Value), lines[i], a, err1, c, err2, x)
			}
		}
	}
	sig := func(x float64) float64 { return 1 / (1 + math.Exp(-x)) }
	for _, x := range []float64{-20, -1, 0.5, 3, 25} {
		v, err := ast.Eval(rs[1].Value, s.Defs, ast.Bindings{"x": ast.Scalar(x)})
		if err != nil || math.Abs(v-sig(x)) > 1e-12 {
			t.Errorf("d(log(1 + exp(x)), x) = %s is %g at %g, want the sigmoid %g (%v)", ast.String(rs[1].Value), v, x, sig(x), err)
		}
	}
	for i, want := range []Status{OK, Refuted, OK} {
		if got := rs[4+i].Status; got != want {
			t.Errorf("%s: status %v, want %v", rs[4+i].Input, got, want)
		}
	}
	fresh := exec(t, New(), "d(sigma(x), x)")[0].Value
	if got := ast.String(fresh); got != "sigma(x)*(1 - sigma(x))" {
		t.Errorf("in a fresh session d(sigma(x), x) = %s, want sigma(x)*(1 - sigma(x))", got)
	}
}

// TestShadowWarnedOnce: the warning is said once, with its place, where
// the built-in is first shadowed (in a definitions file and in a script);
// a second definition of the same function is not warned about again.
func TestShadowWarnedOnce(t *testing.T) {
	file := filepath.Join(t.TempDir(), "defs.sd")
	src := "a := sigma(z)\nsigma(u) := u/(1 + abs(u))\nsigma(u) := u/(1 + u^2)\nb := sigma(z)\n"
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	var warn strings.Builder
	s := New()
	s.Warn = &warn
	if err := s.LoadDefs(file); err != nil {
		t.Fatal(err)
	}
	want := file + ":2:1: warning: sigma(u) shadows the built-in function sigma (the logistic sigmoid 1/(1+exp(-u))) from here on\n"
	if diff := cmp.Diff(want, warn.String()); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
	// The definitions file's sigma(...) goes on in the script that uses it:
	// the last definition, and no new warning.
	rs := exec(t, s, "sigma(2) + a\nsigma(u) := 3*u\nsigma(2)")
	var ws []string
	for _, r := range rs {
		ws = append(ws, r.Warnings...)
	}
	if len(ws) != 0 {
		t.Errorf("warned again: %q", ws)
	}
	if got := ast.String(rs[0].Value); got != "a + 0.4" {
		t.Errorf("sigma(2) + a = %s, want a + 0.4", got)
	}
	if got := ast.String(rs[2].Value); got != "6" {
		t.Errorf("sigma(2) = %s after sigma(u) := 3*u", got)
	}
	if d, ok := s.Defs.Lookup("b"); !ok || callsBuiltin(d.Body, "sigma") {
		t.Errorf("b := sigma(z) after the definition is %v, want the user's sigma", d)
	}
}

// TestShadowRuleFilesUnaffected: a rule file read into a session where
// sigma is the user's still means the built-in by sigma(...).
func TestShadowRuleFilesUnaffected(t *testing.T) {
	file := filepath.Join(t.TempDir(), "my.rules")
	if err := os.WriteFile(file, []byte("deriv swish(u) = sigma(u) + u*sigma(u)*(1 - sigma(u))\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := New()
	exec(t, s, "sigma(u) := u/(1 + abs(u))")
	if err := s.LoadRules(file); err != nil {
		t.Fatal(err)
	}
	got := exec(t, s, "d(swish(x), x)")[0].Value
	if !callsBuiltin(got, "sigma") || ast.HasShadow(got) {
		t.Errorf("d(swish(x), x) = %s, want the built-in sigmoid from the rule file", ast.Sexpr(got))
	}
}
