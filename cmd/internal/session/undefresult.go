package session

import (
	"context"
	"fmt"
	"strings"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/simplify"
)

// undefinedResult says that e is undefined when its simplified form r has
// a part without names, not in e, that has no value: the simplifier
// writes such a part only where e has no value either, as under
// assumptions, where (-x)^(1/2) with x > 0 becomes sqrt(-1)*sqrt(x) and
// was printed as that. As in undefinedPart, the pieces of an if and a
// product with a bracket are not looked into; nor are sums (undefinedPart
// has looked at the input's, and a long one is not evaluated). The error
// names the form, the part, and the assumptions it holds under.
func (s *Session) undefinedResult(ctx context.Context, e ast.Expr, r *simplify.Result) error {
	var in map[ast.Expr]bool // the input's parts, made when a part without names is met
	var part ast.Expr
	var why string
	var inErr error
	err := inspectContext(ctx, r.Expr, func(x ast.Expr) inspectDo {
		switch x := x.(type) {
		case *ast.Num, *ast.If, *ast.Sum:
			return inspectOver
		case *ast.Mul:
			for _, f := range x.Factors {
				if _, ok := f.(*ast.Iverson); ok {
					return inspectOver
				}
			}
		}
		if ast.HasFreeNames(x) {
			return inspectInto
		}
		if ast.HasSum(x) {
			return inspectOver
		}
		if in == nil {
			in = map[ast.Expr]bool{}
			inErr = inspectContext(ctx, s.Defs.Expand(e), func(y ast.Expr) inspectDo { in[y] = true; return inspectInto })
			if inErr != nil {
				return inspectStop
			}
		}
		if in[x] {
			return inspectOver
		}
		if w, undefined, _ := noValue(ctx, x, s.evalDefs()); undefined {
			part, why = x, w
			return inspectStop
		}
		return inspectOver
	})
	if part == nil || err != nil || inErr != nil {
		return nil // (a stop is said by the caller)
	}
	where := "for every value of its names"
	if len(s.Assume) > 0 {
		as := make([]string, len(s.Assume))
		for i, a := range s.Assume {
			as[i] = strings.TrimPrefix(ast.StmtString(a), "assume ")
		}
		where = "wherever the assumptions hold (" + strings.Join(as, ", ") + ")"
	}
	return &partError{x: e, msg: fmt.Sprintf("%s is undefined %s: it simplifies to %s, and %v", ast.String(e), where, ast.String(r.Expr), undefinedError(part, why))}
}

// undefinedAssumed says that e (with the definitions opened) is undefined when, under the session's
// assumptions, the argument of one of its logs, square roots or powers
// with a fractional exponent is outside the domain everywhere: sqrt(-x)
// and log(-x) with x > 0 were printed as they are. The simplifier's sign
// analysis (which rounds outwards) decides the comparison u < 0 (u <= 0
// for a log or a negative exponent); a comparison it cannot decide is no
// evidence. The pieces of an if, products with a bracket and sums are not
// looked into, as in undefinedPart.
func (s *Session) undefinedAssumed(ctx context.Context, e ast.Expr) error {
	// Without assumptions the question is still asked: log(-1 - x^2) has no
	// value at any x, and 0*log(-1 - x^2) simplified to 0.
	where := "for every value"
	if len(s.Assume) > 0 {
		where = "wherever the assumptions hold (" + s.assumptionsText() + ")"
	}
	always := func(c ast.Expr) bool {
		r, err := simplify.Simplify(ctx, ast.NewIf(c, ast.One, ast.Zero), s.options())
		return err == nil && r.Expr == ast.One
	}
	var found error
	_ = inspectContext(ctx, e, func(x ast.Expr) inspectDo {
		var u ast.Expr
		op, what := ast.CondLt, "negative"
		switch x := x.(type) {
		case *ast.If, *ast.Sum, *ast.Iverson, *ast.Condition:
			return inspectOver
		case *ast.Mul:
			for _, f := range x.Factors {
				if _, ok := f.(*ast.Iverson); ok {
					return inspectOver
				}
			}
		case *ast.Call:
			switch {
			case x.Fn == "sqrt" && len(x.Args) == 1:
				u = x.Args[0]
			case x.Fn == "log" && len(x.Args) == 1:
				u, op, what = x.Args[0], ast.CondLe, "not positive"
			}
		case *ast.Pow:
			if n, ok := x.Y.(*ast.Num); ok && !n.Value.IsInt() && evenDenominator(n.Value) {
				u = x.X
				if n.Value.Sign() < 0 {
					op, what = ast.CondLe, "not positive"
				}
			}
		}
		// Without assumptions, only a polynomial argument (-1 - x^2) or a
		// small one (-exp(x)) is asked about, and only after a point
		// where it is in the domain has not answered: W1's cross-entropy,
		// all logs of sigma, took 2.7 times the instructions with a
		// Simplify for each log, 1.3 times with a point and a sign each.
		// (An argument larger than maxAssumedArg is passed over either
		// way: asked first, it bounds polynomial's walk, which went
		// through a log of a sum of 100,000 terms with no look at the
		// context.)
		if u == nil || larger(ctx, u, maxAssumedArg) {
			return inspectInto
		}
		if len(s.Assume) == 0 && u.Size() > smallArg && !polynomial(u) {
			return inspectInto
		}
		if !ast.HasFreeNames(u) {
			return inspectInto
		}
		if len(s.Assume) == 0 && insideSomewhere(ctx, u, s.evalDefs()) {
			return inspectInto
		}
		if always(ast.NewCompare(op, u, ast.Zero)) {
			found = &partError{x: x, msg: fmt.Sprintf("%s is undefined %s: %s is %s there", ast.String(x), where, ast.String(u), what)}
			return inspectStop
		}
		return inspectInto
	})
	return found // (nil where the walk was stopped: a stop is said by the caller)
}

