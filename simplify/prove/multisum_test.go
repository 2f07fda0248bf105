package prove

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/parser/parsetest"
	"github.com/symdiff/symdiff/rules/load"
	"github.com/symdiff/symdiff/simplify"
)

// A random multiple sum for the oracle tests: c times the sum over its
// indices of a product of array entries. It is evaluated directly (every
// assignment of the indices), apart from how it is written: the order of
// summation, the names of the indices, and where each factor stands in the
// nesting.
type msTerm struct {
	c     int
	sizes []string // each index's range is 1..size
	fs    []msEntry
	// upTo[v] = w+1 > 0: index v runs 1..(index w) instead, a range
	// that depends on another index, so w must enclose v.
	upTo []int
}

type msEntry struct {
	arr string
	idx []int // indices of the term
}

// msArrays are the arrays and their sizes; n is 3 and m is 2 when
// evaluated.
var msArrays = map[string][]string{
	"x": {"n"}, "y": {"n"}, "u": {"m"},
	"A": {"n", "n"}, "B": {"n", "n"}, "M": {"n", "m"},
}

var msSize = map[string]int{"n": 3, "m": 2}

// msFuncs are factors that are functions of an entry: the body is then
// not a polynomial in the entries.
var msFuncs = map[string]struct {
	arr, form string
	f         func(float64) float64
}{
	"E": {"x", "exp(%s)", math.Exp},
	"R": {"y", "(1 + %s^2)^-1", func(v float64) float64 { return 1 / (1 + v*v) }},
}

func randTerm(rng *rand.Rand) msTerm {
	k := 1 + rng.IntN(3)
	t := msTerm{c: 1 + rng.IntN(3)}
	for range k {
		t.sizes = append(t.sizes, []string{"n", "n", "m"}[rng.IntN(3)])
	}
	for range 1 + rng.IntN(3) {
		t.fs = append(t.fs, randEntry(rng, t.sizes))
	}
	t.upTo = make([]int, k)
	if k >= 2 && t.sizes[0] == t.sizes[1] && rng.IntN(3) == 0 {
		t.upTo[1] = 1 // index 1 runs 1..(index 0)
	}
	// Every index in at least one factor.
	for v := range t.sizes {
		if !slices.ContainsFunc(t.fs, func(e msEntry) bool { return slices.Contains(e.idx, v) }) {
			t.fs = append(t.fs, msEntry{map[string]string{"n": "x", "m": "u"}[t.sizes[v]], []int{v}})
		}
	}
	return t
}

// randEntry picks an array entry whose indices are indices of the term
// with the right sizes.
func randEntry(rng *rand.Rand, sizes []string) msEntry {
	for {
		names := []string{"x", "y", "u", "A", "B", "M", "E", "R"}
		arr := names[rng.IntN(len(names))]
		var idx []int
		for _, s := range msArrays[msArr(arr)] {
			var fit []int
			for v, vs := range sizes {
				if vs == s {
					fit = append(fit, v)
				}
			}
			if len(fit) == 0 {
				break
			}
			idx = append(idx, fit[rng.IntN(len(fit))])
		}
		if len(idx) == len(msArrays[msArr(arr)]) {
			return msEntry{arr, idx}
		}
	}
}

// render writes t with the indices nested in order and named names[v]:
// each factor stands at the depth of its innermost index.
func (t msTerm) render(order []int, names []string) string {
	depth := make([]int, len(order))
	for d, v := range order {
		depth[v] = d
	}
	at := make([][]string, len(order))
	for _, e := range t.fs {
		d := 0
		var ix []string
		for _, v := range e.idx {
			d = max(d, depth[v])
			ix = append(ix, names[v])
		}
		entry := fmt.Sprintf("%s[%s]", msArr(e.arr), strings.Join(ix, ","))
		if f, ok := msFuncs[e.arr]; ok {
			entry = fmt.Sprintf(f.form, entry)
		}
		at[d] = append(at[d], entry)
	}
	s := ""
	for d := len(order) - 1; d >= 0; d-- {
		parts := at[d]
		if s != "" {
			parts = append(parts, s)
		}
		if len(parts) == 0 {
			parts = []string{"1"}
		}
		v := order[d]
		hi := t.sizes[v]
		if w := t.upTo[v] - 1; w >= 0 {
			hi = names[w]
		}
		s = fmt.Sprintf("sum(%s=1..%s, %s)", names[v], hi, strings.Join(parts, "*"))
	}
	return fmt.Sprintf("%d*%s", t.c, s)
}

