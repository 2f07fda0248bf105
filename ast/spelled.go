package ast

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Distinct names, distinctly shown. The natural notations of the LaTeX and
// Unicode printers are not one to one: x1, x_1 and x[1] are all x_{1} in
// LaTeX, lambda and λ are both \lambda (and λ in Unicode), yhat, y_hat
// and ŷ are all \hat{y}. Where a document uses two names that would look
// alike, DistinctNames picks the names to write as spelled instead
// (\mathit{x1}, \mathit{lambda}; lambda in Unicode), and every other
// name keeps its natural notation. Of names that would look alike, the
// one kept is an indexed name's element first (x[1] is x_{1}), then a
// name written with a character beyond ASCII (λ, ŷ), then one with an
// underscore (x_1), then the others, each in order of spelling.

// FormatSpelled prints e as Format does, with the names in spelled
// written as spelled, the names declared non-scalar in shapes in bold
// (LaTeX), and the built-ins shadowed by defs spelled otherwise (see
// FormatIn).
func FormatSpelled(e Expr, st Style, shapes map[string]Shape, defs *Defs, spelled map[string]bool) (string, error) {
	if st == LaTeX {
		p := &latexPrinter{bold: boldNames(shapes), spelled: spelled}
		p.expr(e)
		return printed(&p.b, p.over, e, p.halt)
	}
	shadow := shadowsIn(e)
	for _, n := range defs.Shadowing() {
		if shadow == nil {
			shadow = map[string]bool{}
		}
		shadow[n] = true
	}
	p := &printer{uni: st == Unicode, shadow: shadow, spelled: spelled}
	p.expr(e)
	return printed(&p.b, p.over, e, p.halt)
}

// NameIn writes a name as the printer of style st does, or as spelled.
func NameIn(name string, st Style, spelled map[string]bool) string {
	switch {
	case st == LaTeX:
		return (&latexPrinter{spelled: spelled}).name(name)
	case st == Unicode:
		return (&printer{uni: true, spelled: spelled}).name(name)
	}
	return name
}

// DistinctNames returns the names of es to write as spelled in style st
// so that no two of the names, indexed names and functions written as
// names look alike; nil when none do (and for the plain style, which
// parses back).
func DistinctNames(st Style, es ...Expr) map[string]bool {
	if st == Plain {
		return nil
	}
	atoms := map[Expr]bool{}
	seen := map[Expr]bool{}
	var walk func(e Expr)
	walk = func(e Expr) {
		if seen[e] {
			return
		}
		seen[e] = true
		switch x := e.(type) {
		case *Sym:
			atoms[x] = true
		case *Index:
			atoms[x] = true
		case *Call:
			// A user's function, where it is shown as a name (LaTeX writes
			// the others as \operatorname{name}).
			_, builtin := LookupFunc(x.Fn)
			if !builtin && (st == Unicode || utf8.RuneCountInString(x.Fn) == 1 || greek()[x.Fn] != [2]string{}) {
				atoms[NewSym(x.Fn)] = true
			}
		case *Sum:
			atoms[NewSym(x.Var)] = true
		}
		for _, k := range Children(e) {
			walk(k)
		}
	}
	for _, e := range es {
		if e != nil {
			walk(e)
		}
	}
	list := make([]Expr, 0, len(atoms))
	for a := range atoms {
		list = append(list, a)
	}
	// The order of precedence: the first of a group keeps its notation.
	rank := func(a Expr) (int, string) {
		n := atomName(a)
		r := 0
		switch {
		case strings.ContainsFunc(n, func(r rune) bool { return r >= utf8.RuneSelf }):
			r = 0
		case strings.Contains(n, "_"):
			r = 1
		default:
			r = 2
		}
		if !isIndex(a) {
			r += 3
		}
		return r, String(a)
	}
	slices.SortFunc(list, func(a, b Expr) int {
		ra, sa := rank(a)
		rb, sb := rank(b)
		if ra != rb {
			return ra - rb
		}
		return strings.Compare(sa, sb)
	})
	var spelled map[string]bool
	for round := 0; round < 4; round++ {
		shown := map[string]Expr{}
		changed := false
		for _, a := range list {
			s, _ := FormatSpelled(a, st, nil, nil, spelled)
			first, clash := shown[s]
			if !clash {
				shown[s] = a
				continue
			}
			// The later one is spelled; if it is already, the first.
			for _, n := range []string{atomName(a), atomName(first)} {
				if n == atomName(first) && n == atomName(a) || spelled[n] {
					continue
				}
				if spelled == nil {
					spelled = map[string]bool{}
				}
				spelled[n] = true
				changed = true
				break
			}
		}
		if !changed {
			break
		}
	}
	return spelled
}

func atomName(a Expr) string {
	if x, ok := a.(*Index); ok {
		return x.Name
	}
	return a.(*Sym).Name
}

func isIndex(a Expr) bool { _, ok := a.(*Index); return ok }
