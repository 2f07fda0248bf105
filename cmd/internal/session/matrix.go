package session

import (
	"context"
	"maps"
	"strings"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/ast/shape"
	"github.com/symdiff/symdiff/simplify/matrix"
)

// Vectors and matrices: a statement that mentions a declared vector or
// matrix runs through package simplify/matrix, which works in index form
// and translates the result back.

func (s *Session) matrixOptions() matrix.Options {
	return matrix.Options{Decls: s.Decls, Simplify: s.options()}
}

// claimOptions are matrixOptions for a proof, without the name _: a claim
// never reads it (_ is replaced by the last value), but the session
// declares it after a matrix result (declareLast) in the REPL and the
// playground, and in run only when a later statement uses it, so a
// proof's sizes and random points must not depend on it.
func (s *Session) claimOptions() matrix.Options {
	o := s.matrixOptions()
	if _, ok := o.Decls[lastName]; ok {
		o.Decls = maps.Clone(o.Decls)
		delete(o.Decls, lastName)
	}
	return o
}

// involved reports whether e is a matrix expression in this session.
func (s *Session) involved(e ast.Expr) bool {
	return shape.New(s.Decls, s.Defs).Involved(e)
}

// Involved reports whether e is a vector or matrix expression in this
// session, worked out by MatrixValue.
func (s *Session) Involved(e ast.Expr) bool { return s.involved(e) }

// MatrixValue works out a matrix expression into r, as a statement does.
func (s *Session) MatrixValue(ctx context.Context, r *Result, e ast.Expr) error {
	return s.matrixValue(ctx, r, e)
}

// matrixValue works out a matrix expression.
func (s *Session) matrixValue(ctx context.Context, r *Result, e ast.Expr) error {
	ctx, cancel := s.limit(ctx)
	defer cancel()
	r.Expr = e
	m, err := matrix.Simplify(ctx, e, s.matrixOptions())
	if err != nil {
		return explain(err, ctx)
	}
	r.Matrix, r.Simplified = m, m.Simplified
	r.Notes = sentences(m.Notes)
	if m.Value != nil {
		r.Value = m.Value
		r.Note = strings.Join(m.Notes, "\n  ")
		return nil
	}
	// No matrix form: say so first, and still which assumptions the index
	// form used (a result that holds by an assumption says so).
	r.Value = m.Simplified.Expr
	r.Notes = append([]string{m.Note()}, r.Notes...)
	r.Note = strings.Join(append([]string{"(" + m.Note() + ")"}, m.Notes...), "\n  ")
	return nil
}

// sentences are notes without the parentheses that set them apart under
// a value in text: "(by assumption sum(y) == 1)" is "by assumption
// sum(y) == 1" in JSON.
func sentences(notes []string) []string {
	out := make([]string, 0, len(notes))
	for _, n := range notes {
		if enclosed(n) {
			n = n[1 : len(n)-1]
		}
		out = append(out, n)
	}
	return out
}

// enclosed reports whether s is one parenthesised whole: "(a (b))", not
// "(a) and (b)".
func enclosed(s string) bool {
	if !strings.HasPrefix(s, "(") || !strings.HasSuffix(s, ")") {
		return false
	}
	depth := 0
	for i, r := range s {
		switch r {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 && i != len(s)-1 {
				return false
			}
		}
	}
	return depth == 0
}

// Declare records the shape of a name.
func (s *Session) Declare(name string, sh ast.Shape) {
	if s.Decls == nil {
		s.Decls = map[string]ast.Shape{}
	}
	s.Decls[name] = sh
}

// DeclareBindings declares the names bound to vectors (n×1) and matrices
// that are not declared yet, with numeric sizes, so that symdiff eval
// 'X*w' X=[[1,2],[3,4]] w=[1,1] reads X and w as a matrix and a vector.
// Names that are defined are left alone.
func (s *Session) DeclareBindings(b ast.Bindings) {
	for name, v := range b {
		if _, ok := s.Decls[name]; ok {
			continue
		}
		if _, ok := s.Defs.Lookup(name); ok {
			continue
		}
		if len(v.Data) == 1 {
			continue // x=[5]: declared, vector(1) is a scalar and x[1] an error
		}
		switch len(v.Shape) {
		case 1:
			s.Declare(name, ast.VectorShape(ast.NewInt(int64(v.Shape[0]))))
		case 2:
			s.Declare(name, ast.MatrixShape(ast.NewInt(int64(v.Shape[0])), ast.NewInt(int64(v.Shape[1]))))
		}
	}
}

// EvalValue evaluates e numerically: a scalar, or a vector or matrix
// entry by entry.
func (s *Session) EvalValue(ctx context.Context, e ast.Expr, b ast.Bindings) (ast.Value, error) {
	if !s.involved(e) {
		v, err := s.Eval(ctx, e, b)
		if v == 0 {
			v = 0 // +0: x*y*pi at x = -1, y = 0 printed -0 (as matrix.Eval's entries are +0)
		}
		return ast.Scalar(v), s.sizeHint(e, b, err)
	}
	ctx, cancel := s.limit(ctx)
	defer cancel()
	// Each entry as a scalar is evaluated: x.^4 at x = [1e-83, 1] is no
	// [0, 1], as x^4 at 1e-83 is no 0.
	opt := s.matrixOptions()
	opt.EvalEntry = s.evalAt
	v, err := matrix.Eval(ctx, e, b, opt, s.Rules.Defs())
	return v, explain(err, ctx)
}

// FormatValue prints a value so that it reads back as a binding: 0.5,
// [1, 2], [[1, 2], [3, 4]].
func FormatValue(v ast.Value) string { return matrix.FormatValue(v) }
