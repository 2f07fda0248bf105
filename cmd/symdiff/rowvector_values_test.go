package main

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEvalRowVectorValues: a declared row vector R : matrix(1, n) keeps
// its 1×n value through eval next to inverses and determinants, and
// R[1,j] written by hand is the same entry as the one matrix notation
// makes (R[j] in index form): each result, text and --json, against its
// value computed here in Go at random points, shape included. Before the
// fix every one of these with a det, inv or logdet was refused ("R is
// declared matrix(1, n), but its value ... has 1 dimension(s)", or "R[1,1]
// has 2 indices but R[1] has 1").
func TestEvalRowVectorValues(t *testing.T) {
	dir := t.TempDir()
	defs := filepath.Join(dir, "decl.sd")
	if err := os.WriteFile(defs, []byte("R : matrix(1, n)\nC : matrix(2, 2)\nD : matrix(n, n)\nx : vector(n)\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(8, 10))
	draw := func(k int) []float64 {
		v := make([]float64, k)
		for i := range v {
			v[i] = float64(rng.IntN(17)-8) / 4
		}
		return v
	}
	list := func(v []float64) string {
		s := make([]string, len(v))
		for i, x := range v {
			s[i] = fmt.Sprint(x)
		}
		return "[" + strings.Join(s, ",") + "]"
	}
	for range 6 {
		R, x, C, D := draw(3), draw(3), draw(4), draw(9)
		detC := C[0]*C[3] - C[1]*C[2]
		Di := inv3(D)
		if detC == 0 || Di == nil {
			continue
		}
		dot := func(a, b []float64) float64 { return a[0]*b[0] + a[1]*b[1] + a[2]*b[2] }
		rInvD := make([]float64, 3) // R*inv(D)
		invDx := make([]float64, 3) // inv(D)*x
		for j := range 3 {
			for k := range 3 {
				rInvD[j] += R[k] * Di[k*3+j]
				invDx[j] += Di[j*3+k] * x[k]
			}
		}
		row := func(v ...float64) [][]float64 { return [][]float64{v} } // a 1×3 result
		cases := []struct {
			expr string
			want any // float64 or [][]float64
		}{
			{"det(C)", detC},
			{"R*x*det(C)", dot(R, x) * detC},
			{"d(R*x*det(C), R)", row(x[0]*detC, x[1]*detC, x[2]*detC)},
			{"R[1,2]*tr(inv(C))", R[1] * (C[0] + C[3]) / detC},
			{"R*x + R[1,1]*det(C)", dot(R, x) + R[0]*detC},
			{"d(R[1,1]*R[1,3]*det(C), R)", row(R[2]*detC, 0, R[0]*detC)},
			{"R*inv(D)", row(rInvD...)},
			{"d(R*inv(D)*x, R)", row(invDx...)},
			{"sum(R) + logdet(C*C')", R[0] + R[1] + R[2] + math.Log(detC*detC)},
		}
		binds := []string{"R=[" + list(R) + "]", "x=" + list(x),
			fmt.Sprintf("C=[%s,%s]", list(C[:2]), list(C[2:])),
			fmt.Sprintf("D=[%s,%s,%s]", list(D[:3]), list(D[3:6]), list(D[6:]))}
		for _, c := range cases {
			for _, asJSON := range []bool{false, true} {
				args := []string{"eval", "--defs", defs}
				if asJSON {
					args = append(args, "--json")
				}
				args = append(append(args, c.expr), binds...)
				out, errs, status := runMain(t, args...)
				if status != 0 {
					t.Errorf("%s %v: status %d: %s%s", c.expr, binds, status, out, errs)
					continue
				}
				var got any
				text := strings.TrimSpace(out)
				if asJSON {
					var r struct{ Result json.RawMessage }
					if err := json.Unmarshal([]byte(text), &r); err != nil {
						t.Fatalf("%s: %v: %s", c.expr, err, out)
					}
					text = string(r.Result)
				}
				if err := json.Unmarshal([]byte(text), &got); err != nil {
					t.Fatalf("%s (json %v): %q: %v", c.expr, asJSON, text, err)
				}
				if !sameValue(got, c.want) {
					t.Errorf("eval %s %v (json %v) = %s, want %v", c.expr, binds, asJSON, text, c.want)
				}
			}
		}
	}
}

// sameValue compares a decoded result with a value computed in Go: the
// same shape (a scalar, or rows of entries) and entries within 1e-9.
func sameValue(got, want any) bool {
	near := func(g any, w float64) bool {
		f, ok := g.(float64)
		return ok && math.Abs(f-w) <= 1e-9*(1+math.Abs(w))
	}
	switch w := want.(type) {
	case float64:
		return near(got, w)
	case [][]float64:
		rows, ok := got.([]any)
		if !ok || len(rows) != len(w) {
			return false
		}
		for i, r := range rows {
			es, ok := r.([]any)
			if !ok || len(es) != len(w[i]) {
				return false
			}
			for j, e := range es {
				if !near(e, w[i][j]) {
					return false
				}
			}
		}
		return true
	}
	return false
}

// inv3 is the inverse of a 3×3 matrix (row major) by cofactors, or nil
// where it is singular.
func inv3(m []float64) []float64 {
	c := func(i, j int) float64 { // the cofactor of entry (i, j)
		r0, r1 := (i+1)%3, (i+2)%3
		c0, c1 := (j+1)%3, (j+2)%3
		return m[r0*3+c0]*m[r1*3+c1] - m[r0*3+c1]*m[r1*3+c0]
	}
	det := m[0]*c(0, 0) + m[1]*c(0, 1) + m[2]*c(0, 2)
	if det == 0 {
		return nil
	}
	out := make([]float64, 9)
	for i := range 3 {
		for j := range 3 {
			out[j*3+i] = c(i, j) / det
		}
	}
	return out
}

// TestProveNoUsablePoint: when no random point can be evaluated, the
// prover says so and why, and does not write "agree at the 0 of 30 random
// points", which reads as evidence. Here no point can be: det(-(C*C')) is
// -det(C)^2 for a 3×3 C, never positive, so its logdet has no value.
func TestProveNoUsablePoint(t *testing.T) {
	out, errs, status := runMainStdin(t, "C : matrix(3, 3)\nprove logdet(-(C*C')) == 1\n", "run", "-")
	if status != 3 || !strings.HasPrefix(out, "unknown:") {
		t.Fatalf("status %d, want 3 (unknown):\n%s%s", status, out, errs)
	}
	if strings.Contains(out, "agree at the 0") || !strings.Contains(out, "none of 30 random points could be used") ||
		!strings.Contains(out, "could not be evaluated") || !strings.Contains(out, "is not positive") {
		t.Errorf("the message does not say that no point was usable, and why:\n%s", out)
	}
}
