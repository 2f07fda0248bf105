package matrix_test

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/rules"
	"github.com/symdiff/symdiff/rules/load"
	"github.com/symdiff/symdiff/simplify/matrix"
	"github.com/symdiff/symdiff/simplify/prove"
)

// symPreamble adds a symmetric matrix T to the inverse corpus's names.
const symPreamble = invPreamble + `T : symmetric(m)
`

// symSetup parses symPreamble.
func symSetup(t testing.TB) (matrix.Options, *parser.Context) {
	t.Helper()
	return setupSource(t, "preamble", symPreamble)
}

// ruleNames lists the rules of a step and its sub-steps.
func ruleNames(st rules.Step) []string {
	var out []string
	if st.Rule == nil {
		return nil
	}
	for _, r := range st.Rules() {
		out = append(out, r.Name)
	}
	return out
}

// TestIdentities: results read as a person writes them. Each case names
// the rule that must have applied (to the input or to the result), and
// input and result are compared by refEval, the tests' own evaluator, at
// random well-conditioned matrices; results with a derivative against
// central finite differences of the function.
func TestIdentities(t *testing.T) {
	opt, pctx := symSetup(t)
	tests := []struct{ src, want, rule string }{
		{"inv(inv(A))", "A", "inv_inv"},
		{"inv(inv(A))*x", "A*x", "inv_inv"},
		{"det(inv(A))", "1/det(A)", "det_inv"},
		{"logdet(inv(A))", "-logdet(A)", "logdet_inv"},
		{"inv(A')", "inv(A)'", "inv_transpose"},
		{"inv(A')*x", "inv(A)'*x", "inv_transpose"},
		{"det(A')", "det(A)", "det_transpose"},
		{"logdet(A')", "logdet(A)", "logdet_transpose"},
		{"det(inv(A'))", "1/det(A)", "det_inv"},
		{"inv(A)*eye(m)", "inv(A)", "eye_product"},
		{"eye(m)*A*eye(m)*x", "A*x", "eye_product"},
		{"0*A", "zeros(m, m)", "zero_matrix"},
		{"0*x", "zeros(m)", "zero_matrix"},
		{"zeros(m, m)*A + B", "B", "zero_matrix"},
		{"x + zeros(m)", "x", "zero_matrix"},
		{"T'", "T", "symmetric_transpose"},
		{"inv(T)'*x", "inv(T)*x", "symmetric_transpose"},
		{"inv(X'*X + lam*eye(d))'*w", "inv(X'*X + lam*eye(d))*w", "symmetric_transpose"},
		{"A' + A'", "2*A'", "matrix_like_terms"},
		{"d((x - mu)'*inv(T)*(x - mu)/2, mu)", "inv(T)*(mu - x)", "matrix_scalar_out"},
		// A number written as a product reads the way the input writes it.
		{"x'*A*x", "x'*A*x", "scalar_transpose"},
		{"mu'*A*x", "mu'*A*x", "scalar_transpose"},
		{"x'*A*mu", "x'*A*mu", "scalar_transpose"},
		{"w'*X'*X*w + x'*B*x", "w'*X'*X*w + x'*B*x", "scalar_transpose"},
		{"A' + A", "A + A'", "transpose_order"},
		{"d(x'*A*x, x)", "(A + A')*x", "transpose_order"},
		// Derivatives.
		{"d(inv(A), lam)", "zeros(m, m)", "zero_matrix"},
		{"d(logdet(inv(A)), A)", "-inv(A)'", "logdet_inv"},
		{"d(det(inv(A)), A)", "-(inv(A)'/det(A))", "det_inv"},
		{"d(x'*inv(T)*x, x)", "2*inv(T)*x", "symmetric_transpose"},
		{"d((x - mu)'*inv(T)*(x - mu), mu)", "2*inv(T)*(mu - x)", "symmetric_transpose"},
		{"d(y'*X*inv(X'*X + lam*eye(d))*X'*y, y)", "2*X*inv(X'*X + lam*eye(d))*X'*y", "symmetric_transpose"},
		{"d(logdet(X'*X + lam*eye(d)), X)", "2*X*inv(X'*X + lam*eye(d))", "symmetric_transpose"},
		{"d(logdet(S) + (x - mu)'*inv(S)*(x - mu), S)", "inv(S)' - inv(S)'*(x - mu)*(x - mu)'*inv(S)'", "outer_sign"},
		{"d(x'*inv(A + lam*eye(m))*eye(m)*x, lam)", "-(x'*inv(A + lam*eye(m))*inv(A + lam*eye(m))*x)", "eye_product"},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			e, err := parser.ParseExpr(tt.src, pctx)
			if err != nil {
				t.Fatal(err)
			}
			r, err := matrix.Simplify(context.Background(), e, opt)
			if err != nil {
				t.Fatal(err)
			}
			if r.Value == nil {
				t.Fatalf("%s: %v", tt.src, r.NoForm)
			}
			got := ast.String(r.Value)
			if got != tt.want {
				t.Errorf("%s = %s, want %s", tt.src, got, tt.want)
			}
			back, err := parser.ParseExpr(got, pctx)
			if err != nil {
				t.Fatalf("%s does not read back: %v", got, err)
			}
			if back != r.Value {
				t.Errorf("%s reads back as %s, not %s", got, ast.Sexpr(back), ast.Sexpr(r.Value))
			}
			applied := append(ruleNames(r.Written), ruleNames(r.Shown)...)
			if !slices.Contains(applied, tt.rule) {
				t.Errorf("%s: rule %s not applied (applied: %v)", tt.src, tt.rule, applied)
			}
			rng := rand.New(rand.NewPCG(uint64(len(tt.src)), 31))
			for trial := range 3 {
				if ast.HasDeriv(e) {
					checkRefFD(t, e, r.Value, opt, rng, trial)
					continue
				}
				env := drawRef(rng, opt.Decls)
				want, err := refEval(e, env)
				if err != nil {
					t.Fatal(err)
				}
				have, err := refEval(r.Value, env)
				if err != nil {
					t.Fatal(err)
				}
				if want.r != have.r || want.c != have.c {
					t.Fatalf("trial %d: %s is %d×%d, %s %d×%d", trial, tt.src, want.r, want.c, got, have.r, have.c)
				}
				for i := range want.a {
					if math.Abs(want.a[i]-have.a[i]) > 1e-9*(1+math.Abs(want.a[i])) {
						t.Fatalf("trial %d: %s entry %d = %g, %s gives %g", trial, tt.src, i, want.a[i], got, have.a[i])
					}
				}
			}
		})
	}
}

