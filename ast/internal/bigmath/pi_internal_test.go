package bigmath

import (
	"math/big"
	"sync"
	"testing"
)

// The AGM that computes π above machinMax bits against Machin's series,
// an independent method, at precisions on both sides of the switch and
// off the 256-bit grid the cache rounds to.
func TestPiAGMAgainstMachin(t *testing.T) {
	for _, p := range []uint{300, 1000, 8193, 9000, 20011, 40000, 70001} {
		got, want := piAGM(p), piMachin(p)
		if d := new(big.Float).Sub(got, want); d.Sign() != 0 && ilogb(d) > 2-int(p) { // more than an ulp apart
			t.Errorf("π at %d bits: AGM and Machin differ by 2^%d", p, ilogb(d))
		}
	}
}

// A cache that has computed π at many bits still hands out π at few bits
// correctly rounded, and keeps its small value for them.
func TestConstCacheLevels(t *testing.T) {
	c := constCache{compute: piMachin}
	small := c.get(200)
	if mid := c.get(1000); mid.Cmp(roundTo(piMachin(1100), 1000)) != 0 {
		t.Errorf("π at 1000 bits after a 200-bit get is not π rounded")
	}
	big1 := c.get(5000)
	again := c.get(200)
	if small.Cmp(again) != 0 || small.Prec() != 200 || again.Prec() != 200 {
		t.Errorf("π at 200 bits changed after a 5000-bit get: %s, then %s", small.Text('g', 70), again.Text('g', 70))
	}
	if want := roundTo(piMachin(6000), 5000); big1.Cmp(want) != 0 {
		t.Errorf("π at 5000 bits is not the rounded value")
	}
	if len(c.vals) != 3 || c.vals[0].Prec() >= 1000 {
		t.Errorf("cache levels: %d values, want the ones for 200, 1000 and 5000 bits", len(c.vals))
	}
	c.get(3000) // served by the 5000-bit value
	if len(c.vals) != 3 {
		t.Errorf("a get below the largest value computed again: %d values", len(c.vals))
	}
	c.get(9000) // over twice 3000-ish: the 5120-bit value is dropped
	for i := 1; i < len(c.vals); i++ {
		if 2*c.vals[i-1].Prec() > c.vals[i].Prec() {
			t.Errorf("cache levels %d and %d bits: not doubling", c.vals[i-1].Prec(), c.vals[i].Prec())
		}
	}
}

// Gets at small and large precisions from several goroutines (run with
// -race): every value is π correctly rounded, whatever the cache's levels
// were when it was asked.
func TestConstCacheConcurrentLevels(t *testing.T) {
	c := constCache{compute: piMachin}
	ref := piMachin(20000)
	precs := []uint{100, 3000, 300, 9000, 200, 17000}
	var wg sync.WaitGroup
	for g := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 12 {
				p := precs[(g+i)%len(precs)]
				if got := c.get(p); got.Cmp(roundTo(ref, p)) != 0 || got.Prec() != p {
					t.Errorf("π at %d bits is not π rounded", p)
				}
			}
		}()
	}
	wg.Wait()
}
