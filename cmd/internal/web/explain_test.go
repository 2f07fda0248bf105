package web

import (
	"context"
	"encoding/base64"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// explainScript explains three losses in matrix notation: logistic
// regression and least squares (residual form) and probit (not).
const explainScript = `X : matrix(n, d)
w : vector(d)
y : vector(n)
CE := -mean(y .* log(sigma(X*w)) + (1 - y) .* log(1 - sigma(X*w)))
explain CE
PR := -mean(y .* log(Phi(X*w)) + (1 - y) .* log(1 - Phi(X*w)))
explain PR
explain mean((y - X*w).^2)`

// TestExplainCard: an explain statement's result carries the parts of its
// card — verdict, c, μ, A, the family, the consequence for the weights in
// matrix notation, the counterexample when it is not residual form — and
// the whole argument as Markdown.
func TestExplainCard(t *testing.T) {
	srv := httptest.NewServer(New(Options{}))
	defer srv.Close()
	rs := runOK(t, srv.URL, explainScript)
	cards := map[float64]map[string]any{}
	for _, r := range rs {
		m := r.(map[string]any)
		if x, ok := m["explain"].(map[string]any); ok {
			cards[m["line"].(float64)] = x
			if md, _ := m["markdown"].(string); !strings.Contains(md, "**Why the gradient of") || !strings.Contains(md, "```math\n") {
				t.Errorf("line %v: the argument is missing from the markdown:\n%s", m["line"], md)
			}
		}
	}
	if len(cards) != 3 {
		t.Fatalf("%d explain cards, want 3: %v", len(cards), rs)
	}
	ce, pr, mse := cards[5], cards[7], cards[8]
	for k, want := range map[string]any{
		"verdict": "residual form", "canonical": true, "holds": true, "c": `c = \frac{1}{n}`,
		"mu": `\mu(z_{m}) = \sigma(z_{m})`, "predictor": `z_{i} = \sum_{j=1}^{d} X_{ij} w_{j}, \text{ the entries of } \mathbf{X} \mathbf{w}`, "A": `A(z_{m}) = \operatorname{softplus}(z_{m})`,
		"family":      "Bernoulli with its canonical link (logit); logistic regression, labels in {0, 1}",
		"consequence": `\nabla_{\mathbf{w}} \mathrm{CE} = \frac{1}{n} \mathbf{X}^\top \left(\sigma(\mathbf{X} \mathbf{w}) - \mathbf{y}\right)`,
	} {
		if ce[k] != want {
			t.Errorf("CE: %s = %#v, want %#v", k, ce[k], want)
		}
	}
	if pr["verdict"] != "not residual form" || pr["canonical"] != false || pr["c"] != nil || pr["family"] != nil {
		t.Errorf("PR: %v", pr)
	}
	if f, _ := pr["factor"].(string); !strings.Contains(f, `\phi(z_{m})`) {
		t.Errorf("PR: factor %q", f)
	}
	if c, _ := pr["consequence"].(string); !strings.HasPrefix(c, `\nabla_{\mathbf{w}} \mathrm{PR} = \frac{1}{n} \mathbf{X}^\top`) {
		t.Errorf("PR: consequence %q", c)
	}
	ex, _ := pr["counterexample"].(map[string]any)
	if ex == nil || !strings.Contains(ex["at"].(string), `X = \begin{pmatrix}`) || !strings.Contains(ex["claim"].(string), `= 0`) || ex["right"] != "0" {
		t.Errorf("PR: counterexample %v", ex)
	}
	if mse["verdict"] != "residual form" || !strings.HasPrefix(mse["consequence"].(string), `\nabla_{\mathbf{w}} \ell = \frac{2}{n}`) {
		t.Errorf("an expression: %v", mse)
	}
}

// TestBrowserExplain: in the page, each explain statement is a card of
// its own: the verdict in the header, c, μ, A and the family as rows of
// KaTeX, the consequence for the weights displayed, for probit the factor
// and the counterexample, and the argument folded under them.
func TestBrowserExplain(t *testing.T) {
	ctx := browser(t)
	srv := httptest.NewServer(New(Options{}))
	defer srv.Close()
	do(t, ctx,
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: record})
			return err
		}),
		chromedp.Navigate(srv.URL+"/#s="+base64.RawURLEncoding.EncodeToString([]byte(explainScript))),
		settled("ok"),
		chromedp.Evaluate[chromedp.Void](`document.fonts.ready.then(() => true)`, chromedp.EvalAwaitPromise),
	)
	type card struct {
		Verdict     string   `json:"verdict"`
		Rows        []string `json:"rows"`
		Family      string   `json:"family"`
		Consequence int      `json:"consequence"`
		Counter     string   `json:"counter"`
		CounterMath int      `json:"counterMath"`
		Argument    bool     `json:"argument"`
	}
	type state struct {
		Cards  []card   `json:"cards"`
		Errors []string `json:"errors"`
		RawTeX bool     `json:"rawTeX"`
		CSP    []string `json:"csp"`
	}
	got := run(t, ctx, chromedp.Evaluate[state](`(() => {
		const rs = document.getElementById('results');
		const visible = rs.cloneNode(true);
		visible.querySelectorAll('.katex-mathml').forEach((n) => n.remove());
		return {
			cards: [...rs.querySelectorAll('.result.explain')].map((c) => ({
				verdict: c.querySelector('header .verdict').textContent,
				rows: [...c.querySelectorAll('.parts dt')].map((n) => n.textContent),
				family: (c.querySelector('.parts dd.family') || {}).textContent || '',
				consequence: c.querySelectorAll('.consequence .katex-display .mfrac').length,
				counter: (c.querySelector('.counterexample') || {}).textContent || '',
				counterMath: c.querySelectorAll('.counterexample .katex').length,
				argument: !!c.querySelector('details.argument .katex'),
			})),
			errors: [...document.querySelectorAll('.katex-error')].map((n) => n.textContent),
			rawTeX: /\\(frac|partial|sum|left|begin|nabla|mathbf)/.test(visible.textContent),
			csp: window.__csp,
		};
	})()`))
	if len(got.Cards) != 3 {
		t.Fatalf("%d explain cards, want 3: %+v", len(got.Cards), got)
	}
	ce, pr, mse := got.Cards[0], got.Cards[1], got.Cards[2]
	if ce.Verdict != "residual form" || strings.Join(ce.Rows, ",") != "predictor,c,mean,log-partition,family" || !strings.HasPrefix(ce.Family, "Bernoulli with its canonical link") {
		t.Errorf("CE card: %+v", ce)
	}
	if ce.Consequence == 0 || !ce.Argument || ce.Counter != "" {
		t.Errorf("CE card: no typeset consequence, or no argument, or a counterexample: %+v", ce)
	}
	if pr.Verdict != "not residual form" || strings.Join(pr.Rows, ",") != "predictor,mean,factor" || pr.Family != "" {
		t.Errorf("PR card: %+v", pr)
	}
	if !strings.HasPrefix(pr.Counter, "refuted: ") || pr.CounterMath != 2 || !strings.Contains(pr.Counter, "the right side 0") {
		t.Errorf("PR card: counterexample %q (%d formulas)", pr.Counter, pr.CounterMath)
	}
	if mse.Verdict != "residual form" || !strings.Contains(mse.Family, "Gaussian") {
		t.Errorf("MSE card: %+v", mse)
	}
	if len(got.Errors) > 0 {
		t.Errorf("KaTeX could not render: %q", got.Errors)
	}
	if got.RawTeX {
		t.Error("raw TeX is visible in the results")
	}
	if len(got.CSP) > 0 {
		t.Errorf("Content-Security-Policy violations: %q", got.CSP)
	}
	if *update {
		do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('.result.explain').scrollIntoView()`))
		shot := run(t, ctx, chromedp.CaptureScreenshot())
		if err := os.WriteFile(filepath.Join(t.TempDir(), "explain.png"), shot, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestExplainCardLabelJump: a loss whose gradient jumps with the label is
// not residual form, its card holds, and it shows the counterexample — the
// refuted comparison of the gradient at two labels, or the refuted residual
// form when ∂²ℓ/∂z∂y is a constant where it is defined (which a card took
// only from the cross-derivative claims, so it showed none).
func TestExplainCardLabelJump(t *testing.T) {
	srv := httptest.NewServer(New(Options{}))
	defer srv.Close()
	rs := runOK(t, srv.URL, "explain abs(z - y)\nexplain softplus(z) - y*z + abs(z - y)")
	n := 0
	for _, r := range rs {
		m := r.(map[string]any)
		x, ok := m["explain"].(map[string]any)
		if !ok {
			continue
		}
		n++
		if x["verdict"] != "not residual form" || x["holds"] != true || m["jump"] != true {
			t.Errorf("line %v: verdict %v, holds %v, jump %v", m["line"], x["verdict"], x["holds"], m["jump"])
		}
		ex, _ := x["counterexample"].(map[string]any)
		if ex == nil || ex["left"] == ex["right"] {
			t.Errorf("line %v: counterexample %v", m["line"], ex)
		}
	}
	if n != 2 {
		t.Fatalf("%d explain cards, want 2: %v", n, rs)
	}
}
