package matrix_test

import (
	"context"
	"fmt"
	"math/big"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/simplify"
	"github.com/symdiff/symdiff/simplify/matrix"
	"github.com/symdiff/symdiff/simplify/prove"
)

// Counterexamples with declared sizes, checked by the test's own exact
// evaluation of the printed point: the sizes are whole numbers from 1,
// each declared array has the shape its sizes give it, every assumption
// holds exactly, and the two sides of the claim differ exactly.

// pval is a value read back from a printed counterexample: its shape (nil
// for a scalar) and its entries, row by row, as exact rationals.
type pval struct {
	shape []int
	data  []*big.Rat
}

// ppoint is a printed counterexample read back.
type ppoint map[string]pval

// readPoint reads Counterexample.Point()'s text (n=4 w=[2,1.75,...]) back
// into exact values, as a reader would: the decimals as printed.
func readPoint(text string) (ppoint, error) {
	out := ppoint{}
	for _, part := range strings.Fields(text) {
		name, val, ok := strings.Cut(part, "=")
		if !ok {
			return nil, fmt.Errorf("%q is not NAME=VALUE", part)
		}
		v, rest, err := readValue(val)
		if err != nil || rest != "" {
			return nil, fmt.Errorf("%s: cannot read %q (%v, left %q)", name, val, err, rest)
		}
		out[name] = v
	}
	return out, nil
}

// readValue reads a number or a bracketed list of values of one shape.
func readValue(s string) (pval, string, error) {
	if !strings.HasPrefix(s, "[") {
		end := strings.IndexAny(s, ",]")
		if end < 0 {
			end = len(s)
		}
		r, ok := new(big.Rat).SetString(s[:end])
		if !ok {
			return pval{}, s, fmt.Errorf("not a number: %q", s[:end])
		}
		return pval{data: []*big.Rat{r}}, s[end:], nil
	}
	s = s[1:]
	var items []pval
	for {
		v, rest, err := readValue(s)
		if err != nil {
			return pval{}, s, err
		}
		items = append(items, v)
		if strings.HasPrefix(rest, ",") {
			s = rest[1:]
			continue
		}
		if !strings.HasPrefix(rest, "]") {
			return pval{}, rest, fmt.Errorf("expected ] at %q", rest)
		}
		s = rest[1:]
		break
	}
	out := pval{shape: append([]int{len(items)}, items[0].shape...)}
	for _, it := range items {
		if !slices.Equal(it.shape, items[0].shape) {
			return pval{}, s, fmt.Errorf("ragged list")
		}
		out.data = append(out.data, it.data...)
	}
	return out, s, nil
}

// scalarOf is the scalar name of p, an error where p lacks it.
func (p ppoint) scalarOf(name string) (*big.Rat, error) {
	v, ok := p[name]
	if !ok || v.shape != nil {
		return nil, fmt.Errorf("the point does not give the scalar %s", name)
	}
	return v.data[0], nil
}

// at is the entry at the 1-based indices of the array name, an error
// where it is past the array (the side has no value there).
func (p ppoint) at(name string, idx ...int) (*big.Rat, error) {
	v, ok := p[name]
	if !ok || len(v.shape) != len(idx) {
		return nil, fmt.Errorf("the point does not give %s with %d indices", name, len(idx))
	}
	off := 0
	for k, i := range idx {
		if i < 1 || i > v.shape[k] {
			return nil, fmt.Errorf("%s%v is past its shape %v", name, idx, v.shape)
		}
		off = off*v.shape[k] + i - 1
	}
	return v.data[off], nil
}

// whole is r as a size: a whole number from 1.
func whole(r *big.Rat) (int, bool) {
	if !r.IsInt() || r.Sign() <= 0 || !r.Num().IsInt64() || r.Num().Int64() > 1<<40 {
		return 0, false
	}
	return int(r.Num().Int64()), true
}

// term is part of a side of a claim: its source, and its exact value at a
// point read back (an error where it has none there).
type term struct {
	src string
	val func(p ppoint) (*big.Rat, error)
}

func num(r *big.Rat) term {
	return term{r.RatString(), func(ppoint) (*big.Rat, error) { return new(big.Rat).Set(r), nil }}
}

func entry(name string, idx ...int) term {
	s := make([]string, len(idx))
	for i, k := range idx {
		s[i] = fmt.Sprint(k)
	}
	return term{fmt.Sprintf("%s[%s]", name, strings.Join(s, ",")), func(p ppoint) (*big.Rat, error) { return p.at(name, idx...) }}
}

