package session

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/simplify"
)

// Divisions by zero in a canonical form. The canonical form of e has 0 to
// a negative power (1/(x - x)); that is a division by zero at every point
// only where the part it comes from is evaluated at every point. A sum
// over a range that can be empty is not: sum(i=2..n, 1/(x - x)) has no
// terms at n = 1 and is 0 there, but its canonical form takes the
// constant out, (n - 1)/0, and simplify said "undefined everywhere". The
// same holds for the pieces of an if, a condition (and and or look no
// further than they need) and a product with a bracket or a sum in it (a
// bracket that is 0 or an empty sum makes the product 0).

// zeroDivision says where e divides by zero, given that its canonical form
// does (zeroDivisionWhere), placed at the first quotient in e whose
// divisor is 0 for every value: diff '1/(x-x)' x gave the message with no
// line:column or caret, and a script's d(...) pointed at the statement.
func (s *Session) zeroDivision(ctx context.Context, e ast.Expr) error {
	err := s.zeroDivisionWhere(ctx, e)
	if err == nil || ctx.Err() != nil {
		return err
	}
	var pe *partError
	var u *UndecidedError
	if errors.As(err, &pe) || errors.As(err, &u) {
		// Placed by undefinedPart, at the occurrence reached; an
		// undecided one stays one (exit status 3, not 2).
		return err
	}
	if q := s.zeroQuotient(ctx, e); q != nil {
		return &partError{x: q, msg: err.Error()}
	}
	return err
}

// zeroWhereOwnWords brings back zeroDivisionWhere's own statement of
// where a conditional part divides by zero (for the test that shows it
// wrong).
var zeroWhereOwnWords bool

// zeroQuotient returns the first quotient (u/v, or v to a negative power)
// in e as written whose divisor v is 0 for every value, exactly or after
// the rules (1/(sin(x)^2 + cos(x)^2 - 1)), or nil. Only an error is placed
// by it: each divisor is simplified.
func (s *Session) zeroQuotient(ctx context.Context, e ast.Expr) ast.Expr {
	zero := func(v ast.Expr) bool {
		if c, ok := v.(*ast.Num); ok {
			return c.Value.Sign() == 0
		}
		if ast.IsNum(simplify.PlainCanonical(v), 0) {
			return true
		}
		r, err := simplify.Simplify(ctx, v, s.options())
		return err == nil && ast.IsNum(r.Canonical, 0)
	}
	var found ast.Expr
	ast.InspectOnce(e, func(n ast.Expr) bool {
		if found != nil || ctx.Err() != nil {
			return false
		}
		switch n := n.(type) {
		case *ast.Div:
			if zero(n.Y) {
				found = n
			}
		case *ast.Pow:
			// (x - x)^(z - z - 1) as (x - x)^-1: the exponent's
			// canonical form is the number.
			c, ok := n.Y.(*ast.Num)
			if !ok {
				c, ok = simplify.PlainCanonical(n.Y).(*ast.Num)
			}
			if ok && c.Value.Sign() < 0 && zero(n.X) {
				found = n
			}
		}
		return found == nil
	})
	return found
}

