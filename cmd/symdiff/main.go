// Command symdiff differentiates, simplifies and proves identities in the
// loss language: `symdiff demo` shows why the logistic-regression gradient
// has the same form as the least-squares one.
//
// Exit status: 0 success, 1 an equality refuted (or a != that fails),
// 2 bad usage or bad input, 3 a proof that could not decide.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"runtime/debug"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/alecthomas/kong"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/cmd/internal/atomicfile"
	"github.com/symdiff/symdiff/cmd/internal/latex"
	_ "github.com/symdiff/symdiff/cmd/internal/mainstack" // first: see the package
	"github.com/symdiff/symdiff/cmd/internal/session"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/rules/load"
	"github.com/symdiff/symdiff/simplify/matrix"
)

func main() {
	os.Exit(Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// App is what every command runs with.
type App struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	status         session.Status
	stopSignals    func() // stop turning Ctrl-C into cancelling the context
}

// engine flags are shared by the commands that compute.
type engine struct {
	Defs     []string      `name:"defs" placeholder:"FILE" help:"Load definitions from FILE (repeatable)."`
	Rules    []string      `name:"rules" placeholder:"FILE" help:"Load rewrite and derivative rules from FILE (repeatable)."`
	Expanded bool          `help:"Show results with definitions expanded instead of folded back into the defined names."`
	Timeout  time.Duration `default:"2m" help:"Give up on a statement after this long."`
	Assume   []string      `name:"assume" sep:"none" placeholder:"STMT" help:"Assume STMT (repeatable), as an assume statement says it: 'x > 0', '0 < p < 1', 'k in 1..d', 'y[i] in {0, 1}', 'sum(c=1..K, t[i,c]) == 1'."`
}

// session builds a session from the flags; warnings about the definitions
// it loads go to the app's standard error.
func (e *engine) session(ctx context.Context, app *App) (*session.Session, error) {
	s := session.New()
	s.Expanded, s.Timeout, s.Warn = e.Expanded, e.Timeout, app.Stderr
	for _, f := range e.Rules {
		if err := s.LoadRulesContext(ctx, f); err != nil {
			return nil, err
		}
	}
	for _, f := range e.Defs {
		if err := s.LoadDefsContext(ctx, f); err != nil {
			return nil, err
		}
	}
	for _, a := range e.Assume {
		if err := s.AddAssumption(a); err != nil {
			return nil, fmt.Errorf("--assume %s: %w", a, err)
		}
	}
	return s, nil
}

// style flags choose a printer.
type style struct {
	Unicode bool `xor:"style" help:"Print with Unicode (σ, ·, Σ, superscripts)."`
	Latex   bool `xor:"style" help:"Print as LaTeX."`
}

func (s style) get() ast.Style {
	switch {
	case s.Unicode:
		return ast.Unicode
	case s.Latex:
		return ast.LaTeX
	}
	return ast.Plain
}

// CLI is the command line.
type CLI struct {
	Run      RunCmd      `cmd:"" help:"Run scripts (FILE, or - for standard input): definitions, d(...), prove."`
	Eval     EvalCmd     `cmd:"" help:"Evaluate an expression numerically: symdiff eval 'sigma(x)' x=0.3."`
	Print    PrintCmd    `cmd:"" help:"Print an expression in the input syntax, Unicode or LaTeX."`
	Diff     DiffCmd     `cmd:"" help:"Differentiate and simplify: symdiff diff 'sigma(x)^2' x."`
	Simplify SimplifyCmd `cmd:"" help:"Simplify an expression."`
	Prove    ProveCmd    `cmd:"" help:"Prove or refute A == B (exit 0 proved, 1 refuted, 3 unknown)."`
	Expand   ExpandCmd   `cmd:"" group:"Algebra" help:"Multiply out products and powers of sums: symdiff expand '(x + 1)^2'."`
	Factor   FactorCmd   `cmd:"" group:"Algebra" help:"Factor over the rationals: symdiff factor 'x^2 - y^2'."`
	Together TogetherCmd `cmd:"" group:"Algebra" help:"Write as one fraction with common factors cancelled."`
	Apart    ApartCmd    `cmd:"" group:"Algebra" help:"Partial fractions in VAR: symdiff apart '1/(x^2 - 1)' x."`
	Collect  CollectCmd  `cmd:"" group:"Algebra" help:"Group terms by powers of VAR: symdiff collect 'a*x + b*x + c' x."`
	Subs     SubsCmd     `cmd:"" group:"Algebra" help:"Substitute and simplify: symdiff subs 'sigma(z)' z=0."`
	Latex    LatexCmd    `cmd:"" help:"Render a script, or one derivation (--wrt), as LaTeX or Markdown."`
	Demo     DemoCmd     `cmd:"" help:"Show why the logistic-regression gradient has the least-squares form."`
	Explain  ExplainCmd  `cmd:"" help:"Say why a loss's gradient is features × residual, or why not: symdiff explain examples/logistic.sd."`
	Rules    RulesCmd    `cmd:"" help:"List the active rules, or check rules for soundness and termination."`
	Serve    ServeCmd    `cmd:"" help:"Serve the web playground (on 127.0.0.1:8080 unless --addr)."`
	Codegen  CodegenCmd  `cmd:"" help:"Write a function computing a loss and its gradient: symdiff codegen FILE --loss CE --wrt 'w[k]' --lang numpy."`
	GradChk  GradChkCmd  `cmd:"" name:"gradcheck" help:"Check a symbolic gradient against central finite differences (exit 1 above --tol)."`
	Repl     ReplCmd     `cmd:"" default:"1" help:"An interactive session (the default); reads statements from standard input when it is not a terminal."`

	Version kong.VersionFlag `help:"Print the version and exit."`
}

// version names the build: the module version when built from a tagged
// module (go install ...@v1.2.0), else the commit it was built from, else
// devel (go run, go test).
func version(info *debug.BuildInfo, ok bool) string {
	if !ok {
		return "devel"
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	rev, modified := "", false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if rev == "" {
		return "devel"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if modified {
		rev += "-dirty" // built from a work tree with uncommitted changes
	}
	return rev
}

// versionLine is what --version prints.
func versionLine() string { return "symdiff " + version(debug.ReadBuildInfo()) }

// Main runs the command line and returns the exit status.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) (status int) {
	raiseHeapFloor()
	defer func() {
		// A bug must not show a Go stack trace to a user: report it in one
		// line and fail as bad input would.
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "symdiff: internal error: %v (please report it)\n", r)
			status = int(session.BadInput)
		}
	}()
	ctx, stop := interruptContext(context.Background())
	defer stop()
	app := &App{Stdin: stdin, Stdout: stdout, Stderr: stderr, stopSignals: stop}
	args = protectExpressions(args)
	if len(args) == 1 && args[0] == "--version" {
		// What kong's VersionFlag prints, without the whole model
		// (TestVersionMatchesKong): that costs five times a small diff.
		fmt.Fprintln(stdout, versionLine())
		return 0
	}
	var plain CLI
	if cmd, ok := parsePlain(args, &plain); ok {
		if err := cmd.Run(ctx, app); err != nil {
			report(stderr, err)
			return int(session.ErrStatus(err))
		}
		return int(app.status)
	}
	var one CLI
	kctx, ok := parseOne(ctx, app, args, &one)
	if !ok {
		var cli CLI
		exited := -1
		k, err := kong.New(&cli, kongOptions(ctx, app, stdout, stderr, &exited)...)
		if err != nil {
			fmt.Fprintf(stderr, "symdiff: %v\n", err)
			return int(session.BadInput)
		}
		kctx, err = k.Parse(args)
		if exited >= 0 {
			return exited // --help
		}
		if err != nil {
			fmt.Fprintf(stderr, "symdiff: %v\n", err)
			if exited < 0 {
				fmt.Fprintln(stderr, "run 'symdiff --help' for usage")
			}
			return int(session.BadInput)
		}
	}
	if err := kctx.Run(); err != nil {
		report(stderr, err)
		return int(session.ErrStatus(err)) // 3 where symdiff cannot decide, else 2
	}
	return int(app.status)
}

