//go:build unix

package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/google/go-cmp/cmp"
)

// The interactive session, end to end: the real binary in a pseudo-terminal,
// with line editing, history, completion, colour and Ctrl-C.

// ptyTimeout bounds each wait for output: generous, for a loaded machine
// with two cores.
const ptyTimeout = 30 * time.Second

// goTool finds the go command that runs these tests.
func goTool(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	if root := os.Getenv("GOROOT"); root != "" {
		p := filepath.Join(root, "bin", "go")
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	t.Skip("no go command to build the binary with")
	return ""
}

// buildSymdiff builds the command into a temporary directory.
func buildSymdiff(t *testing.T) string {
	t.Helper()
	// Without a pseudo-terminal there is nothing to test.
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal (/dev/ptmx): %v", err)
	}
	ptmx.Close()
	tty.Close()
	bin := filepath.Join(t.TempDir(), "symdiff")
	cmd := exec.Command(goTool(t), "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// A term is a running symdiff on a pseudo-terminal.
type term struct {
	t    *testing.T
	cmd  *exec.Cmd
	ptmx *os.File

	mu   sync.Mutex
	buf  []byte // everything the program wrote, without the terminal's \r
	pos  int    // how much of buf expect has consumed
	done chan struct{}
}

// startTerm starts bin in a terminal of 250 columns with the environment
// of an interactive user: TERM=xterm, NO_COLOR unset, the history in
// history.
func startTerm(t *testing.T, bin, history string) *term {
	t.Helper()
	cmd := exec.Command(bin)
	cmd.Dir = t.TempDir()
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); k != "NO_COLOR" && k != "TERM" && k != "SYMDIFF_HISTORY" && k != "HOME" {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "TERM=xterm", "SYMDIFF_HISTORY="+history, "HOME="+cmd.Dir)
	ptmx, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 50, Cols: 250})
	if err != nil {
		t.Skipf("cannot start a program on a pseudo-terminal: %v", err)
	}
	tm := &term{t: t, cmd: cmd, ptmx: ptmx, done: make(chan struct{})}
	go func() {
		defer close(tm.done)
		b := make([]byte, 4096)
		for {
			n, err := ptmx.Read(b)
			tm.mu.Lock()
			tm.buf = append(tm.buf, bytes.ReplaceAll(b[:n], []byte("\r"), nil)...)
			tm.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
		ptmx.Close()
		<-tm.done
	})
	return tm
}

// send types s.
func (tm *term) send(s string) {
	tm.t.Helper()
	if _, err := tm.ptmx.Write([]byte(s)); err != nil {
		tm.t.Fatalf("writing %q to the terminal: %v", s, err)
	}
}

// expect waits until the output not yet consumed contains want, consumes
// it and returns the text up to and including it.
func (tm *term) expect(want string, timeout time.Duration) string {
	tm.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		tm.mu.Lock()
		rest := tm.buf[tm.pos:]
		if i := bytes.Index(rest, []byte(want)); i >= 0 {
			got := string(rest[:i+len(want)])
			tm.pos += i + len(want)
			tm.mu.Unlock()
			return got
		}
		tm.mu.Unlock()
		select {
		case <-tm.done:
			tm.t.Fatalf("the program ended before writing %q; its output after the last match:\n%q", want, rest)
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("no %q within %v; output after the last match:\n%q", want, timeout, rest)
		}
	}
}

const prompt = "symdiff> "

// line types a line and returns what the program wrote up to the next
// prompt.
func (tm *term) line(s string) string {
	tm.t.Helper()
	tm.send(s + "\r")
	return tm.expect(prompt, ptyTimeout)
}

// wait waits for the program to end and returns its exit status.
func (tm *term) wait(timeout time.Duration) int {
	tm.t.Helper()
	errc := make(chan error, 1)
	go func() { errc <- tm.cmd.Wait() }()
	select {
	case err := <-errc:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		if err != nil {
			tm.t.Fatalf("waiting for symdiff: %v", err)
		}
		return 0
	case <-time.After(timeout):
		tm.t.Fatalf("symdiff still runs %v after Ctrl-D", timeout)
		return -1
	}
}

// interrupt types Ctrl-C while a computation runs and returns what was
// printed until the prompt came back and how long that took.
func (tm *term) interrupt(after time.Duration) (string, time.Duration) {
	tm.t.Helper()
	time.Sleep(after)
	start := time.Now()
	tm.send("\x03")
	out := tm.expect(prompt, ptyTimeout)
	return out, time.Since(start)
}

