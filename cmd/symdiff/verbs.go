package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/cmd/internal/session"
)

// The algebra verbs on the command line: each runs the same call a script
// would (expand(E), apart(E, x), subs(E, x, v)) and prints its result.

// verbCmd is what the verbs share: the engine flags, a printer and JSON.
type verbCmd struct {
	engine
	style
	JSON bool `name:"json" help:"Print a JSON object."`
}

// run parses the arguments, applies the verb and prints the result.
func (c *verbCmd) run(ctx context.Context, app *App, verb string, args ...arg) error {
	s, es, err := c.prepare(ctx, app, args...)
	if err != nil {
		return err
	}
	if len(es) == 2 {
		_, isCall := es[1].(*ast.Call)
		switch es[1].(type) {
		case *ast.Sym, *ast.Index:
		default:
			if !isCall || verb != "collect" {
				return fmt.Errorf("the second argument of %s must be a name like x or w[k], not %s", verb, args[1].src)
			}
		}
	}
	call := ast.NewCall(verb, es...)
	out, note, err := s.VerbNote(ctx, verb, es)
	if err != nil {
		srcs := make([]string, len(args))
		for i, a := range args {
			srcs[i] = a.src
		}
		return placeError(err, srcs...)
	}
	return c.print(ctx, app, s, call, out, note)
}

// print writes the result, and the verb's note (factor: irreducible) on
// a line of its own, in parentheses, or as "note" in JSON.
func (c *verbCmd) print(ctx context.Context, app *App, s *session.Session, in, out ast.Expr, note string) error {
	p := &session.Printer{Style: c.get(), S: s, Ctx: ctx}
	r := &session.Result{Input: ast.String(in), Expr: in, Value: out}
	if note != "" {
		// As a script shows it: under the value, and as "notes" in JSON
		// (the command keeps "note" too).
		r.Note, r.Notes = "("+note+")", []string{note}
	}
	if c.JSON {
		j := p.JSON(r)
		if m, ok := j.(map[string]any); ok && note != "" {
			m["note"] = note
		}
		if p.Stopped != nil {
			return p.Stopped
		}
		app.json(j)
		return nil
	}
	return p.Result(app.Stdout, r)
}

// ExpandCmd multiplies out.
type ExpandCmd struct {
	verbCmd
	Expr string `arg:"" name:"EXPR" help:"The expression."`
}

func (c *ExpandCmd) Run(ctx context.Context, app *App) error {
	return c.run(ctx, app, "expand", arg{c.Expr, "EXPR"})
}

// FactorCmd factors over the rationals.
type FactorCmd struct {
	verbCmd
	Expr string `arg:"" name:"EXPR" help:"The expression."`
}

func (c *FactorCmd) Run(ctx context.Context, app *App) error {
	return c.run(ctx, app, "factor", arg{c.Expr, "EXPR"})
}

// TogetherCmd writes one fraction.
type TogetherCmd struct {
	verbCmd
	Expr string `arg:"" name:"EXPR" help:"The expression."`
}

func (c *TogetherCmd) Run(ctx context.Context, app *App) error {
	return c.run(ctx, app, "together", arg{c.Expr, "EXPR"})
}

// ApartCmd writes partial fractions.
type ApartCmd struct {
	verbCmd
	Expr string `arg:"" name:"EXPR" help:"The expression, a rational function of VAR."`
	Var  string `arg:"" name:"VAR" help:"The variable: x, or an indexed name like w[k]."`
}

func (c *ApartCmd) Run(ctx context.Context, app *App) error {
	return c.run(ctx, app, "apart", arg{c.Expr, "EXPR"}, arg{c.Var, "VAR"})
}

// CollectCmd groups terms by powers of a variable.
type CollectCmd struct {
	verbCmd
	Expr string `arg:"" name:"EXPR" help:"The expression."`
	Var  string `arg:"" name:"VAR" help:"The variable (or a call such as sigma(z)) whose powers group the terms."`
}

func (c *CollectCmd) Run(ctx context.Context, app *App) error {
	return c.run(ctx, app, "collect", arg{c.Expr, "EXPR"}, arg{c.Var, "VAR"})
}

// SubsCmd substitutes and simplifies.
type SubsCmd struct {
	verbCmd
	Expr  string   `arg:"" name:"EXPR" help:"The expression."`
	Subst []string `arg:"" name:"NAME=VALUE" help:"Substitutions, made at once (x=y y=x swaps them): x=2, 'w[k]=0', 'z=a+b'."`
}

func (c *SubsCmd) Run(ctx context.Context, app *App) error {
	s, es, err := c.prepare(ctx, app, arg{c.Expr, "EXPR"})
	if err != nil {
		return err
	}
	args := []ast.Expr{es[0]}
	for _, kv := range c.Subst {
		name, val, ok := strings.Cut(kv, "=")
		if !ok || strings.TrimSpace(name) == "" {
			return fmt.Errorf("%q: give a substitution as NAME=VALUE", kv)
		}
		if strings.TrimSpace(val) == "" {
			return fmt.Errorf("%q: give the value after \"=\": NAME=VALUE", kv)
		}
		if strings.HasPrefix(val, "=") {
			return fmt.Errorf("%q: a substitution is written with one \"=\": NAME=VALUE", kv)
		}
		x, err := parseArg(ctx, s, name, "NAME in "+kv)
		if err != nil {
			return err
		}
		switch x.(type) {
		case *ast.Sym, *ast.Index:
		default:
			return fmt.Errorf("%q: only a name like x or w[k] can be substituted", kv)
		}
		for i := 1; i < len(args); i += 2 {
			if args[i] == x {
				return fmt.Errorf("%q: %s is substituted twice: give each name one value", kv, ast.String(x))
			}
		}
		v, err := parseArg(ctx, s, val, "VALUE in "+kv)
		if err != nil {
			return err
		}
		args = append(args, x, v)
	}
	in := ast.NewCall("subs", args...)
	e, err := s.Verb(ctx, "subs", args)
	if err != nil {
		return placeError(err, c.Expr)
	}
	return c.print(ctx, app, s, in, e, "")
}
