package session

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/symdiff/symdiff/ast"
)

// slowCtx is a context whose Err takes delay: an evaluation under it runs
// as on a machine under heavy load, the evaluators asking Err at fixed
// points of their work.
type slowCtx struct {
	context.Context
	delay time.Duration
}

func (s slowCtx) Err() error {
	time.Sleep(s.delay)
	return s.Context.Err()
}

// evalOutcome is one eval's answer as printed: the float64's bits, or the
// error's text.
type evalOutcome struct {
	Bits uint64
	Err  string
}

func evalOutcomeOf(t *testing.T, ctx context.Context, src string, x float64) evalOutcome {
	t.Helper()
	v, err := New().Eval(ctx, mustParseSession(t, src), ast.Bindings{"x": ast.Scalar(x)})
	if err != nil {
		return evalOutcome{Err: err.Error()}
	}
	return evalOutcome{Bits: math.Float64bits(v)}
}

// budgetExprs draws expressions whose eval settles at high precision:
// terms that cancel ((1 + x^2) - x^2 at 1e10), products that leave
// float64's range, and sums long enough that the evaluators count their
// work, with cancellation on top.
func budgetExprs(rng *rand.Rand, n int) []struct {
	src string
	x   float64
} {
	var out []struct {
		src string
		x   float64
	}
	forms := []func() (string, float64){
		func() (string, float64) {
			return fmt.Sprintf("(%d + x^2) - x^2", 1+rng.IntN(9)), math.Pow(10, float64(5+rng.IntN(20)))
		},
		func() (string, float64) {
			a, b := 2+rng.IntN(300), 1+rng.IntN(300)
			return fmt.Sprintf("exp(%d*x)*exp(-%d*x)", a, b), 10*rng.Float64() - 5
		},
		func() (string, float64) {
			return fmt.Sprintf("sum(i=1..%d, 1/(i^2 + x)) + x^2 - x^2", 1000+rng.IntN(6000)), math.Pow(10, float64(8+rng.IntN(10)))
		},
		func() (string, float64) {
			return fmt.Sprintf("sum(i=1..%d, (x + i)^2 - x^2 - 2*i*x)", 500+rng.IntN(6000)), math.Pow(10, float64(4+rng.IntN(8)))
		},
		func() (string, float64) {
			return fmt.Sprintf("(exp(x) + %d) - exp(x)", 1+rng.IntN(5)), 30 + 100*rng.Float64()
		},
	}
	for range n {
		src, x := forms[rng.IntN(len(forms))]()
		out = append(out, struct {
			src string
			x   float64
		}{src, x})
	}
	return out
}

// TestEvalSettleBudgetDeterministic: eval's high-precision settling had a
// wall-clock budget, so that under load float64's value stood where the
// settled value was printed idle (exp(190*x)*exp(-85*x) at x = 1 gave
// ...547216e+45 one way and ...547215e+45 the other). The budget is now
// work counted by the evaluators: the same expressions under a context
// whose every Err takes milliseconds (a machine thousands of times
// slower), and while goroutines burn every core, give bit-identical
// answers to an idle run.
func TestEvalSettleBudgetDeterministic(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 2026))
	n := 150
	if testing.Short() || raceEnabled {
		n = 40
	}
	cases := budgetExprs(rng, n)
	bg := context.Background()
	idle := make([]evalOutcome, len(cases))
	for i, c := range cases {
		idle[i] = evalOutcomeOf(t, bg, c.src, c.x)
	}

	// Artificial load: every Err call takes 30 ms (the evaluators ask it
	// every 4096 steps; the few calls of a small expression's settling
	// then outlast the old 100 ms floor). The expressions without a sum,
	// the first 40 of them, to keep the test short.
	slow := slowCtx{Context: bg, delay: 30 * time.Millisecond}
	done := 0
	for i, c := range cases {
		if strings.HasPrefix(c.src, "sum") {
			continue
		}
		if done++; done > 40 {
			break
		}
		if got := evalOutcomeOf(t, slow, c.src, c.x); !cmp.Equal(got, idle[i]) {
			t.Errorf("%s at x = %v: slow context gives a different answer (-idle +slow):\n%s", c.src, c.x, cmp.Diff(idle[i], got))
		}
	}

	// Real load: one core, shared with 24 goroutines burning it.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 24 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			x := 1.0
			for {
				select {
				case <-stop:
					return
				default:
				}
				for range 10000 {
					x = math.Sqrt(x + 1)
				}
			}
		}()
	}
	defer func() { close(stop); wg.Wait() }()
	for i, c := range cases {
		if got := evalOutcomeOf(t, bg, c.src, c.x); !cmp.Equal(got, idle[i]) {
			t.Errorf("%s at x = %v: under load gives a different answer (-idle +loaded):\n%s", c.src, c.x, cmp.Diff(idle[i], got))
		}
	}
}

// TestEvalSettleBudgetLongSum: the budget still keeps a sum of a million
// terms (0.2 s in float64, 18 s to settle at high precision) from taking
// long: eval returns within seconds, with float64's value where the
// settling ran out of work.
func TestEvalSettleBudgetLongSum(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("a million-term sum against a bound on time (not under -short or the race detector)")
	}
	start := time.Now()
	v, err := New().Eval(context.Background(), mustParseSession(t, "sum(i=1..1000000, 1/i^2)"), nil)
	took := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	// The oracle: the same sum in float64, term by term, and the tail
	// bound 1/n: within 1e-6 of pi^2/6.
	if math.Abs(v-math.Pi*math.Pi/6) > 1.1e-6 {
		t.Errorf("sum = %v, want within 1e-6 of pi^2/6", v)
	}
	if took > 20*time.Second {
		t.Errorf("eval of a million-term sum took %v", took)
	}
	t.Logf("eval of a million-term sum took %v", took)
}
