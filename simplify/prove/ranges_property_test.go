package prove_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/simplify"
	"github.com/symdiff/symdiff/simplify/prove"
)

// A property test of claims about sums over ranges a..b that need not
// start at 1 (a in 0..3, b a number or n, n - 1, n + 1, m), with a free
// index k in an assumed range. Each claim is generated as data, printed
// for the prover, and evaluated by the test itself with plain loops: a
// proof must agree with the loops at every point of the ranges drawn here,
// and a counterexample must lie inside the ranges and differ in the
// loops' evaluation too.

// bnd is a bound or an index: name + off (name "" for a number).
type bnd struct {
	name string
	off  int
}

func (b bnd) String() string {
	switch {
	case b.name == "":
		return strconv.Itoa(b.off)
	case b.off > 0:
		return fmt.Sprintf("%s + %d", b.name, b.off)
	case b.off < 0:
		return fmt.Sprintf("%s - %d", b.name, -b.off)
	}
	return b.name
}

func (b bnd) at(e env) int {
	if b.name == "" {
		return b.off
	}
	return e.n(b.name) + b.off
}

// body is a summand in j: its text with %[1]s for j, and its value.
type body struct {
	text  string
	array bool // reads x[j]: j must be a name or a number >= 1
	val   func(e env, j int) float64
}

func bodies() []body {
	x := func(e env, j int) float64 { v, _ := e.x("x", j); return v }
	delta := func(e env, j int) float64 {
		if j == e.n("k") {
			return 1
		}
		return 0
	}
	return []body{
		{"1", false, func(env, int) float64 { return 1 }},
		{"%[1]s", false, func(_ env, j int) float64 { return float64(j) }},
		{"(%[1]s)^2", false, func(_ env, j int) float64 { return float64(j * j) }},
		{"x[%[1]s]", true, x},
		{"delta(%[1]s, k)", false, delta},
		{"delta(%[1]s, k)*x[%[1]s]", true, func(e env, j int) float64 { return delta(e, j) * x(e, j) }},
		{"(%[1]s)*x[%[1]s]", true, func(e env, j int) float64 { return float64(j) * x(e, j) }},
	}
}

// term is c*sum(j=lo..hi, body), or c*body(at) where sum is false.
type term struct {
	c      int
	sum    bool
	lo, hi bnd
	at     bnd
	b      body
}

func (t term) String() string {
	var s string
	if t.sum {
		s = fmt.Sprintf("sum(j=%s..%s, %s)", t.lo, t.hi, fmt.Sprintf(t.b.text, "j"))
	} else {
		s = "(" + fmt.Sprintf(t.b.text, t.at.String()) + ")"
	}
	if t.c != 1 {
		s = fmt.Sprintf("%d*%s", t.c, s)
	}
	return s
}

// value evaluates the term with a loop; ok is false where it reads an
// array outside 1..len.
func (t term) value(e env) (float64, bool) {
	reads := func(j int) bool {
		if !t.b.array {
			return true
		}
		_, ok := e.x("x", j)
		return ok
	}
	if !t.sum {
		j := t.at.at(e)
		return float64(t.c) * t.b.val(e, j), reads(j)
	}
	s := 0.0
	for j := t.lo.at(e); j <= t.hi.at(e); j++ {
		if !reads(j) {
			return 0, false
		}
		s += t.b.val(e, j)
	}
	return float64(t.c) * s, true
}

type side []term

func (s side) String() string {
	parts := make([]string, len(s))
	for i, t := range s {
		parts[i] = t.String()
	}
	return strings.Join(parts, " + ")
}

func (s side) value(e env) (float64, bool) {
	v := 0.0
	for _, t := range s {
		x, ok := t.value(e)
		if !ok {
			return 0, false
		}
		v += x
	}
	return v, true
}

// genClaim draws sum(j=lo..hi, f) == B, with B an identity that holds
// where the range is non-empty (a term peeled off either end, the range
// widened and the extra term taken away), or a near miss (a bound moved
// by one), and k's range.
func genClaim(rng *rand.Rand) (a, b side, klo, khi bnd) {
	bs := bodies()
	lo := bnd{"", rng.IntN(4)}
	his := []bnd{{"", lo.off + rng.IntN(4) - 1}, {"n", 0}, {"n", -1}, {"n", 1}, {"m", 0}}
	if rng.IntN(3) == 0 {
		lo = []bnd{{"a", 0}, {"m", 0}}[rng.IntN(2)]
	}
	hi := his[rng.IntN(len(his))]
	f := bs[rng.IntN(len(bs))]
	if f.array && lo.name == "" && lo.off < 1 {
		lo.off = 1 // x[0] does not exist
	}
	s := term{c: 1, sum: true, lo: lo, hi: hi, b: f}
	a = side{s}
	switch rng.IntN(5) {
	case 0: // peel the first term
		b = side{{c: 1, sum: true, lo: bnd{lo.name, lo.off + 1}, hi: hi, b: f}, {c: 1, at: lo, b: f}}
	case 1: // peel the last term
		b = side{{c: 1, sum: true, lo: lo, hi: bnd{hi.name, hi.off - 1}, b: f}, {c: 1, at: hi, b: f}}
	case 2: // widen at the top and take the extra term away
		b = side{{c: 1, sum: true, lo: lo, hi: bnd{hi.name, hi.off + 1}, b: f}, {c: -1, at: bnd{hi.name, hi.off + 1}, b: f}}
	case 3: // a near miss: a bound moved by one
		if rng.IntN(2) == 0 {
			b = side{{c: 1, sum: true, lo: bnd{lo.name, lo.off + 1}, hi: hi, b: f}}
		} else {
			b = side{{c: 1, sum: true, lo: lo, hi: bnd{hi.name, hi.off + 1}, b: f}}
		}
	default: // the same range, a factor of 2 written differently
		b = side{{c: 2, sum: true, lo: lo, hi: hi, b: f}, {c: -1, sum: true, lo: lo, hi: hi, b: f}}
	}
	klos := []bnd{{"", 0}, {"", 1}, {"", 2}, {"", 3}, lo}
	khis := []bnd{{"n", 0}, {"n", -1}, hi, {"", 4}}
	return a, b, klos[rng.IntN(len(klos))], khis[rng.IntN(len(khis))]
}

