// Package rules holds symdiff's rules as named data: rewrite rules (the
// identities the simplifier and the prover use), derivative rules (each
// function's derivative in terms of the function itself) and function
// definitions. The built-in set lives in this folder's *.rules files,
// embedded in the binary and read through the same parser and loader as a user's rule
// file: one mechanism, not two.
package rules

import (
	"embed"
	"fmt"
	"path"
	"slices"
	"sort"
	"sync"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
)

// Kind says who uses a rewrite rule.
type Kind uint8

const (
	// Simplify rules are identities that make an expression simpler or
	// more canonical; the simplifier and the prover both use them.
	Simplify Kind = iota
	// Basis rules rewrite functions into a small basis (σ into exp, ...);
	// only the prover uses them.
	Basis
)

func (k Kind) String() string {
	if k == Basis {
		return "basis"
	}
	return "simplify"
}

// A Source is where a rule was stated.
type Source struct {
	File string
	Line int
}

func (s Source) String() string {
	if s.Line == 0 {
		return s.File
	}
	return fmt.Sprintf("%s:%d", s.File, s.Line)
}

// A Rule is a named rewrite rule LHS -> RHS, to be applied where every
// condition holds. Vars are its pattern variables: the names on the left
// side that are not functions.
type Rule struct {
	Name     string
	LHS, RHS ast.Expr
	Conds    []ast.Cond
	Vars     []string
	Kind     Kind
	Source   Source
}

func (r *Rule) String() string {
	return ast.StmtString(&ast.RuleStmt{Name: r.Name, LHS: r.LHS, RHS: r.RHS, Conds: r.Conds})
}

// A Deriv is a derivative rule: the derivative of Fn with respect to its
// parameter Params[Wrt] is Body.
type Deriv struct {
	Fn     string
	Params []string
	Wrt    int
	Body   ast.Expr
	Source Source
}

// Name is the rule's name in traces: d_sigma, or d_f_v for the derivative
// of f with respect to its parameter v.
func (d *Deriv) Name() string {
	if len(d.Params) == 1 {
		return "d_" + d.Fn
	}
	return "d_" + d.Fn + "_" + d.Params[d.Wrt]
}

func (d *Deriv) String() string {
	return ast.StmtString(&ast.DerivStmt{Fn: d.Fn, Params: d.Params, Wrt: d.Wrt, Body: d.Body})
}

// Instantiate returns the derivative at the given arguments.
func (d *Deriv) Instantiate(args []ast.Expr) ast.Expr {
	m := make(map[string]ast.Expr, len(d.Params))
	for i, p := range d.Params {
		m[p] = args[i]
	}
	return ast.Subst(d.Body, m)
}

// A Set is a collection of rules. Sets are immutable: Load returns a new
// set, so a file with an error leaves nothing half-loaded.
type Set struct {
	rules  []*Rule
	derivs map[string][]*Deriv // by function name; one per parameter at most
	defs   *ast.Defs           // function definitions (swish(u) := ...)
	decls  map[string]int      // functions known only by a derivative rule
	files  []string
}

// Empty returns a set with no rules.
func Empty() *Set {
	return &Set{derivs: map[string][]*Deriv{}, defs: &ast.Defs{}, decls: map[string]int{}}
}

func (s *Set) clone() *Set {
	c := &Set{
		rules:  slices.Clone(s.rules),
		derivs: make(map[string][]*Deriv, len(s.derivs)),
		defs:   s.defs.Clone(),
		decls:  make(map[string]int, len(s.decls)),
		files:  slices.Clone(s.files),
	}
	for k, v := range s.derivs {
		c.derivs[k] = slices.Clone(v)
	}
	for k, v := range s.decls {
		c.decls[k] = v
	}
	return c
}

// Rules returns the rewrite rules of the given kind, in the order stated.
func (s *Set) Rules(kind Kind) []*Rule {
	var out []*Rule
	for _, r := range s.rules {
		if r.Kind == kind {
			out = append(out, r)
		}
	}
	return out
}

// AllRules returns every rewrite rule.
func (s *Set) AllRules() []*Rule { return slices.Clone(s.rules) }

// Rule returns the rewrite rule with the given name.
func (s *Set) Rule(name string) (*Rule, bool) {
	for _, r := range s.rules {
		if r.Name == name {
			return r, true
		}
	}
	return nil, false
}

// Deriv returns the derivative rule of fn with respect to parameter wrt.
func (s *Set) Deriv(fn string, wrt int) (*Deriv, bool) {
	for _, d := range s.derivs[fn] {
		if d.Wrt == wrt {
			return d, true
		}
	}
	return nil, false
}

// Derivs returns every derivative rule, sorted by function and parameter.
func (s *Set) Derivs() []*Deriv {
	var out []*Deriv
	for _, ds := range s.derivs {
		out = append(out, ds...)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Fn != out[j].Fn {
			return out[i].Fn < out[j].Fn
		}
		return out[i].Wrt < out[j].Wrt
	})
	return out
}

// Defs returns the function definitions made by rule files.
func (s *Set) Defs() *ast.Defs { return s.defs }

// Funcs returns the functions known only by a derivative rule, with their
// arity (for the parser).
func (s *Set) Funcs() map[string]int { return s.decls }

// Files lists the files the set was loaded from.
func (s *Set) Files() []string { return slices.Clone(s.files) }

