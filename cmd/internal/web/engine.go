package web

// The adapter: the only file of this package that calls the session, the
// LaTeX renderer and the parser. When their APIs change, this file is the
// one to fix; the server sees only runScript, result and scriptError.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/cmd/internal/latex"
	"github.com/symdiff/symdiff/cmd/internal/session"
	"github.com/symdiff/symdiff/parser"
)

// A result is the answer for one statement: the object `symdiff run
// --json` prints for it, plus the fields the page needs (line, latex,
// derivation, markdown).
type result = map[string]any

// A scriptError is a mistake in a script, or a statement that failed
// (the time limit, a division by zero), at a place in the script.
type scriptError struct {
	Line    int    `json:"line"`              // 1-based; 0 when the error has no place
	Col     int    `json:"col"`               // 1-based, in characters
	Message string `json:"message"`           // without the place
	Snippet string `json:"snippet,omitempty"` // the quoted line and the caret, as the CLI prints them
}

// A job is a script to run and its limits.
type job struct {
	src       string
	timeout   time.Duration // for the script and for each statement
	maxAnswer int           // bytes of results (as JSON) past which the script stops
	// running, when set, is told the error to report if the time limit
	// strikes now: the time-limit error placed at the statement that runs.
	running func(*scriptError)
}

// errTooLarge is the message when the results outgrow job.maxAnswer.
func errTooLarge(limit int) error {
	if limit%(1<<20) == 0 {
		return fmt.Errorf("stopped: the results are larger than %d MiB", limit>>20)
	}
	return fmt.Errorf("stopped: the results are larger than %d KiB", limit>>10)
}

// runScript parses and runs a script in a fresh session, statement by
// statement, as `symdiff run --json` does. It reads no file: the only
// input is the job's source. It returns the results of the statements
// that ran; on an error, those before it and the error.
func runScript(ctx context.Context, j job) ([]result, *scriptError) {
	s := session.New()
	s.Timeout = j.timeout
	stmts, err := s.Parse(ctx, "", j.src) // under the request's deadline: the client may leave
	if err != nil {
		return nil, toScriptError(err)
	}
	p := &session.Printer{Style: ast.Plain, S: s, Ctx: ctx}
	out := []result{}
	size := 0
	for _, st := range stmts {
		fail := func(err error) ([]result, *scriptError) { return out, toScriptError(session.At(j.src, st, err)) }
		if err := allowed(st); err != nil {
			return fail(err)
		}
		if j.running != nil {
			j.running(toScriptError(session.At(j.src, st, errTimeLimit)))
		}
		if err := ctx.Err(); err != nil { // the request's own deadline, over all statements
			if errors.Is(err, context.DeadlineExceeded) {
				return fail(errTimeLimit)
			}
			return fail(errors.New("interrupted"))
		}
		r, err := s.Exec(ctx, st)
		if err != nil {
			return fail(err)
		}
		m := asMap(p.JSON(r))
		if p.Stopped != nil {
			return fail(p.Stopped)
		}
		m["line"] = st.Pos.Line
		if err := addLaTeX(ctx, s, r, m); err != nil {
			return fail(err)
		}
		if j.maxAnswer > 0 {
			b, _ := json.Marshal(m)
			if size += len(b); size > j.maxAnswer {
				return fail(errTooLarge(j.maxAnswer))
			}
		}
		out = append(out, m)
	}
	return out, nil
}

// errTimeLimit is the session's message for a statement that ran out of
// time.
var errTimeLimit = errors.New("stopped: the time limit was reached")

// allowed admits the statements that compute and nothing else, so that a
// statement added to the language later (one that might read or write a
// file) is refused here until someone decides it is safe to serve.
func allowed(st *parser.Statement) error {
	switch st.Stmt.(type) {
	case *ast.DefStmt, *ast.ExprStmt, *ast.ProveStmt, *ast.RuleStmt, *ast.DerivStmt, *ast.AssumeStmt, *ast.DeclStmt, *ast.ExplainStmt:
		return nil
	}
	return fmt.Errorf("this statement is not available in the playground")
}

