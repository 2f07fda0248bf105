package ast

import (
	"sync"
	"unicode/utf8"
)

// A Greek name and its letter are one name: lambda prints as λ in
// Unicode, and λ reads as lambda (the parser asks LatinName), so that
// every Unicode print reads back as the tree it printed, and plain
// output stays ASCII. The one table is greek (operator.go), which the
// LaTeX printer uses too.

// GreekLetter returns the letter a name spelled as a Greek letter's name
// prints as in Unicode: λ for lambda.
func GreekLetter(name string) (string, bool) {
	if len(name) < 2 || len(name) > 7 || name[0] >= utf8.RuneSelf {
		return "", false // not alpha ... omicron
	}
	g, ok := greek()[name]
	return g[0], ok
}

// LatinName returns the name a Greek letter stands for: lambda for λ.
func LatinName(letter string) (string, bool) {
	if letter == "" || letter[0] < utf8.RuneSelf {
		return "", false
	}
	return greekLatin()[letter], greekLatin()[letter] != ""
}

// greekLatin maps each letter of greek to its Latin spelling.
var greekLatin = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	for name, g := range greek() {
		if name != g[0] {
			m[g[0]] = name
		}
	}
	return m
})

// FreeNames returns the sorted names that occur free in e: scalar names,
// the names of indexed symbols, and index variables not bound by a sum.
// Function names are not included. The result must not be modified.
//
// Each node keeps its list. The nodes whose lists are not known yet are
// visited by a loop, children first, not by a recursion as deep as the
// tree: a where clause naming 700,000 parts each by the one before is a
// tree that deep, and the recursion grew the stack a doubling at a time,
// each a copy of up to hundreds of megabytes (seconds of page faults on
// this machine, in pieces no context is looked at between).
func FreeNames(e Expr) []string {
	if p := e.header().free.p.Load(); p != nil {
		return *p
	}
	switch e.(type) {
	case *Num, *Sym:
		return freeNamesOf(e)
	}
	type frame struct {
		e    Expr
		next int // the next child to look at
	}
	var small [32]frame // most walks: no allocation
	stack := append(small[:0], frame{e: e})
	for len(stack) > 0 {
		f := &stack[len(stack)-1]
		if k, ok := child(f.e, f.next); ok {
			f.next++
			if k.header().free.p.Load() == nil {
				stack = append(stack, frame{e: k})
			}
			continue
		}
		freeNamesOf(f.e) // every child's list is known
		stack = stack[:len(stack)-1]
	}
	return *e.header().free.p.Load()
}

// child returns e's i-th child in the order of Children, without making
// the list Children makes for a node of fixed arity.
func child(e Expr, i int) (Expr, bool) {
	var kids []Expr
	switch e := e.(type) {
	case *Num, *Sym:
		return nil, false
	case *Neg:
		return e.X, i == 0
	case *Div:
		return pick2(e.X, e.Y, i)
	case *Pow:
		return pick2(e.X, e.Y, i)
	case *Deriv:
		return pick2(e.X, e.Wrt, i)
	case *Sum:
		if i == 2 {
			return e.Body, true
		}
		return pick2(e.Lo, e.Hi, i)
	case *If:
		if i == 2 {
			return e.Else, true
		}
		return pick2(e.Cond, e.Then, i)
	default:
		kids = Children(e)
	}
	if i < len(kids) {
		return kids[i], true
	}
	return nil, false
}

func pick2(a, b Expr, i int) (Expr, bool) {
	switch i {
	case 0:
		return a, true
	case 1:
		return b, true
	}
	return nil, false
}
