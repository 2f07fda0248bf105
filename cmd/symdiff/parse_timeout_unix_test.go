//go:build unix

package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/symdiff/symdiff/parser/parsetest"
)

var (
	builtOnce sync.Once
	builtBin  string
	builtErr  error
)

// builtSymdiff builds the command once for the tests that run it as a
// process.
func builtSymdiff(t *testing.T) string {
	t.Helper()
	builtOnce.Do(func() {
		dir, err := os.MkdirTemp("", "symdiff-bin")
		if err != nil {
			builtErr = err
			return
		}
		builtBin = filepath.Join(dir, "symdiff")
		out, err := exec.Command(goTool(t), "build", "-o", builtBin, ".").CombinedOutput()
		if err != nil {
			builtErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if builtErr != nil {
		t.Fatal(builtErr)
	}
	return builtBin
}

// TestRunInterruptWhileParsing: Ctrl-C (SIGINT) while run reads a huge
// script ends the process promptly with the interrupt's message and
// status 2. The script takes seconds to read. (run read its scripts
// under its context already: 67 ms before these changes, 35 ms after.)
func TestRunInterruptWhileParsing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command and a 16 MB input")
	}
	bin := builtSymdiff(t)
	file := filepath.Join(t.TempDir(), "where.sd")
	if err := os.WriteFile(file, []byte(hugeScripts()[0].src), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv(crashEnv, "crash") // a late stop dumps the stacks
	cmd := exec.Command(bin, "run", file)
	var stdout strings.Builder
	var stderr lockedBuffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Reading by now: the start takes milliseconds of CPU, the read
	// seconds.
	awaitCPU(t, cmd.Process.Pid, 0, 300*time.Millisecond, 300*time.Millisecond)
	took, dump := interruptProcOrDump(t, cmd, &stderr, lateCPU())
	t.Logf("run: ended %v after SIGINT", took)
	if dump != "" {
		t.Fatalf("still running after %v of CPU (%v); its threads then:\n%s\nthe whole dump:\n%s", lateCPU(), took, ownFrames(dump), dump)
	}
	want := "symdiff: " + file + ": interrupted (reading the script)\n"
	if status := cmd.ProcessState.ExitCode(); status != 2 || stdout.String() != "" || stderr.String() != want {
		t.Errorf("status %d, stdout %.100q, stderr %.200q; want 2, %q", status, stdout.String(), stderr.String(), want)
	}
	if late := took.Late(0); late != "" {
		t.Errorf("ended late after SIGINT: %s", late)
	}
}

// interruptAndWait sends SIGINT to cmd and waits for it to end; it
// returns what the process did after the signal: its CPU time (from
// /proc; CPUOK is false where that cannot be read), its idle time
// (parsetest.WatchIdle) and the wall time.
func interruptAndWait(t *testing.T, cmd *exec.Cmd) (took parsetest.Stop) {
	t.Helper()
	cpu0, ok := procCPU(cmd.Process.Pid)
	idle := parsetest.WatchIdle(cmd.Process.Pid)
	start := time.Now()
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(parsetest.StopWall() + 30*time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("%s still running %v after SIGINT", filepath.Base(cmd.Path), time.Since(start).Round(time.Second))
	}
	took.Wall = time.Since(start)
	took.CPU = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime() - cpu0
	took.CPUOK = ok
	took.Idle, took.IdleOK = idle.Stop()
	return took
}

// TestReplInterruptWhileReading: in the interactive session, Ctrl-C
// while :load reads a huge file brings the prompt back promptly, saying
// so, and the session goes on. Before, the file was read whole (seconds)
// and only its statements' work was cancelled.
func TestReplInterruptWhileReading(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command and a 16 MB input")
	}
	bin := builtSymdiff(t)
	file := filepath.Join(t.TempDir(), "where.sd")
	if err := os.WriteFile(file, []byte(hugeScripts()[0].src), 0o644); err != nil {
		t.Fatal(err)
	}
	// A late prompt is answered with the REPL's stacks (SIGQUIT; see
	// interruptdump_unix_test.go), so that a failure names the loop: this
	// test failed once in CI (3.6 s, 2.1 s of CPU) and passed alone.
	t.Setenv(crashEnv, "crash")
	tm := startTerm(t, bin, filepath.Join(t.TempDir(), "history"))
	tm.expect(prompt, ptyTimeout)
	tm.line("a := 3")
	base, _ := procCPU(tm.cmd.Process.Pid)
	tm.send(":load " + file + "\r")
	tm.expect(file+"\n", ptyTimeout)
	// Reading by now: the read takes seconds of CPU.
	awaitCPU(t, tm.cmd.Process.Pid, base, 300*time.Millisecond, 300*time.Millisecond)
	out, took, dump := tm.interruptOrDump(lateCPU())
	t.Logf("Ctrl-C during :load: the prompt came back after %v", took)
	if dump != "" {
		t.Fatalf("the prompt was not back after %v of CPU (%v); the REPL's threads then:\n%s\nthe whole dump:\n%s", lateCPU(), took, ownFrames(dump), dump)
	}
	if want := file + ": interrupted (reading the script)"; !strings.Contains(out, want) {
		t.Errorf("Ctrl-C during :load printed %q, want %q", out, want)
	}
	if late := took.Late(0); late != "" {
		t.Errorf("the prompt came back late after Ctrl-C: %s", late)
	}
	if out := tm.line("a + 1"); !strings.Contains(out, "\n4\n") {
		t.Errorf("a + 1 after the interruption printed %q", out)
	}
	tm.send("\x04")
	if status := tm.wait(ptyTimeout); status != 0 {
		t.Errorf("exit status %d after Ctrl-D, want 0", status)
	}
}

// TestJSONStepsInterruptedExitStatus: Ctrl-C while the last statement's
// JSON steps are written (they take seconds; the value tens of
// milliseconds) stops them, and the process exits with the interrupt's
// status 2, saying so, not 0 with steps_stopped set.
func TestJSONStepsInterruptedExitStatus(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	bin := builtSymdiff(t)
	file := filepath.Join(t.TempDir(), "deep.sd")
	if err := os.WriteFile(file, []byte(deepGradient()), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "run", "--json", file)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Writing the steps by now: the value takes 20-40 ms of CPU, the
	// steps 13 s. (The fixed sleep of 600 ms this test had is 60 ms of
	// CPU at a tenth of a core, the share of a load of 20 on 2 cores:
	// near the end of the value.)
	awaitCPU(t, cmd.Process.Pid, 0, 500*time.Millisecond, 600*time.Millisecond)
	took := interruptAndWait(t, cmd)
	t.Logf("run --json: ended %v after SIGINT", took)
	if !strings.Contains(stdout.String(), `"steps_stopped":"interrupted"`) {
		t.Fatalf("the steps were not interrupted (status %d, stderr %.200q): %.300s", cmd.ProcessState.ExitCode(), stderr.String(), stdout.String())
	}
	want := file + ":2:1: interrupted (writing the steps)\n"
	if status := cmd.ProcessState.ExitCode(); status != 2 || !strings.HasPrefix(stderr.String(), want) {
		t.Errorf("status %d, stderr %.200q; want 2, %q", status, stderr.String(), want)
	}
	if late := took.Late(0); late != "" {
		t.Errorf("ended late after SIGINT: %s", late)
	}
}
