// Package session runs statements of the loss language and keeps their
// state: definitions, rules, the last result. The command line's run, the
// REPL and the LaTeX renderer all execute through it, so a script means
// the same thing everywhere.
package session

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/derive"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/rules"
	"github.com/symdiff/symdiff/rules/load"
	"github.com/symdiff/symdiff/simplify"
	expl "github.com/symdiff/symdiff/simplify/explain"
	"github.com/symdiff/symdiff/simplify/matrix"
	"github.com/symdiff/symdiff/simplify/prove"
)

// Status is an outcome, and the process exit status that reports it.
type Status int

const (
	OK       Status = 0 // success; every proof proved (or every != held)
	Refuted  Status = 1 // an equality was refuted, or a != was proved false
	BadInput Status = 2 // bad usage or bad input
	Unknown  Status = 3 // a proof could not decide
)

// Worse returns the more serious of two outcomes: bad input, then
// refuted, then unknown, then success.
func Worse(a, b Status) Status {
	rank := map[Status]int{OK: 0, Unknown: 1, Refuted: 2, BadInput: 3}
	if rank[b] > rank[a] {
		return b
	}
	return a
}

// Session holds the state statements run in.
type Session struct {
	Defs     *ast.Defs
	Rules    *rules.Set
	Expanded bool          // show results with definitions expanded
	Timeout  time.Duration // per statement; 0 means none
	Last     *Result       // the last value (for _ and :steps)
	// Assume holds the assume statements run so far (and --assume's):
	// the simplifier, the prover and its counterexamples respect them.
	Assume []*ast.AssumeStmt
	// Decls holds the declared shapes (X : matrix(n, d)); see matrix.go.
	Decls map[string]ast.Shape
	// Warn receives the warnings about the definitions loaded from files
	// (a definition that shadows a built-in function's name), one line
	// each, once per definition; nil drops them. The command line points
	// it at standard error, so that standard output still parses back.
	Warn io.Writer
}

// AddAssumption adds an assumption written as in a script, with or
// without the word assume: "x > 0", "assume k in 1..d".
func (s *Session) AddAssumption(text string) error {
	src := strings.TrimSpace(text)
	if !strings.HasPrefix(src, "assume ") {
		src = "assume " + src
	}
	stmts, err := parser.ParseFile("", src, s.Context())
	if err != nil {
		return err
	}
	for _, st := range stmts {
		a, ok := st.Stmt.(*ast.AssumeStmt)
		if !ok {
			return fmt.Errorf("%q is not an assumption: write x > 0, 0 < p < 1, k in 1..d, y[i] in {0, 1} or sum(c=1..K, t[i,c]) == 1", text)
		}
		s.Assume = append(s.Assume, a)
	}
	return nil
}

// New returns a session with the built-in rules and no definitions.
func New() *Session {
	return &Session{Defs: &ast.Defs{}, Rules: load.Builtin(), Decls: map[string]ast.Shape{}}
}

// Snapshot returns a copy of the session that later definitions and rules
// do not change: a statement that only reads the session can run on it
// while the script goes on.
func (s *Session) Snapshot() *Session {
	c := *s
	c.Defs = s.Defs.Clone()
	c.Decls = maps.Clone(s.Decls)
	// The copy's next assumption must not write into the backing array
	// the session appends to.
	c.Assume = slices.Clip(s.Assume)
	return &c
}

// Context is the parser context for this session's state.
func (s *Session) Context() *parser.Context {
	c := load.Context(s.Rules, s.Defs)
	c.Shapes = s.Decls
	c.DeferLast = true // a statement that uses _ is read again as it runs (lastshape.go)
	return c
}

// LoadRules adds a rule file to the session; nothing is added if it has
// an error.
func (s *Session) LoadRules(file string) error {
	src, err := readFile(file)
	if err != nil {
		return err
	}
	rs, err := load.File(s.Rules, file, src)
	if err != nil {
		return err
	}
	s.Rules = rs
	return nil
}

// LoadDefs takes the definitions and rules of a file into the session.
func (s *Session) LoadDefs(file string) error {
	src, err := readFile(file)
	if err != nil {
		return err
	}
	return s.LoadDefsSource(file, src)
}

