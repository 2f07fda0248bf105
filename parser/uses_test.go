package parser

import (
	"fmt"
	"math"
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
				// With the node of a scalar's use or of an indexed one,
				// or none.
				u := use{at: int32(step), n: int32(rng.IntN(3)), indexed: rng.IntN(2) == 0}
				switch rng.IntN(3) {
				case 0:
					u.sym = ast.NewSym(name)
				case 1:
					u.idx = ast.NewIndex(name, ast.NewInt(int64(step)))
				}
				tab.set(name, u)
				ref[name] = u
			case 2:
				tab.del(name)
				delete(ref, name)
			case 3:
				// getAt, then add when it is missing (as lowerer.ident).
				u := use{at: int32(step), n: 7, sym: ast.NewSym(name)}
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
		if diff := cmp.Diff(ref, all, cmp.AllowUnexported(use{}), cmp.Comparer(func(a, b ast.Expr) bool { return a == b })); diff != "" {
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

// useProbe returns the slots a lookup of name in t passes before it
// finds its record (find's sequence, walked here apart from find's
// loop), or -1 when it meets an empty slot first.
func useProbe(t *useTable, name string) int {
	at, h := t.find(name)
	mask := len(t.slots) - 1
	i := home(name, h) & mask
	for n := 0; ; n++ {
		if n >= useWindow {
			i = ast.OverflowProbe(h, n-useWindow, mask)
		} else if n > 0 {
			i = (i + 1) & mask
		}
		if i == at {
			return n
		}
		if t.slots[i] == 0 {
			return -1
		}
	}
}

// useSlack bounds the drawn places a probe finds taken: each is taken with
// a chance of at most the load, under 3/4 (add rebuilds there), so for
// the longest of up to 10^7 probes to pass it with a chance under 10^-9,
// (3/4)^g <= 10^-16: g = 129 (as the intern tables' overflowSlack).
var useSlack = int(math.Ceil(16 * math.Log(10) / math.Log(4.0/3)))

// TestUseProbeBound: whatever names share the table, no lookup passes
// more than useWindow + useSlack slots. The mixture makes long dense runs
// (consecutive numbered names: W7's, 4 to a number), sends many probes
// through them (names of one home, x_1, x_01, ..., all past the window,
// and names without digits, placed at random), then deletes some and
// adds more, so that rebuilds place everything again. A chain from one
// overflow place walked along the runs.
func TestUseProbeBound(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 6))
	tab := newUseTable(64)
	var names []string
	add := func(name string) {
		if _, ok, p := tab.getAt(name); !ok {
			tab.add(p, name, use{at: int32(len(names))})
			names = append(names, name)
		}
	}
	for k := 1; k <= 30000; k++ {
		add(fmt.Sprintf("y%d", k))
		add(fmt.Sprintf("x_%d_1", k))
		add(fmt.Sprintf("x_%d_2", k))
		if k%4 == 0 {
			add(fmt.Sprintf("q%xz", rng.Uint64()))
		}
		if k%16 == 0 {
			add("x_" + strings.Repeat("0", k/16) + "1")
		}
	}
	check := func(when string) {
		t.Helper()
		most := 0
		for _, name := range names {
			if _, ok := tab.get(name); !ok {
				continue
			}
			d := useProbe(tab, name)
			if d < 0 || d > useWindow+useSlack {
				t.Fatalf("%s: %s's probe is %d slots (bound %d; -1: past an empty slot)", when, name, d, useWindow+useSlack)
			}
			most = max(most, d)
		}
		t.Logf("%s: longest probe %d of %d names (bound %d)", when, most, tab.len(), useWindow+useSlack)
	}
	check("built")
	for k := range names {
		if k%3 == 0 {
			tab.del(names[k])
		}
	}
	for k := range 40000 {
		add(fmt.Sprintf("z_%d", k))
	}
	check("after deletes and rebuilds")
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
		if d := useProbe(tab, fmt.Sprintf("x_%d_2", k)); d < 0 || d > 64 {
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
		d := useProbe(same, name)
		if d < 0 {
			t.Fatalf("%s is past an empty slot of its probe", name)
		}
		most = max(most, d)
	}
	if most > useWindow+useSlack {
		t.Errorf("a name of one home is %d slots from its place (bound %d)", most, useWindow+useSlack)
	}
}
