package main

import (
	"fmt"
	"math"
	"math/big"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
)

// mpmathTable evaluates each function of one argument at each argument
// with mpmath, and returns, per "name arg", "val M E" (the value is
// M*10^E, M to 17 digits), "zero", or "undef" (outside the domain).
func mpmathTable(t *testing.T, names, args []string) map[string][]string {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err == nil {
		err = exec.Command(py, "-c", "import mpmath").Run()
	}
	if err != nil {
		// .ci/run installs python3-sympy, which brings mpmath.
		if os.Getenv("SYMDIFF_REQUIRE_TOOLS") == "1" {
			t.Fatalf("python3 with mpmath is missing (%v), and SYMDIFF_REQUIRE_TOOLS=1 requires it", err)
		}
		t.Skipf("SKIPPED: python3 with mpmath is missing (%v): install it, or set SYMDIFF_REQUIRE_TOOLS=1 to make this a failure", err)
	}
	src := `
import sys
from mpmath import mp, mpf
mp.dps = 40
fns = {
  'exp': mp.exp, 'log': mp.log, 'sqrt': mp.sqrt, 'sigma': lambda u: 1/(1 + mp.exp(-u)),
  'softplus': lambda u: mp.log1p(mp.exp(u)) if u < 0 else u + mp.log1p(mp.exp(-u)),
  'tanh': mp.tanh, 'cosh': mp.cosh, 'sinh': mp.sinh, 'sin': mp.sin, 'cos': mp.cos,
  'Phi': mp.ncdf, 'phi': mp.npdf, 'abs': abs, 'sign': mp.sign,
  'step': lambda u: mpf(1) if u > 0 else mpf(0), 'relu': lambda u: u if u > 0 else mpf(0),
}
for name in sys.argv[1].split(','):
  for a in sys.argv[2].split(','):
    u = mpf(a)
    if name == 'log' and u <= 0 or name == 'sqrt' and u < 0:
      print(name, a, 'undef'); continue
    v = fns[name](u)
    if v == 0:
      print(name, a, 'zero'); continue
    e = int(mp.floor(mp.log10(abs(v))))
    m = v / mp.power(10, e)
    if abs(m) >= 10:
      m, e = m/10, e + 1
    print(name, a, 'val', mp.nstr(m, 17, strip_zeros=False), e)
`
	out, err := exec.Command(py, "-c", src, strings.Join(names, ","), strings.Join(args, ",")).CombinedOutput()
	if err != nil {
		t.Fatalf("mpmath: %v: %s", err, out)
	}
	res := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		res[f[0]+" "+f[1]] = f[2:]
	}
	return res
}

var aboutRE = regexp.MustCompile(`the result is about (-?[0-9.]+)e([-+][0-9]+): too (small|large) for a float64`)