// polynomial reports whether u is a polynomial in its names: numbers,
// names, sums, products and whole powers, nothing else.
func polynomial(u ast.Expr) bool {
	ok := true
	ast.InspectOnce(u, func(x ast.Expr) bool {
		switch x := x.(type) {
		case *ast.Num, *ast.Sym, *ast.Add, *ast.Mul, *ast.Neg:
		case *ast.Pow:
			if n, isNum := x.Y.(*ast.Num); !isNum || !n.Value.IsInt() || n.Value.Sign() < 0 {
				ok = false
			}
		default:
			ok = false
		}
		return ok
	})
	return ok
}

// smallArg is the most nodes (as a tree, ast.Expr.Size) of an argument
// that is not a polynomial that undefinedAssumed asks about without
// assumptions.
const smallArg = 6

// insidePoints are the values insideSomewhere gives the names, a different
// one to each name at each point.
var insidePoints = [...]float64{0.37, -1.21, 2.53}

// insideSomewhere reports whether u is positive at one of a few points
// where every name is a number: then neither u < 0 nor u <= 0 holds for
// every value. An evaluation that fails (an indexed name, a domain error)
// is no evidence; nor is a value that is not positive.
func insideSomewhere(ctx context.Context, u ast.Expr, defs *ast.Defs) bool {
	names := ast.FreeNames(u)
	b := make(ast.Bindings, len(names))
	for k := range insidePoints {
		for j, n := range names {
			b[n] = ast.Scalar(insidePoints[(j+k)%len(insidePoints)])
		}
		if v, err := ast.EvalContext(ctx, u, defs, b); err == nil && v > 0 {
			return true
		}
	}
	return false
}

// evenDenominator reports whether the fraction n has an even denominator
// (x^(1/2), x^(3/4): not real for x < 0).
func evenDenominator(n ast.Number) bool {
	return n.Rat().Denom().Bit(0) == 0
}

// assumptionsText lists the session's assumptions as written.
func (s *Session) assumptionsText() string {
	as := make([]string, len(s.Assume))
	for i, a := range s.Assume {
		as[i] = strings.TrimPrefix(ast.StmtString(a), "assume ")
	}
	return strings.Join(as, ", ")
}

// maxAssumedArg is the size (nodes) of the largest argument whose sign
// undefinedAssumed asks the simplifier about: each question simplifies it
// again.
const maxAssumedArg = 64

// larger reports whether e has more than n distinct nodes. It stops at
// the (n+1)-th (ast.InspectOnce went on through the rest of a sum of
// 100,000 terms), and a tree of at most n nodes has no more distinct
// ones. Cancelled, it says false.
func larger(ctx context.Context, e ast.Expr, n int) bool {
	if e.Size() <= int64(n) {
		return false
	}
	count := 0
	_ = inspectContext(ctx, e, func(ast.Expr) inspectDo {
		if count++; count > n {
			return inspectStop
		}
		return inspectInto
	})
	return count > n
}

// inspectDo is what inspectContext does after a node.
type inspectDo uint8

const (
	inspectInto inspectDo = iota // go through the node's parts
	inspectOver                  // pass over them
	inspectStop                  // end the walk
)

// inspectContext calls f on each distinct node of e in ast.InspectOnce's
// order (a node before its parts, the parts in order, a node shared by
// several parents at its first meeting only), going into a node's parts
// as f says, and stops where f says so. Unlike ast.InspectOnce, it ends
// at once when it stops, keeps a stack as long as the depth (not the
// goroutine's), and looks at ctx every inspectLook steps, returning its
// error: undefinedAssumed asked ctx at each node (a tenth of the walk)
// and went on through the rest of a sum of 100,000 terms after a Ctrl-C.
func inspectContext(ctx context.Context, e ast.Expr, f func(ast.Expr) inspectDo) error {
	var seen ast.NodeMap[struct{}]
	seen.ReserveFrom(&inspectTables, 16)
	defer seen.Release(&inspectTables)
	type parts struct {
		kids []ast.Expr
		next int
	}
	var small [32]parts // most walks: no allocation
	stack := append(small[:0], parts{kids: []ast.Expr{e}})
	for step := 1; len(stack) > 0; step++ {
		if step%inspectLook == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		top := &stack[len(stack)-1]
		if top.next == len(top.kids) {
			stack = stack[:len(stack)-1]
			continue
		}
		x := top.kids[top.next]
		top.next++
		if _, ok := seen.Get(x); ok {
			continue
		}
		seen.Put(x, struct{}{})
		switch f(x) {
		case inspectStop:
			return nil
		case inspectInto:
			if kids := ast.Children(x); len(kids) > 0 {
				stack = append(stack, parts{kids: kids})
			}
		}
	}
	return nil
}

// inspectLook is how many steps inspectContext takes between looks at
// its context (as hasVerb's verbLook: 4,096 steps take well under a
// millisecond).
const inspectLook = 4096

// inspectTables keeps inspectContext's tables of nodes seen.
var inspectTables ast.TablePool[struct{}]
