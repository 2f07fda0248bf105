package main

import (
	"context"
	_ "embed"
	"fmt"
	"io"
	"strings"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/cmd/internal/session"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/simplify"
	"github.com/symdiff/symdiff/simplify/explain"
)

// demoScript is a copy of examples/logistic.sd (a test keeps them equal).
//
//go:embed demo/logistic.sd
var demoScript string

// DemoCmd runs the seed example with commentary.
type DemoCmd struct {
	Ascii bool `help:"Print formulas in the input syntax instead of Unicode."`
}

func (c *DemoCmd) Run(ctx context.Context, app *App) error {
	return c.run(ctx, app, demoScript, demoMatrixScript)
}

// run shows the demo of script and, in matrix notation, matrixScript,
// which must compute the derivatives the commentary is about; if they do
// not, run says which is missing.
func (c *DemoCmd) run(ctx context.Context, app *App, script, matrixScript string) error {
	s := session.New()
	st := ast.Unicode
	if c.Ascii {
		st = ast.Plain
	}
	p := &session.Printer{Style: st, S: s}
	w := app.Stdout
	stmts, err := parser.ParseFile("examples/logistic.sd", script, s.Context())
	if err != nil {
		return err
	}
	probit, err := parser.ParseFile("demo", probitSrc, s.Context())
	if err != nil {
		return err
	}
	var order []*session.Result
	for _, stmt := range append(stmts, probit...) {
		r, err := s.Exec(ctx, stmt)
		if err != nil {
			return session.At(script, stmt, err)
		}
		app.note(r.Status)
		order = append(order, r)
	}
	// The results the commentary quotes are found by what they compute,
	// not by how the script spells them, and looked up before anything is
	// printed.
	ceZ, err := derivative(s, order, "CE", "z[m]")
	if err != nil {
		return err
	}
	ceW, err := derivative(s, order, "CE", "w[k]")
	if err != nil {
		return err
	}
	mse, err := derivative(s, order, "MSE", "w[k]")
	if err != nil {
		return err
	}
	sq, err := derivative(s, order, "SQ", "w[k]")
	if err != nil {
		return err
	}
	mat, err := c.matrixPart(ctx, app, matrixScript)
	if err != nil {
		return err
	}

	fmt.Fprintln(w, "Why is the gradient of the logistic-regression loss \"the same\" as the least-squares gradient?")
	fmt.Fprintln(w, "symdiff differentiates both losses, simplifies, and proves what can be proved.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "The model (examples/logistic.sd): n samples x[i,1..d], labels y[i], weights w[1..d].")
	for _, stmt := range stmts {
		if d, ok := stmt.Stmt.(*ast.DefStmt); ok && d.Def.Name != "SQ" {
			fmt.Fprintf(w, "    %s := %s\n", p.Expr(d.Def.Head()), p.Expr(d.Def.Body))
		}
	}
	section := func(title string) { fmt.Fprintf(w, "\n%s\n", title) }

	section("1. Cross-entropy through the linear predictor z: the chain rule through log and σ,")
	fmt.Fprintln(w, "   with σ'(z) = σ(z)(1 − σ(z)), cancels down to the residual.")
	if err := derivation(app, s, p, ceZ); err != nil {
		return err
	}

	section("2. Cross-entropy with respect to a weight: the residual times the feature.")
	if err := derivation(app, s, p, ceW); err != nil {
		return err
	}

	section("3. Least squares for linear regression (q = z, no sigmoid): the same shape, with a 2.")
	fmt.Fprintf(w, "   ∂MSE/∂wₖ = %s\n", p.Expr(mse.Value))

	section("4. The claims, proved or refuted:")
	for _, r := range order {
		if r.Proof == nil {
			continue
		}
		var b strings.Builder
		p.Proof(&b, r.Proof, r.Neq)
		for _, line := range strings.Split(strings.TrimRight(b.String(), "\n"), "\n") {
			fmt.Fprintf(w, "   %s\n", line)
		}
	}

	section("5. The contrast: squared error on the sigmoid output, SQ = mean((y − p)²).")
	fmt.Fprintf(w, "   ∂SQ/∂wₖ = %s\n", p.Expr(sq.Value))
	fmt.Fprintln(w, "   The factor p(1 − p) = σ'(z) does not cancel: this gradient is not the residual form,")
	fmt.Fprintln(w, "   and it vanishes when σ saturates even if the prediction is wrong.")

	// The conclusion is drawn from explain, on both losses and on the
	// probit contrast, computed the same way.
	ex := map[string]*explain.Explanation{}
	explained := []string{"CE", "MSE", "SQ", probitName}
	if _, ok := s.Defs.Lookup(softmaxName); ok {
		explained = append(explained, softmaxName) // with its one-hot assumption
	}
	for _, name := range explained {
		e, err := s.Explain(ctx, ast.NewSym(name), session.ExplainOptions{})
		if err != nil {
			return fmt.Errorf("demo: explain %s: %w", name, err)
		}
		app.note(session.ExplainStatus(e))
		ex[name] = e
	}
	ce, mseX, sqX, pr := ex["CE"], ex["MSE"], ex["SQ"], ex[probitName]
	for _, e := range []*explain.Explanation{ce, mseX} {
		if !e.Canonical() || e.Weights == nil {
			return fmt.Errorf("demo: explain did not find the residual form of %s", p.Expr(e.Loss))
		}
	}
	for _, e := range []*explain.Explanation{sqX, pr} {
		if e.Verdict != explain.NotResidual || e.Factor == nil {
			return fmt.Errorf("demo: explain did not refute the residual form of %s", p.Expr(e.Loss))
		}
	}

	if err := mat.prove(ctx, app, ex); err != nil {
		return err
	}

	section("6. Why: symdiff explain asks whether ∂ℓ/∂z is c·(μ(z) − y), i.e. whether ∂²ℓ/∂z∂y is a constant −c.")
	fmt.Fprintf(w, "   The probit contrast: %s := %s\n", p.Expr(ast.NewSym(probitName)), p.Expr(probitDef(s).Body))
	for _, name := range explained {
		var b strings.Builder
		fmt.Fprintln(&b)
		p.Explanation(&b, name, ex[name])
		indent(w, b.String(), "   ")
	}

	mat.print(w)

	section("Conclusion (drawn from explain: each line rests on a proof or a counterexample above)")
	fmt.Fprintln(w, "   Both gradients are c·Xᵀ(μ(Xw) − y): features times residual (prediction − label),")
	for _, r := range []struct {
		label string
		e     *explain.Explanation
	}{{"logistic regression:", ce}, {"linear regression:  ", mseX}} {
		f := r.e.Family
		fmt.Fprintf(w, "     %s μ(z) = %s, c = %s, A(z) = %s: %s, canonical link %s\n", r.label,
			p.Expr(demoZ(r.e, r.e.Mu)), p.Expr(r.e.C), p.Expr(demoZ(r.e, f.A)), f.Name, f.Link)
	}
	fmt.Fprintf(w, "     %s  = %s    (derived from the matrix loss and proved, section 7)\n", mat.grad("CE"), mat.p.Expr(mat.ce.Value))
	fmt.Fprintf(w, "     %s = %s\n", mat.grad("MSE"), mat.p.Expr(mat.mse.Value))
	fmt.Fprintln(w, "   They share a form, not a value (σ(Xw) is not Xw), and it is no coincidence: each loss is")
	fmt.Fprintln(w, "   c·(A(z) − y·z) + B(y), the negative log-likelihood of an exponential family with its canonical")
	fmt.Fprintln(w, "   link, so ∂ℓ/∂z = c·(A′(z) − y): the link's derivative cancels the family's variance.")
	if xe := ex[softmaxName]; xe != nil && xe.Canonical() && xe.Weights != nil && xe.Weights.Matrix != "" {
		fmt.Fprintf(w, "   Softmax with categorical cross-entropy is one more (labels one-hot): %s, %s,\n", xe.Family.Name, xe.Family.Note)
		fmt.Fprintf(w, "     ∇XE  = %s\n", xe.Weights.Matrix)
	}
	fmt.Fprintf(w, "   Not so for squared error on σ: W(z) = %s stays in front of the residual,\n", p.Expr(demoZ(sqX, sqX.Factor)))
	fmt.Fprintf(w, "   nor for probit (μ = %s): W(z) = %s, and ∂²ℓ/∂z∂y is not constant\n", p.Expr(demoZ(pr, pr.Mu)), p.Expr(demoZ(pr, pr.Factor)))
	fmt.Fprintln(w, "   (refuted with a counterexample above).")
	return nil
}

// softmaxName is the script's softmax cross-entropy, explained when the
// script defines it.
const softmaxName = "XE"

// probitName is the probit contrast the demo defines after the script.
const probitName = "PR"

// probitSrc is its definition: cross-entropy on Φ(z) instead of σ(z).
const probitSrc = "PR := -mean(i=1..n, y[i]*log(Phi(z[i])) + (1 - y[i])*log(1 - Phi(z[i])))"

func probitDef(s *session.Session) *ast.Def {
	d, _ := s.Defs.Lookup(probitName)
	return d
}

// demoZ shows a per-sample formula with the sample's predictor as z, as
// the conclusion's prose writes it: μ(z) = σ(z), not μ(zₘ) = pₘ.
func demoZ(e *explain.Explanation, x ast.Expr) ast.Expr {
	x = simplify.Tidy(e.ExpandExceptPredictor(x))
	return ast.Map(x, func(n ast.Expr) ast.Expr {
		if n == e.Z {
			return ast.NewSym("z")
		}
		return n
	})
}

// derivative returns the result of the statement d(name, v) among rs:
// trees are hash-consed, so the statement's expression is the very node
// parsed here however the script spaces or parenthesises it.
func derivative(s *session.Session, rs []*session.Result, name, v string) (*session.Result, error) {
	want, err := parser.ParseExpr("d("+name+", "+v+")", s.Context())
	if err != nil {
		return nil, fmt.Errorf("demo: the script does not define %s: %w", name, err)
	}
	for _, r := range rs {
		if r.Expr == want && r.Value != nil {
			return r, nil
		}
	}
	return nil, fmt.Errorf("demo: the script does not compute %s", ast.String(want))
}

// derivation prints the steps of a derivative the script computed: a
// rendering of the trace its simplification recorded.
func derivation(app *App, s *session.Session, p *session.Printer, r *session.Result) error {
	d, err := s.Steps(r)
	if err != nil {
		return err
	}
	var b strings.Builder
	p.Derivation(&b, d, false)
	indent(app.Stdout, b.String(), "   ")
	return nil
}

func indent(w io.Writer, text, prefix string) {
	for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		fmt.Fprintf(w, "%s%s\n", prefix, line)
	}
}