func sizeTerm(name string) term {
	return term{name, func(p ppoint) (*big.Rat, error) { return p.scalarOf(name) }}
}

// wAtN is w[n].
func wAtN() term {
	return term{"w[n]", func(p ppoint) (*big.Rat, error) {
		n, err := p.scalarOf("n")
		if err != nil {
			return nil, err
		}
		k, ok := whole(n)
		if !ok {
			return nil, fmt.Errorf("n = %s is not an index", n.RatString())
		}
		return p.at("w", k)
	}}
}

// sumTo is sum(i=1..n, w[i]), or tr(B) for the matrix B.
func sumTo(name string, trace bool) term {
	src := fmt.Sprintf("sum(i=1..n, %s[i])", name)
	if trace {
		src = fmt.Sprintf("tr(%s)", name)
	}
	return term{src, func(p ppoint) (*big.Rat, error) {
		n, err := p.scalarOf("n")
		if err != nil {
			return nil, err
		}
		k, ok := whole(n)
		if !ok {
			return nil, fmt.Errorf("n = %s is not a size", n.RatString())
		}
		s := new(big.Rat)
		for i := 1; i <= k; i++ {
			idx := []int{i}
			if trace {
				idx = []int{i, i}
			}
			v, err := p.at(name, idx...)
			if err != nil {
				return nil, err
			}
			s.Add(s, v)
		}
		return s, nil
	}}
}

// plus is the sum of terms (0 for none).
func plus(ts ...term) term {
	if len(ts) == 0 {
		return num(new(big.Rat))
	}
	srcs := make([]string, len(ts))
	for i, t := range ts {
		srcs[i] = t.src
	}
	return term{strings.Join(srcs, " + "), func(p ppoint) (*big.Rat, error) {
		s := new(big.Rat)
		for _, t := range ts {
			v, err := t.val(p)
			if err != nil {
				return nil, err
			}
			s.Add(s, v)
		}
		return s, nil
	}}
}

// sizeAssume is an assumption about the sizes n and m: its source, its
// names, and whether it holds at n, m (exact rationals).
type sizeAssume struct {
	src   string
	names []string
	holds func(n, m *big.Rat) bool
}

func rat(a, b int64) *big.Rat { return big.NewRat(a, b) }

func ri(k int) *big.Rat { return big.NewRat(int64(k), 1) }

// sizeScheme draws assumptions about the sizes: a value, a chain of
// equalities through m, bounds, a bound that allows no size, or nothing.
func sizeScheme(rng *rand.Rand) []sizeAssume {
	k := 1 + rng.IntN(4)
	eq := func(x *big.Rat, y *big.Rat) bool { return x.Cmp(y) == 0 }
	switch rng.IntN(8) {
	case 0:
		return []sizeAssume{{fmt.Sprintf("n == %d", k), []string{"n"}, func(n, _ *big.Rat) bool { return eq(n, ri(k)) }}}
	case 1:
		c := 1 + rng.IntN(2)
		return []sizeAssume{
			{fmt.Sprintf("n == m + %d", c), []string{"n", "m"}, func(n, m *big.Rat) bool { return eq(n, new(big.Rat).Add(m, ri(c))) }},
			{fmt.Sprintf("m == %d", k), []string{"m"}, func(_, m *big.Rat) bool { return eq(m, ri(k)) }},
		}
	case 2:
		c := 1 + rng.IntN(2)
		return []sizeAssume{
			{fmt.Sprintf("n - %d == m", c), []string{"n", "m"}, func(n, m *big.Rat) bool { return eq(new(big.Rat).Sub(n, ri(c)), m) }},
			{fmt.Sprintf("m == %d", k), []string{"m"}, func(_, m *big.Rat) bool { return eq(m, ri(k)) }},
		}
	case 3:
		return []sizeAssume{
			{"m == 2*n", []string{"n", "m"}, func(n, m *big.Rat) bool { return eq(m, new(big.Rat).Mul(n, ri(2))) }},
			{fmt.Sprintf("m == %d", 2*k), []string{"m"}, func(_, m *big.Rat) bool { return eq(m, ri(2*k)) }},
		}
	case 4:
		return []sizeAssume{{fmt.Sprintf("n >= %d", k+2), []string{"n"}, func(n, _ *big.Rat) bool { return n.Cmp(ri(k+2)) >= 0 }}}
	case 5:
		return []sizeAssume{{fmt.Sprintf("%d < n < %d", k, k+3), []string{"n"}, func(n, _ *big.Rat) bool {
			return n.Cmp(ri(k)) > 0 && n.Cmp(ri(k+3)) < 0
		}}}
	case 6:
		bound := []string{"n < 1", "n <= 0", "n == 0", "n < 1/2"}[rng.IntN(4)]
		lim := map[string]func(n *big.Rat) bool{
			"n < 1":   func(n *big.Rat) bool { return n.Cmp(ri(1)) < 0 },
			"n <= 0":  func(n *big.Rat) bool { return n.Sign() <= 0 },
			"n == 0":  func(n *big.Rat) bool { return n.Sign() == 0 },
			"n < 1/2": func(n *big.Rat) bool { return n.Cmp(rat(1, 2)) < 0 },
		}[bound]
		return []sizeAssume{{bound, []string{"n"}, func(n, _ *big.Rat) bool { return lim(n) }}}
	}
	return nil
}