// kongOptions configures the command line; exited records kong's exit
// status (after --help or --version).
func kongOptions(ctx context.Context, app *App, stdout, stderr io.Writer, exited *int) []kong.Option {
	return []kong.Option{
		kong.Name("symdiff"),
		kong.Description("Symbolic differentiation for loss functions: derivatives, simplification, proofs, derivations in LaTeX."),
		kong.Writers(stdout, stderr),
		kong.Exit(func(code int) { *exited = code }),
		kong.UsageOnError(),
		kong.ConfigureHelp(kong.HelpOptions{Compact: true}),
		kong.Bind(app),
		kong.BindTo(ctx, (*context.Context)(nil)), // ctx reaches each Run as its first argument
		kong.Vars{"version": versionLine()},
	}
}

// parseOne parses a command line that starts with a command's name and
// asks for no help, with a kong model of that one command: building the
// model of all twenty commands costs more than a millisecond, most of a
// small call's time. It reports false when the command line is anything
// else or does not parse; Main then parses it with the whole model, which
// prints the help, usage and errors.
func parseOne(ctx context.Context, app *App, args []string, cli *CLI) (*kong.Context, bool) {
	if len(args) == 0 {
		return nil, false
	}
	for _, a := range args {
		if a == "--" {
			break
		}
		if a == "-h" || a == "--help" || a == "--version" || strings.HasPrefix(a, "--help=") {
			return nil, false
		}
	}
	v := reflect.ValueOf(cli).Elem()
	for i := range v.NumField() {
		f := v.Type().Field(i)
		if _, isCmd := f.Tag.Lookup("cmd"); !isCmd {
			continue
		}
		name := f.Tag.Get("name")
		if name == "" {
			// kong's name for a field of one word; a longer name needs
			// a name tag to be parsed here.
			if strings.ContainsFunc(f.Name[1:], unicode.IsUpper) {
				continue
			}
			name = strings.ToLower(f.Name)
		}
		if name != args[0] {
			continue
		}
		exited := -1
		var root struct {
			Version kong.VersionFlag `help:"Print the version and exit."`
		}
		opts := append(kongOptions(ctx, app, io.Discard, io.Discard, &exited),
			kong.DynamicCommand(name, f.Tag.Get("help"), f.Tag.Get("group"), v.Field(i).Addr().Interface()))
		k, err := kong.New(&root, opts...)
		if err != nil {
			return nil, false
		}
		kctx, err := k.Parse(args)
		if err != nil || exited >= 0 {
			return nil, false
		}
		k.Stdout, k.Stderr = app.Stdout, app.Stderr
		return kctx, true
	}
	return nil, false
}

