package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExplainWeightsWithBias: logistic regression with an intercept,
// z[i] := sum(j=1..d, x[i,j]*w[j]) + b, is residual form (explain --wrt z
// proves it: Bernoulli, canonical link), and its weight gradient is
// Xᵀ(σ(Xw + b) − y)/n. With --wrt w, explain took w itself as the
// predictor and said "not residual form", proved that the cross derivative
// is "the constant −c where it is defined" right under "is not a
// constant", and blamed "a kink in the label", which CE does not have.
// Explaining through w must not contradict the verdict through z.
func TestExplainWeightsWithBias(t *testing.T) {
	script := "z[i] := sum(j=1..d, x[i,j]*w[j]) + b\n" +
		"CE := -mean(i=1..n, y[i]*log(sigma(z[i])) + (1 - y[i])*log(1 - sigma(z[i])))\n"
	file := filepath.Join(t.TempDir(), "bias.sd")
	if err := os.WriteFile(file, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	viaZ, stderr, status := runMain(t, "explain", file, "--wrt", "z")
	if status != 0 || !strings.Contains(viaZ, "residual form: ") || strings.Contains(viaZ, "not residual form") {
		t.Fatalf("explain --wrt z: status %d, stdout %q, stderr %q; want the residual form proved", status, viaZ, stderr)
	}
	viaW, stderr, status := runMain(t, "explain", file, "--wrt", "w")
	for _, bad := range []string{"not residual form", "kink in the label"} {
		if strings.Contains(viaW, bad) {
			t.Errorf("explain --wrt w says %q (status %d):\n%s%s", bad, status, viaW, stderr)
		}
	}
}