// drawIn draws sizes a, m, n from 1..7 and k in klo..khi (ok false if
// that is empty), with an array x of 16 entries.
func drawIn(rng *rand.Rand, klo, khi bnd) (env, bool) {
	e := env{}
	for _, s := range []string{"a", "m", "n"} {
		e[s] = ast.Scalar(float64(1 + rng.IntN(7)))
	}
	lo, hi := klo.at(e), khi.at(e)
	if hi < lo {
		return e, false
	}
	e["k"] = ast.Scalar(float64(lo + rng.IntN(hi-lo+1)))
	data := make([]float64, 16)
	for i := range data {
		data[i] = math.Round((rng.Float64()*6-3)*32) / 32
	}
	e["x"] = ast.Value{Shape: []int{16}, Data: data}
	return e, true
}

func TestRangesProperty(t *testing.T) {
	n := 80
	if testing.Short() {
		n = 25
	}
	rng := rand.New(rand.NewPCG(2026, 11))
	verdicts := map[prove.Verdict]int{}
	falseClaims := 0
	for c := 0; c < n; c++ {
		a, b, klo, khi := genClaim(rng)
		usesK := strings.Contains(a.String()+b.String(), "k")
		src := fmt.Sprintf("assume k in %s..%s\nprove %s == %s", klo, khi, a, b)
		stmts, err := parseStmts(src)
		if err != nil {
			continue // x[n - 1]: not an index the language takes
		}
		as, ps := stmts[0].(*ast.AssumeStmt), stmts[1].(*ast.ProveStmt)
		pr, err := prove.Prove(bg, ps.A, ps.B, simplify.Options{Rules: builtin, Assume: []*ast.AssumeStmt{as}})
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		verdicts[pr.Verdict]++
		// The loops' verdict over the ranges.
		differs := false
		for range 300 {
			e, ok := drawIn(rng, klo, khi)
			if !ok && usesK {
				continue
			}
			va, okA := a.value(e)
			vb, okB := b.value(e)
			if okA && okB && differ(va, vb) {
				differs = true
				if pr.Verdict == prove.Proved {
					t.Errorf("%s\nproved (%s), but at %v the loops give %v and %v", src, simplify.FormatRanges(pr.Ranges, ast.String), e, va, vb)
				}
				break
			}
		}
		if differs {
			falseClaims++
		}
		if usesK && pr.Verdict == prove.Proved && !strings.Contains(simplify.FormatRanges(pr.Ranges, ast.String), "k = ") {
			t.Errorf("%s\nproved without stating k's range", src)
		}
		if pr.Verdict != prove.Refuted {
			continue
		}
		e := env(pr.Counter.Bindings)
		if usesK {
			if kv, lo, hi := e.n("k"), klo.at(e), khi.at(e); kv < lo || kv > hi {
				t.Errorf("%s\nrefuted at %s, with k outside %d..%d", src, pr.Counter.Point(), lo, hi)
			}
		}
		for _, s := range []string{"a", "m", "n"} {
			if v, ok := e[s]; ok && v.Data[0] < 1 {
				t.Errorf("%s\nrefuted at %s, with the size %s < 1", src, pr.Counter.Point(), s)
			}
		}
		va, okA := a.value(e)
		vb, okB := b.value(e)
		if !okA || !okB || !differ(va, vb) {
			t.Errorf("%s\nrefuted at %s, but the loops give %v and %v there", src, pr.Counter.Point(), va, vb)
		}
	}
	t.Logf("%d claims: %v; %d false by the loops", n, verdicts, falseClaims)
	if verdicts[prove.Proved] == 0 || verdicts[prove.Refuted] == 0 {
		t.Errorf("the property is vacuous: %v", verdicts)
	}
}

// parseStmts parses a script into its statements.
func parseStmts(src string) ([]ast.Stmt, error) {
	stmts, err := parser.ParseFile("", src, nil)
	if err != nil {
		return nil, err
	}
	out := make([]ast.Stmt, len(stmts))
	for i, s := range stmts {
		out[i] = s.Stmt
	}
	return out, nil
}
