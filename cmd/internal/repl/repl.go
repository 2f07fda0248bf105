// Package repl is the interactive session's core: a line goes in, output
// comes out. It needs no terminal; the command line wraps it with line
// editing, history and Ctrl-C handling, and tests drive it directly.
package repl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"

	"github.com/fatih/color"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/cmd/internal/atomicfile"
	"github.com/symdiff/symdiff/cmd/internal/latex"
	"github.com/symdiff/symdiff/cmd/internal/session"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/rules"
	"github.com/symdiff/symdiff/simplify"
	"github.com/symdiff/symdiff/simplify/explain"
)

// REPL holds an interactive session.
type REPL struct {
	S     *session.Session
	Out   io.Writer // results
	Err   io.Writer // errors
	Style ast.Style // printer for results: Unicode on terminals, Plain otherwise
	Color bool      // colour errors and verdicts
	// Quit is set by :quit.
	Quit bool
	// Status is the worst outcome so far (for a scripted session's exit
	// status): an error counts as bad input, or as unknown where symdiff
	// could not decide (session.ErrStatus), as it does on the command line.
	Status session.Status
	// History, if set, is given each complete input before it runs: a
	// command, or a statement as one line however many lines it was typed
	// on (see HistoryEntry), so that recalling it recalls all of it.
	History func(entry string)

	pending []string // lines of a statement still open
	last    *session.Result
}

// New returns a REPL over a fresh session.
func New(out, errw io.Writer) *REPL {
	return &REPL{S: session.New(), Out: out, Err: errw, Style: ast.Unicode}
}

// A command is a REPL command such as :help.
type command struct {
	name, args, help string
	run              func(r *REPL, ctx context.Context, arg string) error
}

// commands lists the REPL's commands. The table is built on first use,
// not at initialisation: every command of the CLI links this package and
// only the REPL reads it (a variable's initialiser cannot hold it: help
// reads the table).
func commands() []command {
	commandsOnce.Do(func() { commandTable = commandList() })
	return commandTable
}

var (
	commandsOnce sync.Once
	commandTable []command
)

func commandList() []command {
	return []command{
		{"help", "", "this list", (*REPL).help},
		{"defs", "", "list the definitions", (*REPL).defs},
		{"steps", "", "the derivation (or simplification) of the last result", (*REPL).steps},
		{"latex", "", "LaTeX of the last result or derivation", (*REPL).latexCmd},
		{"load", "FILE", "run a script's statements", (*REPL).load},
		{"save", "FILE", "write the definitions to FILE (atomically)", (*REPL).save},
		{"rules", "[FILE]", "list the active rules, or load a rule file", (*REPL).rules},
		{"eval", "EXPR NAME=VALUE...", "evaluate numerically", (*REPL).eval},
		{"explain", "LOSS [--wrt Z] [--label Y] [--label-set A,B] [--one-hot]", "why the gradient is features × residual, or why not", (*REPL).explain},
		{"codegen", "[LANG] EXPR wrt VARS", "code for the loss and its gradient (numpy unless go, python or c)", (*REPL).codegenCmd},
		{"gradcheck", "EXPR wrt VARS [NAME=VALUE...]", "compare the gradient with finite differences", (*REPL).gradcheckCmd},
		{"clear", "", "forget all definitions and the last result", (*REPL).clear},
		{"quit", "", "leave (Ctrl-D too)", (*REPL).quit},
	}
}

// CommandNames lists the commands, with their colon.
func CommandNames() []string {
	out := make([]string, len(commands()))
	for i, c := range commands() {
		out[i] = ":" + c.name
	}
	return out
}

// Pending reports whether a statement is open (more lines are expected).
func (r *REPL) Pending() bool { return len(r.pending) > 0 }

// Reset drops an open statement (Ctrl-C at a continuation prompt).
func (r *REPL) Reset() { r.pending = nil }

// Feed takes one line of input and runs it once it is complete. It
// returns true while the statement is incomplete: a bracket is open or
// the line ends in an operator.
func (r *REPL) Feed(ctx context.Context, line string) (more bool) {
	if len(r.pending) == 0 {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, ":") {
			r.remember([]string{line})
			r.command(ctx, trimmed[1:])
			return false
		}
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			return false
		}
	}
	r.pending = append(r.pending, line)
	src := strings.Join(r.pending, "\n")
	stmts, err := r.S.Parse(ctx, "", src)
	if err != nil && parser.IsIncomplete(err) {
		return true
	}
	r.remember(r.pending)
	r.pending = nil
	if err != nil {
		r.error(err)
		return false
	}
	for _, st := range stmts {
		res, err := r.S.Exec(ctx, st)
		if err == nil {
			err = r.show(ctx, res)
		}
		if err != nil {
			r.error(place(src, st, err))
			return false
		}
	}
	return false
}

