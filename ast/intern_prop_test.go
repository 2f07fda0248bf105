package ast

import (
	"math/big"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"
	"testing"
	"unsafe"
)

// A spec is a tree written as plain data, with its own spelling (key) that
// knows nothing of ast's hashing or tables: the oracle of the interning
// property tests. Two specs are structurally equal exactly when their
// keys are.
type spec struct {
	kind string // num, sym, index, neg, add, mul, div, pow, call, sum, deriv
	name string // sym, index, call (function), sum (variable)
	num  *big.Rat
	kids []*spec
}

// key spells the spec, folding what the constructors fold: the negation
// of a number is a number.
func (s *spec) key() string {
	if s.kind == "num" {
		return "n" + s.num.RatString()
	}
	if s.kind == "neg" && s.kids[0].kind == "num" {
		return "n" + new(big.Rat).Neg(s.kids[0].num).RatString()
	}
	var b strings.Builder
	b.WriteString(s.kind + "(" + s.name)
	for _, k := range s.kids {
		b.WriteString(" " + k.key())
	}
	b.WriteString(")")
	return b.String()
}

// names are the scalar and function names the specs use; the last are
// substrings of a long string, as a parser's are of its input.
var propNames = func() []string {
	src := strings.Repeat("u", 1000) + "alpha beta gamma"
	return []string{"x", "y", "z", "w1", "w2", src[1000:1005], src[1006:1010], src[1011:]}
}()

// randSpec draws a tree of about the given depth from a small alphabet, so
// that equal subtrees recur.
func randSpec(r *rand.Rand, depth int) *spec {
	if depth <= 0 || r.IntN(5) == 0 {
		switch r.IntN(4) {
		case 0:
			// Small integers (kept for ever), larger ones and fractions.
			n := []*big.Rat{big.NewRat(int64(r.IntN(5)), 1), big.NewRat(int64(r.IntN(3))+1000, 1), big.NewRat(1, int64(r.IntN(3))+2),
				new(big.Rat).SetFrac(new(big.Int).Lsh(big.NewInt(1), 70), big.NewInt(3))}[r.IntN(4)]
			return &spec{kind: "num", num: n}
		case 1:
			return &spec{kind: "index", name: propNames[r.IntN(3)], kids: []*spec{{kind: "sym", name: []string{"i", "j"}[r.IntN(2)]}}}
		}
		return &spec{kind: "sym", name: propNames[r.IntN(len(propNames))]}
	}
	kid := func() *spec { return randSpec(r, depth-1) }
	switch r.IntN(8) {
	case 0:
		return &spec{kind: "neg", kids: []*spec{kid()}}
	case 1, 2:
		n := 2 + r.IntN(4)
		s := &spec{kind: []string{"add", "mul"}[r.IntN(2)]}
		for range n {
			s.kids = append(s.kids, kid())
		}
		return s
	case 3:
		return &spec{kind: []string{"div", "pow"}[r.IntN(2)], kids: []*spec{kid(), kid()}}
	case 4, 5:
		fn := []string{"sigma", "log", "f", propNames[5]}[r.IntN(4)]
		s := &spec{kind: "call", name: fn, kids: []*spec{kid()}}
		if r.IntN(3) == 0 {
			s.kids = append(s.kids, kid())
		}
		return s
	case 6:
		return &spec{kind: "sum", name: "i", kids: []*spec{{kind: "num", num: big.NewRat(1, 1)}, {kind: "sym", name: "n"}, kid()}}
	}
	return &spec{kind: "deriv", kids: []*spec{kid(), {kind: "sym", name: propNames[r.IntN(2)]}}}
}

// build makes the spec's node, its children in order, or in reverse order
// when rev is set.
func (s *spec) build(rev bool) Expr {
	kids := make([]Expr, len(s.kids))
	for i := range s.kids {
		j := i
		if rev {
			j = len(s.kids) - 1 - i
		}
		kids[j] = s.kids[j].build(rev)
	}
	switch s.kind {
	case "num":
		return NewNum(FromRat(s.num))
	case "sym":
		// A fresh copy of the name, so that equal names are not one string.
		return NewSym(strings.Clone(s.name))
	case "index":
		return NewIndex(strings.Clone(s.name), kids...)
	case "neg":
		return NewNeg(kids[0])
	case "add":
		return NewAdd(kids...)
	case "mul":
		return NewMul(kids...)
	case "div":
		return NewDiv(kids[0], kids[1])
	case "pow":
		return NewPow(kids[0], kids[1])
	case "call":
		return NewCall(strings.Clone(s.name), kids...)
	case "sum":
		return NewSum(OpSum, s.name, kids[0], kids[1], kids[2])
	case "deriv":
		return NewDeriv(kids[0], kids[1])
	}
	panic("unknown spec kind " + s.kind)
}

