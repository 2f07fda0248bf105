// Command symdiff-peers runs the workloads of the performance suite
// (cmd/internal/workload, the same ones go test -bench Workloads runs)
// side by side with SymPy and Maxima, and prints a table of times, ratios
// and peak memory:
//
//	go run ./cmd/symdiff-peers                      # everything
//	go run ./cmd/symdiff-peers -only 'W1|W2' -timeout 30s
//
// Each workload is timed twice per program, in CPU time (user + system:
// on a shared machine wall time mostly measures the wait for a core, and
// is shown alongside). Whole process: symdiff run on a script, python3 on
// a SymPy program, maxima on a batch file, from start to exit, with the
// peak resident memory /usr/bin/time reports. In-process core: the work
// alone, as each program measures it inside itself after its parse:
// symdiff's session (the code symdiff diff runs), SymPy's diff +
// simplify, Maxima's diff + ratsimp. A ratio is the peer's time over
// symdiff's: above 1, symdiff is faster. A program that uses up the
// time-out in CPU time is stopped and shown as "> T"; its larger sizes of
// the same workload are not run.
//
// A missing peer is said ("maxima not found") and the rest still runs.
package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/cmd/internal/session"
	"github.com/symdiff/symdiff/cmd/internal/workload"
	"github.com/symdiff/symdiff/parser"
	"github.com/symdiff/symdiff/simplify"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// A measurement is one program's times on one workload.
type measurement struct {
	proc, core time.Duration // whole process; in-process core (0: none)
	cpu        time.Duration // whole process: user + system CPU time
	rssKB      int64         // peak resident memory of the process
	timedOut   bool          // stopped at the time-out
	skipped    string        // why it was not run
	err        error
}

