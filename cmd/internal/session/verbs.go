package session

import (
	"context"
	"errors"
	"fmt"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/simplify/algebra"
)

// The algebra verbs (expand, factor, together, apart, collect, subs) are
// calls in the language. A call is replaced by its result, innermost
// first, before an expression is simplified, proved, evaluated or defined;
// a statement that is one call shows the verb's result as it is, where a
// verb inside a larger expression is simplified with it.

// isVerb reports whether e is a call to a verb.
func isVerb(e ast.Expr) bool {
	c, ok := e.(*ast.Call)
	if !ok {
		return false
	}
	_, ok = ast.LookupVerb(c.Fn)
	return ok
}

// hasVerb reports whether e calls a verb anywhere, or ctx's error if it
// is cancelled first. A small e (at most 1,000 nodes as a tree) is walked
// as a tree: a table of nodes seen cost more than walking the few shared
// parts twice (it was 4% of simplifying W4's hundred x^k/k). A larger one
// is walked once per node, on a stack of its own (sin nested 700,000
// deep, from a where clause, grew the goroutine's stack by hundreds of MB
// by recursion), looking at ctx every verbLook nodes. The answer is the
// same.
func hasVerb(ctx context.Context, e ast.Expr) (bool, error) {
	if e.Size() <= 1000 {
		return hasVerbTree(e), nil
	}
	var seen ast.NodeMap[struct{}]
	seen.ReserveFrom(&verbTables, 16)
	defer seen.Release(&verbTables)
	stack := []ast.Expr{e}
	for n := 1; len(stack) > 0; n++ {
		if n%verbLook == 0 {
			if err := ctx.Err(); err != nil {
				return false, err
			}
		}
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if _, ok := seen.Get(x); ok {
			continue
		}
		seen.Put(x, struct{}{})
		if isVerb(x) {
			return true, nil
		}
		stack = append(stack, ast.Children(x)...)
	}
	return false, nil
}

// verbLook is how many nodes hasVerb visits between looks at its
// context: a look costs about as much as a node, and 4,096 nodes take
// well under a millisecond.
const verbLook = 4096

// verbTables keeps hasVerb's tables of nodes seen.
var verbTables ast.TablePool[struct{}]

// hasVerbTree is hasVerb walking e as a tree.
func hasVerbTree(e ast.Expr) bool {
	switch x := e.(type) {
	case *ast.Num, *ast.Sym:
		return false
	case *ast.Pow: // without ast.Children's list of two
		return hasVerbTree(x.X) || hasVerbTree(x.Y)
	case *ast.Div:
		return hasVerbTree(x.X) || hasVerbTree(x.Y)
	case *ast.Neg:
		return hasVerbTree(x.X)
	}
	if isVerb(e) {
		return true
	}
	for _, k := range ast.Children(e) {
		if hasVerbTree(k) {
			return true
		}
	}
	return false
}

// applyVerbs replaces every call to a verb in e by its result.
func (s *Session) applyVerbs(ctx context.Context, e ast.Expr) (ast.Expr, error) {
	if has, err := hasVerb(ctx, e); !has || err != nil {
		if err != nil {
			return nil, err
		}
		return e, nil
	}
	kids := ast.Children(e)
	nk := make([]ast.Expr, len(kids))
	for i, k := range kids {
		var err error
		if nk[i], err = s.applyVerbs(ctx, k); err != nil {
			return nil, err
		}
	}
	if len(kids) > 0 {
		e = ast.WithChildren(e, nk)
	}
	if !isVerb(e) {
		return e, nil
	}
	c := e.(*ast.Call)
	return s.Verb(ctx, c.Fn, c.Args)
}

// verbStmt applies the verb c (its arguments' verbs first) and returns
// its note too.
func (s *Session) verbStmt(ctx context.Context, c *ast.Call) (ast.Expr, string, error) {
	args := make([]ast.Expr, len(c.Args))
	for i, a := range c.Args {
		var err error
		if args[i], err = s.applyVerbs(ctx, a); err != nil {
			return nil, "", err
		}
	}
	return s.VerbNote(ctx, c.Fn, args)
}

