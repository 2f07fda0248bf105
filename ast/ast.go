// Package ast declares the expression trees of symdiff's loss language.
//
// Trees are immutable and hash-consed: every constructor returns the one
// live node for its contents, so two trees are equal exactly when they are
// the same pointer, and passes can memoise on nodes. Trees carry no source
// positions (the parser keeps those), which keeps them easy to compare, hash
// and rewrite. Constructors build what they are told: the only folding they
// do is that a minus sign applied to a number gives a negative number, and
// that sums and products of fewer than two operands collapse to the operand
// (or 0 and 1).
//
// The slices held by nodes (Terms, Factors, Args, Indices) are shared and
// must never be modified.
package ast

// An Expr is a node of an expression tree. The set of node types is closed:
// a type switch over the types declared in this file is exhaustive.
type Expr interface {
	// ID is unique among live nodes; it identifies the node in memo tables.
	ID() uint64
	// Size is the number of nodes of the tree, counting a shared subtree as
	// often as it occurs (saturating at MaxSize).
	Size() int64
	// Height is the length of the longest path to a leaf (a leaf is 1).
	Height() int
	// header is the node's header (every node type embeds one): its
	// summary flags are read without a dynamic type assertion.
	header() *node
	exprNode()
}

// MaxSize is the value at which Size saturates.
const MaxSize = int64(1) << 62

// node is the header shared by every node type.
type node struct {
	id     uint64
	size   int64
	height int32
	flags  uint8     // summary of the subtree, see HasDeriv
	free   freeCache // names occurring free, computed on first use
}

const (
	flagDeriv   uint8 = 1 // the subtree contains a Deriv node
	flagIverson uint8 = 2 // the subtree contains an Iverson node
	flagShadow  uint8 = 4 // the subtree calls a user's function that shadows a built-in
	flagSum     uint8 = 8 // the subtree contains a Sum node (a sum or mean over an index)
	// flagZeroInverse: the subtree contains 0 to a negative number.
	flagZeroInverse uint8 = 16
	flagName        uint8 = 32 // the subtree contains a Sym or an Index
)

// HasFreeNames reports whether a name occurs free in e, as
// len(FreeNames(e)) > 0 does, but without listing them unless e has a
// sum, which may bind the names it has: sorting the names of a sum of
// 100,000 terms took 150 ms that Ctrl-C could not cut short.
func HasFreeNames(e Expr) bool {
	switch f := e.header().flags; {
	case f&flagName == 0:
		return false
	case f&flagSum == 0:
		return true // only a sum binds a name
	}
	return len(FreeNames(e)) > 0
}

// HasSum reports whether e contains a sum or a mean over an index.
func HasSum(e Expr) bool { return e.header().flags&flagSum != 0 }

// HasZeroInverse reports whether e contains 0 to a negative number (1/0,
// 0^-2): a division by zero written out.
func HasZeroInverse(e Expr) bool {
	return e.header().flags&flagZeroInverse != 0
}

// HasShadow reports whether e calls a user's function that shadows a
// built-in function (see UserFunc).
func HasShadow(e Expr) bool { return e.header().flags&flagShadow != 0 }

// HasIverson reports whether e contains a bracket [a <= b].
func HasIverson(e Expr) bool {
	return e.header().flags&flagIverson != 0
}

// HasDeriv reports whether e contains an unevaluated derivative.
func HasDeriv(e Expr) bool { return e.header().flags&flagDeriv != 0 }

func (n *node) ID() uint64    { return n.id }
func (n *node) Size() int64   { return n.size }
func (n *node) Height() int   { return int(n.height) }
func (n *node) header() *node { return n }

// SumOp says whether a Sum node adds its terms or averages them.
type SumOp uint8

const (
	OpSum  SumOp = iota // sum(i=lo..hi, body)
	OpMean              // mean(i=lo..hi, body) = sum / (hi - lo + 1)
)

func (op SumOp) String() string {
	if op == OpMean {
		return "mean"
	}
	return "sum"
}

