package prove

import (
	"context"
	"maps"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/simplify"
)

// proveWider tries again a claim found unknown (pr) with the ranges
// widerRanges gives, and returns that proof if it proves the claim, else
// pr. A claim decided with the ranges InferRanges gives keeps them.
func proveWider(ctx context.Context, a, b ast.Expr, opt simplify.Options, given, ranges map[string]simplify.Range, pr *Proof) (*Proof, error) {
	wider := widerRanges(opt.Defs, given, ranges, a, b)
	if wider == nil {
		return pr, nil
	}
	pw, err := proveIn(ctx, a, b, opt, wider)
	if err != nil || pw.Verdict != Proved {
		return pr, err
	}
	return pw, nil
}

// widerRanges adds to the ranges r that simplify.InferRanges gave for the
// two sides of a claim those it gives where an array that no sum runs
// over says nothing about a free index, or returns nil when there are
// none. In sum(j=1..d, w[j]*delta(j, k)) + 0*y[k] == w[k], k reads w,
// whose sums run over 1..d, and y, over which nothing is summed:
// InferRanges gives k no range (y's extent is unknown), so the claim was
// unknown, while without the term 0*y[k] it is proved for k = 1..d. Here
// y's use of k is left out when k's other uses give it a range: the claim
// is then made for k in that range, where w[k] is defined (and stated so:
// "for k = 1..d"), and wherever y[k] is too, as every claim is made where
// both sides are defined. An index that reads only such arrays still has
// no range (sum(j=1..d, delta(j, k))*a[k] == a[k] stays refuted), and
// sums over different ranges still give none.
func widerRanges(defs *ast.Defs, given, r map[string]simplify.Range, a, b ast.Expr) map[string]simplify.Range {
	ea, eb := a, b
	if defs != nil {
		ea, eb = defs.Expand(a), defs.Expand(b)
	}
	type arrayPos struct {
		name string
		pos  int
	}
	summed := map[arrayPos]bool{}
	uses := map[string]map[arrayPos]bool{} // free index → where it is used
	var walk func(e ast.Expr, bound map[string]bool)
	walk = func(e ast.Expr, bound map[string]bool) {
		switch x := e.(type) {
		case *ast.Index:
			for p, ix := range x.Indices {
				if s, ok := ix.(*ast.Sym); ok {
					ap := arrayPos{x.Name, p}
					if bound[s.Name] {
						summed[ap] = true
					} else {
						if uses[s.Name] == nil {
							uses[s.Name] = map[arrayPos]bool{}
						}
						uses[s.Name][ap] = true
					}
				}
			}
		case *ast.Sum:
			walk(x.Lo, bound)
			walk(x.Hi, bound)
			inner := make(map[string]bool, len(bound)+1)
			for n := range bound {
				inner[n] = true
			}
			inner[x.Var] = true
			walk(x.Body, inner)
			return
		}
		for _, c := range ast.Children(e) {
			walk(c, bound)
		}
	}
	walk(ea, nil)
	walk(eb, nil)
	// The free indices without a range that read both arrays some sum
	// runs over and arrays none does: their uses in the latter are
	// renamed apart, and the ranges inferred again.
	drop := map[arrayPos]string{}
	for k, ps := range uses {
		if _, ok := r[k]; ok {
			continue
		}
		some, none := false, false
		for p := range ps {
			if summed[p] {
				some = true
			} else {
				none = true
			}
		}
		if some && none {
			for p := range ps {
				if !summed[p] {
					drop[p] = k
				}
			}
		}
	}
	if len(drop) == 0 {
		return nil
	}
	apart := func(e ast.Expr) ast.Expr {
		return ast.Map(e, func(x ast.Expr) ast.Expr {
			ix, ok := x.(*ast.Index)
			if !ok {
				return x
			}
			indices := append([]ast.Expr(nil), ix.Indices...)
			changed := false
			for p, i := range indices {
				if s, ok := i.(*ast.Sym); ok && drop[arrayPos{ix.Name, p}] == s.Name {
					indices[p] = ast.NewSym(s.Name + "$apart")
					changed = true
				}
			}
			if !changed {
				return x
			}
			return ast.NewIndex(ix.Name, indices...)
		})
	}
	wider := simplify.InferRanges(nil, given, apart(ea), apart(eb))
	var out map[string]simplify.Range
	for _, k := range drop {
		if rk, ok := wider[k]; ok {
			if out == nil {
				out = maps.Clone(r)
				if out == nil {
					out = map[string]simplify.Range{}
				}
			}
			out[k] = rk
		}
	}
	return out
}
