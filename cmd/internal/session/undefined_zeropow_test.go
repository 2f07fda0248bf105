package session

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	oexec "os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/simplify/prove"
)

// TestUndefinedZeroPowers: 0 to a negative power is a division by zero,
// also where the exponent has names: prove of
// y + sum(i=2..n, (x - x)^(z - z - 1)) - sum(i=2..n, (x - x)^(z - z - 1)) == y
// said "proved", where the same claim with 1/(x - x) says where it is
// undefined. Random claims y + W(P) - W(P) == y, with P a power of a base
// that is 0 for every value (or not) to an exponent that is negative
// everywhere, somewhere or nowhere, and W nothing or a sum that may be
// empty. The oracle is mpmath, evaluating P at points: a proof stands
// only where P has a value at every point (n >= 2 for a sum, where it
// has terms); an "undefined wherever C" error must have C hold exactly at
// the points where P has none (C evaluated by Python), and one without
// conditions P have no value at any point.
func TestUndefinedZeroPowers(t *testing.T) {
	bases := []string{"x - x", "2*x - x - x", "(x - x)*y", "exp(x - x) - 1", "1 - 1", "x - y", "x"}
	exps := []string{"z - z - 1", "z - z - 2/3", "-z^2 - 1", "z", "z - 1", "-z", "z^2", "z^2 + 1", "z - z + 2", "z - z + 1/2"}
	type claim struct {
		base, exp string
		sum       bool
		status    string // proved, undefined, other
		cond      string // the conditions of an undefined error, "" if none
	}
	rng := rand.New(rand.NewPCG(8, 3))
	var claims []*claim
	for _, b := range bases {
		for _, x := range exps {
			claims = append(claims, &claim{base: b, exp: x, sum: rng.IntN(3) > 0})
		}
	}
	where := regexp.MustCompile(`is undefined wherever (.*?) \(where `)
	decided := map[string]int{}
	for _, c := range claims {
		p := fmt.Sprintf("(%s)^(%s)", c.base, c.exp)
		w := p
		if c.sum {
			w = fmt.Sprintf("sum(i=2..n, %s)", p)
		}
		r, err := execOne(t, fmt.Sprintf("prove y + %s - %s == y", w, w))
		switch {
		case err != nil && strings.Contains(err.Error(), "is undefined"):
			c.status = "undefined"
			if m := where.FindStringSubmatch(err.Error()); m != nil {
				c.cond = m[1]
			}
		case err == nil && r.Proof != nil && r.Proof.Verdict == prove.Proved:
			c.status = "proved"
		default:
			c.status = "other" // unknown claims nothing; a refutation would be wrong
			if err == nil && r.Proof != nil && r.Proof.Verdict == prove.Refuted {
				t.Errorf("%s: refuted, but y + u - u == y wherever u has a value", w)
			}
		}
		decided[c.status]++
	}
	t.Logf("verdicts: %v", decided)
	if decided["proved"] == 0 || decided["undefined"] == 0 {
		t.Errorf("verdicts %v: the cases should give both proofs and undefined parts", decided)
	}

	// The points, and for each claim P's definedness and the conditions'
	// truth at each, from Python.
	type point struct{ X, Y, Z string }
	zs := []string{"-2", "-1", "-1/2", "0", "1/2", "1", "3"}
	var pts []point
	for _, z := range zs {
		pts = append(pts, point{fmt.Sprint(rng.IntN(9) - 4), fmt.Sprintf("%d/4", rng.IntN(17)-8), z})
	}
	var in []map[string]string
	for _, c := range claims {
		in = append(in, map[string]string{"base": c.base, "exp": c.exp, "cond": c.cond})
	}
	out := mpmathZeroPowers(t, in, pts)
	for i, c := range claims {
		for j, pt := range pts {
			for _, n := range []int{1, 2, 3} {
				undefined := out[i][j].Undefined && (!c.sum || n >= 2)
				at := fmt.Sprintf("(%s)^(%s) (in a sum: %v) at x=%s y=%s z=%s n=%d", c.base, c.exp, c.sum, pt.X, pt.Y, pt.Z, n)
				switch c.status {
				case "proved":
					if undefined {
						t.Errorf("%s: proved, but mpmath finds no value there", at)
					}
				case "undefined":
					holds := true
					if c.cond != "" {
						holds = out[i][j].Cond[n-1]
					}
					if holds != undefined {
						t.Errorf("%s: the error's condition %q is %v there, but mpmath finds the part undefined: %v", at, c.cond, holds, undefined)
					}
				}
			}
		}
	}
}

// zeroPowerValue is mpmathZeroPowers's answer for one claim at one point.
type zeroPowerValue struct {
	Undefined bool
	Cond      []bool // the condition at n = 1, 2, 3
}

// mpmathZeroPowers evaluates each claim's power at each point with mpmath
// (0 to a negative power: ZeroDivisionError, or inf for a fractional one)
// and its condition (symdiff's syntax: ^ is **) at n = 1, 2, 3.
func mpmathZeroPowers(t *testing.T, claims []map[string]string, pts any) [][]zeroPowerValue {
	t.Helper()
	py, err := oexec.LookPath("python3")
	if err == nil {
		err = oexec.Command(py, "-c", "import mpmath").Run()
	}
	if err != nil {
		if os.Getenv("SYMDIFF_REQUIRE_TOOLS") == "1" {
			t.Fatalf("python3 with mpmath is missing (%v), and SYMDIFF_REQUIRE_TOOLS=1 requires it", err)
		}
		t.Skipf("SKIPPED: python3 with mpmath is missing (%v): install it, or set SYMDIFF_REQUIRE_TOOLS=1 to make this a failure", err)
	}
	const script = `
import json, sys, re
from fractions import Fraction
import mpmath
mpmath.mp.dps = 50
data = json.load(sys.stdin)
def py(s):
    s = s.replace('^', '**')
    return re.sub(r'(\d+)/(\d+)', r'mpmath.mpf(\1)/\2', s)
def q(s):
    f = Fraction(s)
    return mpmath.mpf(f.numerator) / f.denominator
out = []
for c in data['claims']:
    row = []
    for p in data['points']:
        env = {'mpmath': mpmath, 'exp': mpmath.exp,
               'x': q(p['X']), 'y': q(p['Y']), 'z': q(p['Z'])}
        try:
            v = eval('(' + py(c['base']) + ')**(' + py(c['exp']) + ')', env)
            undefined = not mpmath.isfinite(v)
        except ZeroDivisionError:
            undefined = True
        conds = []
        for n in (1, 2, 3):
            env['n'] = n
            conds.append(bool(eval(py(c['cond']), env)) if c['cond'] else True)
        row.append({'Undefined': undefined, 'Cond': conds})
    out.append(row)
json.dump(out, sys.stdout)
`
	in, err := json.Marshal(map[string]any{"claims": claims, "points": pts})
	if err != nil {
		t.Fatal(err)
	}
	cmd := oexec.Command(py, "-c", script)
	cmd.Stdin = strings.NewReader(string(in))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	b, err := cmd.Output()
	if err != nil {
		t.Fatalf("the mpmath script: %v\n%s", err, stderr.String())
	}
	var out [][]zeroPowerValue
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("the mpmath script's answer: %v\n%s", err, b)
	}
	return out
}
