package simplify

import (
	"reflect"
	"sync"

	"github.com/symdiff/symdiff/ast"
)

// Sharing between the passes. The driver's first pass (cancel, no
// expansion) and its second (smart expansion) canonicalise with
// canonicalisers of their own, and the second starts from what the first
// made: on the MSE at 3×2 it canonicalised every part of the result
// again, and changed nothing.
//
// Most steps of the canonical form do not look at the mode. The ones
// that do, for the two modes of the driver's passes, are few: add, which
// in smart mode multiplies out a term that is a product with a sum (or a
// power of a sum) as a factor; mulFinish, which in smart mode distributes
// a denominator over a sum that shares its base (cancelsByDistributing);
// the rules, compiled once per mode; and everything that canonicalises
// with the canonicaliser it is given (the side conditions of rules, the
// rules written in Go, sums and their scopes, conditions and pieces).
//
// The first pass's canonicaliser notes, for each node it canonicalises,
// whether its computation took one of those steps (c.dep, carried up from
// the parts: a part's entry in the memo says it too). A computation that
// took none is step for step the one the second pass's canonicaliser
// would make, with the same result: the second pass takes the result from
// the first's memo (shared). Both the node and its result are entered so
// (the memo enters every result as its own canonical form in each mode:
// the second pass does that too, for the nodes it computes).
//
// Entries are shared only within one run of the driver (epoch: the sizes
// noted, the assumptions and the state the rules are compiled with are
// those of the run), never when the rules compiled for the two modes
// differ, never under the facts of a side condition (underFacts), and not
// once the simplifier has stopped for any reason (a cycle included). The
// general path stays what it was: TestSharedPassesAgree compares the two
// on random expressions.

// shareEpoch is the epoch that the entry of the result just computed
// carries: the run's, when the second pass may take it, else 0.
func (c *canon) shareEpoch() uint32 {
	if !c.track || c.dep || c.s.stop != StopFixpoint || c.s.underFacts > 0 || c.reference {
		return 0
	}
	return c.s.epoch
}

// shared returns the first pass's result for k, in the second pass's
// canonicaliser, when the first found it without a step that depends on
// the mode in this run.
func (c *canon) shared(k memoKey) (ast.Expr, bool) {
	if c.expand != expandSmart || k.ctx != "" || !c.rules || c.reference || shareOff || c.s.stop != StopFixpoint || c.s.underFacts > 0 {
		return nil, false
	}
	src := c.s.canons[expandNone]
	if src == nil || !src.track || !c.s.rulesAgree() {
		return nil, false
	}
	v, ok := src.fast.Get(k.e)
	if !ok || v.epoch == 0 || v.epoch != c.s.epoch {
		return nil, false
	}
	c.sharedHits++
	return v.r, true
}

// shareOff turns sharing off (for the tests that compare it with the
// general path).
var shareOff bool

// rulesAgree reports whether the rules compiled for the two passes are
// the same rules with the same canonical left sides, in the same order.
func (s *Simplifier) rulesAgree() bool {
	if s.agree == 0 {
		s.agree = 2
		if agreeCached(s.compile(expandNone), s.compile(expandSmart)) {
			s.agree = 1
		}
	}
	return s.agree == 1
}

// agreeCached is compiledAgree, remembered for the last few pairs of
// compiled rules (which the simplifiers of one process share, see
// compile). An entry holds the two maps it is about, so that their
// addresses are not reused while it is there.
func agreeCached(a, b map[string][]*compiledRule) bool {
	k := [2]uintptr{reflect.ValueOf(a).Pointer(), reflect.ValueOf(b).Pointer()}
	agreeCache.Lock()
	v, ok := agreeCache.m[k]
	agreeCache.Unlock()
	if ok {
		return v.agree
	}
	r := compiledAgree(a, b)
	agreeCache.Lock()
	if agreeCache.m == nil {
		agreeCache.m = map[[2]uintptr]agreeEntry{}
	} else if len(agreeCache.m) >= 64 {
		clear(agreeCache.m)
	}
	agreeCache.m[k] = agreeEntry{a, b, r}
	agreeCache.Unlock()
	return r
}

type agreeEntry struct {
	a, b  map[string][]*compiledRule // kept alive with their entry
	agree bool
}

var agreeCache struct {
	sync.Mutex
	m map[[2]uintptr]agreeEntry // made at the first entry, not at start-up
}

func compiledAgree(a, b map[string][]*compiledRule) bool {
	if len(a) != len(b) {
		return false
	}
	for h, la := range a {
		lb, ok := b[h]
		if !ok || len(la) != len(lb) {
			return false
		}
		for i, ra := range la {
			if rb := lb[i]; ra != rb && (ra.rule != rb.rule || ra.lhs != rb.lhs) {
				return false
			}
		}
	}
	return true
}

// addModeFree reports that smart mode's add of the canonical terms is
// collect(terms), as without expansion: no term (nested sums flattened)
// is a product with a sum or a power of a sum among its factors, or
// itself a power of a sum. Then add multiplies nothing out (distribute
// finds no sum) and cancelByExpanding finds no sum factor, and keeps
// collect of the flattened terms, which is collect of the terms.
func addModeFree(terms []ast.Expr) bool {
	for _, t := range terms {
		switch x := t.(type) {
		case *ast.Add:
			if !addModeFree(x.Terms) {
				return false
			}
		case *ast.Mul:
			for _, f := range x.Factors {
				if sumLike(f) {
					return false
				}
			}
		default:
			if sumLike(t) {
				return false
			}
		}
	}
	return true
}

// sumLike reports whether a factor is a sum or a power of a sum.
func sumLike(f ast.Expr) bool {
	b, _ := splitPow(f)
	_, ok := b.(*ast.Add)
	return ok
}
