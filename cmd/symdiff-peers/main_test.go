package main

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestMissingPeer: without Maxima the command says so and still measures
// symdiff (and, with -no-sympy, nothing else), exiting 0 with a row per
// workload.
func TestMissingPeer(t *testing.T) {
	if testing.Short() {
		t.Skip("builds symdiff")
	}
	bin := filepath.Join(t.TempDir(), "symdiff")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/symdiff/symdiff/cmd/symdiff").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	var stdout, stderr bytes.Buffer
	st := run([]string{"-symdiff", bin, "-maxima", "/nonexistent/maxima", "-no-sympy", "-only", "W2/3x2|W8/seed", "-timeout", "30s"}, &stdout, &stderr)
	out := stdout.String()
	if st != 0 {
		t.Fatalf("exit %d\n%s\n%s", st, out, stderr.String())
	}
	for _, want := range []string{"maxima not found", "W2 MSE written out, d/dw1 + simplify, n×d = 3×2", "W8 seed proof, 1 proof", " MB "} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	if strings.Contains(out, "Maxima process") || strings.Contains(out, "SymPy process") {
		t.Errorf("columns for peers that did not run:\n%s", out)
	}
}

// TestCells: how times, time-outs and ratios print.
func TestCells(t *testing.T) {
	done := measurement{proc: 30 * time.Millisecond, cpu: 12 * time.Millisecond, core: 2500 * time.Microsecond, rssKB: 20 << 10}
	stopped := measurement{proc: 90 * time.Second, cpu: 19 * time.Second, timedOut: true}
	killed := measurement{proc: 400 * time.Second, timedOut: true}
	cases := []struct{ got, want string }{
		{duration(done), "12 ms (30 ms wall)"},
		{duration(stopped), "> 19 s (90 s wall)"},
		{duration(killed), "? (> 400 s wall)"},
		{duration(measurement{skipped: "no equivalent"}), "— (no equivalent)"},
		{rss(done), "20 MB"},
		{coreText(done.core, done), "2.5 ms"},
		{coreText(0, stopped), "> 19 s"},
		{ratio(24*time.Millisecond, done.cpu, done, done), "2"},
		{ratio(stopped.cpu, done.cpu, stopped, done), "> 1.58e+03"},
		{ratio(0, done.cpu, killed, done), "—"},
		{ratio(done.cpu, stopped.cpu, done, stopped), "—"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