// place puts an error about a subexpression (one with an Expr method)
// under it, as run does; other errors of a line just typed need no place.
func place(src string, st *parser.Statement, err error) error {
	var ne interface{ Expr() ast.Expr }
	if errors.As(err, &ne) {
		return session.At(src, st, err)
	}
	return err
}

func (r *REPL) remember(lines []string) {
	if r.History != nil {
		r.History(HistoryEntry(lines))
	}
}

// HistoryEntry joins the lines of one statement into one line. A line
// break inside a statement is white space, so the joined line means the
// same once the comments that ended the inner lines are dropped (# occurs
// in no token); a history file holds one entry a line.
func HistoryEntry(lines []string) string {
	if len(lines) == 1 {
		return lines[0]
	}
	var parts []string
	for i, l := range lines {
		if i < len(lines)-1 {
			l, _, _ = strings.Cut(l, "#")
		}
		if l = strings.TrimSpace(l); l != "" {
			parts = append(parts, l)
		}
	}
	return strings.Join(parts, " ")
}

func (r *REPL) paint(c colour, s string) string {
	if !r.Color {
		return s
	}
	return c.get().Sprint(s)
}

// A colour is one of the REPL's colours. They are made on first use (see
// commands) and enabled then, whatever color.NoColor says: paint is what
// decides, by r.Color. (Enabling them in paint wrote to colours shared by
// every REPL, a data race for two REPLs on two goroutines.)
type colour int

const (
	red colour = iota
	green
	yellow
	faint
)

var (
	coloursOnce sync.Once
	colours     [faint + 1]*color.Color
)

func (c colour) get() *color.Color {
	coloursOnce.Do(func() {
		colours = [...]*color.Color{
			red:    color.New(color.FgRed, color.Bold),
			green:  color.New(color.FgGreen, color.Bold),
			yellow: color.New(color.FgYellow, color.Bold),
			faint:  color.New(color.Faint),
		}
		for _, c := range colours {
			c.EnableColor()
		}
	})
	return colours[c]
}

func (r *REPL) error(err error) {
	// As the command line: 3 where symdiff could not decide whether a
	// part has a value, else bad input.
	r.Status = session.Worse(r.Status, session.ErrStatus(err))
	msg := err.Error()
	var pe *parser.Error
	if errors.As(err, &pe) {
		msg = pe.Error()
	}
	head, rest, _ := strings.Cut(msg, "\n")
	fmt.Fprintln(r.Err, r.paint(red, "error: ")+head)
	if rest != "" {
		fmt.Fprintln(r.Err, rest)
	}
}

func (r *REPL) printer() *session.Printer { return &session.Printer{Style: r.Style, S: r.S} }

// show writes a statement's result as run does (a value with its shared
// and deep parts named, under ctx and the time limit), in colour; it
// returns why printing the value was stopped, if it was.
func (r *REPL) show(ctx context.Context, res *session.Result) error {
	r.Status = session.Worse(r.Status, res.Status)
	for _, w := range res.Warnings {
		_, msg, _ := strings.Cut(w, "warning: ") // the place is the line just typed
		fmt.Fprintln(r.Err, r.paint(yellow, "warning: ")+msg)
	}
	p := r.printer()
	p.Ctx = ctx
	switch {
	case res.Value != nil:
		r.last = res
		v := p.Value(res.Value)
		if p.Stopped != nil {
			return p.Stopped
		}
		fmt.Fprint(r.Out, v)
		if rs := res.Ranges(); len(rs) > 0 {
			fmt.Fprint(r.Out, r.paint(faint, p.RangeNote(rs)))
		}
		fmt.Fprintln(r.Out)
		if res.Note != "" {
			fmt.Fprintln(r.Out, r.paint(faint, "  "+res.Note))
		}
	case res.Proof != nil:
		var b strings.Builder
		p.Proof(&b, res.Proof, res.Neq)
		text := b.String()
		verdict, rest, _ := strings.Cut(text, ":")
		c := yellow
		switch res.Status {
		case session.OK:
			c = green
		case session.Refuted:
			c = red
		}
		fmt.Fprint(r.Out, r.paint(c, verdict)+":"+rest)
	case res.Explanation != nil:
		r.showExplanation(res.Explanation)
	case res.Def != nil:
		fmt.Fprintln(r.Out, r.paint(faint, "defined "+p.Expr(res.Def.Head())))
	case res.Decl != nil:
		fmt.Fprintln(r.Out, r.paint(faint, "declared "+res.Decl.String()))
	case res.Rule != "":
		fmt.Fprintln(r.Out, r.paint(faint, "added "+res.Rule))
	case res.Assumed != nil:
		fmt.Fprintln(r.Out, r.paint(faint, "assumed "+strings.TrimPrefix(ast.StmtString(res.Assumed), "assume ")))
	}
	return nil
}

