package simplify

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser/parsetest"
	"github.com/symdiff/symdiff/rules/load"
)

// chainSource is a1 := x + 1, ak := a(k-1) + 1 for k <= n.
func chainSource(n int) string {
	var b strings.Builder
	b.WriteString("a1 := x + 1\n")
	for k := 2; k <= n; k++ {
		fmt.Fprintf(&b, "a%d := a%d + 1\n", k, k-1)
	}
	return b.String()
}

// foldChain simplifies a(n) of a chain of n definitions and returns the
// time its result took to fold (every link is a pattern).
func foldChain(t testing.TB, defs *ast.Defs, n int) time.Duration {
	e := ast.NewSym(fmt.Sprintf("a%d", n))
	res, err := Simplify(context.Background(), e, Options{Rules: load.Builtin(), Defs: defs})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ast.String(res.Expr), fmt.Sprintf("x + %d", n); got != want {
		t.Fatalf("a%d simplified to %s, want %s", n, got, want)
	}
	s := New(Options{Rules: load.Builtin(), Defs: defs})
	start := time.Now()
	// Folding a(n)'s body into a(n - 1) + 1 is refused (numbers), so the
	// result stays; what counts is building the n patterns.
	if got := s.FoldContext(context.Background(), res.Canonical, preferred(e, defs), true); got != res.Canonical {
		t.Fatalf("folded to %s", ast.String(got))
	}
	return time.Since(start)
}

// BenchmarkFoldChain: folding into a chain of definitions. Each fold
// starts with an empty cache (the cost of the first fold of a session).
func BenchmarkFoldChain(b *testing.B) {
	for _, n := range []int{1000, 5000, 20000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			defs := parsetest.DefsFrom(b, chainSource(n))
			for b.Loop() {
				ResetCaches()
				foldChain(b, defs, n)
			}
		})
	}
}

// TestFoldChainLinear: the patterns of a chain of 20,000 definitions are
// built in well under a second (the bound is generous, for a loaded
// machine; it took 578 s in the whole command, as each link was opened
// down the whole chain, and then normalised).
func TestFoldChainLinear(t *testing.T) {
	const n = 20000
	defs := parsetest.DefsFrom(t, chainSource(n))
	ResetCaches()
	took := foldChain(t, defs, n)
	t.Logf("%d links: folded in %v", n, took)
	if took > 10*time.Second {
		t.Errorf("folding into %d links took %v", n, took)
	}
}

// refBody is a definition's canonical body for folding as it was computed
// before foldBodies: its body with every definition opened, normalised,
// by a simplifier of its own, with no cache.
func refBody(opt Options) func(*ast.Def) ast.Expr {
	return func(d *ast.Def) ast.Expr {
		b, _ := New(opt).Normalize(context.Background(), d.Body, true)
		return b
	}
}

// randDefs writes a script of random definitions: scalar ones of the
// names before and after them (chains, diamonds, forward references),
// some redefined, a function and an indexed definition (the slow path),
// a definition named like a function's parameter, a sum.
func randDefs(r *rand.Rand) string {
	const names = 9
	var b strings.Builder
	var term func(depth, k int) string
	term = func(depth, k int) string {
		if depth == 0 || r.IntN(4) == 0 {
			switch r.IntN(6) {
			case 0:
				return fmt.Sprint(r.IntN(5) + 1)
			case 1:
				return "x"
			case 2:
				return "y"
			default:
				if k == 0 {
					return "x"
				}
				return fmt.Sprintf("c%d", r.IntN(k))
			}
		}
		a, c := term(depth-1, k), term(depth-1, k)
		switch r.IntN(24) {
		case 0, 1, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23:
			return a + " + " + c
		case 2:
			return "(" + a + ")*(" + c + ")"
		case 3:
			return a + " - " + c
		case 4:
			return "(" + a + ")/(" + c + ")"
		case 5:
			return "(" + a + ")^" + fmt.Sprint(r.IntN(3)+2)
		case 6:
			return "exp(" + a + ")"
		case 7:
			return "sigma(" + a + ")"
		case 8:
			return "f(" + a + ")"
		case 9:
			return "sum(i=1..3, w[i]*(" + a + "))"
		default:
			return "-(" + a + ")"
		}
	}
	// linear is a sum of numbers, names, multiples and earlier names (the
	// fast path's bodies), sometimes with a difference (the slow path's).
	linear := func(k int) string {
		var parts []string
		for range 1 + r.IntN(4) {
			switch r.IntN(7) {
			case 0:
				parts = append(parts, fmt.Sprint(r.IntN(7)-3))
			case 1:
				parts = append(parts, "x")
			case 2:
				parts = append(parts, fmt.Sprintf("%d*y", r.IntN(5)-2))
			default:
				if k == 0 {
					parts = append(parts, "z")
				} else {
					parts = append(parts, fmt.Sprintf("c%d", r.IntN(k)))
				}
			}
		}
		op := " + "
		if r.IntN(8) == 0 {
			op = " - "
		}
		return strings.Join(parts, op)
	}
	b.WriteString("f(u) := u^2 + x*u\n")
	b.WriteString("g(c1) := c1 + y\n") // a parameter named like a definition
	b.WriteString("p[i] := w[i]*x + 1\n")
	// Each name is defined (acyclically) over the names before it only,
	// and some again later, over the names before that.
	for round := range 2 {
		for k := range names {
			if round == 1 && r.IntN(3) > 0 {
				continue
			}
			body := term(3, k)
			if r.IntN(3) > 0 {
				body = linear(k)
			}
			fmt.Fprintf(&b, "c%d := %s\n", k, body)
		}
	}
	return b.String()
}