func TestPTY(t *testing.T) {
	bin := buildSymdiff(t)
	history := filepath.Join(t.TempDir(), "config", "history")
	if err := os.MkdirAll(filepath.Dir(history), 0o755); err != nil {
		t.Fatal(err)
	}
	// A line from an earlier session.
	if err := os.WriteFile(history, []byte("6*7\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tm := startTerm(t, bin, history)
	if banner := tm.expect(prompt, ptyTimeout); !strings.Contains(banner, "symdiff — type :help for help, Ctrl-D to leave.") {
		t.Errorf("no banner before the first prompt: %q", banner)
	}

	// The history of an earlier session: the up arrow recalls it.
	tm.send("\x1b[A")
	tm.expect("6*7", ptyTimeout)
	if out := tm.line(""); !strings.Contains(out, "\n42\n") {
		t.Errorf("the recalled 6*7 printed %q", out)
	}

	// A definition and a derivative, in Unicode, with colour.
	out := tm.line("p[i] := sigma(z[i])")
	if !strings.Contains(out, "defined pᵢ") {
		t.Errorf("the definition printed %q", out)
	}
	if !strings.Contains(out, "\x1b[") {
		t.Errorf("no colour on a terminal without NO_COLOR: %q", out)
	}
	if out := tm.line("d(p[i], z[i])"); !strings.Contains(out, "\npᵢ·(1 − pᵢ)") {
		t.Errorf("d(p[i], z[i]) printed %q", out)
	}

	// The up arrow recalls the last line; Enter runs it again.
	tm.send("\x1b[A")
	tm.expect("d(p[i], z[i])", ptyTimeout)
	if out := tm.line(""); !strings.Contains(out, "\npᵢ·(1 − pᵢ)") {
		t.Errorf("the recalled d(p[i], z[i]) printed %q", out)
	}

	// Tab completes a function's name (sigm → sigma, not also its alias
	// sigmoid) and a defined name; with several candidates a second Tab
	// lists them.
	tm.send("sigm\t")
	tm.expect("sigma", ptyTimeout)
	if out := tm.line("(0)"); !strings.Contains(out, "\n0.5\n") {
		t.Errorf("sigma(0), completed from sigm, printed %q", out)
	}
	tm.line("myloss := 3")
	tm.send("2*myl\t")
	tm.expect("myloss", ptyTimeout)
	if out := tm.line(""); !strings.Contains(out, "\n6\n") {
		t.Errorf("2*myloss, completed from myl, printed %q", out)
	}
	tm.send("s\t\t")
	list := tm.expect("sum", ptyTimeout) // the last of them, in order
	for _, name := range []string{"sigma", "sin", "softplus", "sqrt"} {
		if !strings.Contains(list, name) {
			t.Errorf("the second Tab after s listed %q, without %s", list, name)
		}
	}
	tm.expect(prompt+"s", ptyTimeout) // the line, redrawn under the list
	if out := tm.line("oftplus(0)"); !strings.Contains(out, "\nlog(2)\n") {
		t.Errorf("softplus(0) printed %q", out)
	}

	// Ctrl-C during a long :eval: the prompt comes back at once, saying
	// so, not after the evaluation's 10^8 steps. (The brief's 3*10^8 terms
	// are refused at once: more than the evaluator's 10^8 steps.)
	tm.send(":eval sum(i=1..100000000, sin(i)*x) x=1\r")
	tm.expect("x=1\n", ptyTimeout)
	out, took := tm.interrupt(700 * time.Millisecond)
	if !strings.Contains(out, "error: ") || !strings.Contains(out, "interrupted") || strings.Contains(out, "evaluation too long") {
		t.Errorf("Ctrl-C during :eval printed %q, want \"error: interrupted\"", out)
	}
	t.Logf("Ctrl-C during :eval: the prompt came back after %v", took)

	// Ctrl-C during a long proof (its numeric checks take minutes).
	tm.send("prove sum(i=1..10000000, sin(i)*x) == x*sum(i=1..10000000, sin(i))\r")
	tm.expect("sin(i))\n", ptyTimeout)
	out, took = tm.interrupt(time.Second)
	if !strings.Contains(out, "interrupted") {
		t.Errorf("Ctrl-C during prove printed %q, want \"interrupted\"", out)
	}
	t.Logf("Ctrl-C during prove: the prompt came back after %v", took)

	// The session continues.
	if out := tm.line("1+1"); !strings.Contains(out, "\n2\n") {
		t.Errorf("1+1 after the interruptions printed %q", out)
	}

	// Ctrl-C at a prompt with text on it clears the line.
	tm.send("1+2")
	tm.expect("1+2", ptyTimeout)
	tm.send("\x03")
	tm.expect(prompt, ptyTimeout)
	if out := tm.line("3*3"); !strings.Contains(out, "\n9\n") || strings.Contains(out, "\n3\n") || strings.Contains(out, "70") {
		t.Errorf("3*3 after clearing the line printed %q", out)
	}

	// A statement typed on several lines is one history entry.
	tm.send("(1 + # one\r")
	tm.expect("...> ", ptyTimeout)
	if out := tm.line("2)"); !strings.Contains(out, "\n3\n") {
		t.Errorf("a statement on two lines printed %q", out)
	}

	// Ctrl-D at an empty prompt leaves with status 0.
	tm.send("\x04")
	if status := tm.wait(ptyTimeout); status != 0 {
		t.Errorf("exit status %d after Ctrl-D, want 0", status)
	}

	// The history holds the earlier session's line and every statement
	// typed, once each, without the line cleared by Ctrl-C.
	data, err := os.ReadFile(history)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"6*7",
		"p[i] := sigma(z[i])",
		"d(p[i], z[i])",
		"sigma(0)",
		"myloss := 3",
		"2*myloss",
		"softplus(0)",
		":eval sum(i=1..100000000, sin(i)*x) x=1",
		"prove sum(i=1..10000000, sin(i)*x) == x*sum(i=1..10000000, sin(i))",
		"1+1",
		"3*3",
		"(1 + 2)",
	}
	if diff := cmp.Diff(want, strings.Split(strings.TrimRight(string(data), "\n"), "\n")); diff != "" {
		t.Errorf("history file (-want +got):\n%s", diff)
	}
	entries, err := os.ReadDir(filepath.Dir(history))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("%d files next to the history (a temporary file left?), want 1", len(entries))
	}
}
