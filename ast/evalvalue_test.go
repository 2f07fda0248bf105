package ast_test

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
)

// TestEvalValueMutated: a list as String writes it, with one byte
// deleted, doubled or replaced by a byte of the value grammar (or not),
// reads as a value or fails with a *ValueError whose Offset is within the
// text, never a panic; what reads back reads back the same. The oracle
// for the place: a text that fails has the same prefix up to Offset as
// some valid value would (checked weakly: the prefix before Offset, read
// alone, fails only for being cut short or not at all).
func TestEvalValueMutated(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	alphabet := "[],0123456789.-+eE x/"
	for trial := 0; trial < 3000; trial++ {
		shape := []int{1 + rng.IntN(3)}
		if rng.IntN(2) == 0 {
			shape = append(shape, 1+rng.IntN(3))
		}
		n := 1
		for _, k := range shape {
			n *= k
		}
		v := ast.Value{Shape: shape}
		for i := 0; i < n; i++ {
			v.Data = append(v.Data, float64(rng.IntN(2000)-1000)/8)
		}
		src := v.String()
		i := rng.IntN(len(src))
		var mut string
		switch rng.IntN(3) {
		case 0:
			mut = src[:i] + src[i+1:]
		case 1:
			mut = src[:i] + src[i:i+1] + src[i:]
		default:
			mut = src[:i] + string(alphabet[rng.IntN(len(alphabet))]) + src[i+1:]
		}
		got, err := ast.ParseValue(mut)
		if err == nil {
			if back, err := ast.ParseValue(got.String()); err != nil || back.String() != got.String() {
				t.Errorf("%q reads as %s, which reads back as %v (%v)", mut, got, back, err)
			}
			continue
		}
		var ve *ast.ValueError
		if !errors.As(err, &ve) || ve.Offset < 0 || ve.Offset > len(mut) {
			t.Errorf("ParseValue(%q): %v (%T), want a ValueError within the text", mut, err, err)
			continue
		}
		// The text up to the place is no mistake in itself: read alone,
		// it is a value or is cut short (its error is at its end).
		if strings.HasPrefix(strings.TrimSpace(mut), "[") {
			pre := mut[:ve.Offset]
			if _, perr := ast.ParseValue(pre); perr != nil {
				var pe *ast.ValueError
				if errors.As(perr, &pe) && pe.Offset < len(strings.TrimRight(pre, " ")) && !strings.Contains(perr.Error(), "not regular") && !strings.Contains(perr.Error(), "empty lists") && !strings.Contains(perr.Error(), "is not a number") {
					t.Errorf("ParseValue(%q) fails at %d (%v), but its prefix %q already fails at %d (%v)", mut, ve.Offset, err, pre, pe.Offset, perr)
				}
			}
		}
	}
}
