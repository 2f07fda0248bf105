package session

import (
	"strings"
	"testing"
)

// TestUndefinedZeroAfterFunctions: a divisor or a log's argument that is
// 0 for every value only once a function of a number is worked out
// (exp(x - x) is exp(0) is 1) is undefined, as 0/(x - x) is; the check's
// canonical form has no rules, so exp(0) stayed and 0/(1 - exp(x - x))
// printed 0. Parts that are not 0 everywhere keep their value.
func TestUndefinedZeroAfterFunctions(t *testing.T) {
	for src, undefined := range map[string]bool{
		"0/(1 - exp(x - x))":        true,
		"log(1 - cos(x - x))":       true,
		"y/(cosh(x - x) - 1)":       true,
		"(1 - exp(2*x - x - x))^-1": true,
		"0/(2 - exp(x - x))":        false,
		"log(2 - cos(x - x))":       false,
		"1/(1 - exp(x - x) + y)":    false,
		"1/(1 - exp(x))":            false,
	} {
		_, err := execOne(t, src)
		got := err != nil && strings.Contains(err.Error(), "is undefined")
		if got != undefined {
			t.Errorf("%s: error %v; want undefined %v", src, err, undefined)
		}
	}
}

// TestUndefinedNotForTinyValues: a divisor or a log's argument without
// names that is not 0 but rounds to 0 at 256 bits is not a division by
// zero: 1 - σ(400) = σ(-400) ≈ 1.9e-174 (mpmath: 1/(1 - σ(400)) ≈
// 5.2e173). simplify called 1/(1 - sigma(400)) undefined.
func TestUndefinedNotForTinyValues(t *testing.T) {
	for _, src := range []string{
		"1/(1 - sigma(400))",
		"1/(1 - sigma(3000))",
		"1/(1 - Phi(50))",
		"log(1 - Phi(50))",
		"log(1 - Phi(softplus(mean(i=1..m, 2)) + sum(i=1..4, sum(j=1..4, 3))))",
		"1/(exp(-5000))",
	} {
		if _, err := execOne(t, src); err != nil {
			t.Errorf("%s: %v; want a value (it is defined)", src, err)
		}
	}
}
