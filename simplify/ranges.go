package simplify

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/symdiff/symdiff/ast"
)

// The ranges of free indices. An index compared with a sum's range gets a
// condition ([lo <= k <= hi]) unless its range implies it; a free index
// has a range only where the user or the context gives one:
//
//  1. the user's assumption `assume k in 1..d` (Options.Ranges);
//  2. the extent of an array it indexes: a free index k used as the p-th
//     index of an array (w[k], or x[i,k], or the variable differentiated
//     by, d(E, w[k])) ranges over 1..N when every sum that runs over the
//     p-th index of that array, in the expression and in the definitions
//     it uses, runs from 1 to the same size N (a name or a number). The array then has
//     extent N there, and w[k] exists only for k = 1..N. With no such sum,
//     or sums over other ranges (2..n, 1..n-1, 1..n and 1..m), k has no
//     range and its conditions stay: d(sum(i=2..n, x[i]^2), x[k]) is
//     2*x[k]*[2 <= k <= n]. A defined name indexed by k (P[m,k] with
//     P[i,l] := ...) is not an array: where no sum runs over its index
//     it says nothing, and the arrays of its body decide.
//
// A number is never given a range: d(sum(i=1..n, x[i]), x[3]) is
// [3 <= n]. The ranges used are stated with the result ("for k = 1..d").

// arrayPos is the p-th index position of an array.
type arrayPos struct {
	name string
	pos  int
}

// inferWalkAlways turns InferRanges' shortcut off (for the test that
// compares).
var inferWalkAlways bool

type extent struct {
	hi       ast.Expr
	conflict bool
}

