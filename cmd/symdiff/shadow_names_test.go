package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// shadowScript defines sigma, which shadows the built-in sigmoid, and uses
// both: every output about it must spell the user's function as the user
// wrote it, never by its internal name sigma@user.
const shadowScript = `sigma(u) := u/(1+abs(u))
L := sum(i=1..n, (sigma(w*x[i]) - y[i])^2 + sigmoid(x[i] - w))
f := sigma(w*z) + sigmoid(z)
d(f, z)
d(L, w)
sigma(z) + sigmoid(z) - sigma(z)
prove sigma(z) == z/(1+abs(z))
prove sigmoid(z) == 1/(1+exp(-z))
`

func TestShadowNeverShowsInternalName(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "shadow.sd")
	if err := os.WriteFile(script, []byte(shadowScript), 0o644); err != nil {
		t.Fatal(err)
	}
	ruleFile := filepath.Join(dir, "shadow.rules")
	if err := os.WriteFile(ruleFile, []byte("sigma(u) := u/(1+abs(u))\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	expr := "sigma(w*z) + sigmoid(z)"
	for _, c := range []struct {
		args []string
		want string // a sign that the output does talk about the user's sigma
	}{
		{[]string{"run", script}, "proved: sigma(z) == z/(1 + abs(z))"},
		{[]string{"run", "--steps", script}, "proved"},
		{[]string{"run", "--json", script}, `"def_sigma"`},
		{[]string{"run", "--steps", "--json", script}, `"def_sigma"`},
		{[]string{"diff", "--defs", script, "--steps", expr, "z"}, "sigma"},
		{[]string{"diff", "--defs", script, "--steps", "--all-steps", "--json", expr, "z"}, "sigma"},
		{[]string{"diff", "--defs", script, "--steps", "--latex", expr, "z"}, `\operatorname{sigma}`},
		{[]string{"simplify", "--defs", script, "--steps", "sigma(z)^2"}, "sigma"},
		{[]string{"latex", script}, `\operatorname{sigma}`},
		{[]string{"latex", "--all-steps", "--markdown", script}, `\operatorname{sigma}`},
		{[]string{"latex", "--defs", script, "--wrt", "z", "sigma(w*z)"}, `\operatorname{sigma}`},
		{[]string{"codegen", script, "--loss", "L", "--wrt", "w"}, "sigmoid("},
		{[]string{"gradcheck", script, "--loss", "L", "--wrt", "w"}, "ok:"},
		{[]string{"eval", "--defs", script, "sigma(z)", "z=3"}, "0.75"},
		{[]string{"rules", "list", "--rules", ruleFile}, "sigma "},
	} {
		stdout, stderr, status := runMain(t, c.args...)
		if status != 0 {
			t.Errorf("symdiff %q: status %d, stderr %q", c.args, status, stderr)
			continue
		}
		if strings.Contains(stdout+stderr, "@user") {
			t.Errorf("symdiff %q shows an internal name:\n%s%s", c.args, stdout, stderr)
		}
		if !strings.Contains(stdout, c.want) {
			t.Errorf("symdiff %q: output lacks %q:\n%s", c.args, c.want, stdout)
		}
	}
}

// latex warns on standard error about definitions that shadow a built-in
// (a function and a scalar name) exactly as run does.
func TestLatexWarnsAsRun(t *testing.T) {
	script := filepath.Join(t.TempDir(), "w.sd")
	src := "sigma(u) := u/(1+abs(u))\nexp := 3\nd(sigma(x)*exp, x)\n"
	if err := os.WriteFile(script, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	_, runErr, status := runMain(t, "run", script)
	if status != 0 || strings.Count(runErr, "warning:") != 2 {
		t.Fatalf("run: status %d, want two warnings, stderr %q", status, runErr)
	}
	for _, args := range [][]string{{"latex", script}, {"latex", "--markdown", script}} {
		_, stderr, status := runMain(t, args...)
		if status != 0 || stderr != runErr {
			t.Errorf("symdiff %q: status %d, stderr %q; want run's %q", args, status, stderr, runErr)
		}
	}
}
