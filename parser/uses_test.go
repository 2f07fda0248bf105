package parser

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/symdiff/symdiff/ast"
)

// TestUseTable runs random sets, gets and deletes on a useTable and on a
// map side by side: after every step they hold the same names with the
// same uses.
func TestUseTable(t *testing.T) {
	for seed := range uint64(20) {
		rng := rand.New(rand.NewPCG(seed, 1))
		names := int(1 + rng.IntN(300))
		tab := newUseTable(rng.IntN(100))
		ref := map[string]use{}
		for step := range 3000 {
			name := fmt.Sprintf("n%d", rng.IntN(names))
			switch rng.IntN(5) {
			case 0, 1:
				u := use{at: int32(step), n: int32(rng.IntN(3)), indexed: rng.IntN(2) == 0}
				tab.set(name, u)
				ref[name] = u
			case 2:
				tab.del(name)
				delete(ref, name)
			case 3:
				// getAt, then add when it is missing (as lowerer.ident).
				u := use{at: int32(step), n: 7}
				if _, ok, p := tab.getAt(name); !ok {
					tab.add(p, name, u)
					ref[name] = u
				}
			}
			got, ok := tab.get(name)
			want, wok := ref[name]
			if ok != wok || got != want {
				t.Fatalf("seed %d step %d: get(%s) = %v, %v; want %v, %v", seed, step, name, got, ok, want, wok)
			}
			if tab.len() != len(ref) {
				t.Fatalf("seed %d step %d: len %d, want %d", seed, step, tab.len(), len(ref))
			}
		}
		all := map[string]use{}
		for i := range names {
			name := fmt.Sprintf("n%d", i)
			if u, ok := tab.get(name); ok {
				all[name] = u
			}
		}
		if diff := cmp.Diff(ref, all, cmp.AllowUnexported(use{})); diff != "" {
			t.Fatalf("seed %d: table and map differ (-map +table):\n%s", seed, diff)
		}
		if _, ok := tab.get(""); ok {
			t.Fatalf("seed %d: the empty name is found", seed)
		}
	}
}

// TestRecentKeepsEveryLinesNames: in a file of definitions that names the
// same few inputs on every line (w1, w2, w3) among new names (W7), those
// inputs stay in the lowerer's recent uses from line to line, so that
// their lookups seldom reach the table of every name: after the first
// line, a line looks up its four new names there and little else. A cache
// that let the oldest entry go dropped the inputs on every line (five or
// more lookups a line).
func TestRecentKeepsEveryLinesNames(t *testing.T) {
	const lines = 400
	src := w7Lines(lines)
	lw := newLowerer("w7.sd", src, nil)
	extra := 0
	for k, line := range strings.SplitAfter(src, "\n") {
		if line == "" {
			continue
		}
		gets := lw.uses.gets
		if _, ok, err := lowerFast(lw, "w7.sd", line, nil); !ok || err != nil {
			t.Fatalf("line %d does not lower: %v", k+1, err)
		}
		if n := lw.uses.gets - gets; k > 0 {
			if n < 4 {
				t.Fatalf("line %d looked %d names up in the uses, fewer than its 4 new ones", k+1, n)
			}
			extra += n - 4
		}
	}
	t.Logf("%d lookups besides the new names over %d lines", extra, lines-1)
	if extra > lines/10 {
		t.Errorf("%d lookups in the uses besides the lines' new names, over %d lines", extra, lines-1)
	}
	for _, w := range []string{"w1", "w2", "w3"} {
		if lw.recentGet(w) != ast.NewSym(w) {
			t.Errorf("after the last line, %s is not in the recent uses", w)
		}
	}
}

// w7Lines returns n lines of W7's definitions.
func w7Lines(n int) string {
	var b strings.Builder
	for k := 1; k <= n; k++ {
		z := fmt.Sprintf("x_%d_1*w1 + x_%d_2*w2 + x_%d_3*w3", k, k, k)
		fmt.Fprintf(&b, "a%d := y%d*log(sigma(%s)) + (1 - y%d)*log(1 - sigma(%s))\n", k, k, z, k, z)
	}
	return b.String()
}