func (r *REPL) command(ctx context.Context, text string) {
	name, arg, _ := strings.Cut(text, " ")
	arg = strings.TrimSpace(arg)
	for _, c := range commands() {
		if c.name == name {
			if err := c.run(r, ctx, arg); err != nil {
				r.error(err)
			}
			return
		}
	}
	names := make([]string, len(commands()))
	for i, c := range commands() {
		names[i] = c.name
	}
	msg := fmt.Sprintf("unknown command :%s", name)
	if s := parser.Suggest(name, names); s != "" {
		msg += fmt.Sprintf(" (did you mean :%s?)", s)
	}
	r.error(errors.New(msg + "; :help lists the commands"))
}

func (r *REPL) help(_ context.Context, _ string) error {
	fmt.Fprintln(r.Out, "Type definitions (p[i] := sigma(z[i])), expressions, d(E, v), prove A == B or A != B.")
	fmt.Fprintln(r.Out, "_ is the last result. A statement continues while a bracket is open or a line ends in an operator.")
	var verbs []string
	for _, v := range ast.Verbs {
		verbs = append(verbs, v.Usage)
	}
	fmt.Fprintf(r.Out, "Algebra: %s (factor(_) reshapes the last result).\n", strings.Join(verbs, ", "))
	for _, c := range commands() {
		fmt.Fprintf(r.Out, "  :%-8s %-20s %s\n", c.name, c.args, c.help)
	}
	return nil
}

func (r *REPL) defs(_ context.Context, _ string) error {
	p := r.printer()
	if r.S.Defs.Len() == 0 {
		fmt.Fprintln(r.Out, "no definitions")
	}
	for _, d := range r.S.Defs.All() {
		fmt.Fprintf(r.Out, "%s := %s\n", p.Expr(d.Head()), p.Expr(d.Body))
	}
	return nil
}

func (r *REPL) steps(ctx context.Context, _ string) error {
	if r.last == nil {
		return errors.New("no result yet")
	}
	p := r.printer()
	if p.Style == ast.Plain {
		p.Style = ast.Plain
	}
	d, err := r.S.StepsContext(ctx, r.last)
	if err != nil {
		return err
	}
	if d != nil {
		p.Derivation(r.Out, d, false)
		return nil
	}
	// Not a derivative: the same steps as simplify --steps and JSON.
	if d, err = r.last.Simplified.StepsContext(ctx); err != nil {
		return err
	}
	fmt.Fprintln(r.Out, p.Expr(r.last.Expr))
	for _, l := range d.Lines {
		fmt.Fprintf(r.Out, "  = %s    (%s)\n", p.Expr(l.Expr), session.Justification(session.Explain(l.Step, l.Also), p.Style))
	}
	if len(d.Lines) == 0 {
		fmt.Fprintln(r.Out, "  (already in simplest form)")
	}
	return nil
}

func (r *REPL) latexCmd(ctx context.Context, _ string) error {
	if r.last == nil {
		return errors.New("no result yet")
	}
	lr := latex.New(r.S, latex.Options{})
	d, err := r.S.StepsContext(ctx, r.last)
	if err != nil {
		return err
	}
	if d != nil {
		lr.Derivation(d)
		fmt.Fprint(r.Out, lr.String())
		return nil
	}
	if r.last.Value == r.last.Expr {
		fmt.Fprintln(r.Out, ast.LaTeXString(r.last.Value))
		return nil
	}
	fmt.Fprintln(r.Out, ast.LaTeXString(r.last.Expr)+" = "+ast.LaTeXString(r.last.Value))
	return nil
}

func (r *REPL) load(ctx context.Context, file string) error {
	if file == "" {
		return errors.New(":load needs a file name")
	}
	src, err := session.ReadSourceContext(ctx, file)
	if err != nil {
		return err
	}
	stmts, err := r.S.Parse(ctx, file, src)
	if err != nil {
		return err
	}
	for _, st := range stmts {
		res, err := r.S.Exec(ctx, st)
		if err == nil {
			err = r.show(ctx, res)
		}
		if err != nil {
			return session.At(src, st, err)
		}
	}
	return nil
}