// TestFoldBodiesAgree: the canonical bodies foldBodies builds (from the
// bodies of the definitions used, for a scalar definition of arithmetic;
// from the cache when the definitions in force are those it was computed
// under) are those of the full expansion, normalised, for every
// definition of random scripts; and the folded results are the same.
// The scripts are simplified in turn with the cache kept, and each is run
// again with one name redefined (the cache must not answer for the old
// definition).
func TestFoldBodiesAgree(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	rs := load.Builtin()
	checked, fast := 0, 0
	for round := range 120 {
		src := randDefs(r)
		defs := parsetest.DefsFrom(t, src)
		for variant := range 2 {
			if variant == 1 {
				// The other definitions stay the same objects: their
				// cached bodies must be checked against the new one.
				re := fmt.Sprintf("c%d := x + %d*y", r.IntN(4), r.IntN(3)+2)
				if err := defs.Define(parsetest.DefsFrom(t, re).All()[0]); err != nil {
					t.Fatal(err)
				}
				src += re + "\n"
			}
			opt := Options{Rules: rs, Defs: defs}
			s := New(opt)
			bodies, ref := s.foldBodies(), refBody(opt)
			for _, d := range defs.All() {
				got, want := bodies(d), ref(d)
				if got != want {
					t.Fatalf("round %d: %s\n%s: body %s, want %s", round, src, d, ast.String(got), ast.String(want))
				}
				checked++
				if _, ok := s.openScalars(d, bodies); ok {
					fast++
				}
			}
			// The folded results: of the last names, and of an
			// expression over them, both as Simplify computes them.
			for _, in := range []string{"c8", "c7", "c8*c6 + exp(c5)", "c4 - c3 + f(c2)"} {
				e := parsetest.MustParse(t, in, defs)
				res, err := Simplify(context.Background(), e, opt)
				if err != nil {
					t.Fatal(err)
				}
				s2 := New(opt)
				pats := s2.foldPatternsWith(context.Background(), preferred(e, defs), refBody(opt))
				if want := s2.foldWith(context.Background(), res.Canonical, pats, isDefinedName(e, s2)); foldedOf(res) != want {
					t.Fatalf("round %d: %s\n%s folded to %s, want %s", round, src, in, ast.String(foldedOf(res)), ast.String(want))
				}
			}
		}
	}
	t.Logf("%d bodies, %d by the fast path", checked, fast)
	if fast < checked/4 {
		t.Errorf("only %d of %d bodies took the fast path: the test does not test it", fast, checked)
	}
}

// foldedOf is a result's canonical form as folding left it.
func foldedOf(res *Result) ast.Expr {
	for _, st := range res.Trace {
		if st.Rule == PassFoldDefs {
			return st.After
		}
	}
	return res.Canonical
}

// TestFoldStopsAtDeadline: building the patterns of many definitions
// whose bodies take the slow path (each a product, its normal form a
// polynomial as long as the chain) stops at the deadline: the fold
// looked at no context while building them (3,000 links stopped 32 s
// after --timeout 1s).
func TestFoldStopsAtDeadline(t *testing.T) {
	const n = 6000
	var b strings.Builder
	b.WriteString("b1 := x*y + 1\n")
	for k := 2; k <= n; k++ {
		fmt.Fprintf(&b, "b%d := b%d*x + y%d\n", k, k-1, k)
	}
	defs := parsetest.DefsFrom(t, b.String())
	e := ast.NewSym(fmt.Sprintf("b%d", n))
	prefer := preferred(e, defs)
	const limit = 50 * time.Millisecond
	ResetCaches()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	s := New(Options{Rules: load.Builtin(), Defs: defs})
	// s.ctx stays Background: FoldContext stops with its own ctx (Display folds
	// with another than the simplification's).
	in := ast.NewAdd(ast.NewSym("x"), ast.NewSym("z"))
	var got ast.Expr
	took := parsetest.MeasureStop(func() { got = s.FoldContext(ctx, in, prefer, false) })
	t.Logf("stopped after %v", took)
	if got != in {
		t.Errorf("folded to %s", ast.String(got))
	}
	if late := took.Late(limit); late != "" {
		t.Errorf("stopped late: %s", late)
	}
}

// TestFoldPatternsCancelled: with its context done, building the
// patterns normalises no definition's body (the simplifier's own context
// live: Display folds with another), and the control, live, normalises
// them.
func TestFoldPatternsCancelled(t *testing.T) {
	defs := parsetest.DefsFrom(t, "b1 := x*y + 1\nb2 := b1*x + y\nb3 := b2*x + exp(y)\n")
	prefer := preferred(ast.NewSym("b3"), defs)
	for _, cancelled := range []bool{false, true} {
		ResetCaches()
		ctx, cancel := context.WithCancel(context.Background())
		if cancelled {
			cancel()
		}
		s := New(Options{Rules: load.Builtin(), Defs: defs})
		before := Normalizations.Load()
		pats := s.foldPatterns(ctx, prefer)
		runs := Normalizations.Load() - before
		if cancelled && (len(pats) != 0 || runs != 0) {
			t.Errorf("cancelled: %d patterns, %d normalisations", len(pats), runs)
		}
		if !cancelled && (len(pats) != 3 || runs < 3) {
			t.Errorf("live: %d patterns, %d normalisations; want 3 and 3", len(pats), runs)
		}
		cancel()
	}
}
