package main

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// TestColumnMatrixAgainstNumPy: n×1 and 1×n values are indexed with two
// indices as numpy indexes an (n, 1) or (1, n) array (x[i,1] is
// x[i-1, 0]), written as a column [[1], [2]] or as a list [1, 2], in
// eval (text and --json), with --defs, and in derivatives; a declared
// matrix(n, 1) takes x[i,1] in diff and prove. eval refused
// x[1,1] + x[2,1] at x = [[1], [2]] ("x is declared vector(2): it takes
// 1 index"), and with --defs said the value had the wrong dimensions.
// The oracle is numpy on random values.
func TestColumnMatrixAgainstNumPy(t *testing.T) {
	py := numpyPython(t)
	rng := rand.New(rand.NewPCG(1, 8))
	val := func() float64 { return float64(rng.IntN(33)-16) / 4 }
	col := func(n int) ([]float64, string, string) { // values, [[a], [b]], [a, b]
		var v []float64
		var a, b []string
		for range n {
			x := val()
			v = append(v, x)
			a = append(a, fmt.Sprintf("[%g]", x))
			b = append(b, fmt.Sprint(x))
		}
		return v, "[" + strings.Join(a, ", ") + "]", "[" + strings.Join(b, ", ") + "]"
	}
	dir := t.TempDir()
	defsFile := dir + "/lin.sd"
	if err := os.WriteFile(defsFile, []byte("z[i] := x[i,1]*w\nL := sum(i=1..n, (y[i] - z[i])^2)\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	type check struct {
		args  []string
		numpy string // a numpy expression of the values x, P, v, y, w, n, k
	}
	var checks []check
	for range 8 {
		n := 2 + rng.IntN(3)
		xs, xCol, xList := col(n)
		ps, _, pList := col(n)
		vs, _, vList := col(n)
		ys, _, yList := col(n)
		w := val()
		k := 1 + rng.IntN(n)
		env := fmt.Sprintf("x = np.array(%v).reshape(-1, 1); P = np.array(%v).reshape(1, -1); v = np.array(%v); y = np.array(%v); w = %v; n = %d; k = %d",
			pyList(xs), pyList(ps), pyList(vs), pyList(ys), w, n, k)
		nb := fmt.Sprintf("n=%d", n)
		for _, x := range []string{xCol, xList} {
			checks = append(checks,
				check{[]string{"eval", "sum(i=1..n, x[i,1]^2)*3 - x[1,1]", "x=" + x, nb}, env + "; r = (x[:, 0]**2).sum()*3 - x[0, 0]"},
				check{[]string{"eval", fmt.Sprintf("d(sum(i=1..n, x[i,1]^3*x[1,1]), x[%d,1])", k), "x=" + x, nb}, env + "; r = 3*x[k-1, 0]**2*x[0, 0] + (k == 1)*(x[:, 0]**3).sum()"},
				check{[]string{"eval", "--defs", defsFile, "d(L, w)", "x=" + x, "y=" + yList, fmt.Sprint("w=", w), nb}, env + "; r = (-2*(y - x[:, 0]*w)*x[:, 0]).sum()"},
			)
		}
		checks = append(checks, check{[]string{"eval", "sum(j=1..n, P[1,j]*v[j])", "P=[" + pList + "]", "v=" + vList, nb}, env + "; r = (P @ v)[0]"})
	}
	var script strings.Builder
	script.WriteString("import json\nimport numpy as np\nout = []\n")
	for _, c := range checks {
		fmt.Fprintf(&script, "%s\nout.append(float(r))\n", c.numpy)
	}
	script.WriteString("print(json.dumps(out))\n")
	out, err := exec.Command(py, "-c", script.String()).CombinedOutput()
	if err != nil {
		t.Fatalf("numpy: %v\n%s", err, out)
	}
	var want []float64
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatalf("numpy's answer: %v\n%s", err, out)
	}
	for i, c := range checks {
		for _, asJSON := range []bool{false, true} {
			args := c.args
			if asJSON {
				args = append(append([]string(nil), args...), "--json")
			}
			stdout, stderr, status := runMain(t, args...)
			got, err := strconv.ParseFloat(strings.TrimSpace(stdout), 64)
			if asJSON {
				var j struct{ Result float64 }
				err = json.Unmarshal([]byte(stdout), &j)
				got = j.Result
			}
			if status != 0 || err != nil || math.Abs(got-want[i]) > 1e-12*math.Max(1, math.Abs(want[i])) {
				t.Errorf("%q: status %d, stdout %q, stderr %q; numpy: %v", args, status, stdout, stderr, want[i])
			}
		}
	}

	// A declared n×1 matrix takes x[i,1] in a script: diff and prove,
	// the proved derivative checked against numpy by eval, and a false
	// claim refuted.
	script2 := dir + "/col.sd"
	src := "x : matrix(n, 1)\nf := sum(i=1..n, x[i,1]^3*c)\nd(f, x[k,1])\nprove d(f, x[k,1]) == 3*c*x[k,1]^2\nprove d(f, x[k,1]) == 2*c*x[k,1]^2\n"
	if err := os.WriteFile(script2, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, status := runMain(t, "run", script2)
	// x[k,1] of a column is read as x[k].
	if !strings.Contains(stdout, "3*c*x[k]^2  # for k = 1..n\n") || !strings.Contains(stdout, "proved: d(f, x[k]) == 3*c*x[k]^2") ||
		!strings.Contains(stdout, "refuted: d(f, x[k]) == 2*c*x[k]^2") {
		t.Errorf("run: status %d, stdout %q, stderr %q", status, stdout, stderr)
	}
	stdout, stderr, status = runMain(t, "run", "--json", script2)
	if !strings.Contains(stdout, `"result":"3*c*x[k]^2"`) || !strings.Contains(stdout, `"equal":"proved"`) || !strings.Contains(stdout, `"equal":"refuted"`) {
		t.Errorf("run --json: status %d, stdout %q, stderr %q", status, stdout, stderr)
	}
	// The derivative at a point, by eval of the claim's left side, is
	// numpy's 3*c*x[k]^2.
	xs, xCol, _ := col(3)
	stdout, stderr, status = runMain(t, "eval", "d(sum(i=1..3, x[i,1]^3*c), x[2,1])", "x="+xCol, "c=1.5")
	out, err = exec.Command(py, "-c", fmt.Sprintf("import numpy as np; x = np.array(%v).reshape(-1, 1); print(float(3*1.5*x[1, 0]**2))", pyList(xs))).CombinedOutput()
	if err != nil {
		t.Fatalf("numpy: %v\n%s", err, out)
	}
	if strings.TrimSpace(stdout) != strings.TrimSpace(formatFloatNumPy(out)) || status != 0 {
		t.Errorf("eval of the derivative: status %d, stdout %q, stderr %q; numpy %s", status, stdout, stderr, out)
	}
}

// formatFloatNumPy prints numpy's float as eval does.
func formatFloatNumPy(out []byte) string {
	v, err := strconv.ParseFloat(strings.TrimSpace(string(out)), 64)
	if err != nil {
		return string(out)
	}
	return formatFloat(v)
}

// pyList writes values as a Python list.
func pyList(v []float64) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = strconv.FormatFloat(x, 'g', -1, 64)
	}
	return "[" + strings.Join(s, ", ") + "]"
}

// numpyPython finds a Python 3 with NumPy (Debian's /usr/bin/python3
// first), or skips the test (fails it under SYMDIFF_REQUIRE_TOOLS=1).
func numpyPython(t *testing.T) string {
	for _, py := range []string{"/usr/bin/python3", "python3"} {
		if path, err := exec.LookPath(py); err == nil && exec.Command(path, "-c", "import numpy").Run() == nil {
			return path
		}
	}
	if os.Getenv("SYMDIFF_REQUIRE_TOOLS") == "1" {
		t.Fatal("python3 with NumPy is missing, and SYMDIFF_REQUIRE_TOOLS=1 requires it")
	}
	t.Skip("SKIPPED: python3 with NumPy is missing: install it, or set SYMDIFF_REQUIRE_TOOLS=1 to make this a failure")
	return ""
}
