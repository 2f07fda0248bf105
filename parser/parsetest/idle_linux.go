//go:build linux

package parsetest

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// threadTimes reads, for each live thread of process pid (0: this one),
// the time it has spent on a CPU and waiting on a run queue (runnable,
// not running), from /proc/PID/task/*/schedstat; ok is false where that
// cannot be read (no /proc, a kernel without schedstats).
func threadTimes(pid int) (map[int]busyTimes, bool) {
	dir := "/proc/self/task"
	if pid != 0 {
		dir = "/proc/" + strconv.Itoa(pid) + "/task"
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, false
	}
	m := make(map[int]busyTimes, len(ents))
	for _, e := range ents {
		tid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name(), "schedstat"))
		if err != nil {
			continue // the thread ended between the two reads
		}
		f := strings.Fields(string(b))
		if len(f) < 2 {
			return nil, false
		}
		cpu, err1 := strconv.ParseInt(f[0], 10, 64)
		wait, err2 := strconv.ParseInt(f[1], 10, 64)
		if err1 != nil || err2 != nil {
			return nil, false
		}
		m[tid] = busyTimes{cpu: time.Duration(cpu), wait: time.Duration(wait)}
	}
	return m, len(m) > 0
}
