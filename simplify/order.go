package simplify

import (
	"strings"

	"github.com/symdiff/symdiff/ast"
)

// Compare is a total order on expressions, used to sort the operands of
// canonical sums and products. It depends only on structure, never on node
// IDs, so canonical forms (and what symdiff prints) are the same on every
// run. Numbers come first, then names, indexed names, calls, sums, powers,
// products and sums of terms.
func Compare(a, b ast.Expr) int {
	if a == b {
		return 0
	}
	if ra, rb := rank(a), rank(b); ra != rb {
		return ra - rb
	}
	switch x := a.(type) {
	case *ast.Num:
		return x.Value.Cmp(b.(*ast.Num).Value)
	case *ast.Sym:
		return naturalCompare(x.Name, b.(*ast.Sym).Name)
	case *ast.Index:
		y := b.(*ast.Index)
		if c := naturalCompare(x.Name, y.Name); c != 0 {
			return c
		}
		return compareLists(x.Indices, y.Indices)
	case *ast.Call:
		y := b.(*ast.Call)
		if c := strings.Compare(x.Fn, y.Fn); c != 0 {
			return c
		}
		// The shallower first: this decides sin(x) against
		// sin(sin(...(x)...)) at once instead of walking both chains.
		if c := x.Height() - y.Height(); c != 0 {
			return c
		}
		return compareLists(x.Args, y.Args)
	case *ast.Sum:
		y := b.(*ast.Sum)
		if x.Op != y.Op {
			return int(x.Op) - int(y.Op)
		}
		if c := compareLists([]ast.Expr{x.Lo, x.Hi}, []ast.Expr{y.Lo, y.Hi}); c != 0 {
			return c
		}
		if c := strings.Compare(x.Var, y.Var); c != 0 {
			return c
		}
		if c := x.Body.Height() - y.Body.Height(); c != 0 {
			return c
		}
		return Compare(x.Body, y.Body)
	case *ast.Pow:
		y := b.(*ast.Pow)
		if c := x.X.Height() - y.X.Height(); c != 0 {
			return c
		}
		if c := Compare(x.X, y.X); c != 0 {
			return c
		}
		return Compare(x.Y, y.Y)
	case *ast.Mul:
		return compareLists(x.Factors, b.(*ast.Mul).Factors)
	case *ast.Add:
		return compareLists(x.Terms, b.(*ast.Add).Terms)
	case *ast.Neg:
		return Compare(x.X, b.(*ast.Neg).X)
	case *ast.Div:
		y := b.(*ast.Div)
		return compareLists([]ast.Expr{x.X, x.Y}, []ast.Expr{y.X, y.Y})
	case *ast.Deriv:
		y := b.(*ast.Deriv)
		return compareLists([]ast.Expr{x.X, x.Wrt}, []ast.Expr{y.X, y.Wrt})
	case *ast.Iverson:
		return compareLists(x.Args, b.(*ast.Iverson).Args)
	case *ast.Condition:
		y := b.(*ast.Condition)
		if x.Op != y.Op {
			return int(x.Op) - int(y.Op)
		}
		return compareLists(x.Args, y.Args)
	case *ast.If:
		return compareLists(ast.Children(x), ast.Children(b))
	case *ast.MatOp:
		y := b.(*ast.MatOp)
		if x.Kind != y.Kind {
			return int(x.Kind) - int(y.Kind)
		}
		return compareLists(x.Args, y.Args)
	}
	panic("simplify: Compare: unexpected node")
}

func rank(e ast.Expr) int {
	switch e.(type) {
	case *ast.Num:
		return 0
	case *ast.Sym:
		return 1
	case *ast.Index:
		return 2
	case *ast.Call:
		return 3
	case *ast.Sum:
		return 4
	case *ast.Pow:
		return 5
	case *ast.Mul:
		return 6
	case *ast.Add:
		return 7
	case *ast.Neg:
		return 8
	case *ast.Div:
		return 9
	case *ast.Deriv:
		return 10
	case *ast.Iverson:
		return 11 // conditions last: 2*x[k]*[2 <= k <= n]
	case *ast.If:
		return 12
	case *ast.Condition:
		return 13
	}
	return 14
}

func compareLists(a, b []ast.Expr) int {
	// The same nodes compare equal: start where the lists first differ
	// (the products of d/dx Π(x+k) share a long front with their
	// neighbours in a sorted sum).
	for i := ast.SharedFront(a, b); i < len(a) && i < len(b); i++ {
		if c := Compare(a[i], b[i]); c != 0 {
			return c
		}
	}
	return len(a) - len(b)
}

