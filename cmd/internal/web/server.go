// Package web is the playground's server: one page that runs a script as
// the user types and renders its results, derivations and proofs with
// KaTeX, and the JSON API behind it. Like the REPL core, it is a thin
// shell around the session (through engine.go); everything it serves is
// embedded, so it works offline.
package web

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/symdiff/symdiff/ast/once"
)

//go:embed static
var staticFiles embed.FS

// seedMark is the one place in static/index.html where the seed goes: the
// text of the editor's <textarea>.
const seedMark = "{{.Seed}}"

// pageParts is static/index.html cut at seedMark, read on first use. The page is
// a fixed document with one hole, filled by escapeText; html/template did
// the same and cost every command of the binary about 0.1 ms of start-up
// (its packages' initialisation and pages) for a page only serve shows.
// The parts sit beside a sync.Once, not in a sync.OnceValues, which is a
// call that every command's start makes; a page without the hole panics
// on every call, as it did there.
var pageOnce struct {
	once.Once
	before, after, bad string
}

func pageParts() (before, after string) {
	pageOnce.Do(func() { pageOnce.before, pageOnce.after, pageOnce.bad = splitPage() })
	if pageOnce.bad != "" {
		panic(pageOnce.bad)
	}
	return pageOnce.before, pageOnce.after
}

// splitPage cuts static/index.html at seedMark, or says why it cannot.
func splitPage() (before, after, bad string) {
	b, err := staticFiles.ReadFile("static/index.html")
	if err != nil {
		return "", "", "web: " + err.Error()
	}
	before, after, ok := strings.Cut(string(b), seedMark)
	if !ok || strings.Contains(after, seedMark) {
		return "", "", "web: static/index.html must hold " + seedMark + " exactly once"
	}
	return before, after, ""
}

// escapeText escapes s for the text of a <textarea> (an escapable raw text
// element, where only a character reference or the end tag means anything):
// &, <, >, ' and " become references, so no text can end the element, and
// NUL, which HTML does not allow there, becomes U+FFFD, as html/template
// does.
func escapeText(s string) string {
	return html.EscapeString(strings.ReplaceAll(s, "\x00", "\uFFFD"))
}

// Options configure the server; a zero field takes its default.
type Options struct {
	Seed          string        // the script the page starts with
	Timeout       time.Duration // time for one request's script (and for each statement); default 10 s
	MaxBody       int64         // largest request body in bytes; default 256 KiB
	MaxConcurrent int           // scripts running at once; default 2
	MaxAnswer     int           // bytes of results past which a script stops; default 8 MiB
	QueueWait     time.Duration // how long a request waits for a free slot before 503; default 2 s
	Logf          func(format string, args ...any)
}

// Defaults of Options.
const (
	DefaultTimeout       = 10 * time.Second
	DefaultMaxBody       = 256 << 10
	DefaultMaxConcurrent = 2
	DefaultQueueWait     = 2 * time.Second
	DefaultMaxAnswer     = 8 << 20
)

// CSP is the Content-Security-Policy of every response: the page loads
// only its own scripts, styles and fonts, and no one may frame it.
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; font-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'"

type server struct {
	opt Options
	sem chan struct{} // a slot per script allowed to run at once
}

// New returns the playground's handler: GET / (the page), GET /static/...
// (its scripts, styles and the KaTeX fonts) and POST /api/run.
func New(opt Options) http.Handler {
	if opt.Timeout <= 0 {
		opt.Timeout = DefaultTimeout
	}
	if opt.MaxBody <= 0 {
		opt.MaxBody = DefaultMaxBody
	}
	if opt.MaxConcurrent <= 0 {
		opt.MaxConcurrent = DefaultMaxConcurrent
	}
	if opt.QueueWait <= 0 {
		opt.QueueWait = DefaultQueueWait
	}
	if opt.MaxAnswer <= 0 {
		opt.MaxAnswer = DefaultMaxAnswer
	}
	if opt.Logf == nil {
		opt.Logf = func(string, ...any) {}
	}
	return newServer(opt)
}

func newServer(opt Options) *server {
	return &server{opt: opt, sem: make(chan struct{}, opt.MaxConcurrent)}
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", CSP)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	switch p := r.URL.Path; {
	case p == "/api/run":
		s.run(w, r)
	case p == "/":
		s.index(w, r)
	case strings.HasPrefix(p, "/static/") && !strings.HasSuffix(p, "/"): // files, not listings
		s.static(w, r)
	default:
		http.NotFound(w, r)
	}
}

func allowGet(w http.ResponseWriter, r *http.Request) bool {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return true
	}
	w.Header().Set("Allow", "GET, HEAD")
	http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	return false
}