func (r *REPL) save(_ context.Context, file string) error {
	if file == "" {
		return errors.New(":save needs a file name")
	}
	var b strings.Builder
	b.WriteString("# Definitions saved from a symdiff session.\n")
	// The declarations first: a definition or an assumption in matrix
	// notation does not read back without the shapes of its names.
	for _, name := range slices.Sorted(maps.Keys(r.S.Decls)) {
		if name == "_" { // the shape of the last result, not a declaration
			continue
		}
		b.WriteString(ast.StmtString(&ast.DeclStmt{Name: name, Shape: r.S.Decls[name]}) + "\n")
	}
	for _, d := range r.S.Defs.All() {
		b.WriteString(d.String() + "\n")
	}
	for _, a := range r.S.Assume {
		b.WriteString(ast.StmtString(a) + "\n")
	}
	if err := atomicfile.WriteFile(file, []byte(b.String())); err != nil {
		return err
	}
	fmt.Fprintf(r.Out, "saved %d definitions to %s\n", r.S.Defs.Len(), file)
	return nil
}

func (r *REPL) rules(ctx context.Context, file string) error {
	if file != "" {
		if err := r.S.LoadRulesContext(ctx, file); err != nil {
			return err
		}
		fmt.Fprintf(r.Out, "loaded %s\n", file)
		return nil
	}
	var names []string
	for _, x := range r.S.Rules.AllRules() {
		names = append(names, fmt.Sprintf("%-22s %s", x.Name, ast.String(x.LHS)+" -> "+ast.String(x.RHS)))
	}
	for _, d := range r.S.Rules.Derivs() {
		names = append(names, fmt.Sprintf("%-22s %s", d.Name, d.String()))
	}
	for _, g := range simplify.Rules() {
		if g.Kind == rules.Simplify || g.Kind == rules.Basis || g.Kind == rules.Canonical {
			names = append(names, fmt.Sprintf("%-22s %s", g.Name, g.Doc))
		}
	}
	fmt.Fprintln(r.Out, strings.Join(names, "\n"))
	return nil
}

func (r *REPL) eval(ctx context.Context, arg string) error {
	if arg == "" {
		return errors.New(":eval needs an expression, then NAME=VALUE bindings")
	}
	// The expression is everything up to the first NAME=VALUE word.
	words := strings.Fields(arg)
	split := len(words)
	for i, w := range words {
		if name, _, ok := strings.Cut(w, "="); ok && isName(name) {
			split = i
			break
		}
	}
	e, err := r.S.ParseExpr(ctx, strings.Join(words[:split], " "), "the expression")
	if err != nil {
		return err
	}
	if ast.HasFree(e, "_") { // as in a statement: _ is the last value
		if r.S.Last == nil || r.S.Last.Value == nil {
			return errors.New("_ is the last result, and there is none yet")
		}
		e = ast.Subst(e, map[string]ast.Expr{"_": r.S.Last.Value})
	}
	b := ast.Bindings{}
	for _, w := range words[split:] {
		name, val, ok := strings.Cut(w, "=")
		if !ok {
			return fmt.Errorf("%q: give values as NAME=VALUE", w)
		}
		v, err := ast.ParseValue(val)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if latin, ok := ast.LatinName(name); ok {
			name = latin // λ=2 binds lambda, as λ in the expression is lambda
		}
		b[name] = v
	}
	v, err := r.S.EvalValue(ctx, e, b)
	if err != nil {
		return err
	}
	if v.Shape == nil {
		fmt.Fprintln(r.Out, v.Data[0])
		return nil
	}
	fmt.Fprintln(r.Out, session.FormatValue(v))
	return nil
}

// explain explains a loss: everything before the first flag is the loss
// (a defined name or an expression).
func (r *REPL) explain(ctx context.Context, arg string) error {
	loss, o, err := explainArgs(arg)
	if err != nil {
		return err
	}
	e, err := r.S.ParseExpr(ctx, loss, "the loss")
	if err != nil {
		return err
	}
	if ast.HasFree(e, "_") {
		if r.S.Last == nil || r.S.Last.Value == nil {
			return errors.New("_ is the last result, and there is none yet")
		}
		e = ast.Subst(e, map[string]ast.Expr{"_": r.S.Last.Value})
	}
	x, err := r.S.Explain(ctx, e, o)
	if err != nil {
		return err
	}
	r.showExplanation(x)
	r.Status = session.Worse(r.Status, session.ExplainStatus(x))
	return nil
}

