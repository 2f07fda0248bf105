package web

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// post sends a body to /api/run and returns the status and the decoded
// answer (nil if the body is not JSON).
func post(t *testing.T, url, contentType, body string) (int, map[string]any, http.Header) {
	t.Helper()
	resp, err := http.Post(url+"/api/run", contentType, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if json.Unmarshal(b, &m) != nil {
		m = nil
	}
	return resp.StatusCode, m, resp.Header
}

func script(src string) string {
	b, _ := json.Marshal(map[string]string{"script": src})
	return string(b)
}

// runOK posts a script that must run without error and returns its
// results.
func runOK(t *testing.T, url, src string) []any {
	t.Helper()
	status, m, _ := post(t, url, "application/json", script(src))
	if status != http.StatusOK || m == nil || m["error"] != nil {
		t.Fatalf("status %d, answer %v", status, m)
	}
	rs, ok := m["results"].([]any)
	if !ok {
		t.Fatalf("no results list in %v", m)
	}
	return rs
}

// errorOf returns the error object of an answer.
func errorOf(t *testing.T, m map[string]any) map[string]any {
	t.Helper()
	e, ok := m["error"].(map[string]any)
	if !ok {
		t.Fatalf("no error object in %v", m)
	}
	return e
}

// seedLine is the line of the seed script that starts with text.
func seedLine(t *testing.T, text string) int {
	t.Helper()
	for i, l := range strings.Split(seed(t), "\n") {
		if strings.HasPrefix(l, text) {
			return i + 1
		}
	}
	t.Fatalf("the seed has no line %q", text)
	return 0
}

func TestRunSeed(t *testing.T) {
	srv := httptest.NewServer(New(Options{}))
	defer srv.Close()
	rs := runOK(t, srv.URL, seed(t))
	wantStmts, wantDerivs := seedCounts(t)
	if len(rs) != wantStmts {
		t.Fatalf("%d results, want %d", len(rs), wantStmts)
	}
	derivations := 0
	for _, r := range rs {
		m := r.(map[string]any)
		if _, ok := m["line"].(float64); !ok {
			t.Errorf("no line in %v", m)
		}
		if s, _ := m["latex"].(string); s == "" {
			t.Errorf("no latex in %v", m)
		}
		if s, _ := m["markdown"].(string); !strings.Contains(s, "```math\n") && !strings.Contains(s, "$`") {
			t.Errorf("no math in the markdown of %v: %q", m["input"], s)
		}
		if d, ok := m["derivation"].(string); ok {
			derivations++
			if !strings.HasPrefix(d, `\begin{aligned}`) || !strings.HasSuffix(d, `\end{aligned}`) {
				t.Errorf("derivation of %v is not an aligned block:\n%s", m["input"], d)
			}
		}
	}
	if derivations != wantDerivs {
		t.Errorf("%d derivations, want %d", derivations, wantDerivs)
	}
	var ce map[string]any
	for _, r := range rs {
		if m := r.(map[string]any); m["input"] == "d(CE, w[k])" {
			ce = m
		}
	}
	if ce == nil {
		t.Fatal("no result for d(CE, w[k])")
	}
	want := map[string]any{"input": "d(CE, w[k])", "line": float64(seedLine(t, "d(CE, w[k])")), "result": "mean(i=1..n, x[i,k]*(p[i] - y[i]))",
		"latex": `\frac{\partial \mathrm{CE}}{\partial w_{k}} = \frac{1}{n} \sum_{i=1}^{n} x_{ik} \left(p_{i} - y_{i}\right)`}
	for k, v := range want {
		if ce[k] != v {
			t.Errorf("d(CE, w[k]): %s = %v, want %v", k, ce[k], v)
		}
	}
	if d := ce["derivation"].(string); !strings.Contains(d, `&& \text{expand and collect like terms}`) {
		t.Errorf("the derivation of d(CE, w[k]) lacks its last step:\n%s", d)
	}
}

// A mistake answers 200 with the CLI's place, message and caret snippet;
// statements before a runtime error keep their results.
func TestScriptErrors(t *testing.T) {
	srv := httptest.NewServer(New(Options{}))
	defer srv.Close()
	for _, c := range []struct {
		name, src string
		results   int
		want      map[string]any
	}{
		{"unknown function", "z := 1\np[i] := sigmod(z[i])\n", 0, map[string]any{
			"line": 2.0, "col": 9.0, "message": "unknown function sigmod (did you mean sigma?)",
			"snippet": "    p[i] := sigmod(z[i])\n            ^"}},
		{"unclosed bracket", "d(sigma(x), x\n", 0, map[string]any{"line": 1.0}},
		{"division by zero", "a := 2\nx/(a - 2)\nx\n", 1, map[string]any{
			"line": 2.0, "col": 1.0, "message": "x/(a - 2) divides by zero: it is undefined everywhere",
			"snippet": "    x/(a - 2)\n    ^"}},
		{"no file statements", "load \"/etc/passwd\"\n", 0, map[string]any{"line": 1.0}},
	} {
		t.Run(c.name, func(t *testing.T) {
			status, m, _ := post(t, srv.URL, "application/json", script(c.src))
			if status != http.StatusOK {
				t.Fatalf("status %d, want 200", status)
			}
			e := errorOf(t, m)
			for k, v := range c.want {
				if e[k] != v {
					t.Errorf("error %s = %#v, want %#v", k, e[k], v)
				}
			}
			if rs, ok := m["results"].([]any); !ok || len(rs) != c.results {
				t.Errorf("results %v, want a list of %d", m["results"], c.results)
			}
		})
	}
}

// A script that runs too long answers with the time-limit error, and the
// server goes on answering.
func TestTimeLimit(t *testing.T) {
	srv := httptest.NewServer(New(Options{Timeout: 100 * time.Millisecond}))
	defer srv.Close()
	slow := "a := 1\nprove sum(i=1..1000000, sin(i)*x) == x*sum(i=1..1000000, sin(i))\n" // ~10 s without a limit
	status, m, _ := post(t, srv.URL, "application/json", script(slow))
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	e := errorOf(t, m)
	if e["message"] != "stopped: the time limit was reached" || e["line"] != 2.0 || e["col"] != 1.0 {
		t.Errorf("error %v", e)
	}
	if rs := runOK(t, srv.URL, "d(sigma(x), x)"); len(rs) != 1 || rs[0].(map[string]any)["result"] != "sigma(x)*(1 - sigma(x))" {
		t.Errorf("after the slow script: %v", rs)
	}
}

// Scripts run at once give the answers they give one at a time.
func TestConcurrentSameAsSequential(t *testing.T) {
	srv := httptest.NewServer(New(Options{MaxConcurrent: 4, QueueWait: time.Minute}))
	defer srv.Close()
	scripts := []string{
		seed(t),
		"p[i] := sigma(z[i])\nd(y[i]*log(p[i]) + (1 - y[i])*log(1 - p[i]), z[i])\nprove d(p[i], z[i]) == p[i]*(1 - p[i])\n",
		"prove sigma(x) == 1/(1+exp(x))\nd(tanh(x)*exp(-x^2), x)\n",
		"f := log(sum(c=1..K, exp(s[c])))\nd(f, s[l])\n",
	}
	answer := func(src string) string {
		resp, err := http.Post(srv.URL+"/api/run", "application/json", strings.NewReader(script(src)))
		if err != nil {
			return err.Error()
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.Status + "\n" + string(b)
	}
	want := make([]string, len(scripts))
	for i, s := range scripts {
		want[i] = answer(s)
		if !strings.HasPrefix(want[i], "200 OK\n") || strings.Contains(want[i], `"error"`) {
			t.Fatalf("script %d: %s", i, want[i])
		}
	}
	const rounds = 3
	got := make([]string, rounds*len(scripts))
	var wg sync.WaitGroup
	for i := range got {
		wg.Go(func() { got[i] = answer(scripts[i%len(scripts)]) })
	}
	wg.Wait()
	for i, g := range got {
		if g != want[i%len(scripts)] {
			t.Errorf("concurrent answer %d differs from the sequential one:\n%s", i, cmp.Diff(want[i%len(scripts)], g))
		}
	}
}

// When every slot stays busy, a request gets 503 and a Retry-After.
func TestBusy(t *testing.T) {
	s := newServer(Options{MaxConcurrent: 1, QueueWait: time.Millisecond, Timeout: DefaultTimeout, MaxBody: DefaultMaxBody, Logf: t.Logf})
	srv := httptest.NewServer(s)
	defer srv.Close()
	s.sem <- struct{}{} // a script in flight
	status, m, h := post(t, srv.URL, "application/json", script("x"))
	if status != http.StatusServiceUnavailable || h.Get("Retry-After") != "1" {
		t.Errorf("status %d, Retry-After %q; want 503 and 1", status, h.Get("Retry-After"))
	}
	if e := errorOf(t, m); !strings.HasPrefix(e["message"].(string), "busy:") {
		t.Errorf("error %v", e)
	}
	s.release()
	if rs := runOK(t, srv.URL, "x"); len(rs) != 1 {
		t.Errorf("after the slot came free: %v", rs)
	}
}

// Requests that are not a script to run.
func TestBadRequests(t *testing.T) {
	srv := httptest.NewServer(New(Options{MaxBody: 1 << 10}))
	defer srv.Close()
	for _, c := range []struct {
		name, contentType, body string
		status                  int
		message                 string
	}{
		{"not JSON", "application/json", "{", 400, "bad JSON: unexpected EOF"},
		{"a list", "application/json", `["x"]`, 400, "bad JSON: json: cannot unmarshal array into Go value of type web.request"},
		{"a number for the script", "application/json", `{"script": 1}`, 400, "bad JSON: json: cannot unmarshal number into Go struct field request.script of type string"},
		{"an unknown field", "application/json", `{"script": "x", "file": "/etc/passwd"}`, 400, `bad JSON: json: unknown field "file"`},
		{"no script", "application/json", `{}`, 400, `bad JSON: no "script" field`},
		{"the field spelt otherwise", "application/json", `{"Script": "x"}`, 400, `bad JSON: json: unknown field "Script"`},
		{"the field twice, once spelt otherwise", "application/json", `{"script": "x", "SCRIPT": "y"}`, 400, `bad JSON: json: unknown field "SCRIPT"`},
		{"two objects", "application/json", `{"script": "x"} {"script": "y"}`, 400, "bad JSON: more than one JSON value"},
		{"not JSON's type", "text/plain", script("x"), 415, "the body must be JSON (Content-Type: application/json)"},
		{"too large", "application/json", script(strings.Repeat("x + ", 300) + "x"), 413, "the request is larger than 1 KiB"},
		{"JSON with a charset", "application/json; charset=utf-8", script("x"), 200, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			status, m, _ := post(t, srv.URL, c.contentType, c.body)
			if status != c.status {
				t.Errorf("status %d, want %d (%v)", status, c.status, m)
			}
			if c.message == "" {
				if m == nil || m["error"] != nil {
					t.Errorf("answer %v", m)
				}
				return
			}
			if e := errorOf(t, m); e["message"] != c.message {
				t.Errorf("message %q, want %q", e["message"], c.message)
			}
		})
	}
}

// The default limit on the body is 256 KiB.
func TestDefaultBodyLimit(t *testing.T) {
	srv := httptest.NewServer(New(Options{}))
	defer srv.Close()
	big := script("# " + strings.Repeat("a", DefaultMaxBody))
	if status, _, _ := post(t, srv.URL, "application/json", big); status != http.StatusRequestEntityTooLarge {
		t.Errorf("a body of %d bytes: status %d, want 413", len(big), status)
	}
}

func TestMethodNotAllowed(t *testing.T) {
	srv := httptest.NewServer(New(Options{}))
	defer srv.Close()
	for _, c := range []struct{ method, path, allow string }{
		{"GET", "/api/run", "POST"},
		{"PUT", "/api/run", "POST"},
		{"POST", "/", "GET, HEAD"},
		{"DELETE", "/static/app.js", "GET, HEAD"},
	} {
		req, _ := http.NewRequest(c.method, srv.URL+c.path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != c.allow {
			t.Errorf("%s %s: status %d, Allow %q; want 405 and %q", c.method, c.path, resp.StatusCode, resp.Header.Get("Allow"), c.allow)
		}
	}
}

// get fetches a path and returns the status, headers and body.
func get(t *testing.T, url string) (int, http.Header, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, string(b)
}

// Every answer carries the security headers; the page holds the seed and
// its assets are served from the binary with their types.
func TestPageAndHeaders(t *testing.T) {
	const seedScript = "# a <b> & \"c\"\nd(sigma(x), x)\n"
	srv := httptest.NewServer(New(Options{Seed: seedScript}))
	defer srv.Close()
	for _, c := range []struct {
		path, contentType string
		status            int
	}{
		{"/", "text/html; charset=utf-8", 200},
		{"/static/app.js", "text/javascript; charset=utf-8", 200},
		{"/static/style.css", "text/css; charset=utf-8", 200},
		{"/static/katex/katex.min.js", "text/javascript; charset=utf-8", 200},
		{"/static/katex/katex.min.css", "text/css; charset=utf-8", 200},
		{"/static/katex/fonts/KaTeX_Main-Regular.woff2", "font/woff2", 200},
		{"/static/index.html", "", 404},
		{"/static/../engine.go", "", 404},
		{"/engine.go", "", 404},
		{"/static/nope.js", "", 404},
		{"/static/", "", 404},
		{"/static/katex/fonts/", "", 404},
	} {
		status, h, body := get(t, srv.URL+c.path)
		if status != c.status || (c.contentType != "" && h.Get("Content-Type") != c.contentType) {
			t.Errorf("GET %s: status %d, Content-Type %q; want %d, %q", c.path, status, h.Get("Content-Type"), c.status, c.contentType)
		}
		if h.Get("Content-Security-Policy") != CSP || h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: CSP %q, X-Content-Type-Options %q", c.path, h.Get("Content-Security-Policy"), h.Get("X-Content-Type-Options"))
		}
		if c.path == "/" && !strings.Contains(body, ">"+html.EscapeString(seedScript)+"</textarea>") {
			t.Errorf("the page does not hold the seed, escaped, in its editor:\n%s", body)
		}
	}
	_, _, h := post(t, srv.URL, "application/json", script("x"))
	if h.Get("Content-Security-Policy") != CSP || h.Get("Cache-Control") != "no-store" {
		t.Errorf("POST /api/run: headers %v", h)
	}
	want := "default-src 'self'; script-src 'self'; style-src 'self'; font-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'"
	if CSP != want {
		t.Errorf("CSP %q, want %q", CSP, want)
	}
}

// The page's assets are all embedded: every file the stylesheet or the
// page names is served.
func TestAssetsComplete(t *testing.T) {
	srv := httptest.NewServer(New(Options{}))
	defer srv.Close()
	_, _, page := get(t, srv.URL+"/")
	_, _, css := get(t, srv.URL+"/static/katex/katex.min.css")
	var urls []string
	for _, f := range strings.Split(page, `"`) {
		if strings.HasPrefix(f, "/static/") {
			urls = append(urls, f)
		}
	}
	for _, f := range strings.Split(css, "url(")[1:] {
		name, _, _ := strings.Cut(f, ")")
		if strings.HasSuffix(name, ".woff2") { // the browser takes the first format it knows
			urls = append(urls, "/static/katex/"+name)
		}
	}
	if len(urls) != 4+20 {
		t.Errorf("%d assets named, want 4 in the page and 20 fonts: %q", len(urls), urls)
	}
	for _, u := range urls {
		if status, _, body := get(t, srv.URL+u); status != 200 || len(body) == 0 {
			t.Errorf("GET %s: status %d, %d bytes", u, status, len(body))
		}
	}
	if bytes.Contains([]byte(page), []byte("http://")) || bytes.Contains([]byte(page), []byte("https://")) {
		t.Error("the page names another site")
	}
}

// At the deadline the answer comes at once, placed at the statement that
// was running, even when the engine does not stop; the answer gives the
// slot back and cancels the script's context. The next request is served
// while the runaway still runs: two scripts that folded into a chain of
// 3,000 definitions kept both slots for minutes after their answers, and
// every other request got 503.
func TestDeadlineAnswersWhileTheEngineRuns(t *testing.T) {
	stuck, started, stopped := make(chan struct{}), make(chan struct{}), make(chan struct{})
	const slow = "f := x^2\nd(f, x)\n"
	runJob = func(ctx context.Context, j job) ([]result, *scriptError) {
		if j.src != slow {
			return runScript(ctx, j)
		}
		j.running(&scriptError{Line: 2, Col: 1, Message: errTimeLimit.Error(), Snippet: "    d(f, x)\n    ^"})
		close(started)
		<-ctx.Done()
		close(stopped) // told to stop
		<-stuck        // and does not, as an engine pass that never checks it would
		return nil, nil
	}
	defer func() { runJob = runScript }()
	s := newServer(Options{MaxConcurrent: 1, QueueWait: time.Millisecond, Timeout: 50 * time.Millisecond, MaxBody: DefaultMaxBody, Logf: t.Logf})
	srv := httptest.NewServer(s)
	defer srv.Close()
	defer close(stuck)

	status, m, _ := post(t, srv.URL, "application/json", script(slow))
	<-started
	want := map[string]any{"line": 2.0, "col": 1.0, "message": "stopped: the time limit was reached", "snippet": "    d(f, x)\n    ^"}
	if e := errorOf(t, m); status != http.StatusOK || !cmp.Equal(e, want) {
		t.Errorf("status %d, error %v; want 200 and %v", status, e, want)
	}
	select {
	case <-stopped:
	case <-time.After(time.Second):
		t.Errorf("the script's context was not cancelled with its answer")
	}
	// The runaway still runs; the next request has the only slot.
	status, m, _ = post(t, srv.URL, "application/json", script("x"))
	if rs, _ := m["results"].([]any); status != http.StatusOK || m["error"] != nil || len(rs) != 1 {
		t.Errorf("after the first script's answer: status %d, answer %v; want 200 and x", status, m)
	}
}

// The body is JSON as it is: a Content-Encoding other than identity is
// refused (a plain body under "gzip" was run, the header ignored).
func TestContentEncoding(t *testing.T) {
	srv := httptest.NewServer(New(Options{}))
	defer srv.Close()
	for _, c := range []struct {
		encoding string
		status   int
	}{{"gzip", 415}, {"br", 415}, {"identity", 200}, {"", 200}} {
		req, err := http.NewRequest(http.MethodPost, srv.URL+"/api/run", strings.NewReader(script("x")))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		if c.encoding != "" {
			req.Header.Set("Content-Encoding", c.encoding)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.status {
			t.Errorf("Content-Encoding %q: status %d, want %d (%s)", c.encoding, resp.StatusCode, c.status, b)
		}
		if c.status == 415 && !bytes.Contains(b, []byte("Content-Encoding "+c.encoding+" is not accepted")) {
			t.Errorf("Content-Encoding %q: answer %s", c.encoding, b)
		}
	}
}

// Results past MaxAnswer stop the script there, with the results before.
func TestMaxAnswer(t *testing.T) {
	srv := httptest.NewServer(New(Options{MaxAnswer: 4 << 10}))
	defer srv.Close()
	status, m, _ := post(t, srv.URL, "application/json", script(seed(t)))
	e := errorOf(t, m)
	first := seedLine(t, "d(CE, z[m])")
	if status != http.StatusOK || e["message"] != "stopped: the results are larger than 4 KiB" || e["line"] != float64(first) {
		t.Errorf("status %d, error %v; want 200 and the size error at line %d (the first derivation)", status, e, first)
	}
	rs, _ := m["results"].([]any)
	b, _ := json.Marshal(rs)
	for _, r := range rs {
		if line, _ := r.(map[string]any)["line"].(float64); int(line) >= first {
			t.Errorf("a result of line %v, at or after the statement that went over the limit", line)
		}
	}
	if len(rs) == 0 || len(b) > 4<<10 {
		t.Errorf("%d results in %d bytes; want the results before the first derivation, within 4 KiB", len(rs), len(b))
	}
}
