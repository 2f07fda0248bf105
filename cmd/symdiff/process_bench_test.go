package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/symdiff/symdiff/cmd/internal/workload"
)

// BenchmarkProcessWorkloads runs workloads of issue 15 as whole processes,
// `symdiff run` on the script symdiff-peers writes, as a user does:
//
//	go test -run '^$' -bench 'ProcessWorkloads/W3' -benchtime 10x ./cmd/symdiff
//
// It reports the child's CPU time (user + system; with /usr/bin/time's,
// about a millisecond) and its peak RSS (through /usr/bin/time, when
// installed). What
// only a whole process shows is measured here: the first collections,
// fresh heap pages (a fault each), thread start-up, the heap floor of
// gc.go. BenchmarkWorkloads checks the answers against independent
// oracles; this one checks that the process prints what Main prints in
// this process (for the batch: every proof proved).
func BenchmarkProcessWorkloads(b *testing.B) {
	built := buildBench(b)
	bin := filepath.Join(b.TempDir(), "symdiff")
	if err := copyFile(bin, built); err != nil { // see BenchmarkProcessStartup
		b.Fatal(err)
	}
	for _, w := range workload.All() {
		if !processWorkload[w.Key()] {
			continue
		}
		script := w.Input
		if w.Kind == workload.Diff {
			script = w.Statement() + "\n"
		}
		file := filepath.Join(b.TempDir(), "work.sd")
		if err := os.WriteFile(file, []byte(script), 0o644); err != nil {
			b.Fatal(err)
		}
		jobs := []int{0} // the default
		if w.Kind == workload.Prove && w.Statements > 1 {
			jobs = []int{1, 2}
		}
		for _, j := range jobs {
			name := w.Key()
			args := []string{"run", file}
			if j > 0 {
				name += fmt.Sprintf("/jobs=%d", j)
				args = []string{"run", "--jobs", fmt.Sprint(j), file}
			}
			b.Run(name, func(b *testing.B) { benchProcessRun(b, w, bin, args) })
		}
	}
}

// processWorkload are the workloads BenchmarkProcessWorkloads runs: the
// largest of W3 and W5, W7 and the batch of W8.
var processWorkload = map[string]bool{"W3/10000": true, "W5/1000": true, "W7/1048kB": true, "W8/batch200": true}

func benchProcessRun(b *testing.B, w *workload.Workload, bin string, args []string) {
	var want bytes.Buffer
	var stderr bytes.Buffer
	if st := Main(args, strings.NewReader(""), &want, &stderr); st != 0 {
		b.Fatalf("%s: symdiff %s: exit %d: %s", w.Title(), strings.Join(args, " "), st, stderr.String())
	}
	if w.Kind == workload.Prove {
		if n := strings.Count(want.String(), "proved: "); n != w.Statements {
			b.Fatalf("%s: %d proved, want %d", w.Title(), n, w.Statements)
		}
	}
	// The peak RSS a process started from this one reports includes this
	// process's (Linux keeps the high-water mark across the exec of a
	// child that shared its memory): /usr/bin/time, started fresh, forks
	// the command from its own small memory and reports the command's.
	timeBin, _ := exec.LookPath("/usr/bin/time")
	rssFile := filepath.Join(b.TempDir(), "rss")
	var cpu time.Duration
	var rss int64
	for b.Loop() {
		cmd := exec.Command(bin, args...)
		if timeBin != "" {
			cmd = exec.Command(timeBin, append([]string{"-f", "%M", "-o", rssFile, bin}, args...)...)
		}
		out, err := cmd.Output()
		if err != nil {
			b.Fatalf("%s: symdiff %s: %v", w.Title(), strings.Join(args, " "), err)
		}
		if !bytes.Equal(out, want.Bytes()) {
			b.Fatalf("%s: the process printed %d bytes, Main %d, not the same", w.Title(), len(out), want.Len())
		}
		cpu += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
		if timeBin != "" {
			data, err := os.ReadFile(rssFile)
			if err != nil {
				b.Fatal(err)
			}
			kb, err := strconv.ParseInt(strings.TrimSpace(string(data)), 10, 64)
			if err != nil {
				b.Fatalf("/usr/bin/time wrote %q: %v", data, err)
			}
			rss = max(rss, kb)
		}
	}
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
	if rss > 0 {
		b.ReportMetric(float64(rss)/1024, "peak-RSS-MB")
	}
}
