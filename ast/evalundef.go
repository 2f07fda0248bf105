package ast

// UndefinedFn names the value of a derivative at a point where it does
// not exist: derive's piecewise rule puts undefined() where a piece of an
// if holds on a set of measure zero (if(x == 0, 1, x) at x = 0) and the
// function jumps there, or is not known to join its neighbours. It is not
// a function a user can write (the parser knows no such name); every
// evaluation stops at it with a DomainError that says why.
const UndefinedFn = "undefined"

// Undefined returns the node undefined().
func Undefined() Expr { return NewCall(UndefinedFn) }

// IsUndefined reports whether e is the node undefined().
func IsUndefined(e Expr) bool {
	c, ok := e.(*Call)
	return ok && c.Fn == UndefinedFn && len(c.Args) == 0
}

// errUndefinedDeriv is the error an evaluation gives at undefined().
func errUndefinedDeriv() error {
	return &DomainError{Msg: "the derivative is undefined here: the if chooses at this point a piece that holds only on a set of measure zero, where the derivative is the neighbouring piece's only if the function joins it continuously at an isolated point, and it does not (or that is not known)"}
}