// InferRanges returns the ranges of the free indices of es: those given
// in given (they take precedence), and those that the extents of the
// arrays they index imply (rule 2 above), opening the definitions of defs.
func InferRanges(defs *ast.Defs, given map[string]Range, es ...ast.Expr) map[string]Range {
	if !inferWalkAlways && defs.Len() == 0 && !slices.ContainsFunc(es, ast.HasSum) {
		// An extent comes only from an index bound by a sum, and with no
		// definitions to open there is none: what is inferred is what
		// was given (the walk read every node of W4's hundred terms).
		if len(given) == 0 {
			return nil
		}
		return maps.Clone(given)
	}
	inf := &inferrer{extents: map[arrayPos]*extent{}, uses: map[string][]arrayPos{}, defs: defs, seen: map[string]bool{}}
	for _, e := range es {
		inf.walk(e, nil, true)
	}
	out := map[string]Range{}
	for k, r := range given {
		out[k] = r
	}
	for k, ps := range inf.uses {
		if _, ok := out[k]; ok {
			continue
		}
		var hi ast.Expr
		ok := true
		for _, p := range ps {
			ext, found := inf.extents[p]
			if !found && inf.defined(p) {
				// A defined name is not an array: P[m,l] with P[i,l] :=
				// ... has no extent of its own where no sum runs over
				// it; its body, opened where it is used, says what l
				// indexes.
				continue
			}
			if !found || ext.conflict || (hi != nil && hi != ext.hi) {
				ok = false
				break
			}
			hi = ext.hi
		}
		if ok && hi != nil && !ast.HasFree(hi, k) {
			out[k] = Range{Lo: ast.One, Hi: hi}
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

type inferrer struct {
	extents map[arrayPos]*extent
	uses    map[string][]arrayPos
	defs    *ast.Defs
	seen    map[string]bool // definitions opened
	budget  int
}

type boundIdx struct {
	name   string
	lo, hi ast.Expr
}

func lookup(bound []boundIdx, name string) (boundIdx, bool) {
	for i := len(bound) - 1; i >= 0; i-- {
		if bound[i].name == name {
			return bound[i], true
		}
	}
	return boundIdx{}, false
}

// walk records the extents of arrays and the uses of free indices. free
// says whether e's free indices are the caller's (not a definition's
// parameters).
func (inf *inferrer) walk(e ast.Expr, bound []boundIdx, free bool) {
	inf.budget++
	if inf.budget > 200_000 {
		return
	}
	switch x := e.(type) {
	case *ast.Index:
		for p, ix := range x.Indices {
			s, ok := ix.(*ast.Sym)
			if !ok {
				continue
			}
			ap := arrayPos{x.Name, p}
			if b, isBound := lookup(bound, s.Name); isBound {
				// A size: a number, or a name no enclosing sum binds.
				hiSym := false
				switch h := b.hi.(type) {
				case *ast.Num:
					hiSym = true
				case *ast.Sym:
					_, isBound := lookup(bound, h.Name)
					hiSym = !isBound
				}
				ext, seen := inf.extents[ap]
				switch {
				case !ast.IsNum(b.lo, 1) || !hiSym:
					if seen {
						ext.conflict = true
					} else {
						inf.extents[ap] = &extent{conflict: true}
					}
				case !seen:
					inf.extents[ap] = &extent{hi: b.hi}
				case ext.hi != b.hi:
					ext.conflict = true
				}
			} else if free && !slices.Contains(inf.uses[s.Name], ap) {
				inf.uses[s.Name] = append(inf.uses[s.Name], ap)
			}
		}
		inf.open(x.Name, x.Indices, bound, free)
	case *ast.Sym:
		inf.open(x.Name, nil, bound, free)
	case *ast.Call:
		inf.open(x.Fn, x.Args, bound, free)
		for _, a := range x.Args {
			inf.walk(a, bound, free)
		}
	case *ast.Sum:
		inf.walk(x.Lo, bound, free)
		inf.walk(x.Hi, bound, free)
		inf.walk(x.Body, append(slices.Clone(bound), boundIdx{x.Var, x.Lo, x.Hi}), free)
	case *ast.Deriv:
		inf.walk(x.X, bound, free)
		inf.walk(x.Wrt, bound, free)
	case *ast.Num:
	case *ast.Pow: // without ast.Children's list of two
		inf.walk(x.X, bound, free)
		inf.walk(x.Y, bound, free)
	case *ast.Div:
		inf.walk(x.X, bound, free)
		inf.walk(x.Y, bound, free)
	case *ast.Neg:
		inf.walk(x.X, bound, free)
	default:
		for _, k := range ast.Children(e) {
			inf.walk(k, bound, free)
		}
	}
}

// defined reports whether the array of p is a definition with
// parameters.
func (inf *inferrer) defined(p arrayPos) bool {
	if inf.defs == nil {
		return false
	}
	d, ok := inf.defs.Lookup(p.name)
	return ok && len(d.Params) > p.pos
}

// open walks a definition's body where it is used, instantiated with the
// arguments: p[i] := sigma(z[i]) used as p[i] in sum(i=1..n, ...) says z
// has extent n. Each instance is walked once.
func (inf *inferrer) open(name string, args []ast.Expr, bound []boundIdx, free bool) {
	if inf.defs.Len() == 0 {
		return // nil or empty (a session without definitions): nothing to look up
	}
	d, ok := inf.defs.Lookup(name)
	if !ok || len(d.Params) != len(args) {
		return
	}
	body := d.Instantiate(args)
	var key strings.Builder
	key.WriteString(fmt.Sprint(body.ID(), free))
	for _, b := range bound {
		if ast.HasFree(body, b.name) {
			fmt.Fprintf(&key, ";%s:%d:%d", b.name, b.lo.ID(), b.hi.ID())
		}
	}
	if inf.seen[key.String()] {
		return
	}
	inf.seen[key.String()] = true
	inf.walk(body, bound, free)
}

// FormatRanges writes ranges as "k = 1..d, m = 1..n", sorted by name.
func FormatRanges(r map[string]Range, str func(ast.Expr) string) string {
	return FormatRangesWith(r, func(k string, lo, hi ast.Expr) string {
		h := "∞"
		if hi != nil {
			h = str(hi)
		}
		return k + " = " + str(lo) + ".." + h
	})
}

// FormatRangesWith joins one(k, lo, hi) for each range, sorted by name.
func FormatRangesWith(r map[string]Range, one func(k string, lo, hi ast.Expr) string) string {
	names := make([]string, 0, len(r))
	for k := range r {
		names = append(names, k)
	}
	sort.Strings(names)
	var parts []string
	for _, k := range names {
		parts = append(parts, one(k, r[k].Lo, r[k].Hi))
	}
	return strings.Join(parts, ", ")
}