// zeroDivisionWhere says where e divides by zero, given that its canonical
// form does. The parts that are not evaluated at every point are set aside
// (each made a name of its own); if what is left still divides by zero,
// e is undefined everywhere. Otherwise a sum that is set aside and whose
// body divides by zero for every value of its index is undefined where
// its range has a term, and the error says so; failing that, it says that
// e divides by zero except perhaps where a part that is set aside is not
// evaluated.
func (s *Session) zeroDivisionWhere(ctx context.Context, e ast.Expr) error {
	x := s.Defs.Expand(e)
	var aside []ast.Expr
	taken := map[string]bool{}
	for _, n := range ast.FreeNames(x) {
		taken[n] = true
	}
	bound := map[string]bool{} // the sums' indices: not sizes
	ast.InspectOnce(x, func(n ast.Expr) bool {
		if sum, ok := n.(*ast.Sum); ok {
			bound[sum.Var] = true
		}
		return true
	})
	skeleton := ast.Rewrite(x, func(n ast.Expr) (ast.Expr, bool) {
		if !conditional(n, bound) {
			return nil, false
		}
		aside = append(aside, n)
		name := ast.Fresh("part", func(c string) bool { return taken[c] })
		taken[name] = true
		return ast.NewSym(name), true
	})
	everywhere := fmt.Errorf("%s divides by zero: it is undefined everywhere", ast.String(e))
	if len(aside) == 0 {
		return everywhere
	}
	maybe := func() error {
		kinds := map[string]bool{}
		for _, n := range aside {
			switch n.(type) {
			case *ast.Sum:
				kinds["a sum is empty"] = true
			case *ast.If, *ast.Condition:
				kinds["a condition chooses another part"] = true
			default:
				kinds["a bracket or an empty sum makes a product 0"] = true
			}
		}
		var why []string
		for _, k := range []string{"a sum is empty", "a condition chooses another part", "a bracket or an empty sum makes a product 0"} {
			if kinds[k] {
				why = append(why, k)
			}
		}
		return fmt.Errorf("%s divides by zero, except perhaps where %s", ast.String(e), strings.Join(why, ", or where "))
	}
	r, err := simplify.Simplify(ctx, skeleton, s.options())
	switch {
	case ctx.Err() != nil:
		return explain(err, ctx)
	case err != nil:
		return maybe()
	case divByZero(r.Canonical):
		return everywhere
	}
	// Each part set aside, with the sums around it (which are not: their
	// ranges hold a number).
	type part struct {
		x      ast.Expr
		around []*ast.Sum
	}
	var parts []part
	seen := map[ast.Expr]bool{}
	var walk func(n ast.Expr, around []*ast.Sum)
	walk = func(n ast.Expr, around []*ast.Sum) {
		if seen[n] {
			return
		}
		seen[n] = true
		if conditional(n, bound) {
			parts = append(parts, part{n, around})
			return
		}
		if sum, ok := n.(*ast.Sum); ok {
			walk(sum.Lo, around)
			walk(sum.Hi, around)
			walk(sum.Body, append(around[:len(around):len(around)], sum))
			return
		}
		for _, c := range ast.Children(n) {
			walk(c, around)
		}
	}
	walk(x, nil)
	undefined := func(u ast.Expr) (bool, error) {
		r, err := simplify.Simplify(ctx, u, s.options())
		if ctx.Err() != nil {
			return false, explain(err, ctx)
		}
		return err == nil && divByZero(r.Canonical), nil
	}
	// whereUndefined says where the part x, set aside, divides by zero:
	// where, a condition, and what, how that comes about; "" where it
	// cannot tell.
	var whereUndefined func(x ast.Expr) (where, what string, err error)
	whereUndefined = func(x ast.Expr) (where, what string, err error) {
		switch n := x.(type) {
		case *ast.Sum:
			bad, err := undefined(n.Body)
			if bad {
				where = fmt.Sprintf("%s <= %s", ast.String(n.Lo), ast.String(n.Hi))
				what = fmt.Sprintf("where the sum over %s = %s..%s has terms (each of them divides by zero); where it has none, the sum is 0", n.Var, ast.String(n.Lo), ast.String(n.Hi))
			}
			return where, what, err
		case *ast.If:
			then, err := undefined(n.Then)
			if err != nil {
				return "", "", err
			}
			els, err := undefined(n.Else)
			switch {
			case then && els:
				// Whichever piece it takes: everywhere its condition
				// has a value.
				where, what = "its condition "+condText(n.Cond)+" is decided", "whichever piece the if takes"
			case then:
				where, what = condText(n.Cond), "where the if takes its first piece"
			case els:
				where, what = condText(ast.NewNot(n.Cond)), "where the if takes its second piece"
			}
			return where, what, err
		case *ast.Mul:
			var rest []ast.Expr
			var texts []string
			for _, f := range n.Factors {
				if iv, ok := f.(*ast.Iverson); ok {
					texts = append(texts, strings.Trim(ast.String(iv), "[]"))
				} else if sf := sumFactorOf(f); sf != nil && sf.Op == ast.OpSum && !nonEmpty(sf, bound) {
					// An empty sum makes the product 0; a sum with terms
					// may divide by zero itself.
					if where, what, err := whereUndefined(sf); where != "" || err != nil {
						return where, what, err
					}
					texts = append(texts, fmt.Sprintf("%s <= %s", ast.String(sf.Lo), ast.String(sf.Hi)))
				} else {
					rest = append(rest, f)
				}
			}
			if len(rest) == 0 {
				return "", "", nil
			}
			bad, err := undefined(ast.NewMul(rest...))
			if bad {
				where = strings.Join(texts, " and ")
				what = "where its other factors are evaluated (a bracket that is 0 or an empty sum makes the product 0)"
			}
			return where, what, err
		}
		return "", "", nil
	}
	unreached := 0 // parts whose dividing piece is shown never taken
	for _, p := range parts {
		where, what, err := whereUndefined(p.x)
		if err != nil {
			return err
		}
		if where == "" {
			continue
		}
		if s.pieceNeverTaken(ctx, p.x, what) {
			// if(cos(z) > 2, 1/(x - x), 1) is 1 wherever it has a
			// value: the rules' sign analysis shows the condition
			// never holds ("divides by zero, except perhaps ..." was
			// said of it).
			unreached++
			continue
		}
		// An if both of whose pieces divide by zero, with no condition
		// inside them, is undefined wherever its condition is decided:
		// said here in those words, shorter than undefinedPart's, which
		// states each piece's condition in turn.
		whichever := strings.HasPrefix(what, "whichever") && !conditionalInside(p.x, bound)
		if !zeroWhereOwnWords && !whichever {
			// The condition said here was the outermost one alone:
			// if(x > 0, if(y > 0, 1/(z - z), 1), 1) "divides by zero
			// wherever x > 0", though at x = 1, y = -1 it is 1.
			// undefinedPart states every condition on the way, jointly
			// for one sum's index, and only where exact arithmetic finds
			// a point that meets them and the assumptions; where it
			// finds none, the division may never be reached.
			dctx, doubt := withDoubts(ctx)
			if err := undefinedPart(dctx, x, s.evalDefs(), s.options()); err != nil {
				return doubt.undecided(err)
			}
			if ctx.Err() != nil {
				return explain(ctx.Err(), ctx)
			}
			return maybe()
		}
		var idx []string
		for _, a := range p.around {
			if strings.Contains(" "+where+" ", a.Var) && ast.HasFree(p.x, a.Var) {
				idx = append(idx, fmt.Sprintf("%s = %s..%s", a.Var, ast.String(a.Lo), ast.String(a.Hi)))
			}
		}
		if len(idx) > 0 {
			where += " for some " + strings.Join(idx, " and ")
		}
		return fmt.Errorf("%s divides by zero wherever %s, %s", ast.String(e), where, what)
	}
	if unreached > 0 && unreached == len(parts) {
		return nil // every part set aside divides by zero only in a piece never taken
	}
	return maybe()
}

