package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/cmd/internal/atomicfile"
	"github.com/symdiff/symdiff/cmd/internal/latex"
	"github.com/symdiff/symdiff/cmd/internal/session"
	"github.com/symdiff/symdiff/simplify/explain"
)

// ExplainCmd says why a loss's gradient is features × residual, or why
// it is not.
type ExplainCmd struct {
	engine
	Input    string   `arg:"" name:"FILE|EXPR" help:"A script whose losses to explain (- for standard input), or a loss."`
	Loss     []string `placeholder:"NAME" help:"With a script, explain only the loss NAME (repeatable); the default is every scalar definition that uses the predictor."`
	Wrt      string   `placeholder:"Z" help:"The linear predictor, or its weights (default: the definition z[i] := sum(j=1..d, x[i,j]*w[j]) the loss uses, else z)."`
	Label    string   `placeholder:"Y" help:"The labels (default: y, else t)."`
	LabelSet string   `name:"label-set" placeholder:"A,B" help:"Assume every label is one of two values, such as 0,1 or -1,1."`
	OneHot   bool     `name:"one-hot" help:"Assume class labels y[i,l] sum to 1 over the classes."`
	Ascii    bool     `help:"Print formulas in the input syntax instead of Unicode."`
	JSON     bool     `name:"json" xor:"out" help:"Print one JSON object per loss."`
	Latex    bool     `xor:"out" help:"Write the argument as LaTeX."`
	Markdown bool     `xor:"out" help:"Write the argument as Markdown with math blocks."`
	Doc      bool     `help:"With --latex, write a complete document."`
	Output   string   `short:"o" placeholder:"FILE" help:"Write to FILE (atomically) instead of standard output."`
}

// A named loss: the name it was defined under (empty for an expression)
// and the expression explain works on.
type namedLoss struct {
	name string
	expr ast.Expr
}

func (c *ExplainCmd) options() (session.ExplainOptions, error) {
	o := session.ExplainOptions{Wrt: strings.TrimSpace(c.Wrt), Label: strings.TrimSpace(c.Label), Assume: explain.Assumptions{OneHot: c.OneHot}}
	if i := strings.IndexByte(o.Wrt, '['); i >= 0 {
		o.Wrt = o.Wrt[:i] // --wrt 'z[i]' names z
	}
	if i := strings.IndexByte(o.Label, '['); i >= 0 {
		o.Label = o.Label[:i]
	}
	if c.LabelSet != "" {
		ls, err := session.ParseLabelSet(c.LabelSet)
		if err != nil {
			return o, err
		}
		o.Assume.LabelSet = ls
	}
	return o, nil
}

func (c *ExplainCmd) Run(ctx context.Context, app *App) error {
	if c.Doc && !c.Latex {
		return errors.New("--doc goes with --latex")
	}
	o, err := c.options()
	if err != nil {
		return err
	}
	s, err := c.session(ctx, app)
	if err != nil {
		return err
	}
	var losses []namedLoss
	if isScript(c.Input) || strings.HasSuffix(c.Input, ".sd") { // a missing .sd file is reported as such
		src, err := session.ReadSourceFrom(c.Input, app.Stdin)
		if err != nil {
			return err
		}
		name := c.Input
		if name == "-" {
			name = "<stdin>"
		}
		if err := s.LoadDefsSourceContext(ctx, name, src); err != nil {
			return err
		}
		if losses, err = c.named(s, o); err != nil {
			return err
		}
	} else {
		if len(c.Loss) > 0 {
			return errors.New("--loss picks losses from a script; with an expression, explain explains it")
		}
		e, err := parseArg(ctx, s, c.Input, "EXPR")
		if err != nil {
			return err
		}
		n := ""
		if sym, ok := e.(*ast.Sym); ok {
			n = sym.Name // a defined loss, named on the command line
		}
		losses = []namedLoss{{name: n, expr: e}}
	}
	st := ast.Unicode
	if c.Ascii {
		st = ast.Plain
	}
	p := &session.Printer{Style: st, S: s}
	var r *latex.Renderer
	if c.Latex || c.Markdown {
		r = latex.New(s, latex.Options{Doc: c.Doc, Markdown: c.Markdown, Title: "Why the gradient has (or lacks) the residual form"})
	}
	var b strings.Builder
	for i, l := range losses {
		e, err := s.Explain(ctx, l.expr, o)
		if err != nil {
			if l.name != "" {
				return fmt.Errorf("explain %s: %w", l.name, err)
			}
			return placeError(err, c.Input)
		}
		app.note(session.ExplainStatus(e))
		switch {
		case c.JSON:
			app.json(p.ExplanationJSON(l.name, e))
		case r != nil:
			r.Explanation(l.name, e)
		default:
			if i > 0 {
				b.WriteString("\n")
			}
			p.Explanation(&b, l.name, e)
		}
	}
	out := b.String()
	if r != nil {
		out = r.String()
	}
	if c.JSON {
		return nil
	}
	if c.Output != "" {
		return atomicfile.WriteFile(c.Output, []byte(out))
	}
	_, err = io.WriteString(app.Stdout, out)
	return err
}

