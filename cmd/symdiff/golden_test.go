package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// runMain runs the command line in this process and returns what it
// printed and its exit status. Paths in args are relative to the working
// directory of the test.
func runMain(t testing.TB, args ...string) (stdout, stderr string, status int) {
	t.Helper()
	var out, errb bytes.Buffer
	status = Main(args, strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), status
}

// A goldenCase is a command whose standard output is kept in a golden file.
type goldenCase struct {
	file   string   // under testdata/golden
	args   []string // run from the repository root, as the README shows them
	status int
}

// goldenCases are the seed example's outputs: the script run, the
// derivation of d(CE, w[k]) as LaTeX, Markdown and Unicode, and the whole
// script as LaTeX; and the losses with kinks, run and as LaTeX.
var goldenCases = []goldenCase{
	{"logistic.run.golden", []string{"run", "examples/logistic.sd"}, 0},
	{"ce_wk.latex.golden", []string{"latex", "--defs", "examples/logistic.sd", "CE", "--wrt", "w[k]"}, 0},
	{"ce_wk.markdown.golden", []string{"latex", "--markdown", "--defs", "examples/logistic.sd", "CE", "--wrt", "w[k]"}, 0},
	{"ce_wk.steps.golden", []string{"diff", "--steps", "--defs", "examples/logistic.sd", "CE", "w[k]"}, 0},
	{"logistic.latex.golden", []string{"latex", "examples/logistic.sd"}, 0},
	{"explain.golden", []string{"explain", "examples/logistic.sd"}, 0},
	{"explain-seed.golden", []string{"explain", "--one-hot", "examples/seed-claims.sd"}, 0},
	{"explain-matrix.golden", []string{"explain", "examples/explain-matrix.sd"}, 0},
	{"explain-matrix.latex.golden", []string{"explain", "--latex", "examples/explain-matrix.sd", "--loss", "CE", "--loss", "PR"}, 0},
	{"losses.run.golden", []string{"run", "examples/losses.sd"}, 0},
	{"losses.latex.golden", []string{"latex", "examples/losses.sd"}, 0},
}

// goldenDir is testdata/golden as an absolute path (tests change into the
// repository root to run the README's commands verbatim).
func goldenDir(t testing.TB) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("testdata", "golden"))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestGolden compares the seed example's outputs with the golden files;
// go test -run TestGolden -update rewrites them (review the diff: every
// line is mathematics a reader will see).
func TestGolden(t *testing.T) {
	dir := goldenDir(t)
	t.Chdir(repoRoot(t))
	for _, c := range goldenCases {
		t.Run(strings.TrimSuffix(c.file, ".golden"), func(t *testing.T) {
			stdout, stderr, status := runMain(t, c.args...)
			if status != c.status || stderr != "" {
				t.Fatalf("symdiff %s: status %d, want %d; stderr:\n%s", strings.Join(c.args, " "), status, c.status, stderr)
			}
			path := filepath.Join(dir, c.file)
			if *update {
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(stdout), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if diff := cmp.Diff(lines(string(want)), lines(stdout)); diff != "" {
				t.Errorf("symdiff %s differs from %s (-want +got):\n%s", strings.Join(c.args, " "), c.file, diff)
			}
		})
	}
}

func lines(s string) []string { return strings.SplitAfter(s, "\n") }

// readGolden returns a golden file's content.
func readGolden(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(goldenDir(t), name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestGoldenMatchesREADME checks that the outputs the README quotes are
// the ones symdiff produces: the Markdown derivation of d(CE, w[k]) and
// the beginning of `symdiff run examples/logistic.sd`.
func TestGoldenMatchesREADME(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(repoRoot(t), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```(\\w*)\n(.*?)```").FindAllStringSubmatch(string(readme), -1)
	var math, run string
	for _, b := range blocks {
		switch {
		case b[1] == "math" && math == "":
			math = b[2]
		case b[1] == "" && strings.HasPrefix(b[2], "(p[m] - y[m])/n"):
			run = b[2]
		}
	}
	if math == "" || run == "" {
		t.Fatalf("README.md: no math block (%v) or no quoted run output (%v)", math != "", run != "")
	}
	md := readGolden(t, "ce_wk.markdown.golden")
	md = strings.TrimPrefix(strings.TrimSpace(md), "```math\n")
	md, _, _ = strings.Cut(md, "```") // the README's block ends before the closing fence (the ranges follow it)
	if diff := cmp.Diff(lines(math), lines(md)); diff != "" {
		t.Errorf("the README's math block is not what `latex --markdown` prints (-README +golden):\n%s", diff)
	}
	// The README elides the end of the run output with "  ...".
	quoted, _, elided := strings.Cut(run, "  ...\n")
	if !elided {
		t.Fatalf("README.md: the quoted run output does not end in \"  ...\":\n%s", run)
	}
	got := readGolden(t, "logistic.run.golden")
	if !strings.HasPrefix(got, quoted) {
		t.Errorf("the README's run output is not a prefix of logistic.run.golden:\nREADME:\n%s\ngolden:\n%s", quoted, got)
	}
	// The explain section quotes the explanation of CE as explain prints it.
	ce, _, _ := strings.Cut(readGolden(t, "explain.golden"), "\n\n")
	if !strings.Contains(string(readme), "$ symdiff explain examples/logistic.sd --loss CE\n"+ce+"\n") {
		t.Errorf("the README does not quote `symdiff explain examples/logistic.sd --loss CE` as it prints:\n%s", ce)
	}
	// The matrix notation's example: each line it quotes (not "  ...") is
	// a line explain prints for CE, in order.
	const cmdLine = "$ symdiff explain examples/explain-matrix.sd --loss CE\n"
	_, quote, ok := strings.Cut(string(readme), cmdLine)
	if !ok {
		t.Fatalf("README.md does not quote %q", cmdLine)
	}
	quote, _, _ = strings.Cut(quote, "```")
	mce, _, _ := strings.Cut(readGolden(t, "explain-matrix.golden"), "\n\n")
	printed := strings.Split(mce, "\n")
	at := 0
	for _, l := range strings.Split(quote, "\n") {
		if l == "  ..." || l == "" {
			continue
		}
		for at < len(printed) && printed[at] != l {
			at++
		}
		if at == len(printed) {
			t.Errorf("the README quotes a line explain does not print (in this order) for examples/explain-matrix.sd CE: %q", l)
			break
		}
	}
}
