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

// TestNameFilterLongScripts: in a long input the filter of defined names
// (looked for by the hash the table of uses computed) spares the lookup
// of names never defined; random scripts of definitions, redefinitions,
// functions and indexed definitions, made long, lower to the same
// statements and errors with it as with every check (checkShortcuts).
func TestNameFilterLongScripts(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 55))
	pad := "\n# " + strings.Repeat("p", 70<<10) + "\n"
	n := 600
	if testing.Short() {
		n = 150
	}
	for i := range n {
		src := defsScript(r) + pad
		if i%2 == 1 {
			src = depsScript(r) + pad
			if strings.Contains(src, "q2*q2 where") || strings.Contains(src, ":= q1 where") {
				continue // see TestDepsCollected
			}
		}
		checkShortcuts(t, fmt.Sprintf("script %d", i), src)
		if t.Failed() {
			t.Fatalf("script %d:\n%s", i, strings.TrimSuffix(src, pad))
		}
	}
}

// defsScript returns definitions of scalars, indexed names and functions,
// and lines that use what they define, or built-ins' names, as a scalar,
// with an index or applied, rightly or not.
func defsScript(r *rand.Rand) string {
	var b strings.Builder
	var names []string
	for k := range 2 + r.IntN(6) {
		switch r.IntN(4) {
		case 0:
			name := fmt.Sprintf("s%d", k)
			if r.IntN(4) == 0 {
				name = []string{"sigma", "pi", "e", "log"}[r.IntN(4)]
			}
			fmt.Fprintf(&b, "%s := x + %d\n", name, k)
			names = append(names, name)
		case 1:
			fmt.Fprintf(&b, "p%d[i] := x[i] + %d\n", k, k)
			names = append(names, fmt.Sprintf("p%d", k))
		case 2:
			fmt.Fprintf(&b, "f%d(u) := u*%d\n", k, k+1)
			names = append(names, fmt.Sprintf("f%d", k))
		default:
			if len(names) == 0 {
				continue
			}
			var terms []string
			for range 1 + r.IntN(3) {
				name := names[r.IntN(len(names))]
				switch r.IntN(3) {
				case 0:
					terms = append(terms, name)
				case 1:
					terms = append(terms, name+"[1]")
				default:
					terms = append(terms, name+"(y)")
				}
			}
			fmt.Fprintf(&b, "u%d := %s\n", k, strings.Join(terms, " + "))
		}
	}
	return b.String()
}
