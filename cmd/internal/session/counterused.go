package session

import (
	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/simplify/prove"
)

// trimCounter drops from a refuted claim's counterexample the declared
// names the claim does not depend on: with x : vector(n) declared, the
// matrix prover drew x too, and prove S[1,2] == 0 printed x's value at
// the point. What stays is every name either side reads, its definitions
// opened, and the declared sizes of the arrays among them (S's n): the
// sides' values at the point are the same, since neither reads what is
// dropped. Names that are not declared (an entry's index k, which says
// where two vectors differ) are kept.
func (s *Session) trimCounter(a, b ast.Expr, p *prove.Proof) {
	if p == nil || p.Counter == nil || len(s.Decls) == 0 {
		return
	}
	declared := map[string]bool{}
	for name, sh := range s.Decls {
		declared[name] = true
		for _, d := range []ast.Expr{sh.Rows, sh.Cols} {
			if n, ok := d.(*ast.Sym); ok {
				declared[n.Name] = true
			}
		}
	}
	used := map[string]bool{}
	for _, side := range []ast.Expr{a, b} {
		x := s.Rules.Defs().Expand(s.Defs.Expand(side))
		for _, n := range ast.FreeNames(x) {
			used[n] = true
		}
	}
	for name := range used {
		if sh, ok := s.Decls[name]; ok {
			for _, d := range []ast.Expr{sh.Rows, sh.Cols} {
				for _, n := range ast.FreeNames(d) {
					used[n] = true
				}
			}
		}
	}
	drop := false
	for name := range p.Counter.Bindings {
		if declared[name] && !used[name] {
			drop = true
			break
		}
	}
	if !drop || !trimCounters {
		return
	}
	c := *p.Counter
	c.Bindings = ast.Bindings{}
	for name, v := range p.Counter.Bindings {
		if !declared[name] || used[name] {
			c.Bindings[name] = v
		}
	}
	p.Counter = &c
}

// trimCounters turns trimCounter on (the tests compare with it off).
var trimCounters = true