// report prints an error: positioned errors carry their own place and
// snippet.
func report(w io.Writer, err error) {
	var pe *parser.Error
	if errors.As(err, &pe) {
		fmt.Fprintln(w, err.Error()) // the place, the quoted line and the caret
		return
	}
	fmt.Fprintf(w, "symdiff: %v\n", err)
}

func (a *App) note(s session.Status) { a.status = session.Worse(a.status, s) }

func (a *App) json(v any) {
	enc := json.NewEncoder(a.Stdout)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// jsonResult prints r as JSON. When writing out its steps was stopped
// (Ctrl-C, --timeout), the object says so in steps_stopped, and the
// command fails as a statement stopped while it runs does (exit status
// 2), not with the status of a complete result.
func (a *App) jsonResult(p *session.Printer, r *session.Result) error {
	out := p.JSON(r)
	if p.Stopped != nil {
		return p.Stopped // printing the result was stopped: nothing to show
	}
	a.json(out)
	return stepsStopped(p.StepsStopped)
}

// stepsStopped is the error of a command whose steps were stopped while
// they were written out, or nil.
func stepsStopped(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%v (writing the steps)", err)
}

// RunCmd runs scripts.
type RunCmd struct {
	engine
	style
	Files []string `arg:"" name:"FILE" help:"Scripts to run, in order; - reads standard input."`
	Steps bool     `help:"Show the chain of equalities of every proof."`
	JSON  bool     `name:"json" help:"Print one JSON object per statement."`
	Jobs  int      `placeholder:"N" help:"Compute up to N independent statements at once (default: one per core); results print in order."`
}

func (c *RunCmd) Run(ctx context.Context, app *App) error {
	s, err := c.session(ctx, app)
	if err != nil {
		return err
	}
	// Each result is rendered as it reads in the session it ran in (the
	// definitions then in force), wherever it ran; see parallel.go.
	// A result whose printing or steps were stopped while render wrote
	// them (Ctrl-C, --timeout) stops the script, after the steps' result
	// is printed; render runs where the statement ran, so the errors are
	// kept by statement for emit (a result held while the script is read
	// reaches emit as a copy).
	var (
		mu      sync.Mutex
		stopped = map[ast.Stmt]error{}
	)
	stop := func(r *session.Result, err error) {
		mu.Lock()
		stopped[r.Stmt] = err
		mu.Unlock()
	}
	render := func(s *session.Session, w io.Writer, r *session.Result) {
		p := &session.Printer{Style: c.get(), Steps: c.Steps, S: s, Ctx: ctx}
		if c.JSON {
			out := p.JSON(r)
			if p.Stopped != nil {
				stop(r, p.Stopped)
				return
			}
			enc := json.NewEncoder(w)
			enc.SetEscapeHTML(false)
			_ = enc.Encode(out)
			if p.StepsStopped != nil {
				stop(r, stepsStopped(p.StepsStopped))
			}
		} else if err := p.Result(w, r); err != nil {
			stop(r, err)
		}
	}
	for _, f := range c.Files {
		var src string
		var err error
		if f == "-" {
			src, err = session.ReadSourceFrom(f, app.Stdin)
		} else {
			// Under the context and the time limit: reading 16 MB took
			// up to 200 ms of CPU.
			src, err = s.ReadScript(ctx, f)
		}
		if err != nil {
			return err
		}
		name := f
		if f == "-" {
			name = "<stdin>"
		}
		var stmts []*parser.Statement
		if jobs(c.Jobs) == 1 {
			// One statement at a time, read whole first: the reference.
			if stmts, err = parseScript(ctx, s, name, src); err != nil {
				return err
			}
		}
		pl := newPipeline(ctx, s, c.Jobs, render, func(st *parser.Statement, r *session.Result, out []byte, err error) error {
			if err != nil {
				return session.At(src, st, err)
			}
			app.note(r.Status)
			for _, w := range r.Warnings {
				fmt.Fprintln(app.Stderr, w)
			}
			_, _ = app.Stdout.Write(out)
			mu.Lock()
			err = stopped[r.Stmt]
			delete(stopped, r.Stmt)
			mu.Unlock()
			if err != nil {
				return session.At(src, st, err)
			}
			return nil
		})
		if jobs(c.Jobs) == 1 {
			err = runAll(pl, stmts)
		} else {
			err = runRead(pl, readScript(ctx, s, name, src, pl.sem)) // run starts while it reads
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// parseScript parses a script under the session's time limit, as each of
// its statements then runs: a huge input stops like a slow statement.
func parseScript(ctx context.Context, s *session.Session, name, src string) ([]*parser.Statement, error) {
	return s.Parse(ctx, name, src)
}

// readError says why reading a script stopped, if it was the time limit
// or an interruption.
func readError(name string, err error) error {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%s: stopped: the time limit was reached (reading the script)", name)
	case errors.Is(err, context.Canceled):
		return fmt.Errorf("%s: interrupted (reading the script)", name)
	}
	return err
}

// arg is an expression argument and its name in usage (EXPR, A, B).
type arg struct{ src, name string }

// prepare builds the session from the flags and parses the expression
// arguments in it.
func (e *engine) prepare(ctx context.Context, app *App, args ...arg) (*session.Session, []ast.Expr, error) {
	s, err := e.session(ctx, app)
	if err != nil {
		return nil, nil, err
	}
	out := make([]ast.Expr, len(args))
	for i, a := range args {
		if out[i], err = parseArg(ctx, s, a.src, a.name); err != nil {
			return nil, nil, err
		}
	}
	return s, out, nil
}

// parseArg parses an expression given on the command line, under ctx and
// the session's time limit (an argument is at most 128 KiB, a tenth of a
// second of parsing); an error says which argument it is in.
func parseArg(ctx context.Context, s *session.Session, src, name string) (ast.Expr, error) {
	e, err := s.ParseExpr(ctx, strings.TrimPrefix(src, " "), name)
	if err != nil && name != "EXPR" && !session.Stopped(err) {
		return nil, fmt.Errorf("in %s: %w", name, err) // prove A B: which one
	}
	return e, err
}

// EvalCmd evaluates numerically.
type EvalCmd struct {
	engine
	Expr     string   `arg:"" name:"EXPR" help:"The expression."`
	Bindings []string `arg:"" optional:"" name:"NAME=VALUE" help:"Values: x=0.3, y=[1,0,1], x=[[1,2],[3,4]], n=3."`
	JSON     bool     `name:"json" help:"Print a JSON object."`
}

func (c *EvalCmd) Run(ctx context.Context, app *App) error {
	s, err := c.session(ctx, app)
	if err != nil {
		return err
	}
	b, err := parseBindings(c.Bindings)
	if err != nil {
		return err
	}
	// A name bound to a vector or matrix is one: X*w is a matrix product.
	s.DeclareBindings(b)
	e, err := parseArg(ctx, s, c.Expr, "EXPR")
	if err != nil {
		return err
	}
	// A column [[1], [2]] is read as x[i] or as x[i,1], as e writes it.
	val, err := s.EvalValue(ctx, e, matrix.FitValues(b, e, s.Defs))
	if err != nil {
		return placeError(err, c.Expr)
	}
	if c.JSON {
		bj := map[string]any{}
		for n, val := range b {
			bj[n] = val.String()
		}
		var res any = session.ValueJSON(val)
		if val.Shape == nil {
			res = val.Data[0]
		}
		app.json(map[string]any{"input": c.Expr, "bindings": bj, "result": res})
		return nil
	}
	if val.Shape == nil {
		fmt.Fprintln(app.Stdout, formatFloat(val.Data[0]))
		return nil
	}
	fmt.Fprintln(app.Stdout, session.FormatValue(val))
	return nil
}

// formatFloat prints 15 significant digits, which every normal float64
// carries faithfully: 0.1 + 0.2 prints 0.3 (--json gives the float64
// itself); a subnormal only the digits it has (ast.FloatString).
func formatFloat(v float64) string { return ast.FloatString(v) }

// PrintCmd prints an expression.
type PrintCmd struct {
	style
	Expr string `arg:"" name:"EXPR" help:"The expression."`
}

func (c *PrintCmd) Run(ctx context.Context, app *App) error {
	// Only parsing: the built-in functions, not the built-in rules.
	e, err := parser.ParseExprContext(ctx, c.Expr, load.BuiltinContext())
	if errors.Is(err, context.Canceled) {
		return errors.New("interrupted (reading EXPR)")
	}
	if err != nil {
		return err
	}
	// Names that would look alike (x1 and x[1] in LaTeX, lambda and λ)
	// are written apart: see ast.DistinctNames.
	s, err := ast.FormatSpelled(e, c.get(), nil, nil, ast.DistinctNames(c.get(), e))
	if err != nil {
		return err
	}
	fmt.Fprintln(app.Stdout, s)
	return nil
}

// DiffCmd differentiates.
type DiffCmd struct {
	engine
	style
	Expr     string `arg:"" name:"EXPR" help:"The expression."`
	Var      string `arg:"" name:"VAR" help:"The variable: x, or an indexed name like w[k]."`
	Steps    bool   `help:"Show the derivation step by step (in Unicode unless --latex)."`
	AllSteps bool   `name:"all-steps" help:"With --steps, also show every rewrite inside each step."`
	JSON     bool   `name:"json" help:"Print a JSON object."`
}

func (c *DiffCmd) Run(ctx context.Context, app *App) error {
	s, es, err := c.prepare(ctx, app, arg{c.Expr, "EXPR"}, arg{c.Var, "VAR"})
	if err != nil {
		return err
	}
	e, v := es[0], es[1]
	switch v.(type) {
	case *ast.Sym, *ast.Index:
	default:
		return fmt.Errorf("VAR must be a name like x or an indexed name like w[k], not %s", c.Var)
	}
	d := ast.NewDeriv(e, v)
	if c.Steps {
		der, _, err := s.Derive(ctx, e, v)
		if err != nil {
			return placeError(err, c.Expr, c.Var)
		}
		st := c.get()
		if st == ast.Plain {
			st = ast.Unicode
		}
		p := &session.Printer{Style: st, S: s}
		if c.JSON {
			app.json(p.DerivationJSON(c.Expr, der))
			return nil
		}
		p.Derivation(app.Stdout, der, c.AllSteps)
		return nil
	}
	p := &session.Printer{Style: c.get(), S: s, Ctx: ctx}
	r := &session.Result{Input: ast.String(d), Expr: d}
	if s.Involved(d) {
		// A gradient by a vector or matrix: through index form and back.
		if err := s.MatrixValue(ctx, r, d); err != nil {
			return placeError(err, c.Expr, c.Var)
		}
		if c.JSON {
			return app.jsonResult(p, r)
		}
		return p.Result(app.Stdout, r)
	}
	res, err := s.Simplify(ctx, d)
	if err != nil {
		return placeError(err, c.Expr, c.Var)
	}
	s.SetSimplified(r, d, res)
	if c.JSON {
		return app.jsonResult(p, r)
	}
	return p.Result(app.Stdout, r)
}

// SimplifyCmd simplifies.
type SimplifyCmd struct {
	engine
	style
	Expr  string `arg:"" name:"EXPR" help:"The expression."`
	Steps bool   `help:"Show the passes that changed the expression."`
	JSON  bool   `name:"json" help:"Print a JSON object."`
}

func (c *SimplifyCmd) Run(ctx context.Context, app *App) error {
	s, es, err := c.prepare(ctx, app, arg{c.Expr, "EXPR"})
	if err != nil {
		return err
	}
	e := es[0]
	if s.Involved(e) {
		// Declared vectors and matrices (--defs): as a script's
		// expression statement, through index form and back.
		p := &session.Printer{Style: c.get(), S: s, Ctx: ctx}
		r := &session.Result{Input: c.Expr, Expr: e}
		if err := s.MatrixValue(ctx, r, e); err != nil {
			return placeError(err, c.Expr)
		}
		if c.JSON {
			return app.jsonResult(p, r)
		}
		return p.Result(app.Stdout, r)
	}
	res, err := s.Simplify(ctx, e)
	if err != nil {
		return placeError(err, c.Expr)
	}
	p := &session.Printer{Style: c.get(), S: s, Ctx: ctx}
	r := &session.Result{Input: c.Expr, Expr: e}
	s.SetSimplified(r, e, res)
	if c.JSON {
		return app.jsonResult(p, r)
	}
	if c.Steps {
		// The steps every view shows (JSON, the REPL's :steps): they
		// end on the result.
		d, err := res.StepsContext(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintln(app.Stdout, p.Expr(e))
		for _, l := range d.Lines {
			fmt.Fprintf(app.Stdout, "  = %s    [%s]\n", p.Expr(l.Expr), session.RuleWords(l.Step.Rule))
		}
	}
	return p.Result(app.Stdout, r)
}

// ProveCmd proves A == B.
type ProveCmd struct {
	engine
	style
	A     string `arg:"" name:"A" help:"Left side, or the whole claim: 'A == B' (or 'A != B'), as a script writes it."`
	B     string `arg:"" optional:"" name:"B" help:"Right side."`
	Neq   bool   `help:"Assert A != B instead: exit 0 if a counterexample is found, 1 if they are equal, 3 if unknown."`
	Brief bool   `help:"Print only the verdict line and the counterexample, not the chain of equalities."`
	JSON  bool   `name:"json" help:"Print a JSON object."`
}

func (c *ProveCmd) Run(ctx context.Context, app *App) error {
	var claim []string // the one argument 'A == B', as typed
	if c.B == "" {
		a, b, neq, err := splitClaim(c.A)
		if errors.Is(err, errUnbalanced) {
			// '(x == y' has no comparison outside brackets because a
			// bracket is not closed: that is the mistake to show, where
			// it is, not "give two sides".
			s, serr := c.session(ctx, app)
			if serr != nil {
				return serr
			}
			if _, perr := parseArg(ctx, s, c.A, "A"); perr != nil {
				return perr
			}
		}
		if err != nil {
			return err
		}
		claim = []string{c.A}
		c.A, c.B, c.Neq = a.src, b.src, c.Neq != neq // --neq on 'A != B' asserts A == B
		// A mistake in a side is shown in the argument as typed: the
		// caret under (y in 'x == (y', not at the start of (y alone.
		s, err := c.session(ctx, app)
		if err != nil {
			return err
		}
		for _, side := range []claimSide{a, b} {
			if _, err := parseArg(ctx, s, side.src, "A"); err != nil {
				return side.place(err, claim[0])
			}
		}
	}
	s, es, err := c.prepare(ctx, app, arg{c.A, "A"}, arg{c.B, "B"})
	if err != nil {
		return err
	}
	a, b := es[0], es[1]
	pr, err := s.Prove(ctx, a, b)
	if err != nil {
		return placeError(err, append(claim, c.A, c.B)...)
	}
	r := &session.Result{Input: c.A + " == " + c.B, Proof: pr, Neq: c.Neq}
	if c.Neq {
		r.Input = c.A + " != " + c.B
	}
	app.note(session.ProofStatus(pr, c.Neq))
	p := &session.Printer{Style: c.get(), Steps: !c.Brief, S: s, Ctx: ctx}
	if c.JSON {
		return app.jsonResult(p, r)
	}
	return p.Result(app.Stdout, r)
}

// A claimSide is one side of prove's one-argument form: its text and
// where it starts in the argument (a byte offset).
type claimSide struct {
	src string
	off int
}

// place moves a parse error in the side to its place in the whole claim:
// the position, the quoted line and the caret are the argument's.
func (cs claimSide) place(err error, claim string) error {
	var pe *parser.Error
	if !errors.As(err, &pe) || pe.Pos.Offset < 0 || cs.off+pe.Pos.Offset > len(claim) {
		return err
	}
	off := cs.off + pe.Pos.Offset
	start := strings.LastIndexByte(claim[:off], '\n') + 1
	pos := parser.Pos{Offset: off, Line: 1 + strings.Count(claim[:off], "\n"), Col: 1 + utf8.RuneCountInString(claim[start:off])}
	return fmt.Errorf("in A: %w", parser.ErrorAt(claim, pos, "%s", pe.Msg))
}

// errUnbalanced says that a claim's brackets do not pair up, so that it
// has no comparison outside them; the caller shows where by parsing it.
var errUnbalanced = errors.New("the brackets do not pair up: give a claim A == B")

// splitClaim reads prove's one-argument form, 'A == B' or 'A != B': the
// sides are split at the one comparison outside brackets (a condition in
// if(x == 0, …) is inside its call's parentheses).
func splitClaim(src string) (a, b claimSide, neq bool, err error) {
	depth, at, op, unbalanced := 0, -1, "", false
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			depth--
			unbalanced = unbalanced || depth < 0
		case '=', '!':
			if depth == 0 && i+1 < len(src) && src[i+1] == '=' && (i == 0 || !strings.ContainsRune("<>=!", rune(src[i-1]))) && (i+2 >= len(src) || src[i+2] != '=') {
				if at >= 0 {
					return a, b, false, fmt.Errorf("prove: %q compares more than two sides: give one claim A == B", src)
				}
				at, op = i, src[i:i+2]
			}
		}
	}
	if at < 0 && (unbalanced || depth != 0) {
		return a, b, false, fmt.Errorf("prove: %w", errUnbalanced)
	}
	if at < 0 {
		return a, b, false, fmt.Errorf("prove: give two sides, as prove A B or prove 'A == B'")
	}
	side := func(lo, hi int) claimSide {
		t := strings.TrimLeftFunc(src[lo:hi], unicode.IsSpace)
		return claimSide{strings.TrimRightFunc(t, unicode.IsSpace), hi - len(t)}
	}
	a, b = side(0, at), side(at+2, len(src))
	if a.src == "" || b.src == "" {
		return a, b, false, fmt.Errorf("prove: %q has an empty side: give a claim A == B", src)
	}
	return a, b, op == "!=", nil
}

// LatexCmd renders LaTeX.
type LatexCmd struct {
	engine
	Input    string   `arg:"" name:"FILE|EXPR" help:"A script to render (- for standard input), or with --wrt an expression."`
	Wrt      string   `placeholder:"VAR" help:"Differentiate the expression with respect to VAR and render that derivation."`
	Doc      bool     `help:"Write a complete document (\\documentclass{article} with amsmath) that pdflatex compiles."`
	Markdown bool     `help:"Write Markdown with math blocks, as GitHub renders them."`
	AllSteps bool     `name:"all-steps" help:"List every rewrite under each step."`
	Title    string   `help:"The document's title (with --doc)."`
	Output   string   `short:"o" placeholder:"FILE" help:"Write to FILE (atomically) instead of standard output."`
	Explain  []string `placeholder:"LOSS" help:"After the script, explain why the gradient of LOSS is (or is not) features × residual (repeatable)."`
}

func (c *LatexCmd) Run(ctx context.Context, app *App) error {
	if c.Doc && c.Markdown {
		return errors.New("--doc and --markdown exclude each other")
	}
	if c.Wrt != "" && len(c.Explain) > 0 {
		return errors.New("--explain goes with a script, not with --wrt")
	}
	s, err := c.session(ctx, app)
	if err != nil {
		return err
	}
	r := latex.New(s, latex.Options{Doc: c.Doc, Markdown: c.Markdown, AllSteps: c.AllSteps, Title: c.Title, Warn: app.Stderr})
	if c.Wrt != "" {
		e, err := parseArg(ctx, s, c.Input, "EXPR")
		if err != nil {
			return err
		}
		v, err := parseArg(ctx, s, c.Wrt, "--wrt")
		if err != nil {
			return err
		}
		d, _, err := s.Derive(ctx, e, v)
		if err != nil {
			return placeError(err, c.Input, c.Wrt)
		}
		r.Spell(e, v, d.Result)
		r.Derivation(d)
	} else {
		src, err := session.ReadSourceFrom(c.Input, app.Stdin)
		if err != nil {
			return err
		}
		name := c.Input
		if name == "-" {
			name = "<stdin>"
		}
		if c.Title == "" && c.Doc {
			r.Opt.Title = strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
		}
		status, err := r.Script(ctx, name, src)
		if err != nil {
			return err
		}
		app.note(status)
		if err := explainTeX(ctx, app, s, r, c.Explain); err != nil {
			return err
		}
	}
	out := r.String()
	if c.Output != "" {
		return atomicfile.WriteFile(c.Output, []byte(out))
	}
	_, err = io.WriteString(app.Stdout, out)
	return err
}

// protectExpressions keeps an expression argument that starts with a minus
// sign (symdiff diff '-x^2' x) from being read as a flag: such an argument
// gets a leading space, which the expression parser ignores. Flags are
// long (--name) except -h and -o, which are flags only alone: -omega^2 is
// an expression, not -o with the file mega^2. "-" alone is standard input.
func protectExpressions(args []string) []string {
	out := make([]string, len(args))
	afterDashes := false
	for i, a := range args {
		out[i] = a
		if afterDashes || a == "-" || !strings.HasPrefix(a, "-") || strings.HasPrefix(a, "--") {
			afterDashes = afterDashes || a == "--"
			continue
		}
		if a == "-h" || a == "-o" {
			continue
		}
		out[i] = " " + a
	}
	return out
}

// placeError puts a caret under the subexpression an engine error is
// about, in the command-line argument that holds it (EXPR, VAR, A, B).
func placeError(err error, args ...string) error {
	var ne interface{ Expr() ast.Expr }
	if !errors.As(err, &ne) || ne.Expr() == nil {
		return err
	}
	for _, src := range args {
		src = strings.TrimPrefix(src, " ")
		stmts, perr := parser.ParseFile("", src, session.New().Context())
		if perr != nil || len(stmts) != 1 {
			continue
		}
		if _, ok := stmts[0].PosOf(ne.Expr()); ok {
			return session.At(src, stmts[0], err)
		}
	}
	return err
}

// parseBindings reads NAME=VALUE arguments: x=0.3, y=[1,0,1],
// X=[[1,2],[3,4]].
func parseBindings(kvs []string) (ast.Bindings, error) {
	b := ast.Bindings{}
	for _, kv := range kvs {
		name, val, ok := strings.Cut(kv, "=")
		if !ok || strings.TrimSpace(name) == "" {
			return nil, fmt.Errorf("%q: give a value as NAME=VALUE", kv)
		}
		v, err := ast.ParseValue(val)
		if err != nil {
			return nil, valueError(kv, len(name)+1, strings.TrimSpace(name), err)
		}
		name = strings.TrimSpace(name)
		if latin, ok := ast.LatinName(name); ok {
			name = latin // λ=2 binds lambda, as λ in EXPR is lambda
		}
		b[name] = v
	}
	return b, nil
}

// valueError places err, from reading the value that starts at byte off
// of the argument kv (NAME=VALUE), in kv: line:column, the argument
// quoted and a caret under the spot where the value goes wrong.
func valueError(kv string, off int, name string, err error) error {
	var ve *ast.ValueError
	if !errors.As(err, &ve) || off+ve.Offset > len(kv) {
		return fmt.Errorf("%s: %w", name, err)
	}
	at := off + ve.Offset
	start := strings.LastIndexByte(kv[:at], '\n') + 1
	pos := parser.Pos{Offset: at, Line: 1 + strings.Count(kv[:at], "\n"), Col: 1 + utf8.RuneCountInString(kv[start:at])}
	return parser.ErrorAt(kv, pos, "%s: %s", name, ve.Error())
}
