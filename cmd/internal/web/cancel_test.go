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
	srv := httptest.NewServer(New(Options{Timeout: limit, MaxBody: 8 << 20, MaxConcurrent: 1, QueueWait: parsetest.StopSlack()}))
	defer srv.Close()
	start := time.Now()
	status, m, _ := post(t, srv.URL, "application/json", script(parsetest.HugeSum(200_000)))
	took := time.Since(start)
	t.Logf("a 2 MB script: answered after %v (its upload included)", took.Round(time.Millisecond))
	// The stop is worded by whichever sees it first: the server at the
	// deadline, or the parse, which names what it was reading.
	if msg, _ := errorOf(t, m)["message"].(string); status != http.StatusOK || !strings.HasPrefix(msg, "stopped: the time limit was reached") {
		t.Errorf("status %d, answer %.300v", status, m)
	}
	if took > limit+parsetest.StopSlack() {
		t.Errorf("answered after %v, more than %v past the %v limit", took, parsetest.StopSlack(), limit)
	}
	start = time.Now()
	if rs := runOK(t, srv.URL, "1+1"); len(rs) != 1 || rs[0].(map[string]any)["result"] != "2" {
		t.Errorf("1+1 after the stop: %v", rs)
	}
	t.Logf("the next request was answered after %v", time.Since(start).Round(time.Millisecond))
}

// TestClientGoneStopsScript: a client that leaves while its script is
// read (a huge one, under a generous limit) ends the work: the only slot
// comes free for the next request within the standard's time, not when
// the read would have ended.
func TestClientGoneStopsScript(t *testing.T) {
	if testing.Short() {
		t.Skip("parses megabytes")
	}
	srv := httptest.NewServer(New(Options{Timeout: time.Minute, MaxBody: 8 << 20, MaxConcurrent: 1, QueueWait: parsetest.StopSlack()}))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/api/run", strings.NewReader(script(parsetest.HugeSum(200_000))))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	done := make(chan error, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	time.Sleep(300 * time.Millisecond) // the body is sent and being read by now
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("the request that left: %v", err)
	}
	start := time.Now()
	if rs := runOK(t, srv.URL, "1+1"); len(rs) != 1 || rs[0].(map[string]any)["result"] != "2" {
		t.Errorf("1+1 after the client left: %v", rs)
	}
	took := time.Since(start)
	t.Logf("the slot came free %v after the client left", took.Round(time.Millisecond))
	if took > parsetest.StopSlack() {
		t.Errorf("the slot came free %v after the client left, more than %v", took, parsetest.StopSlack())
	}
}
