package ast

import "strings"

// A Stmt is a statement of a script or a rule file. Like Expr, the set is
// closed.
type Stmt interface{ stmtNode() }

type (
	// A DefStmt defines a name: CE := ..., p[i] := ..., f(u, v) := ...
	DefStmt struct {
		Def *Def
	}

	// An ExprStmt is a bare expression; running it prints its value.
	ExprStmt struct {
		X Expr
	}

	// A ProveStmt asks whether A == B (or, with Neq, asserts A != B).
	ProveStmt struct {
		A, B Expr
		Neq  bool
	}

	// A RuleStmt is a named rewrite rule LHS -> RHS, applied only where
	// every condition holds. Names on the left that are not functions are
	// pattern variables.
	RuleStmt struct {
		Name     string
		LHS, RHS Expr
		Conds    []Cond
	}

	// A DerivStmt states the derivative of a function with respect to one
	// of its parameters, in terms of the parameters (and usually of the
	// function itself): deriv sigma(u) = sigma(u)*(1 - sigma(u)).
	DerivStmt struct {
		Fn     string
		Params []string
		Wrt    int // index into Params
		Body   Expr
	}
)

func (*DefStmt) stmtNode()    {}
func (*ExprStmt) stmtNode()   {}
func (*ProveStmt) stmtNode()  {}
func (*RuleStmt) stmtNode()   {}
func (*DerivStmt) stmtNode()  {}
func (*AssumeStmt) stmtNode() {}

// An AssumeStmt states what the user assumes, in one of three forms:
//
//	assume x > 0, assume 0 < p < 1, assume sum(c=1..K, t[i,c]) == 1
//	    a chain X Ops[0] Rest[0] Ops[1] Rest[1] ... (< <= > >= ==)
//	assume k in 1..d
//	    an index range: In is set, Lo and Hi are the bounds
//	assume y[i] in {0, 1}
//	    a set of values: In is set, Set holds them
//
// Free indices of an indexed subject (the i of y[i]) stand for every
// index.
type AssumeStmt struct {
	X      Expr
	Ops    []string
	Rest   []Expr
	In     bool
	Lo, Hi Expr
	Set    []Expr
}

// DeclStmt is declared in matrix.go.

// A Cond is a side condition of a rule: X Op Y with Op one of
// > >= < <= != ==.
type Cond struct {
	X  Expr
	Op string
	Y  Expr
}

func (c Cond) String() string { return String(c.X) + " " + c.Op + " " + String(c.Y) }

// CondsString joins conditions with "and".
func CondsString(cs []Cond) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = c.String()
	}
	return strings.Join(parts, " and ")
}

// StmtString prints a statement in the input syntax.
func StmtString(s Stmt) string {
	switch s := s.(type) {
	case *DefStmt:
		return s.Def.String()
	case *ExprStmt:
		return String(s.X)
	case *ProveStmt:
		op := " == "
		if s.Neq {
			op = " != "
		}
		return "prove " + String(s.A) + op + String(s.B)
	case *RuleStmt:
		out := "rule " + s.Name + ": " + String(s.LHS) + " -> " + String(s.RHS)
		if len(s.Conds) > 0 {
			out += " if " + CondsString(s.Conds)
		}
		return out
	case *AssumeStmt:
		out := "assume " + String(s.X)
		switch {
		case s.In && s.Set != nil:
			parts := make([]string, len(s.Set))
			for i, v := range s.Set {
				parts[i] = String(v)
			}
			out += " in {" + strings.Join(parts, ", ") + "}"
		case s.In:
			out += " in " + String(s.Lo) + ".." + String(s.Hi)
		}
		for i, op := range s.Ops {
			out += " " + op + " " + String(s.Rest[i])
		}
		return out
	case *DeclStmt:
		return s.String()
	case *DerivStmt:
		args := make([]Expr, len(s.Params))
		for i, p := range s.Params {
			args[i] = NewSym(p)
		}
		out := "deriv " + String(NewCall(s.Fn, args...))
		if len(s.Params) > 1 {
			out += " wrt " + s.Params[s.Wrt]
		}
		return out + " = " + String(s.Body)
	}
	panic("ast: unknown statement")
}