// Context returns a parser context that knows the set's functions.
func (s *Set) Context(defs *ast.Defs) *parser.Context {
	d := s.defs.Clone()
	for _, def := range defs.All() {
		_ = d.Define(def)
	}
	return &parser.Context{Defs: d, Funcs: s.decls}
}

// Load returns a new set: s with the rules of one rule file added. A rule
// file holds rewrite rules, derivative rules and function definitions. A
// rule may not reuse the name of an existing rule; a derivative rule
// replaces an earlier one for the same function and parameter.
func (s *Set) Load(file, src string) (*Set, error) {
	return s.load(file, src, Simplify)
}

func (s *Set) load(file, src string, kind Kind) (*Set, error) {
	stmts, err := parser.ParseFile(file, src, &parser.Context{Defs: s.defs, Funcs: s.decls})
	if err != nil {
		return nil, err
	}
	c := s.clone()
	c.files = append(c.files, file)
	for _, st := range stmts {
		if err := c.add(st, src, kind); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// Add returns a new set with one more statement, already parsed (a rule,
// a derivative rule or a function definition written in a script); src
// is the text its position refers to, for errors.
func (s *Set) Add(st *parser.Statement, src string) (*Set, error) {
	c := s.clone()
	if err := c.add(st, src, Simplify); err != nil {
		return nil, err
	}
	return c, nil
}

// add puts one statement into c (a fresh clone).
func (c *Set) add(st *parser.Statement, src string, kind Kind) error {
	file := st.Pos.Filename
	{
		where := Source{File: file, Line: st.Pos.Line}
		switch x := st.Stmt.(type) {
		case *ast.RuleStmt:
			if old, ok := c.Rule(x.Name); ok {
				return parser.ErrorAt(src, st.Pos, "rule %s is already defined at %s", x.Name, old.Source)
			}
			c.rules = append(c.rules, &Rule{
				Name: x.Name, LHS: x.LHS, RHS: x.RHS, Conds: x.Conds,
				Vars: patternVars(x.LHS), Kind: kind, Source: where,
			})
		case *ast.DerivStmt:
			d := &Deriv{Fn: x.Fn, Params: x.Params, Wrt: x.Wrt, Body: x.Body, Source: where}
			list := slices.DeleteFunc(c.derivs[x.Fn], func(o *Deriv) bool { return o.Wrt == x.Wrt })
			c.derivs[x.Fn] = append(list, d)
			if _, builtin := ast.LookupFunc(x.Fn); !builtin {
				if _, defined := c.defs.Lookup(x.Fn); !defined {
					c.decls[x.Fn] = len(x.Params)
				}
			}
		case *ast.DefStmt:
			if x.Def.Kind != ast.DefFunc {
				return parser.ErrorAt(src, st.Pos, "a rule file may define functions, like f(u) := ..., but not %s", ast.String(x.Def.Head()))
			}
			if err := c.defs.Define(x.Def); err != nil {
				return parser.ErrorAt(src, st.Pos, "%v", err)
			}
			delete(c.decls, x.Def.Name)
		default:
			return parser.ErrorAt(src, st.Pos, "a rule file holds rules, derivative rules and function definitions, not %s", describeStmt(st.Stmt))
		}
	}
	return nil
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

// patternVars returns the scalar names free in a rule's left side.
func patternVars(lhs ast.Expr) []string {
	var vars []string
	ast.InspectOnce(lhs, func(e ast.Expr) bool {
		if s, ok := e.(*ast.Sym); ok && ast.HasFree(lhs, s.Name) && !slices.Contains(vars, s.Name) {
			vars = append(vars, s.Name)
		}
		return true
	})
	sort.Strings(vars)
	return vars
}

//go:embed *.rules
var builtinFS embed.FS

var (
	builtinOnce sync.Once
	builtinSet  *Set
	builtinErr  error
)

// BuiltinFiles lists the embedded rule files in load order.
var BuiltinFiles = []string{"deriv.rules", "simplify.rules", "basis.rules"}

// Builtin returns symdiff's own rules, loaded from the embedded files. A
// broken embedded file is a bug, caught by the tests; at run time it
// panics with the file's error.
func Builtin() *Set {
	builtinOnce.Do(func() {
		s := Empty()
		for _, f := range BuiltinFiles {
			b, err := builtinFS.ReadFile(f)
			if err != nil {
				builtinErr = err
				return
			}
			kind := Simplify
			if path.Base(f) == "basis.rules" {
				kind = Basis
			}
			s, err = s.load("rules/"+f, string(b), kind)
			if err != nil {
				builtinErr = err
				return
			}
		}
		builtinSet = s
	})
	if builtinErr != nil {
		panic(fmt.Sprintf("rules: built-in rules do not load: %v", builtinErr))
	}
	return builtinSet
}

// ReadBuiltin returns the text of an embedded rule file.
func ReadBuiltin(name string) (string, error) {
	b, err := builtinFS.ReadFile(name)
	return string(b), err
}

// Without returns the set without the rewrite rule of that name (to prove
// a rule without using it).
func (s *Set) Without(name string) *Set {
	c := s.clone()
	for i, r := range c.rules {
		if r.Name == name {
			c.rules = append(c.rules[:i:i], c.rules[i+1:]...)
			break
		}
	}
	return c
}
