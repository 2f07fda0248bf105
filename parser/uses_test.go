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
	// Spellings: numbered names (each its own home), names of one home
	// (x_1, x_01, x_001, ...: the window fills and they overflow), names
	// without digits (placed by their hash).
	spell := []func(i int) string{
		func(i int) string { return fmt.Sprintf("n%d", i) },
		func(i int) string { return "x_" + strings.Repeat("0", i) + "1" },
		func(i int) string {
			return strings.Repeat("q", 1+i%7) + string(rune('a'+i/7%26)) + strings.Repeat("z", i/182)
		},
	}
	for seed := range uint64(30) {
		rng := rand.New(rand.NewPCG(seed, 1))
		names := int(1 + rng.IntN(300))
		tab := newUseTable(rng.IntN(100))
		ref := map[string]use{}
		sp := spell[seed%3]
		for step := range 3000 {
			name := sp(rng.IntN(names))
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
			name := sp(i)
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

// useProbe returns the slots a lookup of a name in t passes before it
// finds its record: its distance from its home, or, past the window,
// useWindow plus its distance from its overflow place. It reads the
// array, not find's loop.
func useProbe(t *useTable, name string) int {
	i, h := t.find(name)
	mask := len(t.slots) - 1
	if d := (i - home(name, h)) & mask; d < useWindow {
		return d
	}
	return useWindow + (i-int(h))&mask
}

// TestUsePlaces: a file of definitions' new names land in the table next
// to the ones before them (W7's: a few slots apart; by their hash, a
// random distance, a quarter of the table), and names that share a home
// (x_1, x_01, ... have the same digits' number) spread past the window
// instead of lining up behind each other (their probes as long as their
// number).
func TestUsePlaces(t *testing.T) {
	const lines = 3000
	tab := newUseTable(8 * lines) // as a lowerer sizes it for 3,000 of W7's lines (len/32)
	near, steps, last := 0, 0, -1
	for k := 1; k <= lines; k++ {
		for _, name := range []string{fmt.Sprintf("y%d", k), fmt.Sprintf("x_%d_1", k), fmt.Sprintf("x_%d_2", k), fmt.Sprintf("x_%d_3", k)} {
			_, ok, p := tab.getAt(name)
			if ok {
				t.Fatalf("%s found before it was added", name)
			}
			if name[0] == 'x' {
				if last >= 0 {
					steps++
					if d := (p.i - last) & (len(tab.slots) - 1); d <= 64 {
						near++
					}
				}
				last = p.i
			}
			tab.add(p, name, use{at: int32(k)})
		}
	}
	if 10*near < 9*steps {
		t.Errorf("%d of %d new names are within 64 slots after the one before", near, steps)
	}
	for k := 1; k <= lines; k++ {
		if d := useProbe(tab, fmt.Sprintf("x_%d_2", k)); d > 64 {
			t.Fatalf("x_%d_2 is %d slots from its place", k, d)
		}
	}

	same := newUseTable(16)
	for i := range 2000 {
		same.set("x_"+strings.Repeat("0", i)+"1", use{at: int32(i)})
	}
	most := 0
	for i := range 2000 {
		name := "x_" + strings.Repeat("0", i) + "1"
		if u, ok := same.get(name); !ok || u.at != int32(i) {
			t.Fatalf("%s: %v, %v", name, u, ok)
		}
		most = max(most, useProbe(same, name))
	}
	if most > 200 {
		t.Errorf("a name of one home is %d slots from its place", most)
	}
}