// asMap returns the JSON object of a result as a map, to add fields to.
func asMap(v any) result {
	if m, ok := v.(map[string]any); ok {
		return m
	}
	b, err := json.Marshal(v)
	m := result{}
	if err == nil {
		err = json.Unmarshal(b, &m)
	}
	if err != nil {
		return result{"value": v}
	}
	return m
}

// addLaTeX adds the fields the page renders:
//
//   - latex: the statement's outcome as one formula (a definition, an
//     expression = its value, the claim of a proof);
//   - derivation: for d(...), the derivation as an aligned display, a line
//     per step with its justification (the rows of `symdiff latex`);
//   - markdown: what `symdiff latex --markdown` writes for the statement.
func addLaTeX(ctx context.Context, s *session.Session, r *session.Result, m result) error {
	tex := func(e ast.Expr) string { t, _ := ast.FormatShaped(e, ast.LaTeX, s.Decls); return t } // vectors and matrices in bold
	md := latex.New(s, latex.Options{Markdown: true})
	switch x := r.Stmt.(type) {
	case *ast.DefStmt:
		m["latex"] = tex(r.Def.Head()) + ` \mathrel{:=} ` + tex(r.Def.Body)
	case *ast.ExprStmt:
		if r.Value == r.Expr {
			m["latex"] = tex(r.Expr)
		} else {
			m["latex"] = tex(r.Expr) + " = " + tex(r.Value)
		}
		if _, ok := r.Expr.(*ast.Deriv); ok {
			d, err := s.StepsContext(ctx, r)
			if err != nil {
				return err
			}
			md.Derivation(d)
			// The math block of the Markdown is the derivation; a
			// sentence may follow it (the ranges the result holds for).
			body := md.String()
			if i := strings.Index(body, "```math\n"); i >= 0 {
				body = body[i+len("```math\n"):]
				if j := strings.Index(body, "\n```"); j >= 0 {
					body = body[:j]
				}
			}
			m["derivation"] = body
			m["markdown"] = md.String()
			return nil
		}
	case *ast.ProveStmt:
		rel := " = "
		if x.Neq {
			rel = ` \neq `
		}
		m["latex"] = tex(r.Proof.A) + rel + tex(r.Proof.B)
		md.Proof(r.Proof, x.Neq)
		m["markdown"] = md.String()
		return nil
	case *ast.RuleStmt, *ast.DerivStmt:
		m["latex"] = `\text{` + latex.Escape(r.Rule) + `}`
	case *ast.AssumeStmt:
		m["latex"] = `\text{assume } ` + latex.AssumeTeX(x)
	case *ast.DeclStmt:
		m["latex"] = latex.DeclTeX(s, x)
	case *ast.ExplainStmt:
		// A card of its own: the verdict, c, μ, A, the family, the
		// consequence for the weights, the counterexample; and the whole
		// argument as Markdown.
		name := session.LossName(r.Explanation)
		card := latex.ExplainCard(s, name, r.Explanation)
		m["explain"] = card
		m["latex"] = card.Consequence
		if m["latex"] == "" {
			m["latex"] = card.Gradient
		}
		md.Explanation(name, r.Explanation)
		m["markdown"] = md.String()
		return nil
	}
	if t, ok := m["latex"].(string); ok {
		m["markdown"] = "```math\n" + t + "\n```\n\n"
	}
	return nil
}

// toScriptError gives an error its place in the script: parse errors and
// errors placed by session.At carry it.
func toScriptError(err error) *scriptError {
	var pe *parser.Error
	if errors.As(err, &pe) {
		return &scriptError{Line: pe.Pos.Line, Col: pe.Pos.Col, Message: pe.Msg, Snippet: pe.Snippet()}
	}
	return &scriptError{Message: err.Error()}
}
