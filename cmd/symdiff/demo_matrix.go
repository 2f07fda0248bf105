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
	"github.com/symdiff/symdiff/simplify/explain"
	"github.com/symdiff/symdiff/simplify/prove"
)

// The demo's matrix part: the same two losses written in matrix notation
// (examples/logistic-matrix.sd), differentiated by the whole vector w.
// Nothing of the answer is written here: the gradients are what the
// matrix calculus computes from the losses, and each is proved equal to
// the residual form c·Xᵀ(μ(Xw) − y) built from the c and μ that explain
// found for the index-form loss of the same name.

// demoMatrixScript is a copy of examples/logistic-matrix.sd (a test keeps
// them equal).
//
//go:embed demo/logistic-matrix.sd
var demoMatrixScript string

// matrixDemo is the matrix part, computed before anything is printed.
type matrixDemo struct {
	s     *session.Session
	p     *session.Printer
	stmts []*parser.Statement
	ce    *session.Result // d(CE, w)
	mse   *session.Result // d(MSE, w)
	hess  *session.Result // hessian(CE, w)
	// proofs of d(CE, w) and d(MSE, w) against the residual form.
	proofs []*prove.Proof
}

// matrixPart runs the matrix script and finds the results the demo
// quotes.
func (c *DemoCmd) matrixPart(ctx context.Context, app *App, script string) (*matrixDemo, error) {
	s := session.New()
	st := ast.Unicode
	if c.Ascii {
		st = ast.Plain
	}
	m := &matrixDemo{s: s, p: &session.Printer{Style: st, S: s}}
	stmts, err := parser.ParseFile("examples/logistic-matrix.sd", script, s.Context())
	if err != nil {
		return nil, err
	}
	m.stmts = stmts
	var order []*session.Result
	for _, stmt := range stmts {
		r, err := s.Exec(ctx, stmt)
		if err != nil {
			return nil, session.At(script, stmt, err)
		}
		app.note(r.Status)
		order = append(order, r)
	}
	for _, q := range []struct {
		dst  **session.Result
		expr string
	}{{&m.ce, "d(CE, w)"}, {&m.mse, "d(MSE, w)"}, {&m.hess, "hessian(CE, w)"}} {
		if *q.dst, err = computed(s, order, q.expr); err != nil {
			return nil, err
		}
		if (*q.dst).Matrix == nil || (*q.dst).Matrix.Value == nil {
			return nil, fmt.Errorf("demo: %s has no matrix form", q.expr)
		}
	}
	return m, nil
}

// computed returns the result of the statement that computes src among rs,
// found by the hash-consed node as derivative does.
func computed(s *session.Session, rs []*session.Result, src string) (*session.Result, error) {
	want, err := parser.ParseExpr(src, s.Context())
	if err != nil {
		return nil, fmt.Errorf("demo: the matrix script cannot compute %s: %w", src, err)
	}
	for _, r := range rs {
		if r.Expr == want && r.Value != nil {
			return r, nil
		}
	}
	return nil, fmt.Errorf("demo: the matrix script does not compute %s", src)
}

// prove proves each computed gradient equal to c·Xᵀ(μ(X*w) − y), with c
// and μ as explain found them for the loss of the same name (μ written
// as a function of the predictor z, which is X*w here).
func (m *matrixDemo) prove(ctx context.Context, app *App, ex map[string]*explain.Explanation) error {
	xw, err := parser.ParseExpr("X*w", m.s.Context())
	if err != nil {
		return err
	}
	for _, q := range []struct {
		name string
		r    *session.Result
	}{{"CE", m.ce}, {"MSE", m.mse}} {
		name, r, e := q.name, q.r, ex[q.name]
		mu := ast.Map(demoZ(e, e.Mu), func(n ast.Expr) ast.Expr {
			if s, ok := n.(*ast.Sym); ok && s.Name == "z" {
				return xw
			}
			return n
		})
		src := fmt.Sprintf("prove %s == (%s)*X'*((%s) - y)", ast.String(r.Expr), ast.String(e.C), ast.String(mu))
		stmts, err := parser.ParseFile("demo", src, m.s.Context())
		if err != nil {
			return fmt.Errorf("demo: the residual form of %s: %w", name, err)
		}
		pr, err := m.s.Exec(ctx, stmts[0])
		if err != nil {
			return fmt.Errorf("demo: %s: %w", src, err)
		}
		app.note(pr.Status)
		if pr.Proof == nil || pr.Proof.Verdict != prove.Proved {
			return fmt.Errorf("demo: the matrix gradient of %s was not proved to be the residual form: %s", name, src)
		}
		m.proofs = append(m.proofs, pr.Proof)
	}
	return nil
}

// print writes section 7.
func (m *matrixDemo) print(w io.Writer) {
	p := m.p
	fmt.Fprintln(w, "\n7. In matrix notation (examples/logistic-matrix.sd): X is the n×d design matrix, w and y vectors.")
	fmt.Fprintln(w, "   symdiff differentiates by the whole vector w: it translates to index form, differentiates there,")
	fmt.Fprintln(w, "   and translates the result back.")
	for _, stmt := range m.stmts {
		if d, ok := stmt.Stmt.(*ast.DefStmt); ok {
			fmt.Fprintf(w, "    %s := %s\n", p.Expr(d.Def.Head()), p.Expr(d.Def.Body))
		}
	}
	for _, r := range []struct {
		label string
		v     ast.Expr
	}{{m.grad("CE"), m.ce.Value}, {m.grad("MSE"), m.mse.Value}, {m.hessName("CE"), m.hess.Value}} {
		pad := strings.Repeat(" ", max(0, len([]rune(m.hessName("CE")))-len([]rune(r.label))))
		fmt.Fprintf(w, "   %s%s = %s\n", r.label, pad, p.Expr(r.v))
	}
	fmt.Fprintln(w, "   Each gradient is c·Xᵀ(μ(Xw) − y) with the c and μ that explain found above, proved entry by entry:")
	for _, pr := range m.proofs {
		var b strings.Builder
		p.Proof(&b, pr, false)
		indent(w, b.String(), "   ")
	}
}

// grad names a gradient by w: ∇_w CE, or d(CE, w) in the input syntax.
func (m *matrixDemo) grad(loss string) string {
	if m.p.Style == ast.Plain {
		return "d(" + loss + ", w)"
	}
	return "∇_w " + loss
}

func (m *matrixDemo) hessName(loss string) string {
	if m.p.Style == ast.Plain {
		return "hessian(" + loss + ", w)"
	}
	return "∇²_w " + loss
}
