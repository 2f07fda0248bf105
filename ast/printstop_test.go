package ast_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
)

// pollCtx is a context done from its n-th look on: it counts how often a
// printer looks, so that the test does not depend on time.
type pollCtx struct {
	context.Context
	looks, n int
}

func (c *pollCtx) Err() error {
	c.looks++
	if c.looks >= c.n {
		return context.Canceled
	}
	return nil
}

// TestFormatSharedStops: printing a result looks at its context every
// few thousand bytes written and, once it is done, stops with its error,
// in every style, named parts or not: sin nested 100,000 deep took a
// tenth of a second and more to print, past Ctrl-C. A context never done
// prints the whole text.
func TestFormatSharedStops(t *testing.T) {
	x := ast.NewSym("x")
	deep := ast.Expr(x)
	for range 100_000 {
		deep = ast.NewCall("sin", deep)
	}
	terms := make([]ast.Expr, 50_000)
	for i := range terms {
		terms[i] = ast.NewPow(ast.NewIndex("w", ast.NewInt(int64(i+1))), ast.NewInt(2))
	}
	wide := ast.NewAdd(terms...)
	for _, c := range []struct {
		name string
		e    ast.Expr
	}{{"deep", deep}, {"wide", wide}} {
		for _, st := range []ast.Style{ast.Plain, ast.Unicode, ast.LaTeX} {
			whole, err := ast.FormatSharedIn(context.Background(), c.e, st, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			full := len(whole.String(st))
			for _, n := range []int{1, 2, 10} {
				ctx := &pollCtx{Context: context.Background(), n: n}
				got, err := ast.FormatSharedIn(ctx, c.e, st, nil, nil)
				if !errors.Is(err, context.Canceled) {
					t.Fatalf("%s, style %d, done at look %d: error %v, want context.Canceled", c.name, st, n, err)
				}
				text := got.Body + strings.Join(got.Defs, "")
				// A look every 1,024 writes of at most a name or a
				// number each: well under 64 KiB a look.
				if limit := n * 64 << 10; len(text) > limit {
					t.Errorf("%s, style %d, done at look %d: %d bytes printed of %d, want at most %d", c.name, st, n, len(text), full, limit)
				}
				if ctx.looks != n {
					t.Errorf("%s, style %d: looked %d times after the context was done at look %d", c.name, st, ctx.looks, n)
				}
			}
		}
	}
}
