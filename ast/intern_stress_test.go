package ast

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"
	"weak"
)

func stressBuild(r *rand.Rand, d int) Expr {
	if d == 0 || r.IntN(4) == 0 {
		switch r.IntN(5) {
		case 0:
			return NewSym(fmt.Sprintf("s%d", r.IntN(40)))
		case 1:
			return NewInt(int64(r.IntN(300) - 150))
		case 2:
			return NewNum(Frac(int64(r.IntN(50)+1), int64(r.IntN(7)+2)))
		case 3:
			var x big.Rat
			x.SetString(fmt.Sprintf("%d/%d", r.IntN(1000)+1, 99999999999999999))
			return NewNum(FromRat(&x))
		default:
			return NewIndex("w", NewSym(fmt.Sprintf("i%d", r.IntN(5))))
		}
	}
	switch r.IntN(8) {
	case 0:
		return NewNeg(stressBuild(r, d-1))
	case 1:
		return NewAdd(stressBuild(r, d-1), stressBuild(r, d-1), stressBuild(r, d-1))
	case 2:
		return NewMul(stressBuild(r, d-1), stressBuild(r, d-1))
	case 3:
		return NewDiv(stressBuild(r, d-1), stressBuild(r, d-1))
	case 4:
		return NewPow(stressBuild(r, d-1), stressBuild(r, d-1))
	case 5:
		return NewCall("sin", stressBuild(r, d-1))
	case 6:
		return NewSum(OpSum, "k", One, NewSym("n"), stressBuild(r, d-1))
	default:
		return NewDeriv(stressBuild(r, d-1), NewSym("x"))
	}
}

func stressCollect(e Expr, byID map[uint64]string, byS map[string]Expr) error {
	s := Sexpr(e)
	if o, ok := byID[e.ID()]; ok && o != s {
		return fmt.Errorf("ID %d reused: %s vs %s", e.ID(), o, s)
	}
	byID[e.ID()] = s
	if o, ok := byS[s]; ok && o != e {
		return fmt.Errorf("two nodes for %s: ids %d %d", s, o.ID(), e.ID())
	}
	byS[s] = e
	for _, k := range Children(e) {
		if err := stressCollect(k, byID, byS); err != nil {
			return err
		}
	}
	return nil
}

// TestInternConcurrentIdentity: goroutines build the same random trees at
// once, with collections in between, keeping some nodes strongly and some
// only weakly. A node alive by any path is what a rebuild of its content
// returns, and no ID names two different contents (memo caches are keyed by
// ID). The oracle is Sexpr, the node's content spelled out.
func TestInternConcurrentIdentity(t *testing.T) {
	G, rounds := 8, 60
	if raceEnabled {
		rounds = 15
	}
	var mu sync.Mutex
	byID := map[uint64]string{}
	byS := map[string]Expr{}
	type wk struct {
		w  weak.Pointer[Add]
		id uint64
		s  string
	}
	var errs []error
	var wg sync.WaitGroup
	for g := range G {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(g%3), 7)) // goroutines share seeds: same structures concurrently
			var kept []Expr
			var weaks []wk
			for rd := range rounds {
				for i := 0; i < 200; i++ {
					e := stressBuild(r, 5)
					if i%10 == 0 {
						kept = append(kept, e)
					}
					if a, ok := e.(*Add); ok {
						weaks = append(weaks, wk{weak.Make(a), a.ID(), Sexpr(a)})
					}
				}
				if rd%5 == g%5 {
					runtime.GC()
				}
				// a weakly held node still alive must be what a rebuild returns
				for _, w := range weaks {
					if a := w.w.Value(); a != nil {
						if a.ID() != w.id || Sexpr(a) != w.s {
							mu.Lock()
							errs = append(errs, fmt.Errorf("weak node changed: id %d->%d", w.id, a.ID()))
							mu.Unlock()
						}
						b := NewAdd(a.Terms...)
						if b != Expr(a) {
							mu.Lock()
							errs = append(errs, fmt.Errorf("rebuild of live %s gave another node", w.s))
							mu.Unlock()
						}
					}
				}
				if len(weaks) > 2000 {
					weaks = weaks[1000:]
				}
			}
			mu.Lock()
			for _, e := range kept {
				if err := stressCollect(e, byID, byS); err != nil {
					errs = append(errs, err)
					break
				}
			}
			mu.Unlock()
			runtime.KeepAlive(kept)
		}()
	}
	wg.Wait()
	for i, e := range errs {
		if i > 10 {
			break
		}
		t.Error(e)
	}
	// Every kept node, rebuilt from its children, is the same node.
	for s, e := range byS {
		switch n := e.(type) {
		case *Add:
			if NewAdd(n.Terms...) != e {
				t.Fatalf("rebuild differs: %s", s)
			}
		case *Mul:
			if NewMul(n.Factors...) != e {
				t.Fatalf("rebuild differs: %s", s)
			}
		case *Pow:
			if NewPow(n.X, n.Y) != e {
				t.Fatalf("rebuild differs: %s", s)
			}
		case *Num:
			if NewNum(n.Value) != e {
				t.Fatalf("rebuild differs: %s", s)
			}
		case *Sym:
			if NewSym(n.Name) != e {
				t.Fatalf("rebuild differs: %s", s)
			}
		}
	}
	t.Logf("%d distinct kept nodes", len(byS))
}