// allowedN lists the sizes n from 1 to 64 that some m (from 0 to 200)
// allows with the assumptions.
func allowedN(as []sizeAssume) []int {
	var out []int
	for n := 1; n <= 64; n++ {
		for m := 0; m <= 200; m++ {
			ok := true
			for _, a := range as {
				ok = ok && a.holds(ri(n), ri(m))
			}
			if ok {
				out = append(out, n)
				break
			}
		}
	}
	return out
}

// sizedClaim is a claim with the test's own evaluation of its sides.
type sizedClaim struct {
	l, r term
	// matrix: proved as the session proves a claim with a whole matrix
	// (matrix.Prove), else as a scalar claim with declarations.
	matrix bool
	// truth: the claim holds at every point the assumptions allow where
	// its sides are defined; false: it is false at every such point.
	truth, false_ bool
}

// TestProveSizedCounterexamples generates declarations (w : vector(n),
// B : matrix(n, n)), assumptions on the sizes (a value, chains of
// equalities through m, bounds, bounds that allow no size) and on entries
// (w[1] == c), and claims about entries, sums, traces and sizes, and
// checks, with the test's own exact evaluation of the printed
// counterexample, that every counterexample gives the sizes as whole
// numbers from 1, every array in its declared shape, satisfies every
// assumption exactly and makes the two sides differ exactly; that a claim
// true by construction is never refuted and one false at every allowed
// point is refuted where some size is allowed. (fixsize11: n >= 4 was
// refuted at n = 8.8e7 with w of 4 entries; n < 1 at n = -2 with B 1×1;
// n == m + 1, m == 2 was unknown.)
func TestProveSizedCounterexamples(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 35))
	cases := 90
	if testing.Short() {
		cases = 30
	}
	refuted := 0
	for i := range cases {
		sizeAs := sizeScheme(rng)
		noSize := len(allowedN(sizeAs)) == 0
		// Entry assumptions: w[1] == c1, sometimes w[2] == c2, which
		// holds only where w has a second entry.
		c1 := rat(int64(rng.IntN(9)-4), int64(1+rng.IntN(2)))
		var c2 *big.Rat
		if rng.IntN(3) == 0 {
			c2 = c1
			if rng.IntN(2) == 0 {
				c2 = new(big.Rat).Add(c1, rat(1, 2))
			}
		}
		allowed := allowedN(sizeAs)
		if c2 != nil {
			allowed = slices.DeleteFunc(allowed, func(n int) bool { return n < 2 })
		}
		fixedN := 0 // the one size allowed, if one
		if len(allowed) == 1 {
			fixedN = allowed[0]
		}
		src := "w : vector(n)\nB : matrix(n, n)\n"
		for _, a := range sizeAs {
			src += "assume " + a.src + "\n"
		}
		src += "assume w[1] == " + c1.RatString() + "\n"
		if c2 != nil {
			src += "assume w[2] == " + c2.RatString() + "\n"
		}
		none := len(allowed) == 0
		only := func(k int) bool { return none || fixedN == k }
		quarter := num(rat(1, 4))
		k := 1 + rng.IntN(3)
		wk := make([]term, 0, k)
		for j := 1; j <= k; j++ {
			wk = append(wk, entry("w", j))
		}
		var c sizedClaim
		switch rng.IntN(9) {
		case 0:
			c = sizedClaim{l: entry("w", 1), r: entry("w", 2),
				truth: none || only(1) || c2 != nil && c2.Cmp(c1) == 0, false_: c2 != nil && c2.Cmp(c1) != 0}
		case 1:
			c = sizedClaim{l: entry("w", 1), r: num(c1), truth: true}
		case 2:
			c = sizedClaim{l: plus(entry("w", 1), quarter), r: entry("w", 1), false_: true}
		case 3:
			c = sizedClaim{l: sumTo("w", false), r: plus(wk...), truth: only(k)}
		case 4:
			c = sizedClaim{l: wAtN(), r: entry("w", k), truth: only(k)}
		case 5:
			c = sizedClaim{l: sizeTerm("n"), r: num(ri(k)), truth: only(k), false_: !slices.Contains(allowed, k)}
		case 6:
			c = sizedClaim{l: sumTo("B", true), r: entry("B", 1, 1), matrix: true, truth: only(1)}
		case 7:
			c = sizedClaim{l: plus(sumTo("B", true), quarter), r: sumTo("B", true), matrix: true, false_: true}
		default:
			if fixedN > 0 {
				wn := make([]term, 0, fixedN)
				for j := 1; j <= fixedN; j++ {
					wn = append(wn, entry("w", j))
				}
				c = sizedClaim{l: sumTo("w", false), r: plus(wn...), truth: true}
			} else {
				c = sizedClaim{l: entry("w", 1), r: entry("w", 1), truth: true}
			}
		}
		if none {
			c.truth, c.false_ = true, false // vacuously
		}
		label := fmt.Sprintf("case %d: %sprove %s == %s", i, strings.ReplaceAll(src, "\n", "; "), c.l.src, c.r.src)
		pr := proveSized(t, src, c)
		t.Logf("%s: %v (%s)", label, pr.Verdict, pr.Tried)
		switch {
		case pr.Verdict == prove.Refuted && c.truth:
			t.Errorf("%s: refuted a claim true by construction at %s", label, pr.Counter.Point())
		case pr.Verdict == prove.Proved && c.false_:
			t.Errorf("%s: proved a false claim", label)
		case pr.Verdict != prove.Refuted && c.false_:
			t.Errorf("%s: %v, want refuted: false at every allowed point (sizes %v) (%s)", label, pr.Verdict, allowed, pr.Tried)
		}
		if noSize && pr.Verdict == prove.Unknown && !strings.Contains(pr.Tried, "size n") {
			t.Errorf("%s: unknown without saying that no size n is allowed: %s", label, pr.Tried)
		}
		if pr.Verdict != prove.Refuted {
			continue
		}
		refuted++
		if pr.Counter == nil {
			t.Errorf("%s: refuted without a counterexample", label)
			continue
		}
		for _, why := range checkSizedCounter(pr.Counter.Point(), sizeAs, c1, c2, c) {
			t.Errorf("%s: counterexample %s: %s", label, pr.Counter.Point(), why)
		}
	}
	if refuted < cases/4 {
		t.Errorf("only %d of %d claims refuted: the check of counterexamples saw too few", refuted, cases)
	}
}