// Verb applies the verb name to its arguments (whose verbs are already
// applied). Its first argument is simplified first (derivatives taken,
// definitions folded back) and reshaped in that form; subs substitutes in
// the expression with its derivatives taken and definitions opened, and
// simplifies the result.
func (s *Session) Verb(ctx context.Context, name string, args []ast.Expr) (ast.Expr, error) {
	out, _, err := s.VerbNote(ctx, name, args)
	return out, err
}

// VerbNote is Verb with what the verb says besides its result: factor
// says that its input is irreducible over the rationals (and returns it
// unchanged), or that a part may factor further.
func (s *Session) VerbNote(ctx context.Context, name string, args []ast.Expr) (_ ast.Expr, note string, _ error) {
	v, ok := ast.LookupVerb(name)
	if !ok || (!v.Pairs && len(args) != v.Arity) || (v.Pairs && (len(args) < v.Arity || len(args)%2 == 0)) {
		return nil, "", fmt.Errorf("%s is not an algebra verb with %d arguments", name, len(args))
	}
	// The whole verb, the algebra included, stops at the session's time
	// limit or when ctx is done (Ctrl-C), with the usual message.
	actx, cancel := s.limit(ctx)
	defer cancel()
	if name == "subs" {
		ctx, cancel := s.limit(ctx)
		defer cancel()
		e, err := s.expandDerivs(ctx, args[0])
		if err != nil {
			return nil, "", explain(err, ctx)
		}
		res, err := s.Simplify(ctx, algebra.SubsAll(s.Defs.Expand(e), pairs(args[1:], 0), pairs(args[1:], 1)))
		if err != nil {
			return nil, "", err
		}
		return res.Expr, "", nil
	}
	res, err := s.Simplify(actx, args[0])
	if err != nil {
		return nil, "", err
	}
	// A defined name stands for its body, and the verb must see the
	// body's algebra: with sq(u) := u^2, sq(x) - 1 factors as
	// (x - 1)*(x + 1) and is not irreducible. A name whose body is one atom
	// of the algebra (p := sigma(z), z[i] := sum(...)) stays, so that
	// factor(p - p^2) is p*(1 - p).
	in := s.Defs.ExpandIf(res.Expr, s.algebraicDef)
	var out ast.Expr
	switch name {
	case "expand":
		out, err = algebra.ExpandContext(actx, in)
	case "factor":
		var r algebra.FactorResult
		r, err = algebra.FactorContext(actx, in)
		out, note = r.Expr, r.Note()
	case "together":
		out, err = algebra.TogetherContext(actx, in)
	case "apart":
		out, err = algebra.ApartContext(actx, in, args[1])
	case "collect":
		out, err = algebra.CollectContext(actx, in, args[1])
	}
	if err != nil {
		if actx.Err() != nil && errors.Is(err, actx.Err()) {
			return nil, "", explain(err, actx)
		}
		return nil, "", fmt.Errorf("%s: %w", v.Usage, err)
	}
	return out, note, nil
}

// algebraicDef reports whether the definition of name has a body that
// the algebra verbs read as more than one atom: a number, a sum, product,
// quotient, negation or power.
func (s *Session) algebraicDef(name string) bool {
	d, ok := s.Defs.Lookup(name)
	if !ok {
		return false
	}
	switch d.Body.(type) {
	case *ast.Num, *ast.Neg, *ast.Add, *ast.Mul, *ast.Div, *ast.Pow:
		return true
	}
	return false
}

// pairs returns every second element of xs from the first or the second.
func pairs(xs []ast.Expr, from int) []ast.Expr {
	var out []ast.Expr
	for i := from; i < len(xs); i += 2 {
		out = append(out, xs[i])
	}
	return out
}
