package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/cmd/internal/atomicfile"
	"github.com/symdiff/symdiff/cmd/internal/codegen"
	"github.com/symdiff/symdiff/cmd/internal/session"
)

// CodegenCmd writes code for a loss and its gradient.
type CodegenCmd struct {
	lossArgs
	Lang    string `default:"go" placeholder:"L" help:"The language: go, python (loops), numpy (vectorised), c (C99)."`
	Hessian bool   `help:"Compute the Hessian too."`
	Func    string `placeholder:"NAME" help:"The function's name (default LossGrad in Go, loss_grad otherwise)."`
	Package string `placeholder:"NAME" default:"loss" help:"Go: the package of the generated file."`
	Output  string `short:"o" placeholder:"FILE" help:"Write to FILE (atomically) instead of standard output."`
}

// lossArgs are what codegen and gradcheck share: the loss and the
// variables.
type lossArgs struct {
	engine
	Input string `arg:"" name:"FILE|EXPR" help:"A script (- for standard input) whose loss --loss names, or an expression."`
	Loss  string `placeholder:"NAME" help:"With a script: the defined name of the loss (default: the script's only scalar definition)."`
	Wrt   string `required:"" placeholder:"VARS" help:"The variables to differentiate by, separated by commas: 'w[k]', or 'W[a,b],b', or w for a declared vector or matrix."`
}

// load returns the engine, the loss, the variables and a description of
// where the loss comes from.
func (c *lossArgs) load(ctx context.Context, app *App) (codegen.Engine, ast.Expr, []ast.Expr, string, error) {
	var none codegen.Engine
	s, err := c.session(ctx, app)
	if err != nil {
		return none, nil, nil, "", err
	}
	var loss ast.Expr
	var source string
	if isScript(c.Input) {
		name, err := scriptLoss(ctx, s, c.Input, c.Loss)
		if err != nil {
			return none, nil, nil, "", err
		}
		loss, source = ast.NewSym(name), fmt.Sprintf("%s in %s", name, c.Input)
	} else {
		if c.Loss != "" {
			return none, nil, nil, "", fmt.Errorf("--loss names the loss of a script, and %q is not a file", c.Input)
		}
		if loss, err = parseArg(ctx, s, c.Input, "EXPR"); err != nil {
			return none, nil, nil, "", err
		}
		source = strings.TrimSpace(c.Input)
	}
	en := codegen.FromSession(s)
	var wrt []ast.Expr
	for _, w := range codegen.SplitVars(c.Wrt) {
		e, err := s.ParseExpr(ctx, w, "--wrt")
		if session.Stopped(err) {
			return none, nil, nil, "", err
		}
		if err != nil {
			return none, nil, nil, "", fmt.Errorf("in --wrt %q: %w", w, err)
		}
		wrt = append(wrt, e)
	}
	if len(wrt) == 0 {
		return none, nil, nil, "", fmt.Errorf("--wrt names no variable: give one, such as --wrt 'w[k]'")
	}
	return en, loss, wrt, source, nil
}

// limit applies --timeout to the command's context.
func (c *lossArgs) limit(ctx context.Context) (context.Context, context.CancelFunc) {
	if c.Timeout > 0 {
		return context.WithTimeout(ctx, c.Timeout)
	}
	return context.WithCancel(ctx)
}

// explainStop turns a time-out or an interrupt into a message.
func explainStop(err error) error {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return errors.New("stopped: the time limit was reached (--timeout)")
	case errors.Is(err, context.Canceled):
		return errors.New("interrupted")
	}
	return err
}

// isScript says whether the argument names a script rather than being an
// expression.
func isScript(arg string) bool {
	if arg == "-" {
		return true
	}
	fi, err := os.Stat(arg)
	return err == nil && fi.Mode().IsRegular()
}

// scriptLoss loads a script's definitions and returns the name of its
// loss: the one given, or its only scalar definition.
func scriptLoss(ctx context.Context, s *session.Session, file, name string) (string, error) {
	src, err := session.ReadSource(file)
	if err != nil {
		return "", err
	}
	label := file
	if file == "-" {
		label = "<stdin>"
	}
	stmts, err := s.Parse(ctx, label, src)
	if err != nil {
		return "", err
	}
	var scalars []string
	for _, st := range stmts {
		switch x := st.Stmt.(type) {
		case *ast.DefStmt, *ast.RuleStmt, *ast.DerivStmt, *ast.DeclStmt:
			if d, ok := x.(*ast.DefStmt); ok && d.Def.Kind == ast.DefScalar && !contains(scalars, d.Def.Name) {
				scalars = append(scalars, d.Def.Name)
			}
			// A script serves as a definitions file: its expressions and
			// proofs are not run.
			if _, err := s.Exec(ctx, st); err != nil {
				return "", session.At(src, st, err)
			}
		}
	}
	if name != "" {
		if !contains(scalars, name) {
			if len(scalars) == 0 {
				return "", fmt.Errorf("%s defines no scalar loss, and not %s", label, name)
			}
			return "", fmt.Errorf("%s does not define %s: it defines %s", label, name, strings.Join(scalars, ", "))
		}
		return name, nil
	}
	switch len(scalars) {
	case 0:
		return "", fmt.Errorf("%s defines no scalar loss (such as L := mean(i=1..n, ...))", label)
	case 1:
		return scalars[0], nil
	}
	sorted := append([]string(nil), scalars...)
	sort.Strings(sorted)
	return "", fmt.Errorf("%s defines %s: choose the loss with --loss NAME", label, strings.Join(sorted, ", "))
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (c *CodegenCmd) Run(ctx context.Context, app *App) error {
	lang, err := codegen.ParseLang(c.Lang)
	if err != nil {
		return err
	}
	en, loss, wrt, source, err := c.load(ctx, app)
	if err != nil {
		return err
	}
	ctx, cancel := c.limit(ctx)
	defer cancel()
	res, err := codegen.Generate(ctx, en, &codegen.Request{
		Loss: loss, Wrt: wrt, Hessian: c.Hessian, Lang: lang,
		Func: c.Func, Package: c.Package, Source: source,
	})
	if err != nil {
		return explainStop(err)
	}
	if c.Output != "" {
		return atomicfile.WriteFile(c.Output, []byte(res.Code))
	}
	_, err = io.WriteString(app.Stdout, res.Code)
	return err
}
