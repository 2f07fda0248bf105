package parser

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestSubscriptNameInSum: x_i inside a sum over i is refused with a caret
// at the name and what to write, in every spelling of a sum (it was read
// as a name, so sum(i=1..n, x_i) was n*x_i); a defined or declared x_i
// is a name and fine, and so is x_j in a sum over i. The cases are
// random: sums and means, ASCII and Σ, nested, with the name anywhere in
// the body; the oracle is where the name is written and whether its
// suffix is an index of an enclosing sum.
func TestSubscriptNameInSum(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 7))
	for range 300 {
		outer, inner := []string{"i", "j", "k"}[rng.IntN(3)], []string{"l", "m", "t"}[rng.IntN(3)]
		suffix := []string{outer, inner, "q", "1"}[rng.IntN(4)]
		name := []string{"x", "y2", "w_a"}[rng.IntN(3)] + "_" + suffix
		body := []string{name, "2*" + name + " + u[" + outer + "]", "u[" + outer + "]*" + name, "exp(" + name + ")"}[rng.IntN(4)]
		nested := rng.IntN(2) == 0
		if nested {
			body = fmt.Sprintf("sum(%s=1..m, v[%s]*(%s))", inner, inner, body)
		}
		var src string
		switch rng.IntN(3) {
		case 0:
			src = fmt.Sprintf("sum(%s=1..n, %s)", outer, body)
		case 1:
			src = fmt.Sprintf("mean(%s=1..n, %s)", outer, body)
		default:
			src = fmt.Sprintf("Σ_{%s=1}^{n} (%s)", outer, body)
		}
		bound := suffix == outer || suffix == inner && nested
		for _, pre := range []string{"", name + " := 3\n", name + " : scalar\n"} {
			_, err := ParseFile("in.sd", pre+src, nil)
			if !bound || pre != "" {
				if err != nil {
					t.Errorf("%q: %v", pre+src, err)
				}
				continue
			}
			at := strings.Index(src, name)
			base := name[:strings.LastIndexByte(name, '_')]
			want := fmt.Sprintf("in.sd:1:%d: %s is one name, the same in every term of the sum over %s: write %s[%s] for the entry of %s at %s (or declare %s : scalar to mean the name)\n    %s\n    %s^",
				1+len([]rune(src[:at])), name, suffix, base, suffix, base, suffix, name, src, strings.Repeat(" ", len([]rune(src[:at]))))
			if err == nil || err.Error() != want {
				t.Errorf("%q: %v\nwant %s", src, err, want)
			}
		}
	}
}
