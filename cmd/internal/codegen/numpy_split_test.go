package codegen

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/ast"
)

// sharedDecls declares the arrays of the losses of TestRandomSharedLosses.
const sharedDecls = `X : matrix(n, d)
W : matrix(d, d)
w : vector(d)
v : vector(d)
y : vector(n)
lam : scalar
`

// sharedEngine returns an engine with sharedDecls in force.
func sharedEngine(t *testing.T) Engine {
	t.Helper()
	file := filepath.Join(t.TempDir(), "decls.sd")
	if err := os.WriteFile(file, []byte(sharedDecls), 0o644); err != nil {
		t.Fatal(err)
	}
	en, err := LoadEngine(nil, []string{file})
	if err != nil {
		t.Fatal(err)
	}
	return en
}

// TestNumPySplitSumShared: NumPy writes sum(w + w) as sum(w) + sum(w), and
// where the gradient reads sum(w) too, the loss reads the gradient's temp,
// computed before the loss, not a second np.sum(w). (Whether it runs is
// TestRandomSharedLosses's question.)
func TestNumPySplitSumShared(t *testing.T) {
	en := sharedEngine(t)
	for _, src := range []string{"lam/(1 + mean(w + w)^2)", "lam/(1 + sum(w + w)^2)", "exp(-sum(w + w)^2)"} {
		loss := mustParse(t, en, src)
		res, err := Generate(context.Background(), en, &Request{Loss: loss, Wrt: []ast.Expr{mustParse(t, en, "w")},
			Lang: NumPy, Version: "test"})
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		body := res.Code[strings.Index(res.Code, "\ndef "):]
		if n := strings.Count(body, "np.sum(w)"); n != 1 {
			t.Errorf("%s: np.sum(w) is computed %d times, want once:\n%s", src, n, res.Code)
		}
	}
}
