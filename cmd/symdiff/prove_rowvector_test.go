package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestProveInverseWithRowVectorDeclared: a false claim about inv or det
// is refuted whatever else the script declares. With a row vector
// declared (R : matrix(1, n) or matrix(1, 3)), used in the claim or not,
// every such claim was unknown, "agree at the 0 of 30 random points where
// they are defined", even det(C) == 1: the check draws R as a 1×n value,
// which is then refused as a vector ("R is declared matrix(1, n), but its
// value [1, 2, 3] has 1 dimension(s)", as eval says of R=[[1,2,3]] next to
// a claim that does not use R). The oracle is each claim's difference
// computed in Go at a random 2×2 matrix, which must not be 0 there.
func TestProveInverseWithRowVectorDeclared(t *testing.T) {
	det := func(c [4]float64) float64 { return c[0]*c[3] - c[1]*c[2] }
	rng := rand.New(rand.NewPCG(8, 8))
	for _, c := range []struct {
		claim string
		diff  func(c [4]float64) float64 // left minus right
	}{
		{"det(C) == 1", func(c [4]float64) float64 { return det(c) - 1 }},
		{"det(C) == C[1,1]*C[2,2] - C[1,2]*C[2,1] + 1", func(c [4]float64) float64 { return -1 }},
		{"tr(inv(C)) == 0", func(c [4]float64) float64 { return (c[0] + c[3]) / det(c) }},
	} {
		var m [4]float64
		for i := range m {
			m[i] = float64(rng.IntN(17)-8) / 4
		}
		if d := det(m); d == 0 || c.diff(m) == 0 {
			t.Fatalf("%s: the oracle's point %v shows nothing", c.claim, m)
		}
		for _, decl := range []string{
			"C : matrix(2, 2)", "C : matrix(m, m)", // refuted before too
			"C : matrix(2, 2)\nR : matrix(1, 3)", "C : matrix(m, m)\nR : matrix(1, n)",
		} {
			out, errs, status := runMainStdin(t, decl+"\nprove "+c.claim+"\n", "run", "-")
			if status != 1 || !strings.HasPrefix(out, "refuted:") {
				t.Errorf("%s; prove %s: status %d, want 1 (refuted; at C = %v the sides differ by %g):\n%s%s", decl, c.claim, status, m, c.diff(m), out, errs)
			}
		}
	}
}

// TestEvalRowVectorBoundNotUsed: a 1×n value bound to a declared row
// vector is taken as it is next to a determinant: eval of det(C), or of
// det(C) + 0*R[1,1], with R=[[1,2,3]] said "R is declared matrix(1, n),
// but its value [1, 2, 3] has 1 dimension(s)", while R[1,2] + 0 alone
// evaluates. The oracle is the 2×2 determinant computed in Go.
func TestEvalRowVectorBoundNotUsed(t *testing.T) {
	dir := t.TempDir()
	defs := filepath.Join(dir, "decl.sd")
	if err := os.WriteFile(defs, []byte("R : matrix(1, n)\nC : matrix(2, 2)\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(8, 9))
	for range 3 {
		var c [4]int
		for i := range c {
			c[i] = rng.IntN(19) - 9
		}
		want := strconv.Itoa(c[0]*c[3] - c[1]*c[2])
		cv := fmt.Sprintf("C=[[%d,%d],[%d,%d]]", c[0], c[1], c[2], c[3])
		for _, expr := range []string{"det(C)", "det(C) + 0*R[1,1]"} {
			out, errs, status := runMain(t, "eval", "--defs", defs, expr, cv, "R=[[1,2,3]]")
			if status != 0 || strings.TrimSpace(out) != want {
				t.Errorf("eval %s %s R=[[1,2,3]]: status %d, %q %s; want %s", expr, cv, status, out, errs, want)
			}
		}
	}
}
