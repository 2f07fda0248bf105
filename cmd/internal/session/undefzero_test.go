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
