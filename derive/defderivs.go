package derive

import (
	"context"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/rules"
)

// openDerivDefs opens, in e, the definitions whose bodies hold a
// derivative, and those that use one, with each such body's derivatives
// evaluated first, under its own parameters: after g := d(x^3, x), g was
// shown as d(x^3, x) and prove g == 3*x^2 was unknown (the definitions
// were opened after the derivatives were taken), and after
// f(u) := d(u^2, u), f(3) printed d(9, 3), the parameter replaced inside
// the derivative's variable. The steps are those of the bodies'
// derivatives.
func openDerivDefs(ctx context.Context, e ast.Expr, opt Options) (ast.Expr, []rules.Step, error) {
	ds := opt.Defs
	// reach: the definitions e's opening must go through, the names whose
	// bodies hold a derivative or use such a name (memoised; a cycle is
	// refused when defined, busy only guards).
	reach := map[string]bool{}
	busy := map[string]bool{}
	var reaches func(name string) bool
	reaches = func(name string) bool {
		if r, ok := reach[name]; ok {
			return r
		}
		d, ok := ds.Lookup(name)
		if !ok || busy[name] {
			return false
		}
		busy[name] = true
		r := ast.HasDeriv(d.Body)
		for _, n := range ds.Refs(d.Body) {
			if reaches(n) {
				r = true
			}
		}
		delete(busy, name)
		reach[name] = r
		return r
	}
	any := false
	for _, n := range ds.Refs(e) {
		if reaches(n) {
			any = true
		}
	}
	if !any {
		return e, nil, nil
	}
	// The definitions with their bodies' derivatives taken: each body
	// opened the same way first, then differentiated with its parameters
	// as names.
	derived := ds.Clone()
	var steps []rules.Step
	for _, d := range ds.All() {
		if !reach[d.Name] || !ast.HasDeriv(d.Body) {
			continue
		}
		body, st, err := Expand(ctx, d.Body, opt)
		if err != nil {
			return nil, nil, err
		}
		steps = append(steps, st...)
		c := *d
		c.Body = body
		if err := derived.Define(&c); err != nil {
			return nil, nil, err
		}
	}
	return derived.ExpandIf(e, func(name string) bool { return reach[name] }), steps, nil
}
