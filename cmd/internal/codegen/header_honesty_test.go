package codegen

import (
	"context"
	"strings"
	"testing"
)

// TestHeaderHonestRawExp checks the header's stability line against the
// reviewer's cases that still overflow where the math is finite (the
// softmax cross-entropy gradient over an indexed sum, the mean of
// exp(z)/(1 + exp(z)), log(mean(exp(z)))): at z = 1000 each gives NaN or
// Inf, so the header must say an exp was left as written and must not
// say "nothing needed rewriting". Losses whose every exp is shifted by a
// max (log(exp(a) + exp(b))) or removed (the logistic loss) must not carry
// the note. The oracle is the reviewer's run: NaN/Inf at the data given
// in the issue, with numpy giving finite values.
func TestHeaderHonestRawExp(t *testing.T) {
	for _, c := range []struct {
		loss, defs string
		wrt        []string
		raw        bool
	}{
		{loss: "-sum(i=1..n, y[i]*log(exp(sum(l=1..d, x[i,l]*w[l]))/sum(j=1..n, exp(sum(l=1..d, x[j,l]*w[l])))))", wrt: []string{"w[k]"}, raw: true},
		{loss: "mean(i=1..n, exp(z[i])/(1+exp(z[i])))", wrt: []string{"z[k]"}, raw: true},
		{loss: "log(mean(i=1..n, exp(z[i])))", wrt: []string{"z[k]"}, raw: true},
		{loss: "log(exp(a) + exp(b))", wrt: []string{"a", "b"}},
		{defs: "../../../examples/logistic.sd", loss: "CE", wrt: []string{"w[k]"}},
	} {
		tc := &tcase{defs: c.defs, loss: c.loss, wrt: c.wrt}
		en, loss, wrt := tc.setup(t)
		res, err := Generate(context.Background(), en, &Request{Loss: loss, Wrt: wrt, Lang: NumPy, Package: "main", Version: "test"})
		if err != nil {
			t.Fatalf("%s: %v", c.loss, err)
		}
		src := res.Code
		gotRaw := strings.Contains(src, "NOT rewritten")
		if gotRaw != c.raw {
			t.Errorf("%s: header notes exp left as written = %v, want %v", c.loss, gotRaw, c.raw)
		}
		if c.raw && strings.Contains(src, "nothing needed rewriting") {
			t.Errorf("%s: header says nothing needed rewriting, but an exp can overflow", c.loss)
		}
	}
}