// TestEvalFunctionsAtExtremes (left7): `symdiff eval` of every built-in
// function of one argument at extreme arguments, against mpmath. phi(z)
// at z = -1e5 is about 1.2e-2171472410, below the range of big.Float as
// well as float64's: eval printed 0 (exit 0), and phi(z)/phi(z) said
// "division by zero", where exp(z) said it was too small for a float64.
// Each value is now the float64 nearest mpmath's or, outside float64's
// range, an error (exit 2) that gives it to 6 digits; f(z)/f(z) is 1, or
// an error that does not say "division by zero" unless f(z) is 0; and
// 1 + step(f(z)) is never decided on a value that came out 0.
func TestEvalFunctionsAtExtremes(t *testing.T) {
	var names []string
	for _, f := range ast.Funcs {
		if f.Arity == 1 && !f.Variadic {
			names = append(names, f.Name)
		}
	}
	args := []string{"-1e10", "-1e5", "-2000", "-800", "-40", "40", "800", "2000", "1e5", "1e10"}
	want := mpmathTable(t, names, args)
	for _, name := range names {
		for _, z := range args {
			w, ok := want[name+" "+z]
			if !ok {
				t.Fatalf("no mpmath value for %s(%s)", name, z)
			}
			call := name + "(z)"
			out, errOut, status := runMain(t, "eval", call, "z="+z)
			got := strings.TrimSpace(out) + strings.TrimSpace(errOut)
			switch w[0] {
			case "undef":
				if status != 2 || !strings.Contains(errOut, "undefined") {
					t.Errorf("eval %s at z=%s: %q (exit %d), want undefined", call, z, got, status)
				}
				continue
			case "zero":
				if status != 0 || strings.TrimSpace(out) != "0" {
					t.Errorf("eval %s at z=%s: %q (exit %d), want 0", call, z, got, status)
				}
			case "val":
				checkExtreme(t, fmt.Sprintf("eval %s at z=%s", call, z), out, errOut, status, w[1], w[2])
			}
			// f(z)/f(z): 1 where f(z) is not 0.
			out, errOut, status = runMain(t, "eval", call+"/"+call, "z="+z)
			got = strings.TrimSpace(out) + strings.TrimSpace(errOut)
			switch {
			case w[0] == "zero":
				if status != 2 || !strings.Contains(errOut, "division by zero") {
					t.Errorf("eval %s/%s at z=%s: %q, want a division by zero", call, call, z, got)
				}
			case status == 0 && strings.TrimSpace(out) != "1":
				t.Errorf("eval %s/%s at z=%s: %q, want 1", call, call, z, got)
			case status != 0 && (status != 2 || strings.Contains(errOut, "division by zero")):
				t.Errorf("eval %s/%s at z=%s: %q (exit %d), want 1 or an error saying what is out of range", call, call, z, got, status)
			}
			// 1 + step(f(z)): 2 where f(z) > 0, else 1 (or no value).
			out, errOut, status = runMain(t, "eval", "1 + step("+call+")", "z="+z)
			wantS := "1"
			if w[0] == "val" && !strings.HasPrefix(w[1], "-") {
				wantS = "2"
			}
			if status == 0 && strings.TrimSpace(out) != wantS || status != 0 && status != 2 {
				t.Errorf("eval 1 + step(%s) at z=%s: %q%q (exit %d), want %s", call, z, out, errOut, status, wantS)
			}
		}
	}
}

// checkExtreme checks eval's answer for the value m*10^e: the float64
// nearest it, or, outside float64's range, exit 2 with an error giving it
// to 6 significant digits.
func checkExtreme(t *testing.T, what, out, errOut string, status int, ms, es string) {
	t.Helper()
	m, _ := strconv.ParseFloat(ms, 64)
	e, _ := new(big.Int).SetString(es, 10)
	if e.IsInt64() && math.Abs(float64(e.Int64())) < 300 {
		want, _ := strconv.ParseFloat(ms+"e"+es, 64)
		v, err := strconv.ParseFloat(strings.TrimSpace(out), 64)
		if status != 0 || err != nil || math.Abs(v-want) > 1e-14*math.Abs(want) {
			t.Errorf("%s: %q%q (exit %d); mpmath: %v", what, out, errOut, status, want)
		}
		return
	}
	if e.IsInt64() && math.Abs(float64(e.Int64())) < 330 {
		return // subnormal or near the top: float64's own business
	}
	g := aboutRE.FindStringSubmatch(errOut)
	if status != 2 || g == nil {
		t.Errorf("%s: %q%q (exit %d); mpmath: %se%s, beyond float64", what, out, errOut, status, ms, es)
		return
	}
	gm, _ := strconv.ParseFloat(g[1], 64)
	ge, ok := new(big.Int).SetString(strings.TrimPrefix(g[2], "+"), 10)
	if !ok || ge.Cmp(e) != 0 || math.Abs(gm-m) > 6e-6*math.Abs(m) || (g[3] == "small") != (e.Sign() < 0) {
		t.Errorf("%s: %s; mpmath: %se%s", what, errOut, ms, es)
	}
}
