package session

import (
	"math"
	"strings"
	"testing"
)

// TestUndefinedClearlyNegative: a log's or a square root's argument
// without names that is a clearly negative number (log(1/2) = -0.69) has
// no value, and nothing about it is in doubt: the doubt about a zero too
// small to tell from 0 concerns arguments that evaluate to 0, not ones of
// size 0.03 or more. simplify 'log(log(1/2))' said "cannot decide whether
// log(log(1/2)) has a value" (exit status 3). The oracle is float64: each
// argument is computed with package math and must be below -0.01.
func TestUndefinedClearlyNegative(t *testing.T) {
	softplus := func(u float64) float64 { return math.Log1p(math.Exp(u)) }
	sigma := func(u float64) float64 { return 1 / (1 + math.Exp(-u)) }
	for src, arg := range map[string]float64{
		"log(log(1/2))":            math.Log(0.5),
		"log(sin(4))":              math.Sin(4),
		"log(log(2) - 1)":          math.Log(2) - 1,
		"sqrt(log(softplus(1/2)))": math.Log(softplus(0.5)),
		"log(log(sigma(1)))":       math.Log(sigma(1)),
		"x*log(log(1/2))":          math.Log(0.5),
	} {
		if arg > -0.01 {
			t.Fatalf("%s: the oracle's argument %g is not clearly negative", src, arg)
		}
		_, err := execOne(t, src)
		if err == nil {
			t.Errorf("%s: a value; want undefined (its argument is %g)", src, arg)
			continue
		}
		if ErrStatus(err) != BadInput || !strings.Contains(err.Error(), "undefined") || strings.Contains(err.Error(), "cannot decide") {
			t.Errorf("%s: %v (status %d); want: undefined (status %d), its argument being %g", src, err, ErrStatus(err), BadInput, arg)
		}
	}
}