type config struct {
	timeout          time.Duration
	symdiff, python  string
	maxima           string
	timeBin          string // /usr/bin/time, or ""
	dir              string
	stderr           io.Writer
	timedOut         map[string]bool // program/workload ID that timed out at a smaller size
	jobs             []int
	withSym, withMax bool
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("symdiff-peers", flag.ContinueOnError)
	fs.SetOutput(stderr)
	only := fs.String("only", "", "run only the workloads whose key (W1/3x2, W5/1000, ...) matches this regular expression")
	timeout := fs.Duration("timeout", 60*time.Second, "stop a program after this much CPU time on one workload (whole seconds)")
	symdiffBin := fs.String("symdiff", "", "the symdiff binary (default: go build ./cmd/symdiff)")
	python := fs.String("python", "", "a python3 with sympy (default: python3, then /usr/bin/python3)")
	maxima := fs.String("maxima", "maxima", "the maxima command")
	noSym := fs.Bool("no-sympy", false, "do not run SymPy")
	noMax := fs.Bool("no-maxima", false, "do not run Maxima")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	re, err := regexp.Compile(*only)
	if err != nil {
		fmt.Fprintf(stderr, "symdiff-peers: -only: %v\n", err)
		return 2
	}
	dir, err := os.MkdirTemp("", "symdiff-peers")
	if err != nil {
		fmt.Fprintf(stderr, "symdiff-peers: %v\n", err)
		return 1
	}
	defer os.RemoveAll(dir)
	c := &config{timeout: *timeout, dir: dir, stderr: stderr, timedOut: map[string]bool{}, jobs: []int{1, 2}}

	if p, err := exec.LookPath("/usr/bin/time"); err == nil {
		c.timeBin = p
	} else {
		fmt.Fprintln(stdout, "/usr/bin/time not found: peak RSS is the child's rusage, which counts this process's own peak")
	}
	c.symdiff = *symdiffBin
	if c.symdiff == "" {
		c.symdiff = filepath.Join(dir, "symdiff")
		fmt.Fprintln(stderr, "building symdiff ...")
		if out, err := exec.Command("go", "build", "-o", c.symdiff, "github.com/symdiff/symdiff/cmd/symdiff").CombinedOutput(); err != nil {
			fmt.Fprintf(stderr, "symdiff-peers: go build: %v\n%s", err, out)
			return 1
		}
	}
	if !*noSym {
		c.python = findSymPy(*python)
		if c.python == "" {
			fmt.Fprintln(stdout, "sympy not found (python3 with sympy; Debian: python3-sympy): SymPy is not run")
		} else {
			c.withSym = true
			fmt.Fprintf(stdout, "SymPy: %s\n", version(c.python, "-c", "import sympy, sys; print('sympy', sympy.__version__, 'python', sys.version.split()[0])"))
		}
	}
	if !*noMax {
		if p, err := exec.LookPath(*maxima); err != nil {
			fmt.Fprintln(stdout, "maxima not found: Maxima is not run")
		} else {
			c.maxima, c.withMax = p, true
			fmt.Fprintf(stdout, "Maxima: %s\n", version(p, "--version"))
		}
	}
	fmt.Fprintf(stdout, "symdiff: %s; %d cores, GOMAXPROCS %d; time-out %v\n\n",
		version(c.symdiff, "--version"), runtime.NumCPU(), runtime.GOMAXPROCS(0), c.timeout)

	tw := tabwriter.NewWriter(stdout, 0, 0, 1, ' ', tabwriter.Debug)
	header := []string{"workload", "symdiff process", "RSS"}
	if c.withSym {
		header = append(header, "SymPy process", "RSS", "×")
	}
	if c.withMax {
		header = append(header, "Maxima process", "RSS", "×")
	}
	header = append(header, "symdiff core")
	if c.withSym {
		header = append(header, "SymPy core", "×")
	}
	if c.withMax {
		header = append(header, "Maxima core", "×")
	}
	fmt.Fprintln(tw, strings.Join(header, "\t")+"\t")
	status := 0
	for _, w := range workload.All() {
		if !re.MatchString(w.Key()) {
			continue
		}
		fmt.Fprintf(stderr, "%s ...\n", w.Title())
		if w.Kind == workload.Prove && w.Statements > 1 {
			// The batch: symdiff run with --jobs 1 and 2, and the scaling.
			var ms []measurement
			for _, j := range c.jobs {
				m := c.symdiffProcess(w, j)
				ms = append(ms, m)
				fmt.Fprintf(tw, "%s, run --jobs %d\t%s\t%s\t\n", w.Title(), j, duration(m), rss(m))
				fmt.Fprintf(stderr, "  --jobs %d: %s | %s\n", j, duration(m), rss(m))
			}
			if ms[0].err == nil && ms[1].err == nil && !ms[0].timedOut && !ms[1].timedOut {
				fmt.Fprintf(tw, "%s: --jobs 2 over --jobs 1\t%.2f× faster\t\t\n", w.Title(), ms[0].proc.Seconds()/ms[1].proc.Seconds())
			}
			continue
		}
		sd := c.symdiffProcess(w, 0)
		if !sd.timedOut && sd.skipped == "" {
			sd.core, sd.err = c.symdiffCore(w, sd.err)
		}
		row := []string{w.Title(), duration(sd), rss(sd)}
		var sym, max measurement
		if c.withSym {
			sym = c.peer("sympy", w)
			row = append(row, duration(sym), rss(sym), ratio(sym.cpu, sd.cpu, sym, sd))
		}
		if c.withMax {
			max = c.peer("maxima", w)
			row = append(row, duration(max), rss(max), ratio(max.cpu, sd.cpu, max, sd))
		}
		row = append(row, coreText(sd.core, sd))
		if c.withSym {
			row = append(row, coreText(sym.core, sym), ratio(sym.core, sd.core, sym, sd))
		}
		if c.withMax {
			row = append(row, coreText(max.core, max), ratio(max.core, sd.core, max, sd))
		}
		fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
		fmt.Fprintln(stderr, "  "+strings.Join(row, " | ")) // as it goes, for a long run
		for _, m := range []measurement{sd, sym, max} {
			if m.err != nil {
				fmt.Fprintf(stderr, "  %s: %v\n", w.Title(), m.err)
				status = 1
			}
		}
	}
	tw.Flush()
	fmt.Fprintln(stdout, "\nTimes are CPU time (user + system), which a loaded machine inflates less than wall time; × is the")
	fmt.Fprintln(stdout, "peer's over symdiff's (above 1: symdiff is faster). Whole process: start to exit (wall time in brackets),")
	fmt.Fprintln(stdout, "with peak RSS (/usr/bin/time). Core: the work alone (diff + simplify; diff + ratsimp for Maxima; for W7")
	fmt.Fprintln(stdout, "the parse), timed inside each program: symdiff's and Maxima's diff repeated for 0.2 s and averaged (Maxima's")
	fmt.Fprintln(stdout, "clock ticks in 10 ms), symdiff's parse and proofs and SymPy's once. The --jobs rows are wall time.")
	return status
}

