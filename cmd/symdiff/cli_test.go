package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
)

// Regression tests for the command-line bugs of issue 9.

// runMainStdin is runMain with the given standard input.
func runMainStdin(t testing.TB, stdin string, args ...string) (stdout, stderr string, status int) {
	t.Helper()
	var out, errb bytes.Buffer
	status = Main(args, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), status
}

// -o is a flag only alone: -omega^2 is an expression.
func TestShortFlagPrefixIsAnExpression(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"simplify", "-omega^2"}, "-omega^2\n"},
		{[]string{"print", "-o1*x"}, "-o1*x\n"},
		{[]string{"diff", "-omega*x", "x"}, "-omega\n"},
		{[]string{"eval", "-hx", "hx=2"}, "-2\n"},
	} {
		stdout, stderr, status := runMain(t, c.args...)
		if status != 0 || stdout != c.want {
			t.Errorf("symdiff %q: status %d, stdout %q, stderr %q; want %q", c.args, status, stdout, stderr, c.want)
		}
	}
	// latex -o FILE still writes FILE.
	out := filepath.Join(t.TempDir(), "d.tex")
	stdout, stderr, status := runMain(t, "latex", "-o", out, "x^2", "--wrt", "x")
	if status != 0 || stdout != "" || stderr != "" {
		t.Fatalf("latex -o: status %d, stdout %q, stderr %q", status, stdout, stderr)
	}
	if b, err := os.ReadFile(out); err != nil || !strings.Contains(string(b), `&= 2 x`) {
		t.Errorf("latex -o wrote %q, %v", b, err)
	}
}

// run - and latex - read the standard input given to Main, not the
// process's.
func TestStdinIsMainsReader(t *testing.T) {
	for _, c := range []struct {
		args        []string
		stdin, want string
	}{
		{[]string{"run", "-"}, "a := 2\na*x + x\n", "3*x\n"},
		{[]string{"run", "examples/../-"}, "", ""}, // not standard input: a missing file
		{[]string{"latex", "-"}, "x + x\n", "x + x = 2 x"},
		{[]string{"rules", "check", "-"}, "rule dbl: 2*u -> u + u\n", "dbl"},
	} {
		stdout, stderr, status := runMainStdin(t, c.stdin, c.args...)
		if c.want == "" {
			if status != 2 || !strings.Contains(stderr, "no such file") {
				t.Errorf("symdiff %q: status %d, stderr %q; want a missing file", c.args, status, stderr)
			}
			continue
		}
		if status != 0 || !strings.Contains(stdout, c.want) {
			t.Errorf("symdiff %q < %q: status %d, stdout %q, stderr %q; want it to contain %q", c.args, c.stdin, status, stdout, stderr, c.want)
		}
	}
}

// symdiff --version prints the build's version.
func TestVersionFlag(t *testing.T) {
	stdout, stderr, status := runMain(t, "--version")
	if status != 0 || stderr != "" || !regexp.MustCompile(`^symdiff \S+\n$`).MatchString(stdout) {
		t.Errorf("--version: status %d, stdout %q, stderr %q", status, stdout, stderr)
	}
}

func TestVersion(t *testing.T) {
	rev := []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: "0123456789abcdef0123"}}
	for _, c := range []struct {
		name string
		info *debug.BuildInfo
		ok   bool
		want string
	}{
		{"no build information", nil, false, "devel"},
		{"tagged module", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.0"}, Settings: rev}, true, "v1.2.0"},
		{"commit", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: rev}, true, "0123456789ab"},
		{"modified work tree", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"},
			Settings: append(slices.Clone(rev), debug.BuildSetting{Key: "vcs.modified", Value: "true"})}, true, "0123456789ab-dirty"},
		{"neither", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, true, "devel"},
	} {
		if got := version(c.info, c.ok); got != c.want {
			t.Errorf("%s: version = %q, want %q", c.name, got, c.want)
		}
	}
}
