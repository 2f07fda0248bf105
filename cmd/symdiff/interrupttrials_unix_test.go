//go:build unix

package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/symdiff/symdiff/parser/parsetest"
)

// TestInterruptTrials interrupts symdiff at random moments of reading and
// running the huge scripts, many times, and fails on every stop that used
// more than 100 ms of CPU after the signal, with the child's stacks at
// that moment (see interruptdump_unix_test.go). It is a tool for hunting
// a loop that misses its context in one phase only, too slow for every
// run of the tests: it runs when SYMDIFF_INTERRUPT_TRIALS gives the
// number of trials of each script, e.g.
//
//	SYMDIFF_INTERRUPT_TRIALS=200 go test ./cmd/symdiff -run TestInterruptTrials -v -timeout 2h
//
// SYMDIFF_TRIAL_MODE is run (symdiff run FILE, SIGINT), repl (:load FILE
// in the interactive session, Ctrl-C) or both (the default);
// SYMDIFF_TRIAL_SCRIPTS names some of hugeScripts (where,sum,cycle);
// SYMDIFF_TRIAL_DELAY is the longest wait before the signal (3s: the
// delay is uniform from 0 to it), of the child's CPU time if
// SYMDIFF_TRIAL_DELAY_CPU is set (the phase then does not depend on the
// load), else of wall time; SYMDIFF_TRIAL_CPU is the CPU time after the
// signal past which a trial fails and its stacks are taken (100ms).
func TestInterruptTrials(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("SYMDIFF_INTERRUPT_TRIALS"))
	if n <= 0 {
		t.Skip("SYMDIFF_INTERRUPT_TRIALS is not set")
	}
	maxDelay := envDuration(t, "SYMDIFF_TRIAL_DELAY", 3*time.Second)
	cpuLimit := envDuration(t, "SYMDIFF_TRIAL_CPU", 100*time.Millisecond)
	onCPU := os.Getenv("SYMDIFF_TRIAL_DELAY_CPU") != ""
	mode := os.Getenv("SYMDIFF_TRIAL_MODE")
	which := os.Getenv("SYMDIFF_TRIAL_SCRIPTS")
	t.Setenv(crashEnv, "crash")
	bin := builtSymdiff(t)
	dir := t.TempDir()
	for _, c := range hugeScripts() {
		if which != "" && !slices.Contains(strings.Split(which, ","), c.name) {
			continue
		}
		file := filepath.Join(dir, c.name+".sd")
		if err := os.WriteFile(file, []byte(c.src), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, m := range []string{"run", "repl"} {
			if mode != "" && mode != "both" && mode != m {
				continue
			}
			t.Run(m+"/"+c.name, func(t *testing.T) {
				var trials []trial
				for i := range n {
					delay := time.Duration(rand.Int64N(int64(maxDelay) + 1))
					var tr trial
					if m == "run" {
						tr = runTrial(t, bin, file, delay, onCPU, cpuLimit)
					} else {
						tr = replTrial(t, bin, file, delay, onCPU, cpuLimit)
					}
					t.Logf("trial %d: %s after %v: stopped in %v: %s", i, m, delay.Round(time.Millisecond), tr.took, tr.said)
					if tr.dump != "" {
						t.Errorf("trial %d (%v after the start): %v of CPU after the signal; the threads then:\n%s\nthe whole dump:\n%s", i, delay, tr.took.CPU, ownFrames(tr.dump), tr.dump)
					}
					trials = append(trials, tr)
				}
				t.Log(summary(trials))
			})
		}
	}
}

// A trial is one interruption: what it cost, what the child said, its
// stacks if it was late.
type trial struct {
	took parsetest.Stop
	said string
	dump string
}

func envDuration(t *testing.T, key string, def time.Duration) time.Duration {
	v := os.Getenv(key)
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		t.Fatalf("%s: %v", key, err)
	}
	return d
}

// runTrial runs symdiff run file and sends it SIGINT after delay.
func runTrial(t *testing.T, bin, file string, delay time.Duration, onCPU bool, cpuLimit time.Duration) trial {
	t.Helper()
	cmd := exec.Command(bin, "run", file)
	var stdout strings.Builder
	var stderr lockedBuffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	wait(t, cmd.Process.Pid, 0, delay, onCPU)
	took, dump := interruptProcOrDump(t, cmd, &stderr, cpuLimit)
	said := strings.TrimSpace(stderr.String())
	if i := strings.LastIndexByte(said, '\n'); i >= 0 {
		said = said[i+1:]
	}
	return trial{took, fmt.Sprintf("status %d, %.120s", cmd.ProcessState.ExitCode(), said), dump}
}

// interruptedAs finds the REPL's words for an interruption.
var interruptedAs = regexp.MustCompile(`(?m)^.*(interrupted|stopped).*$`)

// replTrial types :load file in the interactive session and Ctrl-C after
// delay.
func replTrial(t *testing.T, bin, file string, delay time.Duration, onCPU bool, cpuLimit time.Duration) trial {
	t.Helper()
	tm := startTerm(t, bin, filepath.Join(t.TempDir(), "history"))
	tm.expect(prompt, ptyTimeout)
	tm.send(":load " + file + "\r")
	base, _ := procCPU(tm.cmd.Process.Pid)
	tm.expect(file+"\n", ptyTimeout)
	wait(t, tm.cmd.Process.Pid, base, delay, onCPU)
	out, took, dump := tm.interruptOrDump(cpuLimit)
	said := interruptedAs.FindString(out)
	if dump == "" {
		tm.send("\x04")
		tm.wait(ptyTimeout)
	}
	return trial{took, said, dump}
}

// wait waits delay of wall time, or of process pid's CPU time past base.
func wait(t *testing.T, pid int, base, delay time.Duration, onCPU bool) {
	if !onCPU {
		time.Sleep(delay)
		return
	}
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(2 * time.Millisecond) {
		if d, ok := procCPU(pid); !ok || d >= base+delay {
			return
		}
	}
}

// summary is the distribution of the trials' stops.
func summary(trials []trial) string {
	var wall, cpu []time.Duration
	over := 0
	for _, tr := range trials {
		wall = append(wall, tr.took.Wall)
		cpu = append(cpu, tr.took.CPU)
		if tr.dump != "" {
			over++
		}
	}
	slices.Sort(wall)
	slices.Sort(cpu)
	q := func(d []time.Duration, p float64) time.Duration {
		return d[min(len(d)-1, int(p*float64(len(d))))].Round(time.Millisecond)
	}
	return fmt.Sprintf("%d trials, %d late; wall min %v median %v p90 %v p99 %v max %v; CPU after the signal min %v median %v p90 %v p99 %v max %v (/proc counts CPU in 10 ms ticks)",
		len(trials), over, q(wall, 0), q(wall, 0.5), q(wall, 0.9), q(wall, 0.99), q(wall, 1), q(cpu, 0), q(cpu, 0.5), q(cpu, 0.9), q(cpu, 0.99), q(cpu, 1))
}
