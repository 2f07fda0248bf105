package prove

import (
	"math/big"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestLazySmallPrimes: goroutines racing to the first use of the trial
// divisors (go test -race) all get the list the builder makes, and it is
// every prime below 1000 (checked by math/big, not by the builder's sieve).
func TestLazySmallPrimes(t *testing.T) {
	got := make([][]int64, 32)
	var wg sync.WaitGroup
	for i := range got {
		wg.Go(func() { got[i] = smallPrimes() })
	}
	wg.Wait()
	for i := range got {
		if d := cmp.Diff(makeSmallPrimes(), got[i]); d != "" {
			t.Fatalf("goroutine %d: the list differs from the one built directly:\n%s", i, d)
		}
	}
	var want []int64
	for n := int64(2); n < 1000; n++ {
		if big.NewInt(n).ProbablyPrime(20) {
			want = append(want, n)
		}
	}
	if d := cmp.Diff(want, got[0]); d != "" {
		t.Errorf("smallPrimes are not the primes below 1000:\n%s", d)
	}
}
