package session

import (
	"context"
	"math"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/simplify/prove"
)

// A proof holds where both sides are defined. When the sides are defined
// at different points (x/x == 1 at x = 0, log(x*y) == log(x) + log(y) at
// x = y = -1), a proof that says nothing more is read as an identity
// wherever either side has a value: the proof must state a condition.
// The oracle is the test's own: claims are built from a small grammar whose
// terms the test evaluates in float64 itself, and a point counts where one
// side is finite and the other has no value.

// dterm is a term of the test's grammar: its text and its value, NaN where
// it has none.
type dterm struct {
	src string
	f   func(x, y float64) float64
}

// defined reports whether v is a value (an overflow to ±Inf is a value the
// test cannot judge, so is not counted either way).
func defined(v float64) bool { return !math.IsNaN(v) }

func dlog(v float64) float64 {
	if v <= 0 {
		return math.NaN()
	}
	return math.Log(v)
}

func dsqrt(v float64) float64 {
	if v < 0 {
		return math.NaN()
	}
	return math.Sqrt(v)
}

func ddiv(a, b float64) float64 {
	if b == 0 {
		return math.NaN()
	}
	return a / b
}

var domainAtoms = []dterm{
	{"x", func(x, y float64) float64 { return x }},
	{"y", func(x, y float64) float64 { return y }},
	{"(x + 1)", func(x, y float64) float64 { return x + 1 }},
	{"(2*x - y)", func(x, y float64) float64 { return 2*x - y }},
	{"(x*y)", func(x, y float64) float64 { return x * y }},
	{"exp(x)", func(x, y float64) float64 { return math.Exp(x) }},
	{"(x^2 + 1)", func(x, y float64) float64 { return x*x + 1 }},
	{"(-x)", func(x, y float64) float64 { return -x }},
	{"(1 - x^2)", func(x, y float64) float64 { return 1 - x*x }},
	{"sin(x)", func(x, y float64) float64 { return math.Sin(x) }},
	{"(y - 3)", func(x, y float64) float64 { return y - 3 }},
}

// domainTemplates are claims true wherever both sides are defined, some of
// them with sides defined at different points; A and B are terms.
var domainTemplates = []struct {
	src  string
	l, r func(a, b float64) float64
}{
	{"A/A == 1", func(a, b float64) float64 { return ddiv(a, a) }, func(a, b float64) float64 { return 1 }},
	{"A*B/B == A", func(a, b float64) float64 { return ddiv(a*b, b) }, func(a, b float64) float64 { return a }},
	{"sqrt(A)^2 == A", func(a, b float64) float64 { s := dsqrt(a); return s * s }, func(a, b float64) float64 { return a }},
	{"log(A*B) == log(A) + log(B)", func(a, b float64) float64 { return dlog(a * b) }, func(a, b float64) float64 { return dlog(a) + dlog(b) }},
	{"exp(log(A)) == A", func(a, b float64) float64 { return math.Exp(dlog(a)) }, func(a, b float64) float64 { return a }},
	{"log(A^2) == 2*log(A)", func(a, b float64) float64 { return dlog(a * a) }, func(a, b float64) float64 { return 2 * dlog(a) }},
	{"sqrt(A*B) == sqrt(A)*sqrt(B)", func(a, b float64) float64 { return dsqrt(a * b) }, func(a, b float64) float64 { return dsqrt(a) * dsqrt(b) }},
	{"log(A/B) == log(A) - log(B)", func(a, b float64) float64 { return dlog(ddiv(a, b)) }, func(a, b float64) float64 { return dlog(a) - dlog(b) }},
	{"1/(1/A) == A", func(a, b float64) float64 { return ddiv(1, ddiv(1, a)) }, func(a, b float64) float64 { return a }},
	{"A + B - B == A", func(a, b float64) float64 { return a + b - b }, func(a, b float64) float64 { return a }},
	{"sqrt(A^2) == abs(A)", func(a, b float64) float64 { return dsqrt(a * a) }, func(a, b float64) float64 { return math.Abs(a) }},
}

// domainPoints are the test's sample points: a grid with the points where
// the atoms vanish or change sign, and some far from 0.
func domainPoints() [][2]float64 {
	vals := []float64{0, 1, -1, 2, -2, 3, -3, 0.5, -0.5, 1.5, -1.5, 10, -10, 1e3, -1e3, 0.001, -0.001}
	var pts [][2]float64
	for _, x := range vals {
		for _, y := range vals {
			pts = append(pts, [2]float64{x, y})
		}
	}
	return pts
}

var notePoint = regexp.MustCompile(`^where both sides are defined: at (.*) the (left|right) side is undefined`)