// proveSized proves the claim c under the script src as the session does:
// a claim with a whole matrix by matrix.Prove, a claim of entries and
// sizes by prove.Prove with the declarations, and a size the claim reads
// as a plain number (n == 2) in 1.. .
func proveSized(t *testing.T, src string, c sizedClaim) *prove.Proof {
	t.Helper()
	opt, pctx := setupSource(t, "sized.sd", src)
	a, b := parsePair(t, pctx, c.l.src, c.r.src)
	var pr *prove.Proof
	var err error
	if c.matrix {
		pr, err = matrix.Prove(context.Background(), a, b, opt)
	} else {
		sopt := opt.Simplify
		sopt.Decls = opt.Decls
		if c.l.src == "n" {
			sopt.Ranges = map[string]simplify.Range{"n": {Lo: ast.One}}
		}
		pr, err = prove.Prove(context.Background(), a, b, sopt)
	}
	if err != nil {
		t.Fatalf("%s == %s: %v", c.l.src, c.r.src, err)
	}
	return pr
}

// checkSizedCounter reads the printed point back and says what is wrong
// with it as a counterexample: sizes, shapes, assumptions, sides.
func checkSizedCounter(text string, sizeAs []sizeAssume, c1, c2 *big.Rat, c sizedClaim) []string {
	p, err := readPoint(text)
	if err != nil {
		return []string{err.Error()}
	}
	var out []string
	sizes := map[string]int{}
	for _, name := range []string{"n"} {
		if v, ok := p[name]; ok {
			k, isSize := 0, v.shape == nil
			if isSize {
				k, isSize = whole(v.data[0])
			}
			if !isSize {
				out = append(out, fmt.Sprintf("the size %s is not a whole number from 1", name))
				continue
			}
			sizes[name] = k
		}
	}
	// The declared shapes: w : vector(n), B : matrix(n, n).
	for name, want := range map[string][]string{"w": {"n"}, "B": {"n", "n"}} {
		v, ok := p[name]
		if !ok {
			continue
		}
		var shape []int
		for _, s := range want {
			k, ok := sizes[s]
			if !ok {
				out = append(out, fmt.Sprintf("%s is given without its size %s", name, s))
				shape = nil
				break
			}
			shape = append(shape, k)
		}
		if shape != nil && !cmp.Equal(v.shape, shape) {
			out = append(out, fmt.Sprintf("%s has the shape %v, not %v of its declaration", name, v.shape, shape))
		}
	}
	// The assumptions: each one whose names the point gives holds
	// exactly; one of whose names it gives some only is not shown to.
	for _, a := range sizeAs {
		vals := map[string]*big.Rat{}
		for _, n := range a.names {
			if v, err := p.scalarOf(n); err == nil {
				vals[n] = v
			}
		}
		switch {
		case len(vals) == 0:
			continue
		case len(vals) < len(a.names):
			out = append(out, fmt.Sprintf("assume %s: the point gives only some of %v", a.src, a.names))
			continue
		}
		n, m := vals["n"], vals["m"]
		if n == nil {
			n = new(big.Rat)
		}
		if m == nil {
			m = new(big.Rat)
		}
		if !a.holds(n, m) {
			out = append(out, fmt.Sprintf("assume %s does not hold", a.src))
		}
	}
	for k, cv := range map[int]*big.Rat{1: c1, 2: c2} {
		if cv == nil {
			continue
		}
		if _, ok := p["w"]; !ok {
			continue
		}
		v, err := p.at("w", k)
		if err != nil || v.Cmp(cv) != 0 {
			out = append(out, fmt.Sprintf("assume w[%d] == %s does not hold (%v)", k, cv.RatString(), err))
		}
	}
	// The claim is false there: both sides have values, and they differ.
	l, errL := c.l.val(p)
	r, errR := c.r.val(p)
	switch {
	case errL != nil || errR != nil:
		out = append(out, fmt.Sprintf("a side has no value there (%v, %v)", errL, errR))
	case l.Cmp(r) == 0:
		out = append(out, fmt.Sprintf("the sides agree there (both %s)", l.RatString()))
	}
	return out
}

