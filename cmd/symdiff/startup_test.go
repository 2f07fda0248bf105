package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Start-up budgets. A small call (symdiff diff 'x^2' x) is mostly
// start-up: package initialisation, then the first use of the built-in
// rules. Times on a shared machine are noise; allocation counts are not,
// so these tests hold allocations to a budget a little above what they
// are (see the performance notes in the README for the times).
//
// Package initialisation of the packages the command links, as
// GODEBUG=inittrace=1 reports it: a regexp.MustCompile or a table built
// at package level shows here.
const (
	initAllocsBudget = 660 // all packages; 642 on 2026-12-02 (606 on 2026-12-01, 726, and 897 before that)
	ownInitBudget    = 150 // this module's packages; 123 then (182, 301, and 397 before that)
	// ownInitKB holds the bytes this module's packages allocate: 58 KB
	// on 2026-12-01, 114 KB before the small integers' nodes, the lexer's
	// tables and the simplifier's and matrix identities' nodes were made
	// data or made on first use (a fresh heap page costs a page fault).
	ownInitKB = 60 // 46 KB on 2026-12-02
)

// noInitWork are this module's packages that a small command does not use
// (or uses only through what they make on first use) and whose
// initialisation does nothing at all: no map literal, no sync.OnceValue
// (a call), no variable copied from another. Go then links no
// initialisation function for them, and a start touches none of their
// code or data pages (each one about a page fault on this machine).
// GODEBUG=inittrace=1 reports only packages that have one.
var noInitWork = []string{
	"github.com/symdiff/symdiff/cmd/internal/codegen",
	"github.com/symdiff/symdiff/cmd/internal/latex",
	"github.com/symdiff/symdiff/cmd/internal/web",
	"github.com/symdiff/symdiff/rules/load",
	"github.com/symdiff/symdiff/simplify/explain",
	"github.com/symdiff/symdiff/simplify/matrix",
	"github.com/symdiff/symdiff/simplify/prove",
}

// pkgInitBudget holds the allocations of packages that build nothing at
// initialisation: their tables are data (parser's lextables.go), their
// nodes made on first use (simplify's sinTwelfths, matrix's patterns).
// Before: 89, 61 and 32; on 2026-12-01: 26, 31 and 2 (the rules written
// in Go, small maps).
// simplify: 33 allocations until 2026-12-02, when its rules became data
// (literals that copy no variable and call no function), their Apply set
// on first use (goRuleList), and its caches' maps made at their first
// entry; 2 since (the empty rule set of plain canonicalisers). algebra:
// 13, then 11 (its small primes on first use; big.Rat and big.Int
// constants remain).
var pkgInitBudget = map[string]int{
	"github.com/symdiff/symdiff/parser":           40,
	"github.com/symdiff/symdiff/simplify":         6,
	"github.com/symdiff/symdiff/simplify/algebra": 14,
	"github.com/symdiff/symdiff/simplify/matrix":  8,
}

// coldBudget holds the allocations of one command's first run in a fresh
// process (after initialisation), which builds what it uses on first
// use: the built-in rules, the simplifier's compiled rules. kb holds the
// bytes allocated: a buffer sized for large inputs and made for a small
// one costs a fresh process a page fault for each page it touches (a
// cold diff 'x^2' x allocated 929 KB, 660 KB of them in a 192 KB parser
// slab and two 128 KB node tables, before they were sized to the input).
var coldBudget = []struct {
	args   []string
	budget uint64
	kb     uint64
}{
	// When the budgets were first set: 117, 2614, 2533, 1367 and 3075
	// (about 8% more under the race detector); 86, 1412, 1348, 782 and
	// 1779 on 2026-12-01, then 86, 1005, 945, 375 and 1370 once the
	// built-in rules were read straight into rules (rules/load's
	// decodeInto) and the derivative rules on first use. The budgets
	// leave room for the engine to grow; building the built-in rules
	// where they are not needed (print) or work at start-up that every
	// command pays shows. Kilobytes: 13, 227, 214, 124 and 258 when kb
	// was set; 16, 173, 161, 92 and 219 then; 31, 192, 171, 99 and 231 on
	// 2026-12-01, and 39, 217, 198, 128 and 260 once initialisation built
	// no nodes (it allocates 55 KB less; the first command makes the slabs
	// of the node kinds it uses).
	{[]string{"print", "x^2 + sigma(y)"}, 150, 50}, // parses and prints only: no rules
	{[]string{"diff", "x^2", "x"}, 1600, 300},      // the built-in rules, compiled
	{[]string{"simplify", "x + x"}, 1600, 300},
	{[]string{"eval", "x^2 + 1", "x=3"}, 800, 180}, // the built-in rules, not compiled
	{[]string{"prove", "sigma(-x)", "1 - sigma(x)"}, 2200, 380},
	// Answered without kong's model of every command, which allocates
	// about 16,000 times and 1.4 MB (and takes five times a small diff's
	// instructions): --version, and the empty line (the REPL, here
	// reading an empty standard input); 49 and 326 allocations, 3 and
	// 175 KB, on 2026-12-01.
	{[]string{"--version"}, 100, 30},
	{[]string{}, 500, 220},
}