// named returns the losses of a script: those --loss names, or every
// scalar definition that uses the predictor.
func (c *ExplainCmd) named(s *session.Session, o session.ExplainOptions) ([]namedLoss, error) {
	var out []namedLoss
	if len(c.Loss) > 0 {
		for _, n := range c.Loss {
			d, ok := s.Defs.Lookup(n)
			if !ok || d.Kind != ast.DefScalar {
				return nil, fmt.Errorf("%s: the script defines no loss %s", c.Input, n)
			}
			out = append(out, namedLoss{name: n, expr: d.Head()})
		}
		return out, nil
	}
	var nonlinear []string // indexed definitions the scalar ones use that are no linear predictors
	for _, d := range s.Defs.All() {
		if d.Kind != ast.DefScalar {
			continue
		}
		if explain.UsesPredictor(s.Decls, s.Defs, d.Head(), o.Wrt) && (o.Wrt == "" || usesLabels(s.Defs, d, o.Label)) {
			out = append(out, namedLoss{name: d.Name, expr: d.Head()})
		} else if o.Wrt == "" {
			for _, n := range explain.NotLinear(s.Defs, d.Body, "") {
				if !slices.Contains(nonlinear, n) {
					nonlinear = append(nonlinear, n)
				}
			}
		}
	}
	if len(out) > 0 {
		return out, nil
	}
	if o.Wrt != "" {
		return nil, fmt.Errorf("%s: no loss to explain: no scalar definition of the script depends on %s and uses the labels (y, t, Y or T, or name them with --label)", c.Input, o.Wrt)
	}
	why := ""
	if len(nonlinear) > 0 {
		why = fmt.Sprintf(" (%s is defined, but not as one: explain through it with --wrt %s)", strings.Join(nonlinear, ", "), nonlinear[0])
	}
	return nil, fmt.Errorf("%s: no loss to explain: the script defines no scalar name that uses a linear predictor z[i] := sum(j=1..d, x[i,j]*w[j]) (plus terms without w)%s; name the predictor with --wrt", c.Input, why)
}

// usesLabels reports whether the definition d uses the labels (label, or
// one of y, t, Y, T): with --wrt naming weights, a regulariser R :=
// sum(j, w[j]^2) or a part of the predictor depends on them too, but is
// not a loss to explain.
func usesLabels(defs *ast.Defs, d *ast.Def, label string) bool {
	names := explain.LabelNames()
	if label != "" {
		names = []string{label}
	}
	used := ast.NamesUsed(defs.Expand(d.Body))
	return slices.ContainsFunc(names, func(n string) bool { return slices.Contains(used, n) })
}

// explainTeX renders the explanations of the named losses after a script
// (symdiff latex FILE --explain LOSS).
func explainTeX(ctx context.Context, app *App, s *session.Session, r *latex.Renderer, names []string) error {
	for _, n := range names {
		if d, ok := s.Defs.Lookup(n); !ok || d.Kind != ast.DefScalar {
			return fmt.Errorf("--explain %s: the script defines no loss %s", n, n)
		}
		e, err := s.Explain(ctx, ast.NewSym(n), session.ExplainOptions{})
		if err != nil {
			return fmt.Errorf("explain %s: %w", n, err)
		}
		app.note(session.ExplainStatus(e))
		r.Explanation(n, e)
	}
	return nil
}
