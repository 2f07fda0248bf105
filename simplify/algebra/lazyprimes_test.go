package algebra

import (
	"math/big"
	"slices"
	"sync"
	"testing"
)

// TestLazySmallPrimes: goroutines racing to the first use of the primes
// (go test -race) all get the same list, and it is the first 200 odd
// primes (checked by math/big, not by the builder's trial division).
func TestLazySmallPrimes(t *testing.T) {
	got := make([][]int64, 16)
	var wg sync.WaitGroup
	for i := range got {
		wg.Go(func() { got[i] = smallPrimes() })
	}
	wg.Wait()
	var want []int64
	for n := int64(3); len(want) < 200; n++ {
		if big.NewInt(n).ProbablyPrime(20) {
			want = append(want, n)
		}
	}
	for i := range got {
		if !slices.Equal(got[i], want) {
			t.Fatalf("goroutine %d: smallPrimes() = %v..., want the first 200 odd primes %v...", i, got[i][:min(5, len(got[i]))], want[:5])
		}
	}
}
