// Package simplify puts expressions into canonical form, applies the
// identities of package rules, shows results in the form a person would
// write, and proves or refutes equalities.
//
// The driver runs named passes (cancel, expand) to a fixed point within
// limits on steps, size and time, and reports why it stopped. Every rewrite
// is recorded by rule name: the trace is what derivations print and what a
// proof is made of.
package simplify

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/derive"
	"github.com/symdiff/symdiff/rules"
)

// Options configure a simplification.
type Options struct {
	Defs     *ast.Defs  // definitions: expanded, then folded back into the result
	Rules    *rules.Set // nil means rules.Builtin()
	Ctx      context.Context
	MaxSteps int           // rule applications; 0 means 200,000
	MaxSize  int64         // nodes in an intermediate result; 0 means 50,000,000
	Timeout  time.Duration // 0 means no limit beyond Ctx
	// Expanded keeps definitions expanded in the result instead of folding
	// the user's names back in.
	Expanded bool
}

// StopReason says why the driver stopped.
type StopReason uint8

const (
	StopFixpoint StopReason = iota // nothing more to do: the normal case
	StopSteps                      // the step limit was reached
	StopSize                       // an intermediate result grew too large
	StopTime                       // the time limit was reached
	StopCycle                      // rules undid each other
	StopCanceled                   // the caller cancelled
)

func (r StopReason) String() string {
	return [...]string{"fixpoint", "step limit", "size limit", "time limit", "rules cycle", "canceled"}[r]
}

// A Step is one justified equality Before = After. A phase step (cancel,
// expand, fold) holds the rule applications inside it as Micro steps,
// which apply to subexpressions.
type Step struct {
	Rule   string
	Before ast.Expr
	After  ast.Expr
	Micro  []Step
}

// A Result is a simplified expression with how it was reached.
type Result struct {
	Expr      ast.Expr // for display: definitions folded, differences and quotients restored
	Canonical ast.Expr // the expanded canonical form (definitions expanded)
	Steps     []Step
	Stop      StopReason
	Detail    string // what the stop reason refers to (the rules of a cycle, ...)
}

// Simplifier holds the state of one simplification or proof.
type Simplifier struct {
	opt      Options
	rules    *rules.Set
	deadline time.Time
	steps    int
	stop     StopReason
	detail   string
	micro    []Step
	compiled map[expandMode]map[string][]*compiledRule // by expand mode, then by root head
	basis    bool                                      // also use the basis rules (prover)
	full     bool                                      // expand fully (prover)
	assume   map[ast.Expr]interval
	signMemo map[ast.Expr]interval
	sizes    map[string]bool // names used as sum bounds: positive integers
	canons   map[expandMode]*canon
	scope    []scopeEntry // indices of the sums being canonicalised, innermost last
}

type compiledRule struct {
	rule   *rules.Rule
	lhs    ast.Expr
	goRule *goRule // a rule written in Go instead
}

// basisFuncs are the functions the prover's basis keeps.
var basisFuncs = map[string]bool{"exp": true, "log": true, "sin": true, "cos": true, "Phi": true, "phi": true, "delta": true}

func inBasis(e ast.Expr) bool {
	ok := true
	ast.InspectOnce(e, func(x ast.Expr) bool {
		if c, isCall := x.(*ast.Call); isCall && !basisFuncs[c.Fn] {
			ok = false
		}
		return ok
	})
	return ok
}

// New returns a Simplifier.
func New(opt Options) *Simplifier {
	if opt.Rules == nil {
		opt.Rules = rules.Builtin()
	}
	if opt.Ctx == nil {
		opt.Ctx = context.Background()
	}
	if opt.MaxSteps == 0 {
		opt.MaxSteps = 200_000
	}
	if opt.MaxSize == 0 {
		opt.MaxSize = 50_000_000
	}
	s := &Simplifier{opt: opt, rules: opt.Rules, assume: map[ast.Expr]interval{}, signMemo: map[ast.Expr]interval{}, sizes: map[string]bool{}}
	if opt.Timeout > 0 {
		s.deadline = time.Now().Add(opt.Timeout)
	}
	s.canons = map[expandMode]*canon{}
	return s
}

