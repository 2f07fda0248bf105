package web

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"image/png"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/symdiff/symdiff/ast"
	"github.com/symdiff/symdiff/parser"
)

var update = flag.Bool("update", false, "write the browser test's screenshot to examples/playground.png")

// chromium finds the browser: $SYMDIFF_CHROMIUM, or chromium on the PATH.
// Without one the test skips, loudly, unless SYMDIFF_REQUIRE_BROWSER=1
// (set by .ci/run), where a missing browser fails it.
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("SYMDIFF_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser"} { // Debian's is /usr/bin/chromium
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := "no chromium: the browser test of the playground did NOT run (apt-get install chromium, or set SYMDIFF_CHROMIUM)"
	if os.Getenv("SYMDIFF_REQUIRE_BROWSER") == "1" {
		t.Fatal(msg + "; SYMDIFF_REQUIRE_BROWSER=1 makes this a failure")
	}
	t.Skip("SKIPPED: " + msg)
	return ""
}

// browser starts a headless Chromium with a fresh profile and no network
// chatter; the returned context drives one tab.
func browser(t *testing.T) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium(t)),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(1600, 1000),
	}
	// A guard against a hung browser, not a measurement.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(acancel)
	bctx, bcancel := chromedp.NewContext(actx)
	t.Cleanup(bcancel)
	return bctx
}