// randomly renders t: a random order of summation and random index names.
func (t msTerm) randomly(rng *rand.Rand) string {
	order := rng.Perm(len(t.sizes))
	for v, w := range t.upTo {
		if w--; w >= 0 {
			// w encloses v.
			pv, pw := slices.Index(order, v), slices.Index(order, w)
			if pv < pw {
				order[pv], order[pw] = w, v
			}
		}
	}
	pool := []string{"i", "j", "k", "l", "p", "q", "r"}
	rng.Shuffle(len(pool), func(a, b int) { pool[a], pool[b] = pool[b], pool[a] })
	return t.render(order, pool[:len(t.sizes)])
}

func (t msTerm) eval(vals map[string][]float64) float64 {
	at := make([]int, len(t.sizes))
	var total float64
	var walk func(v int)
	walk = func(v int) {
		if v == len(at) {
			p := float64(t.c)
			for _, e := range t.fs {
				off, stride := 0, 1
				for i := len(e.idx) - 1; i >= 0; i-- {
					off += at[e.idx[i]] * stride
					stride *= msSize[msArrays[msArr(e.arr)][i]]
				}
				v := vals[msArr(e.arr)][off]
				if f, ok := msFuncs[e.arr]; ok {
					v = f.f(v)
				}
				p *= v
			}
			total += p
			return
		}
		size := msSize[t.sizes[v]]
		if w := t.upTo[v] - 1; w >= 0 {
			size = at[w] + 1 // w is walked before v
		}
		for at[v] = 0; at[v] < size; at[v]++ {
			walk(v + 1)
		}
	}
	walk(0)
	return total
}

// msArr is the array a factor reads.
func msArr(name string) string {
	if f, ok := msFuncs[name]; ok {
		return f.arr
	}
	return name
}

func msEval(ts []msTerm, vals map[string][]float64) float64 {
	var s float64
	for _, t := range ts {
		s += t.eval(vals)
	}
	return s
}

func msValues(rng *rand.Rand) map[string][]float64 {
	vals := map[string][]float64{}
	for arr, sizes := range msArrays {
		n := 1
		for _, s := range sizes {
			n *= msSize[s]
		}
		for range n {
			vals[arr] = append(vals[arr], float64(rng.IntN(17)-8)/4)
		}
	}
	return vals
}

// perturb changes one factor (another entry, or a matrix entry
// transposed), or a coefficient.
func perturb(rng *rand.Rand, ts []msTerm) []msTerm {
	out := slices.Clone(ts)
	i := rng.IntN(len(out))
	t := out[i]
	t.fs = slices.Clone(t.fs)
	f := rng.IntN(len(t.fs))
	e := t.fs[f]
	switch {
	case rng.IntN(4) == 0:
		t.c++
	case len(e.idx) == 2 && e.idx[0] != e.idx[1] && t.sizes[e.idx[0]] == t.sizes[e.idx[1]] && rng.IntN(2) == 0:
		// A[i,j] for A[j,i]: equal only for a symmetric A.
		t.fs[f] = msEntry{e.arr, []int{e.idx[1], e.idx[0]}}
	default:
		t.fs[f] = randEntry(rng, t.sizes)
	}
	out[i] = t
	return out
}

