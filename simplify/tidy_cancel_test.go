package simplify_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/simplify"
)

// doneAfter is a context whose Err turns to Canceled at its n-th call, so
// that a test sees where a loop asks without depending on the clock.
type doneAfter struct {
	context.Context
	n int
}

func (c *doneAfter) Err() error {
	if c.n--; c.n < 0 {
		return context.Canceled
	}
	return nil
}

// Tidy honours cancellation inside one display: the display of a sum of
// products of hundreds of factors (d/dx of a product of 300 sums) asks its
// context as it goes, and once it is done returns the expression as it
// was (the same value) with the context's error.
func TestTidyCancelled(t *testing.T) {
	var fs []string
	for k := 1; k <= 300; k++ {
		fs = append(fs, "(x + "+strconv.Itoa(k)+")")
	}
	e, err := parser.ParseExpr("d("+strings.Join(fs, "*")+", x)", nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := simplify.Simplify(context.Background(), e, simplify.Options{Rules: builtin})
	if err != nil {
		t.Fatal(err)
	}
	canonical := res.Canonical
	count := &doneAfter{Context: context.Background(), n: 1 << 30}
	if got, err := simplify.TidyContext(count, canonical); err != nil || got == canonical {
		t.Fatalf("uncancelled: err %v, changed %v", err, got != canonical)
	}
	asks := 1<<30 - count.n
	if asks < 20 {
		t.Fatalf("the display asked its context %d times; it must ask as it goes", asks)
	}
	for _, n := range []int{0, 1, asks / 2, asks - 2} {
		ctx := &doneAfter{Context: context.Background(), n: n}
		got, err := simplify.TidyContext(ctx, canonical)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("done at ask %d of %d: err %v, want context.Canceled", n, asks, err)
		}
		if got != canonical {
			t.Errorf("done at ask %d of %d: returned %.80s..., want the input as it was", n, asks, ast.String(got))
		}
	}
}
