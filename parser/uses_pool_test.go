package parser

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/symdiff/symdiff/ast"
)

// TestUsePoolMatchesFresh parses random long scripts one after another, so
// that each takes the table of uses the one before gave back to the pool,
// and again with a table made anew: the statements (their trees and the
// places of their nodes) and the errors must be the same. The scripts use
// a few names as scalars and with one or two indices, define some of
// them, so that a table that kept anything of the script before would
// accept a use it must refuse, or refuse one it must accept.
func TestUsePoolMatchesFresh(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 99))
	// A comment makes the input long: only a long input's table is pooled.
	pad := "\n# " + strings.Repeat("p", 70<<10) + "\n"
	n := 400
	if testing.Short() {
		n = 100
	}
	same := cmp.Options{
		cmp.AllowUnexported(Statement{}, nodeAt{}),
		cmp.Comparer(func(a, b ast.Expr) bool { return a == b }),
		cmp.Comparer(func(a, b *source) bool { return a.filename == b.filename && a.text == b.text }),
	}
	reused0 := usePoolReused.Load()
	failed := 0
	for i := range n {
		src := poolScript(r) + pad
		got, gotErr := ParseFile("in.sd", src, nil)
		noUsePool = true
		want, wantErr := ParseFile("in.sd", src, nil)
		noUsePool = false
		if (gotErr == nil) != (wantErr == nil) || gotErr != nil && gotErr.Error() != wantErr.Error() {
			t.Fatalf("script %d: errors differ:\npooled: %v\nfresh:  %v\n%s", i, gotErr, wantErr, strings.TrimSuffix(src, pad))
		}
		if gotErr != nil {
			failed++
			continue
		}
		if diff := cmp.Diff(want, got, same); diff != "" {
			t.Fatalf("script %d: statements differ (-fresh +pooled):\n%s\n%s", i, diff, strings.TrimSuffix(src, pad))
		}
	}
	// Both outcomes, and the pool, must have been exercised.
	reused := usePoolReused.Load() - reused0
	t.Logf("%d of %d scripts fail; %d tables taken from the pool", failed, n, reused)
	if failed == 0 || failed == n || reused < int64(n/4) {
		t.Fatalf("%d of %d scripts fail, %d tables reused: the test does not test", failed, n, reused)
	}
}

// poolScript returns a few lines that use x, y and z as scalars or with
// indices, and define some of them.
func poolScript(r *rand.Rand) string {
	names := []string{"x", "y", "z"}
	term := func(idx []string) string {
		name := names[r.IntN(len(names))]
		switch r.IntN(4) {
		case 0:
			return name
		case 1:
			if len(idx) > 0 {
				return name + "[" + idx[r.IntN(len(idx))] + "]"
			}
			return name + "[1]"
		case 2:
			if len(idx) > 1 {
				return name + "[i, j]"
			}
			return "log(" + name + ")"
		default:
			return fmt.Sprint(1 + r.IntN(3))
		}
	}
	expr := func(idx []string) string {
		parts := []string{term(idx)}
		for range r.IntN(3) {
			parts = append(parts, []string{" + ", "*", " - "}[r.IntN(3)], term(idx))
		}
		return strings.Join(parts, "")
	}
	var b strings.Builder
	for k := range 1 + r.IntN(4) {
		switch r.IntN(5) {
		case 0:
			fmt.Fprintf(&b, "a%d := %s\n", k, expr(nil))
		case 1:
			fmt.Fprintf(&b, "b%d[i] := %s\n", k, expr([]string{"i"}))
		case 2:
			fmt.Fprintf(&b, "c%d[i, j] := %s\n", k, expr([]string{"i", "j"}))
		case 3:
			fmt.Fprintf(&b, "%s := %s\n", names[r.IntN(len(names))], expr(nil))
		default:
			fmt.Fprintf(&b, "%s\n", expr(nil))
		}
	}
	return b.String()
}
