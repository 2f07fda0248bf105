package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/symdiff/symdiff/cmd/internal/texcheck"
)

// The README's picture of the seed derivation, examples/logistic-
// derivation.png, is made here: `go test ./cmd/symdiff -run
// TestREADMEImage -update` typesets the derivation that `symdiff latex
// --doc --defs examples/logistic.sd CE --wrt 'w[k]'` writes, on a page
// cut to its size, with pdflatex, and renders the page with pdftoppm. The
// document it was made from is kept as a golden file, so the test fails
// when the derivation changes and the picture has not been remade.

const (
	imagePNG    = "examples/logistic-derivation.png"
	imageGolden = "logistic-derivation.tex.golden"
)

// imageDocument is the derivation on one page of its own size: the
// landscape A4 width of --doc, a height that holds the whole derivation.
func imageDocument(t *testing.T) string {
	doc := collect(t, 0, "latex", "--doc", "--defs", "examples/logistic.sd", "CE", "--wrt", "w[k]")
	geometry := regexp.MustCompile(`\\usepackage\[[^]]*\]\{geometry\}`)
	if !geometry.MatchString(doc) {
		t.Fatalf("latex --doc has no geometry line:\n%s", doc)
	}
	doc = geometry.ReplaceAllString(doc, `\usepackage[paperwidth=29.7cm,paperheight=14cm,margin=0.8cm]{geometry}`+"\n"+`\pagestyle{empty}\pdfobjcompresslevel=0`)
	return doc
}

func TestREADMEImage(t *testing.T) {
	t.Chdir(repoRoot(t))
	doc := imageDocument(t)
	golden := filepath.Join("cmd", "symdiff", "testdata", "golden", imageGolden)
	if !*update {
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run with -update to make the picture)", err)
		}
		if string(want) != doc {
			t.Fatalf("the seed derivation changed since %s was made: run go test ./cmd/symdiff -run TestREADMEImage -update", imagePNG)
		}
		if _, err := os.Stat(imagePNG); err != nil {
			t.Fatal(err)
		}
	}
	// The whole derivation, down to the residual form, is on the one page
	// the picture shows (a line past its bottom would start a second).
	pdf := texcheck.PDFLaTeX(t, "logistic-derivation", doc)
	if pdf == "" {
		return
	}
	if info, err := exec.Command("pdfinfo", pdf).Output(); err == nil && !bytes.Contains(info, []byte("Pages:           1\n")) {
		t.Fatalf("the derivation does not fit one page:\n%s", info)
	}
	if !*update {
		return
	}
	png := filepath.Join(t.TempDir(), "d.png")
	texcheck.PDFToPNG(t, pdf, png)
	b, err := os.ReadFile(png)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(imagePNG, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(golden, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s (%d bytes) from %s", imagePNG, len(b), strings.TrimSpace(golden))
}