// forbidden are packages that must not be linked into the command: test
// helpers, and libraries whose initialisation every start would pay.
var forbidden = []string{
	"github.com/chromedp/", "github.com/google/go-cmp", "github.com/rogpeppe/go-internal",
	"github.com/schollz/progressbar", "github.com/mitchellh/colorstring", "testing",
	// The playground's page is filled without a template engine: html/template
	// and text/template cost every command about 0.1 ms of start-up.
	"html/template", "text/template",
}

// mainstackPkg grows the main goroutine's stack at initialisation.
const mainstackPkg = "github.com/symdiff/symdiff/cmd/internal/mainstack"

// commandDeps lists the packages the command links (go list -deps).
func commandDeps(t *testing.T) map[string]bool {
	t.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	out, err := exec.Command(gobin, "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	deps := map[string]bool{}
	for _, p := range strings.Fields(string(out)) {
		deps[p] = true
	}
	return deps
}

// TestInitBudget runs the command (this test binary acting as it, see
// TestMain) with GODEBUG=inittrace=1 and adds up the allocations of the
// initialisation of the packages the real command links.
func TestInitBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	deps := commandDeps(t)
	for p := range deps {
		for _, f := range forbidden {
			if p == f || strings.HasPrefix(p, f) && (strings.HasSuffix(f, "/") || strings.HasPrefix(p, f+"/")) {
				t.Errorf("the command links %s", p)
			}
		}
	}
	bin, err := exec.LookPath("symdiff") // TestMain puts this binary on PATH as symdiff
	if err != nil {
		t.Skip("symdiff is not on PATH")
	}
	cmd := exec.Command(bin, "print", "x")
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("symdiff print x: %v\n%s", err, stderr.String())
	}
	all, own, ownBytes, seen := 0, 0, 0, 0
	var report strings.Builder
	var before []string // packages that allocate, initialised before mainstack
	stackGrown := false
	sc := bufio.NewScanner(bytes.NewReader(stderr.Bytes()))
	for sc.Scan() {
		// init PKG @T ms, C ms clock, B bytes, A allocs
		f := strings.Fields(sc.Text())
		if len(f) != 11 || f[0] != "init" || f[10] != "allocs" || !deps[f[1]] {
			continue
		}
		n, err := strconv.Atoi(f[9])
		if err != nil {
			t.Fatalf("cannot read %q", sc.Text())
		}
		seen++
		all += n
		if slices.Contains(noInitWork, f[1]) {
			t.Errorf("%s has work to do at initialisation (%s bytes, %d allocations): make its package-level values data, switches or made on first use beside a sync.Once", f[1], f[7], n)
		}
		if f[1] == mainstackPkg {
			stackGrown = true
		} else if !stackGrown && (n > 0 || f[7] != "0") {
			before = append(before, f[1])
		}
		if f[1] == "github.com/symdiff/symdiff/cmd/symdiff" {
			continue // here with its tests' variables; the command's own are few
		}
		if strings.HasPrefix(f[1], "github.com/symdiff/symdiff/") {
			own += n
			b, err := strconv.Atoi(f[7])
			if err != nil {
				t.Fatalf("cannot read %q", sc.Text())
			}
			ownBytes += b
		}
		if budget, ok := pkgInitBudget[f[1]]; ok && n > budget {
			t.Errorf("%s allocates %d times at initialisation (budget %d): make its tables data or build them on first use", f[1], n, budget)
		}
		if n >= 20 {
			fmt.Fprintf(&report, "  %s: %d allocations\n", f[1], n)
		}
	}
	if seen < 50 {
		t.Fatalf("only %d packages' initialisation reported (%s):\n%s", seen, bin, stderr.String())
	}
	t.Logf("initialisation: %d allocations, %d of them (%d KB) in this module's packages", all, own, ownBytes>>10)
	if ownBytes>>10 > ownInitKB {
		t.Errorf("this module's packages allocate %d KB at initialisation (budget %d KB)", ownBytes>>10, ownInitKB)
	}
	// The main goroutine's stack is grown once, before the packages that
	// do work are initialised, rather than step by step (see mainstack).
	if !stackGrown {
		t.Errorf("%s was not initialised (the command must import it)", mainstackPkg)
	} else if len(before) > 0 {
		t.Errorf("%s was initialised after packages that allocate: %v", mainstackPkg, before)
	}
	if all > initAllocsBudget || own > ownInitBudget {
		t.Errorf("initialisation allocates %d times (budget %d), this module's packages %d (budget %d): "+
			"make what a command may not need on first use (beside a sync.Once; a package-level sync.OnceValue is itself a call), not at package level:\n%s",
			all, initAllocsBudget, own, ownInitBudget, report.String())
	}
}

