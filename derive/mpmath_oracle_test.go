package derive_test

import (
	"bufio"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/derive"
	"github.com/symdiff/symdiff/simplify"
)

// oracleTerm is one random expression in symdiff's syntax and in Python's
// (for mpmath, with the helpers of oracleScript).
type oracleTerm struct{ sd, py string }

// oracleGen builds expressions in x and y from the compositions users
// type in losses: kinks (abs, relu, max, min, if), fractional, negative
// and symbolic exponents, and log/sqrt/tanh/sigma/softplus chains.
type oracleGen struct{ rng *rand.Rand }

func (g *oracleGen) leaf() oracleTerm {
	switch r := g.rng.IntN(8); {
	case r < 4:
		return oracleTerm{"x", "x"}
	case r < 5:
		return oracleTerm{"y", "y"}
	case r < 6:
		return oracleTerm{"(1/2)", "(mpf(1)/2)"}
	}
	k := []string{"2", "3", "7", "1000"}[g.rng.IntN(4)]
	return oracleTerm{k, "mpf(" + k + ")"}
}

func (g *oracleGen) expr(depth int) oracleTerm {
	if depth <= 0 {
		return g.leaf()
	}
	a := g.expr(depth - 1)
	un := func(sd, py string) oracleTerm { return oracleTerm{sd + "(" + a.sd + ")", py + "(" + a.py + ")"} }
	switch g.rng.IntN(16) {
	case 0:
		return un("exp", "exp")
	case 1:
		return un("log", "log_")
	case 2:
		return un("sqrt", "sqrt_")
	case 3:
		return un("sigma", "sigma")
	case 4:
		return un("softplus", "softplus")
	case 5:
		return un("tanh", "tanh")
	case 6:
		return un("abs", "fabs")
	case 7:
		return un("relu", "relu")
	case 8:
		return oracleTerm{"(-" + a.sd + ")", "(-" + a.py + ")"}
	case 9:
		// Integer, fractional, negative and symbolic exponents.
		e := [][2]string{{"2", "2"}, {"3", "3"}, {"(-1)", "-1"}, {"(-2)", "-2"},
			{"(1/3)", "(mpf(1)/3)"}, {"(2/3)", "(mpf(2)/3)"}, {"(-3/2)", "(mpf(-3)/2)"}, {"y", "y"}, {"x", "x"}}[g.rng.IntN(9)]
		if !strings.ContainsAny(e[1], "/xy") {
			return oracleTerm{"(" + a.sd + ")^" + e[0], "ipow(" + a.py + ", " + e[1] + ")"}
		}
		return oracleTerm{"(" + a.sd + ")^" + e[0], "powr(" + a.py + ", " + e[1] + ")"}
	}
	b := g.expr(depth - 1)
	switch g.rng.IntN(7) {
	case 0:
		return oracleTerm{"(" + a.sd + " + " + b.sd + ")", "(" + a.py + " + " + b.py + ")"}
	case 1:
		return oracleTerm{"(" + a.sd + " - " + b.sd + ")", "(" + a.py + " - " + b.py + ")"}
	case 2:
		return oracleTerm{"(" + a.sd + " * " + b.sd + ")", "(" + a.py + " * " + b.py + ")"}
	case 3:
		return oracleTerm{"(" + a.sd + " / " + b.sd + ")", "div(" + a.py + ", " + b.py + ")"}
	case 4:
		return oracleTerm{"max(" + a.sd + ", " + b.sd + ")", "max(" + a.py + ", " + b.py + ")"}
	case 5:
		return oracleTerm{"min(" + a.sd + ", " + b.sd + ")", "min(" + a.py + ", " + b.py + ")"}
	}
	return oracleTerm{"if(" + a.sd + " > " + b.sd + ", " + b.sd + ", " + a.sd + ")",
		"(" + b.py + " if " + a.py + " > " + b.py + " else " + a.py + ")"}
}

// oracleScript reads lines {"py": ..., "x": ..., "y": ...} and answers
// each with the derivative in x at 80 digits, or "skip" where the function
// is undefined or not smooth near the point (the one-sided differences at
// two step sizes disagree) or the derivative is too small to resolve.
const oracleScript = `
import sys, json
import mpmath as m
m.mp.dps = 80
def exp_(v):
    if abs(v) > 10**5: raise ValueError  # beyond float64 either way; mpmath would take long
    return m.exp(v)
def relu(v): return v if v > 0 else m.mpf(0)
def sigma(v): return 1/(1 + exp_(-v)) if v > -10**5 else m.mpf(0)
def softplus(v): return m.log(1 + exp_(v)) if v < 10**5 else v
def powr(a, b):
    if a < 0 or (a == 0 and b <= 0): raise ValueError
    return a**b
def ipow(a, n):
    if a == 0 and n < 0: raise ValueError
    return a**n
def sqrt_(v):
    if v < 0: raise ValueError
    return m.sqrt(v)
def log_(v):
    if v <= 0: raise ValueError
    return m.log(v)
def div(a, b):
    if b == 0: raise ValueError
    return a/b
env = dict(relu=relu, sigma=sigma, softplus=softplus, powr=powr, ipow=ipow, sqrt_=sqrt_,
           log_=log_, div=div, exp=exp_, tanh=m.tanh, fabs=abs, mpf=m.mpf)
for line in sys.stdin:
    q = json.loads(line)
    x, y = m.mpf(float(q["x"])), m.mpf(float(q["y"]))
    f = lambda t: eval(q["py"], dict(env, x=t, y=y))
    try:
        v0 = f(x)
        h = m.mpf(10)**-25 * max(1, abs(x))
        d = []
        for s in (h, 1000*h):
            d.append((v0 - f(x - s))/s)
            d.append((f(x + s) - v0)/s)
    except (ValueError, ZeroDivisionError, OverflowError):
        print("skip"); continue
    if all(a == 0 for a in d):
        print("0"); continue  # constant near the point (a flat branch)
    # The differences lose about 55 digits of |f|: a derivative below
    # that is the oracle's noise, and is not checked.
    if abs(d[0]) < m.mpf(10)**-45 * (1 + abs(v0)) or any(abs(a - d[0]) > m.mpf(10)**-12 * abs(d[0]) for a in d):
        print("skip"); continue
    print(m.nstr((d[0] + d[1])/2, 25))
`

