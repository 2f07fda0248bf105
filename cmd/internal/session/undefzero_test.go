package session

import (
	"fmt"
	"math/rand/v2"
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

// TestUndefinedTinyUndecided: a value below what the zero check tells from
// 0 (about e^-22000 relative: 1 - σ(k) = σ(-k) ≈ e^-k) was taken for 0,
// and simplify called 1/(1 - sigma(30000)) undefined, which it is not.
// Where that alone decides "undefined", the answer is now that symdiff
// cannot decide (an UndecidedError, exit status 3), saying why; a zero
// that exact arithmetic confirms (1 - exp(a - a), sqrt(4) - 2) still
// decides. The oracle is the mathematics of each form: σ(-k) > 0 for
// every k, exp(0) = cos(0) = 1.
func TestUndefinedTinyUndecided(t *testing.T) {
	rng := rand.New(rand.NewPCG(22, 0))
	for range 12 {
		k := 23000 + rng.IntN(40000)
		for _, src := range []string{
			fmt.Sprintf("1/(1 - sigma(%d))", k),
			fmt.Sprintf("log(1 - sigma(%d))", k),
			fmt.Sprintf("y/(1 - sigma(%d))", k),
			fmt.Sprintf("log(1 - Phi(%d)) + x", k/100),
		} {
			_, err := execOne(t, src)
			if err == nil {
				continue // a value: right
			}
			if ErrStatus(err) != Unknown || !strings.Contains(err.Error(), "cannot decide") || !strings.Contains(err.Error(), "exact arithmetic cannot tell") {
				t.Errorf("%s: %v (status %d); want a value or: cannot decide (status 3)", src, err, ErrStatus(err))
			}
		}
	}
	for range 12 {
		a := rng.IntN(50) + 1
		for _, src := range []string{
			fmt.Sprintf("1/(1 - exp(%d - %d))", a, a),
			fmt.Sprintf("y/(cos(%d*x - %d*x) - 1)", a, a),
			fmt.Sprintf("log(1 - cosh(x - x)) + %d", a),
			fmt.Sprintf("%d/(sqrt(%d) - %d)", a, a*a, a),
		} {
			_, err := execOne(t, src)
			if err == nil || ErrStatus(err) != BadInput || !strings.Contains(err.Error(), "undefined") {
				t.Errorf("%s: %v; want undefined (status 2): the zero is exact", src, err)
			}
		}
	}
}
