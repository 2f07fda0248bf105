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

// shower returns a function that writes an expression in the input
// syntax as it reads where the engine's definitions are in force: where
// the user's sigma shadows the built-in, the built-in is written sigmoid
// (the header comment and gradcheck's report are read beside the script).
func (en Engine) shower() func(ast.Expr) string {
	defs := en.allDefs()
	return func(e ast.Expr) string {
		s, _ := ast.FormatIn(e, ast.Plain, defs)
		return s
	}
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
	// sum(i, if(c[i], a[i]*delta(i, k), b[i]*delta(i, k))), the gradient
	// of a sum of ifs, would be a loop over i for every k: with the
	// delta taken out of the if, the sum over i collapses to
	// if(c[k], a[k], b[k]).
	if f, ok := deltaOutOfIf(out); ok {
		ranges := simplify.InferRanges(en.Defs, nil, e, v)
		r2, err := simplify.Simplify(ctx, f, simplify.Options{Defs: en.Defs, Rules: en.Rules, Expanded: true, Ranges: ranges})
		if err != nil {
			return nil, err
		}
		if r2.Stop == simplify.StopFixpoint {
			out = en.allDefs().Expand(r2.Expr)
		}
	}
	if err := noConditions(out); err != nil {
		return nil, fmt.Errorf("d(%s, %s): %w", ast.String(e), ast.String(v), err)
	}
	return out, nil
}

// deltaOutOfIf rewrites if(c, delta(i, k)*a, delta(i, k)*b) as
// delta(i, k)*if(c, a, b) (a piece may also be 0, or a quotient or
// negation with the delta in its numerator): equal everywhere, since
// delta is 0 or 1. ok says whether anything changed.
func deltaOutOfIf(e ast.Expr) (ast.Expr, bool) {
	changed := false
	out := ast.Map(e, func(x ast.Expr) ast.Expr {
		f, isIf := x.(*ast.If)
		if !isIf {
			return x
		}
		da, ra, okA := splitDelta(f.Then)
		db, rb, okB := splitDelta(f.Else)
		switch {
		case !okA || !okB:
			return x
		case da == nil:
			da = db
		case db != nil && da != db:
			return x
		}
		if da == nil {
			return x // both pieces 0
		}
		changed = true
		return ast.NewMul(da, ast.NewIf(f.Cond, ra, rb))
	})
	return out, changed
}

// splitDelta writes p as delta(i, k)*rest; d is nil when p is 0 (which
// is delta*0 for any delta).
func splitDelta(p ast.Expr) (d ast.Expr, rest ast.Expr, ok bool) {
	switch p := p.(type) {
	case *ast.Num:
		if ast.IsNum(p, 0) {
			return nil, p, true
		}
	case *ast.Call:
		if p.Fn == "delta" {
			return p, ast.One, true
		}
	case *ast.Neg:
		if d, r, ok := splitDelta(p.X); ok && d != nil {
			return d, ast.NewNeg(r), true
		}
	case *ast.Div:
		if d, r, ok := splitDelta(p.X); ok && d != nil {
			return d, ast.NewDiv(r, p.Y), true
		}
	case *ast.Mul:
		for i, f := range p.Factors {
			if d, r, ok := splitDelta(f); ok && d != nil { // delta, or -delta
				rest := append([]ast.Expr{}, p.Factors...)
				rest[i] = r
				return d, ast.NewMul(rest...), true
			}
		}
	}
	return nil, nil, false
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
