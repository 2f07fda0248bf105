package codegen

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestPythonPowNotComplex (review3): fpow(b, e) computes b ** e, which in
// Python is a complex number for a negative float b and a non-integer e
// ((-8.0) ** (1/3) is 1+1.73j), where math.pow raised ValueError (math
// domain error), C and Go give NaN and eval says "not a real number". The
// generated loss_grad for x^y returned a complex loss and gradient
// silently; at x = -1e200, y = 2.5 the loss was inf and the gradient
// complex. The oracle: the value is not real, so no float is the answer.
func TestPythonPowNotComplex(t *testing.T) {
	_, err := exec.LookPath("python3")
	needTool(t, err == nil, "python3")
	tc := &tcase{loss: "x^y", wrt: []string{"x"}}
	en, loss, w := tc.setup(t)
	res, err := Generate(context.Background(), en, &Request{Loss: loss, Wrt: w, Lang: Python, Package: "main", Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "gen.py"), []byte(res.Code), 0o644); err != nil {
		t.Fatal(err)
	}
	script := `
import gen
for x, y in ((-8.0, 1/3), (-1e200, 2.5)):
    try:
        r = gen.loss_grad(x=x, y=y)
    except (ValueError, ArithmeticError):
        print("raised")
    else:
        print("complex" if any(isinstance(v, complex) for v in r) else "real")
`
	cmd := exec.Command("python3", "-c", script)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("python3: %v\n%s", err, out)
	}
	if got := string(out); strings.Contains(got, "complex") || strings.Count(got, "\n") != 2 {
		t.Errorf("loss_grad of x^y at (x, y) = (-8, 1/3) and (-1e200, 2.5): %q, a complex number (or no answer):\n%s", got, res.Code)
	}
}