// TestIdentityRulesListed: every identity is a named rule with a human
// description, listed with the matrix calculus's rules.
func TestIdentityRulesListed(t *testing.T) {
	var names []string
	for _, r := range matrix.Rules() {
		if r.Doc == "" || strings.Contains(r.Doc, "_") {
			t.Errorf("rule %s: description %q", r.Name, r.Doc)
		}
		names = append(names, r.Name)
	}
	for _, want := range []string{"inv_inv", "inv_transpose", "det_transpose", "logdet_transpose", "det_inv", "logdet_inv",
		"eye_product", "zero_matrix", "symmetric_transpose", "matrix_like_terms", "matrix_scalar_out", "outer_sign", "symmetric_gradient",
		"inv_cancel", "inv_transpose_cancel"} {
		if !slices.Contains(names, want) {
			t.Errorf("rule %s is not listed", want)
		}
	}
}

// TestZeros: zeros(n) and zeros(n, m) parse, have shapes, print in the
// three styles and evaluate.
func TestZeros(t *testing.T) {
	opt, pctx := symSetup(t)
	tests := []struct{ src, shape, plain, unicode, latex, value string }{
		{"zeros(m)", "m×1", "zeros(m)", "zeros(m)", `\mathbf{0}_{m}`, "[0, 0]"},
		{"zeros(m, d)", "m×d", "zeros(m, d)", "zeros(m, d)", `\mathbf{0}_{m \times d}`, "[[0, 0, 0], [0, 0, 0]]"},
		{"A*zeros(m, d)", "m×d", "A*zeros(m, d)", "A·zeros(m, d)", `\mathbf{A} \mathbf{0}_{m \times d}`, "[[0, 0, 0], [0, 0, 0]]"},
	}
	for _, tt := range tests {
		e, err := parser.ParseExpr(tt.src, pctx)
		if err != nil {
			t.Fatalf("%s: %v", tt.src, err)
		}
		tr := matrix.NewTranslator(opt.Decls, opt.Simplify.Defs)
		s, err := tr.Shape(e)
		if err != nil {
			t.Fatalf("%s: %v", tt.src, err)
		}
		if s.String() != tt.shape {
			t.Errorf("shape of %s = %s, want %s", tt.src, s, tt.shape)
		}
		if got := ast.String(e); got != tt.plain {
			t.Errorf("plain %s = %s", tt.src, got)
		}
		if got, _ := ast.Format(e, ast.Unicode); got != tt.unicode {
			t.Errorf("Unicode %s = %s, want %s", tt.src, got, tt.unicode)
		}
		if got, _ := ast.FormatShaped(e, ast.LaTeX, opt.Decls); got != tt.latex {
			t.Errorf("LaTeX %s = %s, want %s", tt.src, got, tt.latex)
		}
		b := ast.Bindings{"m": ast.Scalar(2), "d": ast.Scalar(3), "A": {Shape: []int{2, 2}, Data: []float64{1, 2, 3, 4}}}
		v, err := matrix.Eval(context.Background(), e, b, opt, opt.Simplify.Rules.Defs())
		if err != nil {
			t.Fatalf("eval %s: %v", tt.src, err)
		}
		if got := matrix.FormatValue(v); got != tt.value {
			t.Errorf("eval %s = %s, want %s", tt.src, got, tt.value)
		}
	}
	if _, err := parser.ParseExpr("zeros(2.5)", pctx); err == nil {
		t.Errorf("zeros(2.5): no error")
	}
}