// seed is the example the page starts with.
func seed(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "examples", "logistic.sd"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// seedCounts returns how many statements the seed script has, and how
// many of them are derivatives d(...): one card each on the page.
func seedCounts(t *testing.T) (stmts, derivs int) {
	t.Helper()
	sts, err := parser.ParseFile("logistic.sd", seed(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range sts {
		if e, ok := st.Stmt.(*ast.ExprStmt); ok {
			if _, ok := e.X.(*ast.Deriv); ok {
				derivs++
			}
		}
	}
	return len(sts), derivs
}

// record runs first in every document: it counts Content-Security-Policy
// violations, so the test can require none, and keeps what the page puts
// on the clipboard (a headless browser's clipboard is not the test's).
const record = `window.__csp = []; document.addEventListener('securitypolicyviolation',
  (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
window.__copied = [];
navigator.clipboard.writeText = (text) => { window.__copied.push(text); return Promise.resolve(); };`

// settled waits until the page has an answer for the script in the
// editor: body[data-state] is ok or error, and no run is pending.
func settled(state string) chromedp.Action[chromedp.Void] {
	return chromedp.WaitVisible(chromedp.CSS(`body[data-state="` + state + `"]`))
}

// eventually evaluates js until it gives want, for up to 20 s, and
// returns the last value.
func eventually(t *testing.T, ctx context.Context, js, want string) string {
	t.Helper()
	var got string
	for range 100 {
		if got = run(t, ctx, chromedp.Evaluate[string](js)); got == want {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	return got
}

// run runs one action that returns a value, failing the test on an error.
func run[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// do runs actions in order, failing the test on an error.
func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// TestBrowser loads the page in headless Chromium: the seed script's
// derivations render as KaTeX, a typo shows the CLI's error under its
// line, and the address reproduces the page.
func TestBrowser(t *testing.T) {
	ctx := browser(t)
	srv := httptest.NewServer(New(Options{Seed: seed(t)}))
	defer srv.Close()

	do(t, ctx, chromedp.Navigate("about:blank")) // start the browser first, so the figure below is the page's own
	start := time.Now()
	do(t, ctx,
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: record})
			return err
		}),
		chromedp.Navigate(srv.URL+"/"),
		settled("ok"),
		// Wait for the fonts too, as a reader does.
		chromedp.Evaluate[chromedp.Void](`document.fonts.ready.then(() => true)`, chromedp.EvalAwaitPromise),
	)
	t.Logf("page loaded and the seed script rendered in %v", time.Since(start).Round(time.Millisecond))
	// Where the time went, by the page's own clock (for the README's figures).
	t.Logf("%s", run(t, ctx, chromedp.Evaluate[string](`(() => {
		const nav = performance.getEntriesByType('navigation')[0];
		const api = performance.getEntriesByName(location.origin + '/api/run')[0];
		const bytes = performance.getEntriesByType('resource').reduce((n, r) => n + r.encodedBodySize, nav.encodedBodySize);
		return 'DOMContentLoaded ' + Math.round(nav.domContentLoadedEventEnd) + ' ms; POST /api/run ' +
			Math.round(api.responseEnd - api.startTime) + ' ms; answer shown at ' + Math.round(performance.now()) + ' ms; ' +
			Math.round(bytes / 1024) + ' KiB loaded';
	})()`)))

	// The seed's results: every statement has a card; d(CE, w[k]) shows
	// the residual form, and its derivation is KaTeX.
	type state struct {
		Cards        int      `json:"cards"`
		Derivations  int      `json:"derivations"`
		KaTeX        int      `json:"katex"`
		Errors       []string `json:"errors"`
		RawTeX       bool     `json:"rawTeX"`
		Residual     string   `json:"residual"`
		ResidualMath int      `json:"residualMath"`
		Verdicts     []string `json:"verdicts"`
		Fonts        bool     `json:"fonts"`
		CSP          []string `json:"csp"`
		Lines        int      `json:"lines"`
	}
	ceLine := seedLine(t, "d(CE, w[k])")
	_, wantDerivs := seedCounts(t)
	got := run(t, ctx, chromedp.Evaluate[state](`(() => {
		const rs = document.getElementById('results');
		const visible = rs.cloneNode(true);
		visible.querySelectorAll('.katex-mathml').forEach((n) => n.remove()); // the hidden MathML keeps its TeX
		const ce = rs.querySelector('.result[data-line="`+strconv.Itoa(ceLine)+`"]');
		return {
			cards: rs.querySelectorAll('.result').length,
			derivations: rs.querySelectorAll('.result.derivation .derivation .katex-display').length,
			katex: rs.querySelectorAll('.katex').length,
			errors: [...document.querySelectorAll('.katex-error')].map((n) => n.textContent),
			rawTeX: /\\(frac|partial|sum|left|begin)/.test(visible.textContent),
			residual: ce ? ce.dataset.plain : '',
			residualMath: ce ? ce.querySelectorAll('.derivation .katex-html .mfrac').length : 0,
			verdicts: [...rs.querySelectorAll('.verdict')].map((n) => n.textContent),
			fonts: [...document.fonts].some((f) => f.family.includes('KaTeX_Main') && f.status === 'loaded'),
			csp: window.__csp,
			lines: document.getElementById('gutter').childElementCount,
		};
	})()`))
	if want, _ := seedCounts(t); got.Cards != want {
		t.Errorf("%d result cards, want %d (one per statement of the seed)", got.Cards, want)
	}
	if got.Derivations != wantDerivs {
		t.Errorf("%d rendered derivations, want %d (one per d(...) of the seed)", got.Derivations, wantDerivs)
	}
	if got.KaTeX < 20 {
		t.Errorf("only %d KaTeX formulas on the page", got.KaTeX)
	}
	if len(got.Errors) > 0 {
		t.Errorf("KaTeX could not render: %q", got.Errors)
	}
	if got.RawTeX {
		t.Error("raw TeX (\\frac, \\partial, ...) is visible in the results")
	}
	if want := "mean(i=1..n, x[i,k]*(p[i] - y[i]))"; got.Residual != want {
		t.Errorf("d(CE, w[k]) shows %q, want the residual form %q", got.Residual, want)
	}
	if got.ResidualMath == 0 {
		t.Error("the derivation of d(CE, w[k]) has no typeset fraction")
	}
	if want := []string{"proved", "proved", "proved", "holds", "holds", "proved"}; strings.Join(got.Verdicts, " ") != strings.Join(want, " ") {
		t.Errorf("verdicts %q, want %q", got.Verdicts, want)
	}
	if !got.Fonts {
		t.Error("the KaTeX fonts were not loaded from the server")
	}
	if len(got.CSP) > 0 {
		t.Errorf("Content-Security-Policy violations: %q", got.CSP)
	}
	if want := strings.Count(seed(t), "\n") + 1; got.Lines != want {
		t.Errorf("%d line numbers, want %d", got.Lines, want)
	}

	// The screenshot shows the results from d(CE, w[k]) on: its derivation
	// to the residual form.
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('.result[data-line="10"]').scrollIntoView()`))
	shot := run(t, ctx, chromedp.CaptureScreenshot())
	if _, err := png.Decode(bytes.NewReader(shot)); err != nil {
		t.Fatalf("the screenshot is not a PNG: %v", err)
	}
	out := filepath.Join(t.TempDir(), "playground.png")
	if *update {
		out = filepath.Join("..", "..", "..", "examples", "playground.png")
	}
	if err := os.WriteFile(out, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d KiB)", out, len(shot)>>10)

	// The copy buttons of d(CE, w[k]), clicked: its plain syntax, its
	// derivation's LaTeX and its Markdown.
	for i := 1; i <= 3; i++ {
		do(t, ctx, chromedp.Click(chromedp.CSS(fmt.Sprintf(`.result[data-line="%d"] .copy:nth-of-type(%d)`, ceLine, i))))
	}
	copied := run(t, ctx, chromedp.Evaluate[[]string](`window.__copied`))
	if len(copied) != 3 || copied[0] != "mean(i=1..n, x[i,k]*(p[i] - y[i]))" ||
		!strings.HasPrefix(copied[1], `\begin{aligned}`+"\n"+`\frac{\partial \mathrm{CE}}{\partial w_{k}} &=`) ||
		!strings.HasPrefix(copied[2], "```math\n\\begin{aligned}") {
		t.Errorf("the copy buttons copied %q", copied)
	}

	// A typo on line 3, typed: sigma( becomes sigmod(. The CLI's error
	// appears under the line, with its place.
	const typo = `(() => {
		const ed = document.getElementById('script');
		const at = ed.value.indexOf('sigma(z[i])');
		ed.focus();
		ed.setSelectionRange(at, at + 'sigma('.length);
		return at;
	})()`
	if at := run(t, ctx, chromedp.Evaluate[int](typo)); at < 0 {
		t.Fatal("the seed has no sigma(z[i]) to misspell")
	}
	do(t, ctx, chromedp.KeyEvent("sigmod("), settled("error"))
	wantErr := strings.Repeat(" ", 8) + "^\n3:9: unknown function sigmod (did you mean sigma?)"
	// On a busy machine the page may answer a half-typed script first
	// (its debounce fired between two keys): wait for the answer to the
	// whole typo.
	errText := eventually(t, ctx, `document.querySelector('#error pre').textContent`, wantErr)
	status := run(t, ctx, chromedp.Text(chromedp.CSS(`#status`)))
	badLine := run(t, ctx, chromedp.Text(chromedp.CSS(`#gutter .bad`)))
	hidden := run(t, ctx, chromedp.Evaluate[bool](`document.getElementById('error').hidden`))
	hash := run(t, ctx, chromedp.Evaluate[string](`location.hash`))
	if hidden || errText != wantErr {
		t.Errorf("inline error (hidden %v):\n%s\nwant:\n%s", hidden, errText, wantErr)
	}
	if status != "error at 3:9" || badLine != "3" {
		t.Errorf("status %q, marked line %q; want \"error at 3:9\" and line 3", status, badLine)
	}

	// The address holds the script: opening it elsewhere gives the same
	// editor and the same error.
	edited := run(t, ctx, chromedp.Value(chromedp.CSS(`#script`)))
	if !strings.Contains(edited, "p[i] := sigmod(z[i])") {
		t.Fatalf("the editor holds:\n%s", edited)
	}
	tab, cancel := chromedp.NewContext(ctx)
	defer cancel()
	do(t, tab, chromedp.Navigate(srv.URL+"/"+hash), settled("error"))
	reopened := run(t, tab, chromedp.Value(chromedp.CSS(`#script`)))
	errAgain := run(t, tab, chromedp.Evaluate[string](`document.querySelector('#error pre').textContent`))
	if reopened != edited || errAgain != wantErr {
		t.Errorf("the link %s reopens with error %q and script:\n%s", hash, errAgain, reopened)
	}

	// Fixing the typo brings the results back, without the error.
	do(t, ctx,
		chromedp.Evaluate[chromedp.Void](`(() => {
			const ed = document.getElementById('script');
			const at = ed.value.indexOf('sigmod(');
			ed.focus();
			ed.setSelectionRange(at, at + 'sigmod('.length);
		})()`),
		chromedp.KeyEvent("sigma("),
		settled("ok"))
	fixed := run(t, ctx, chromedp.Evaluate[int](`document.getElementById('error').hidden ? document.querySelectorAll('.result').length : -1`))
	if want, _ := seedCounts(t); fixed != want {
		t.Errorf("after the fix: %d cards (-1: the error is still shown), want %d", fixed, want)
	}
}

// Without a browser the test skips, and says so, unless
// SYMDIFF_REQUIRE_BROWSER=1 (CI), where it fails: checked by running this
// test binary again with an empty PATH.
func TestBrowserMissing(t *testing.T) {
	if os.Getenv("SYMDIFF_CHROMIUM") != "" {
		t.Skip("SYMDIFF_CHROMIUM names the browser, so none can be missing")
	}
	for _, c := range []struct {
		require string
		fails   bool
		want    string
	}{
		{"", false, "--- SKIP: TestBrowser "},
		{"1", true, "--- FAIL: TestBrowser "},
	} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestBrowser$", "-test.v")
		cmd.Env = append(os.Environ(), "PATH=", "SYMDIFF_REQUIRE_BROWSER="+c.require)
		out, err := cmd.CombinedOutput()
		if (err != nil) != c.fails || !strings.Contains(string(out), c.want) || !strings.Contains(string(out), "did NOT run") {
			t.Errorf("SYMDIFF_REQUIRE_BROWSER=%q, no chromium: error %v, output:\n%s", c.require, err, out)
		}
	}
}
