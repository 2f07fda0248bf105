package ast

import (
	"fmt"
	"math/big"
	"strconv"
)

// The range of a sum. Its bounds are whole numbers of any size: sum(i =
// 1..2^70, 1) was "not an integer" (float64 holds whole numbers exactly
// only up to 2^53, and an int64 only up to 2^63). A range of at most
// maxEvalSteps + 1 numbers is added term by term, its index made exactly
// from base + i where a bound is beyond ±2^53 (float64(i) would round
// it); a longer one is refused with a LongSumError, which says how many
// terms it has.

// A sumRange is the range lo..hi of a sum's index, or base+lo..base+hi.
type sumRange struct {
	lo, hi int64
	base   *big.Int // nil: lo and hi are the bounds themselves
}

// bound writes base + i.
func (r sumRange) bound(i int64) string {
	if r.base == nil {
		return strconv.FormatInt(i, 10)
	}
	return new(big.Int).Add(r.base, big.NewInt(i)).String()
}

// exactIndex is the largest index a float64 holds exactly, with every
// whole number below it.
const exactIndex = 1 << 53

// A LongSumError reports a sum over more terms than an evaluation adds
// one by one. It is an ErrTooManySteps.
type LongSumError struct {
	Sum   *Sum
	Terms *big.Int // the number of terms
}

func (e *LongSumError) Error() string {
	return fmt.Sprintf("%s has %s terms: too many to add one by one (at most %d)", String(e.Sum), e.Terms, maxEvalSteps+1)
}

// Is makes a LongSumError an ErrTooManySteps.
func (e *LongSumError) Is(target error) bool { return target == ErrTooManySteps }

// bounds evaluates the range of a sum.
func (ev *evaluator[T]) bounds(e *Sum, sc *scope[T]) (sumRange, error) {
	var ends [2]*big.Int
	var small [2]int64
	wide := false
	for k, x := range []Expr{e.Lo, e.Hi} {
		v, err := ev.eval(x, sc)
		if err != nil {
			return sumRange{}, err
		}
		if i, ok := ev.ar.toInt(v); ok && i >= -exactIndex && i <= exactIndex {
			small[k] = i
			continue
		}
		n, ok := ev.ar.whole(v)
		if !ok {
			return sumRange{}, &DomainError{Msg: fmt.Sprintf("the bound %s of %s is not an integer", String(x), e.Op)}
		}
		ends[k], wide = n, true
	}
	if !wide {
		if small[1]-small[0] > maxEvalSteps {
			return sumRange{}, &LongSumError{Sum: e, Terms: big.NewInt(small[1] - small[0] + 1)}
		}
		return sumRange{lo: small[0], hi: small[1]}, nil
	}
	for k := range ends {
		if ends[k] == nil {
			ends[k] = big.NewInt(small[k])
		}
	}
	n := new(big.Int).Sub(ends[1], ends[0])
	n.Add(n, big.NewInt(1))
	switch {
	case n.Sign() <= 0:
		return sumRange{lo: 0, hi: -1, base: ends[0]}, nil
	case n.Cmp(big.NewInt(maxEvalSteps+1)) > 0:
		return sumRange{}, &LongSumError{Sum: e, Terms: n}
	}
	return sumRange{lo: 0, hi: n.Int64() - 1, base: ends[0]}, nil
}

// index is the value of a sum's index at i. An index beyond ±2^53 in a
// float64 evaluation is rounded, and i - 2^70 is then 0 for every i near
// 2^70: EvalContext is told to evaluate again exactly, as it is after a
// near tie (tie).
func (ev *evaluator[T]) index(r sumRange, i int64) T {
	if r.base == nil {
		return ev.ar.float(float64(i))
	}
	if ev.near != nil {
		ev.tie = true
	}
	return ev.ar.rat(new(big.Rat).SetInt(new(big.Int).Add(r.base, big.NewInt(i))))
}
