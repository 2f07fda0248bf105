package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The demo finds the results it quotes by what they compute, and a script
// without one is an error, not a nil dereference.
func TestDemoFindsResultsByStructure(t *testing.T) {
	run := func(script, matrixScript string) (string, error) {
		var out bytes.Buffer
		app := &App{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &out}
		err := (&DemoCmd{Ascii: true}).run(context.Background(), app, script, matrixScript)
		return out.String(), err
	}
	respaced := strings.NewReplacer("d(MSE, w[k])\n", "d(MSE,w[k])   # spaced differently\n", "d(SQ, w[k])\n", "d((SQ), w[ k ])\n").Replace(demoScript)
	if respaced == demoScript {
		t.Fatal("the demo script no longer has the statements this test respaces")
	}
	out, err := run(respaced, demoMatrixScript)
	if err != nil {
		t.Fatalf("respaced script: %v", err)
	}
	for _, want := range []string{"∂MSE/∂wₖ = 2*mean(i=1..n, x[i,k]*(q[i] - y[i]))", "∂SQ/∂wₖ = 2*mean(i=1..n, p[i]*x[i,k]*(1 - p[i])*(p[i] - y[i]))"} {
		if !strings.Contains(out, want) {
			t.Errorf("respaced script: output lacks %q:\n%s", want, out)
		}
	}

	for _, c := range []struct{ name, drop, want string }{
		{"no d(SQ, w[k])", "d(SQ, w[k])\n", "demo: the script does not compute d(SQ, w[k])"},
		{"no d(MSE, w[k])", "d(MSE, w[k])\n", "demo: the script does not compute d(MSE, w[k])"},
	} {
		t.Run(c.name, func(t *testing.T) {
			script := strings.Replace(demoScript, c.drop, "", 1)
			out, err := run(script, demoMatrixScript)
			if err == nil {
				t.Fatalf("succeeded, want %q", c.want)
			}
			if diff := cmp.Diff(c.want, err.Error()); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			if out != "" {
				t.Errorf("printed before failing:\n%s", out)
			}
		})
	}
}

// The matrix section is computed from the matrix script: a script without
// a gradient the demo quotes is an error, and so is a loss whose gradient
// is not the residual form that explain found for the index-form loss.
func TestDemoMatrixComputed(t *testing.T) {
	for _, c := range []struct{ name, from, to, want string }{
		{"no d(MSE, w)", "d(MSE, w)                # 2*X'*(X*w - y)/n\n", "", "demo: the matrix script does not compute d(MSE, w)"},
		{"no hessian", "hessian(CE, w)           # X'*diag(sigma(X*w) .* (1 - sigma(X*w)))*X/n\n", "", "demo: the matrix script does not compute hessian(CE, w)"},
		{"MSE halved", "MSE := mean((y - X*w).^2)", "MSE := mean((y - X*w).^2)/2",
			"demo: the matrix gradient of MSE was not proved to be the residual form: prove d(MSE, w) == (2/n)*X'*((X*w) - y)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			script := strings.Replace(demoMatrixScript, c.from, c.to, 1)
			if script == demoMatrixScript {
				t.Fatalf("the matrix script no longer has %q", c.from)
			}
			var out bytes.Buffer
			app := &App{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &out}
			err := (&DemoCmd{Ascii: true}).run(context.Background(), app, demoScript, script)
			if err == nil {
				t.Fatalf("succeeded, want %q", c.want)
			}
			if diff := cmp.Diff(c.want, err.Error()); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
}