// TestSymmetricGradient: derivatives by a symmetric matrix follow the
// convention of MatrixCalculus.org and PyTorch, the unconstrained
// gradient symmetrised. The result R must be symmetric, and for every
// symmetric direction E (E[i,j] = E[j,i] = 1) the central finite
// difference of f along E must equal sum(R .* E); both evaluated by
// refEval at random symmetric, well-conditioned T.
func TestSymmetricGradient(t *testing.T) {
	opt, pctx := symSetup(t)
	tests := []struct{ src, want string }{
		{"d(logdet(T), T)", "inv(T)"},
		{"d(det(T), T)", "det(T)*inv(T)"},
		{"d((logdet(T) + (x - mu)'*inv(T)*(x - mu))/2, T)", "(inv(T) - inv(T)*(x - mu)*(x - mu)'*inv(T))/2"},
		{"d(logdet(T) + (x - mu)'*inv(T)*(x - mu), T)", "inv(T) - inv(T)*(x - mu)*(x - mu)'*inv(T)"},
		{"d(x'*T*mu, T)", "(x*mu' + mu*x')/2"},
		{"d(tr(T*T), T)", "2*T"},
		{"d(tr(A*T), T)", "(A + A')/2"},
		{"d(tr(inv(T)), T)", "-(inv(T)*inv(T))"},
		{"d(x'*inv(T)*x, T)", "-(inv(T)*x*x'*inv(T))"},
		{"d(sum(T .* A), T)", "(A + A')/2"},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			e, err := parser.ParseExpr(tt.src, pctx)
			if err != nil {
				t.Fatal(err)
			}
			r, err := matrix.Simplify(context.Background(), e, opt)
			if err != nil {
				t.Fatal(err)
			}
			if r.Value == nil {
				t.Fatalf("%s: %v", tt.src, r.NoForm)
			}
			got := ast.String(r.Value)
			if got != tt.want {
				t.Errorf("%s = %s, want %s", tt.src, got, tt.want)
			}
			if !strings.Contains(r.Convention, "symmetrised") {
				t.Errorf("%s: convention not stated: %q", tt.src, r.Convention)
			}
			f := e.(*ast.Deriv).X
			rng := rand.New(rand.NewPCG(uint64(len(tt.src)), 37))
			for trial := range 3 {
				env := drawRef(rng, opt.Decls)
				res, err := refEval(r.Value, env)
				if err != nil {
					t.Fatal(err)
				}
				n := res.r
				for i := range n {
					for j := range n {
						if math.Abs(res.at(i, j)-res.at(j, i)) > 1e-9*(1+math.Abs(res.at(i, j))) {
							t.Fatalf("trial %d: %s is not symmetric at [%d,%d]", trial, got, i, j)
						}
					}
				}
				const h = 1e-6
				for i := range n {
					for j := range i + 1 {
						at := func(delta float64) float64 {
							m := env["T"].clone()
							m.a[i*n+j] += delta
							if i != j {
								m.a[j*n+i] += delta
							}
							e2 := map[string]refMat{}
							for k, v := range env {
								e2[k] = v
							}
							e2["T"] = m
							v, err := refEval(f, e2)
							if err != nil {
								t.Fatal(err)
							}
							return v.a[0]
						}
						fd := (at(h) - at(-h)) / (2 * h)
						want := res.at(i, j)
						if i != j {
							want += res.at(j, i)
						}
						if math.Abs(fd-want) > 1e-5*(1+math.Abs(fd)) {
							t.Fatalf("trial %d: along E[%d,%d], finite differences give %.10g, sum(R .* E) = %.10g", trial, i, j, fd, want)
						}
					}
				}
			}
		})
	}
}