// msPair is a random claim: the right side the left side's terms written
// another way (true) or perturbed first (then false wherever the two
// evaluate differently).
func msPair(rng *rand.Rand) (left, right string, differ, rational bool) {
	var ts []msTerm
	for range 1 + rng.IntN(2) {
		ts = append(ts, randTerm(rng))
	}
	rs := ts
	if rng.IntN(2) == 0 {
		rs = perturb(rng, ts)
	}
	var l, r []string
	for _, t := range ts {
		l = append(l, t.randomly(rng))
	}
	for _, t := range rs {
		if t.c > 1 && rng.IntN(2) == 0 {
			// c*T written as (c-1)*T + T, the two in different orders.
			t1 := t
			t1.c--
			t2 := t
			t2.c = 1
			r = append(r, t1.randomly(rng), t2.randomly(rng))
			continue
		}
		r = append(r, t.randomly(rng))
	}
	rng.Shuffle(len(r), func(a, b int) { r[a], r[b] = r[b], r[a] })
	for k := 0; k < 5 && !differ; k++ {
		vals := msValues(rng)
		a, b := msEval(ts, vals), msEval(rs, vals)
		differ = math.Abs(a-b) > 1e-9*(1+math.Abs(a))
	}
	left, right = strings.Join(l, " + "), strings.Join(r, " + ")
	return left, right, differ, strings.Contains(left+right, "^-1")
}

// TestMultiSumRationalForm: the rational normal form never makes two
// multiple sums equal that differ at some value of their arrays (an index
// renamed onto another, an order exchanged where a range depends on
// another index), and finds equal those that are one sum written in
// another order of summation, with other index names, factors at other
// depths, and a term split in two.
func TestMultiSumRationalForm(t *testing.T) {
	n := 300
	if testing.Short() {
		n = 80
	}
	rng := rand.New(rand.NewPCG(5, 35))
	counts := map[string]int{}
	for range n {
		ls, rs, differ, rational := msPair(rng)
		a := parsetest.MustParse(t, ls, nil)
		b := parsetest.MustParse(t, rs, nil)
		same, err := sameRational(context.Background(), a, b)
		if err != nil {
			t.Fatalf("%s == %s: %v", ls, rs, err)
		}
		counts[fmt.Sprintf("differ=%v same=%v rational=%v", differ, same, rational)]++
		switch {
		case differ && same:
			t.Errorf("rational normal form: %s == %s, but they differ", ls, rs)
		case !differ && !same && !rational:
			t.Errorf("rational normal form: %s and %s differ, but they are one sum", ls, rs)
		}
	}
	t.Logf("%v", counts)
	if counts["differ=true same=false rational=false"] < n/10 || counts["differ=false same=true rational=false"] < n/10 ||
		counts["differ=true same=false rational=true"] < n/20 || counts["differ=false same=true rational=true"] < n/20 {
		t.Errorf("too few of one kind: %v", counts)
	}
}

// TestMultiSumVerdicts: the prover's verdict on the same claims: the false
// ones refuted (not unknown through an inconsistency between the normal
// form and the numbers), the true ones proved.
func TestMultiSumVerdicts(t *testing.T) {
	n := 60
	if testing.Short() {
		n = 20
	}
	rng := rand.New(rand.NewPCG(6, 36))
	verdicts := map[string]int{}
	for range n {
		ls, rs, differ, rational := msPair(rng)
		a := parsetest.MustParse(t, ls, nil)
		b := parsetest.MustParse(t, rs, nil)
		pr, err := Prove(context.Background(), a, b, simplify.Options{Rules: load.Builtin()})
		if err != nil {
			t.Fatalf("%s == %s: %v", ls, rs, err)
		}
		want := Proved
		if differ {
			want = Refuted
		}
		verdicts[fmt.Sprintf("want %v got %v rational=%v", want, pr.Verdict, rational)]++
		if pr.Verdict != want && !(rational && pr.Verdict == Unknown && !differ) {
			t.Errorf("prove %s == %s: %v (%s), want %v", ls, rs, pr.Verdict, pr.Tried, want)
		}
	}
	t.Logf("%v", verdicts)
}