// TestColdCommandBudget runs each command in a fresh process (this test
// binary, running coldHelper) and holds its allocations to a budget.
//
// A command that runs past interruptAfter installs Ctrl-C's handler, as
// it should, and that allocates too (14 KB more for `print` on a machine
// at load 22, where the budget is 50 KB): so a run that took that long is
// made again, up to five times, and the budget is held to the first run
// that did not; when none did, to the last, saying so.
func TestColdCommandBudget(t *testing.T) {
	for _, c := range coldBudget {
		var n, bytes uint64
		var slow bool
		for try := 0; try < 5; try++ {
			n, bytes, slow = coldRun(t, c.args)
			if !slow {
				break
			}
		}
		t.Logf("%q: %d allocations, %d KB", c.args, n, bytes>>10)
		if slow {
			t.Logf("%q: five runs in a row took over %v and installed Ctrl-C's handler: its allocations are counted", c.args, interruptAfter)
		}
		if n > c.budget {
			t.Errorf("%q allocates %d times in a fresh process, budget %d", c.args, n, c.budget)
		}
		if bytes>>10 > c.kb {
			t.Errorf("%q allocates %d KB in a fresh process, budget %d KB", c.args, bytes>>10, c.kb)
		}
	}
}

// coldRun runs args once in a fresh process and returns its allocations,
// their bytes, and whether it ran past interruptAfter (and so installed
// Ctrl-C's handler, which a shorter run must not have).
func coldRun(t *testing.T, args []string) (n, bytes uint64, slow bool) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestColdHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), "SYMDIFF_COLD_ARGS="+strings.Join(args, "\x1f"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%q: %v\n%s", args, err, out)
	}
	_, rest, ok := strings.Cut(string(out), "cold allocations: ")
	f := strings.Fields(rest)
	if !ok || len(f) < 7 || f[1] != "bytes:" || f[3] != "signals:" || f[5] != "took:" {
		t.Fatalf("%q: no count in\n%s", args, out)
	}
	if n, err = strconv.ParseUint(f[0], 10, 64); err != nil {
		t.Fatal(err)
	}
	if bytes, err = strconv.ParseUint(f[2], 10, 64); err != nil {
		t.Fatal(err)
	}
	took, err := time.ParseDuration(f[6])
	if err != nil {
		t.Fatal(err)
	}
	if took >= interruptAfter {
		return n, bytes, true
	}
	// A short command starts no goroutine (and thread) waiting for signals.
	if f[4] != "false" {
		t.Errorf("%q started the goroutine that waits for signals (it took %v)", args, took)
	}
	return n, bytes, false
}

// TestColdHelper is TestColdCommandBudget's fresh process.
func TestColdHelper(t *testing.T) {
	spec, ok := os.LookupEnv("SYMDIFF_COLD_ARGS")
	if !ok {
		t.Skip("run by TestColdCommandBudget")
	}
	var args []string // empty when spec is: no arguments at all
	if spec != "" {
		args = strings.Split(spec, "\x1f")
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	status := Main(args, strings.NewReader(""), io.Discard, io.Discard)
	took := time.Since(start)
	runtime.ReadMemStats(&after)
	if status != 0 {
		t.Fatalf("%q: exit status %d", args, status)
	}
	// Ctrl-C's handler is installed only after interruptAfter: a short
	// command starts no goroutine (and thread) waiting for signals.
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	fmt.Printf("cold allocations: %d bytes: %d signals: %v took: %v\n", after.Mallocs-before.Mallocs, after.TotalAlloc-before.TotalAlloc,
		bytes.Contains(buf, []byte("os/signal.loop")) || bytes.Contains(buf, []byte("os/signal.signal_recv")), took)
}

// BenchmarkProcessStartup runs small commands as whole processes, as a
// user does, and reports their CPU time (user + system of the child,
// which a loaded machine inflates much less than wall time):
//
//	go test -run '^$' -bench ProcessStartup ./cmd/symdiff
//
// The binary is copied before it is run: as the Go linker writes it
// (through a memory mapping) its pages sit in the page cache one by one,
// and every start of it then costs about a millisecond more than a
// start of a copy (see the README's start-up section).
func BenchmarkProcessStartup(b *testing.B) {
	built := buildBench(b)
	bin := filepath.Join(b.TempDir(), "symdiff")
	if err := copyFile(bin, built); err != nil {
		b.Fatal(err)
	}
	for _, args := range [][]string{
		{"diff", "x^2", "x"},
		{"diff", "x^2", "x", "--unicode"},
		{"print", "x^2"},
		{"prove", "sigma(-x)", "1 - sigma(x)"},
		{"--version"},
		{}, // the REPL, reading an empty standard input
	} {
		b.Run(strings.Join(args, " "), func(b *testing.B) {
			var cpu time.Duration
			for b.Loop() {
				cmd := exec.Command(bin, args...)
				if out, err := cmd.CombinedOutput(); err != nil {
					b.Fatalf("%v: %v\n%s", args, err, out)
				}
				cpu += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
			}
			b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
		})
	}
}

// copyFile writes a copy of src with write calls, executable.
func copyFile(dst, src string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
