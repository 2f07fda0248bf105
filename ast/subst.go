package ast

import (
	"fmt"
	"slices"
)

// Subst replaces the free occurrences of the names in m (scalar names and
// index variables) by their expressions, renaming a sum's bound variable
// where it would capture a name of a replacement. Each distinct node is
// visited once, and subtrees in which no name of m is free are returned
// as they are, so substitution costs no more than the part it changes.
func Subst(e Expr, m map[string]Expr) Expr {
	if len(m) == 0 {
		return e
	}
	s := &substituter{m: m, memo: map[Expr]Expr{}}
	return s.expr(e)
}

type substituter struct {
	m    map[string]Expr
	memo map[Expr]Expr
}

func (s *substituter) touches(e Expr) bool {
	for _, n := range FreeNames(e) {
		if _, ok := s.m[n]; ok {
			return true
		}
	}
	return false
}

func (s *substituter) expr(e Expr) Expr {
	if r, ok := s.memo[e]; ok {
		return r
	}
	var r Expr
	switch x := e.(type) {
	case *Num:
		r = e
	case *Sym:
		r = e
		if v, ok := s.m[x.Name]; ok {
			r = v
		}
	default:
		if !s.touches(e) {
			r = e
			break
		}
		if sum, ok := e.(*Sum); ok {
			r = s.sum(sum)
			break
		}
		kids := Children(e)
		nk := make([]Expr, len(kids))
		for i, k := range kids {
			nk[i] = s.expr(k)
		}
		r = WithChildren(e, nk)
	}
	s.memo[e] = r
	return r
}

func (s *substituter) sum(e *Sum) Expr {
	lo, hi := s.expr(e.Lo), s.expr(e.Hi)
	inner := make(map[string]Expr, len(s.m))
	var capture []string // names of replacements that would be captured
	for n, v := range s.m {
		if n == e.Var || !HasFree(e.Body, n) {
			continue
		}
		inner[n] = v
		capture = append(capture, FreeNames(v)...)
	}
	v, body := e.Var, e.Body
	if slices.Contains(capture, v) {
		nv := Fresh(v, func(c string) bool {
			return slices.Contains(capture, c) || HasFree(e.Body, c)
		})
		body = Subst(body, map[string]Expr{v: NewSym(nv)})
		v = nv
	}
	return NewSum(e.Op, v, lo, hi, Subst(body, inner))
}

// freshNames are tried first for new index variables, in this order.
var freshNames = []string{"i", "j", "k", "l", "m", "p", "q", "r", "s", "t", "u", "v"}

// Fresh returns a name related to base for which taken is false: the next
// free letter of i, j, k, l, m, p, ... for one-letter names, otherwise base
// followed by a number.
func Fresh(base string, taken func(string) bool) string {
	if len(base) == 1 {
		for _, c := range freshNames {
			if !taken(c) {
				return c
			}
		}
	}
	for k := 1; ; k++ {
		c := fmt.Sprintf("%s%d", base, k)
		if !taken(c) {
			return c
		}
	}
}

// Rename renames the free occurrences of an index variable.
func Rename(e Expr, from, to string) Expr {
	return Subst(e, map[string]Expr{from: NewSym(to)})
}

// SubstNoSums is Subst for an expression with no sum in it (no bound name
// to keep from capture), without Subst's memo, for the small right sides
// of rules filled in many times: the names for which value answers are
// replaced, and only the nodes above a replacement are rebuilt. False
// means e has a sum: use Subst.
func SubstNoSums(e Expr, value func(name string) (Expr, bool)) (Expr, bool) {
	switch x := e.(type) {
	case *Num:
		return e, true
	case *Sym:
		if v, ok := value(x.Name); ok {
			return v, true
		}
		return e, true
	case *Sum:
		return nil, false
	}
	kids := Children(e)
	var nk []Expr
	for i, k := range kids {
		r, ok := SubstNoSums(k, value)
		if !ok {
			return nil, false
		}
		if r != k && nk == nil {
			nk = slices.Clone(kids)
		}
		if nk != nil {
			nk[i] = r
		}
	}
	if nk == nil {
		return e, true
	}
	return WithChildren(e, nk), true
}