// TestReadPoint: the test's reader of printed points.
func TestReadPoint(t *testing.T) {
	got, err := readPoint("B=[[-1.25,0.5],[1/3,2]] n=2 w=[2,1e+08]")
	if err != nil {
		t.Fatal(err)
	}
	want := ppoint{
		"B": {shape: []int{2, 2}, data: []*big.Rat{rat(-5, 4), rat(1, 2), rat(1, 3), ri(2)}},
		"n": {data: []*big.Rat{ri(2)}},
		"w": {shape: []int{2}, data: []*big.Rat{ri(2), ri(100000000)}},
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(pval{}), cmp.Comparer(func(x, y *big.Rat) bool { return x.Cmp(y) == 0 })); diff != "" {
		t.Errorf("readPoint (-want +got):\n%s", diff)
	}
}

// TestProveSizedBriefCases: the three answers of the brief fixsize11, each
// checked by the test's own reading of the printed point.
func TestProveSizedBriefCases(t *testing.T) {
	two := rat(2, 1)
	chain := []sizeAssume{
		{"n == m + 1", []string{"n", "m"}, func(n, m *big.Rat) bool { return n.Cmp(new(big.Rat).Add(m, ri(1))) == 0 }},
		{"m == 2", []string{"m"}, func(_, m *big.Rat) bool { return m.Cmp(two) == 0 }},
	}
	for _, tt := range []struct {
		name   string
		sizeAs []sizeAssume
		c1     *big.Rat
		claim  sizedClaim
		want   prove.Verdict
		// point, for a refutation: the sizes it must state.
		point map[string]int
		// tried, for unknown: what it must say.
		tried string
	}{
		{
			// Was refuted at n=8.84736e+07 with w of 4 entries.
			name:   "bound",
			sizeAs: []sizeAssume{{"n >= 4", []string{"n"}, func(n, _ *big.Rat) bool { return n.Cmp(ri(4)) >= 0 }}},
			c1:     two,
			claim:  sizedClaim{l: entry("w", 1), r: entry("w", 2)},
			want:   prove.Refuted,
		},
		{
			// Was refuted at n=-2 with B 1×1.
			name:   "no size",
			sizeAs: []sizeAssume{{"n < 1", []string{"n"}, func(n, _ *big.Rat) bool { return n.Cmp(ri(1)) < 0 }}},
			claim:  sizedClaim{l: sumTo("B", true), r: entry("B", 1, 1), matrix: true},
			want:   prove.Unknown,
			tried:  "size n",
		},
		{
			// Was unknown: no point where the equalities hold exactly.
			name:   "chain",
			sizeAs: chain,
			c1:     two,
			claim:  sizedClaim{l: entry("w", 1), r: entry("w", 2)},
			want:   prove.Refuted,
			point:  map[string]int{"n": 3, "m": 2},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			src := "w : vector(n)\nB : matrix(n, n)\n"
			for _, a := range tt.sizeAs {
				src += "assume " + a.src + "\n"
			}
			if tt.c1 != nil {
				src += "assume w[1] == " + tt.c1.RatString() + "\n"
			}
			pr := proveSized(t, src, tt.claim)
			if pr.Verdict != tt.want {
				t.Fatalf("%v (%s), want %v", pr.Verdict, pr.Tried, tt.want)
			}
			if tt.want == prove.Unknown && !strings.Contains(pr.Tried, tt.tried) {
				t.Errorf("unknown without saying %q: %s", tt.tried, pr.Tried)
			}
			if tt.want != prove.Refuted {
				return
			}
			text := pr.Counter.Point()
			for _, why := range checkSizedCounter(text, tt.sizeAs, tt.c1, nil, tt.claim) {
				t.Errorf("counterexample %s: %s", text, why)
			}
			p, err := readPoint(text)
			if err != nil {
				t.Fatal(err)
			}
			for name, want := range tt.point {
				if v, err := p.scalarOf(name); err != nil || v.Cmp(ri(want)) != 0 {
					t.Errorf("counterexample %s: want %s = %d", text, name, want)
				}
			}
		})
	}
}