type (
	// A Num node represents an exact rational constant: 2, 0.1, -3, 1/3.
	Num struct {
		node
		Value Number
	}

	// A Sym node represents a scalar name: x, n, λ, or a summation index.
	Sym struct {
		node
		Name string
	}

	// An Index node represents an indexed name such as w[j] or x[i,j]; the
	// indices are Sym or integer Num nodes.
	Index struct {
		node
		Name    string
		Indices []Expr
	}

	// A Neg node represents a negation -X; in a sum it is a subtraction.
	Neg struct {
		node
		X Expr
	}

	// An Add node represents a sum of two or more terms, t1 + t2 + ...
	Add struct {
		node
		Terms []Expr
	}

	// A Mul node represents a product of two or more factors, f1 * f2 * ...
	Mul struct {
		node
		Factors []Expr
	}

	// A Div node represents a quotient X / Y.
	Div struct {
		node
		X, Y Expr
	}

	// A Pow node represents a power X ^ Y.
	Pow struct {
		node
		X, Y Expr
	}

	// A Call node represents the application of a built-in or user-defined
	// function to its arguments, such as sigma(z[i]) or delta(j,k).
	Call struct {
		node
		Fn   string
		Args []Expr
	}

	// A Sum node represents sum(Var=Lo..Hi, Body) or mean(Var=Lo..Hi, Body);
	// Var is bound in Body (not in Lo and Hi).
	Sum struct {
		node
		Op     SumOp
		Var    string
		Lo, Hi Expr
		Body   Expr
	}

	// An Iverson node represents the Iverson bracket [A1 <= A2 <= ... <= An]
	// (n >= 2): 1 where the chain of comparisons holds and 0 where it does
	// not. Its operands are integer-valued (indices and sizes), so it is
	// how a condition on indices is stated exactly: the derivative of
	// sum(i=2..n, x[i]) by x[k] is [2 <= k <= n].
	Iverson struct {
		node
		Args []Expr
	}

	// A Deriv node represents an unevaluated derivative d(X, Wrt), where
	// Wrt is a Sym or an Index.
	Deriv struct {
		node
		X, Wrt Expr
	}
)

func (*Num) exprNode()     {}
func (*Sym) exprNode()     {}
func (*Index) exprNode()   {}
func (*Neg) exprNode()     {}
func (*Add) exprNode()     {}
func (*Mul) exprNode()     {}
func (*Div) exprNode()     {}
func (*Pow) exprNode()     {}
func (*Call) exprNode()    {}
func (*Sum) exprNode()     {}
func (*Iverson) exprNode() {}
func (*Deriv) exprNode()   {}

// Frequently used constants.
var (
	Zero     = NewInt(0)
	One      = NewInt(1)
	Two      = NewInt(2)
	MinusOne = NewInt(-1)
	Half     = NewNum(Frac(1, 2))
)

// NewNum returns the node for the constant v.
func NewNum(v Number) *Num {
	if i, ok := v.Int64(); ok && i >= -smallNums && i <= smallNums {
		if n := smallNumTable[i+smallNums]; n != nil {
			return n
		}
	}
	return internNum(v)
}

// NewInt returns the node for the integer v.
func NewInt(v int64) *Num { return NewNum(Int(v)) }

// NewSym returns the node for the scalar name.
func NewSym(name string) *Sym { return internSym(name) }

// NewIndex returns the node for name[indices...].
func NewIndex(name string, indices ...Expr) *Index { return internIndex(name, indices) }

// NewNeg returns -x; the negation of a number is a negative number.
func NewNeg(x Expr) Expr {
	if n, ok := x.(*Num); ok {
		return NewNum(n.Value.Neg())
	}
	return internNeg(x)
}

// NewAdd returns the sum of the terms: 0 for none, the term itself for one.
func NewAdd(terms ...Expr) Expr {
	switch len(terms) {
	case 0:
		return Zero
	case 1:
		return terms[0]
	}
	return internAdd(terms)
}

// NewMul returns the product of the factors: 1 for none, the factor itself
// for one.
func NewMul(factors ...Expr) Expr {
	switch len(factors) {
	case 0:
		return One
	case 1:
		return factors[0]
	}
	return internMul(factors)
}

// NewDiv returns x / y.
func NewDiv(x, y Expr) *Div { return internDiv(x, y) }

// NewPow returns x ^ y.
func NewPow(x, y Expr) *Pow { return internPow(x, y) }

// NewCall returns fn(args...).
func NewCall(fn string, args ...Expr) *Call { return internCall(fn, args) }

// NewSum returns sum(v=lo..hi, body) or mean(...) according to op.
func NewSum(op SumOp, v string, lo, hi, body Expr) *Sum { return internSum(op, v, lo, hi, body) }

// NewIverson returns [args[0] <= args[1] <= ...]; it needs two or more.
func NewIverson(args ...Expr) *Iverson {
	if len(args) < 2 {
		panic("ast.NewIverson: a bracket compares two or more operands")
	}
	return internIverson(args)
}

// NewDeriv returns d(x, wrt).
func NewDeriv(x, wrt Expr) *Deriv { return internDeriv(x, wrt) }

// IsNum reports whether e is the constant v.
func IsNum(e Expr, v int64) bool {
	n, ok := e.(*Num)
	if !ok {
		return false
	}
	i, ok := n.Value.Int64()
	return ok && i == v
}

// Delta returns the Kronecker delta of two indices, decided at once when
// they are the same or both numbers (1 or 0), otherwise delta(a, b).
func Delta(a, b Expr) Expr {
	if a == b {
		return One
	}
	_, an := a.(*Num)
	_, bn := b.(*Num)
	if an && bn {
		return Zero
	}
	return NewCall("delta", a, b)
}
