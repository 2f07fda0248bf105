package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A script's statement that uses _ after a matrix result reads _ as that
// matrix, as the REPL does: the script was parsed before it ran, when _
// had no shape, so A*_ was a scalar multiple and failed with "cannot
// multiply B*A (d×d) by A (d×d)"; _'*v and norm(_) did not parse, so
// the script did not run at all. The oracle is the REPL, which parses
// each line after the one before has run, fed the same lines; and the
// product written out (A*B*A).
func TestRunLastMatrixShape(t *testing.T) {
	script := "A : matrix(d, d)\nB : matrix(d, d)\nB*A\nA*_\nA*B*A\n_*A + A\nA*B*A*A + A\n" +
		"v : vector(d)\nA*v\n_'*v\n(A*v)'*v\nA*v\nnorm(_)\nnorm(A*v)\n"
	file := filepath.Join(t.TempDir(), "t.sd")
	if err := os.WriteFile(file, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, jobs := range []string{"1", "2"} {
		var out, errOut bytes.Buffer
		if st := Main([]string{"run", "--jobs", jobs, file}, strings.NewReader(""), &out, &errOut); st != 0 {
			t.Fatalf("run --jobs %s: status %d: %s", jobs, st, errOut.String())
		}
		var rOut, rErr bytes.Buffer
		if st := Main([]string{"repl"}, strings.NewReader(script), &rOut, &rErr); st != 0 {
			t.Fatalf("repl: status %d: %s", st, rErr.String())
		}
		got := strings.Split(strings.TrimSpace(out.String()), "\n")
		if len(got) != 11 || got[1] != got[2] || got[3] != got[4] || got[6] != got[7] || got[9] != got[10] {
			t.Errorf("run --jobs %s: A*_, _*A + A, _'*v and norm(_) should read as the last value put in:\n%s", jobs, out.String())
		}
		var repl []string
		for _, l := range strings.Split(rOut.String(), "\n") {
			if l = strings.TrimSpace(strings.TrimLeft(l, "> ")); l != "" && !strings.HasPrefix(l, "declared") {
				repl = append(repl, l)
			}
		}
		if diff := cmp.Diff(repl, got); diff != "" {
			t.Errorf("run --jobs %s against the REPL (-repl +run):\n%s", jobs, diff)
		}
	}
}

// A statement that uses _ and is wrong with the shape _ has when it runs
// is that error, at its place in the file.
func TestRunLastDeferredError(t *testing.T) {
	for script, want := range map[string]string{
		"A : matrix(d, d)\nB*A\n\n  norm(_)\n": "t.sd:4:3: norm takes a vector, and _ (d×d) is a matrix",
		"x + 1\n_'\n":                          "t.sd:2:1: _': _ is not declared, so it is a scalar",
		"_'\n":                                 "t.sd:1:1: _': _ is not declared, so it is a scalar",
	} {
		file := filepath.Join(t.TempDir(), "t.sd")
		if err := os.WriteFile(file, []byte(script), 0o644); err != nil {
			t.Fatal(err)
		}
		var out, errOut bytes.Buffer
		st := Main([]string{"run", file}, strings.NewReader(""), &out, &errOut)
		msg := strings.TrimPrefix(errOut.String(), filepath.Dir(file)+"/")
		if st != 2 || !strings.HasPrefix(msg, want) {
			t.Errorf("%q: status %d, %q; want 2 and an error starting %q", script, st, msg, want)
		}
	}
}
