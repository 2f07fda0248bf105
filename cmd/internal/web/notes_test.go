package web

import (
	"encoding/base64"
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"
)

// notesScript has results with notes (factor's, an assumption's) and one
// without.
const notesScript = `factor(x^2 + 1)
factor(x^2 - 1)
assume x > 0
sqrt(x^2)
d(abs(x)*y, x)`

// TestBrowserNotes: the page shows what a result says besides its value,
// under the value, as the command line prints it: factor's
// "(irreducible over the rationals)", the assumptions a result used; a
// result without notes shows none.
func TestBrowserNotes(t *testing.T) {
	ctx := browser(t)
	srv := httptest.NewServer(New(Options{}))
	defer srv.Close()
	do(t, ctx,
		chromedp.Navigate(srv.URL+"/#s="+base64.RawURLEncoding.EncodeToString([]byte(notesScript))),
		settled("ok"),
	)
	got := run(t, ctx, chromedp.Evaluate[[][]string](`[...document.querySelectorAll('#results .result')].map(
		(c) => [...c.querySelectorAll('.value-note')].map((n) => n.textContent))`))
	want := [][]string{
		{"(irreducible over the rationals)"},
		{},
		{},
		{"(by assumption x > 0)"},
		{"(by assumption x > 0)"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("the notes of the cards (-want +got):\n%s", diff)
	}
}