func findSymPy(flagValue string) string {
	cands := []string{"python3", "/usr/bin/python3"}
	if flagValue != "" {
		cands = []string{flagValue}
	}
	for _, py := range cands {
		if p, err := exec.LookPath(py); err == nil && exec.Command(p, "-c", "import sympy").Run() == nil {
			return p
		}
	}
	return ""
}

func version(prog string, args ...string) string {
	out, err := exec.Command(prog, args...).Output()
	if err != nil {
		return prog + " (version unknown)"
	}
	return strings.TrimSpace(strings.SplitN(string(out), "\n", 2)[0])
}

// timedRun runs a program with the time-out and returns its wall time,
// CPU time, peak RSS and what it printed. The figures come from
// /usr/bin/time when it is there: the rusage of a child of this process
// would start from this process's own peak (Linux carries the parent's
// high-water mark through fork and exec).
//
// The time-out is on CPU time (ulimit -t: the kernel stops the program
// with SIGXCPU), so that a loaded machine does not stop a peer that is
// waiting for a core; twenty times it in wall time stops a program that
// waits on something else (its CPU time is then not known: the kill
// takes /usr/bin/time with it).
func (c *config) timedRun(name string, args ...string) (measurement, string) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*c.timeout)
	defer cancel()
	stat := filepath.Join(c.dir, "time.out")
	_ = os.Remove(stat)
	limit := []string{"/bin/sh", "-c", fmt.Sprintf(`ulimit -t %d && exec "$@"`, int(c.timeout.Seconds()+0.5)), "sh", name}
	var cmd *exec.Cmd
	if c.timeBin != "" {
		cmd = exec.CommandContext(ctx, c.timeBin, append(append([]string{"-f", "%M", "-o", stat}, limit...), args...)...)
	} else {
		cmd = exec.CommandContext(ctx, limit[0], append(limit[1:], args...)...)
	}
	// Its own process group, so that a time-out stops the program and
	// whatever it started (maxima is a script that starts a Lisp).
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	err := cmd.Run()
	m := measurement{proc: time.Since(start)}
	if cmd.ProcessState != nil {
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			m.rssKB = ru.Maxrss // kilobytes on Linux
			m.cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		}
	}
	if b, rerr := os.ReadFile(stat); rerr == nil {
		// The last line: time writes "Command exited with non-zero status"
		// before it. The CPU time stays the rusage's (time's and its
		// child's, in microseconds; time prints hundredths).
		lines := strings.Split(strings.TrimSpace(string(b)), "\n")
		var kb int64
		if _, serr := fmt.Sscanf(lines[len(lines)-1], "%d", &kb); serr == nil {
			m.rssKB = kb
		}
	}
	switch {
	case ctx.Err() != nil:
		m.timedOut, m.cpu = true, 0
	case err != nil && m.cpu >= c.timeout*4/5:
		m.timedOut = true // SIGXCPU, then SIGKILL; the accounting lags the limit
	case err != nil:
		m.err = fmt.Errorf("%s: %v: %s", filepath.Base(name), err, lastLines(errb.String()+out.String(), 3))
	}
	return m, out.String()
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}

