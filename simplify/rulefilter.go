package simplify

import (
	"slices"
	"sync/atomic"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/rules"
)

// rewrite's filters (the operand kinds' mask, rulemask.go; a power's
// children, rulekids.go) pass over most rules at most nodes, but each
// rule was still read at each node: W4's hundred products c*x^k went
// through the fourteen product rules, its powers through the six power
// rules. What the filters decide from the mask and from the ranks of a
// power's base and exponent alone is decided once for each such key:
// the rules that may pass are kept in a short list, in their order, and
// rewrite reads only those, with every filter applied to them as
// before. The list keeps every rule the filters could pass, so it never
// changes what rewrite does; TestRuleFilterAgrees compares simplifications
// with and without it.

// ruleFilterOff turns the lists off (for the test that compares).
var ruleFilterOff bool

// filterKey is what a list depends on: the head, the operands' mask, and
// for a power the ranks of its base and exponent (noRank otherwise).
type filterKey struct {
	mask   uint64
	head   uint8
	r0, r1 uint8
}

const noRank = 0xff

// filterEntry is one list, made for key from the head's rules.
type filterEntry struct {
	key  filterKey
	list []*compiledRule
}

// ruleFilters holds the lists of one mode's compiled rules, by head. They
// depend on the compiled rules alone, which do not change once made, so
// they are made once and shared by every simplifier and canonicaliser
// that reads those rules, concurrently under run --jobs and the web
// server. Each head's table is immutable once published: a new list is
// added to a copy, published by a compare-and-swap, so a lookup is an
// atomic load and a scan, without a lock. (Kept in each canonicaliser
// instead, four lists a head, they cost 1.3 KB of each canonicaliser
// and lists made again by each: W1 3x2 went from 23.8 to 29.2 KB/op.)
type ruleFilters struct {
	heads [numHeads]atomic.Pointer[filterTable]
}

// filterTable is one head's lists, in the order they were made; byKey
// indexes them once there are more than a scan should read.
type filterTable struct {
	entries []filterEntry
	byKey   map[filterKey][]*compiledRule
}

// maxFilterScan is the most lists a lookup scans; maxFilterLists the
// most a head keeps (a node whose key is not among them reads every rule,
// with every filter applied as before).
const (
	maxFilterScan  = 8
	maxFilterLists = 256
)

func (t *filterTable) find(key filterKey) ([]*compiledRule, bool) {
	if t == nil {
		return nil, false
	}
	if t.byKey != nil {
		l, ok := t.byKey[key]
		return l, ok
	}
	for i := range t.entries {
		if t.entries[i].key == key {
			return t.entries[i].list, true
		}
	}
	return nil, false
}

// filteredRules returns the rules of all, the rules at e's root (not a
// call) for the head h, that may pass rewrite's filters at e given the
// mask of its operands' kinds and, for a power, its children.
func (f *ruleFilters) filteredRules(h int, e ast.Expr, all []*compiledRule, mask uint64, kids []ast.Expr) []*compiledRule {
	if ruleFilterOff || len(all) < 2 {
		return all
	}
	key := filterKey{mask: mask, head: uint8(h), r0: noRank, r1: noRank}
	if _, ok := e.(*ast.Pow); ok {
		key.r0, key.r1 = uint8(rank(kids[0])), uint8(rank(kids[1]))
	}
	if filterCheck {
		for _, cr := range all {
			if !mayPass(cr, key) {
				if _, ok := rules.MatchRoot(cr.lhs, e, cr.rule.Vars); ok {
					panic("simplify: rule " + cr.rule.Name + " left out of the list at a node it matches: " + ast.String(e))
				}
			}
		}
	}
	return f.list(key, all)
}

// list returns the list for key, made from all, the rules of key's head.
func (f *ruleFilters) list(key filterKey, all []*compiledRule) []*compiledRule {
	slot := &f.heads[key.head]
	t := slot.Load()
	if l, ok := t.find(key); ok {
		return l
	}
	if t != nil && len(t.entries) >= maxFilterLists {
		return all
	}
	list := make([]*compiledRule, 0, len(all))
	for _, cr := range all {
		if mayPass(cr, key) {
			list = append(list, cr)
		}
	}
	list = slices.Clip(list)
	for {
		old := slot.Load()
		if l, ok := old.find(key); ok {
			return l // made meanwhile by another goroutine
		}
		var entries []filterEntry
		if old != nil {
			entries = old.entries
		}
		t := &filterTable{entries: append(slices.Clip(entries), filterEntry{key: key, list: list})}
		if len(t.entries) > maxFilterScan {
			t.byKey = make(map[filterKey][]*compiledRule, len(t.entries))
			for _, en := range t.entries {
				t.byKey[en.key] = en.list
			}
		}
		if slot.CompareAndSwap(old, t) {
			return list
		}
	}
}

// mayPass is false when rewrite's filters pass cr over at every node
// with the key: its pattern needs an operand kind whose bit the mask
// lacks, or a child of a rank other than the node's (the number a
// pattern names is a number; a product may stand for a number).
func mayPass(cr *compiledRule, key filterKey) bool {
	if cr.lhs != nil && cr.mask&^key.mask != 0 {
		return false
	}
	if cr.kids == nil || key.r0 == noRank {
		return true
	}
	if len(cr.kids) != 2 {
		return false
	}
	for i, r := range [2]uint8{key.r0, key.r1} {
		switch k := cr.kids[i]; {
		case k.any:
		case k.num != nil:
			if r != rankNum {
				return false
			}
		default:
			if k.kind.typ != r && (k.kind.typ != rankMul || r != rankNum) {
				return false
			}
		}
	}
	return true
}