// LoadDefsSourceContext takes the definitions and rules of a script's
// source (read from file, which names it in errors) into the session.
func (s *Session) LoadDefsSourceContext(ctx context.Context, file, src string) error {
	stmts, err := s.Parse(ctx, file, src)
	if err != nil {
		return err
	}
	// A script serves as a definitions file too: its definitions, rules
	// and assumptions are taken, its expressions and proofs are not run.
	for _, st := range stmts {
		switch st.Stmt.(type) {
		case *ast.DefStmt, *ast.RuleStmt, *ast.DerivStmt, *ast.AssumeStmt, *ast.DeclStmt:
			if _, err := s.Exec(ctx, st); err != nil {
				return At(src, st, err)
			}
			if s.Warn != nil {
				for _, w := range st.Warnings {
					fmt.Fprintln(s.Warn, w)
				}
			}
		}
	}
	return nil
}

func readFile(file string) (string, error) { return readFrom(file, os.Stdin) }

func readFrom(file string, stdin io.Reader) (string, error) {
	if file == "-" {
		var b strings.Builder
		buf := make([]byte, 64<<10)
		for {
			n, err := stdin.Read(buf)
			b.Write(buf[:n])
			if b.Len() > parser.MaxInputBytes {
				return "", fmt.Errorf("standard input: more than %d MiB", parser.MaxInputBytes>>20)
			}
			if err != nil {
				break
			}
		}
		return b.String(), nil
	}
	fi, err := os.Stat(file)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return "", fmt.Errorf("%s: no such file", file)
		}
		return "", fmt.Errorf("cannot read %s: %v", file, errors.Unwrap(err))
	}
	if fi.Size() > parser.MaxInputBytes {
		return "", tooLarge(file, fi.Size())
	}
	b, err := os.ReadFile(file)
	return string(b), err
}

// tooLarge is the error of a script file over the input limit.
func tooLarge(file string, size int64) error {
	return fmt.Errorf("%s: %d bytes, more than the limit of %d MiB", file, size, parser.MaxInputBytes>>20)
}

// ReadSource reads a file (or standard input for "-").
func ReadSource(file string) (string, error) { return readFile(file) }

// ReadSourceFrom reads a file, or stdin for "-": a command given its
// standard input as a reader (Main, and the tests that call it) must not
// read the process's.
func ReadSourceFrom(file string, stdin io.Reader) (string, error) { return readFrom(file, stdin) }

// A Result is what a statement produced.
type Result struct {
	Stmt   ast.Stmt
	Input  string   // the statement as written
	Status Status   // for proofs
	Expr   ast.Expr // a bare expression as written (with _ replaced)
	Value  ast.Expr // its simplified value
	// Simplified holds the simplification of a bare expression.
	Simplified *simplify.Result
	Proof      *prove.Proof
	Neq        bool // the proof asserted A != B
	Def        *ast.Def
	Rule       string // a rule or derivative rule that was added
	// Explanation answers an explain statement.
	Explanation *expl.Explanation
	Decl        *ast.DeclStmt
	// Matrix is the working of a matrix expression (Value is its matrix
	// form); Note says when it has none and Value is in index form, and
	// which assumptions it used, as the text shows it under the value.
	Matrix *matrix.Result
	Note   string
	// Notes are the same sentences one by one, for JSON ("notes"): the
	// assumptions a result used ("(by assumption sum(y) == 1)") and, first,
	// that it has no matrix form when it has none.
	Notes []string
	// Warnings are the parser's about the statement (a definition that
	// shadows a built-in function's name), said once, where it is made.
	Warnings []string
	Assumed  *ast.AssumeStmt
}

func (s *Session) options() simplify.Options {
	return simplify.Options{Defs: s.Defs, Rules: s.Rules, Expanded: s.Expanded, Assume: s.Assume}
}

