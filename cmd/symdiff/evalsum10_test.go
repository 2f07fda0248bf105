package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
)

// needMpmath returns python3 where it has mpmath; otherwise the test is
// skipped loudly, or fails under SYMDIFF_REQUIRE_TOOLS=1.
func needMpmath(t *testing.T) string {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err == nil {
		err = exec.Command(py, "-c", "import mpmath").Run()
	}
	if err != nil {
		if os.Getenv("SYMDIFF_REQUIRE_TOOLS") == "1" {
			t.Fatalf("python3 with mpmath is missing (%v), and SYMDIFF_REQUIRE_TOOLS=1 requires it", err)
		}
		t.Skipf("SKIPPED: python3 with mpmath is missing (%v): install it, or set SYMDIFF_REQUIRE_TOOLS=1 to make this a failure", err)
	}
	return py
}

// runMpmath runs src, which prints one value a line, and returns them.
func runMpmath(t *testing.T, py, src string, want int) []string {
	t.Helper()
	out, err := exec.Command(py, "-c", src).CombinedOutput()
	if err != nil {
		t.Fatalf("mpmath: %v: %s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != want {
		t.Fatalf("mpmath gave %d values for %d expressions: %s", len(lines), want, out)
	}
	return lines
}

// sumJumpForms are bodies of a sum in the index i (symdiff's syntax and
// Python's, i an mpf there) with a jump or a kink whose argument is
// exactly 0 at some index values, where float64 may put it off 0
// (sqrt(2)^2 - 2 is 4.4e-16 in float64) or find it 0 (i^2 - 4 at i = 2).
// x is bound to a whole number within the sum's range.
var sumJumpForms = []kinkTerm{
	{"step(@^2 - 4)", "step(@**2 - 4)"},
	{"sign(@^2 - 9)", "sign(@**2 - 9)"},
	{"sign(sqrt(@)^2 - @)", "sign(sqrt(@)**2 - @)"},
	{"step(sqrt(@)^2 - @)", "step(sqrt(@)**2 - @)"},
	{"step(@ - sqrt(@)^2)", "step(@ - sqrt(@)**2)"},
	{"step(log(exp(@)) - @)", "step(log(exp(@)) - @)"},
	{"sign(sqrt(3*@)*sqrt(3*@) - 3*@)", "sign(sqrt(3*@)*sqrt(3*@) - 3*@)"},
	{"if(sqrt(@)^2 > @, 3, -2)", "(3 if gt(sqrt(@)**2, @) else -2)"},
	{"if(sqrt(@)^2 >= @, 5, 1)", "(5 if ge(sqrt(@)**2, @) else 1)"},
	{"if(@ == x, 4, 0)", "(4 if @ == x else 0)"},
	{"abs(x - @)", "fabs(x - @)"},
	{"abs(x - sqrt(@)^2)", "fabs(x - sqrt(@)**2)"},
	{"relu(sqrt(@)^2 - @)*2^60", "relu(sqrt(@)**2 - @)*2**60"},
	{"(max(sqrt(@)^2, @) - @)*2^60", "(max(sqrt(@)**2, @) - @)*2**60"},
	{"1/@", "1/@"},
}

// The Python side decides a jump at a tie tolerance of 1e-60: at 80
// digits an argument that is 0 in fact (sqrt(2)**2 - 2) is within 1e-78 of
// 0, and the nonzero ones here are far from it (of small integers).
const sumJumpPrelude = `
from mpmath import mp, mpf, exp, log, sqrt, fabs
mp.dps = 80
tol = mpf(10)**-60
def sign(u): return mpf(0) if fabs(u) < tol else (mpf(1) if u > 0 else mpf(-1))
def step(u): return mpf(1) if u > tol else mpf(0)
def relu(u): return u if u > tol else mpf(0)
def gt(a, b): return a - b > tol
def ge(a, b): return a - b > -tol
def fsum_(f, lo, hi): return sum((f(mpf(i)) for i in range(lo, hi + 1)), mpf(0))
`

// A sumJumpCase is a random sum with its evaluations: eval as written, at
// a size bound by value, through a definition, and as a derivative.
type sumJumpCase struct {
	sd, py string // the sum, in symdiff's syntax and Python's
	hi, x  int
	nested bool
}

func randomSumJumps(r *rand.Rand, n int) []sumJumpCase {
	var cs []sumJumpCase
	for range n {
		c := sumJumpCase{hi: 2 + r.IntN(5)}
		c.x = 1 + r.IntN(c.hi)
		var sd, py []string
		for range 1 + r.IntN(2) {
			f := sumJumpForms[r.IntN(len(sumJumpForms))]
			k := 1 + r.IntN(3)
			sd = append(sd, fmt.Sprintf("%d*%s", k, f.sd))
			py = append(py, fmt.Sprintf("%d*%s", k, f.py))
		}
		body, pybody := strings.Join(sd, " + "), strings.Join(py, " + ")
		if r.IntN(4) == 0 {
			// Nested: the inner index runs to the outer one, and the
			// body reads both (i*j in place of the index).
			c.nested = true
			c.sd = fmt.Sprintf("sum(i=1..n, sum(j=1..i, %s))", strings.ReplaceAll(body, "@", "(i*j)"))
			c.py = fmt.Sprintf("fsum_(lambda i: fsum_(lambda j: %s, 1, int(i)), 1, %d)", strings.ReplaceAll(pybody, "@", "(i*j)"), c.hi)
		} else {
			c.sd = fmt.Sprintf("sum(i=1..n, %s)", strings.ReplaceAll(body, "@", "i"))
			c.py = fmt.Sprintf("fsum_(lambda i: %s, 1, %d)", strings.ReplaceAll(pybody, "@", "i"), c.hi)
		}
		cs = append(cs, c)
	}
	return cs
}

// TestEvalSumJumpOracle: a jump inside a sum took float64's side at each
// index value: sum(i=1..3, step(sqrt(2)^2 - 2)) printed 3, where each
// term is step(0) = 0. Random sums whose bodies have jumps and kinks at
// exact zeros, at some index values only, are evaluated by eval (as
// written with n bound, with the bound put in, through a definition, and
// as the derivative d(t*S, t)) and by mpmath at 80 digits: each answer is
// mpmath's value or an honest refusal (exit 2, "cannot be decided"), and
// most get a value.
func TestEvalSumJumpOracle(t *testing.T) {
	py := needMpmath(t)
	n := 60
	if testing.Short() {
		n = 20
	}
	cs := randomSumJumps(rand.New(rand.NewPCG(10, 2026)), n)
	var src strings.Builder
	src.WriteString(sumJumpPrelude)
	for _, c := range cs {
		fmt.Fprintf(&src, "x = mpf(%d)\nprint(mp.nstr(%s, 25))\n", c.x, c.py)
	}
	lines := runMpmath(t, py, src.String(), len(cs))
	dir := t.TempDir()
	values, refused, wrongBefore := 0, 0, 0
	for k, c := range cs {
		want, err := strconv.ParseFloat(lines[k], 64)
		if err != nil {
			t.Fatalf("mpmath value %q: %v", lines[k], err)
		}
		defs := filepath.Join(dir, fmt.Sprintf("d%d.sd", k))
		if err := os.WriteFile(defs, []byte(fmt.Sprintf("F(n, x) := %s\n", c.sd)), 0o644); err != nil {
			t.Fatal(err)
		}
		xs, ns := fmt.Sprintf("x=%d", c.x), fmt.Sprintf("n=%d", c.hi)
		for _, args := range [][]string{
			{"eval", c.sd, ns, xs},
			{"eval", strings.Replace(c.sd, "..n", fmt.Sprintf("..%d", c.hi), 1), xs},
			{"eval", "--defs", defs, fmt.Sprintf("F(%d, x)", c.hi), xs},
			{"eval", "d(t*" + c.sd + ", t)", ns, xs, "t=1"},
		} {
			// The check has a budget in wall time (20 times float64's, at
			// least 0.1 s), past which float64's value stands: on a loaded
			// machine a wrong value is tried twice more before it counts.
			var stdout, stderr string
			var status int
			var got float64
			bad := true
			for try := 0; try < 3 && bad; try++ {
				stdout, stderr, status = runMain(t, args...)
				if status == 2 && strings.Contains(stderr, "cannot be decided") {
					break
				}
				var perr error
				got, perr = strconv.ParseFloat(strings.TrimSpace(stdout), 64)
				bad = status != 0 || perr != nil || math.Abs(got-want) > 1e-12*math.Max(1, math.Abs(want))
			}
			switch {
			case status == 2 && strings.Contains(stderr, "cannot be decided"):
				refused++
			case bad:
				t.Errorf("%q: status %d, stdout %q, stderr %q; mpmath %v", args, status, stdout, stderr, want)
			default:
				values++
			}
		}
		// How many float64 alone gets wrong: the corpus must exercise
		// the check, not only sums that float64 already gets right.
		if f, err := floatSum(c); err == nil && math.Abs(f-want) > 1e-12*math.Max(1, math.Abs(want)) {
			wrongBefore++
		}
	}
	t.Logf("%d values, %d refusals; float64 alone is wrong on %d of %d sums", values, refused, wrongBefore, len(cs))
	if wrongBefore < len(cs)/5 {
		t.Errorf("float64 alone is wrong on only %d of %d sums: the corpus does not test the check", wrongBefore, len(cs))
	}
	if values < 4*len(cs)/3 {
		t.Errorf("only %d of %d evaluations got a value", values, 4*len(cs))
	}
}

// floatSum is c as float64 evaluates it, without any check: the answer
// eval gave before the check reached sums.
func floatSum(c sumJumpCase) (float64, error) {
	e, err := parser.ParseExpr(c.sd, nil)
	if err != nil {
		return 0, err
	}
	return ast.Eval(e, nil, ast.Bindings{"n": ast.Scalar(float64(c.hi)), "x": ast.Scalar(float64(c.x))})
}

// TestEvalTrigHugeExactOracle: sin and cos of an exact argument beyond
// what the evaluation's precision holds (cos(3^4096): 6,492 bits) said the
// value rests on rounding, and past 2^31744 gave float64's "cos(+Inf) is
// undefined". Random exact integers and rationals, from 2^60 to the
// bound, are evaluated by eval and by mpmath with enough digits for the
// argument's integer part and 40 more; past the bound eval says the
// argument is too large to reduce, with the bound, and exits 2.
func TestEvalTrigHugeExactOracle(t *testing.T) {
	py := needMpmath(t)
	r := rand.New(rand.NewPCG(10, 31744))
	n := 24
	if testing.Short() {
		n = 10
	}
	type trigCase struct {
		sd, py string
		bits   int // about the argument's size
	}
	var cs []trigCase
	for k := range n {
		fn := []string{"sin", "cos"}[r.IntN(2)]
		base := []int{2, 3, 5, 7, 10}[r.IntN(5)]
		bits := 60 + r.IntN(31600)
		if k%6 == 5 {
			bits = 31745 + r.IntN(2000) // past the bound
		}
		e := int(float64(bits) / math.Log2(float64(base)))
		den, off := 1+r.IntN(30), r.IntN(9)-4
		sign := []string{"", "-"}[r.IntN(2)]
		cs = append(cs, trigCase{
			sd:   fmt.Sprintf("%s(%s%d^%d/%d + %d/7)", fn, sign, base, e, den, off),
			py:   fmt.Sprintf("%s(%smpf(%d)**%d/%d + mpf(%d)/7)", fn, sign, base, e, den, off),
			bits: bits,
		})
	}
	cs = append(cs, trigCase{"cos(3^(2^12))", "cos(mpf(3)**4096)", 6492},
		trigCase{"sum(i=1..2, cos(3^(2^11*i)))", "cos(mpf(3)**2048) + cos(mpf(3)**4096)", 6492},
		trigCase{"cos(3^(2^17))", "0", 207745})
	var src strings.Builder
	src.WriteString("from mpmath import mp, mpf, sin, cos\n")
	for _, c := range cs {
		fmt.Fprintf(&src, "mp.dps = %d\nprint(mp.nstr(%s, 25))\n", int(float64(c.bits)*0.302)+60, c.py)
	}
	lines := runMpmath(t, py, src.String(), len(cs))
	values, beyond := 0, 0
	for k, c := range cs {
		stdout, stderr, status := runMain(t, "eval", c.sd)
		if c.bits > 31744 {
			want := "is too large to reduce modulo π (the bound is 2^31744, about 7.87e9555)"
			if status != 2 || !strings.Contains(stderr, want) || stdout != "" {
				t.Errorf("eval %q: status %d, stdout %q, stderr %q; want exit 2 saying %q", c.sd, status, stdout, stderr, want)
			}
			beyond++
			continue
		}
		want, err := strconv.ParseFloat(lines[k], 64)
		if err != nil {
			t.Fatalf("mpmath value %q: %v", lines[k], err)
		}
		got, perr := strconv.ParseFloat(strings.TrimSpace(stdout), 64)
		if status != 0 || perr != nil || math.Abs(got-want) > 1e-14*math.Max(1e-3, math.Abs(want)) {
			t.Errorf("eval %q: status %d, stdout %q, stderr %q; mpmath %v", c.sd, status, stdout, stderr, want)
			continue
		}
		values++
	}
	t.Logf("%d values, %d past the bound", values, beyond)
}
