// Package rules holds symdiff's rules as named data, and the trace of
// their application. A rule is a rewrite rule (an identity the simplifier
// and the prover use), a derivative rule (a function's derivative in terms
// of the function itself), a rule of calculus or of the canonical form that
// the engine applies in Go, or the opening of a definition. Every step that
// derive, simplify or prove takes names one of them, so a derivation, a
// proof and `symdiff rules list` speak of the same things.
//
// This package imports only ast: reading rule files is package load's job.
package rules

import (
	"fmt"
	"slices"
	"sort"
	"sync"

	"github.com/symdiff/symdiff/ast"
)

// Kind says what a rule is and who applies it.
type Kind uint8

const (
	// Simplify rules are identities that make an expression simpler or
	// more canonical; the simplifier and the prover both use them.
	Simplify Kind = iota
	// Basis rules rewrite functions into a small basis (σ into exp, ...);
	// only the prover uses them.
	Basis
	// Deriv rules state a function's derivative: deriv sigma(u) = ...
	Deriv
	// Calculus rules are the rules of differentiation (linearity, the
	// product and chain rules), applied by package derive.
	Calculus
	// Canonical rules are the identities the canonical form is built
	// from (collecting like terms, contracting a Kronecker delta), applied
	// by package simplify.
	Canonical
	// Pass rules name a phase of the engine made of other rules (collect
	// and cancel, differentiate): their steps hold the rules' steps.
	Pass
	// Definition rules open a name the user defined: p[i] = σ(z[i]).
	Definition
	// Assumption rules state what a proof or simplification assumed.
	Assumption
)