// runOracle runs oracleScript over the queries, or skips the test (fails
// it under SYMDIFF_REQUIRE_TOOLS=1) when python3 with mpmath is missing.
func runOracle(t *testing.T, queries []map[string]string) []string {
	t.Helper()
	if err := exec.Command("python3", "-c", "import mpmath").Run(); err != nil {
		if os.Getenv("SYMDIFF_REQUIRE_TOOLS") == "1" {
			t.Fatalf("python3 with mpmath is missing (%v), and SYMDIFF_REQUIRE_TOOLS=1 requires it", err)
		}
		t.Skipf("SKIPPED: python3 with mpmath is missing (%v): install it, or set SYMDIFF_REQUIRE_TOOLS=1 to make this a failure", err)
	}
	var in strings.Builder
	for _, q := range queries {
		b, err := json.Marshal(q)
		if err != nil {
			t.Fatal(err)
		}
		in.Write(b)
		in.WriteByte('\n')
	}
	cmd := exec.Command("python3", "-c", oracleScript)
	cmd.Stdin = strings.NewReader(in.String())
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("the mpmath oracle failed: %v", err)
	}
	var lines []string
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if len(lines) != len(queries) {
		t.Fatalf("the mpmath oracle answered %d of %d queries", len(lines), len(queries))
	}
	return lines
}

// TestDerivMpmathOracle differentiates random compositions of kinks,
// powers with fractional, negative and symbolic exponents and
// log/sqrt/tanh/sigma/softplus chains, simplifies, and evaluates the
// derivative at 256 bits at points near 0 and far from it (|x| up to
// 2e8); mpmath's
// one-sided differences at 80 digits are the oracle, where they show the
// function smooth.
func TestDerivMpmathOracle(t *testing.T) {
	n := 400
	if testing.Short() {
		n = 100
	}
	g := &oracleGen{rng: rand.New(rand.NewPCG(11, 35))}
	xs := []float64{1e-7, -3e-5, 0.3, -0.7, 1.7, -2.5, 1234.5, -56789.25, 3e7, -2e8}
	ys := []float64{0.625, 2.5, -1.5}
	type row struct {
		src, d string
		x, y   float64
		got    float64
	}
	var rows []row
	var queries []map[string]string
	undef := 0
	for k := 0; k < n; k++ {
		e := g.expr(1 + g.rng.IntN(3))
		src := mustParse(t, e.sd, nil)
		raw, err := derive.D(bg, src, ast.NewSym("x"), derive.Options{Rules: builtin})
		if err != nil {
			t.Fatalf("D(%s, x): %v", e.sd, err)
		}
		res, err := simplify.Simplify(bg, raw, simplify.Options{Rules: builtin})
		if err != nil {
			t.Fatalf("Simplify(%s): %v", ast.String(raw), err)
		}
		for _, i := range g.rng.Perm(len(xs))[:3] {
			x, y := xs[i], ys[g.rng.IntN(len(ys))]
			b := ast.Bindings{"x": ast.Scalar(x), "y": ast.Scalar(y)}
			if v, err := ast.Eval(src, nil, b); err != nil || math.IsInf(v, 0) {
				continue
			}
			// At 256 bits: the float64 evaluation of a right formula can
			// cancel (1 - tanh(log(x))^2 at x = 1e-7); eval does the same.
			gotBig, err := ast.EvalBig(bg, res.Expr, nil, b, 256)
			var got float64
			if err == nil {
				got, _ = gotBig.Float64()
			}
			if err != nil || gotBig.IsInf() {
				undef++ // over- or underflow on the way; the oracle decides below whether it matters
				got = math.NaN()
			}
			rows = append(rows, row{e.sd, ast.String(res.Expr), x, y, got})
			queries = append(queries, map[string]string{"py": e.py, "x": strconv.FormatFloat(x, 'g', -1, 64), "y": strconv.FormatFloat(y, 'g', -1, 64)})
		}
	}
	answers := runOracle(t, queries)
	checked, unevaluated := 0, 0
	for i, r := range rows {
		if answers[i] == "skip" {
			continue
		}
		want, err := strconv.ParseFloat(answers[i], 64)
		if err != nil {
			// Out of float64's range: a value that float64 cannot hold.
			continue
		}
		if math.IsInf(want, 0) || (want != 0 && math.Abs(want) < 1e-250) {
			continue
		}
		if math.IsNaN(r.got) {
			unevaluated++
			continue
		}
		checked++
		if !near(r.got, want, 1e-7, 1e-30) {
			t.Errorf("d(%s, x) = %s is %.15g at x=%g y=%g; mpmath: %s", r.src, r.d, r.got, r.x, r.y, answers[i])
		}
	}
	t.Logf("%d expressions, %d points checked against mpmath, %d where the derivative did not evaluate (%d before the oracle)", n, checked, unevaluated, undef)
	if checked < len(rows)/3 {
		t.Errorf("only %d of %d points were checked", checked, len(rows))
	}
	if unevaluated > checked/20 {
		t.Errorf("%d points where the derivative did not evaluate, of %d checked", unevaluated, checked)
	}
}