// showExplanation prints an explanation, its verdicts coloured by whether
// they are the ones it needed: a refuted residual form is as good an
// answer as a proved one.
func (r *REPL) showExplanation(x *explain.Explanation) {
	var b strings.Builder
	r.printer().Explanation(&b, session.LossName(x), x)
	text := b.String()
	for v, c := range map[string]colour{"proved": green, "refuted": green, "unknown": yellow} {
		text = strings.ReplaceAll(text, "\n    "+v+":", "\n    "+r.paint(c, v)+":")
	}
	fmt.Fprint(r.Out, text)
}

// explainArgs splits :explain's argument into the loss and the options.
func explainArgs(arg string) (string, session.ExplainOptions, error) {
	var o session.ExplainOptions
	loss, flags := arg, ""
	if i := strings.Index(arg, " --"); i >= 0 {
		loss, flags = arg[:i], arg[i:]
	}
	loss = strings.TrimSpace(loss)
	if loss == "" {
		return "", o, errors.New(":explain needs a loss: a defined name or an expression")
	}
	words := strings.Fields(flags)
	for i := 0; i < len(words); i++ {
		name, val, hasVal := strings.Cut(words[i], "=")
		value := func() (string, error) {
			if hasVal {
				return val, nil
			}
			if i+1 >= len(words) {
				return "", fmt.Errorf("%s needs a value", name)
			}
			i++
			return words[i], nil
		}
		var err error
		switch name {
		case "--wrt":
			o.Wrt, err = value()
		case "--label":
			o.Label, err = value()
		case "--label-set":
			var v string
			if v, err = value(); err == nil {
				o.Assume.LabelSet, err = session.ParseLabelSet(v)
			}
		case "--one-hot":
			o.Assume.OneHot = true
		default:
			return "", o, fmt.Errorf("%s: :explain takes --wrt Z, --label Y, --label-set A,B and --one-hot", words[i])
		}
		if err != nil {
			return "", o, err
		}
	}
	return loss, o, nil
}

func isName(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		if !(unicode.IsLetter(c) || c == '_' || i > 0 && unicode.IsDigit(c)) {
			return false
		}
	}
	return true
}

func (r *REPL) clear(_ context.Context, _ string) error {
	rules := r.S.Rules
	r.S = session.New()
	r.S.Rules = rules
	r.last = nil
	fmt.Fprintln(r.Out, "cleared")
	return nil
}

func (r *REPL) quit(_ context.Context, _ string) error {
	r.Quit = true
	return nil
}

// Complete completes the word before pos: commands after a leading colon,
// otherwise functions, keywords and defined names.
func (r *REPL) Complete(line string, pos int) (head string, completions []string, tail string) {
	if pos > len(line) {
		pos = len(line)
	}
	head, tail = line[:pos], line[pos:]
	start := len(head)
	for start > 0 {
		c := rune(head[start-1])
		if !(unicode.IsLetter(c) || unicode.IsDigit(c) || c == '_' || c == ':' || c >= 0x80) {
			break
		}
		start--
	}
	word := head[start:]
	head = head[:start]
	var cands []string
	if strings.HasPrefix(word, ":") {
		cands = CommandNames()
	} else {
		for _, f := range ast.Funcs {
			cands = append(cands, f.Name) // not the aliases: sigm<Tab> completes to sigma
		}
		cands = append(cands, "sum", "mean", "d", "prove")
		for _, v := range ast.Verbs {
			cands = append(cands, v.Name)
		}
		cands = append(cands, r.S.Defs.Names()...)
		for f := range r.S.Rules.Funcs() {
			cands = append(cands, f)
		}
		for _, d := range r.S.Rules.Defs().All() {
			cands = append(cands, ast.ShownName(d.Name))
		}
	}
	seen := map[string]bool{}
	for _, c := range cands {
		if strings.HasPrefix(c, word) && !seen[c] && word != "" {
			seen[c] = true
			completions = append(completions, c)
		}
	}
	sort.Strings(completions)
	return head, completions, tail
}

// ColorWanted reports whether output to f should be coloured: a terminal,
// and NO_COLOR not set.
func ColorWanted(isTerminal bool) bool {
	if _, no := os.LookupEnv("NO_COLOR"); no {
		return false
	}
	return isTerminal
}