// pieceNeverTaken reports whether x, an if of which one piece divides by
// zero (what says which, as zeroDivisionWhere's whereUndefined does), never
// takes that piece: the rules' sign analysis, under the assumptions, makes
// the condition that takes it the number 0 (cos(z) > 2, exp(z) < 0). A
// condition that divides by zero itself is not asked about.
func (s *Session) pieceNeverTaken(ctx context.Context, x ast.Expr, what string) bool {
	n, ok := x.(*ast.If)
	if !ok || !divzeroNeverTaken {
		return false
	}
	c := n.Cond
	switch what {
	case "where the if takes its first piece":
	case "where the if takes its second piece":
		c = ast.NewNot(c)
	default:
		return false
	}
	if divByZero(simplify.PlainCanonical(c)) {
		return false
	}
	r, err := simplify.Simplify(ctx, ast.NewIf(c, ast.One, ast.Zero), s.options())
	return err == nil && ast.IsNum(r.Canonical, 0)
}

// divzeroNeverTaken turns pieceNeverTaken on (the tests compare with it
// off).
var divzeroNeverTaken = true

// conditional reports whether e is a part that is not evaluated at every
// point where the expression around it is: a sum whose range may be
// empty, an if, a condition, or a product with a bracket or a sum in it.
// A mean is not: over an empty range it has no value either.
func conditional(e ast.Expr, bound map[string]bool) bool {
	switch e := e.(type) {
	case *ast.Sum:
		return e.Op == ast.OpSum && !nonEmpty(e, bound)
	case *ast.If, *ast.Condition:
		return true
	case *ast.Mul:
		for _, f := range e.Factors {
			if _, ok := f.(*ast.Iverson); ok {
				return true
			}
			if s := sumFactorOf(f); s != nil && s.Op == ast.OpSum && !nonEmpty(s, bound) {
				return true
			}
		}
	}
	return false
}

// conditionalInside reports whether a part below x's root, other than an
// if's condition, is conditional.
func conditionalInside(x ast.Expr, bound map[string]bool) bool {
	found := false
	kids := ast.Children(x)
	if n, ok := x.(*ast.If); ok {
		kids = []ast.Expr{n.Then, n.Else}
	}
	for _, c := range kids {
		ast.InspectOnce(c, func(n ast.Expr) bool {
			if !found && conditional(n, bound) {
				found = true
			}
			return !found
		})
	}
	return found
}