// Exec runs one statement.
func (s *Session) Exec(ctx context.Context, st *parser.Statement) (*Result, error) {
	if s.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.Timeout)
		defer cancel()
	}
	st, err := s.reparseLast(st)
	if err != nil {
		return nil, err
	}
	r := &Result{Stmt: st.Stmt, Input: st.Text, Warnings: st.Warnings}
	last := s.last
	if !MayReadLast(st) {
		// No _ to replace, and asking the tree (HasFree) lists all its
		// free names in one step Ctrl-C cannot cut: 150 ms for a sum of
		// 100,000 names.
		last = func(e ast.Expr) (ast.Expr, error) { return e, nil }
	}
	switch x := st.Stmt.(type) {
	case *ast.DefStmt:
		def := *x.Def
		if slices.Contains(def.Params, lastName) {
			// f(_) := _^2: the parameter, not the last result.
		} else if def.Body, err = last(def.Body); err != nil {
			return nil, err
		}
		if def.Body, err = s.applyVerbs(ctx, def.Body); err != nil {
			return nil, explain(err, ctx)
		}
		if err := s.Defs.Define(&def); err != nil {
			return nil, err
		}
		r.Def = &def
	case *ast.DeclStmt:
		s.Declare(x.Name, x.Shape)
		r.Decl = x
	case *ast.ExprStmt:
		var e ast.Expr
		if e, err = last(x.X); err != nil {
			return nil, err
		}
		if s.involved(e) {
			err = s.matrixValue(ctx, r, e)
		} else {
			err = s.value(ctx, r, e)
		}
		if err == nil {
			s.Last = r
			s.declareLast(r)
		}
	case *ast.ProveStmt:
		r.Neq = x.Neq
		a, errA := last(x.A)
		b, errB := last(x.B)
		if err = errors.Join(errA, errB); err != nil {
			return nil, err
		}
		a, errA = s.applyVerbs(ctx, a)
		b, errB = s.applyVerbs(ctx, b)
		if err = errors.Join(errA, errB); err != nil {
			return nil, explain(err, ctx)
		}
		if s.proveAsMatrix(a, b) {
			r.Proof, err = matrix.Prove(ctx, a, b, s.claimOptions())
			if err == nil {
				s.trimCounter(a, b, r.Proof)
			}
		} else {
			r.Proof, err = prove.Prove(ctx, a, b, s.proveOptions(a, b))
			if err == nil {
				err = s.provedUndefined(ctx, a, b, r.Proof) // trust4: a side undefined where a condition holds
			}
		}
		if err == nil {
			r.Status = proofStatus(r.Proof.Verdict, x.Neq)
		}
	case *ast.ExplainStmt:
		var loss ast.Expr
		if loss, err = last(x.Loss); err != nil {
			return nil, err
		}
		r.Explanation, err = s.Explain(ctx, loss, ExplainOptions{Wrt: x.Wrt})
		if err == nil {
			r.Status = ExplainStatus(r.Explanation)
		}
	case *ast.AssumeStmt:
		s.Assume = append(s.Assume, x)
		r.Assumed = x
	case *ast.RuleStmt, *ast.DerivStmt:
		rs, lerr := load.Stmt(s.Rules, st, "")
		if lerr != nil {
			return nil, lerr
		}
		s.Rules = rs
		r.Rule = ast.StmtString(st.Stmt)
	}
	if err != nil {
		return nil, explain(err, ctx)
	}
	return r, nil
}

// explain turns cancellation and time-outs into messages a user reads.
func explain(err error, ctx context.Context) error {
	if err == nil && ctx.Err() != nil {
		err = ctx.Err() // a pass that gave up early returned what it had
	}
	switch {
	case err == nil:
		return nil
	case errors.Is(err, context.DeadlineExceeded):
		return errors.New("stopped: the time limit was reached")
	case errors.Is(err, context.Canceled):
		return errors.New("interrupted")
	}
	return err
}

// MayReadLast reports whether st may read _ (the last value), from its
// text: a statement whose source never has the name _ on its own cannot
// (the scan is linear and lists no names); one without text, or deferred
// (its tree is _ itself), may.
func MayReadLast(st *parser.Statement) bool {
	return st.Text == "" || st.Deferred != nil || parser.MentionsLast(st.Text)
}

// WithLast replaces the name _ by the last value, as a statement does.
func (s *Session) WithLast(e ast.Expr) (ast.Expr, error) { return s.last(e) }

