package simplify

import (
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

// filterWays is how many lists a canonicaliser keeps per head: the
// nodes of one head meet a few masks, which alternate.
const filterWays = 4

// filterCache holds a canonicaliser's lists, by head. The compiled rules
// of a simplifier and mode do not change once made, so a list stays
// right for as long as the canonicaliser lives. A list replaced is not
// reused: a rewrite further out may still be reading it.
type filterCache struct {
	ways [numHeads][filterWays]filterEntry
	next [numHeads]uint8
}

// filteredRules returns the rules of all, the rules at e's root (not a
// call) for the head h, that may pass rewrite's filters at e given the
// mask of its operands' kinds and, for a power, its children.
func (c *canon) filteredRules(h int, e ast.Expr, all []*compiledRule, mask uint64, kids []ast.Expr) []*compiledRule {
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
	ways := &c.filters.ways[h]
	for i := range ways {
		if ways[i].list != nil && ways[i].key == key {
			return ways[i].list
		}
	}
	list := make([]*compiledRule, 0, len(all))
	for _, cr := range all {
		if mayPass(cr, key) {
			list = append(list, cr)
		}
	}
	i := c.filters.next[h]
	c.filters.next[h] = (i + 1) % filterWays
	ways[i] = filterEntry{key: key, list: list}
	return list
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
