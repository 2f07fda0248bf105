package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// NumPy code for lam/(1 + mean(w + w)^2) computed t1 from s2 + s2 (the sum
// of w + w written through sum(w)) on the line before s2 was assigned, so
// calling it raised UnboundLocalError; the Go, Python and C code for the
// same loss are right. Every temporary (sN, tN) the generated function
// reads must have been assigned on an earlier line.
func TestCodegenNumPyAssignsBeforeUse(t *testing.T) {
	dir := t.TempDir()
	for i, loss := range []string{
		"lam/(1 + mean(w + w)^2)",
		"lam/(1 + sum(w + w)^2)",
		"exp(-sum(w - 2*w)^2)",
		"lam*norm(w)^2 + sum(softplus(w)) + logsumexp(w)",
	} {
		file := dir + "/loss.sd"
		if err := os.WriteFile(file, []byte("w : vector(d)\nlam : scalar\nL := "+loss+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		out, errs, status := runMain(t, "codegen", file, "--loss", "L", "--wrt", "w", "--lang", "numpy")
		if status != 0 {
			t.Errorf("case %d, codegen %q: status %d, %s", i, loss, status, errs)
			continue
		}
		if name, line, ok := readBeforeAssigned(out); ok {
			t.Errorf("codegen --lang numpy %q reads %s before assigning it, on the line\n%s\nin\n%s", loss, name, line, out)
		}
	}
}

// readBeforeAssigned returns the first temporary read in the body of
// loss_grad before a line assigns it.
func readBeforeAssigned(code string) (name, line string, ok bool) {
	tmp := regexp.MustCompile(`\b[st][0-9]+\b`)
	assign := regexp.MustCompile(`^\s*([st][0-9]+)\s*(\+|-|\*)?=`)
	assigned := map[string]bool{}
	in := false
	for _, l := range strings.Split(code, "\n") {
		if strings.HasPrefix(l, "def loss_grad(") {
			in = true
			continue
		}
		if !in || strings.HasPrefix(strings.TrimSpace(l), "#") {
			continue
		}
		if strings.HasPrefix(l, "def ") {
			break
		}
		rhs, lhs := l, ""
		if m := assign.FindStringSubmatch(l); m != nil {
			lhs = m[1]
			rhs = l[len(m[0]):]
			if m[2] != "" {
				rhs += " " + lhs // s += ... reads s
			}
		}
		for _, u := range tmp.FindAllString(rhs, -1) {
			if !assigned[u] {
				return u, l, true
			}
		}
		if lhs != "" {
			assigned[lhs] = true
		}
	}
	return "", "", false
}
