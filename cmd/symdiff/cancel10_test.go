//go:build unix

package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/parser/parsetest"
)

// deepScripts are inputs whose trees are deep or huge: sin nested
// 100,000 and 700,000 deep (a where clause, each name using the one
// before: brackets may nest only 20,000 deep), a 4 MiB script of
// definitions that nest sin 180,000 deep, differentiated, a sum of
// 100,000 terms and a product of 1,000 factors, each printed and
// differentiated. Each takes seconds; every phase of each (reading,
// lowering, canonical form, the undefined-part walk, tidying, printing)
// must see a Ctrl-C or a time limit within 100 ms.
func deepScripts() []struct{ name, src string } {
	where := func(n int) string {
		var b strings.Builder
		fmt.Fprintf(&b, "u%d where u1 = sin(x)", n)
		for i := 2; i <= n; i++ {
			fmt.Fprintf(&b, ", u%d = sin(u%d)", i, i-1)
		}
		b.WriteString("\n")
		return b.String()
	}
	var defs strings.Builder
	defs.WriteString("a1 := sin(x)\n")
	n := 1
	for defs.Len() < 4<<20 {
		n++
		fmt.Fprintf(&defs, "a%d := sin(a%d)\n", n, n-1)
	}
	fmt.Fprintf(&defs, "d(a%d, x)\n", n)
	var sum, sq strings.Builder
	for i := 1; i <= 100_000; i++ {
		if i > 1 {
			sum.WriteString(" + ")
			sq.WriteString(" + ")
		}
		fmt.Fprintf(&sum, "x%d", i)
		fmt.Fprintf(&sq, "x%d^2", i)
	}
	var prod strings.Builder
	for i := 1; i <= 1000; i++ {
		if i > 1 {
			prod.WriteString("*")
		}
		fmt.Fprintf(&prod, "(x + %d)", i)
	}
	return []struct{ name, src string }{
		{"where100k", where(100_000)},
		{"where700k", where(700_000)},
		{"defs4MiB", defs.String()},
		{"sum100k", sum.String() + "\nd(" + sq.String() + ", x7)\n"},
		{"prod1000", prod.String() + "\nd(" + prod.String() + ", x)\n"},
	}
}

// cancelBound is the CPU time a stop may use after Ctrl-C or past its
// time limit: the standard's 100 ms, and 3 s under the race detector,
// which slows the work four to six times and its channel operations and
// allocations more (a walk's look every few thousand steps is then
// hundreds of ms apart). CPU time, not wall time: at a load of 20 on 2
// cores a process gets a tenth of a core (parsetest.StopSlack), while
// CPU time past the signal is work the process did not need to do. The
// process's own collector counts too.
func cancelBound() time.Duration {
	if raceEnabled {
		return 3 * time.Second
	}
	return 100 * time.Millisecond
}

// TestCancel10Interrupt runs symdiff run on each of deepScripts, sends
// SIGINT after several amounts of the child's CPU time (so the phase hit
// does not depend on the load), and requires the documented stop: exit
// status 2, "interrupted" on stderr, within cancelBound of CPU time after
// the signal. A late stop fails with the child's stacks at that moment
// (interruptdump_unix_test.go). SYMDIFF_CANCEL10_TRIALS=n adds n trials
// per script at random moments (uniform up to 4 s of CPU).
func TestCancel10Interrupt(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command and inputs of up to 16 MB, and runs each for seconds")
	}
	t.Setenv(crashEnv, "crash") // a late stop dumps the stacks
	bin := builtSymdiff(t)
	dir := t.TempDir()
	extra, _ := strconv.Atoi(os.Getenv("SYMDIFF_CANCEL10_TRIALS"))
	for _, c := range deepScripts() {
		t.Run(c.name, func(t *testing.T) {
			file := filepath.Join(dir, c.name+".sd")
			if err := os.WriteFile(file, []byte(c.src), 0o644); err != nil {
				t.Fatal(err)
			}
			delays := []time.Duration{30 * time.Millisecond, 300 * time.Millisecond, 1200 * time.Millisecond, 2500 * time.Millisecond}
			for range extra {
				delays = append(delays, time.Duration(rand.Int64N(int64(4*time.Second))))
			}
			for _, delay := range delays {
				cancelTrial(t, bin, file, delay, nil)
			}
		})
	}
}

