package session

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/simplify"
)

// undefinedPrec is the precision at which a part with no names is
// evaluated to see whether it has a value.
const undefinedPrec = 256

// undefinedPart finds a part of e that names nothing and has no value:
// 0/0, log(0), sin(0)/0 after subs(sin(x)/x, x = 0). The canonical form
// takes 0*u to 0 and u - u to 0 whatever u is, which extends a domain
// where u has names (x*log(x) is 0 at x = 0 only in the limit), but turns
// a part that is undefined at every point into a number: simplify 0/0
// printed 0, and subs(sin(x)/x, x = 0) printed 0. A part counts as
// undefined when neither float64 nor high-precision evaluation gives it a
// value for a reason of domain (1/10^400 is defined: float64 alone fails
// there). The pieces of an if, a product with a condition ([k <= 2]*u is
// 0 where the condition fails, even where u is undefined) and the body of
// a sum (which may be empty) are not looked into. The error says which
// part and why.
func undefinedPart(ctx context.Context, e ast.Expr, defs *ast.Defs, opt simplify.Options) error {
	var found error
	var canonical func(ast.Expr) ast.Expr // made on first use, shared by the parts
	zeroEverywhere := func(e ast.Expr) bool {
		if c, ok := e.(*ast.Call); ok && positiveFuncs[c.Fn] {
			return false // sigma(z) in log(sigma(z)): never 0
		}
		if canonical == nil {
			canonical = simplify.PlainCanonicalizer()
		}
		return canonical(e) == ast.Zero
	}
	var visit func(x ast.Expr)
	visit = func(x ast.Expr) {
		if found != nil || ctx.Err() != nil {
			return
		}
		if _, isNum := x.(*ast.Num); !isNum && len(ast.FreeNames(x)) == 0 {
			if why, undefined, valued := noValue(ctx, x, defs); undefined {
				found = undefinedError(x, why)
				return
			} else if valued {
				return // nothing inside a value is undefined
			}
		}
		switch x := x.(type) {
		case *ast.If:
			return
		case *ast.Sum:
			visit(x.Lo)
			visit(x.Hi)
			if found == nil && x.Op == ast.OpMean && emptyRange(ctx, x.Lo, x.Hi, defs, opt) {
				// A mean over no terms has no value whatever its body
				// (the canonical form's empty sum is 0, and 0 times the
				// inverse of a count of 0 would be taken to 0).
				found = undefinedError(x, fmt.Sprintf("mean over an empty range %s..%s", ast.String(x.Lo), ast.String(x.Hi)))
			}
			return
		case *ast.Div:
			// u/0 with u not a number: x*(1 - 1)/(2 - 2).
			if len(ast.FreeNames(x.Y)) == 0 {
				if v, err := ast.EvalBig(ctx, x.Y, defs, nil, undefinedPrec); err == nil && v.Sign() == 0 {
					found = undefinedError(x, "division by zero")
					return
				}
			} else if zeroEverywhere(x.Y) {
				// 0/(x - x): the canonical form takes 0 times anything to
				// 0, so the result would be 0 for a division by zero.
				found = undefinedError(x, fmt.Sprintf("division by zero (%s is 0 for every value)", ast.String(x.Y)))
				return
			}
		case *ast.Pow:
			if n, ok := x.Y.(*ast.Num); ok && n.Value.Sign() < 0 && len(ast.FreeNames(x.X)) > 0 && zeroEverywhere(x.X) {
				found = undefinedError(x, fmt.Sprintf("division by zero (%s is 0 for every value)", ast.String(x.X)))
				return
			}
		case *ast.Call:
			if x.Fn == "log" && len(x.Args) == 1 && len(ast.FreeNames(x.Args[0])) > 0 && zeroEverywhere(x.Args[0]) {
				found = undefinedError(x, fmt.Sprintf("log(0) is undefined (%s is 0 for every value)", ast.String(x.Args[0])))
				return
			}
		case *ast.Mul:
			for _, f := range x.Factors {
				if _, ok := f.(*ast.Iverson); ok {
					return
				}
			}
		}
		for _, c := range ast.Children(x) {
			visit(c)
		}
	}
	visit(e)
	return found
}

// noValue evaluates a part with no names: undefined says that it has no
// value for a reason of domain in float64 (not an overflow to Inf, which
// is not a reason) and none at high precision either (where a number like
// 1/10^400 that float64 rounds to 0 is defined; an exponent beyond the
// high-precision range is no reason either); valued that it has one.
func noValue(ctx context.Context, x ast.Expr, defs *ast.Defs) (why string, undefined, valued bool) {
	vF, errF := ast.EvalContext(ctx, x, defs, nil)
	_, errB := ast.EvalBig(ctx, x, defs, nil, undefinedPrec)
	var dF, dB *ast.DomainError
	if errors.As(errF, &dF) && !math.IsInf(vF, 0) && !math.IsNaN(vF) &&
		errors.As(errB, &dB) && !strings.HasSuffix(dB.Msg, "out of range here") {
		return dF.Msg, true, false
	}
	return "", false, errF == nil || errB == nil
}

// undefinedError says that part x has no value, and why; its Expr is x,
// so that a script's error points at the part (At).
func undefinedError(x ast.Expr, why string) error {
	s := ast.String(x)
	if strings.HasPrefix(why, s+" ") {
		return &partError{x, why} // log(0) is undefined
	}
	return &partError{x, fmt.Sprintf("%s is undefined: %s", s, why)}
}

// A partError is an error about a part of the input.
type partError struct {
	x   ast.Expr
	msg string
}

func (e *partError) Error() string  { return e.msg }
func (e *partError) Expr() ast.Expr { return e.x }

// emptyRange reports whether lo..hi holds no integer whatever its names
// stand for: hi < lo for bounds without names, or hi - lo a negative
// number (n..n - 1, n + 1..n: a mean over them is undefined everywhere,
// as one over 3..2 is, and printed 0 as that one did).
func emptyRange(ctx context.Context, lo, hi ast.Expr, defs *ast.Defs, opt simplify.Options) bool {
	if nl, nh := ast.FreeNames(lo), ast.FreeNames(hi); len(nl) > 0 || len(nh) > 0 {
		if !slices.Equal(nl, nh) {
			return false // 1..n: the difference is not a number (bounds like n - n aside)
		}
		r, err := simplify.Simplify(ctx, ast.NewAdd(hi, ast.NewNeg(lo)), opt)
		if err != nil {
			return false
		}
		n, ok := r.Canonical.(*ast.Num)
		return ok && n.Value.Sign() < 0
	}
	l, errL := ast.EvalBig(ctx, lo, defs, nil, undefinedPrec)
	h, errH := ast.EvalBig(ctx, hi, defs, nil, undefinedPrec)
	return errL == nil && errH == nil && h.Cmp(l) < 0
}

// zeroEverywhere (in undefinedPart) reports whether a part with names is
// 0 wherever it is defined: its canonical form is the number 0 (x - x,
// x/x - 1). positiveFuncs are the calls that are never 0, which it does
// not canonicalise: the logs of a cross-entropy are of sigma(z).
var positiveFuncs = map[string]bool{"sigma": true, "exp": true, "softplus": true, "cosh": true, "Phi": true}