// last replaces the name _ by the last value.
func (s *Session) last(e ast.Expr) (ast.Expr, error) {
	if !ast.HasFree(e, "_") {
		return e, nil
	}
	if s.Last == nil || s.Last.Value == nil {
		return nil, errors.New("_ is the last result, and there is none yet")
	}
	return ast.Subst(e, map[string]ast.Expr{"_": s.Last.Value}), nil
}

// lastName is the name of the last result.
const lastName = "_"

// declareLast gives _ the shape of the last result when it is a vector or
// a matrix, so that A*_ parses as a matrix product. Read as a scalar, A*_
// was a scalar multiple, whose factors are put in a canonical order, and
// with the matrix put in for _ it was "cannot multiply B (d×d) by A (d×d)".
func (s *Session) declareLast(r *Result) {
	if m := r.Matrix; m != nil && m.Value != nil && !m.Shape.IsScalar() {
		s.Declare(lastName, m.Shape)
		return
	}
	delete(s.Decls, lastName)
}

// value simplifies a bare expression.
func (s *Session) value(ctx context.Context, r *Result, e ast.Expr) error {
	r.Expr = e
	if isVerb(e) {
		// Shown as the verb made it, with what the verb says besides
		// (factor: irreducible over the rationals, or may factor further),
		// as the command of the same name shows it.
		v, note, err := s.verbStmt(ctx, e.(*ast.Call))
		r.Value = v
		if note != "" {
			r.Notes = append(r.Notes, note)
			r.Note = "(" + note + ")"
		}
		return err
	}
	res, err := s.Simplify(ctx, e)
	if err != nil {
		return err
	}
	s.SetSimplified(r, e, res)
	return nil
}

// SetSimplified makes res, the simplification of e, r's value, with the
// notes every view shows next to it: the assumptions it used ("by
// assumption x > 1": without them the reader would take it for an
// identity) and, for a derivative by a symmetric matrix's entry, what
// that derivative means. A script's statement and the commands (diff,
// simplify) state the same.
func (s *Session) SetSimplified(r *Result, e ast.Expr, res *simplify.Result) {
	r.Simplified, r.Value = res, res.Expr
	for _, n := range Assumed(res.Trace) {
		r.addNote(n)
	}
	s.noteSymmetricEntry(r, e)
}

// addNote adds a sentence to r's notes, and to its text in parentheses on
// a line of its own.
func (r *Result) addNote(n string) {
	r.Notes = append(r.Notes, n)
	r.Note = strings.TrimPrefix(r.Note+"\n  ", "\n  ") + "(" + n + ")"
}

func proofStatus(v prove.Verdict, neq bool) Status {
	switch {
	case v == prove.Unknown:
		return Unknown
	case (v == prove.Proved) == !neq:
		return OK
	}
	return Refuted
}

// Steps returns the derivation of a result whose expression is a
// derivative d(E, v), or nil: a rendering of the trace its simplification
// recorded, not a second run.
func (s *Session) Steps(r *Result) (*simplify.Derivation, error) {
	return s.StepsContext(context.Background(), r)
}

// StepsContext is Steps, giving up once ctx is done (or the session's
// time limit is reached): a deep derivative's derivation takes seconds.
func (s *Session) StepsContext(ctx context.Context, r *Result) (*simplify.Derivation, error) {
	if r.Matrix == nil && r.Simplified == nil {
		return nil, nil
	}
	ctx, cancel := s.limit(ctx)
	defer cancel()
	if r.Matrix != nil {
		d, err := r.Matrix.DerivationContext(ctx)
		return d, explain(err, ctx)
	}
	d, err := r.Simplified.DerivationContext(ctx)
	return d, explain(err, ctx)
}

// limit applies the session's time limit to ctx.
func (s *Session) limit(ctx context.Context) (context.Context, context.CancelFunc) {
	if s.Timeout > 0 {
		return context.WithTimeout(ctx, s.Timeout)
	}
	return context.WithCancel(ctx)
}