// checkShared checks that the nodes built for specs are one node exactly
// when the specs' keys are equal.
func checkShared(t *testing.T, specs []*spec, built []Expr) {
	t.Helper()
	byKey := map[string]Expr{}
	byNode := map[Expr]string{}
	for i, s := range specs {
		k, e := s.key(), built[i]
		if prev, ok := byKey[k]; ok && prev != e {
			t.Fatalf("two nodes for one tree %s", k)
		}
		if prev, ok := byNode[e]; ok && prev != k {
			t.Fatalf("one node for two trees:\n%s\n%s", prev, k)
		}
		byKey[k], byNode[e] = e, k
	}
}

// TestInternProperty: random trees built bottom-up in different orders, by
// goroutines at once, while the young nodes are weakened and collections
// run, are one node exactly when they are equal as written. Half the
// nodes are dropped between rounds, so that rebuilt trees meet both
// collected and surviving nodes.
func TestInternProperty(t *testing.T) {
	const workers = 4
	n, rounds := 400, 6
	if testing.Short() {
		n, rounds = 100, 3
	}
	r := rand.New(rand.NewPCG(15, 7))
	specs := make([]*spec, n)
	for i := range specs {
		specs[i] = randSpec(r, 2+r.IntN(5))
	}
	var kept []Expr
	for round := range rounds {
		built := make([][]Expr, workers)
		var wg sync.WaitGroup
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				order := rand.New(rand.NewPCG(uint64(round), uint64(w))).Perm(n)
				out := make([]Expr, n)
				for k, i := range order {
					out[i] = specs[i].build(w%2 == 1)
					if k%97 == 0 && w == 0 {
						retireAll()
					}
				}
				built[w] = out
			}()
		}
		wg.Add(1)
		go func() { // collections at the same time
			defer wg.Done()
			runtime.GC()
			retireAll()
		}()
		wg.Wait()
		for w := range workers {
			checkShared(t, specs, built[w])
			for i := range specs {
				if built[w][i] != built[0][i] {
					t.Fatalf("round %d: worker %d built a second node for %s", round, w, specs[i].key())
				}
			}
		}
		// Nodes kept from the round before are the ones built now.
		for i, e := range kept {
			if e != nil && e != built[0][i] {
				t.Fatalf("round %d: a node kept alive was built again as another: %s", round, specs[i].key())
			}
		}
		kept = make([]Expr, n)
		for i := range n {
			if (i+round)%2 == 0 {
				kept[i] = built[0][i]
			}
		}
		built = nil
		runtime.GC()
		if round%2 == 1 {
			retireAll()
			runtime.GC()
		}
	}
	runtime.KeepAlive(kept)
}

// TestInternNamesOwned: a node's name is never the caller's string: a
// parser's names are substrings of its input, which a node would keep
// alive.
func TestInternNamesOwned(t *testing.T) {
	src := strings.Repeat("v", 64) + "qqname fnname idxname"
	name, fn, idx := src[64:70], src[71:77], src[78:85]
	for _, c := range []struct {
		what, got, from string
	}{
		{"Sym", NewSym(name).Name, name},
		{"Call", NewCall(fn, One).Fn, fn},
		{"Index", NewIndex(idx, One).Name, idx},
		{"Sum", NewSum(OpSum, name, One, Two, One).Var, name},
	} {
		if c.got != c.from {
			t.Fatalf("%s: name %q, want %q", c.what, c.got, c.from)
		}
		if unsafe.StringData(c.got) == unsafe.StringData(c.from) {
			t.Errorf("%s keeps the caller's string %q, a substring of its input", c.what, c.from)
		}
	}
}