// TestProveSymmetric: proofs with a symmetric matrix never refute a true
// identity because the index form takes T[i,j] and T[j,i] as
// independent; counterexamples are symmetric.
func TestProveSymmetric(t *testing.T) {
	opt, pctx := symSetup(t)
	tests := []struct{ a, b, verdict string }{
		{"T'", "T", "proved"},
		{"inv(T)'", "inv(T)", "proved"},
		{"(T*A)'", "A'*T", "proved"},     // true: T's entries symmetrised
		{"x'*T*mu", "mu'*T*x", "proved"}, // true: T's entries symmetrised
		{"d((logdet(T) + (x - mu)'*inv(T)*(x - mu))/2, mu)", "inv(T)*(mu - x)", "proved"},
		{"d(x'*T*mu, T)", "(x*mu' + mu*x')/2", "proved"},
		{"d(x'*T*mu, T)", "x*mu'", "refuted"}, // the unconstrained gradient is not the convention
		{"T*A", "A*T", "refuted"},
		{"T", "eye(m)", "refuted"},
		{"x'*T*x", "c", "refuted"}, // c, undeclared, is drawn as a scalar
		{"T", "c*eye(m)", "refuted"},
	}
	for _, tt := range tests {
		_, _, pr, ok := proveClaim(t, opt, pctx, tt.a, tt.b, tt.verdict)
		if !ok || pr.Verdict != prove.Refuted {
			continue
		}
		if v, ok := pr.Counter.Bindings["T"]; ok {
			n := v.Shape[0]
			for i := range n {
				for j := range n {
					if v.Data[i*n+j] != v.Data[j*n+i] {
						t.Errorf("prove %s == %s: the counterexample's T is not symmetric: %s", tt.a, tt.b, matrix.FormatValue(v))
					}
				}
			}
		}
	}
}

