// Package load reads rule files (the built-in ones embedded in package
// rules and a user's) into rule sets. It is the one place that links the
// parser to the rules: the engine's packages take a *rules.Set and never
// parse.
package load

import (
	"context"
	"fmt"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/ast/once"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/rules"
)

// File returns a new set: s with the rules of one rule file added. A rule
// file holds rewrite rules, derivative rules and function definitions. A
// rule may not reuse the name of an existing rule; a derivative rule
// replaces an earlier one for the same function and parameter. s is left
// as it was, also when the file has an error.
func File(s *rules.Set, file, src string) (*rules.Set, error) {
	return load(s, file, src, rules.Simplify)
}

// FileContext is File, reading the file under ctx (see
// parser.ParseFileContext): a huge file stops with ctx's error.
func FileContext(ctx context.Context, s *rules.Set, file, src string) (*rules.Set, error) {
	return loadContext(ctx, s, file, src, rules.Simplify)
}

func load(s *rules.Set, file, src string, kind rules.Kind) (*rules.Set, error) {
	return loadContext(context.Background(), s, file, src, kind)
}

func loadContext(ctx context.Context, s *rules.Set, file, src string, kind rules.Kind) (*rules.Set, error) {
	stmts, err := parser.ParseFileContext(ctx, file, src, &parser.Context{Defs: s.Defs(), Funcs: s.Funcs()})
	if err != nil {
		return nil, err
	}
	return addAll(ctx, s, file, src, stmts, kind)
}

// addAll returns a new set: s with the statements of one rule file added.
func addAll(ctx context.Context, s *rules.Set, file, src string, stmts []*parser.Statement, kind rules.Kind) (*rules.Set, error) {
	c := s.Clone()
	if err := addInto(ctx, c, file, src, stmts, nil, kind); err != nil {
		return nil, err
	}
	return c, nil
}

// addInto adds the statements of one rule file to c, a set not yet
// published; vars, when not nil, holds each statement's pattern variables
// (rules.PatternVars of a rule's left side, made at build time for the
// built-in rules).
func addInto(ctx context.Context, c *rules.Set, file, src string, stmts []*parser.Statement, vars [][]string, kind rules.Kind) error {
	c.AddFile(file)
	for i, st := range stmts {
		if i%256 == 255 && ctx.Err() != nil {
			return ctx.Err() // adding a rule scans the rules: 100,000 take minutes
		}
		var v []string
		if vars != nil {
			v = vars[i]
		}
		if err := add(c, st, src, kind, v); err != nil {
			return err
		}
	}
	return nil
}

// Stmt returns a new set with one more statement, already parsed (a rule,
// a derivative rule or a function definition written in a script); src is
// the text its position refers to, for errors.
func Stmt(s *rules.Set, st *parser.Statement, src string) (*rules.Set, error) {
	c := s.Clone()
	if err := add(c, st, src, rules.Simplify, nil); err != nil {
		return nil, err
	}
	return c, nil
}

// Context returns a parser context that knows the set's functions and the
// given definitions.
func Context(s *rules.Set, defs *ast.Defs) *parser.Context {
	d := s.Defs().Clone()
	for _, def := range defs.All() {
		_ = d.Define(def)
	}
	return &parser.Context{Defs: d, Funcs: s.Funcs()}
}

// add puts one statement into c (a fresh clone); vars are a rule's
// pattern variables when known already (nil: work them out).
func add(c *rules.Set, st *parser.Statement, src string, kind rules.Kind, vars []string) error {
	where := rules.Source{File: st.Pos.Filename, Line: st.Pos.Line}
	switch x := st.Stmt.(type) {
	case *ast.RuleStmt:
		if vars == nil {
			vars = rules.PatternVars(x.LHS)
		}
		r := &rules.Rule{
			Name: x.Name, Kind: kind, LHS: x.LHS, RHS: x.RHS, Conds: x.Conds,
			Vars: vars, Source: where,
		}
		if err := c.AddRule(r); err != nil {
			return parser.ErrorAt(src, st.Pos, "%v", err)
		}
	case *ast.DerivStmt:
		d := derivRule(x.Fn, x.Params, x.Wrt, x.Body, where)
		c.AddDeriv(&d)
	case *ast.DefStmt:
		if x.Def.Kind != ast.DefFunc {
			return parser.ErrorAt(src, st.Pos, "a rule file may define functions, like f(u) := ..., but not %s", ast.String(x.Def.Head()))
		}
		if err := c.AddDef(x.Def); err != nil {
			return parser.ErrorAt(src, st.Pos, "%v", err)
		}
	default:
		return parser.ErrorAt(src, st.Pos, "a rule file holds rules, derivative rules and function definitions, not %s", describeStmt(st.Stmt))
	}
	return nil
}

// derivRule is the derivative rule of fn with respect to its parameter
// wrt.
func derivRule(fn string, params []string, wrt int, body ast.Expr, where rules.Source) rules.Rule {
	return rules.Rule{
		Name: rules.DerivName(fn, params, wrt), Kind: rules.Deriv,
		Fn: fn, Params: params, Wrt: wrt, Body: body, Source: where,
	}
}

func describeStmt(s ast.Stmt) string {
	switch s.(type) {
	case *ast.ProveStmt:
		return "a prove statement"
	case *ast.ExprStmt:
		return "a bare expression"
	}
	return "this statement"
}

var (
	builtinOnce once.Once
	builtinSet  *rules.Set
	builtinErr  error
)

// Builtin returns symdiff's own rules, built on first use from their
// compact form made at build time (compact.go), or read from the embedded
// files when that is stale. A broken embedded file is a bug, caught by the
// tests; at run time it panics with the file's error.
func Builtin() *rules.Set {
	builtinOnce.Do(func() {
		if s, ok := decodeBuiltin(); ok {
			builtinSet = s
			return
		}
		builtinSet, builtinErr = parseBuiltin()
	})
	if builtinErr != nil {
		panic(fmt.Sprintf("rules: built-in rules do not load: %v", builtinErr))
	}
	return builtinSet
}

// parseBuiltin reads the built-in rules from the embedded files.
func parseBuiltin() (*rules.Set, error) {
	s := rules.Empty()
	for _, f := range rules.BuiltinFiles {
		var err error
		if s, err = load(s, "rules/"+f.Name, f.Text, f.Kind); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// ReadBuiltin returns the text of an embedded rule file.
func ReadBuiltin(name string) (string, error) {
	for _, f := range rules.BuiltinFiles {
		if f.Name == name {
			return f.Text, nil
		}
	}
	return "", fmt.Errorf("no built-in rule file %s", name)
}
