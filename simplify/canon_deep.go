package simplify

import "github.com/symdiff/symdiff/ast"

// Tall trees. expr recurses as deep as the tree: a where clause naming
// 700,000 parts each by the one before is a tree that deep, and the
// recursion grew the goroutine's stack to hundreds of MB, a doubling at a
// time, each copy a second or more of page faults with no look at the
// context (Ctrl-C and --timeout took seconds). For such a tree expr first
// canonicalises its tall parts from the bottom up, by a loop: each call
// then finds the tall parts below in the memo and recurses only through
// shorter ones.

// deepCanonHeight is the height of a tree past which expr canonicalises
// its tall parts first (above the 20,000 levels of brackets the parser
// takes, and W3's 10,000 sines: only trees made by naming parts reach
// it); prewarmHeight is the height from which a part counts as tall. The
// tests lower them.
var deepCanonHeight, prewarmHeight = 1 << 15, 256

// deepCanonOff turns the bottom-up pass off (for the test that compares
// it with the recursion alone).
var deepCanonOff bool

// canonTallParts canonicalises, by a loop, children before parents, the
// parts of e at least prewarmHeight tall that expr's recursion from e
// would canonicalise with this canon in this scope: the operands of
// negations, quotients, powers and calls, and the terms and factors of
// sums and products once flattened (a sum inside a sum is not
// canonicalised as a node of its own, nor a product inside a product).
// It does not look into indexed sums, ifs, conditions, brackets or
// derivatives, whose parts are canonicalised under other scopes or by
// other canonicalisers: those parts recurse as before. The parts are
// entered in the memo as expr enters an inner call's result, so the
// result of e is the recursion's; only the order in which parts are done
// (and rules applied and recorded) differs, for such a tall tree. It
// stops when the simplifier does, and asks the context every 1024 nodes
// of its own walk besides the polls of the calls it makes.
func (c *canon) canonTallParts(e ast.Expr) {
	dep := c.dep
	c.depth++ // an inner call's entry: entered in the memo whatever its result
	defer func() { c.depth--; c.dep = dep }()
	const (
		seenPart = 1 << iota // reached as a part expr canonicalises
		seenFlat             // reached as a sum in a sum or a product in a product
	)
	type item struct {
		x    ast.Expr
		flat bool // a sum in a sum or a product in a product
		done bool // its parts are done: canonicalise it
	}
	var seen ast.NodeMap[uint8]
	stack := []item{{x: e}}
	walked := 0
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if it.done {
			if it.x == e {
				continue // the caller's own call does it
			}
			c.expr(it.x)
			if c.s.stop != StopFixpoint && c.s.stop != StopCycle {
				return
			}
			continue
		}
		if walked++; walked&1023 == 0 && c.s.stopped() {
			return
		}
		bit := uint8(seenPart)
		if it.flat {
			bit = seenFlat
		}
		had, _ := seen.Get(it.x)
		if had&bit != 0 {
			continue
		}
		seen.Put(it.x, had|bit)
		if !it.flat {
			stack = append(stack, item{x: it.x, done: true})
		}
		if had != 0 {
			continue // its parts were walked when it was reached before
		}
		push := func(k ast.Expr, flat bool) {
			if k.Height() >= prewarmHeight {
				stack = append(stack, item{x: k, flat: flat})
			}
		}
		// Pushed in reverse, so that the first part is done first, as
		// the recursion does it.
		switch x := it.x.(type) {
		case *ast.Neg:
			push(x.X, false)
		case *ast.Div:
			push(x.Y, false)
			push(x.X, false)
		case *ast.Pow:
			push(x.Y, false)
			push(x.X, false)
		case *ast.Call:
			for i := len(x.Args) - 1; i >= 0; i-- {
				push(x.Args[i], false)
			}
		case *ast.Add:
			for i := len(x.Terms) - 1; i >= 0; i-- {
				_, nested := x.Terms[i].(*ast.Add)
				push(x.Terms[i], nested)
			}
		case *ast.Mul:
			for i := len(x.Factors) - 1; i >= 0; i-- {
				_, nested := x.Factors[i].(*ast.Mul)
				push(x.Factors[i], nested)
			}
		}
	}
}

// bottomUp calls f, by a loop, on each distinct part of e (not e itself)
// at least minHeight tall, children before parents, first children first,
// until f returns false or stopped (asked every 1024 nodes of the walk)
// true. A walk memoised by node alone (tidy's display)
// is a pure function of the node: f on the parts first leaves it a
// recursion no deeper than minHeight below each.
func bottomUp(e ast.Expr, minHeight int, f func(ast.Expr) bool, stopped func() bool) {
	type item struct {
		x    ast.Expr
		done bool
	}
	var seen ast.NodeMap[bool]
	stack := []item{{x: e}}
	walked := 0
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if it.done {
			if it.x != e && !f(it.x) {
				return
			}
			continue
		}
		if walked++; walked&1023 == 0 && stopped() {
			return
		}
		if _, ok := seen.Get(it.x); ok {
			continue
		}
		seen.Put(it.x, true)
		stack = append(stack, item{x: it.x, done: true})
		kids := ast.Children(it.x)
		for i := len(kids) - 1; i >= 0; i-- {
			if kids[i].Height() >= minHeight {
				stack = append(stack, item{x: kids[i]})
			}
		}
	}
}
