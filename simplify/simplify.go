// Package simplify puts expressions into canonical form with the
// identities of a rule set, and shows them in the form a person would
// write.
//
// The driver runs named passes (cancel, expand) to a fixed point within
// limits on steps, size and time, and reports why it stopped. Every rewrite
// is recorded as a step of the rule that made it: the trace is stored with
// the result, and derivations and proofs are renderings of it. The prover
// (package prove) uses the same canonical forms in its normal form.
package simplify

import (
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/derive"
	"github.com/symdiff/symdiff/rules"
)

// Options configure a simplification.
type Options struct {
	Defs     *ast.Defs     // definitions: expanded, then folded back into the result
	Rules    *rules.Set    // required
	MaxSteps int           // rule applications; 0 means 200,000
	MaxSize  int64         // nodes in an intermediate result; 0 means 50,000,000
	Timeout  time.Duration // 0 means no limit beyond Ctx
	// Expanded keeps definitions expanded in the result instead of folding
	// the user's names back in.
	Expanded bool
	// Ranges are the ranges of free indices (assumed by the user, or
	// inferred from the variable differentiated by): conditions they imply
	// are dropped (see iverson.go).
	Ranges map[string]Range
	// Assume are the user's assumptions (see assume.go).
	Assume []*ast.AssumeStmt
	// Decls are the declared shapes of names (w : vector(3)): the prover
	// draws the entries of declared vectors and matrices in their shape.
	Decls map[string]ast.Shape
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

// A Result is a simplified expression with how it was reached.
type Result struct {
	Input     ast.Expr // what was simplified
	Expr      ast.Expr // for display: definitions folded, differences and quotients restored
	Canonical ast.Expr // the expanded canonical form (definitions expanded)
	Trace     rules.Trace
	Stop      StopReason
	Detail    string // what the stop reason refers to (the rules of a cycle, ...)
	// Ranges are the ranges of the input's free indices that the result
	// holds for (assumed, or the extents of the arrays they index): it is
	// stated with it, "for k = 1..d".
	Ranges map[string]Range
	// Exps is the display in exponentials where Expr shows them through
	// the softmaxes they make (FormSoftmax), else nil: the matrix layer
	// translates it back where Expr's p*(delta - p) has no matrix form.
	Exps ast.Expr

	s      *Simplifier // for showing the trace's expressions
	prefer map[string]int
	form   *rules.Rule // the form chosen for display (Reshape), if not Tidy's
	deriv  *Derivation // built on first use from the trace
	derr   error
}

// Simplifier holds the state of one simplification or proof. It keeps the
// context of the call it is serving while that call runs (ctx), since the
// canonicaliser's recursion checks it at every node.
type Simplifier struct {
	ctx      context.Context
	opt      Options
	rules    *rules.Set
	deadline time.Time
	steps    int
	polls    int // calls of stopped, so that a long pass without rule steps still sees the deadline
	stop     StopReason
	detail   string
	micro    []rules.Step
	compiled [expandFull + 1]*compiledSet // by expand mode; nil until compiled
	basis    bool                         // also use the basis rules (prover)
	full     bool                         // expand fully (prover)
	assume   map[ast.Expr]interval
	signMemo map[ast.Expr]signEntry
	sizes    map[string]bool // names used as sum bounds: positive integers
	canons   map[expandMode]*canon
	scope    []scopeEntry // indices of the sums being canonicalised, innermost last
	// The user's assumptions: intervals of expressions (in assume, with the
	// rule that states each in userFacts) and of arrays' elements, and
	// equalities as rewrite rules; factsUsed collects the assumptions a
	// side condition was decided with.
	userFacts map[ast.Expr]*rules.Rule
	// domainRules state the facts AssumeDomain took from the sides of a
	// claim (log's argument is positive): a sign they narrowed notes its
	// rule, so that a proof that rests on one says where it holds.
	domainRules map[ast.Expr]*rules.Rule
	arrayFacts  map[string]fact
	equalities  []*rules.Rule
	factsUsed   []*rules.Rule
	// baseOrder remembers the pairs of bases found in baseOrder
	// (mul's check that factors are sorted and distinct).
	baseOrder orderCache
	// kinds are the kinds of the operands of the long sums and products
	// rewrite has met (operandKinds).
	kinds ast.NodeMap[[]opKind]
	// unwinding: rule applications nested past maxRuleNesting give back
	// the expressions they were applied to, up to the outermost.
	unwinding bool
	// epoch counts the runs of Normalize, underFacts the side conditions
	// being decided, under facts of their own; agree says whether the
	// rules compiled for the two passes are the same (0: not known yet,
	// 1: yes, 2: no). See share_pass.go.
	epoch      uint32
	underFacts int
	// deciding are the expressions whose rules' side conditions are being
	// decided, innermost last (condsHold).
	deciding []ast.Expr
	agree    uint8
	// ruleLists are the rule set's simplification and basis rules, and
	// ruleCounts their numbers (once counted, by compile).
	ruleLists  [2][]*rules.Rule
	ruleCounts [2]int
	counted    bool
}

type compiledRule struct {
	rule *rules.Rule
	lhs  ast.Expr // canonical; nil for a rule written in Go
	// need are the kinds of the operands of a sum or product pattern
	// that are not pattern variables: a subject without an operand of
	// each kind cannot match, and is passed over without trying (a
	// product of 1,000 sums against every product rule).
	need []opKind
	mask uint64 // need's kinds as bits (rulemask.go)
	// kids are the checks of the children of a power or call pattern
	// (rulekids.go), else nil.
	kids []kidCheck
}

// An opKind is what a pattern operand must be to match: the node type,
// and the function of a call.
type opKind struct {
	typ uint8 // rank
	fn  string
}

func kindOf(e ast.Expr) opKind {
	if c, ok := e.(*ast.Call); ok {
		return opKind{typ: uint8(rank(e)), fn: c.Fn}
	}
	return opKind{typ: uint8(rank(e))}
}

// operandKinds lists the kinds of the operands of a pattern's root sum or
// product that are not pattern variables.
func operandKinds(lhs ast.Expr, vars []string) []opKind {
	var ops []ast.Expr
	switch x := lhs.(type) {
	case *ast.Add:
		ops = x.Terms
	case *ast.Mul:
		ops = x.Factors
	default:
		return nil
	}
	var out []opKind
	for _, o := range ops {
		if s, ok := o.(*ast.Sym); ok && slices.Contains(vars, s.Name) {
			continue
		}
		if k := kindOf(o); !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

// mayMatch reports whether a subject whose operands have the kinds in
// have (operandKindSet) can match a pattern that needs the kinds in need.
func mayMatch(need []opKind, have []opKind) bool {
	for _, k := range need {
		if !slices.Contains(have, k) {
			return false
		}
	}
	return true
}

// operandKinds is operandKindSet(ops) for e, whose operands are ops,
// computed once per node: the passes of the driver meet the same long
// products one after another.
func (s *Simplifier) operandKinds(e ast.Expr, ops []ast.Expr) []opKind {
	if have, ok := s.kinds.Get(e); ok {
		return have
	}
	have := operandKindSet(ops)
	s.kinds.Put(e, have)
	return have
}

// operandKindSet lists the distinct kinds of ops. Operands of one kind
// come in runs (a canonical sum or product is sorted by rank first), so
// a kind equal to the previous operand's is passed over without a search:
// the 999 sums of a product of d/dx Π(x+k) cost a comparison each, not a
// map insertion.
func operandKindSet(ops []ast.Expr) []opKind {
	var have []opKind
	var prev opKind
	for i, o := range ops {
		k := kindOf(o)
		if i > 0 && k == prev {
			continue
		}
		prev = k
		if !slices.Contains(have, k) {
			have = append(have, k)
		}
	}
	return have
}

// mayMatchOps is mayMatch for a subject with few operands, by scanning
// them: each kind needed must be the kind of an operand, or, for a
// product in the pattern, a number may stand for it (a product c*u
// matches a number, see rules.MatchRoot). False means that the pattern
// cannot match.
func mayMatchOps(need []opKind, ops []ast.Expr) bool {
	var buf [8]opKind
	return mayMatchKinds(need, opKinds(buf[:0], ops))
}

// opKinds appends the kinds of ops, one per operand, to kinds.
func opKinds(kinds []opKind, ops []ast.Expr) []opKind {
	for _, o := range ops {
		kinds = append(kinds, kindOf(o))
	}
	return kinds
}

// mayMatchKinds is mayMatchOps with the operands' kinds (opKinds)
// computed once for all the rules tried at a node.
func mayMatchKinds(need []opKind, kinds []opKind) bool {
	for _, k := range need {
		found := false
		for _, ko := range kinds {
			if ko == k || k.typ == rankMul && ko.typ == rankNum {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// The ranks of numbers and products (see rank).
var rankNum, rankMul = uint8(rank((*ast.Num)(nil))), uint8(rank((*ast.Mul)(nil))) // rank looks at the type only

// filterCheck makes rewrite confirm, by matching anyway, that every rule
// mayMatchOps passes over does not match (the tests turn it on).
var filterCheck bool

// Built counts the simplifiers made, Normalizations the runs of the
// driver and Passes the passes they ran, in this process: figures for
// benchmarks and for the test that checks that a result is computed once.
var Built, Normalizations, Passes atomic.Int64

// basisFunc reports whether the prover's basis keeps the function fn (a
// switch, not a map made at every program's start).
func basisFunc(fn string) bool {
	switch fn {
	case "exp", "log", "sin", "cos", "Phi", "phi", "delta", "pi",
		"abs", "sign", "step": // the prover splits cases on the signs of abs, sign and step
		return true
	}
	return false
}

func inBasis(e ast.Expr) bool {
	ok := true
	ast.InspectOnce(e, func(x ast.Expr) bool {
		if c, isCall := x.(*ast.Call); isCall && !basisFunc(c.Fn) {
			ok = false
		}
		return ok
	})
	return ok
}

// New returns a Simplifier.
func New(opt Options) *Simplifier {
	if opt.Rules == nil {
		panic("simplify: no rule set given")
	}
	Built.Add(1)
	if opt.MaxSteps == 0 {
		opt.MaxSteps = 200_000
	}
	if opt.MaxSize == 0 {
		opt.MaxSize = 50_000_000
	}
	// The maps of facts, signs and sizes are made when first written (most
	// simplifications have no assumptions): five allocations a command.
	s := &Simplifier{ctx: context.Background(), opt: opt, rules: opt.Rules}
	if opt.Timeout > 0 {
		s.deadline = time.Now().Add(opt.Timeout)
	}
	s.canons = map[expandMode]*canon{}
	s.opt.Ranges = maps.Clone(opt.Ranges)
	s.useAssumptions()
	return s
}

// stopped reports whether a limit has been reached; passes then return
// what they have.
func (s *Simplifier) stopped() bool {
	if s.stop != StopFixpoint && s.stop != StopCycle {
		return true // a cycle is cut where it happens; other limits end the run
	}
	// The context is asked every 32nd poll (the first included): a poll
	// is made at every node, so that is microseconds, and asking at each
	// was 2% of a small simplification.
	s.polls++
	if s.polls%32 == 1 && s.ctx.Err() != nil {
		s.limit(StopCanceled, "")
		return true
	}
	if !s.deadline.IsZero() && (s.steps%64 == 0 || s.polls%64 == 0) && time.Now().After(s.deadline) {
		s.limit(StopTime, fmt.Sprintf("more than %v", s.opt.Timeout))
		return true
	}
	return false
}

// abandoned reports whether the run was cancelled or ran out of time,
// without a look at the context: its answer is then not used, and loops
// over the operands of a huge sum or product leave the rest as they are
// (each was a memo look-up, 200 ms of a sum of 400,000 terms, after a
// Ctrl-C). Other stops keep the parts done as before.
func (s *Simplifier) abandoned() bool { return s.stop == StopCanceled || s.stop == StopTime }

func (s *Simplifier) limit(r StopReason, detail string) {
	if s.stop == StopFixpoint || (s.stop == StopCycle && r != StopCycle) {
		s.stop, s.detail = r, detail
	}
}

// record notes one rule application on a subexpression.
func (s *Simplifier) record(rule *rules.Rule, before, after ast.Expr) {
	s.steps++
	if s.steps > s.opt.MaxSteps {
		s.limit(StopSteps, fmt.Sprintf("more than %d rule applications", s.opt.MaxSteps))
	}
	if len(s.micro) < 10_000 {
		s.micro = append(s.micro, rules.Step{Rule: rule, Before: before, After: after})
	}
}

func (s *Simplifier) takeMicro() []rules.Step {
	m := s.micro
	s.micro = nil
	return m
}

// compile canonicalises the rules' left sides for one mode, without rules
// (a pattern must not be rewritten by the rules it sits beside).
func (s *Simplifier) compile(expand expandMode) map[string][]*compiledRule {
	if cs := s.compiled[expand]; cs != nil {
		return cs.m // looked up at every node a rule may rewrite: an array, not a map
	}
	// The key needs the numbers of rules only: the lists are made when
	// the rules are compiled (a simplifier that finds them compiled
	// made both lists before, a kilobyte a command).
	state, shared := s.compileState() // see rulecache.go
	if !s.counted {
		// Counted once for both modes: each count reads every rule.
		s.ruleCounts, s.counted = [2]int{s.rules.Count(rules.Simplify), s.rules.Count(rules.Basis)}, true
	}
	key := compileKey{set: s.rules, expand: expand, basis: s.basis, nSimplify: s.ruleCounts[0], nBasis: s.ruleCounts[1], state: state}
	if shared {
		compileCache.Lock()
		cs, ok := compileCache.m[key]
		compileCache.Unlock()
		if ok {
			s.compiled[expand] = cs
			return cs.m
		}
	}
	if s.ruleLists[0] == nil {
		// Both modes compile the same lists: made once.
		s.ruleLists = [2][]*rules.Rule{s.rules.Rules(rules.Simplify), s.rules.Rules(rules.Basis)}
		for i := range s.ruleLists {
			if s.ruleLists[i] == nil {
				s.ruleLists[i] = []*rules.Rule{}
			}
		}
	}
	m := s.compileRules(expand, s.ruleLists[0], s.ruleLists[1])
	cs := newCompiledSet(m)
	s.compiled[expand] = cs
	if shared && s.stop == StopFixpoint && s.ctx.Err() == nil {
		compileCache.Lock()
		if compileCache.m == nil || len(compileCache.m) >= maxCompileCache {
			compileCache.m = map[compileKey]*compiledSet{}
		}
		compileCache.m[key] = cs
		compileCache.Unlock()
	}
	return m
}

// The compiled rules depend on the rule set, the mode and the state that
// canonical forms are decided with (assumptions and their equalities,
// ranges, sum bounds, the indices in scope). The part of that state the
// rules' left sides reach is in the key (rulecache.go), so they are
// compiled once per process and state and shared: read-only after they
// are built, so safe for concurrent use. Rule
// sets are not modified once in use (see foldKey); the rule counts in the
// key are a guard against a set that grew. The cache is emptied when it
// grows large (a long session loading rule files).
type compileKey struct {
	set               *rules.Set
	expand            expandMode
	basis             bool
	nSimplify, nBasis int
	state             string // what of the simplifier's state compiling reads (rulecache.go)
}

var compileCache struct {
	sync.Mutex
	m map[compileKey]*compiledSet // made at the first entry, not at start-up
}

// compiledSet is one mode's compiled rules, by root head, with the short
// lists of them that rewrite's filters may pass (rulefilter.go), which
// depend on the compiled rules alone and so are shared with them. Only
// filters changes once it is made (safely for concurrent use).
type compiledSet struct {
	m      map[string][]*compiledRule
	byHead [numHeads][]*compiledRule // m's lists for the heads other than calls (rulesAt)
	// filters are the short lists rewrite reads, made as they are met
	// (rulefilter.go). Kept here, not in each simplifier: the lists by
	// head, 576 bytes, were a third of a simplifier, made for each.
	filters ruleFilters
}

func newCompiledSet(m map[string][]*compiledRule) *compiledSet {
	cs := &compiledSet{m: m}
	for i, h := range headNames {
		cs.byHead[i] = m[h]
	}
	return cs
}

const maxCompileCache = 256

// compileCacheOff turns the shared compiled rules off (for the test that
// the cached and the uncached path agree).
var compileCacheOff atomic.Bool

func resetCompileCache() {
	compileCache.Lock()
	compileCache.m = map[compileKey]*compiledSet{}
	compileCache.Unlock()
}

// compileRules builds the compiled rules of one mode.
func (s *Simplifier) compileRules(expand expandMode, simp, basis []*rules.Rule) map[string][]*compiledRule {
	plain := newCanon(s, expand, false)
	// A rule's pattern variables stand for any expression: nothing the
	// user's expression says of a name spelled the same (a size, a range,
	// an assumption) applies to them. Its left side is canonicalised in
	// a simplifier without that state; the user's equalities, which are
	// about the user's names, in s.
	bare := New(Options{Rules: s.rules})
	Built.Add(-1) // not one of the simplifiers a command makes
	bare.ctx, bare.deadline, bare.basis, bare.full = s.ctx, s.deadline, s.basis, s.full
	pattern := newCanon(bare, expand, false)
	m := map[string][]*compiledRule{}
	add := func(r *rules.Rule) {
		c := pattern
		if slices.Contains(s.equalities, r) {
			c = plain
		}
		lhs := c.expr(r.LHS)
		h := head(lhs)
		need := operandKinds(lhs, r.Vars)
		m[h] = append(m[h], &compiledRule{rule: r, lhs: lhs, need: need, mask: needMask(need), kids: kidChecks(lhs, r.Vars)})
	}
	for _, r := range simp {
		// In the basis, a rule that folds into a function outside it (σ,
		// softplus, tanh) would undo the basis rules: leave it out.
		if s.basis && !inBasis(r.RHS) {
			continue
		}
		add(r)
	}
	if s.basis {
		for _, r := range basis {
			add(r)
		}
	}
	for _, r := range s.equalities {
		add(r)
	}
	for _, g := range goRuleList() {
		if g.Kind == rules.Simplify || s.basis {
			m[g.Root] = append(m[g.Root], &compiledRule{rule: g})
		}
	}
	if bare.stop != StopFixpoint {
		s.limit(bare.stop, bare.detail)
	}
	return m
}

// rulesAt is rulesFor(s.compile(expand), e): the rules rewrite tries at
// e's root. For a root other than a call, the list is found by index in
// an array, not by its name in the map (a lookup at every node
// canonicalised).
func (s *Simplifier) rulesAt(expand expandMode, e ast.Expr) []*compiledRule {
	m := s.compile(expand)
	if x, ok := e.(*ast.Call); ok {
		return m["call "+x.Fn]
	}
	return s.compiled[expand].byHead[headIndex(e)]
}

// The heads other than calls, by index (headIndex), as head names them.
const (
	headPow = iota
	headAdd
	headMul
	headSum
	headNum
	headIf
	headCond
	headOther
	numHeads
)

var headNames = [numHeads]string{headPow: "pow", headAdd: "add", headMul: "mul", headSum: "sum", headNum: "num", headIf: "if", headCond: "cond", headOther: "other"}

// headIndex is the index of head(e) in headNames, for e not a call.
func headIndex(e ast.Expr) int {
	switch e.(type) {
	case *ast.Pow:
		return headPow
	case *ast.Add:
		return headAdd
	case *ast.Mul:
		return headMul
	case *ast.Sum:
		return headSum
	case *ast.Num:
		return headNum
	case *ast.If:
		return headIf
	case *ast.Condition:
		return headCond
	}
	return headOther
}

// head classifies a root for rule lookup.
// rulesFor is m[head(e)], without building the head of a call on the
// heap (a concatenation used only as a map key stays on the stack).
func rulesFor(m map[string][]*compiledRule, e ast.Expr) []*compiledRule {
	if x, ok := e.(*ast.Call); ok {
		return m["call "+x.Fn]
	}
	return m[head(e)]
}

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
	case *ast.If:
		return "if"
	case *ast.Condition:
		return "cond"
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
	if int64(c.memoLen()) > c.s.opt.MaxSize {
		c.s.limit(StopSize, fmt.Sprintf("more than %d distinct intermediate expressions", c.s.opt.MaxSize))
		return e
	}
	var have []opKind // the kinds of e's operands, when it has many
	ops := operands(e)
	if len(ops) > 8 {
		have = c.s.operandKinds(e, ops)
	}
	var buf [8]opKind
	var few []opKind // else the kind of each operand
	var mask uint64  // the bits of few's kinds (rulemask.go)
	if have == nil {
		few = opKinds(buf[:0], ops)
		mask = haveMask(few)
	}
	var kidBuf [2]ast.Expr
	kids := kidsOf(e, &kidBuf) // a power's or a call's children (rulekids.go)
	list := c.s.rulesAt(c.expand, e)
	if h := headIndex(e); have == nil && h != headOther { // calls are headOther
		list = c.s.compiled[c.expand].filters.filteredRules(h, e, list, mask, kids)
	}
	for _, cr := range list {
		if have != nil && cr.lhs != nil && !mayMatch(cr.need, have) {
			continue
		}
		if cr.kids != nil && !kidsMayMatch(cr.kids, kids) {
			if filterCheck {
				if _, ok := rules.MatchRoot(cr.lhs, e, cr.rule.Vars); ok {
					panic("simplify: rule " + cr.rule.Name + " passed over by its children, but it matches " + ast.String(e))
				}
			}
			continue
		}
		if have == nil && cr.lhs != nil && (cr.mask&^mask != 0 || !mayMatchKinds(cr.need, few)) {
			if filterCheck {
				if _, ok := rules.MatchRoot(cr.lhs, e, cr.rule.Vars); ok {
					panic("simplify: rule " + cr.rule.Name + " passed over, but it matches " + ast.String(e))
				}
			}
			continue
		}
		if cr.rule.Apply != nil {
			c.dep = true // it is given the canonicaliser itself
			// A rule written in Go may decide by the sign analysis too
			// (abs_of_known_sign): the assumptions it used go with it.
			c.s.factsUsed = nil
			if rhs, ok := cr.rule.Apply(c, e); ok {
				return c.appliedUsing(cr.rule, e, rhs, slices.Clone(c.s.factsUsed))
			}
			continue
		}
		m, ok := rules.MatchRoot(cr.lhs, e, cr.rule.Vars)
		if ok {
			c.dep = true // side conditions are decided in the mode's canonical forms
		}
		c.s.factsUsed = nil
		if !ok || !c.condsHold(cr.rule, m.Bindings, e) {
			continue
		}
		uses := c.s.factsUsed
		rhs := rules.Instantiate(cr.rule.RHS, m.Bindings)
		if len(m.Rest) > 0 {
			if _, isMul := e.(*ast.Mul); isMul {
				rhs = ast.NewMul(append(append([]ast.Expr(nil), m.Rest...), rhs)...)
			} else {
				rhs = ast.NewAdd(append(append([]ast.Expr(nil), m.Rest...), rhs)...)
			}
		}
		return c.appliedUsing(cr.rule, e, rhs, uses)
	}
	return e
}

// operands are the terms of a sum or the factors of a product.
func operands(e ast.Expr) []ast.Expr {
	switch x := e.(type) {
	case *ast.Add:
		return x.Terms
	case *ast.Mul:
		return x.Factors
	}
	return nil
}

// appliedUsing canonicalises what a rule made of e and records the step,
// with the user's assumptions its side conditions were decided by (uses).
// Coming back to e while doing so is a cycle: it is cut there and reported.
// maxRuleNesting bounds the rule applications nested in the
// canonicalisation of one another's results (each level costs a few
// kilobytes of stack).
const maxRuleNesting = 10_000

func (c *canon) appliedUsing(rule *rules.Rule, e, rhs ast.Expr, uses []*rules.Rule) ast.Expr {
	if rhs == e {
		// A rule whose left side the canonical form already makes its
		// right (u/u -> 1 matches 1) gives e back: no step, and no cycle.
		return e
	}
	if c.active[e] {
		c.s.limit(StopCycle, "rule "+rule.Name+" leads back to an expression it was applied to")
		return e
	}
	if len(c.active) >= maxRuleNesting {
		// Each result a new expression, never a repeat: tanh(2*u) -> ...
		// tanh(u) on tanh(6) halves the number for ever. Stopped before
		// the stack runs out.
		c.s.limit(StopSteps, fmt.Sprintf("rule %s applies to its own results more than %d levels deep", rule.Name, maxRuleNesting))
		c.s.unwinding = true
		return e
	}
	if c.active == nil {
		c.active = map[ast.Expr]bool{}
	}
	c.active[e] = true
	res := c.expr(rhs)
	delete(c.active, e)
	if c.s.unwinding {
		// Every level gives back the expression it was applied to: the
		// results above the limit would nest ten thousand levels deep.
		if len(c.active) == 0 {
			c.s.unwinding = false
		}
		return e
	}
	c.s.record(rule, e, res)
	if len(uses) > 0 && len(c.s.micro) > 0 {
		c.s.micro[len(c.s.micro)-1].Uses = uses
	}
	return res
}

// maxCondNesting bounds the side conditions decided while deciding
// another (each level is a canonicalisation under facts of its own).
const maxCondNesting = 64

// condsHold decides a rule's side conditions by sign analysis, using what
// the matched expression itself implies (log(u) there means u > 0).
func (c *canon) condsHold(r *rules.Rule, b rules.Bindings, matched ast.Expr) bool {
	if len(r.Conds) == 0 {
		return true
	}
	s := c.s
	// A condition may name the matched expression itself (u*v/v matches
	// x with v = x): deciding it canonicalises x, which tries the same
	// rules on x, and so on for ever. A rule's condition at e is never
	// decided by applying conditional rules to e: they do not apply
	// there. Conditions that lead to new expressions each time are cut at
	// a depth, and the run stops saying so.
	if slices.Contains(s.deciding, matched) {
		return false
	}
	if len(s.deciding) >= maxCondNesting {
		s.limit(StopSteps, fmt.Sprintf("the side conditions of rule %s lead to side conditions nested more than %d deep", r.Name, maxCondNesting))
		return false
	}
	s.deciding = append(s.deciding, matched)
	defer func() { s.deciding = s.deciding[:len(s.deciding)-1] }()
	savedAssume, savedMemo := s.assume, s.signMemo
	s.assume = domainFacts(matched, savedAssume)
	s.signMemo = map[ast.Expr]signEntry{}
	s.underFacts++ // nothing canonicalised here is shared (share_pass.go)
	defer func() { s.assume, s.signMemo = savedAssume, savedMemo; s.underFacts-- }()
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
	var visit func(x ast.Expr) bool
	visit = func(x ast.Expr) bool {
		switch x := x.(type) {
		case *ast.If:
			// Only the condition is evaluated everywhere: log(x) in
			// if(x > 0, log(x), 0) says nothing about x.
			ast.InspectOnce(x.Cond, visit)
			return false
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
	}
	ast.InspectOnce(e, visit)
	return facts
}

// noteSizes records the names used as sum bounds: positive integers.
func (s *Simplifier) noteSizes(e ast.Expr) {
	eachSum(e, func(sum *ast.Sum) {
		for _, b := range []ast.Expr{sum.Lo, sum.Hi} {
			for _, n := range ast.FreeNames(b) {
				if s.sizes == nil {
					s.sizes = map[string]bool{}
				}
				s.sizes[n] = true
			}
		}
	})
}

// eachSum calls f on each distinct sum over an index in e, once. It
// visits each node once and does not look into nodes without a sum in
// them (ast.HasSum): the product rule's million references to its
// thousand factors (x + k) are not looked at.
func eachSum(e ast.Expr, f func(*ast.Sum)) {
	ast.InspectOnce(e, func(x ast.Expr) bool {
		if sum, ok := x.(*ast.Sum); ok {
			f(sum)
		}
		return ast.HasSum(x)
	})
}

// RangesOf returns the ranges of r whose index is free in one of es.
func RangesOf(r map[string]Range, es ...ast.Expr) map[string]Range {
	var out map[string]Range
	for k, v := range r {
		for _, e := range es {
			if ast.HasFree(e, k) {
				if out == nil {
					out = map[string]Range{}
				}
				out[k] = v
				break
			}
		}
	}
	return out
}

// Simplify returns the simplified form of e.
func Simplify(ctx context.Context, e ast.Expr, opt Options) (*Result, error) {
	return New(opt).Simplify(ctx, e)
}

// Simplify evaluates the derivatives in e, expands definitions, brings
// the result to canonical form with the rules, folds the definitions back
// and tidies it for display. The result holds the trace of it all.
func (s *Simplifier) Simplify(ctx context.Context, e ast.Expr) (*Result, error) {
	s.ctx = ctx
	defer s.releaseMemos()
	res := &Result{Input: e, s: s, prefer: preferred(e, s.opt.Defs)}
	s.opt.Ranges = InferRanges(s.opt.Defs, s.opt.Ranges, e)
	res.Ranges = RangesOf(s.opt.Ranges, e)
	d, dsteps, err := derive.ExpandStep(ctx, e, derive.Options{Defs: s.opt.Defs, Rules: s.rules})
	if err != nil {
		return nil, err
	}
	res.Trace = append(res.Trace, dsteps...)
	canonical, steps := s.Normalize(ctx, d, true)
	res.Trace = append(res.Trace, steps...)
	res.Canonical = canonical
	out := canonical
	if !s.opt.Expanded {
		// Ranked by the expression after differentiation, restricted to
		// the definitions the input used.
		prefer := preferred(d, s.opt.Defs)
		for k, v := range res.prefer {
			if _, ok := prefer[k]; !ok {
				prefer[k] = v + 1
			}
		}
		folded := s.FoldContext(ctx, canonical, prefer, isDefinedName(e, s))
		if folded != canonical {
			res.Trace = append(res.Trace, rules.Step{Rule: PassFoldDefs, Before: canonical, After: folded})
		}
		out = folded
	}
	if res.Expr, err = tidyContext(ctx, out, out == canonical); err != nil {
		res.Stop, res.Detail = s.stop, s.detail
		return res, err
	}
	if shown, rule := s.reshapeFor(res.Expr, e); rule != nil {
		res.Expr, res.form = shown, rule
	}
	// softmaxDisplay shows nothing for an expression larger than
	// maxReshape: asked first, that spares its search of the whole DAG.
	if !s.opt.Expanded && canonical.Size() <= maxReshape {
		if shown, ok := s.softmaxDisplay(canonical, res.prefer, isDefinedName(e, s)); ok && cheaper(shown, res.Expr) {
			res.Exps, res.Expr, res.form = res.Expr, shown, FormSoftmax
		}
	}
	res.Stop, res.Detail = s.stop, s.detail
	if err := ctx.Err(); err != nil {
		return res, err
	}
	return res, nil
}

// Normalize expands definitions (withDefs) and runs the canonical passes
// to a fixed point. It returns the canonical form and a step per pass that
// changed something.
func (s *Simplifier) Normalize(ctx context.Context, e ast.Expr, withDefs bool) (ast.Expr, rules.Trace) {
	s.ctx = ctx
	Normalizations.Add(1)
	s.epoch++ // see share_pass.go
	var steps rules.Trace
	if withDefs {
		x := s.ExpandDefs(e)
		if x != e {
			steps = append(steps, rules.Step{Rule: PassExpandDefs, Before: e, After: x})
		}
		e = x
	}
	s.noteSizes(e)
	// The first pass's memo, sized at once for about a node per node of
	// the input as a tree (grown table by table, it was a tenth of the
	// allocations of a small simplification).
	s.canon(expandNone).fast.ReserveFrom(&memoTables, int(min(e.Size(), 2048)))
	// The second pass's memo holds what it does not take from the
	// first's, and the cache of ordered bases what products met: both
	// start from tables of the simplifications before (releaseMemos).
	s.canon(s.passes()[1].expand).fast.ReserveFrom(&memoTables2, int(min(e.Size()/4, 512)))
	s.baseOrder.next.ReserveFrom(&orderTables, 32)
	const maxRounds = 8
	for round := 0; ; round++ {
		start := e
		for _, pass := range s.passes() {
			Passes.Add(1)
			x := s.canon(pass.expand).expr(e)
			if x != e {
				steps = append(steps, rules.Step{Rule: pass.rule, Before: e, After: x, Sub: s.takeMicro()})
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

// Mode chooses the normal form: Full multiplies out every product (the
// prover compares polynomials), Basis also rewrites functions into the
// exp/log basis with the basis rules.
type Mode struct{ Full, Basis bool }

// Options returns the options the simplifier was made with.
func (s *Simplifier) Options() Options { return s.opt }

// SetMode sets the normal form that Normalize computes.
func (s *Simplifier) SetMode(m Mode) { s.full, s.basis = m.Full, m.Basis }

// Stop says why the simplifier stopped, and what the reason refers to.
func (s *Simplifier) Stop() (StopReason, string) { return s.stop, s.detail }

type pass struct {
	rule   *rules.Rule
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
		c.track = m == expandNone && !s.full
		s.canons[m] = c
	}
	return c
}

// ExpandDefs opens every definition, the user's and the rule files'.
func (s *Simplifier) ExpandDefs(e ast.Expr) ast.Expr {
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
	d, ok := s.lookupDef(name)
	if _, isCall := e.(*ast.Call); isCall && ok {
		return d.Kind == ast.DefFunc // sigma := 0.5 does not define sigma(z)
	}
	return ok
}