// symdiffProcess times symdiff run on the workload's script (jobs > 0:
// with --jobs).
func (c *config) symdiffProcess(w *workload.Workload, jobs int) measurement {
	script := w.Input
	if w.Kind == workload.Diff {
		script = w.Statement() + "\n"
	}
	file := filepath.Join(c.dir, "work.sd")
	if err := os.WriteFile(file, []byte(script), 0o644); err != nil {
		return measurement{err: err}
	}
	// symdiff's own limit is on wall time: the same twenty times as the
	// others', so that the CPU limit is what stops it on a loaded machine.
	args := []string{"run", "--timeout", (20 * c.timeout).String(), file}
	if jobs > 0 {
		args = append([]string{"run", "--jobs", strconv.Itoa(jobs)}, args[1:]...)
	}
	if key := "symdiff/" + w.ID; c.timedOut[key] {
		return measurement{skipped: "a smaller size timed out"}
	}
	m, out := c.timedRun(c.symdiff, args...)
	if m.timedOut {
		c.timedOut["symdiff/"+w.ID] = true
	}
	if m.err == nil && !m.timedOut && w.Kind == workload.Prove {
		if n := strings.Count(out, "proved: "); n != w.Statements {
			m.err = fmt.Errorf("symdiff proved %d of %d", n, w.Statements)
		}
	}
	return m
}

// cpuTime is this process's user + system CPU time so far.
// coreRepeat is how long a diff core is repeated, as the Maxima program
// does (workload.Maxima).
const coreRepeat = 200 * time.Millisecond

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// symdiffCore times the work in this process (CPU time), after parsing:
// the session's simplification of d(E, v) (what symdiff diff runs),
// repeated for coreRepeat as Maxima's is; once, the parse of W7's file
// (a second parse would find its nodes interned) and the proofs of W8 one
// after another. The answer is checked as the benchmarks check it.
func (c *config) symdiffCore(w *workload.Workload, procErr error) (time.Duration, error) {
	if procErr != nil {
		return 0, procErr
	}
	runtime.GC()
	s := session.New()
	s.Timeout = 20 * c.timeout // wall time, as symdiff run's
	pc := s.Context()
	ctx := context.Background()
	switch w.Kind {
	case workload.Diff:
		target, err := parser.ParseExpr(w.Statement(), pc)
		if err != nil {
			return 0, err
		}
		// Repeated until 0.2 s of CPU have passed and averaged, first run
		// included, as Maxima's core is: one run of a few microseconds is
		// below the clock's resolution, and a core timed cold against
		// Maxima's warm one would not compare like with like.
		var res *simplify.Result
		reps := 0
		start := cpuTime()
		for reps == 0 || cpuTime()-start < coreRepeat {
			if res, err = s.Simplify(ctx, target); err != nil {
				return cpuTime() - start, err
			}
			reps++
		}
		d := (cpuTime() - start) / time.Duration(reps)
		input, err := parser.ParseExpr(w.Input, pc)
		if err != nil {
			return d, err
		}
		return d, workload.CheckDiff(ctx, w, pc, input, res.Expr)
	case workload.Parse:
		start := cpuTime()
		stmts, err := parser.ParseFile("defs.sd", w.Input, pc)
		d := cpuTime() - start
		if err != nil {
			return d, err
		}
		return d, workload.CheckParse(w, stmts)
	}
	stmts, err := parser.ParseFile("proofs.sd", w.Input, pc)
	if err != nil {
		return 0, err
	}
	var d time.Duration
	for _, st := range stmts {
		start := cpuTime()
		r, err := s.Exec(ctx, st)
		if _, ok := st.Stmt.(*ast.ProveStmt); ok {
			d += cpuTime() - start
			if err == nil && r.Status != session.OK {
				err = fmt.Errorf("%s: not proved", st.Text)
			}
		}
		if err != nil {
			return d, err
		}
	}
	return d, nil
}