// TestCancel10Timeout: the same inputs with --timeout 50ms stop with the
// time limit's message and status 2, using at most cancelBound of CPU
// past the limit on each processor.
func TestCancel10Timeout(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command and inputs of up to 16 MB")
	}
	t.Setenv(crashEnv, "crash")
	bin := builtSymdiff(t)
	dir := t.TempDir()
	for _, c := range deepScripts() {
		t.Run(c.name, func(t *testing.T) {
			file := filepath.Join(dir, c.name+".sd")
			if err := os.WriteFile(file, []byte(c.src), 0o644); err != nil {
				t.Fatal(err)
			}
			cancelTrial(t, bin, file, 0, []string{"--timeout", "50ms"})
		})
	}
}

// cancelTrial runs symdiff run [flags] file. Without flags it sends
// SIGINT after delay of the child's CPU time; with them (a time limit)
// it waits for the child to end. It fails on a status other than 2, on
// stderr without the stop's words, and on more than cancelBound of CPU
// after the stop (the signal, or the limit's time on each processor).
func cancelTrial(t *testing.T, bin, file string, delay time.Duration, flags []string) {
	t.Helper()
	args := append(append([]string{"run"}, flags...), file)
	cmd := exec.Command(bin, args...)
	var stdout strings.Builder
	var stderr lockedBuffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var took parsetest.Stop
	var dump string
	var late time.Duration
	var want string
	if flags == nil {
		for {
			if d, ok := procCPU(cmd.Process.Pid); !ok || d >= delay || ended(cmd.Process.Pid) {
				break
			}
			time.Sleep(2 * time.Millisecond)
		}
		if ended(cmd.Process.Pid) {
			_ = cmd.Wait()
			t.Logf("%s ended before %v of CPU (status %d)", filepath.Base(file), delay, cmd.ProcessState.ExitCode())
			return
		}
		// The stop is when the child says it stopped: the CPU time after
		// that is the exit's (freeing a heap of hundreds of MB took 10-30
		// ms of it at a load of 20), not a loop that missed the signal.
		cpu0, _ := procCPU(cmd.Process.Pid)
		said := make(chan time.Duration, 1)
		go func() {
			for deadline := time.Now().Add(parsetest.StopWall()); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
				if cpu, ok := procCPU(cmd.Process.Pid); !ok {
					said <- -1 // ended: the whole stop counts
					return
				} else if stderr.String() != "" {
					said <- cpu
					return
				}
			}
			said <- time.Hour
		}()
		took, dump = interruptProcOrDump(t, cmd, &stderr, cancelBound()+100*time.Millisecond)
		if at := <-said; at >= 0 {
			late = at - cpu0
		} else {
			late = took.CPU
		}
		want = "interrupted"
	} else {
		cpu0, _ := procCPU(cmd.Process.Pid)
		ended := make(chan struct{})
		go func() { _ = cmd.Wait(); close(ended) }()
		start := time.Now()
		// The limit runs from the start; past it the child may use
		// cancelBound more on each processor before its stacks are taken.
		limit := 50 * time.Millisecond
		dump = awaitStop(t, cmd.Process.Pid, start, cpu0, 2*(limit+cancelBound()), func() bool { return false }, ended, stderr.String)
		<-ended
		took.Wall = time.Since(start)
		took.CPU = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
		took.CPUOK = true
		late = took.CPU - 2*limit
		want = "stopped: the time limit was reached"
	}
	said := stderr.String()
	t.Logf("%s after %v: %v of CPU to the stop; ended in %v, status %d: %.160s", filepath.Base(file), delay, late, took, cmd.ProcessState.ExitCode(), strings.TrimSpace(said))
	if dump != "" {
		t.Fatalf("%v of CPU after the stop; the threads then:\n%s\nthe whole dump:\n%s", took.CPU, ownFrames(dump), dump)
	}
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGINT {
		// Before its handler is installed (interruptAfter), Ctrl-C ends
		// the process as it ends any program: documented, and prompt.
		t.Logf("ended by SIGINT before its handler was installed")
	} else if cmd.ProcessState.ExitCode() == 0 && said == "" && flags == nil {
		t.Logf("finished as the signal came") // prod1000 takes about 0.3 s of CPU
	} else if status := cmd.ProcessState.ExitCode(); status != 2 || !strings.Contains(said, want) {
		t.Errorf("status %d, stderr %.300q; want 2 and %q", status, said, want)
	}
	if late > cancelBound() {
		t.Errorf("%v of CPU after the stop, more than %v", late, cancelBound())
	}
}

// ended reports whether process pid has ended (a zombie not yet waited
// for: its CPU time no longer grows).
func ended(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true
	}
	i := strings.LastIndexByte(string(b), ')')
	f := strings.Fields(string(b[i+1:]))
	return i < 0 || len(f) == 0 || f[0] == "Z" || f[0] == "X"
}

