package web

import (
	"html"
	"html/template"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The page is filled without html/template; html/template, which escapes by
// context, is the oracle: for seeds that try to leave the editor, the page
// served is the one html/template makes of index.html (it writes + as a
// reference too, so the editor's text is compared decoded), and the
// editor's text holds no markup.
func TestPageMatchesTemplate(t *testing.T) {
	tmpl := template.Must(template.ParseFS(staticFiles, "static/index.html"))
	for _, seed := range []string{
		"",
		demoLike,
		"# a <b> & \"c\" 'd' + e\nd(sigma(x), x)\n",
		"</textarea><script>alert(1)</script>",
		"</TEXTAREA >x<!-- &amp; &lt; {{.Seed}}",
		"nul \x00 here, \u2028 and \xff invalid UTF-8",
		"&#60;/textarea&#62; &lt;/textarea&gt;",
	} {
		srv := httptest.NewServer(New(Options{Seed: seed}))
		status, _, got := get(t, srv.URL+"/")
		srv.Close()
		if status != 200 {
			t.Fatalf("GET /: status %d", status)
		}
		var want strings.Builder
		if err := tmpl.Execute(&want, struct{ Seed string }{seed}); err != nil {
			t.Fatal(err)
		}
		gotOut, gotText := editorText(t, got)
		wantOut, wantText := editorText(t, want.String())
		if diff := cmp.Diff(wantOut, gotOut); diff != "" {
			t.Errorf("seed %q: the page outside the editor differs from html/template's (-want +got):\n%s", seed, diff)
		}
		if strings.ContainsAny(gotText, "<>\"'\x00") {
			t.Errorf("seed %q: the editor's text %q holds markup characters", seed, gotText)
		}
		if g, w := html.UnescapeString(gotText), html.UnescapeString(wantText); g != w {
			t.Errorf("seed %q: the editor holds %q, html/template's %q", seed, g, w)
		}
		if g, w := html.UnescapeString(gotText), strings.ReplaceAll(seed, "\x00", "\uFFFD"); g != w {
			t.Errorf("seed %q: the editor holds %q, want %q", seed, g, w)
		}
	}
}

const demoLike = "# logistic regression\nCE := -mean(i=1..n, y[i]*log(p[i]) + (1 - y[i])*log(1 - p[i]))\n"

// editorText splits a page into the text of its one <textarea> and the
// rest (with the text's place marked).
func editorText(t *testing.T, page string) (outside, text string) {
	t.Helper()
	start := strings.Index(page, "<textarea")
	if start < 0 {
		t.Fatalf("no <textarea> in the page:\n%s", page)
	}
	open := strings.Index(page[start:], ">")
	end := strings.Index(page, "</textarea>")
	if open < 0 || end < start+open || strings.Count(page, "</textarea>") != 1 {
		t.Fatalf("the page's editor is not one <textarea>...</textarea>:\n%s", page)
	}
	open += start + 1
	return page[:open] + "|" + page[end:], page[open:end]
}