// peer runs SymPy or Maxima on the workload.
func (c *config) peer(which string, w *workload.Workload) measurement {
	if !workload.HasPeers(w) {
		return measurement{skipped: "no equivalent"}
	}
	if c.timedOut[which+"/"+w.ID] {
		return measurement{skipped: "a smaller size timed out"}
	}
	data := filepath.Join(c.dir, which+".data")
	prog := filepath.Join(c.dir, which+".prog")
	var p workload.Program
	var m measurement
	var out string
	if which == "sympy" {
		p = workload.SymPy(w)
	} else {
		p = workload.Maxima(w, data)
	}
	if err := errors.Join(os.WriteFile(data, []byte(p.Data), 0o644), os.WriteFile(prog, []byte(p.Text), 0o644)); err != nil {
		return measurement{err: err}
	}
	if which == "sympy" {
		m, out = c.timedRun(c.python, prog, data)
	} else {
		m, out = c.timedRun(c.maxima, "--very-quiet", "--batch-string", fmt.Sprintf("batchload(%q)$", prog))
		if m.err == nil && !m.timedOut && !strings.Contains(out, "core_seconds") {
			m.err = fmt.Errorf("maxima: %s", lastLines(out, 3))
		}
	}
	if m.timedOut {
		c.timedOut[which+"/"+w.ID] = true
	}
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 2 && f[0] == "core_seconds" {
			if v, err := strconv.ParseFloat(f[1], 64); err == nil {
				m.core = time.Duration(v * float64(time.Second))
				if m.core == 0 {
					m.core = time.Microsecond // below the clock's tick
				}
			}
		}
	}
	return m
}

func duration(m measurement) string {
	switch {
	case m.skipped != "":
		return "— (" + m.skipped + ")"
	case m.timedOut && m.cpu == 0:
		return "? (> " + fmtDur(m.proc) + " wall)"
	case m.timedOut:
		return "> " + fmtDur(m.cpu) + " (" + fmtDur(m.proc) + " wall)"
	case m.err != nil:
		return "error"
	}
	return fmtDur(m.cpu) + " (" + fmtDur(m.proc) + " wall)"
}

func coreText(d time.Duration, m measurement) string {
	switch {
	case m.skipped != "":
		return "—"
	case m.timedOut && m.cpu == 0:
		return "?"
	case m.timedOut && d == 0:
		return "> " + fmtDur(m.cpu)
	case m.err != nil:
		return "error"
	case d == 0:
		return "—"
	}
	return fmtDur(d)
}

func fmtDur(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%.0f µs", float64(d)/float64(time.Microsecond))
	case d < time.Second:
		return fmt.Sprintf("%.3g ms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%.3g s", d.Seconds())
}

func rss(m measurement) string {
	if m.rssKB == 0 || m.skipped != "" {
		return "—"
	}
	return fmt.Sprintf("%d MB", (m.rssKB+512)/1024)
}

// ratio is peer over symdiff, in CPU time; "> r" when the peer ran out
// of CPU time (its time is then the time-out's).
func ratio(peer, sd time.Duration, m, sdm measurement) string {
	if sd <= 0 || m.skipped != "" || m.err != nil || sdm.timedOut || sdm.err != nil || sdm.skipped != "" {
		return "—"
	}
	if m.timedOut {
		if m.cpu == 0 {
			return "—"
		}
		return fmt.Sprintf("> %.3g", m.cpu.Seconds()/sd.Seconds())
	}
	if peer <= 0 {
		return "—"
	}
	return fmt.Sprintf("%.3g", peer.Seconds()/sd.Seconds())
}
