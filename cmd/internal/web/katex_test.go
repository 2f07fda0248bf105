package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/symdiff/symdiff/cmd/internal/texcheck"
)

// The LaTeX the API sends (results and derivations) is accepted by
// KaTeX in strict mode, as every other LaTeX symdiff writes.
func TestAPILaTeXRendersWithKaTeX(t *testing.T) {
	proofs, err := os.ReadFile(filepath.Join("..", "..", "symdiff", "testdata", "latex", "proofs.sd"))
	if err != nil {
		t.Fatal(err)
	}
	scripts := map[string]string{
		"logistic.sd": seed(t),
		"proofs.sd":   string(proofs),
		"rules": "swish(u) := u*sigma(u)\nderiv swish(u) = swish(u) + sigma(u)*(1 - swish(u))\n" +
			"rule my_exp_log: exp(log(u)) -> u if u > 0\nd(swish(a*t), t)\nsigma(0)*x/x + mean(i=1..n, y[i])\n",
	}
	var fs []texcheck.Formula
	for name, src := range scripts {
		rs, serr := runScript(context.Background(), job{src: src, timeout: DefaultTimeout})
		if serr != nil {
			t.Fatalf("%s: %+v", name, serr)
		}
		for _, r := range rs {
			what := fmt.Sprintf("%s line %v", name, r["line"])
			fs = append(fs, texcheck.Formula{TeX: r["latex"].(string), Display: true, Name: what + " latex"})
			if d, ok := r["derivation"].(string); ok {
				fs = append(fs, texcheck.Formula{TeX: d, Display: true, Name: what + " derivation"})
			}
		}
	}
	if len(fs) < 30 {
		t.Fatalf("only %d formulas", len(fs))
	}
	texcheck.KaTeX(t, fs)
}

// The embedded KaTeX is the version testdata/katex pins, and the same
// files when npm has installed it there.
func TestEmbeddedKaTeXIsThePinnedOne(t *testing.T) {
	js, err := staticFiles.ReadFile("static/katex/katex.min.js")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(js, []byte(`version:"0.19.1"`)) {
		t.Error("the embedded katex.min.js is not KaTeX 0.19.1")
	}
	lock, err := os.ReadFile(filepath.Join("..", "..", "..", "testdata", "katex", "package-lock.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(lock, []byte(`"node_modules/katex": {`+"\n"+`      "version": "0.19.1"`)) {
		t.Error("testdata/katex pins another KaTeX than the embedded 0.19.1: copy its dist files into static/katex")
	}
	dist := filepath.Join("..", "..", "..", "testdata", "katex", "node_modules", "katex", "dist")
	if _, err := os.Stat(dist); errors.Is(err, fs.ErrNotExist) {
		t.Logf("KaTeX is not installed in testdata/katex; compared the version only")
		return
	}
	for _, name := range []string{"katex.min.js", "katex.min.css", "fonts/KaTeX_Main-Regular.woff2", "fonts/KaTeX_Math-Italic.woff2"} {
		want, err := os.ReadFile(filepath.Join(dist, name))
		if err != nil {
			t.Fatal(err)
		}
		got, err := staticFiles.ReadFile("static/katex/" + name)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("static/katex/%s differs from npm's %s (%v)", name, name, err)
		}
	}
}
