package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
)

// A derivative by an off-diagonal entry of a symmetric matrix takes the
// entry and its mirror as independent variables (d(S[1,2], S[2,1]) is 0),
// and says so; the derivative along the symmetric entry the note gives,
// d(f, S[a,b]) + d(f, S[b,a]), is checked against a central difference of
// f along S + t*(E_ab + E_ba), which keeps S symmetric.
func TestSymmetricEntryDerivativeNote(t *testing.T) {
	defs := t.TempDir() + "/defs.sd"
	writeDefs(t, defs, "S : symmetric(n)\nA : matrix(n, n)\n")
	out, errs, status := runMain(t, "diff", "--defs", defs, "S[1,2]", "S[2,1]")
	if status != 0 || !strings.HasPrefix(out, "0\n") || !strings.Contains(out, "takes S[2,1] and S[1,2] as independent variables") ||
		!strings.Contains(out, "d(f, S[2,1]) + d(f, S[1,2])") {
		t.Errorf("diff S[1,2] by S[2,1]: status %d, %s%s", status, out, errs)
	}
	for _, c := range [][2]string{{"S[1,1]^2", "S[1,1]"}, {"A[1,2]", "A[2,1]"}, {"S[1,2]", "x"}} {
		if out, errs, _ := runMain(t, "diff", "--defs", defs, c[0], c[1]); strings.Contains(out, "independent variables") {
			t.Errorf("diff %s by %s: a note where there is no symmetric entry: %s%s", c[0], c[1], out, errs)
		}
	}
	point := func(s [2][2]float64) string {
		return fmt.Sprintf("S=[[%v,%v],[%v,%v]]", s[0][0], s[0][1], s[1][0], s[1][1])
	}
	eval := func(e string, s [2][2]float64) float64 {
		t.Helper()
		out, errs, status := runMain(t, "eval", "--defs", defs, e, point(s))
		v, err := strconv.ParseFloat(strings.TrimSpace(strings.SplitN(out, "\n", 2)[0]), 64)
		if status != 0 || err != nil {
			t.Fatalf("eval %s at %s: status %d, %s%s", e, point(s), status, out, errs)
		}
		return v
	}
	s := [2][2]float64{{0.5, -1.25}, {-1.25, 0.75}}
	for _, f := range []string{"S[1,2]^2*S[2,1] + S[1,1]", "exp(S[2,1])*S[1,2]", "S[1,2]*S[2,2] - S[2,1]^3"} {
		along := eval(fmt.Sprintf("d(%s, S[1,2]) + d(%s, S[2,1])", f, f), s)
		const h = 1e-4
		up, down := s, s
		up[0][1], up[1][0] = s[0][1]+h, s[1][0]+h
		down[0][1], down[1][0] = s[0][1]-h, s[1][0]-h
		fd := (eval(f, up) - eval(f, down)) / (2 * h)
		if math.Abs(along-fd) > 1e-5*(1+math.Abs(fd)) {
			t.Errorf("%s: d(f, S[1,2]) + d(f, S[2,1]) = %v, along the symmetric entry %v", f, along, fd)
		}
	}
}
