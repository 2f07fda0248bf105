package simplify

import (
	"slices"

	"github.com/symdiff/symdiff/ast"
)

// The children of a power or a call pattern, for rewrite's filter of the
// rules at a node: a pattern sqrt(u)^2 cannot match x^5, since its base
// must be a call of sqrt and its exponent the number 2. Each of a
// pattern's children that is not a pattern variable says what the
// subject's child in its place must be (kidCheck): the same number (a
// number matches only itself), or a node of the same kind (kindOf: the
// node type, and the function of a call), where a number may stand for
// a product c*u (rules.MatchRoot matches c*u against a number). That is
// what rules.MatchRoot looks at first, so a rule the filter passes over
// would not have matched; the rules of W4's hundred powers x^k (six
// patterns of powers, none with a name for a base) are passed over
// without a matcher. The package's tests check each rule passed over
// by matching it anyway (filterCheck).

// A kidCheck is what a subject's child must be for a pattern's child.
type kidCheck struct {
	any  bool     // a pattern variable: anything
	num  ast.Expr // a number: that number
	kind opKind   // else a node of this kind (a product: or a number)
}

// kidChecks lists the checks of the children of a pattern that is a
// power or a call, or nil for another pattern.
func kidChecks(lhs ast.Expr, vars []string) []kidCheck {
	var kids []ast.Expr
	switch x := lhs.(type) {
	case *ast.Pow:
		kids = []ast.Expr{x.X, x.Y}
	case *ast.Call:
		kids = x.Args
	default:
		return nil
	}
	out := make([]kidCheck, len(kids))
	for i, k := range kids {
		switch x := k.(type) {
		case *ast.Sym:
			if slices.Contains(vars, x.Name) {
				out[i] = kidCheck{any: true}
				continue
			}
		case *ast.Num:
			out[i] = kidCheck{num: k}
			continue
		}
		out[i] = kidCheck{kind: kindOf(k)}
	}
	return out
}

// kidsOf are the children a power's or a call's checks are about: its
// base and exponent, or its arguments; nil for other nodes.
func kidsOf(e ast.Expr, buf *[2]ast.Expr) []ast.Expr {
	switch x := e.(type) {
	case *ast.Pow:
		buf[0], buf[1] = x.X, x.Y
		return buf[:]
	case *ast.Call:
		return x.Args
	}
	return nil
}

// kidsMayMatch reports false when a subject whose children are kids
// cannot match a pattern with the checks cs: a child that is not what
// its check asks, or another number of children.
func kidsMayMatch(cs []kidCheck, kids []ast.Expr) bool {
	if len(cs) != len(kids) {
		return false
	}
	for i, c := range cs {
		switch {
		case c.any:
		case c.num != nil:
			if kids[i] != c.num {
				return false
			}
		default:
			k := kindOf(kids[i])
			if k != c.kind && (c.kind.typ != rankMul || k.typ != rankNum) {
				return false
			}
		}
	}
	return true
}