// sumFactorOf returns the sum a factor is, or is a positive power of, as
// the evaluator's strong product sees it.
func sumFactorOf(f ast.Expr) *ast.Sum {
	if p, ok := f.(*ast.Pow); ok {
		if n, ok := p.Y.(*ast.Num); ok && n.Value.Sign() > 0 {
			f = p.X
		}
	}
	s, _ := f.(*ast.Sum)
	return s
}

// nonEmpty reports whether the range of s holds a number for every value
// of the names in its bounds: hi - lo is a number at least 0, or the range
// is 1..n with n a name that no sum binds (a size, which is at least 1).
func nonEmpty(s *ast.Sum, bound map[string]bool) bool {
	if n, isSym := s.Hi.(*ast.Sym); isSym && !bound[n.Name] && ast.IsNum(s.Lo, 1) {
		return true
	}
	d, ok := simplify.PlainCanonical(ast.NewAdd(s.Hi, ast.NewNeg(s.Lo))).(*ast.Num)
	return ok && d.Value.Sign() >= 0
}

// condText writes a condition as a script does (x > 0), not as the value
// it has as an expression (if(x > 0, 1, 0)); a value in a condition's
// place holds where it is not 0.
func condText(c ast.Expr) string {
	if _, ok := c.(*ast.Condition); !ok {
		return ast.String(c) + " != 0"
	}
	return strings.TrimSuffix(strings.TrimPrefix(ast.String(c), "if("), ", 1, 0)")
}

// derivedZeroDivision says where a function that e differentiates divides
// by zero. A derivative has a value only where the function has one, but
// differentiating drops the part that has none: d(sum(i=2..n, 1/(x - x)),
// x) has the canonical form 0, and diff printed 0 where simplify of the
// function says that it divides by zero wherever 2 <= n. The function's
// canonical form without rules (the zero divisor comes from exact
// arithmetic, x - x = 0) finds it, and the canonical form after the rules
// confirms it, as simplify of the function decides: the form without rules
// keeps the piece of if(x == x, x, 1/(x - x)) that is never taken, and
// diff refused a function defined everywhere. The error is the one
// simplify gives for the function. The rules decide only where the form
// without them divides by zero: simplifying every function that may
// divide cost diff of a sum of 20 x^k/(1 + k*x^2) 77% more instructions;
// a divisor that only the rules make 0 (1/(log(exp(x)) - x), diff printed
// 0) is found by ruleZeroDivisor, which simplifies only the divisors that
// evaluation does not show to be nonzero somewhere.
func (s *Session) derivedZeroDivision(ctx context.Context, e ast.Expr) error {
	var found ast.Expr
	var failed error
	var walk func(e ast.Expr)
	var check func(d *ast.Deriv) bool
	walk = func(e ast.Expr) {
		ast.InspectOnce(e, func(n ast.Expr) bool {
			if found != nil || failed != nil {
				return false
			}
			d, ok := n.(*ast.Deriv)
			if !ok {
				return true
			}
			return check(d)
		})
	}
	check = func(d *ast.Deriv) bool {
		x := s.Defs.Expand(d.X)
		if ast.HasDeriv(x) {
			// A derivative of a derivative (W6's d(d(CE, w1), w2)): the
			// inner derivative is undefined where its function is, which
			// is checked where the walk meets it. A zero division that
			// only the inner differentiation makes is not looked for:
			// canonicalising the inner derivative was 12% of W6's time.
			walk(x)
			return false
		}
		if derivZeroSkip {
			may, err := mayDivideByZeroCtx(ctx, x)
			if err != nil {
				failed = explain(err, ctx)
				return false
			}
			if !may {
				return false
			}
		}
		if err := ctx.Err(); err != nil {
			failed = explain(err, ctx) // before a canonical form that does not look
			return false
		}
		if !divByZero(simplify.PlainCanonical(x)) && !s.ruleZeroDivisor(ctx, x) {
			return false
		}
		r, err := simplify.Simplify(ctx, x, s.options())
		switch {
		case ctx.Err() != nil:
			failed = explain(err, ctx)
		case err == nil && divByZero(r.Canonical):
			found = d.X
		}
		return false
	}
	walk(e)
	if failed != nil {
		return failed
	}
	if found == nil {
		return nil
	}
	return s.zeroDivision(ctx, found)
}

