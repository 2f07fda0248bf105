package web

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/symdiff/symdiff/parser/parsetest"
)

// TestHugeScriptStopsInTime: a script that takes seconds to read stops
// at the request's deadline and gives its slot back then: the next
// request, waiting for the only slot, is served. Before the parse took
// the request's context, a 2 MB script held the slot for its whole read
// (seconds), and the next request got 503.
func TestHugeScriptStopsInTime(t *testing.T) {
	if testing.Short() {
		t.Skip("parses megabytes")
	}
	const limit = 100 * time.Millisecond
	srv := httptest.NewServer(New(Options{Timeout: limit, MaxBody: 16 << 20, MaxConcurrent: 1, QueueWait: parsetest.StopWall()}))
	defer srv.Close()
	body := script(parsetest.HugeSum(800_000))
	var status int
	var m map[string]any
	cpu0, _ := parsetest.CPUTime()
	took := parsetest.MeasureStop(func() { status, m, _ = post(t, srv.URL, "application/json", body) })
	t.Logf("a 9 MB script: answered after %v (its upload included)", took)
	// The stop is worded by whichever sees it first: the server at the
	// deadline, or the parse, which names what it was reading.
	if msg, _ := errorOf(t, m)["message"].(string); status != http.StatusOK || !strings.HasPrefix(msg, "stopped: the time limit was reached") {
		t.Errorf("status %d, answer %.300v", status, m)
	}
	if late := took.Late(limit); late != "" {
		t.Errorf("answered late: %s", late)
	}
	// The next request is served (not refused for want of the slot).
	// It has the same 100 ms limit, which 1+1 overran once by the clock
	// under the race detector at a load of 12: a time-out is tried
	// again, at most three times in all.
	for try := 1; ; try++ {
		start := time.Now()
		status, m, _ := post(t, srv.URL, "application/json", script("1+1"))
		t.Logf("the next request was answered after %v", time.Since(start).Round(time.Millisecond))
		e, _ := m["error"].(map[string]any)
		if msg, _ := e["message"].(string); status == http.StatusOK && strings.HasPrefix(msg, "stopped: the time limit was reached") && try < 3 {
			continue
		}
		if rs, _ := m["results"].([]any); status != http.StatusOK || m["error"] != nil || len(rs) != 1 || rs[0].(map[string]any)["result"] != "2" {
			t.Errorf("1+1 after the stop: status %d, answer %.300v", status, m)
		}
		break
	}
	// The work of the whole, the next request's wait for the slot
	// included, is that of a stop: the read does not go on after the
	// answer (a read of the whole script is seconds of CPU).
	if cpu1, ok := parsetest.CPUTime(); ok {
		whole := parsetest.Stop{Wall: took.Wall, CPU: cpu1 - cpu0, CPUOK: true}
		if late := whole.Late(limit); late != "" {
			t.Errorf("the stopped script and the next request: %s", late)
		}
	}
}

// TestClientGoneStopsScript: a client that leaves while its script is
// read (a huge one, under a generous limit) ends the work: the only slot
// comes free for the next request within the standard's time, not when
// the read would have ended.
func TestClientGoneStopsScript(t *testing.T) {
	if testing.Short() {
		t.Skip("parses megabytes")
	}
	srv := httptest.NewServer(New(Options{Timeout: time.Minute, MaxBody: 16 << 20, MaxConcurrent: 1, QueueWait: parsetest.StopWall()}))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/api/run", strings.NewReader(script(parsetest.HugeSum(800_000))))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	done := make(chan error, 1)
	cpu0, cpuOK := parsetest.CPUTime()
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	// The body is sent and being read by now: its upload and decoding
	// take tens of milliseconds of CPU, its read seconds. (By the clock,
	// on a loaded machine, the upload may not even have started.)
	if cpuOK {
		for deadline := time.Now().Add(parsetest.StopWall()); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
			if cpu, _ := parsetest.CPUTime(); cpu-cpu0 > parsetest.StopSlack()/3 {
				break
			}
		}
	} else {
		time.Sleep(300 * time.Millisecond)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("the request that left: %v", err)
	}
	var rs []any
	took := parsetest.MeasureStop(func() { rs = runOK(t, srv.URL, "1+1") })
	if len(rs) != 1 || rs[0].(map[string]any)["result"] != "2" {
		t.Errorf("1+1 after the client left: %v", rs)
	}
	t.Logf("the slot came free and 1+1 was answered %v after the client left", took)
	if late := took.Late(0); late != "" {
		t.Errorf("the slot came free late after the client left: %s", late)
	}
}