// termOrder orders the terms of a canonical sum by their monomial (the
// term without its numeric coefficient), so that 2*x and 3*x sit where x
// would.
func termOrder(a, b ast.Expr) int {
	ca, fa, oa := termParts(a)
	cb, fb, ob := termParts(b)
	var c int
	switch {
	case oa != nil && ob != nil:
		c = Compare(oa, ob)
	case oa != nil:
		c = compareOne(oa, fb)
	case ob != nil:
		c = compareToOne(fa, ob)
	case len(fa) == 1 && len(fb) == 1:
		c = Compare(fa[0], fb[0])
	case len(fa) == 0 || len(fb) == 0:
		c = len(fa) - len(fb) // a number before the rest
	default:
		// Compare as the products the monomials are, without building them.
		c = compareMonomials(fa, fb)
	}
	if c != 0 {
		return c
	}
	return ca.Cmp(cb)
}

// compareOne is termOrder's comparison of the one-factor monomial x with
// the factors fs of another: as compareMonomials of [x] and fs.
func compareOne(x ast.Expr, fs []ast.Expr) int {
	switch len(fs) {
	case 0:
		return 1 // a number before the rest
	case 1:
		return Compare(x, fs[0])
	}
	return Compare(x, ast.NewMul(fs...))
}

// compareToOne is compareOne the other way round: fs against x.
func compareToOne(fs []ast.Expr, x ast.Expr) int {
	switch len(fs) {
	case 0:
		return -1
	case 1:
		return Compare(fs[0], x)
	}
	return Compare(ast.NewMul(fs...), x)
}

// termParts splits a canonical term into its coefficient and the factors of
// the rest, without interning a new product (sorting calls this a lot); a
// term that is neither a number nor a product is its one factor, one
// (returned so, without a list made for it: W4's sorted check of a
// hundred powers made two lists per comparison).
func termParts(t ast.Expr) (k ast.Number, factors []ast.Expr, one ast.Expr) {
	switch x := t.(type) {
	case *ast.Num:
		return x.Value, nil, nil
	case *ast.Mul:
		if n, ok := x.Factors[0].(*ast.Num); ok {
			return n.Value, x.Factors[1:], nil
		}
		return ast.Int(1), x.Factors, nil
	}
	return ast.Int(1), nil, t
}

// compareMonomials orders factor lists as Compare orders the monomials
// they make: a single factor is the factor itself, several are a product.
func compareMonomials(a, b []ast.Expr) int {
	if len(a) == 1 || len(b) == 1 {
		// A lone factor against a product: rank decides unless the lone
		// factor is itself a product (it cannot be, in canonical form).
		x := ast.NewMul(a...)
		y := ast.NewMul(b...)
		return Compare(x, y)
	}
	return compareLists(a, b)
}

// factorOrder orders the factors of a canonical product by base; a
// constant (pi) goes with the numbers, before every other factor, as a
// person writes 2*pi*x and pi*cos(pi*x).
func factorOrder(a, b ast.Expr) int {
	ba, ea := splitPow(a)
	bb, eb := splitPow(b)
	if c := baseOrder(ba, bb); c != 0 {
		return c
	}
	return Compare(ea, eb)
}

// baseOrder orders the bases of a product's factors: the constants
// first, roots of numbers before named constants (sqrt(2)*pi*x, as a
// person and SymPy write it), then by Compare. The canonical product's
// fast path checks its factors against it (sortedDistinct).
func baseOrder(a, b ast.Expr) int {
	if ka, kb := constRank(a), constRank(b); ka != kb {
		return ka - kb
	}
	return Compare(a, b)
}

// constRank is 0 for a number, 1 for the square root of a constant, 2 for
// a named constant such as pi, and 3 for the other bases of a product.
func constRank(e ast.Expr) int {
	switch e := e.(type) {
	case *ast.Num:
		return 0
	case *ast.Call:
		switch {
		case len(e.Args) == 0:
			return 2
		case e.Fn == "sqrt" && constRank(e.Args[0]) < 3:
			return 1
		}
	}
	return 3
}

// naturalCompare orders names with numbers in them by the numbers' values
// (x2 before x10), then by the text; it is a total order.
func naturalCompare(a, b string) int {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		ca, cb := a[i], b[j]
		if isDigit(ca) && isDigit(cb) {
			si, sj := i, j
			for i < len(a) && isDigit(a[i]) {
				i++
			}
			for j < len(b) && isDigit(b[j]) {
				j++
			}
			na := strings.TrimLeft(a[si:i], "0")
			nb := strings.TrimLeft(b[sj:j], "0")
			if len(na) != len(nb) {
				return len(na) - len(nb)
			}
			if c := strings.Compare(na, nb); c != 0 {
				return c
			}
			continue
		}
		if ca != cb {
			return int(ca) - int(cb)
		}
		i++
		j++
	}
	if c := (len(a) - i) - (len(b) - j); c != 0 {
		return c
	}
	return strings.Compare(a, b) // equal by value: fall back to the text (x01, x1)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