var kindNames = [...]string{"simplify", "basis", "deriv", "calculus", "canonical", "pass", "definition", "assumption"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", k)
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

// An Env is what a rule written in Go may ask of the engine applying it.
type Env interface {
	// Canonical returns the canonical form of e.
	Canonical(e ast.Expr) ast.Expr
}

// A Rule is one named rule. Which fields are set depends on Kind:
//
//   - a rewrite rule (Simplify, Basis) LHS -> RHS applies where every
//     condition holds; Vars are its pattern variables, the names on the
//     left that are not functions. A rule written in Go has Apply instead
//     (and may keep an LHS and RHS that show what it does);
//   - a derivative rule (Deriv) says that the derivative of Fn with
//     respect to its parameter Params[Wrt] is Body;
//   - the other kinds are applied by the engine's own code; LHS and RHS,
//     when set, state the identity for a reader.
type Rule struct {
	Name   string // unique within a set: sigma_neg, d_sigma, product_rule
	Kind   Kind
	Doc    string // a human description: "chain rule", "e^0 = 1"
	Text   string // the rule written out, when LHS and RHS cannot say it
	Source Source

	LHS, RHS ast.Expr
	Conds    []ast.Cond
	Vars     []string

	Fn     string
	Params []string
	Wrt    int
	Body   ast.Expr

	// Apply rewrites e at its root, for a rule written in Go; Root is the
	// root it applies at (see simplify's head), Examples expressions it
	// applies to, which `symdiff rules check` tests it on.
	Apply    func(env Env, e ast.Expr) (ast.Expr, bool)
	Root     string
	Examples []string
}

func (r *Rule) String() string {
	switch {
	case r.Kind == Deriv:
		return ast.StmtString(&ast.DerivStmt{Fn: r.Fn, Params: r.Params, Wrt: r.Wrt, Body: r.Body})
	case r.Apply == nil && r.LHS != nil && (r.Kind == Simplify || r.Kind == Basis):
		return ast.StmtString(&ast.RuleStmt{Name: r.Name, LHS: r.LHS, RHS: r.RHS, Conds: r.Conds})
	case r.LHS != nil:
		return r.Name + ": " + ast.String(r.LHS) + " = " + ast.String(r.RHS)
	}
	return r.Name + ": " + r.Doc
}

// Statement is the rule written as an equation, LHS -> RHS [if ...], or
// its description when it has none.
func (r *Rule) Statement() string {
	switch {
	case r.Kind == Deriv:
		return ast.String(r.Call()) + "' = " + ast.String(r.Body)
	case r.LHS != nil:
		s := ast.String(r.LHS) + " -> " + ast.String(r.RHS)
		if len(r.Conds) > 0 {
			s += " if " + ast.CondsString(r.Conds)
		}
		return s
	case r.Text != "":
		return r.Text
	}
	return r.Doc
}

// Call is a derivative rule's function applied to its parameters: f(u, v).
func (r *Rule) Call() ast.Expr {
	args := make([]ast.Expr, len(r.Params))
	for i, p := range r.Params {
		args[i] = ast.NewSym(p)
	}
	return ast.NewCall(r.Fn, args...)
}

// DerivName is the name of the derivative rule of fn with respect to its
// parameter params[wrt]: d_sigma, or d_f_v when f has several.
func DerivName(fn string, params []string, wrt int) string {
	if len(params) == 1 {
		return "d_" + fn
	}
	return "d_" + fn + "_" + params[wrt]
}

// Instantiate returns a derivative rule's body at the given arguments.
func (r *Rule) Instantiate(args []ast.Expr) ast.Expr {
	m := make(map[string]ast.Expr, len(r.Params))
	for i, p := range r.Params {
		m[p] = args[i]
	}
	return ast.Subst(r.Body, m)
}

// DefRule is the rule that opens the definition d, for traces. Its name
// spells d's name as the user wrote it (def_sigma for the user's sigma that
// shadows the built-in, never the internal sigma@user): rule names are shown
// in --json "rules" lists and explanations.
func DefRule(d *ast.Def) *Rule {
	return &Rule{Name: "def_" + ast.ShownName(d.Name), Kind: Definition, Doc: "definition of " + ast.ShownName(d.Name), LHS: d.Head(), RHS: d.Body}
}

// PatternVars returns the scalar names free in a rule's left side.
func PatternVars(lhs ast.Expr) []string {
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

// A Set is a collection of rules. A published set is never modified:
// Clone it, add to the clone, and publish that, so a file with an error
// leaves nothing half-loaded.
type Set struct {
	rules  []*Rule
	derivs map[string][]*Rule // by function name; one per parameter at most
	defs   *ast.Defs          // function definitions (swish(u) := ...)
	decls  map[string]int     // functions known only by a derivative rule
	files  []string
	// byName indexes rules by name once AddRule has made the set larger
	// than indexRulesFrom (it asks for each new name: a scan made a file
	// of n rules cost n²); nil until then, and in a clone until it is
	// added to. Rule only reads it, so a set can be shared by readers.
	byName map[string]*Rule
	// lazy, when not nil, holds the derivative rules instead of derivs,
	// read the first time they are asked for (see DerivsOnFirstUse).
	lazy *lazyDerivs
}

// lazyDerivs are derivative rules read on first use.
type lazyDerivs struct {
	once sync.Once
	read func() *Set
	m    map[string][]*Rule
}

// DerivsOnFirstUse makes the derivative rules of s, a set not yet
// published and without any, those of the set read returns, which it
// calls the first time they are asked for (Deriv, Derivs, Clone) and not
// before: the built-in derivative rules are not read by a command that
// differentiates no function. Funcs does not ask for them: the caller
// adds the functions they declare (AddDecl) itself.
func (s *Set) DerivsOnFirstUse(read func() *Set) {
	if len(s.derivs) > 0 || s.lazy != nil {
		panic("rules: DerivsOnFirstUse on a set with derivative rules")
	}
	s.lazy = &lazyDerivs{read: read}
}

// AddDecl records a function known only by a derivative rule, with its
// arity, for a set whose derivative rules are read on first use.
func (s *Set) AddDecl(name string, arity int) { s.decls[name] = arity }

// derivMap returns the derivative rules by function name, reading them
// first if they are read on first use. Safe for concurrent use on a
// published set.
func (s *Set) derivMap() map[string][]*Rule {
	if l := s.lazy; l != nil {
		l.once.Do(func() { l.m = l.read().derivs })
		return l.m
	}
	return s.derivs
}

// Empty returns a set with no rules.
func Empty() *Set {
	return &Set{derivs: map[string][]*Rule{}, defs: &ast.Defs{}, decls: map[string]int{}}
}

// Clone returns a copy that can be added to.
func (s *Set) Clone() *Set {
	derivs := s.derivMap()
	c := &Set{
		rules:  slices.Clone(s.rules),
		derivs: make(map[string][]*Rule, len(derivs)),
		defs:   s.defs.Clone(),
		decls:  make(map[string]int, len(s.decls)),
		files:  slices.Clone(s.files),
	}
	for k, v := range derivs {
		c.derivs[k] = slices.Clone(v)
	}
	for k, v := range s.decls {
		c.decls[k] = v
	}
	return c
}

// AddRule adds a rewrite rule; its name must be new.
func (s *Set) AddRule(r *Rule) error {
	if old, ok := s.Rule(r.Name); ok {
		return fmt.Errorf("rule %s is already defined at %s", r.Name, old.Source)
	}
	s.rules = append(s.rules, r)
	switch {
	case s.byName != nil:
		s.byName[r.Name] = r
	case len(s.rules) > indexRulesFrom:
		s.byName = make(map[string]*Rule, 2*len(s.rules))
		for _, r := range s.rules {
			s.byName[r.Name] = r // names are distinct: AddRule refuses a second
		}
	}
	return nil
}

// AddDeriv adds a derivative rule, replacing an earlier one for the same
// function and parameter.
func (s *Set) AddDeriv(d *Rule) {
	if s.lazy != nil {
		// Not published yet (a set is added to only then): read the
		// rules now and add to them.
		m := s.derivMap()
		s.derivs = make(map[string][]*Rule, len(m))
		for k, v := range m {
			s.derivs[k] = slices.Clone(v)
		}
		s.lazy = nil
	}
	list := slices.DeleteFunc(s.derivs[d.Fn], func(o *Rule) bool { return o.Wrt == d.Wrt })
	s.derivs[d.Fn] = append(list, d)
	if _, builtin := ast.LookupFunc(d.Fn); !builtin {
		if _, defined := s.defs.Lookup(d.Fn); !defined {
			s.decls[d.Fn] = len(d.Params)
		}
	}
}

// AddDef adds a function definition.
func (s *Set) AddDef(d *ast.Def) error {
	if err := s.defs.Define(d); err != nil {
		return err
	}
	delete(s.decls, d.Name)
	return nil
}

// AddFile notes a file the set was loaded from.
func (s *Set) AddFile(name string) { s.files = append(s.files, name) }

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

// Count returns the number of rewrite rules of the given kind
// (len(s.Rules(kind)), without making the list).
func (s *Set) Count(kind Kind) int {
	n := 0
	for _, r := range s.rules {
		if r.Kind == kind {
			n++
		}
	}
	return n
}

// AllRules returns every rewrite rule.
func (s *Set) AllRules() []*Rule { return slices.Clone(s.rules) }

// Rule returns the rewrite rule with the given name.
func (s *Set) Rule(name string) (*Rule, bool) {
	if s.byName != nil {
		r, ok := s.byName[name]
		return r, ok
	}
	for _, r := range s.rules {
		if r.Name == name {
			return r, true
		}
	}
	return nil, false
}

// indexRulesFrom is the number of rules past which Rule builds byName.
var indexRulesFrom = 64

// Deriv returns the derivative rule of fn with respect to parameter wrt.
func (s *Set) Deriv(fn string, wrt int) (*Rule, bool) {
	for _, d := range s.derivMap()[fn] {
		if d.Wrt == wrt {
			return d, true
		}
	}
	return nil, false
}

// Derivs returns every derivative rule, sorted by function and parameter.
func (s *Set) Derivs() []*Rule {
	var out []*Rule
	for _, ds := range s.derivMap() {
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

// Without returns the set without the rewrite rule of that name (to prove
// a rule without using it).
func (s *Set) Without(name string) *Set {
	c := s.Clone()
	for i, r := range c.rules {
		if r.Name == name {
			c.rules = append(c.rules[:i:i], c.rules[i+1:]...)
			break
		}
	}
	return c
}
