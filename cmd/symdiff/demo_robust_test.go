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
	run := func(script string) (string, error) {
		var out bytes.Buffer
		app := &App{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &out}
		err := (&DemoCmd{Ascii: true}).run(context.Background(), app, script)
		return out.String(), err
	}
	respaced := strings.NewReplacer("d(MSE, w[k])\n", "d(MSE,w[k])   # spaced differently\n", "d(SQ, w[k])\n", "d((SQ), w[ k ])\n").Replace(demoScript)
	if respaced == demoScript {
		t.Fatal("the demo script no longer has the statements this test respaces")
	}
	out, err := run(respaced)
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
			out, err := run(script)
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
