package parser

import (
	"slices"
	"strings"
)

// subscriptName refuses a name x_i inside a sum over i: sum(i=1..n, x_i)
// and Σ_{i=1}^{n} x_i read x_i as one name, the same in every term, so
// the sum was n·x_i where the entries x[i] were almost surely meant (as
// LaTeX's x_i shows them). As with the other forms that could be read two
// ways, it is an error with what to write; a name that is defined or
// declared is a name, and fine.
func (lw *lowerer) subscriptName(name string, at spot) error {
	k := strings.LastIndexByte(name, '_')
	if k <= 0 || k == len(name)-1 || !slices.Contains(lw.sumVars, name[k+1:]) {
		return nil
	}
	if _, ok := lw.lookupDef(name); ok {
		return nil
	}
	if _, ok := lw.declared(name); ok {
		return nil
	}
	if lw.pattern {
		return nil // a rule's pattern variable
	}
	base, idx := name[:k], name[k+1:]
	return lw.errorf(at, "%s is one name, the same in every term of the sum over %s: write %s[%s] for the entry of %s at %s (or declare %s : scalar to mean the name)", name, idx, base, idx, base, idx, name)
}
