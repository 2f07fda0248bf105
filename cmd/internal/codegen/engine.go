package codegen

// engine.go is the one place this package calls the symbolic engine
// (derive, simplify, the session's definitions and rules), so that a
// change to the engine's API is a change to this file only.

import (
	"context"
	"fmt"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/cmd/internal/session"
	"github.com/symdiff/symdiff/derive"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/rules"
	"github.com/symdiff/symdiff/rules/load"
	"github.com/symdiff/symdiff/simplify"
)

// Engine is what code generation needs from a session: the definitions
// and rules in force.
type Engine struct {
	Defs  *ast.Defs
	Rules *rules.Set
	// Decls are the declared shapes of vectors and matrices: a loss that
	// uses them is translated to index form first (matrix.go).
	Decls map[string]ast.Shape
}

// FromSession takes the definitions and rules of a session.
func FromSession(s *session.Session) Engine {
	return Engine{Defs: s.Defs, Rules: s.Rules, Decls: s.Decls}
}

// NewEngine returns an engine with the built-in rules and no definitions.
func NewEngine() Engine { return FromSession(session.New()) }

// LoadEngine returns an engine with the built-in rules, the rules of the
// rule files and the definitions (and rules) of the scripts.
func LoadEngine(ruleFiles, scripts []string) (Engine, error) {
	s := session.New()
	for _, f := range ruleFiles {
		if err := s.LoadRules(f); err != nil {
			return Engine{}, err
		}
	}
	for _, f := range scripts {
		if err := s.LoadDefs(f); err != nil {
			return Engine{}, err
		}
	}
	return FromSession(s), nil
}

// Parse parses an expression in the engine's context.
func (en Engine) Parse(src string) (ast.Expr, error) {
	c := load.Context(en.Rules, en.Defs)
	c.Shapes = en.Decls
	return parser.ParseExpr(src, c)
}

// allDefs returns the user's definitions together with the functions the
// rules define (swish(u) := ...), the user's taking precedence.
func (en Engine) allDefs() *ast.Defs {
	defs := &ast.Defs{}
	if en.Defs != nil {
		defs = en.Defs.Clone()
	}
	if en.Rules != nil {
		for _, d := range en.Rules.Defs().All() {
			if _, ok := defs.Lookup(d.Name); !ok {
				_ = defs.Define(d)
			}
		}
	}
	return defs
}

// expand replaces every defined name in e by its definition, and evaluates
// any derivative written in e.
func (en Engine) expand(ctx context.Context, e ast.Expr) (ast.Expr, error) {
	e, _, err := derive.Expand(ctx, e, derive.Options{Defs: en.Defs, Rules: en.Rules})
	if err != nil {
		return nil, err
	}
	out := en.allDefs().Expand(e)
	if err := noConditions(out); err != nil {
		return nil, err
	}
	return out, nil
}

// derivative differentiates e by v and simplifies the result, with the
// definitions expanded.
func (en Engine) derivative(ctx context.Context, e, v ast.Expr) (ast.Expr, error) {
	// Simplifying d(e, v) itself, not the raw derivative, lets the
	// simplifier take the range of v's index from e's sums (k in 1..d for
	// w[k]), so no condition the code cannot need is left in.
	r, err := simplify.Simplify(ctx, ast.NewDeriv(e, v), simplify.Options{Defs: en.Defs, Rules: en.Rules, Expanded: true})
	if err != nil {
		return nil, err
	}
	if r.Stop != simplify.StopFixpoint && ctx.Err() != nil {
		return nil, fmt.Errorf("differentiating by %s: %w", ast.String(v), ctx.Err())
	}
	out := en.allDefs().Expand(r.Expr)
	if err := noConditions(out); err != nil {
		return nil, fmt.Errorf("d(%s, %s): %w", ast.String(e), ast.String(v), err)
	}
	return out, nil
}

// noConditions refuses a result that holds only under a condition on its
// indices ([2 <= k <= n]): the emitters have no code for one yet, and an
// error is better than code that drops it.
func noConditions(e ast.Expr) error {
	if !ast.HasIverson(e) {
		return nil
	}
	var cond ast.Expr
	ast.InspectOnce(e, func(x ast.Expr) bool {
		if iv, ok := x.(*ast.Iverson); ok && cond == nil {
			cond = iv
		}
		return cond == nil
	})
	return errorf("it holds under the condition %s, and code generation does not handle conditions yet", ast.String(cond))
}

// defined returns the definition of a name, if any.
func (en Engine) defined(name string) (*ast.Def, bool) { return en.allDefs().Lookup(name) }

// evaluate evaluates e in float64 with the bindings (the independent
// oracle of the tests and of gradcheck).
func (en Engine) evaluate(ctx context.Context, e ast.Expr, b ast.Bindings) (float64, error) {
	return ast.EvalContext(ctx, e, en.allDefs(), b)
}