// Derive differentiates e by v in this session and returns the derivation
// with the simplified result it ends in.
func (s *Session) Derive(ctx context.Context, e, v ast.Expr) (*simplify.Derivation, *simplify.Result, error) {
	if d := ast.NewDeriv(e, v); s.involved(d) {
		// A vector or matrix derivative: the whole chain, from the input
		// through index form back to matrix notation.
		r := &Result{}
		if err := s.matrixValue(ctx, r, d); err != nil {
			return nil, nil, err
		}
		der, err := s.StepsContext(ctx, r)
		return der, r.Simplified, err
	}
	res, err := s.Simplify(ctx, ast.NewDeriv(e, v))
	if err != nil {
		return nil, nil, err
	}
	d, err := s.StepsContext(ctx, &Result{Simplified: res})
	return d, res, err
}

// Simplify simplifies e in this session.
func (s *Session) Simplify(ctx context.Context, e ast.Expr) (*simplify.Result, error) {
	ctx, cancel := s.limit(ctx)
	defer cancel()
	e, err := s.applyVerbs(ctx, e)
	if err != nil {
		return nil, explain(err, ctx)
	}
	r, err := simplify.Simplify(ctx, e, s.options())
	if err == nil && ast.HasDeriv(e) {
		// First: the function's own words say where.
		if err := s.derivedZeroDivision(ctx, e); err != nil {
			return nil, err
		}
	}
	if err == nil && divByZero(r.Canonical) {
		return nil, s.zeroDivision(ctx, e)
	}
	if err == nil {
		dctx, doubt := withDoubts(ctx)
		ex := s.Defs.Expand(e) // once: W1's derivatives cost 15% of their time to expand
		if err := undefinedPart(dctx, ex, s.evalDefs(), s.options()); err != nil {
			return nil, doubt.undecided(err)
		}
		// Only assumptions make the simplifier write a part without a
		// value that the input did not have ((-x)^(1/2) with x > 0); the
		// walk over a large result (W5's 1,000 products) cost 35 MB.
		if len(s.Assume) > 0 {
			if err := s.undefinedResult(ctx, e, r); err != nil {
				return nil, err
			}
		}
		// Without assumptions, the input as written (its derivatives not
		// taken): the walk over W1's opened derivatives was 12% of them.
		at := ex
		if len(s.Assume) == 0 {
			at = e
		}
		if err := s.undefinedAssumed(ctx, at); err != nil {
			return nil, err
		}
	}
	return r, explain(err, ctx)
}

// Prove proves a == b in this session.
func (s *Session) Prove(ctx context.Context, a, b ast.Expr) (*prove.Proof, error) {
	ctx, cancel := s.limit(ctx)
	defer cancel()
	a, errA := s.applyVerbs(ctx, a)
	b, errB := s.applyVerbs(ctx, b)
	if err := errors.Join(errA, errB); err != nil {
		return nil, explain(err, ctx)
	}
	if s.proveAsMatrix(a, b) {
		// Declared vectors and matrices (--defs): entry by entry, as a
		// prove statement of a script is.
		p, err := matrix.Prove(ctx, a, b, s.claimOptions())
		if err == nil {
			s.trimCounter(a, b, p)
		}
		return p, explain(err, ctx)
	}
	p, err := prove.Prove(ctx, a, b, s.proveOptions(a, b))
	if err == nil {
		if uerr := s.provedUndefined(ctx, a, b, p); uerr != nil { // trust4: a side undefined where a condition holds
			return nil, explain(uerr, ctx)
		}
	}
	return p, explain(err, ctx)
}

// Eval evaluates e numerically: derivatives first, then float64. A
// failure of the evaluation is placed at the part of e it happened in
// (placeEval).
func (s *Session) Eval(ctx context.Context, e ast.Expr, b ast.Bindings) (float64, error) {
	v, err := s.evalUnplaced(ctx, e, b)
	return v, s.placeEval(ctx, e, b, err)
}

// evalUnplaced is Eval without placing its failure.
func (s *Session) evalUnplaced(ctx context.Context, e ast.Expr, b ast.Bindings) (float64, error) {
	b, err := s.withSizes(b)
	if err != nil {
		return 0, err
	}
	ctx, cancel := s.limit(ctx)
	defer cancel()
	e, err = s.applyVerbs(ctx, e)
	if err != nil {
		return 0, explain(err, ctx)
	}
	derived := ast.HasDeriv(e)
	e, err = s.expandDerivs(ctx, e)
	if err != nil {
		return 0, explain(err, ctx)
	}
	if !derived && ast.HasDeriv(s.Defs.Expand(e)) {
		derived = true
	}
	v, err := s.evalAt(ctx, e, s.evalDefs(), b, derived)
	return v, explain(err, ctx)
}

