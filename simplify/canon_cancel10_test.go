package simplify

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser/parsetest"
	"github.com/symdiff/symdiff/rules/load"
)

// TestCanonHugeSumStops: a sum of 400,000 squares stopped at any look of
// its context returns within 100 ms of that look. Collecting its terms
// looked every 8,192 terms, but a stop then skipped only the term at
// hand and collected all the rest (a Ctrl-C of symdiff on a sum of
// 100,000 terms used 170 ms of CPU after the signal).
func TestCanonHugeSumStops(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 400,000 terms")
	}
	terms := make([]ast.Expr, 400_000)
	for i := range terms {
		terms[i] = ast.NewPow(ast.NewSym(fmt.Sprintf("x%d", i+1)), ast.NewInt(2))
	}
	e := ast.NewAdd(terms...)
	for _, look := range []int64{1, 2, 5, 20, 40} {
		ctx := &cpuLookCtx{Context: context.Background(), limit: look}
		res, err := Simplify(ctx, e, Options{Rules: load.Builtin()})
		end, ok := parsetest.CPUTime()
		if !ctx.seen {
			t.Errorf("cancelled at look %d: the context was looked at %d times", look, ctx.looks)
		} else if took := end - ctx.at; ok && took > 100*time.Millisecond {
			t.Errorf("cancelled at look %d: returned %v of CPU after the look that saw it", look, took)
		}
		if err == nil && res.Stop != StopCanceled {
			t.Errorf("cancelled at look %d: stop %v, want %v", look, res.Stop, StopCanceled)
		}
	}
}

// A cpuLookCtx is cancelled from its limit-th look at Err on, and
// records the process's CPU time then: the time a stop takes after it is
// seen, measured in CPU time because at a load of 20 on 2 cores a
// process gets a tenth of a core (parsetest.StopSlack). For one
// goroutine only.
type cpuLookCtx struct {
	context.Context
	looks, limit int64
	seen         bool
	at           time.Duration
}

func (c *cpuLookCtx) Err() error {
	if c.looks++; c.looks >= c.limit {
		if !c.seen {
			c.seen = true
			c.at, _ = parsetest.CPUTime()
		}
		return context.Canceled
	}
	return nil
}
