package ast

import (
	"context"
	"math"
	"math/rand/v2"
	"sync"
	"testing"
)

// TestProgramPoolNotShared: programs compiled, evaluated and released on
// many goroutines at once, so that each takes buffers another has just
// given back, give EvalBound's value and error bit for bit at every point
// (a buffer handed to two programs, or a memo not cleared between them,
// gives another program's values; under -race, a shared buffer is a
// race); a released program is not evaluated again but panics.
func TestProgramPoolNotShared(t *testing.T) {
	workers, exprs, points := 8, 300, 6
	if testing.Short() {
		exprs = 80
	}
	ctx := context.Background()
	var wg sync.WaitGroup
	errc := make(chan string, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(w), 77))
			for k := range exprs {
				g := &progGen{r: r}
				e := g.expr(2 + k%5)
				p := Compile(e)
				if p == nil {
					errc <- "no program for " + String(e)
					return
				}
				for range points {
					b := progPoint(r)
					want, werr := EvalBound(ctx, e, nil, b)
					got, gerr := p.Eval(ctx, b)
					if math.Float64bits(want) != math.Float64bits(got) || (werr == nil) != (gerr == nil) ||
						werr != nil && werr.Error() != gerr.Error() {
						errc <- String(e) + ": the program's value or error is not EvalBound's"
						return
					}
				}
				p.Release()
			}
		}()
	}
	wg.Wait()
	close(errc)
	for msg := range errc {
		t.Fatal(msg)
	}

	p := Compile(NewAdd(NewSym("x"), NewInt(1)))
	p.Release()
	p.Release() // a second Release does nothing
	defer func() {
		if recover() == nil {
			t.Fatal("Eval of a released program did not panic")
		}
	}()
	_, _ = p.Eval(ctx, Bindings{"x": Scalar(1)})
}

// TestProgramPoolReuses: a released program's buffers serve the next
// Compile, which then allocates little (the point of the pool), and
// a program of another size compiled into them evaluates as EvalBound.
func TestProgramPoolReuses(t *testing.T) {
	x, y := NewSym("x"), NewSym("y")
	small := NewAdd(x, NewMul(x, y))
	big := NewSum(OpSum, "i", NewInt(1), NewInt(4), NewMul(NewIndex("a", NewSym("i")), NewPow(NewAdd(x, NewSym("i")), NewInt(2))))
	b := Bindings{"x": Scalar(0.5), "y": Scalar(3), "a": {Shape: []int{4}, Data: []float64{1, 2, 3, 4}}}
	for range 3 {
		for _, e := range []Expr{big, small, big} {
			p := Compile(e)
			got, gerr := p.Eval(context.Background(), b)
			want, werr := EvalBound(context.Background(), e, nil, b)
			if got != want || (gerr == nil) != (werr == nil) {
				t.Fatalf("%s: %v (%v), want %v (%v)", String(e), got, gerr, want, werr)
			}
			p.Release()
		}
	}
	if raceEnabled {
		return // the race detector makes sync.Pool drop items at random
	}
	if a := testing.AllocsPerRun(50, func() { Compile(big).Release() }); a > 3 {
		t.Fatalf("Compile of a released program's size allocates %v times, want at most 3", a)
	}
}