// expandDerivs takes the derivatives of e, also those inside the
// definitions it uses (a := d(x^2, x)), which are opened for that: eval
// of a said it could not evaluate d(x^2, x) before it is differentiated,
// and subs(a, x = 3) put 3 in place of the variable differentiated by.
// Where no definition holds a derivative, e keeps its defined names.
func (s *Session) expandDerivs(ctx context.Context, e ast.Expr) (ast.Expr, error) {
	opt := derive.Options{Defs: s.Defs, Rules: s.Rules}
	e, _, err := derive.Expand(ctx, e, opt)
	if err != nil {
		return nil, err
	}
	if opened := s.Defs.Expand(e); ast.HasDeriv(opened) {
		e, _, err = derive.Expand(ctx, opened, opt)
	}
	return e, err
}

// evalDefs are the definitions a numeric evaluation reads: the session's
// and the functions its rule files define. Where the rule files define
// none the session's does not have (the built-in rules define none), they
// are the session's own, not a copy: a copy cost nothing at once, but the
// session's next definition then copied the part of its table it wrote
// (a proof made two copies, and W8's batch of 200 proofs allocated 3 MB
// for them). The callers only read them.
func (s *Session) evalDefs() *ast.Defs {
	if evalDefsShared && !s.rulesAddDefs() {
		return s.Defs
	}
	defs := s.Defs.Clone()
	for _, d := range s.Rules.Defs().All() {
		if _, ok := defs.Lookup(d.Name); !ok {
			_ = defs.Define(d)
		}
	}
	return defs
}

// rulesAddDefs reports whether the rule files define a name the session
// does not (evalDefs then adds it to a copy).
func (s *Session) rulesAddDefs() bool {
	rd := s.Rules.Defs()
	if rd == nil || rd.Len() == 0 {
		return false
	}
	for _, d := range rd.All() {
		if _, ok := s.Defs.Lookup(d.Name); !ok {
			return true
		}
	}
	return false
}

// evalDefsShared lets evalDefs hand out the session's definitions where
// the rule files add none (TestEvalDefsShared turns it off to compare).
var evalDefsShared = true

// evalPrec is the precision, in bits, at which a derivative is evaluated
// before it is rounded to a float64.
const evalPrec = 512

// ProofStatus is the exit status a proof reports: for A == B, 0 proved,
// 1 refuted, 3 unknown; for A != B, 0 refuted (it holds), 1 proved.
func ProofStatus(pr *prove.Proof, neq bool) Status { return proofStatus(pr.Verdict, neq) }

// At places an error from running a statement at the statement, with the
// quoted line and caret of a parse error (an error that has its own place
// keeps it). An error about a subexpression (one with an Expr method)
// points at where that subexpression is written, if it is.
func At(src string, st *parser.Statement, err error) error {
	var pe *parser.Error
	if errors.As(err, &pe) {
		return err
	}
	at := st.Pos
	var ne interface{ Expr() ast.Expr }
	if errors.As(err, &ne) {
		if p, ok := st.PosOf(ne.Expr()); ok {
			at = p
		}
		// The occurrence the error is about, where the part is written
		// more than once (and the statement holds as many).
		var oe interface{ Occurrence() (k, n int) }
		if errors.As(err, &oe) {
			if k, n := oe.Occurrence(); n > 1 {
				if ps := st.PositionsOf(ne.Expr()); len(ps) == n && k < n {
					at = ps[k]
				}
			}
		}
	}
	placed := parser.ErrorAt(src, at, "%v", err)
	var u *UndecidedError
	if errors.As(err, &u) {
		return &placedUndecided{placed, u} // still undecided: exit status 3
	}
	return placed
}

// divByZero reports whether e has 0 to a negative power: after
// simplification, a division by zero that holds everywhere.
func divByZero(e ast.Expr) bool { return ast.HasZeroInverse(e) }