// stopped reports whether a limit has been reached; passes then return
// what they have.
func (s *Simplifier) stopped() bool {
	if s.stop != StopFixpoint && s.stop != StopCycle {
		return true // a cycle is cut where it happens; other limits end the run
	}
	if s.opt.Ctx.Err() != nil {
		s.limit(StopCanceled, "")
		return true
	}
	if !s.deadline.IsZero() && s.steps%64 == 0 && time.Now().After(s.deadline) {
		s.limit(StopTime, fmt.Sprintf("more than %v", s.opt.Timeout))
		return true
	}
	return false
}

func (s *Simplifier) limit(r StopReason, detail string) {
	if s.stop == StopFixpoint || (s.stop == StopCycle && r != StopCycle) {
		s.stop, s.detail = r, detail
	}
}

// record notes one rule application on a subexpression.
func (s *Simplifier) record(rule string, before, after ast.Expr) {
	s.steps++
	if s.steps > s.opt.MaxSteps {
		s.limit(StopSteps, fmt.Sprintf("more than %d rule applications", s.opt.MaxSteps))
	}
	if len(s.micro) < 10_000 {
		s.micro = append(s.micro, Step{Rule: rule, Before: before, After: after})
	}
}

func (s *Simplifier) takeMicro() []Step {
	m := s.micro
	s.micro = nil
	return m
}

// compile canonicalises the rules' left sides for one mode, without rules
// (a pattern must not be rewritten by the rules it sits beside).
func (s *Simplifier) compile(expand expandMode) map[string][]*compiledRule {
	if s.compiled == nil {
		s.compiled = map[expandMode]map[string][]*compiledRule{}
	}
	if m, ok := s.compiled[expand]; ok {
		return m
	}
	plain := newCanon(s, expand, false)
	m := map[string][]*compiledRule{}
	add := func(r *rules.Rule) {
		lhs := plain.expr(r.LHS)
		h := head(lhs)
		m[h] = append(m[h], &compiledRule{rule: r, lhs: lhs})
	}
	for _, r := range s.rules.Rules(rules.Simplify) {
		// In the basis, a rule that folds into a function outside it (σ,
		// softplus, tanh) would undo the basis rules: leave it out.
		if s.basis && !inBasis(r.RHS) {
			continue
		}
		add(r)
	}
	if s.basis {
		for _, r := range s.rules.Rules(rules.Basis) {
			add(r)
		}
	}
	for _, g := range goRules {
		if g.kind == rules.Simplify || s.basis {
			h := g.head
			m[h] = append(m[h], &compiledRule{goRule: g})
		}
	}
	s.compiled[expand] = m
	return m
}

// head classifies a root for rule lookup.
func head(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.Call:
		return "call " + x.Fn
	case *ast.Pow:
		return "pow"
	case *ast.Add:
		return "add"
	case *ast.Mul:
		return "mul"
	case *ast.Sum:
		return "sum"
	case *ast.Num:
		return "num"
	}
	return "other"
}

// rewrite applies the first rule that matches at e's root and whose
// conditions hold, and returns the canonical form of the result.
func (c *canon) rewrite(e ast.Expr) ast.Expr {
	if !c.rules || c.s.stopped() {
		return e
	}
	if call, ok := e.(*ast.Call); ok && call.Fn == "delta" {
		return canonDelta(call.Args[0], call.Args[1])
	}
	if int64(len(c.memo)) > c.s.opt.MaxSize {
		c.s.limit(StopSize, fmt.Sprintf("more than %d distinct intermediate expressions", c.s.opt.MaxSize))
		return e
	}
	for _, cr := range c.s.compile(c.expand)[head(e)] {
		if cr.goRule != nil {
			if rhs, ok := cr.goRule.apply(c, e); ok {
				return c.applied(cr.goRule.name, e, rhs)
			}
			continue
		}
		m, ok := rules.MatchRoot(cr.lhs, e, cr.rule.Vars)
		if !ok || !c.condsHold(cr.rule, m.Bindings, e) {
			continue
		}
		rhs := rules.Instantiate(cr.rule.RHS, m.Bindings)
		if len(m.Rest) > 0 {
			if _, isMul := e.(*ast.Mul); isMul {
				rhs = ast.NewMul(append(append([]ast.Expr(nil), m.Rest...), rhs)...)
			} else {
				rhs = ast.NewAdd(append(append([]ast.Expr(nil), m.Rest...), rhs)...)
			}
		}
		return c.applied(cr.rule.Name, e, rhs)
	}
	return e
}