// TestSymmetricTensor: a derivative by a symmetric matrix with no matrix
// form (a vector or matrix by T) is symmetrised entry by entry: along the
// symmetric direction E with E[k,l] = E[l,k] = 1, the central finite
// difference of F's entry equals R[..,k,l] + R[..,l,k] (R[..,k,k] on the
// diagonal), the reference evaluator computing F.
func TestSymmetricTensor(t *testing.T) {
	opt, pctx := symSetup(t)
	for _, src := range []string{"d(T*x, T)", "d(inv(T), T)", "d(T*T, T)"} {
		e, err := parser.ParseExpr(src, pctx)
		if err != nil {
			t.Fatal(err)
		}
		r, err := matrix.Simplify(context.Background(), e, opt)
		if err != nil {
			t.Fatal(err)
		}
		if r.Value != nil || !strings.Contains(r.Note(), "symmetrised") {
			t.Fatalf("%s: value %v, note %q", src, r.Value, r.Note())
		}
		f := e.(*ast.Deriv).X
		env := drawRef(rand.New(rand.NewPCG(11, uint64(len(src)))), opt.Decls)
		b := ast.Bindings{}
		for k, v := range env {
			if s, ok := opt.Decls[k]; ok {
				b[k] = v.value(s)
			} else {
				b[k] = v.value(ast.ScalarShape)
			}
		}
		for _, a := range r.Atoms {
			v, err := refEval(a.Expr(), env)
			if err != nil {
				t.Fatal(err)
			}
			b[a.Name] = v.value(ast.MatrixShape(a.Size, a.Size))
		}
		fv, err := refEval(f, env)
		if err != nil {
			t.Fatal(err)
		}
		n := env["T"].r
		entry := func(p, k, l int) float64 { // R at f's entry p and T's (k, l), from 0
			var pos []int
			if fv.r > 1 {
				pos = append(pos, p/fv.c+1)
			}
			if fv.c > 1 {
				pos = append(pos, p%fv.c+1)
			}
			pos = append(pos, k+1, l+1)
			bb := ast.Bindings{}
			for k, v := range b {
				bb[k] = v
			}
			for i, name := range r.Indices {
				bb[name] = ast.Scalar(float64(pos[i]))
			}
			v, err := ast.Eval(r.Simplified.Expr, nil, bb)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		const h = 1e-6
		for k := range n {
			for l := range k + 1 {
				shift := func(delta float64) refMat {
					m := env["T"].clone()
					m.a[k*n+l] += delta
					if k != l {
						m.a[l*n+k] += delta
					}
					e2 := map[string]refMat{}
					for name, v := range env {
						e2[name] = v
					}
					e2["T"] = m
					v, err := refEval(f, e2)
					if err != nil {
						t.Fatal(err)
					}
					return v
				}
				plus, minus := shift(h), shift(-h)
				for p := range fv.a {
					fd := (plus.a[p] - minus.a[p]) / (2 * h)
					rkl, rlk := entry(p, k, l), entry(p, l, k)
					if math.Abs(rkl-rlk) > 1e-9*(1+math.Abs(rkl)) {
						t.Fatalf("%s: entry %d at [%d,%d] = %g, at [%d,%d] = %g: not symmetric", src, p, k+1, l+1, rkl, l+1, k+1, rlk)
					}
					want := rkl
					if k != l {
						want += rlk
					}
					if math.Abs(fd-want) > 1e-5*(1+math.Abs(fd)) {
						t.Fatalf("%s: entry %d along E[%d,%d]: finite differences %g, the result %g", src, p, k+1, l+1, fd, want)
					}
				}
			}
		}
	}
}

// TestSymmetricDeclaration: S : symmetric(d) declares a square matrix
// that prints back as declared, and its transpose is itself.
func TestSymmetricDeclaration(t *testing.T) {
	ctx := load.Context(load.Builtin(), &ast.Defs{})
	stmts, err := parser.ParseFile("decl", "S : symmetric(d)\nB : symmetric(3)\n", ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"S : symmetric(d)", "B : symmetric(3)"} {
		d := stmts[i].Stmt.(*ast.DeclStmt)
		if got := d.String(); got != want {
			t.Errorf("declaration prints as %q, want %q", got, want)
		}
		if !d.Shape.Symmetric || d.Shape.Rows != d.Shape.Cols {
			t.Errorf("%s: shape %+v", want, d.Shape)
		}
	}
	for _, bad := range []string{"S : symmetric(n, d)", "S : symmetric"} {
		if _, err := parser.ParseFile("decl", bad, load.Context(load.Builtin(), &ast.Defs{})); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}