// TestProveNumberSizedShapes: an array declared with sizes written as
// numbers past 64 is shown in its declared shape (x : vector(100) was
// refuted at x of 16 entries), and one too large for a point to bind is
// not refuted at a point of another shape: unknown, saying why.
func TestProveNumberSizedShapes(t *testing.T) {
	src := "x : vector(100)\nX : matrix(200, 200)\n"
	for _, tt := range []struct {
		claim sizedClaim
		shape []int // of the refutation's array; nil: unknown
		name  string
	}{
		{sizedClaim{l: entry("x", 1), r: entry("x", 2)}, []int{100}, "x"},
		{sizedClaim{l: plus(entry("x", 100), num(rat(1, 4))), r: entry("x", 100)}, []int{100}, "x"},
		{sizedClaim{l: entry("X", 1, 1), r: entry("X", 1, 2)}, nil, "X"},
	} {
		label := tt.claim.l.src + " == " + tt.claim.r.src
		pr := proveSized(t, src, tt.claim)
		if tt.shape == nil {
			if pr.Verdict != prove.Unknown || !strings.Contains(pr.Tried, "declared larger") {
				t.Errorf("%s: %v (%s), want unknown saying %s is too large", label, pr.Verdict, pr.Tried, tt.name)
			}
			continue
		}
		if pr.Verdict != prove.Refuted {
			t.Errorf("%s: %v (%s), want refuted", label, pr.Verdict, pr.Tried)
			continue
		}
		p, err := readPoint(pr.Counter.Point())
		if err != nil {
			t.Fatal(err)
		}
		if got := p[tt.name].shape; !cmp.Equal(got, tt.shape) {
			t.Errorf("%s: counterexample's %s has the shape %v, not %v of its declaration", label, tt.name, got, tt.shape)
		}
		l, errL := tt.claim.l.val(p)
		r, errR := tt.claim.r.val(p)
		if errL != nil || errR != nil || l.Cmp(r) == 0 {
			t.Errorf("%s: the counterexample does not break the claim (%v %v)", label, errL, errR)
		}
	}
}