// applied canonicalises what a rule made of e and records the step. Coming
// back to e while doing so is a cycle: it is cut there and reported.
func (c *canon) applied(rule string, e, rhs ast.Expr) ast.Expr {
	if c.active[e] {
		c.s.limit(StopCycle, "rule "+rule+" leads back to an expression it was applied to")
		return e
	}
	c.active[e] = true
	res := c.expr(rhs)
	delete(c.active, e)
	c.s.record(rule, e, res)
	return res
}

// condsHold decides a rule's side conditions by sign analysis, using what
// the matched expression itself implies (log(u) there means u > 0).
func (c *canon) condsHold(r *rules.Rule, b rules.Bindings, matched ast.Expr) bool {
	if len(r.Conds) == 0 {
		return true
	}
	s := c.s
	savedAssume, savedMemo := s.assume, s.signMemo
	s.assume = domainFacts(matched, savedAssume)
	s.signMemo = map[ast.Expr]interval{}
	defer func() { s.assume, s.signMemo = savedAssume, savedMemo }()
	plain := c
	for _, cond := range r.Conds {
		x := plain.expr(rules.Instantiate(cond.X, b))
		y := plain.expr(rules.Instantiate(cond.Y, b))
		d := plain.add([]ast.Expr{x, plain.mul([]ast.Expr{ast.MinusOne, y})})
		iv := s.sign(d)
		ok := false
		switch cond.Op {
		case ">":
			ok = iv.positive()
		case ">=":
			ok = iv.nonneg()
		case "<":
			ok = iv.negative()
		case "<=":
			ok = iv.nonpos()
		case "!=":
			ok = iv.nonzero()
		case "==":
			ok = d == ast.Zero
		}
		if !ok {
			return false
		}
	}
	return true
}

// domainFacts adds to base what e's being defined implies: the argument
// of log is positive, of sqrt non-negative, the base of a fractional power
// non-negative.
func domainFacts(e ast.Expr, base map[ast.Expr]interval) map[ast.Expr]interval {
	facts := make(map[ast.Expr]interval, len(base))
	for k, v := range base {
		facts[k] = v
	}
	nonneg := interval{lo: 0, hi: math.Inf(1), hiOpen: true}
	add := func(k ast.Expr, iv interval) {
		if old, ok := facts[k]; ok {
			iv = intersect(old, iv)
		}
		facts[k] = iv
	}
	ast.InspectOnce(e, func(x ast.Expr) bool {
		switch x := x.(type) {
		case *ast.Sum:
			return false // facts about a bound variable do not hold outside
		case *ast.Call:
			switch x.Fn {
			case "log":
				add(x.Args[0], positive)
			case "sqrt":
				add(x.Args[0], nonneg)
			}
		case *ast.Pow:
			if n, ok := numOf(x.Y); ok && !n.IsInt() {
				if n.Sign() < 0 {
					add(x.X, positive)
				} else {
					add(x.X, nonneg)
				}
			}
		}
		return true
	})
	return facts
}

// noteSizes records the names used as sum bounds: positive integers.
func (s *Simplifier) noteSizes(e ast.Expr) {
	ast.InspectOnce(e, func(x ast.Expr) bool {
		if sum, ok := x.(*ast.Sum); ok {
			for _, b := range []ast.Expr{sum.Lo, sum.Hi} {
				for _, n := range ast.FreeNames(b) {
					s.sizes[n] = true
				}
			}
		}
		return true
	})
}