func (s *server) index(w http.ResponseWriter, r *http.Request) {
	if !allowGet(w, r) {
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	before, after := pageParts()
	if _, err := io.WriteString(w, before+escapeText(s.opt.Seed)+after); err != nil {
		s.opt.Logf("symdiff serve: page: %v", err)
	}
}

func (s *server) static(w http.ResponseWriter, r *http.Request) {
	if !allowGet(w, r) {
		return
	}
	if r.URL.Path == "/static/index.html" { // the page, served only as / with its seed
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Cache-Control", "public, max-age=3600")
	// Made per request (a small struct), not at every command's start.
	staticFS, _ := fs.Sub(staticFiles, "static")
	http.StripPrefix("/static", http.FileServerFS(staticFS)).ServeHTTP(w, r)
}

// request is the body of POST /api/run.
type request struct {
	Script *string `json:"script"`
}

// response is the answer of POST /api/run.
type response struct {
	Results []result     `json:"results"`
	Error   *scriptError `json:"error,omitempty"`
}

// fail answers a request that could not be run, with a status and a
// message in the shape of a script's error.
func fail(w http.ResponseWriter, status int, format string, args ...any) {
	writeJSON(w, status, map[string]any{"error": &scriptError{Message: fmt.Sprintf(format, args...)}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// run answers POST /api/run: 200 with the results, or with the script's
// error and the results before it; 4xx for a request that is not one
// (405, 415, 400, 413); 503 when every slot stays busy for QueueWait.
func (s *server) run(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		fail(w, http.StatusMethodNotAllowed, "use POST with a JSON body {\"script\": \"...\"}")
		return
	}
	// Only JSON: a cross-site form cannot send it without a CORS preflight,
	// which this server never grants.
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		fail(w, http.StatusUnsupportedMediaType, "the body must be JSON (Content-Type: application/json)")
		return
	}
	// A compressed body would be read as JSON and refused as bad JSON, or,
	// with a plain body under the header, run though the header lied.
	if ce := r.Header.Get("Content-Encoding"); ce != "" && !strings.EqualFold(ce, "identity") {
		fail(w, http.StatusUnsupportedMediaType, "the body must be plain JSON (Content-Encoding %s is not accepted)", ce)
		return
	}
	// The body is read before a slot is taken, so a slow client holds none.
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.opt.MaxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			fail(w, http.StatusRequestEntityTooLarge, "the request is larger than %d KiB", s.opt.MaxBody>>10)
			return
		}
		fail(w, http.StatusBadRequest, "reading the request: %v", err)
		return
	}
	var req request
	err = decodeStrict(body, &req)
	if err == nil {
		err = exactFields(body, "script")
	}
	if err != nil {
		fail(w, http.StatusBadRequest, "bad JSON: %v", err)
		return
	}
	if req.Script == nil {
		fail(w, http.StatusBadRequest, "bad JSON: no \"script\" field")
		return
	}
	if !s.acquire(r.Context()) {
		w.Header().Set("Retry-After", "1")
		fail(w, http.StatusServiceUnavailable, "busy: %d scripts are running; try again", s.opt.MaxConcurrent)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.opt.Timeout)
	defer cancel()
	res, serr := s.execute(ctx, *req.Script)
	if res == nil {
		res = []result{} // always a list, even when the script did not parse
	}
	writeJSON(w, http.StatusOK, response{Results: res, Error: serr})
}

// execute runs a script that holds a slot, and releases the slot when
// the script ends or its answer is given, whichever comes first. At the
// deadline it answers at once with the time-limit error, even if the
// engine has not yet noticed the deadline (ctx is cancelled then, and the
// engine stops at its next look at it). The slot goes with the answer:
// kept until the engine stopped, two scripts that folded into a long
// chain of definitions made every other request 503 for minutes.
func (s *server) execute(ctx context.Context, src string) ([]result, *scriptError) {
	var once sync.Once
	free := func() { once.Do(s.release) }
	defer free()
	type answer struct {
		res  []result
		serr *scriptError
	}
	done := make(chan answer, 1)
	var at atomic.Pointer[scriptError]
	at.Store(&scriptError{Message: errTimeLimit.Error()})
	j := job{src: src, timeout: s.opt.Timeout, maxAnswer: s.opt.MaxAnswer, running: func(e *scriptError) { at.Store(e) }}
	go func() {
		defer free()
		start := time.Now()
		res, serr := s.runSafely(ctx, j)
		if late := time.Since(start) - s.opt.Timeout; late > 100*time.Millisecond {
			s.opt.Logf("symdiff serve: a script stopped %v after its time limit", late.Round(time.Millisecond))
		}
		done <- answer{res, serr}
	}()
	select {
	case a := <-done:
		return a.res, a.serr
	case <-ctx.Done():
	}
	select {
	case a := <-done: // it stopped in time after all
		return a.res, a.serr
	default:
	}
	if r := context.Cause(ctx); !errors.Is(r, context.DeadlineExceeded) {
		return nil, &scriptError{Message: "interrupted"} // the client left; no one reads this
	}
	return nil, at.Load()
}

// runSafely runs a script; a bug in the engine answers as an error
// instead of ending the server.
func (s *server) runSafely(ctx context.Context, j job) (res []result, serr *scriptError) {
	defer func() {
		if p := recover(); p != nil {
			s.opt.Logf("symdiff serve: internal error: %v", p)
			res, serr = nil, &scriptError{Message: fmt.Sprintf("internal error: %v (please report it)", p)}
		}
	}()
	return runJob(ctx, j)
}

// runJob is runScript; a test replaces it with a script that ignores its
// deadline.
var runJob = runScript

// decodeStrict decodes one JSON object with only known fields.
func decodeStrict(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("more than one JSON value")
	}
	return nil
}

// exactFields refuses a field of the JSON object body that is not one of
// names as spelt: encoding/json matches field names without regard to
// case, so {"Script": ...} passed DisallowUnknownFields.
func exactFields(body []byte, names ...string) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil {
		return err
	}
	for k := range m {
		if !slices.Contains(names, k) {
			return fmt.Errorf("json: unknown field %q", k)
		}
	}
	return nil
}

// acquire takes a slot, waiting up to QueueWait; false if none came free
// or the client left.
func (s *server) acquire(ctx context.Context) bool {
	select {
	case s.sem <- struct{}{}:
		return true
	default:
	}
	t := time.NewTimer(s.opt.QueueWait)
	defer t.Stop()
	select {
	case s.sem <- struct{}{}:
		return true
	case <-t.C:
	case <-ctx.Done():
	}
	return false
}

func (s *server) release() { <-s.sem }
