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
)

// demoScript is a copy of examples/logistic.sd (a test keeps them equal).
//
//go:embed demo/logistic.sd
var demoScript string

// DemoCmd runs the seed example with commentary.
type DemoCmd struct {
	Ascii bool `help:"Print formulas in the input syntax instead of Unicode."`
}

func (c *DemoCmd) Run(ctx context.Context, app *App) error { return c.run(ctx, app, demoScript) }

// run shows the demo of script, which must compute the derivatives the
// commentary is about; if it does not, run says which is missing.
func (c *DemoCmd) run(ctx context.Context, app *App, script string) error {
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
	var order []*session.Result
	for _, stmt := range stmts {
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

	section("Conclusion")
	fmt.Fprintln(w, "   Both gradients are (c/n)·Xᵀ(ŷ − y): features times residual (prediction − label),")
	fmt.Fprintln(w, "     logistic regression:  ŷ = σ(Xw), c = 1   ∇CE  = (1/n)·Xᵀ(σ(Xw) − y)")
	fmt.Fprintln(w, "     linear regression:    ŷ = Xw,    c = 2   ∇MSE = (2/n)·Xᵀ(Xw − y)")
	fmt.Fprintln(w, "   They share a form, not a value (σ(Xw) is not Xw), and it is no coincidence: both are")
	fmt.Fprintln(w, "   generalised linear models with their canonical link (logit for Bernoulli labels, identity")
	fmt.Fprintln(w, "   for Gaussian ones). With a canonical link, the derivative of the link's inverse cancels the")
	fmt.Fprintln(w, "   variance in the log-likelihood's derivative, leaving features times residual.")
	fmt.Fprintln(w, "   Not so for a non-canonical link such as probit (ŷ = Φ(z)): its gradient keeps")
	fmt.Fprintln(w, "   φ(z)/(Φ(z)(1 − Φ(z))), as `symdiff diff` on its cross-entropy shows.")
	return nil
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