// TestHasLastAgrees: independent and readsLast decide from the
// statement's text whether it may read _ (hasLast), and ask the tree
// (ast.HasFree) only when the text has it. On thousands of random
// scripts, with _ on its own, in names (x_1, a_b), after Σ, in
// comments, in definitions of values and functions called later, in
// sums, where clauses and proofs, hasLast must give HasFree's answer.
func TestHasLastAgrees(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 34))
	atoms := []string{"_", "x", "y", "x_1", "a_b", "2", "1/3", "f", "g(x)", "g(_)", "x[k]", "Σ_{i=1}^{n} z[i]"}
	var expr func(depth int) string
	expr = func(depth int) string {
		if depth <= 0 || r.IntN(3) == 0 {
			return atoms[r.IntN(len(atoms))]
		}
		a, b := expr(depth-1), expr(depth-1)
		switch r.IntN(8) {
		case 0:
			return a + " + " + b
		case 1:
			return a + "*" + b
		case 2:
			return "sin(" + a + ")"
		case 3:
			return "sum(i=1..n, z[i]*" + a + ")"
		case 4:
			return "(" + a + ")^2"
		case 5:
			return "u + " + a + " where u = " + b
		case 6:
			return "d(" + a + ", x)"
		}
		return "exp(" + a + ") - " + b
	}
	stmt := func() string {
		e := expr(3)
		switch r.IntN(7) {
		case 0:
			return "prove " + e + " == " + expr(2)
		case 1:
			return "f := " + e
		case 2:
			return "g(t) := t*" + e
		case 3:
			return e + "  # a comment with _ in it"
		}
		return e
	}
	type answer struct {
		Text                           string
		Independent, ReadsLast         bool
		IndependentTree, ReadsLastTree bool
	}
	checked, withLast := 0, 0
	for script := 0; checked < 3000; script++ {
		var src strings.Builder
		src.WriteString("x\n")
		for range 8 {
			line := stmt() + "\n"
			if _, err := parser.ParseFile("rand.sd", src.String()+line, &parser.Context{DeferLast: true}); err == nil {
				src.WriteString(line)
			}
		}
		sts, err := parser.ParseFile("rand.sd", src.String(), &parser.Context{DeferLast: true})
		if err != nil {
			t.Fatalf("%v\n%s", err, src.String())
		}
		for _, st := range sts {
			tree := func(e ast.Expr) bool { return ast.HasFree(e, "_") }
			var want answer
			switch x := st.Stmt.(type) {
			case *ast.ExprStmt:
				want.IndependentTree = !tree(x.X)
				want.ReadsLastTree = !want.IndependentTree
			case *ast.ProveStmt:
				want.IndependentTree = !tree(x.A) && !tree(x.B)
				want.ReadsLastTree = !want.IndependentTree
			case *ast.DefStmt:
				want.ReadsLastTree = tree(x.Def.Body)
			default:
				continue
			}
			want.Text = st.Text
			want.Independent, want.ReadsLast = want.IndependentTree, want.ReadsLastTree
			got := want
			got.Independent, got.ReadsLast = independent(st), readsLast(st)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("statement %q of\n%s(-HasFree +hasLast):\n%s", st.Text, src.String(), diff)
			}
			checked++
			if want.ReadsLastTree {
				withLast++
			}
		}
	}
	t.Logf("%d statements, %d of them reading _", checked, withLast)
	if withLast < checked/10 || withLast > checked*9/10 {
		t.Errorf("%d of %d statements read _: the generator no longer tests both answers", withLast, checked)
	}
}

// TestIndependentNoFreeNames: deciding that a sum of 100,000 terms does
// not read _ must not list its free names (ast.FreeNames sorts all
// 100,000 of them, about 100 ms with no look at a Ctrl-C, once for each
// statement read by run): it allocates next to nothing.
func TestIndependentNoFreeNames(t *testing.T) {
	var sum strings.Builder
	for i := 1; i <= 100_000; i++ {
		if i > 1 {
			sum.WriteString(" + ")
		}
		fmt.Fprintf(&sum, "x%d", i)
	}
	sts, err := parser.ParseFile("sum.sd", sum.String()+"\n", &parser.Context{DeferLast: true})
	if err != nil || len(sts) != 1 {
		t.Fatalf("%d statements, %v", len(sts), err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	ind, last := independent(sts[0]), readsLast(sts[0])
	runtime.ReadMemStats(&after)
	if !ind || last {
		t.Errorf("independent %v, readsLast %v; want true, false", ind, last)
	}
	if b := after.TotalAlloc - before.TotalAlloc; b > 64<<10 {
		t.Errorf("independent and readsLast allocated %d bytes on a sum of 100,000 names; want at most 64 KiB (no list of its names)", b)
	}
}