// derivZeroSkip turns on derivedZeroDivision's skipping of functions that
// mayDivideByZero clears (the tests compare the answers with and without
// it). The canonical form it saves cost W4's sum of 100 x^k/k two thirds
// of its time again.
var derivZeroSkip = true

// mayDivideByZero reports whether the canonical form of x may have 0 to a
// negative power. It cannot when x has no quotient but by a number other
// than 0, no power but with a positive integer exponent, no mean (over an
// empty range it divides by its count, 0) and no call but of a function
// whose canonical form is the call or another such function of its
// arguments: exact arithmetic on sums and products then never inverts
// anything.
func mayDivideByZero(x ast.Expr) bool {
	may, _ := mayDivideByZeroCtx(context.Background(), x)
	return may
}

// mayDivideByZeroCtx is mayDivideByZero, or ctx's error if it is done
// first. A large shared tree is walked once per node (a set of nodes
// seen costs more than the walk itself on W4's 100 terms), on a stack of
// its own and looking at ctx every divLook nodes: ast.InspectOnce
// recursed as deep as the tree and never looked (a Ctrl-C dump of a sum
// of 100,000 squares, differentiated, showed it).
func mayDivideByZeroCtx(ctx context.Context, x ast.Expr) (bool, error) {
	if x.Size() > maxTreeWalk {
		var seen ast.NodeMap[struct{}]
		seen.ReserveFrom(&divTables, 16)
		defer seen.Release(&divTables)
		stack := []ast.Expr{x}
		for n := 1; len(stack) > 0; n++ {
			if n%divLook == 0 {
				if err := ctx.Err(); err != nil {
					return false, err
				}
			}
			y := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if _, ok := seen.Get(y); ok {
				continue
			}
			seen.Put(y, struct{}{})
			if mayInvert(y) {
				return true, nil
			}
			stack = append(stack, ast.Children(y)...)
		}
		return false, nil
	}
	return mayDivideByZeroTree(x), nil
}

// divLook is how many nodes mayDivideByZeroCtx visits between looks at
// its context (well under a millisecond).
const divLook = 4096

// divTables keeps mayDivideByZeroCtx's tables of nodes seen.
var divTables ast.TablePool[struct{}]

// mayDivideByZeroTree is mayDivideByZero walking x as a tree.
func mayDivideByZeroTree(x ast.Expr) bool {
	var walk func(n ast.Expr) bool
	walk = func(n ast.Expr) bool {
		if mayInvert(n) {
			return true
		}
		switch n := n.(type) {
		case *ast.Num, *ast.Sym:
			return false
		case *ast.Add:
			for _, t := range n.Terms {
				if walk(t) {
					return true
				}
			}
			return false
		case *ast.Mul:
			for _, f := range n.Factors {
				if walk(f) {
					return true
				}
			}
			return false
		case *ast.Pow:
			return walk(n.X) || walk(n.Y)
		case *ast.Div:
			return walk(n.X) || walk(n.Y)
		case *ast.Neg:
			return walk(n.X)
		}
		for _, c := range ast.Children(n) {
			if walk(c) {
				return true
			}
		}
		return false
	}
	return walk(x)
}

// maxTreeWalk is the largest tree (Size) mayDivideByZero walks as a tree.
const maxTreeWalk = 1 << 14

// mayInvert reports whether the node n itself may make the canonical form
// divide by zero (its parts aside).
func mayInvert(n ast.Expr) bool {
	switch n := n.(type) {
	case *ast.Div:
		c, ok := n.Y.(*ast.Num)
		return !ok || c.Value.Sign() == 0
	case *ast.Pow:
		c, ok := n.Y.(*ast.Num)
		return !ok || !c.Value.IsInt() || c.Value.Sign() <= 0
	case *ast.Call:
		return !invertsNothing(n.Fn)
	case *ast.Sum:
		return n.Op != ast.OpSum
	case *ast.Deriv, *ast.MatOp:
		return true
	}
	return false
}

// invertsNothing reports whether fn is a function whose canonical form
// divides by nothing that its arguments do not. (The sets of functions
// here are switches, not map literals, which every command's start would
// build.)
func invertsNothing(fn string) bool {
	switch fn {
	case "exp", "log", "sqrt", "sigma", "softplus", "tanh", "cosh",
		"sinh", "sin", "cos", "Phi", "phi", "abs", "relu", "max", "min":
		return true
	}
	return false
}
