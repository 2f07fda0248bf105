package algebra_test

import (
	"context"
	"testing"
	"time"

	"github.com/symdiff/symdiff/parser/parsetest"
	"github.com/symdiff/symdiff/simplify/algebra"
)

// Kronecker's recombination stops with its context and its budget. The
// image of x^63 - z^2 (x -> t, z -> t^64) is t^63*(1 - t^65): 63 equal
// factors t and four others, whose sub-multisets are few but whose index
// combinations up to half (C(67, 33) ~ 1e19) the loop went through without
// spending work or asking the context (equal ones are skipped by a key):
// factor of x^63 - y^2 - z^2 (the divisors of the trailing coefficient
// x^63 - z^2) ran more than a minute past a 20 s --timeout. The work is
// the oracle: each call ends within parsetest.StopSlack of CPU time past
// its limit (the clock stretches tenfold on a loaded machine).
func TestKroneckerStopsWithContext(t *testing.T) {
	for _, src := range []string{"x^63 - z^2", "x^63 - y^2 - z^2", "x/x*x^63 - (z*z + y*y)", "x^60*y - z^2"} {
		e := parsetest.MustParse(t, src, nil)
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		var res algebra.FactorResult
		var err error
		took := parsetest.MeasureStop(func() { res, err = algebra.FactorContext(ctx, e) })
		cancel()
		t.Logf("factor(%s): %v", src, took)
		if late := took.Late(300 * time.Millisecond); late != "" {
			t.Errorf("factor(%s) with a limit of 300ms stopped late: %s", src, late)
		}
		if err == nil && res.Expr == nil {
			t.Errorf("factor(%s): no result and no error", src)
		}
	}
}
