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
// multiply B*A (d×d) by A (d×d)". The oracle is the REPL, which parses
// each line after the one before has run, fed the same lines; and the
// product written out (A*B*A).
func TestRunLastMatrixShape(t *testing.T) {
	script := "A : matrix(d, d)\nB : matrix(d, d)\nB*A\nA*_\nA*B*A\n_*A + A\nA*B*A*A + A\n"
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
		if len(got) != 5 || got[1] != got[2] || got[3] != got[4] {
			t.Errorf("run --jobs %s: A*_ and _*A + A should read as A*B*A and A*B*A*A + A:\n%s", jobs, out.String())
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