func TestProofStatesWhereSidesAreDefined(t *testing.T) {
	rng := rand.New(rand.NewPCG(35, 11))
	pts := domainPoints()
	differing, stated := 0, 0
	for trial := 0; trial < 60; trial++ {
		tp := domainTemplates[trial%len(domainTemplates)]
		a, b := domainAtoms[rng.IntN(len(domainAtoms))], domainAtoms[rng.IntN(len(domainAtoms))]
		if a.src == b.src {
			continue
		}
		src := strings.NewReplacer("A", a.src, "B", b.src).Replace(tp.src)
		left := func(x, y float64) float64 { return tp.l(a.f(x, y), b.f(x, y)) }
		right := func(x, y float64) float64 { return tp.r(a.f(x, y), b.f(x, y)) }
		t.Run(src, func(t *testing.T) {
			s := New()
			ea, eb := claimSides(t, src)
			p, err := s.Prove(context.Background(), ea, eb)
			if err != nil {
				t.Fatalf("prove %s: %v", src, err)
			}
			if p.Verdict == prove.Refuted {
				t.Fatalf("prove %s: refuted (at %s), but it holds wherever both sides are defined", src, p.Counter.Point())
			}
			if p.Verdict != prove.Proved {
				return // nothing claimed
			}
			notes := Assumed(p.Trace)
			if p.Where != "" {
				notes = append(notes, p.Where)
			}
			differ := false
			for _, pt := range pts {
				if math.Abs(pt[0]) > 700 && strings.Contains(src, "exp") {
					continue // exp overflows or underflows in float64: not judged
				}
				l, r := left(pt[0], pt[1]), right(pt[0], pt[1])
				if defined(l) != defined(r) && !math.IsInf(l, 0) && !math.IsInf(r, 0) {
					differ = true
				}
				if defined(l) && defined(r) && !math.IsInf(l, 0) && !math.IsInf(r, 0) {
					if math.Abs(l-r) > 1e-9*math.Max(1, math.Max(math.Abs(l), math.Abs(r))) {
						t.Errorf("proved %s, but at x=%g y=%g the sides are %g and %g", src, pt[0], pt[1], l, r)
					}
					// Each stated condition holds wherever both sides are
					// defined: it narrows nothing that was claimed.
					for _, n := range notes {
						checkCondition(t, src, n, pt)
					}
				}
			}
			// A named point is one where the named side has no value and
			// the other has one.
			for _, n := range notes {
				m := notePoint.FindStringSubmatch(n)
				if m == nil {
					continue
				}
				x, y := pointValues(t, m[1])
				l, r := left(x, y), right(x, y)
				undef, other := l, r
				if m[2] == "right" {
					undef, other = r, l
				}
				if defined(undef) || !defined(other) {
					t.Errorf("prove %s: note %q, but the test finds left %g and right %g there", src, n, l, r)
				}
			}
			if differ {
				differing++
				if len(notes) == 0 {
					t.Errorf("proved %s with no condition, but its sides are defined at different points (the test's grid)", src)
				} else {
					stated++
				}
			}
		})
	}
	if differing < 20 {
		t.Errorf("only %d claims had sides defined at different points: the test checks too little", differing)
	}
	t.Logf("%d proved claims with sides defined at different points, %d with a condition stated", differing, stated)
}

func claimSides(t *testing.T, src string) (ast.Expr, ast.Expr) {
	t.Helper()
	l, r, ok := strings.Cut(src, " == ")
	if !ok {
		t.Fatalf("%s: no ==", src)
	}
	a, err := parser.ParseExpr(l, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := parser.ParseExpr(r, nil)
	if err != nil {
		t.Fatal(err)
	}
	return a, b
}

// pointValues reads "x=0 y=-1" (a name not given is 0: it does not occur).
func pointValues(t *testing.T, s string) (x, y float64) {
	t.Helper()
	for _, f := range strings.Fields(s) {
		name, v, ok := strings.Cut(f, "=")
		if !ok {
			t.Fatalf("point %q: %q is not name=value", s, f)
		}
		n, err := strconv.ParseFloat(v, 64)
		if err != nil {
			t.Fatalf("point %q: %v", s, err)
		}
		switch name {
		case "x":
			x = n
		case "y":
			y = n
		default:
			t.Fatalf("point %q: unknown name %s", s, name)
		}
	}
	return x, y
}

var noteCond = regexp.MustCompile(`^where (.*) (>|>=) 0, for the sides to be defined$`)

// checkCondition checks a "where u > 0" note at pt, a point where both
// sides are defined. u is evaluated by the engine's evaluator: the
// condition's text is the engine's, but whether both sides are defined at
// pt is the test's.
func checkCondition(t *testing.T, claim, note string, pt [2]float64) {
	t.Helper()
	m := noteCond.FindStringSubmatch(note)
	if m == nil {
		return
	}
	u, err := parser.ParseExpr(m[1], nil)
	if err != nil {
		t.Fatalf("%s: note %q: %v", claim, note, err)
	}
	v, err := ast.Eval(u, nil, ast.Bindings{"x": ast.Scalar(pt[0]), "y": ast.Scalar(pt[1])})
	if err != nil {
		return
	}
	if v < 0 || v == 0 && m[2] == ">" {
		t.Errorf("%s: note %q fails at x=%g y=%g (u = %g), where both sides are defined", claim, note, pt[0], pt[1], v)
	}
}