// Simplify returns the simplified form of e.
func Simplify(e ast.Expr, opt Options) (*Result, error) {
	return New(opt).Simplify(e)
}

// Simplify evaluates the derivatives in e, expands definitions, brings
// the result to canonical form with the rules, folds the definitions back
// and tidies it for display.
func (s *Simplifier) Simplify(e ast.Expr) (*Result, error) {
	res := &Result{}
	dopt := derive.Options{Defs: s.opt.Defs, Rules: s.rules, Ctx: s.opt.Ctx}
	d, err := derive.Expand(e, dopt)
	if err != nil {
		return nil, err
	}
	if d != e {
		res.Steps = append(res.Steps, Step{Rule: "differentiate", Before: e, After: d})
	}
	canonical, steps := s.normalize(d, true)
	res.Steps = append(res.Steps, steps...)
	res.Canonical = canonical
	out := canonical
	if !s.opt.Expanded {
		folded := s.Fold(canonical, preferred(d, s.opt.Defs), isDefinedName(e, s))
		if folded != canonical {
			res.Steps = append(res.Steps, Step{Rule: "fold definitions", Before: canonical, After: folded})
		}
		out = folded
	}
	res.Expr = Tidy(out)
	res.Stop, res.Detail = s.stop, s.detail
	if err := s.opt.Ctx.Err(); err != nil {
		return res, err
	}
	return res, nil
}

// normalize expands definitions and runs the canonical passes to a fixed
// point. It returns the canonical form and a step per pass that changed
// something.
func (s *Simplifier) normalize(e ast.Expr, withDefs bool) (ast.Expr, []Step) {
	var steps []Step
	if withDefs {
		x := s.expandDefs(e)
		if x != e {
			steps = append(steps, Step{Rule: "expand definitions", Before: e, After: x})
		}
		e = x
	}
	s.noteSizes(e)
	const maxRounds = 8
	for round := 0; ; round++ {
		start := e
		for _, pass := range s.passes() {
			x := s.canon(pass.expand).expr(e)
			if x != e {
				steps = append(steps, Step{Rule: pass.name, Before: e, After: x, Micro: s.takeMicro()})
			}
			e = x
		}
		if e == start || s.stopped() {
			break
		}
		if round == maxRounds {
			s.limit(StopSteps, fmt.Sprintf("no fixed point after %d rounds of passes", maxRounds))
			break
		}
	}
	return e, steps
}

// The passes' names, as traces show them.
const (
	PassCancel = "collect and cancel"
	PassExpand = "expand and collect like terms"
)

type pass struct {
	name   string
	expand expandMode
}

// passes are the driver's passes, in order.
func (s *Simplifier) passes() []pass {
	if s.full {
		return []pass{{PassCancel, expandNone}, {PassExpand, expandFull}}
	}
	return []pass{{PassCancel, expandNone}, {PassExpand, expandSmart}}
}

func (s *Simplifier) canon(m expandMode) *canon {
	c, ok := s.canons[m]
	if !ok {
		c = newCanon(s, m, true)
		s.canons[m] = c
	}
	return c
}

// expandDefs opens every definition, the user's and the rule files'.
func (s *Simplifier) expandDefs(e ast.Expr) ast.Expr {
	e = s.opt.Defs.Expand(e)
	return s.rules.Defs().Expand(e)
}

// isDefinedName reports whether e is just a defined name (CE, p[i], f(x)):
// its simplification shows the body, not the name again.
func isDefinedName(e ast.Expr, s *Simplifier) bool {
	var name string
	switch x := e.(type) {
	case *ast.Sym:
		name = x.Name
	case *ast.Index:
		name = x.Name
	case *ast.Call:
		name = x.Fn
	default:
		return false
	}
	_, ok := s.lookupDef(name)
	return ok
}
